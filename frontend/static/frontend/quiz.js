/* Quiz player: renders the attempt from the REST API, autosaves changes, counts down from the
   server's remaining seconds, confirms before submitting. The server decides the deadline: the
   countdown uses the monotonic performance.now() from the server's figure and re-syncs on every
   save, so the device clock (Date) plays no part. */
(function () {
  "use strict";
  var root = document.getElementById("quiz-player");
  if (!root) return;
  var T = JSON.parse(document.getElementById("quiz-strings").textContent);
  var form = document.getElementById("quiz-form");
  var list = document.getElementById("quiz-questions");
  var saveEl = document.getElementById("quiz-save");
  var timerEl = document.getElementById("quiz-timer");
  var dirty = {};          // position -> answer waiting to be saved
  var answers = {};        // position -> current answer (null: none)
  var questions = [];
  var saveTimer = null, retryDelay = 2000, saving = false, finished = false;
  var deadlineAt = null;   // performance.now() value when the server's time runs out

  function fmt(s, values) {
    return s.replace(/\{(\w+)\}/g, function (_m, k) { return values[k]; });
  }
  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function api(method, url, body) {
    return fetch(url, {
      method: method, credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf()},
      body: body ? JSON.stringify(body) : undefined
    });
  }
  function setSave(state, text) {
    saveEl.dataset.state = state;
    saveEl.textContent = text || "";
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "for") node.htmlFor = attrs[k]; else node.setAttribute(k, attrs[k]);
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* ---- rendering, one small function per question type ---- */
  function choiceInputs(q, box, multiple) {
    var current = answers[q.position];
    q.choices.forEach(function (c, i) {
      var id = "q" + q.position + "c" + i;
      var input = el("input", {type: multiple ? "checkbox" : "radio", name: "q" + q.position, id: id, value: c.id});
      if (multiple ? (current || []).indexOf(c.id) >= 0 : String(current) === c.id) input.checked = true;
      var label = el("label", {"for": id, "class": "choice"});
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + c.text));
      box.appendChild(label);
      input.addEventListener("change", function () {
        if (multiple) {
          var picked = [];
          box.querySelectorAll("input:checked").forEach(function (x) { picked.push(x.value); });
          changed(q.position, picked.length ? picked : null);
        } else if (q.type === "true_false") {
          changed(q.position, input.value === "true");
        } else {
          changed(q.position, input.value);
        }
      });
    });
  }
  function textInput(q, box, kind) {
    var id = "q" + q.position + "t";
    box.appendChild(el("label", {"for": id}, T.your_answer));
    var input = kind === "essay" ? el("textarea", {id: id, rows: "8", maxlength: String(q.max_length || 50000)})
      : el("input", {id: id, type: "text", inputmode: kind === "numerical" ? "decimal" : "text",
                     autocomplete: "off", maxlength: String(q.max_length || 1000)});
    var value = answers[q.position];
    input.value = value === null || value === undefined ? "" : String(value);
    box.appendChild(input);
    var counter = null;
    if (kind === "essay") {
      counter = el("p", {"class": "quiz-words", "aria-live": "polite"});
      box.appendChild(counter);
    }
    function update() {
      if (counter) counter.textContent = fmt(T.words, {n: input.value.trim() ? input.value.trim().split(/\s+/).length : 0});
    }
    update();
    input.addEventListener("input", function () { update(); changed(q.position, input.value.trim() ? input.value : null); });
  }
  function matching(q, box) {
    var current = answers[q.position] || {};
    q.left.forEach(function (item, i) {
      var id = "q" + q.position + "m" + i;
      box.appendChild(el("label", {"for": id}, item.text));
      var select = el("select", {id: id});
      select.appendChild(el("option", {value: ""}, T.choose));
      q.right.forEach(function (opt) {
        var o = el("option", {value: opt.id}, opt.text);
        if (current[item.id] === opt.id) o.selected = true;
        select.appendChild(o);
      });
      select.addEventListener("change", function () {
        var value = {};
        box.querySelectorAll("select").forEach(function (s, j) { if (s.value) value[q.left[j].id] = s.value; });
        changed(q.position, Object.keys(value).length ? value : null);
      });
      box.appendChild(select);
    });
  }
  function ordering(q, box) {
    var order = (answers[q.position] || q.items.map(function (i) { return i.id; })).slice();
    var byId = {};
    q.items.forEach(function (i) { byId[i.id] = i.text; });
    var ol = el("ol", {"class": "quiz-order"});
    var live = el("p", {"class": "visually-hidden", "aria-live": "polite"});
    function draw() {
      ol.textContent = "";
      order.forEach(function (id, i) {
        var li = el("li");
        li.appendChild(el("span", {}, byId[id]));
        [["up", -1], ["down", 1]].forEach(function (pair) {
          var b = el("button", {type: "button", "class": "secondary small",
                                "aria-label": T[pair[0]] + ": " + byId[id]}, pair[1] < 0 ? "↑" : "↓");
          b.disabled = (pair[1] < 0 && i === 0) || (pair[1] > 0 && i === order.length - 1);
          b.addEventListener("click", function () {
            var j = i + pair[1];
            order.splice(j, 0, order.splice(i, 1)[0]);
            draw();
            live.textContent = fmt(T.moved, {n: j + 1});
            ol.querySelectorAll("li")[j].querySelector("button:not([disabled])").focus();
            changed(q.position, order.slice());
          });
          li.appendChild(b);
        });
        ol.appendChild(li);
      });
    }
    draw();
    box.appendChild(ol);
    // The order shown may already be the one the learner wants: let them answer with it as it is.
    var keep = el("button", {type: "button", "class": "secondary small quiz-keep-order"}, T.keep_order);
    keep.addEventListener("click", function () {
      changed(q.position, order.slice());
      live.textContent = T.order_kept;
    });
    box.appendChild(keep);
    box.appendChild(live);
  }
  var RENDER = {
    single_choice: function (q, box) { choiceInputs(q, box, false); },
    true_false: function (q, box) { choiceInputs(q, box, false); },
    multiple_choice: function (q, box) { choiceInputs(q, box, true); },
    short_answer: function (q, box) { textInput(q, box, "short_answer"); },
    numerical: function (q, box) { textInput(q, box, "numerical"); },
    essay: function (q, box) { textInput(q, box, "essay"); },
    matching: matching,
    ordering: ordering
  };
  function render(data) {
    questions = data.questions;
    list.textContent = "";
    questions.forEach(function (q) {
      answers[q.position] = q.answer === undefined ? null : q.answer;
      var li = el("li", {"class": "quiz-question", id: "question-" + q.position, "data-type": q.type});
      var fs = el("fieldset");
      var legend = el("legend");
      legend.appendChild(el("span", {"class": "quiz-qnum"}, fmt(T.question, {n: q.position})));
      legend.appendChild(el("span", {"class": "quiz-qmarks"}, fmt(T.marks, {n: q.max_mark})));
      fs.appendChild(legend);
      fs.appendChild(el("p", {"class": "quiz-qtext"}, q.text));
      var hint = HINTS[q.type];
      if (hint) fs.appendChild(el("p", {"class": "quiz-hint"}, T[hint]));
      RENDER[q.type](q, fs);
      fs.appendChild(flagButton(q));
      fs.addEventListener("focusin", function () { setCurrent(q.position); });
      li.appendChild(fs);
      list.appendChild(li);
    });
    document.getElementById("quiz-loading").hidden = true;
    form.hidden = false;
    drawNav();
    unansweredHint();
  }
  var HINTS = {single_choice: "one", true_false: "one", multiple_choice: "many"};

  /* ---- question navigation panel: answered / flagged / current; flags stay on this device ---- */
  var flagKey = "quiz-flags-" + root.dataset.attemptUrl;
  var flags = {};
  try { flags = JSON.parse(window.localStorage.getItem(flagKey) || "{}"); } catch (e) { flags = {}; }
  var current = null;
  function isAnswered(position) {
    var a = answers[position];
    return !(a === null || a === undefined || a === "" || (Array.isArray(a) && !a.length));
  }
  function flagButton(q) {
    var b = el("button", {type: "button", "class": "secondary small quiz-flag", "aria-pressed": flags[q.position] ? "true" : "false"},
               "⚑ " + T.flag);
    b.addEventListener("click", function () {
      flags[q.position] = !flags[q.position];
      b.setAttribute("aria-pressed", flags[q.position] ? "true" : "false");
      try { window.localStorage.setItem(flagKey, JSON.stringify(flags)); } catch (e) { /* private mode */ }
      drawNav();
    });
    return b;
  }
  function setCurrent(position) {
    if (current === position) return;
    current = position;
    drawNav();
  }
  function drawNav() {
    var navList = document.getElementById("quiz-nav-list");
    navList.textContent = "";
    questions.forEach(function (q) {
      var done = isAnswered(q.position);
      var words = [fmt(T.question, {n: q.position}), done ? T.nav_answered : T.nav_unanswered];
      if (flags[q.position]) words.push(T.nav_flagged);
      var b = el("button", {type: "button", "class": "quiz-nav-item", "data-position": String(q.position),
                            "data-answered": done ? "true" : "false", "data-flagged": flags[q.position] ? "true" : "false",
                            "aria-label": words.join(", ")}, String(q.position));
      if (current === q.position) b.setAttribute("aria-current", "true");
      b.addEventListener("click", function () {
        var target = document.getElementById("question-" + q.position);
        target.scrollIntoView({block: "start"});
        var first = target.querySelector("input, textarea, select, button");
        if (first) first.focus({preventScroll: true});
        setCurrent(q.position);
      });
      var li = el("li");
      li.appendChild(b);
      navList.appendChild(li);
    });
    document.getElementById("quiz-nav").hidden = false;
  }

  /* ---- autosave with retry ---- */
  function changed(position, value) {
    answers[position] = value;
    dirty[position] = value;
    setSave("pending", T.saving);
    drawNav();
    unansweredHint();
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, 600);
  }
  function save() {
    if (saving || finished) return Promise.resolve(true);
    var positions = Object.keys(dirty);
    if (!positions.length) return Promise.resolve(true);
    var batch = positions.map(function (p) { return {position: Number(p), answer: dirty[p]}; });
    var sent = {};
    positions.forEach(function (p) { sent[p] = dirty[p]; });
    saving = true;
    setSave("saving", T.saving);
    return api("PATCH", root.dataset.attemptUrl, {responses: batch}).then(function (r) {
      return r.json().then(function (body) { return {status: r.status, body: body}; });
    }).then(function (res) {
      saving = false;
      if (res.status === 200) {
        positions.forEach(function (p) { if (dirty[p] === sent[p]) delete dirty[p]; });
        retryDelay = 2000;
        syncTimer(res.body.remaining_seconds);
        setSave(Object.keys(dirty).length ? "pending" : "saved", Object.keys(dirty).length ? T.saving : T.saved);
        if (Object.keys(dirty).length) saveTimer = setTimeout(save, 300);
        return true;
      }
      if (res.status === 409) { goToReview(); return false; }
      if (res.status === 400) {
        positions.forEach(function (p) { delete dirty[p]; });
        var fields = res.body.fields || {};
        setSave("error", T.invalid + " " + Object.keys(fields).map(function (k) { return fields[k]; }).join(" "));
        return false;
      }
      throw new Error("HTTP " + res.status);
    }).catch(function () {
      saving = false;
      setSave("offline", T.offline);
      clearTimeout(saveTimer);
      saveTimer = setTimeout(save, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
      return false;
    });
  }
  window.addEventListener("online", function () { if (Object.keys(dirty).length) save(); });
  window.addEventListener("beforeunload", function (e) {
    if (!finished && Object.keys(dirty).length) { e.preventDefault(); e.returnValue = ""; }
  });

  /* ---- countdown from the server's figure ---- */
  function syncTimer(remaining) {
    if (remaining === null || remaining === undefined) return;
    deadlineAt = performance.now() + remaining * 1000;
    timerEl.parentNode.hidden = false;
    tick();
  }
  function tick() {
    if (deadlineAt === null || finished) return;
    var left = Math.max(0, Math.round((deadlineAt - performance.now()) / 1000));
    var m = Math.floor(left / 60), s = left % 60;
    timerEl.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    timerEl.dataset.seconds = String(left);
    if (left === 0) { setSave("saving", T.time_over); submit(); }
  }
  setInterval(tick, 1000);

  /* ---- submit ---- */
  function unanswered() {
    return questions.filter(function (q) { return !isAnswered(q.position); }).map(function (q) { return q.position; });
  }
  function unansweredHint() {
    var missing = unanswered();
    document.getElementById("quiz-unanswered").textContent = missing.length ? fmt(T.unanswered, {list: missing.join(", ")}) : "";
  }
  function goToReview() { finished = true; window.location.assign(root.dataset.reviewUrl); }
  function submit() {
    if (finished) return;
    clearTimeout(saveTimer);
    var last = Object.keys(dirty).map(function (p) { return {position: Number(p), answer: dirty[p]}; });
    api("POST", root.dataset.submitUrl, {responses: last}).then(function (r) {
      if (r.status === 200 || r.status === 409) goToReview();
      else setSave("error", T.submit_failed);
    }).catch(function () { setSave("offline", T.submit_failed); });
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var missing = unanswered();
    var dialog = document.getElementById("quiz-confirm");
    document.getElementById("quiz-confirm-text").textContent =
      missing.length ? fmt(T.confirm_some, {n: missing.length}) : T.confirm_all;
    if (typeof dialog.showModal !== "function") {
      if (window.confirm(document.getElementById("quiz-confirm-text").textContent)) submit();
      return;
    }
    dialog.returnValue = "";
    dialog.showModal();
    dialog.addEventListener("close", function onClose() {
      dialog.removeEventListener("close", onClose);
      if (dialog.returnValue === "ok") submit();
    });
  });

  api("GET", root.dataset.attemptUrl).then(function (r) { return r.json(); }).then(function (data) {
    if (data.status !== "in_progress") { goToReview(); return; }
    render(data);
    syncTimer(data.remaining_seconds);
  });
})();
