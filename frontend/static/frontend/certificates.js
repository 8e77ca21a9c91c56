// Certificates pages: copy a verification link; bulk issue with a live progress bar.
(function () {
  "use strict";

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var text = button.getAttribute("data-copy");
      var done = function () {
        var note = button.parentNode.querySelector(".copied");
        if (note) { note.hidden = false; setTimeout(function () { note.hidden = true; }, 2500); }
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { window.prompt("", text); });
      } else {
        window.prompt("", text); // plain http: let the person copy it themselves
      }
    });
  });

  var section = document.querySelector(".bulk[data-issue-url]");
  if (!section) { return; }
  var form = document.getElementById("bulk-form");
  var box = document.getElementById("bulk-progress");
  var bar = document.getElementById("bulk-bar");
  var text = document.getElementById("bulk-text");
  var words = JSON.parse(document.getElementById("bulk-messages").textContent);
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  function say(template, job) {
    // {% translate %} does not interpolate, so the messages carry {done}-style tokens.
    var counts = (job.result && job.result.counts) || {};
    return template.replace(/\{(\w+)\}/g, function (_m, key) {
      if (key in counts) { return counts[key]; }
      return key in job ? job[key] : 0;
    });
  }

  function show(job) {
    var total = job.total || 0;
    var percent = total ? Math.round(100 * (job.done + job.errors) / total) : 100;
    bar.value = job.status === "done" ? 100 : percent;
    bar.setAttribute("data-status", job.status);
    if (job.status === "failed") {  // the server's reason (a worker that kept stopping, ...)
      text.textContent = words.failed + (job.error_message ? " " + job.error_message : "");
      return;
    }
    text.textContent = say(job.status === "done" ? words.done : words.running, job) +
      (job.status !== "done" && job.attempts > 1 ? " " + words.resumed : "");
  }

  function poll(url) {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (job) {
        show(job);
        if (job.status === "done" || job.status === "failed") {
          form.querySelector("button").disabled = false;
          if (job.status === "done") { setTimeout(function () { window.location.reload(); }, 1500); }
        } else {
          setTimeout(function () { poll(url); }, 1000);
        }
      })
      .catch(function () { setTimeout(function () { poll(url); }, 3000); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    form.querySelector("button").disabled = true;
    box.hidden = false;
    fetch(section.getAttribute("data-issue-url"), {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json"},
      body: JSON.stringify({cohort: (form.querySelector("select[name=cohort]") || {}).value
                                      ? Number(form.querySelector("select[name=cohort]").value) : null})
    }).then(function (r) {
      return r.json().then(function (body) { return {ok: r.ok, body: body}; });
    }).then(function (res) {
      if (!res.ok) { throw new Error(res.body.message || words.error); }
      show(res.body);
      poll(res.body.url);
    }).catch(function (err) {
      text.textContent = err.message || words.error;
      form.querySelector("button").disabled = false;
    });
  });
})();
