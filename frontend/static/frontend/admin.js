/* Administration pages: follow a background job (user import) and reload when it ends. */
(function () {
  "use strict";
  var box = document.getElementById("import-job");
  if (!box || box.dataset.finished === "1") { return; }
  var url = box.dataset.jobUrl;
  var bar = document.getElementById("import-progress");
  var delay = 700;

  function show(job) {
    var percent = job.total ? Math.floor((job.done * 100) / job.total) : 0;
    if (job.status === "done" || job.status === "failed") { percent = 100; }
    bar.value = percent;
    bar.textContent = percent + "%";
    box.querySelector("[data-field=percent]").textContent = percent;
    box.querySelector("[data-field=done]").textContent = job.done;
    box.querySelector("[data-field=total]").textContent = job.total;
    var resumed = box.querySelector("[data-field=resumed]");
    if (resumed) { resumed.hidden = !(job.attempts > 1); }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) { setTimeout(poll, 5000); return; }
        show(job);
        if (job.status === "done" || job.status === "failed") {
          // The server renders the per-row table in the reader's language.
          setTimeout(function () { window.location.reload(); }, 300);
        } else {
          delay = Math.min(delay * 1.3, 4000);  // slow links: poll less as time goes on
          setTimeout(poll, delay);
        }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, delay);
}());
