/* The demo package's own SCORM 2004 wrapper: finds the API the way ADL's examples do (the
   parent chain, then the opener), and offers the few calls the pages make. */
(function (global) {
  "use strict";
  var api = null;

  function scan(win) {
    var tries = 0;
    while (win && win.API_1484_11 == null && win.parent && win.parent !== win && tries < 10) {
      tries += 1;
      win = win.parent;
    }
    return win ? win.API_1484_11 : null;
  }

  function find() {
    var found = null;
    if (global.parent && global.parent !== global) { found = scan(global.parent); }
    if (!found && global.opener) { found = scan(global.opener); }
    return found || null;
  }

  var finished = false;
  global.Sco = {
    start: function () {
      api = find();
      if (!api) { return false; }
      return api.Initialize("") === "true";
    },
    get: function (name) { return api ? api.GetValue(name) : ""; },
    set: function (name, value) { return api ? api.SetValue(name, String(value)) === "true" : false; },
    commit: function () { return api ? api.Commit("") === "true" : false; },
    finish: function (exit) {
      if (!api || finished) { return; }
      finished = true;
      api.SetValue("cmi.exit", exit || "suspend");
      api.Commit("");
      api.Terminate("");
    },
    connected: function () { return api !== null; }
  };
})(window);
