/* Cohort page: find people by name as one types (accents ignored by the server) and tick them.
   Progressive enhancement: without this script the same form searches with a page reload.
   Results come from GET /api/v1/users/ (the administrator's own users); ticked people stay
   listed across searches, so one can gather a class from several searches before adding. */
(function () {
  "use strict";
  var box = document.getElementById("member-search");
  if (!box || !window.fetch) { return; }
  var input = document.getElementById("find");
  var findForm = document.getElementById("find-form");
  var list = document.getElementById("pick-results");
  var status = document.getElementById("pick-status");
  var submit = document.getElementById("pick-submit");
  var limit = parseInt(box.dataset.limit, 10) || 50;
  var timer = null;
  var asked = 0;

  function ticked() {
    return Array.prototype.filter.call(list.querySelectorAll("input[name=pick]"),
      function (box) { return box.checked; });
  }

  function item(person) {
    var li = document.createElement("li");
    var label = document.createElement("label");
    var tick = document.createElement("input");
    tick.type = "checkbox";
    tick.name = "pick";
    tick.value = String(person.id);
    var text = document.createElement("span");
    text.textContent = person.full_name || person.email;
    var details = document.createElement("span");
    details.className = "details";
    [person.email, person.organisation ? person.organisation.name : "—"].forEach(function (value) {
      var part = document.createElement("span");
      part.textContent = value;
      details.appendChild(part);
    });
    text.appendChild(details);
    label.appendChild(tick);
    label.appendChild(document.createTextNode(" "));
    label.appendChild(text);
    li.appendChild(label);
    return li;
  }

  function show(people, more) {
    var keep = {};
    ticked().forEach(function (tick) { keep[tick.value] = true; });
    // A copy of the (live) children: removing while iterating them would skip items.
    Array.prototype.slice.call(list.children).forEach(function (li) {
      var tick = li.querySelector("input[name=pick]");
      if (!tick || !tick.checked) { li.remove(); }
    });
    people.forEach(function (person) {
      if (!keep[String(person.id)]) { list.appendChild(item(person)); }
    });
    var n = people.length;
    var words = n === 0 ? box.dataset.foundNone
      : (n === 1 ? box.dataset.foundOne : box.dataset.foundMany.replace("{n}", String(n)));
    status.textContent = more ? words + " " + box.dataset.tooMany : words;
    submit.hidden = list.children.length === 0;
  }

  function search() {
    var text = input.value.trim();
    if (text.length < 2) { return; }
    var mine = ++asked;
    var url = box.dataset.searchUrl + "?" + new URLSearchParams({
      search: text, active: "true", exclude_cohort: box.dataset.cohort, page_size: String(limit)
    }).toString();
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (page) {
        if (mine === asked) { show(page.results, Boolean(page.next)); }
      })
      .catch(function () {
        if (mine === asked) { status.textContent = box.dataset.failed; }
      });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 300);  // wait for a pause in typing: fewer requests on slow links
  });
  findForm.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    search();
  });
}());
