/* Course analytics charts (Chart.js 4). The data tables under each chart carry the same numbers
   for screen readers, keyboard users and anyone without JavaScript. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("au-chart-data");
    if (!source || typeof Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var text = data.text || {};
    var brand = "#a4161a", blue = "#1d4ed8", green = "#1a7f37";
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.color = "#1b1f24";

    function draw(id, type, labels, values, label, colour, extra) {
      var canvas = document.getElementById(id);
      if (!canvas) return;
      // Nothing to draw: leave only the table ("No data yet" or zeros) instead of empty axes.
      if (!values.some(function (v) { return v > 0; })) { canvas.parentNode.hidden = true; return; }
      new Chart(canvas, Object.assign({
        type: type,
        data: {labels: labels, datasets: [{label: label, data: values, backgroundColor: colour,
                                           borderColor: colour, fill: false, tension: 0.1}]},
        options: {responsive: true, maintainAspectRatio: false, animation: false,
                  plugins: {legend: {display: false}},
                  scales: {y: {beginAtZero: true, ticks: {precision: 0}}}}
      }, extra || {}));
    }

    var funnel = data.funnel;
    draw("chart-funnel", "bar", funnel.labels, funnel.values, text.completed, brand);
    if (funnel.max) {
      var chart = Chart.getChart("chart-funnel");
      if (chart) { chart.options.scales.y.max = funnel.max; chart.update(); }
    }
    draw("chart-scores", "bar", data.scores.labels, data.scores.values, text.results, blue);
    draw("chart-enrolments", "line", data.enrolments.labels, data.enrolments.values, text.enrolled, green);
  });
})();
