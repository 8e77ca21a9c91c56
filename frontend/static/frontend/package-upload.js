/*
 * The trainer's package upload form (H5P and SCORM lesson pages): <form data-package-upload
 * data-url data-csrf data-result data-network-error>. Sends the form to the REST endpoint with
 * the session and CSRF token; reloads the page when the package is stored, else shows the
 * server's message (in the trainer's language) in the form's result line.
 */
(function () {
  'use strict';

  function startUpload(form) {
    var out = document.getElementById(form.getAttribute('data-result'));
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var button = form.querySelector('button[type=submit]');
      button.disabled = true;
      out.className = '';
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

  Array.prototype.forEach.call(document.querySelectorAll('form[data-package-upload]'), startUpload);
}());
