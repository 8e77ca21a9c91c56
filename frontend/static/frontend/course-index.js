// The course index is a closed <details> drawer on phones (works without JS); on wider
// screens it is a sidebar, so open it there.
(function () {
  var drawer = document.getElementById("course-index");
  if (drawer && window.matchMedia("(min-width: 60em)").matches) drawer.open = true;
})();
