/* Destructive actions: a form with data-confirm asks in a <dialog> before it is sent. Without
   this script (or without <dialog>) the server asks on a page of its own (frontend/confirm.py). */
(function () {
  "use strict";
  function send(form) {
    var flag = document.createElement("input");
    flag.type = "hidden"; flag.name = "confirmed"; flag.value = "1";
    form.appendChild(flag);
    form.submit();
  }
  function ask(form) {
    var dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "confirm-dialog-title");
    var box = document.createElement("form");
    box.method = "dialog";
    var title = document.createElement("h2");
    title.id = "confirm-dialog-title";
    title.textContent = form.dataset.confirm;
    box.appendChild(title);
    if (form.dataset.confirmDetail) {
      var p = document.createElement("p");
      p.textContent = form.dataset.confirmDetail;
      box.appendChild(p);
    }
    var no = document.createElement("button");
    no.value = "cancel"; no.className = "secondary"; no.textContent = form.dataset.confirmNo;
    var yes = document.createElement("button");
    yes.value = "ok"; yes.className = "danger"; yes.textContent = form.dataset.confirmYes;
    box.appendChild(yes); box.appendChild(document.createTextNode(" ")); box.appendChild(no);
    dialog.appendChild(box);
    document.body.appendChild(dialog);
    dialog.addEventListener("close", function () {
      var ok = dialog.returnValue === "ok";
      dialog.remove();
      if (ok) send(form); else if (form.querySelector("button")) form.querySelector("button").focus();
    });
    dialog.showModal();
    no.focus();
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.dataset || !form.dataset.confirm || typeof HTMLDialogElement !== "function") return;
    if (!form.checkValidity()) return;
    event.preventDefault();
    ask(form);
  });
})();
