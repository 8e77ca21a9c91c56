/*
 * The H5P player page: starts h5p-standalone with the config the server rendered, relays the
 * player's xAPI statements to /api/v1/lessons/{id}/xapi/ (each with a client-made id, so a
 * retried POST is a duplicate the server drops), and saves the learner's state for resume.
 * Also the trainer's upload form. No framework; runs on slow links.
 */
(function () {
  'use strict';

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

  /* --- the player ------------------------------------------------------------------------ */
  function startPlayer(cfg) {
    var el = document.getElementById('h5p-container');
    var status = document.getElementById('h5p-status');
    var queue = [];
    var sending = false;
    var delay = 1000;
    var lastState = cfg.state || null;
    var stateTimer = null;

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
      var copy = JSON.parse(JSON.stringify(statement));
      copy.id = copy.id || uuid();
      queue.push(copy);
      flush();
      clearTimeout(stateTimer);
      stateTimer = setTimeout(saveState, 1000);
    }

    /* H5P core's instances live in the iframe's window (embed type iframe) or in this one. */
    function instances() {
      var frame = el.querySelector('iframe');
      var h = (frame && frame.contentWindow && frame.contentWindow.H5P) || window.H5P;
      return (h && h.instances) || [];
    }

    function currentState() {
      var list = instances();
      for (var i = 0; i < list.length; i++) {
        if (typeof list[i].getCurrentState === 'function') {
          var state = list[i].getCurrentState();
          return state === undefined ? null : JSON.stringify(state);
        }
      }
      return null;
    }

    function saveState(keepalive) {
      var state;
      try { state = currentState(); } catch (e) { return; }
      if (state === null || state === lastState) { return; }
      lastState = state;
      send(cfg.stateUrl, 'PUT', cfg.csrfToken, { state: state }, keepalive).catch(function () {
        lastState = null;  /* try again next time */
      });
    }

    var options = cfg.player;
    if (cfg.learner && cfg.saveFreq) {
      options.saveFreq = cfg.saveFreq;
      if (cfg.state) { options.contentUserData = [{ state: cfg.state }]; }
    }
    /* In iframe mode H5P core relays every event to the host page's H5P.externalDispatcher. */
    window.H5P = window.H5P || {};
    window.H5P.externalDispatcher = {
      trigger: function (event) {
        if (cfg.learner && event && event.type === 'xAPI') { onStatement(event.data.statement); }
      }
    };
    new H5PStandalone.H5P(el, options).then(function () {
      var dispatcher = window.H5P && window.H5P.externalDispatcher;
      if (cfg.learner && dispatcher && typeof dispatcher.on === 'function') {
        /* div mode: H5P core replaced the relay with its own dispatcher in this window. */
        dispatcher.on('xAPI', function (event) { onStatement(event.data.statement); });
      }
      /* The player's iframe needs an accessible name (axe frame-title): the activity's title. */
      var frame = el.querySelector('iframe');
      if (frame && !frame.title) { frame.title = el.getAttribute('data-frame-title') || document.title; }
      el.setAttribute('data-ready', '1');
      if (cfg.learner && cfg.saveFreq) {
        setInterval(saveState, cfg.saveFreq * 1000);
        document.addEventListener('visibilitychange', function () {
          if (document.visibilityState === 'hidden') { saveState(true); flush(true); }
        });
        window.addEventListener('pagehide', function () { saveState(true); flush(true); });
      }
    }).catch(function (error) {
      el.setAttribute('data-ready', 'error');
      console.error('H5P player failed', error);
    });
  }

  /* --- the trainer's upload form ------------------------------------------------------------ */
  function startUpload(form) {
    var out = document.getElementById('h5p-upload-result');
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var button = form.querySelector('button');
      button.disabled = true;
      out.textContent = '…';
      fetch(form.getAttribute('data-url'), {
        method: 'POST', credentials: 'same-origin', body: new FormData(form),
        headers: { 'X-CSRFToken': form.getAttribute('data-csrf'), 'Accept': 'application/json' }
      }).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (r) {
        if (r.ok) { window.location.reload(); return; }
        button.disabled = false;
        out.className = 'is-error';
        out.textContent = r.body.message || String(r.body.code);
      }).catch(function () {
        button.disabled = false;
        out.className = 'is-error';
        out.textContent = form.getAttribute('data-network-error');
      });
    });
  }

  var cfgEl = document.getElementById('h5p-config');
  if (cfgEl && window.H5PStandalone) { startPlayer(JSON.parse(cfgEl.textContent)); }
  var form = document.getElementById('h5p-upload-form');
  if (form) { startUpload(form); }
}());
