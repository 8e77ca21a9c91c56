/*
 * The SCO's side of the player, first in its launch document (courses/scorm/serving.py), before
 * any of the package's scripts: puts scorm-again's API object on this window (window.API for
 * SCORM 1.2, window.API_1484_11 for 2004), where the ADL search for it starts, loaded with the
 * data model the session starts with (restored on resume). It calls nothing on the site: each
 * commit (the whole flattened data model) and the end of the session go to the lesson page by
 * postMessage, to the framing origin named in the grant only (scorm-player.js sends them).
 * Values set without a commit are sent 2 s later, and when the page goes away.
 */
(function () {
  'use strict';

  var cfg = JSON.parse(document.getElementById('ttdn-scorm-launch').textContent);
  var is12 = cfg.version === '1.2';
  var NAMES = is12
    ? { commit: 'LMSCommit', finish: 'LMSFinish', set: 'LMSSetValue.cmi.*' }
    : { commit: 'Commit', finish: 'Terminate', set: 'SetValue.cmi.*' };
  var AUTOSAVE_MS = 2000;
  var ended = false;
  var timer = null;

  function post(message) {
    message.ttdnScorm = 1;
    message.sco = cfg.sco;
    message.attempt = cfg.attempt;
    window.parent.postMessage(message, cfg.parentOrigin);
  }

  var api = is12
    ? new window.Scorm12API({ autocommit: false, lmsCommitUrl: false, dataCommitFormat: 'flattened', logLevel: 5 })
    : new window.Scorm2004API({ autocommit: false, lmsCommitUrl: false, dataCommitFormat: 'flattened', logLevel: 5 });
  api.loadFromFlattenedJSON(cfg.cmi || {}, '');

  function send(terminated) {
    if (ended) { return; }
    clearTimeout(timer);
    var cmi;
    try { cmi = api.renderCommitCMI(true); } catch (e) { return; }
    post({ type: 'commit', cmi: cmi, terminated: !!terminated });
    if (terminated) {
      ended = true;
      var nav = '';
      try { nav = is12 ? '' : String(api.adl.nav.request || ''); } catch (e) { nav = ''; }
      post({ type: 'finished', navRequest: nav });
    }
  }

  api.on(NAMES.commit, function () { send(false); });
  api.on(NAMES.finish, function () { send(true); });
  api.on(NAMES.set, function () {
    if (ended) { return; }
    clearTimeout(timer);
    timer = setTimeout(function () { send(false); }, AUTOSAVE_MS);
  });
  if (is12) { window.API = api; } else { window.API_1484_11 = api; }
  window.addEventListener('pagehide', function () { if (api.isInitialized && api.isInitialized()) { send(false); } });
  post({ type: 'started', seq: cfg.seq, entry: cfg.entry, result: cfg.result, preview: cfg.preview });
}());
