/* Trainer authoring pages: drag-to-reorder (SortableJS) and the rich-text editor (Quill 2).
   Both enhance plain forms: without JavaScript the Up/Down buttons and the textarea work. */
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function jsonText(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : {};
  }

  /* --- structure: drag modules and lessons, save the whole order at once --- */
  function setupReorder() {
    var root = document.getElementById("au-modules");
    if (!root || typeof Sortable === "undefined") return;
    var text = jsonText("au-reorder-text");
    var status = document.getElementById("reorder-status");

    function order() {
      return Array.prototype.map.call(root.querySelectorAll(":scope > li.au-module"), function (m) {
        return {
          id: Number(m.dataset.id),
          lessons: Array.prototype.map.call(m.querySelectorAll(".au-lessons > li.au-lesson"),
            function (l) { return Number(l.dataset.id); })
        };
      });
    }

    function setVersion(version) {
      root.dataset.version = String(version);
      document.querySelectorAll("input[name=version]").forEach(function (i) { i.value = version; });
    }

    function save() {
      status.textContent = text.saving || "…";
      fetch(root.dataset.reorderUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()},
        body: JSON.stringify({version: Number(root.dataset.version), modules: order()})
      }).then(function (response) {
        return response.json().then(function (body) { return {ok: response.ok, body: body}; });
      }).then(function (result) {
        if (result.ok) {
          setVersion(result.body.version);
          status.textContent = result.body.message;
          status.className = "au-live au-ok";
        } else {
          status.textContent = result.body.message || text.failed;
          status.className = "au-live au-error";
        }
      }).catch(function () {
        status.textContent = text.failed;
        status.className = "au-live au-error";
      });
    }

    var options = {animation: 150, onEnd: save, handle: ".au-handle", ghostClass: "au-ghost"};
    Sortable.create(root, Object.assign({}, options, {handle: ".au-module-handle", draggable: ".au-module"}));
    root.querySelectorAll(".au-lessons").forEach(function (list) {
      Sortable.create(list, Object.assign({}, options, {group: "lessons", draggable: ".au-lesson"}));
    });
    document.body.classList.add("au-can-drag");
  }

  /* --- lesson editor: Quill writes HTML into the form's textarea on submit --- */
  function setupEditor() {
    var textarea = document.querySelector("textarea[data-rich-text]");
    var holder = document.getElementById("body-editor");
    if (!textarea || !holder || typeof Quill === "undefined") return;
    var text = jsonText("au-editor-text");
    holder.hidden = false;
    textarea.hidden = true;
    var quill = new Quill(holder, {
      theme: "snow",
      modules: {toolbar: [[{header: [2, 3, false]}], ["bold", "italic", "underline", "link"],
        ["blockquote", {list: "ordered"}, {list: "bullet"}], ["clean"]]}
    });
    quill.clipboard.dangerouslyPasteHTML(textarea.value || "");
    var editable = holder.querySelector(".ql-editor");
    editable.setAttribute("aria-labelledby", holder.dataset.labelId);
    editable.setAttribute("role", "textbox");
    editable.setAttribute("aria-multiline", "true");
    // Quill's toolbar buttons are icons only: give each a name in the page's language.
    var toolbar = holder.previousElementSibling;
    if (toolbar && toolbar.classList.contains("ql-toolbar")) {
      toolbar.setAttribute("aria-label", text.editor || "");
      toolbar.setAttribute("role", "toolbar");
      toolbar.querySelectorAll("button").forEach(function (button) {
        var name = (button.className.match(/ql-(\w+)/) || [])[1];
        var key = name === "list" ? button.value : name;
        if (text[key]) button.setAttribute("aria-label", text[key]);
      });
      toolbar.querySelectorAll(".ql-picker-label").forEach(function (label) {
        label.setAttribute("aria-label", text.header || "");
      });
      translatePickers(toolbar, text);
    }
    translateTooltip(quill.theme.tooltip && quill.theme.tooltip.root, text);
    // The label's for= points at the hidden textarea: send focus to the editor instead.
    var label = document.getElementById(holder.dataset.labelId);
    if (label) label.addEventListener("click", function (e) { e.preventDefault(); quill.focus(); });
    textarea.form.addEventListener("submit", function () {
      // Quill 2's semantic HTML writes every space as &nbsp;, which stops lines from wrapping
      // for trainees; keep only the non-breaking spaces needed to preserve runs of spaces.
      var html = quill.getLength() > 1 ? quill.getSemanticHTML() : "";
      textarea.value = html.replace(/((?:&nbsp;)*)&nbsp;/g, "$1 ");
    });
  }

  /* Quill 2 shows the heading picker's names and the link tooltip's words as CSS content in
     English; give them the page's words in data attributes, which authoring.css shows. */
  function translatePickers(toolbar, text) {
    toolbar.querySelectorAll(".ql-header .ql-picker-item").forEach(function (item) {
      var value = item.getAttribute("data-value");
      var name = value ? text["heading" + value] : text.normal;
      if (name) item.setAttribute("data-label", name);
    });
    toolbar.querySelectorAll(".ql-header .ql-picker-label").forEach(function (label) {
      if (!label.hasAttribute("data-label") && text.normal) label.setAttribute("data-label", text.normal);
    });
  }

  function translateTooltip(tooltip, text) {
    if (!tooltip) return;
    var words = {"data-visit-url": text.visitUrl, "data-enter-link": text.enterLink,
      "data-enter-video": text.enterVideo};
    Object.keys(words).forEach(function (name) { if (words[name]) tooltip.setAttribute(name, words[name]); });
    var action = tooltip.querySelector("a.ql-action");
    if (action && text.edit) action.setAttribute("data-edit", text.edit);
    if (action && text.save) action.setAttribute("data-save", text.save);
    var remove = tooltip.querySelector("a.ql-remove");
    if (remove && text.remove) remove.setAttribute("data-remove", text.remove);
    var input = tooltip.querySelector("input[type=text]");
    if (input) {
      input.setAttribute("data-link", text.linkPlaceholder || "");
      input.setAttribute("data-video", text.linkPlaceholder || "");
      if (text.enterLink) input.setAttribute("aria-label", text.enterLink);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupReorder();
    setupEditor();
  });
})();
