/*
 * Runs INSIDE the sandboxed H5P player frame (served under H5P_CONTENT_URL, opaque origin: no
 * cookie, no storage, no access to the lesson page). Starts h5p-standalone with the config the
 * server wrote into this document, and tells the lesson page, by postMessage only, what it needs:
 * ready or error, each xAPI statement, the state to save for resume, and this document's height.
 * The lesson page checks every message and does the saving itself (h5p-player.js).
 */
(function () {
  'use strict';

  var cfg = JSON.parse(document.getElementById('h5p-frame-config').textContent);
  var container = document.getElementById('h5p-container');

  /* --- talking to the lesson page ---------------------------------------------------------- */
  /* Messages wait until the page says hello: its listener may not be there yet when we start. */
  var connected = false;
  var outbox = [];

  function post(message) {
    message.ttdnH5P = 1;
    window.parent.postMessage(message, cfg.parentOrigin);
  }

  function tell(message) {
    if (connected) { post(message); } else { outbox.push(message); }
  }

  window.addEventListener('message', function (event) {
    var data = event.data;
    if (event.source !== window.parent || event.origin !== cfg.parentOrigin || !data
        || data.ttdnH5P !== 1 || data.type !== 'hello') { return; }
    if (!connected) {
      connected = true;
      outbox.splice(0).forEach(post);
    }
  });
  post({ type: 'hello' });

  /* --- storage: an opaque origin has none (reading it throws); H5P core keeps its clipboard and
     an anonymous user id there, so give it one that lives as long as this page. ------------- */
  function memoryStorage() {
    var items = {};
    return {
      getItem: function (key) { return Object.prototype.hasOwnProperty.call(items, key) ? items[key] : null; },
      setItem: function (key, value) { items[key] = String(value); },
      removeItem: function (key) { delete items[key]; },
      clear: function () { items = {}; },
      key: function (index) { return Object.keys(items)[index] || null; },
      get length() { return Object.keys(items).length; }
    };
  }
  ['localStorage', 'sessionStorage'].forEach(function (name) {
    try {
      void window[name].length;
    } catch (blocked) {
      Object.defineProperty(window, name, { value: memoryStorage(), configurable: true });
    }
  });

  /* --- height ------------------------------------------------------------------------------ */
  var height = 0;
  function sendHeight() {
    var now = Math.ceil(container.getBoundingClientRect().height) + 2;
    if (now !== height) {
      height = now;
      tell({ type: 'resize', height: now });
    }
  }

  /* --- state for resume -------------------------------------------------------------------- */
  var lastState = cfg.state || null;
  var stateTimer = null;

  function currentState() {
    var list = (window.H5P && window.H5P.instances) || [];
    for (var i = 0; i < list.length; i++) {
      if (typeof list[i].getCurrentState === 'function') {
        var state = list[i].getCurrentState();
        return state === undefined ? null : JSON.stringify(state);
      }
    }
    return null;
  }

  function sendState() {
    var state;
    try { state = currentState(); } catch (e) { return; }
    if (state === null || state === lastState) { return; }
    lastState = state;
    tell({ type: 'state', state: state });
  }

  /* --- the player -------------------------------------------------------------------------- */
  new H5PStandalone.H5P(container, cfg.player).then(function () {
    var H5P = window.H5P;
    if (cfg.learner) {
      H5P.externalDispatcher.on('xAPI', function (event) {
        tell({ type: 'xapi', statement: JSON.parse(JSON.stringify(event.data.statement)) });
        if (cfg.saveFreq) {
          clearTimeout(stateTimer);
          stateTimer = setTimeout(sendState, 1000);
        }
      });
    }
    /* Started here (preventH5PInit: false), after the xAPI listener, so "attempted" is not lost. */
    H5P.init();
    H5P.preventInit = false;
    if (window.ResizeObserver) { new ResizeObserver(sendHeight).observe(container); }
    window.addEventListener('resize', function () {
      (H5P.instances || []).forEach(function (instance) { H5P.trigger(instance, 'resize'); });
    });
    if (cfg.learner && cfg.saveFreq) {
      setInterval(sendState, cfg.saveFreq * 1000);
      document.addEventListener('visibilitychange', function () {
        if (document.visibilityState === 'hidden') { sendState(); }
      });
    }
    sendHeight();
    tell({ type: 'ready' });
  }).catch(function (error) {
    console.error('H5P player failed', error);
    tell({ type: 'error' });
  });
}());
