/* Trainer pages for question banks and quizzes.
   - Question editor: an "Add a row" button per group clones the last row (names, ids and the
     row's number renumbered, values cleared). Without JavaScript the page offers blank rows.
   - Item statistics: a Chart.js bar chart of facility and discrimination per question; the
     table under it carries the same numbers. */
(function () {
  "use strict";

  function renumber(row, n) {
    row.dataset.n = String(n);
    row.querySelectorAll("[name], [id], label[for]").forEach(function (el) {
      ["name", "id", "for"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) el.setAttribute(attr, value.replace(/^(\w+)-\d+-/, "$1-" + n + "-"));
      });
      if (el.tagName === "INPUT") el.value = "";
    });
    var label = row.querySelector(".qa-rowlabel");
    if (label) label.textContent = label.textContent.replace(/\d+/, String(n));
  }

  document.querySelectorAll("button.qa-add").forEach(function (button) {
    var group = document.getElementById("group-" + button.dataset.add);
    var list = group && group.querySelector(".qa-rows");
    if (!list) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var rows = list.querySelectorAll(".qa-row");
      var last = rows[rows.length - 1];
      var copy = last.cloneNode(true);
      renumber(copy, Number(last.dataset.n) + 1);
      list.appendChild(copy);
      var first = copy.querySelector("input:not([type=hidden])");
      if (first) first.focus();
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("qa-chart-data");
    var canvas = document.getElementById("chart-items");
    if (!source || !canvas || typeof Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var has = data.facility.concat(data.discrimination).some(function (v) { return v !== null; });
    if (!has) { canvas.parentNode.hidden = true; return; }
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.color = "#1b1f24";
    new Chart(canvas, {
      type: "bar",
      data: {labels: data.labels, datasets: [
        {label: data.text.facility, data: data.facility, backgroundColor: "#1d4ed8"},
        {label: data.text.discrimination, data: data.discrimination, backgroundColor: "#a4161a"}
      ]},
      options: {responsive: true, maintainAspectRatio: false, animation: false,
                scales: {y: {suggestedMin: 0, suggestedMax: 100}}}
    });
  });
})();
