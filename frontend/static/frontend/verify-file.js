/* Verify this file: the whole drop area takes a dropped file, and shows the chosen file's name.
   Without this script the form still works: the file input (which browsers also let you drop
   onto) and the button send the same multipart form. */
(function () {
  "use strict";
  var zone = document.getElementById("dropzone");
  var input = document.getElementById("file");
  if (!zone || !input) { return; }
  var hint = document.getElementById("drop-hint");
  var name = document.getElementById("file-name");
  if (hint) { hint.hidden = false; }
  zone.classList.add("is-enhanced");

  function showName() {
    name.textContent = input.files && input.files.length ? input.files[0].name : "";
  }
  function stop(event) { event.preventDefault(); event.stopPropagation(); }

  ["dragenter", "dragover"].forEach(function (type) {
    zone.addEventListener(type, function (event) {
      stop(event);
      zone.classList.add("is-dragging");
    });
  });
  ["dragleave", "dragend"].forEach(function (type) {
    zone.addEventListener(type, function () { zone.classList.remove("is-dragging"); });
  });
  zone.addEventListener("drop", function (event) {
    stop(event);
    zone.classList.remove("is-dragging");
    var files = event.dataTransfer && event.dataTransfer.files;
    if (!files || !files.length) { return; }
    try {
      input.files = files; // a FileList from a drop can be given to the input (all current browsers)
    } catch (e) {
      return;
    }
    showName();
    var submit = document.getElementById("verify-file-submit");
    if (submit) { submit.focus(); }
  });
  input.addEventListener("change", showName);
})();
