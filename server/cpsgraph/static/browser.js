// Every page's small script (no inline script: the CSP forbids it). On a narrow screen the list filters start
// folded, so the list itself comes first; without this script they stay open, as on a wide screen.
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 50rem)");
  function fold() {
    document.querySelectorAll("details.fold").forEach(function (details) { details.open = !narrow.matches; });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", fold); } else { fold(); }
  if (narrow.addEventListener) { narrow.addEventListener("change", fold); }
})();
