/*
 * The SCORM lesson page. The package's code runs only in the sandboxed player (#scorm-frame,
 * served under SCORM_CONTENT_URL, see scorm-frame.js); this page runs none of it.
 * It points the frame at a SCO's launch file under the grant (the server starts the session and
 * puts the runtime and the data model to restore in that document, courses/scorm/serving.py) and
 * sends the SCO's commits (PUT /api/v1/lessons/{id}/scorm/cmi/, the whole flattened data model,
 * with a sequence number the server uses to drop stale and duplicate commits).
 * Commits wait in localStorage until the server has them: a dropped connection, a closed tab or a
 * reload loses nothing, and they are sent before the next session starts. Messages are taken only
 * from the player frame (its window and origin: "null" when sandboxed, else the content origin)
 * and only in our shapes.
 * No framework; runs on slow links.
 */
(function () {
  'use strict';

  var cfgEl = document.getElementById('scorm-config');
  var frame = document.getElementById('scorm-frame');
  if (!cfgEl || !frame) { return; }
  var cfg = JSON.parse(cfgEl.textContent);
  var container = document.getElementById('scorm-container');
  var status = document.getElementById('scorm-status');
  var next = document.getElementById('scorm-next');
  var KEY = 'ttdn-scorm:' + cfg.userId + ':' + cfg.lessonId + ':' + cfg.packageKey;
  var KEEPALIVE_MAX = 60000;   /* browsers cap keepalive bodies at 64 KiB */
  var scos = cfg.scos;
  var session = null;          /* { sco, attempt, seq } of the SCO playing */
  var outbox = readOutbox();   /* commits not yet acknowledged, oldest first */
  var sending = false;
  var delay = 1000;
  var idle = [];               /* callbacks waiting for an empty outbox */

  function isPlainObject(value) { return Object.prototype.toString.call(value) === '[object Object]'; }

  function readOutbox() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(KEY) || '[]');
      return Array.isArray(stored) ? stored.filter(isPlainObject) : [];
    } catch (e) { return []; }
  }

  function writeOutbox() {
    try {
      if (outbox.length) { window.localStorage.setItem(KEY, JSON.stringify(outbox)); }
      else { window.localStorage.removeItem(KEY); }
    } catch (e) { /* storage full or off: the commit is still sent from memory */ }
  }

  function request(method, url, body, keepalive) {
    return fetch(url, {
      method: method, credentials: 'same-origin', keepalive: !!keepalive,
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': cfg.csrfToken, 'Accept': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
  }

  function say(text, offline) {
    status.textContent = text;
    status.classList.toggle('is-offline', !!offline);
  }

  function showResult(result) {
    if (!cfg.learner) { say(cfg.text.preview); return; }
    if (result && typeof result.score === 'number') {
      say(cfg.text.score.replace('%(score)s', Math.round(result.score * 100))
        .replace('%(attempts)s', result.attempts).replace('%%', '%'));
    } else if (result && result.completed) {
      say(cfg.text.done);
    } else {
      say(cfg.text.saved);
    }
  }

  /* --- sending commits ------------------------------------------------------------------------ */
  function enqueue(commit) {
    /* Each commit carries the whole data model: only the latest of a SCO's attempt need be sent. */
    for (var i = 0; i < outbox.length; i += 1) {
      if (outbox[i].sco === commit.sco && outbox[i].attempt === commit.attempt && outbox[i] !== outbox[0]) {
        commit.terminated = commit.terminated || outbox[i].terminated;
        outbox.splice(i, 1);
        break;
      }
    }
    outbox.push(commit);
    writeOutbox();
    flush();
  }

  function drop(item) {
    var at = outbox.indexOf(item);
    if (at >= 0) { outbox.splice(at, 1); writeOutbox(); }
  }

  function flush(keepalive) {
    if (sending) { return; }
    if (!outbox.length) { idle.splice(0).forEach(function (callback) { callback(); }); return; }
    sending = true;
    var item = outbox[0];
    var body = { sco: item.sco, attempt: item.attempt, seq: item.seq, cmi: item.cmi, terminated: !!item.terminated };
    var small = JSON.stringify(body).length < KEEPALIVE_MAX;
    request('PUT', cfg.cmiUrl, body, keepalive && small).then(function (response) {
      if (response.status >= 500 || response.status === 429) { throw new Error('retry'); }
      sending = false;
      delay = 1000;
      drop(item);  /* done, or refused for good (4xx): retrying would not change the answer */
      return response.json().then(function (answer) {
        if (response.ok) { showResult(answer.result); } else { window.console.warn('SCORM commit refused', answer); }
      }, function () { return null; });
    }).then(function () { flush(); }, function () {
      sending = false;
      say(cfg.text.offline, true);
      setTimeout(flush, delay);
      delay = Math.min(delay * 2, 30000);
    });
  }

  function whenSent(callback) {
    if (!outbox.length) { callback(); return; }
    idle.push(callback);
    flush();
  }

  /* --- sessions ------------------------------------------------------------------------------- */
  function markCurrent(identifier) {
    Array.prototype.forEach.call(document.querySelectorAll('.scorm-toc a[data-sco]'), function (link) {
      if (link.getAttribute('data-sco') === identifier) { link.setAttribute('aria-current', 'step'); }
      else { link.removeAttribute('aria-current'); }
    });
  }

  function markStatus(identifier, cmi) {
    var value = cmi['cmi.core.lesson_status'] || '';
    if (!value) {
      value = (cmi['cmi.success_status'] === 'passed' || cmi['cmi.success_status'] === 'failed')
        ? cmi['cmi.success_status'] : (cmi['cmi.completion_status'] || '');
    }
    Array.prototype.forEach.call(document.querySelectorAll('[data-status-of]'), function (el) {
      if (el.getAttribute('data-status-of') === identifier && cfg.text.status[value]) {
        el.textContent = cfg.text.status[value];
      }
    });
  }

  function indexOf(identifier) {
    for (var i = 0; i < scos.length; i += 1) { if (scos[i].identifier === identifier) { return i; } }
    return -1;
  }

  /* The SCO's launch file under the grant: its session starts when the frame loads it. The frame
     is emptied first (the SCO playing ends its session: its last commit arrives) and the commits
     waiting are sent, so the new session starts from all of them. */
  function launch(identifier) {
    var at = indexOf(identifier);
    if (at < 0) { return; }
    next.hidden = true;
    markCurrent(identifier);
    session = null;
    container.setAttribute('data-ready', '0');
    function go() {
      whenSent(function () {
        frame.addEventListener('load', function loaded() {
          frame.removeEventListener('load', loaded);
          setTimeout(function () {
            if (!session) { container.setAttribute('data-ready', 'error'); say(cfg.text.failed, true); }
          }, 1500);
        });
        frame.setAttribute('src', cfg.frameBase + 'sco/' + at + '/' + scos[at].href);
      });
    }
    if (frame.getAttribute('src')) {
      frame.addEventListener('load', function emptied() { frame.removeEventListener('load', emptied); go(); });
      frame.setAttribute('src', 'about:blank');
    } else {
      go();
    }
  }

  function offerNext(identifier, navRequest) {
    var at = indexOf(identifier);
    var target = navRequest === 'previous' ? at - 1 : at + 1;
    if (target < 0 || target >= scos.length) { return; }
    if (navRequest === 'continue' || navRequest === 'previous') { launch(scos[target].identifier); return; }
    var link = next.querySelector('a');
    link.textContent = scos[target].title;
    link.setAttribute('data-sco', scos[target].identifier);
    link.setAttribute('href', '?sco=' + encodeURIComponent(scos[target].identifier));
    next.hidden = false;
  }

  function onMessage(message) {
    switch (message.type) {
      case 'started':
        session = { sco: message.sco, attempt: message.attempt, seq: typeof message.seq === 'number' ? message.seq : 0 };
        container.setAttribute('data-ready', '1');
        container.setAttribute('data-sco', message.sco);
        /* Nothing has been saved yet in this session: only what is already recorded is shown. */
        if (!cfg.learner) { say(cfg.text.preview); }
        else if (isPlainObject(message.result) && (typeof message.result.score === 'number'
                 || message.result.completed)) { showResult(message.result); }
        else { say(''); }
        break;
      case 'commit':
        if (!session || message.sco !== session.sco || message.attempt !== session.attempt
            || !isPlainObject(message.cmi)) { return; }
        markStatus(message.sco, message.cmi);
        if (!cfg.learner) { return; }  /* preview: nothing is recorded */
        session.seq = Math.max(session.seq + 1, Date.now());  /* increasing across reloads too */
        enqueue({ sco: session.sco, attempt: session.attempt, seq: session.seq, cmi: message.cmi,
                  terminated: message.terminated === true });
        break;
      case 'finished':
        if (session && message.sco === session.sco) {
          offerNext(message.sco, typeof message.navRequest === 'string' ? message.navRequest : '');
        }
        break;
    }
  }

  window.addEventListener('message', function (event) {
    if (event.source !== frame.contentWindow || event.origin !== cfg.frameOrigin) { return; }
    var message = event.data;
    if (isPlainObject(message) && message.ttdnScorm === 1 && typeof message.type === 'string') {
      onMessage(message);
    }
  });

  document.addEventListener('click', function (event) {
    var link = event.target.closest ? event.target.closest('a[data-sco]') : null
    if (!link || !link.getAttribute('data-sco')) { return; }
    event.preventDefault();
    launch(link.getAttribute('data-sco'));
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, '', '?sco=' + encodeURIComponent(link.getAttribute('data-sco')));
    }
  });

  launch(cfg.start);  /* after what an earlier visit could not send */
  if (cfg.learner) {
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'hidden') { flush(true); }
    });
    window.addEventListener('pagehide', function () { flush(true); });
  }
}());
