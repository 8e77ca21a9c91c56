/*
 * Runs first in each SCO's launch document (courses/scorm/serving.py). In the default mode the
 * player's origin is opaque (sandboxed frame without allow-same-origin), where localStorage,
 * sessionStorage and document.cookie throw: authoring tools' players use them for their own
 * settings, so they get in-memory ones for the life of the page (SCORM data goes through the
 * API, which is what is saved). With a separate content origin the browser's own are kept.
 */
(function () {
  'use strict';

  function memoryStorage() {
    var map = {};
    var storage = {
      getItem: function (k) { k = String(k); return Object.prototype.hasOwnProperty.call(map, k) ? map[k] : null; },
      setItem: function (k, v) { map[String(k)] = String(v); },
      removeItem: function (k) { delete map[String(k)]; },
      clear: function () { map = {}; },
      key: function (i) { var keys = Object.keys(map); return i < keys.length ? keys[i] : null; }
    };
    Object.defineProperty(storage, 'length', { get: function () { return Object.keys(map).length; } });
    return storage;
  }

  ['localStorage', 'sessionStorage'].forEach(function (name) {
    try {
      if (window[name]) { return; }
    } catch (e) { /* SecurityError in an opaque origin */ }
    try {
      Object.defineProperty(window, name, { configurable: true, value: memoryStorage() });
    } catch (e) { /* left as the browser has it */ }
  });

  try {
    void document.cookie;
  } catch (e) {
    var jar = {};
    try {
      Object.defineProperty(document, 'cookie', {
        configurable: true,
        get: function () {
          return Object.keys(jar).map(function (k) { return k + '=' + jar[k]; }).join('; ');
        },
        set: function (text) {
          var pair = String(text).split(';')[0];
          var at = pair.indexOf('=');
          if (at < 1) { return; }
          var key = pair.slice(0, at).trim();
          if (/max-age=0|expires=thu, 01 jan 1970/i.test(String(text))) { delete jar[key]; }
          else { jar[key] = pair.slice(at + 1).trim(); }
        }
      });
    } catch (e2) { /* left as the browser has it */ }
  }
}());
