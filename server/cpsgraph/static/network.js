/* The interactive network view (Cytoscape.js). It draws the same JSON that the page's table shows
   (/network/...json), colours edges by relation kind with the legend's colours, and opens a node's page on
   click. The table below the drawing is the text alternative and works without this script. */
(function () {
  "use strict";
  var box = document.getElementById("network-graph");
  if (!box || typeof window.cytoscape !== "function") { return; }
  var status = document.getElementById("network-selected");

  function colour(kind) {
    var swatch = document.querySelector(".swatch-" + kind);
    return swatch ? window.getComputedStyle(swatch).backgroundColor : "#666";
  }

  function draw(data) {
    var elements = [];
    data.nodes.forEach(function (n) {
      elements.push({ data: { id: n.id, label: n.label, kind: n.kind, href: n.href || "", focus: n.focus ? 1 : 0 } });
    });
    data.edges.forEach(function (e, i) {
      elements.push({ data: { id: "e" + i, source: e.source, target: e.target, kind: e.kind,
                              colour: colour(e.kind), caption: e.caption } });
    });
    var big = data.nodes.length > 80;
    var around = data.nodes.some(function (n) { return n.id === data.focus; });
    var cy = window.cytoscape({
      container: box,
      elements: elements,
      maxZoom: 1.4,
      style: [
        { selector: "node", style: { "label": big ? "" : "data(label)", "font-size": 10, "text-wrap": "ellipsis",
          "text-max-width": 120, "background-color": "#5b6b7a", "width": 14, "height": 14, "color": "#1a1a1a" } },
        { selector: "node[kind = 'organization']", style: { "shape": "round-rectangle", "background-color": "#8a5a00" } },
        { selector: "node[focus = 1]", style: { "background-color": "#0b57d0", "width": 20, "height": 20,
          "label": "data(label)", "font-weight": "bold" } },
        { selector: "node:selected", style: { "label": "data(label)", "border-width": 3, "border-color": "#111" } },
        { selector: "edge", style: { "line-color": "data(colour)", "width": 1.5, "curve-style": "bezier",
          "opacity": 0.7 } },
        { selector: "edge:selected", style: { "width": 4, "opacity": 1 } }
      ],
      // Around an actor: the actor in the middle, the others on a ring (a working group is a dense clique
      // that a force layout crushes). Inside a group: a force layout, which separates its clusters.
      layout: around || big
        ? { name: "concentric", animate: false, padding: 30, minNodeSpacing: 18,
            concentric: function (node) { return node.data("id") === data.focus ? 2 : 1; }, levelWidth: function () { return 1; } }
        : { name: "cose", animate: false, padding: 30, randomize: false, nodeRepulsion: function () { return 12000; },
            idealEdgeLength: function () { return 60; } }
    });
    cy.on("tap", "node", function (event) {
      var href = event.target.data("href");
      if (href) { window.location.assign(href); }
    });
    cy.on("tap", "edge", function (event) {
      if (status) { status.textContent = event.target.data("caption"); }
    });
    cy.on("mouseover", "node", function (event) {
      if (status) { status.textContent = event.target.data("label"); }
    });
  }

  fetch(box.getAttribute("data-src"), { headers: { "Accept": "application/json" } })
    .then(function (response) { return response.json(); })
    .then(draw);
})();
