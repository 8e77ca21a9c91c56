/*
 * The SCORM player document (sandboxed: opaque origin, no cookie, no access to the lesson page).
 * It hosts scorm-again's API object (window.API for SCORM 1.2, window.API_1484_11 for 2004) and
 * loads the SCO into a child frame as a document of this same origin (srcdoc, with <base href>
 * at the package file's URL and scorm-shim.js first), so the SCO finds the API in window.parent
 * the ADL way. Nothing here calls the site: the lesson page (scorm-player.js) sends `launch`
 * with the data model it got from the server, and this document posts back each `commit` (the
 * whole flattened data model) and `finished`. Messages go to the framing origin named in the
 * grant only; messages from anything but the parent are ignored.
 */
(function () {
  'use strict';

  var cfg = JSON.parse(document.getElementById('scorm-frame-config').textContent);
  var is12 = cfg.version === '1.2';
  var NAMES = is12
    ? { commit: 'LMSCommit', finish: 'LMSFinish', set: 'LMSSetValue.cmi.*' }
    : { commit: 'Commit', finish: 'Terminate', set: 'SetValue.cmi.*' };
  var AUTOSAVE_MS = 2000;
  var listening = false;
  var waiting = [];
  var current = null;   /* { sco, attempt, api, ended, timer } */

  function post(message) {
    message.ttdnScorm = 1;
    if (listening) { window.parent.postMessage(message, cfg.parentOrigin); } else { waiting.push(message); }
  }

  /* --- loading package pages ------------------------------------------------------------------ */
  function escapeAttr(text) {
    return String(text).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  }

  function withSourceQuery(url) {
    var hash = url.indexOf('#');
    var bare = hash < 0 ? url : url.slice(0, hash);
    return bare + (bare.indexOf('?') < 0 ? '?' : '&') + cfg.sourceQuery + '=1';
  }

  /* The page's HTML with <base href> (its own URL) and the shim first in <head>. */
  function prepare(html, url) {
    var head = '<base href="' + escapeAttr(url) + '"><script src="' + escapeAttr(cfg.shim) + '"></' + 'script>';
    var marks = [/<head(\s[^>]*)?>/i, /<html(\s[^>]*)?>/i, /<!doctype[^>]*>/i];
    for (var i = 0; i < marks.length; i += 1) {
      var found = marks[i].exec(html);
      if (found) {
        var at = found.index + found[0].length;
        return html.slice(0, at) + head + html.slice(at);
      }
    }
    return head + html;
  }

  function load(frame, url) {
    if (typeof url !== 'string' || url.indexOf(cfg.filesBase) !== 0) { return; }  /* the package's own pages only */
    fetch(withSourceQuery(url), { credentials: 'omit' }).then(function (response) {
      if (!response.ok) { throw new Error('HTTP ' + response.status); }
      return response.text();
    }).then(function (html) {
      var page = prepare(html, url);
      if (frame.tagName === 'IFRAME') { frame.srcdoc = page; return; }
      /* <frame> has no srcdoc: an about:blank of this origin, written. */
      frame.addEventListener('load', function written() {
        frame.removeEventListener('load', written);
        var doc = frame.contentDocument;
        doc.open();
        doc.write(page);
        doc.close();
      });
      frame.src = 'about:blank';
    }).catch(function () { post({ type: 'error', reason: 'load' }); });
  }

  window.ttdnScormHost = { load: load, memory: { local: {}, session: {}, cookies: {} } };

  /* --- the runtime --------------------------------------------------------------------------- */
  function send(terminated) {
    if (!current || current.ended) { return; }
    clearTimeout(current.timer);
    var cmi;
    try { cmi = current.api.renderCommitCMI(true); } catch (e) { return; }
    post({ type: 'commit', sco: current.sco, attempt: current.attempt, cmi: cmi, terminated: !!terminated });
    if (terminated) {
      current.ended = true;
      var nav = '';
      try { nav = is12 ? '' : String(current.api.adl.nav.request || ''); } catch (e) { nav = ''; }
      post({ type: 'finished', sco: current.sco, navRequest: nav });
    }
  }

  function closeCurrent() {
    var old = document.getElementById('sco');
    if (old) { old.parentNode.removeChild(old); }  /* runs the SCO's unload handlers now */
    if (current && !current.ended) { send(false); current.ended = true; }
  }

  function launch(message) {
    closeCurrent();
    var settings = {
      autocommit: false, lmsCommitUrl: false, dataCommitFormat: 'flattened', logLevel: 5,
      mastery_override: false, selfReportSessionTime: false
    };
    var api = is12 ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
    api.loadFromFlattenedJSON(message.cmi || {}, '');
    var session = { sco: message.sco, attempt: message.attempt, api: api, ended: false, timer: null };
    current = session;
    api.on(NAMES.commit, function () { if (current === session) { send(false); } });
    api.on(NAMES.finish, function () { if (current === session) { send(true); } });
    api.on(NAMES.set, function () {
      if (current !== session || session.ended) { return; }
      clearTimeout(session.timer);
      session.timer = setTimeout(function () { send(false); }, AUTOSAVE_MS);
    });
    if (is12) { window.API = api; } else { window.API_1484_11 = api; }
    var frame = document.createElement('iframe');
    frame.id = 'sco';
    frame.title = message.title || '';
    frame.setAttribute('allow', 'fullscreen; autoplay');
    document.body.appendChild(frame);
    load(frame, cfg.filesBase + message.href);
    post({ type: 'launched', sco: message.sco });
  }

  window.addEventListener('message', function (event) {
    if (event.source !== window.parent) { return; }
    var message = event.data;
    if (!message || message.ttdnScorm !== 1 || typeof message.type !== 'string') { return; }
    if (message.type === 'hello') {
      if (!listening) {
        listening = true;
        post({ type: 'ready' });
        waiting.splice(0).forEach(function (m) { window.parent.postMessage(m, cfg.parentOrigin); });
      }
    } else if (message.type === 'launch' && typeof message.sco === 'string' && typeof message.href === 'string') {
      launch(message);
    } else if (message.type === 'close') {
      closeCurrent();
    }
  });
  window.addEventListener('pagehide', function () { if (current && !current.ended) { send(false); } });
}());
