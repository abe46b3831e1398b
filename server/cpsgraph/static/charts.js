/* The charts of a page (charts.py writes each Vega-Lite specification into its element's data-spec): drawn by
   vega-embed, as SVG, with Vega's expression interpreter (`ast`), so the page's Content-Security-Policy needs no
   'unsafe-eval'. Every chart has its data as a table beside it, which works without this script.
   Vega names the parts of a chart in English (aria-roledescription "axis", "legend", "rect mark container"):
   those words are put in the page's language from data-roles, after each drawing. */
(function () {
  "use strict";
  if (typeof window.vegaEmbed !== "function") { return; }

  function roleWord(roles, said) {
    if (said === "axis" || said === "legend") { return roles[said]; }
    if (/ mark container$/.test(said)) { return roles.marks; }
    if (/ mark$/.test(said)) { return roles.mark; }
    return null;
  }

  function translate(box, roles) {
    box.querySelectorAll("[aria-roledescription]").forEach(function (el) {
      var word = roleWord(roles, el.getAttribute("aria-roledescription"));
      if (word && el.getAttribute("aria-roledescription") !== word) { el.setAttribute("aria-roledescription", word); }
    });
    var svg = box.querySelector("svg");
    if (svg && svg.getAttribute("aria-roledescription") !== roles.chart) {
      svg.setAttribute("aria-roledescription", roles.chart);
    }
  }

  document.querySelectorAll(".chart[data-spec]").forEach(function (box) {
    var spec = JSON.parse(box.getAttribute("data-spec"));
    var roles = JSON.parse(box.getAttribute("data-roles") || "{}");
    window.vegaEmbed(box, spec, { ast: true, actions: false, renderer: "svg" })
      .then(function () {
        translate(box, roles);
        // Vega redraws its SVG when the box is resized: translate again after each redraw (a word set once is
        // left alone, so this observer does not wake itself)
        new MutationObserver(function () { translate(box, roles); })
          .observe(box, { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-roledescription"] });
        box.setAttribute("data-drawn", "true");
      })
      .catch(function (error) { box.setAttribute("data-error", String(error)); });
  });
})();
