/*
 * Runs first in the SCORM player document and in every package page it loads (the player puts
 * this script right after the page's <base href>). All of them share the player's opaque origin
 * (sandboxed frame, no allow-same-origin), so:
 * - localStorage, sessionStorage and document.cookie, which throw in an opaque origin, are
 *   replaced by in-memory ones shared by the player's pages for as long as the lesson page is
 *   open (authoring tools' players use them for their own settings; SCORM data goes through the
 *   API, which is what is saved);
 * - a frame of this page navigating to a package page gets the bounce document, which asks this
 *   page (its parent) to load it: the player fetches the page and loads it into the same frame as
 *   a document of this origin, so it still finds the SCORM API the ADL way (scorm-frame.js
 *   `ttdnScormHost.load`; courses/scorm/serving.py).
 */
(function () {
  'use strict';
  if (window.ttdnScormShim) { return; }
  window.ttdnScormShim = true;

  function findHost() {
    var w = window;
    for (var i = 0; i < 20 && w; i += 1) {
      try { if (w.ttdnScormHost) { return w.ttdnScormHost; } } catch (e) { return null; }
      if (w.parent === w) { return null; }
      w = w.parent;
    }
    return null;
  }

  function memoryStorage(map) {
    var storage = {
      getItem: function (k) { k = String(k); return Object.prototype.hasOwnProperty.call(map, k) ? map[k] : null; },
      setItem: function (k, v) { map[String(k)] = String(v); },
      removeItem: function (k) { delete map[String(k)]; },
      clear: function () { Object.keys(map).forEach(function (k) { delete map[k]; }); },
      key: function (i) { var keys = Object.keys(map); return i < keys.length ? keys[i] : null; }
    };
    Object.defineProperty(storage, 'length', { get: function () { return Object.keys(map).length; } });
    return storage;
  }

  var host = findHost();
  var shared = host ? host.memory : { local: {}, session: {}, cookies: {} };
  ['localStorage', 'sessionStorage'].forEach(function (name) {
    try {
      if (window[name]) { return; }
    } catch (e) { /* SecurityError in an opaque origin */ }
    try {
      Object.defineProperty(window, name, {
        configurable: true, value: memoryStorage(name === 'localStorage' ? shared.local : shared.session)
      });
    } catch (e) { /* left as the browser has it */ }
  });
  try {
    void document.cookie;
  } catch (e) {
    try {
      Object.defineProperty(document, 'cookie', {
        configurable: true,
        get: function () {
          return Object.keys(shared.cookies).map(function (k) { return k + '=' + shared.cookies[k]; }).join('; ');
        },
        set: function (text) {
          var pair = String(text).split(';')[0];
          var at = pair.indexOf('=');
          if (at < 1) { return; }
          var key = pair.slice(0, at).trim();
          var value = pair.slice(at + 1).trim();
          if (/max-age=0|expires=thu, 01 jan 1970/i.test(String(text))) { delete shared.cookies[key]; }
          else { shared.cookies[key] = value; }
        }
      });
    } catch (e2) { /* left as the browser has it */ }
  }

  /* A frame of this page was navigated to a package page: load it here instead. */
  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!data || data.ttdnScormBounce !== 1 || typeof data.url !== 'string') { return; }
    var frames = document.querySelectorAll('iframe, frame');
    for (var i = 0; i < frames.length; i += 1) {
      if (frames[i].contentWindow === event.source) {
        var h = host || findHost();
        if (h) { h.load(frames[i], data.url); }
        return;
      }
    }
  });
}());
