// The course index is a closed <details> drawer on phones (works without JS); on wider
// screens it is a sidebar, so open it there, and follow the width when it changes
// (a tablet turned, a window resized).
(function () {
  var drawer = document.getElementById("course-index");
  var wide = window.matchMedia("(min-width: 60em)");
  if (!drawer) return;
  function follow() { drawer.open = wide.matches; }
  follow();
  wide.addEventListener("change", follow);
})();
