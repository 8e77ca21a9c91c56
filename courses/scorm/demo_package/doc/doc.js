/* A reading SCO: three pages; where the learner is (cmi.location) and which pages were read
   (cmi.suspend_data) are kept for resume; progress_measure reaches 1 when all were read. */
(function () {
  "use strict";
  var pages = document.querySelectorAll(".page");
  var seen = {};
  var current = 1;
  Sco.start();
  var saved = Sco.get("cmi.suspend_data");
  if (saved) { saved.split(",").forEach(function (p) { if (p) { seen[p] = true; } }); }
  var place = parseInt(Sco.get("cmi.location"), 10);
  if (place >= 1 && place <= pages.length) { current = place; }
  if (Sco.get("cmi.completion_status") !== "completed") { Sco.set("cmi.completion_status", "incomplete"); }

  function show(page) {
    current = page;
    seen[page] = true;
    for (var i = 0; i < pages.length; i += 1) { pages[i].hidden = (i + 1) !== page; }
    var read = Object.keys(seen).length;
    document.getElementById("progress").textContent =
      "Trang " + page + "/" + pages.length + " · đã đọc " + read + "/" + pages.length + " trang";
    document.getElementById("previous").disabled = page === 1;
    document.getElementById("next").textContent = page === pages.length ? "Hoàn thành" : "Trang sau";
    Sco.set("cmi.location", page);
    Sco.set("cmi.suspend_data", Object.keys(seen).join(","));
    Sco.set("cmi.progress_measure", (read / pages.length).toFixed(2));
    if (read === pages.length) { Sco.set("cmi.completion_status", "completed"); }
    Sco.commit();
  }

  document.getElementById("previous").addEventListener("click", function () {
    if (current > 1) { show(current - 1); }
  });
  document.getElementById("next").addEventListener("click", function () {
    if (current < pages.length) { show(current + 1); } else { Sco.finish("normal"); }
  });
  window.addEventListener("pagehide", function () { Sco.finish("suspend"); });
  show(current);
})();
