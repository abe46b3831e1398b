/* The charts of a page (charts.py writes each Vega-Lite specification into its element's data-spec): drawn by
   vega-embed, as SVG, with Vega's expression interpreter (`ast`), so the page's Content-Security-Policy needs no
   'unsafe-eval'. Every chart has its data as a table beside it, which works without this script. */
(function () {
  "use strict";
  if (typeof window.vegaEmbed !== "function") { return; }
  document.querySelectorAll(".chart[data-spec]").forEach(function (box) {
    var spec = JSON.parse(box.getAttribute("data-spec"));
    window.vegaEmbed(box, spec, { ast: true, actions: false, renderer: "svg" })
      .then(function () { box.setAttribute("data-drawn", "true"); })
      .catch(function (error) { box.setAttribute("data-error", String(error)); });
  });
})();
