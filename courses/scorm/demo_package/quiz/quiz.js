/* A scored SCO: records each answer as an interaction, the scaled score, and success against
   the passing score the LMS gives (cmi.scaled_passing_score, from the manifest). */
(function () {
  "use strict";
  Sco.start();
  Sco.set("cmi.completion_status", Sco.get("cmi.completion_status") === "completed" ? "completed" : "incomplete");
  var form = document.getElementById("quiz");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var sets = form.querySelectorAll("fieldset");
    var right = 0;
    for (var i = 0; i < sets.length; i += 1) {
      var id = sets[i].getAttribute("data-id");
      var chosen = form.querySelector("input[name='" + id + "']:checked");
      var answer = chosen ? chosen.value : "";
      var correct = answer === sets[i].getAttribute("data-correct");
      if (correct) { right += 1; }
      var n = "cmi.interactions." + i + ".";
      Sco.set(n + "id", id);
      Sco.set(n + "type", "choice");
      Sco.set(n + "correct_responses.0.pattern", sets[i].getAttribute("data-correct"));
      if (answer) { Sco.set(n + "learner_response", answer); }
      Sco.set(n + "result", correct ? "correct" : "incorrect");
    }
    var scaled = right / sets.length;
    var passing = parseFloat(Sco.get("cmi.scaled_passing_score"));
    if (isNaN(passing)) { passing = 0.7; }
    Sco.set("cmi.score.min", 0);
    Sco.set("cmi.score.max", sets.length);
    Sco.set("cmi.score.raw", right);
    Sco.set("cmi.score.scaled", scaled.toFixed(2));
    Sco.set("cmi.success_status", scaled >= passing ? "passed" : "failed");
    Sco.set("cmi.completion_status", "completed");
    Sco.commit();
    document.getElementById("result").textContent = "Anh/chị trả lời đúng " + right + "/" + sets.length +
      " câu: " + (scaled >= passing ? "đạt." : "chưa đạt, hãy đọc lại bài và làm lại.");
    form.querySelector("button").disabled = true;
    Sco.finish("normal");
  });
  window.addEventListener("pagehide", function () { Sco.finish("suspend"); });
})();
