/*
 * The H5P lesson page. The package's code runs only in the sandboxed frame (#h5p-frame: opaque
 * origin, served under H5P_CONTENT_URL, see h5p-frame.js); this page runs none of it. The frame
 * talks to this page by postMessage only, and each message is checked (its source is that frame,
 * its shape is one of ours) before this page acts on it: xAPI statements are relayed to
 * /api/v1/lessons/{id}/xapi/ (each with an id made here, so a retried POST is a duplicate the
 * server drops), the state to PUT for resume, the frame's height. (The trainer's upload form: package-upload.js.)
 * No framework; runs on slow links.
 */
(function () {
  'use strict';

  var MAX_STATEMENT_CHARS = 65536;

  function uuid() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') {
      return window.crypto.randomUUID();
    }
    /* crypto.randomUUID needs a secure context; getRandomValues does not. */
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  function send(url, method, token, body, keepalive) {
    return fetch(url, {
      method: method, credentials: 'same-origin', keepalive: !!keepalive,
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': token, 'Accept': 'application/json' },
      body: JSON.stringify(body)
    });
  }

  function isPlainObject(value) {
    return Object.prototype.toString.call(value) === '[object Object]';
  }

  /* --- the player ------------------------------------------------------------------------ */
  function startPlayer(cfg) {
    var el = document.getElementById('h5p-container');
    var frame = document.getElementById('h5p-frame');
    var status = document.getElementById('h5p-status');
    var queue = [];
    var sending = false;
    var delay = 1000;
    var savedState = null;

    function showScore(result) {
      if (result && result.attempts !== null && result.score !== null) {
        status.textContent = cfg.text.score.replace('%(score)s', Math.round(result.score * 100))
          .replace('%(attempts)s', result.attempts).replace('%%', '%');
      } else if (result && result.completed) {
        status.textContent = cfg.text.done;
      }
      status.classList.remove('is-offline');
    }

    function flush(keepalive) {
      if (sending || !queue.length) { return; }
      sending = true;
      var batch = queue.slice(0, 50);
      send(cfg.xapiUrl, 'POST', cfg.csrfToken, batch, keepalive).then(function (response) {
        sending = false;
        if (response.status >= 500 || response.status === 429) { throw new Error('retry'); }
        queue.splice(0, batch.length);  /* 2xx done; other 4xx will never succeed: drop them */
        delay = 1000;
        if (response.ok) { response.json().then(showScore); }
        else { response.json().then(function (e) { console.warn('xAPI refused', e); }); }
        flush();
      }).catch(function () {
        sending = false;
        status.textContent = cfg.text.offline;
        status.classList.add('is-offline');
        setTimeout(flush, delay);
        delay = Math.min(delay * 2, 30000);
      });
    }

    function onStatement(statement) {
      var text = JSON.stringify(statement);
      if (text.length > MAX_STATEMENT_CHARS) { return; }
      var copy = JSON.parse(text);
      copy.id = uuid();  /* made here: the frame's word is not taken for it */
      queue.push(copy);
      flush();
    }

    function saveState(state) {
      if (state === savedState) { return; }
      savedState = state;
      send(cfg.stateUrl, 'PUT', cfg.csrfToken, { state: state }, document.visibilityState === 'hidden')
        .catch(function () { savedState = null; /* try again with the next one */ });
    }

    function onMessage(message) {
      switch (message.type) {
        case 'hello':
          frame.contentWindow.postMessage({ ttdnH5P: 1, type: 'hello' }, '*');
          break;
        case 'ready':
          el.setAttribute('data-ready', '1');
          break;
        case 'error':
          el.setAttribute('data-ready', 'error');
          status.textContent = cfg.text.failed;
          break;
        case 'resize':
          if (typeof message.height === 'number' && isFinite(message.height)) {
            frame.style.height = Math.round(Math.max(120, Math.min(message.height, 20000))) + 'px';
          }
          break;
        case 'xapi':
          if (cfg.learner && isPlainObject(message.statement)) { onStatement(message.statement); }
          break;
        case 'state':
          if (cfg.learner && typeof message.state === 'string'
              && message.state.length <= cfg.stateMaxBytes) { saveState(message.state); }
          break;
      }
    }

    window.addEventListener('message', function (event) {
      /* Only the player frame, and a sandboxed one (opaque origin "null"), is listened to. */
      if (event.source !== frame.contentWindow || event.origin !== 'null') { return; }
      var message = event.data;
      if (isPlainObject(message) && message.ttdnH5P === 1 && typeof message.type === 'string') {
        onMessage(message);
      }
    });
    /* The frame waits for this before it sends anything (our listener exists now). Its origin is
       opaque, so it cannot be named as the target: nothing secret is in this message. */
    function hello() { frame.contentWindow.postMessage({ ttdnH5P: 1, type: 'hello' }, '*'); }
    frame.addEventListener('load', hello);
    hello();
    if (cfg.learner) {
      document.addEventListener('visibilitychange', function () {
        if (document.visibilityState === 'hidden') { flush(true); }
      });
      window.addEventListener('pagehide', function () { flush(true); });
    }
  }

  var cfgEl = document.getElementById('h5p-config');
  if (cfgEl && document.getElementById('h5p-frame')) { startPlayer(JSON.parse(cfgEl.textContent)); }
}());
