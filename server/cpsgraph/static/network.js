/* The network drawing (Cytoscape.js with the fCoSE layout). It draws the JSON the page's tables show
   (/network/...json): actors coloured by sector, country, subregion or kind (legend below the drawing), shaped
   by kind, sized by how many actors they are linked to; one line per pair and kind of relation, coloured like
   the kind's swatch and as wide as the passages stating it. The focus's own ties come first; the ties among the
   others are faded, shown or hidden. A click opens a side panel with the actor's summary and the evidence of its
   link. The colouring, the ties and the selected actor are kept in the page's address. The layout is the same on
   every load: fCoSE runs on a seeded random-number generator, over the nodes in the server's order.
   The tables below are the text alternative and work without this script. */
(function () {
  "use strict";
  var figure = document.getElementById("network-figure");
  var box = document.getElementById("network-graph");
  if (!figure || !box || typeof window.cytoscape !== "function") { return; }
  if (window.cytoscapeFcose) { window.cytoscape.use(window.cytoscapeFcose); }
  var S = JSON.parse(figure.getAttribute("data-strings") || "{}");
  var toolbar = document.getElementById("network-toolbar");
  var panel = document.getElementById("network-panel");
  var legend = document.getElementById("network-legend");
  var status = document.getElementById("network-selected");
  var controls = { colour: document.getElementById("net-colour"), ties: document.getElementById("net-ties"),
                   find: document.getElementById("net-find") };
  var VIEW = { colour: ["sector", "country", "subregion", "kind"], ties: ["faded", "shown", "hidden"] };
  // Tableau 10, a categorical palette made to be told apart; the rest of the categories share OTHER
  var PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                 "#9c755f", "#79706e"];
  var OTHER = "#d5d9de", NONE = "#ffffff";
  var SEED = "cps-lac";

  function say(key, values) {
    var text = S[key] || key;
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(values[k]); });
    return text;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function kindColour(kind) {
    var swatch = document.querySelector(".swatch-" + kind);
    return swatch ? window.getComputedStyle(swatch).backgroundColor : "#666";
  }

  // -- the view's state, in the address -------------------------------------------------------------------
  var params = new URLSearchParams(window.location.search);
  var state = {
    colour: VIEW.colour.indexOf(params.get("colour")) >= 0 ? params.get("colour") : "sector",
    ties: VIEW.ties.indexOf(params.get("ties")) >= 0 ? params.get("ties") : "faded",
    selected: params.get("selected") || ""
  };

  function remember() {
    var now = new URLSearchParams(window.location.search);
    now.set("colour", state.colour);
    now.set("ties", state.ties);
    if (state.selected) { now.set("selected", state.selected); } else { now.delete("selected"); }
    window.history.replaceState(null, "", window.location.pathname + "?" + now.toString() + window.location.hash);
    var form = document.querySelector("form.net-filters");   // "Apply" keeps the drawing's state
    if (form) {
      ["colour", "ties"].forEach(function (name) {
        var input = form.querySelector("input[type=hidden][name=" + name + "]");
        if (!input) { input = el("input", { type: "hidden", name: name }); form.appendChild(input); }
        input.value = state[name];
      });
    }
  }

  // -- the elements: one node per actor, one edge per pair and kind ----------------------------------------
  function elements(data) {
    var focusIds = {}, nodes = [], edges = {}, order = [];
    data.nodes.forEach(function (n) { if (n.focus) { focusIds[n.id] = true; } });
    var degrees = data.nodes.map(function (n) { return n.degree || 0; });
    var most = Math.max.apply(null, degrees.concat([1])), least = Math.min.apply(null, degrees.concat([most]));
    data.nodes.forEach(function (n) {   // 14 px for the least linked actor of the view, 40 px for the most
      var size = 14 + 26 * Math.sqrt(((n.degree || 0) - least) / Math.max(1, most - least));
      nodes.push({ group: "nodes", data: { id: n.id, label: n.label, kind: n.kind, href: n.href || "",
        network: n.network || "", focus: n.focus ? 1 : 0, size: n.focus ? Math.max(size, 30) : size,
        degree: n.degree || 0, sector: n.sector || "", country: n.country || "", subregion: n.subregion || "",
        organization: n.organization || "", working_group: n.working_group || "", role: n.role || "" } });
    });
    data.edges.forEach(function (e) {
      var key = e.source + "\u0000" + e.target + "\u0000" + e.kind;
      var edge = edges[key];
      if (!edge) {
        edge = edges[key] = { source: e.source, target: e.target, kind: e.kind, label: e.label, weight: 0,
                              captions: [], passages: {} };
        order.push(key);
      }
      edge.weight += e.weight || 1;
      edge.captions.push(e.caption);
      (e.passages || []).forEach(function (p) { edge.passages[p] = true; });
    });
    var heaviest = 1;
    order.forEach(function (key) { heaviest = Math.max(heaviest, edges[key].weight); });
    var list = order.map(function (key, i) {
      var e = edges[key];
      var own = focusIds[e.source] || focusIds[e.target];
      return { group: "edges", classes: own ? "own" : "among", data: { id: "e" + i, source: e.source,
        target: e.target, kind: e.kind, label: e.label, colour: kindColour(e.kind), weight: e.weight,
        width: 1.5 + 4.5 * (e.weight - 1) / Math.max(1, heaviest - 1), captions: e.captions,
        passages: Object.keys(e.passages).sort() } };
    });
    return { nodes: nodes, edges: list, focusIds: focusIds };
  }

  // -- colours by an attribute: the ten most frequent values in the view, then "others" -------------------
  function categories(cy, attribute) {
    var counts = {};
    cy.nodes().forEach(function (node) {
      var value = attribute === "kind" ? say("shape." + node.data("kind")) : node.data(attribute);
      counts[value] = (counts[value] || 0) + 1;
    });
    var values = Object.keys(counts).filter(function (v) { return v !== ""; }).sort(function (a, b) {
      return counts[b] - counts[a] || a.localeCompare(b);
    });
    var colours = {}, rows = [], others = 0;
    values.forEach(function (value, i) {
      if (i < PALETTE.length) { colours[value] = PALETTE[i]; rows.push([value, PALETTE[i], counts[value]]); }
      else { colours[value] = OTHER; others += counts[value]; }
    });
    if (others) { rows.push([say("other"), OTHER, others]); }
    if (counts[""]) { colours[""] = NONE; rows.push([say("not_stated"), NONE, counts[""]]); }
    return { colours: colours, rows: rows };
  }

  function paint(cy) {
    var found = categories(cy, state.colour);
    cy.batch(function () {
      cy.nodes().forEach(function (node) {
        var value = state.colour === "kind" ? say("shape." + node.data("kind")) : node.data(state.colour);
        node.data("fill", found.colours[value] || OTHER);
      });
      cy.edges(".among").forEach(function (edge) {
        edge.removeClass("faded hidden");
        if (state.ties !== "shown") { edge.addClass(state.ties); }
      });
    });
    drawLegend(cy, found.rows);
  }

  function drawLegend(cy, rows) {
    legend.textContent = "";
    var colour = el("div", { "class": "legend-part" });
    colour.appendChild(el("h3", {}, say("legend.colour", { what: say("attr." + state.colour) })));
    var list = el("ul", { "class": "legend-list" });
    rows.forEach(function (row) {
      var item = el("li");
      var dot = el("span", { "class": "legend-dot", "aria-hidden": "true" });
      dot.style.background = row[1];
      item.appendChild(dot);
      item.appendChild(document.createTextNode(" " + row[0] + " (" + row[2] + ")"));
      list.appendChild(item);
    });
    colour.appendChild(list);
    legend.appendChild(colour);

    var shape = el("div", { "class": "legend-part" });
    shape.appendChild(el("h3", {}, say("legend.shape")));
    var shapes = el("ul", { "class": "legend-list" });
    [["person", "legend-dot"], ["organization", "legend-dot square"]].forEach(function (pair) {
      if (!cy.nodes("[kind = '" + pair[0] + "']").length) { return; }
      var item = el("li");
      item.appendChild(el("span", { "class": pair[1] + " outline", "aria-hidden": "true" }));
      item.appendChild(document.createTextNode(" " + say("shape." + pair[0])));
      shapes.appendChild(item);
    });
    shape.appendChild(shapes);
    shape.appendChild(el("p", {}, say("legend.size")));
    legend.appendChild(shape);

    var lines = el("div", { "class": "legend-part" });
    lines.appendChild(el("h3", {}, say("legend.lines")));
    var kinds = el("ul", { "class": "legend-list" }), seen = {};
    cy.edges().forEach(function (edge) {
      var kind = edge.data("kind");
      if (seen[kind]) { seen[kind].n += 1; return; }
      seen[kind] = { n: 1, label: edge.data("label"), colour: edge.data("colour") };
    });
    Object.keys(seen).forEach(function (kind) {
      var item = el("li");
      var line = el("span", { "class": "legend-line", "aria-hidden": "true" });
      line.style.background = seen[kind].colour;
      item.appendChild(line);
      item.appendChild(document.createTextNode(" " + seen[kind].label + " (" + seen[kind].n + ")"));
      kinds.appendChild(item);
    });
    lines.appendChild(kinds);
    if (cy.edges(".among").length && state.ties === "faded") {
      lines.appendChild(el("p", {}, say("legend.faded", { focus: figure.getAttribute("data-focus-label") || "" })));
    }
    legend.appendChild(lines);
  }

  // -- the side panel ----------------------------------------------------------------------------------------
  function closePanel(cy) {
    var was = !panel.hidden;
    panel.hidden = true;
    panel.textContent = "";
    if (was) { cy.resize(); }
    cy.elements().unselect();
    state.selected = "";
    remember();
  }

  function panelFrame(cy, title) {
    panel.textContent = "";
    var opening = panel.hidden;
    panel.hidden = false;
    if (opening) { cy.resize(); }
    var head = el("div", { "class": "panel-head" });
    head.appendChild(el("h3", { id: "network-panel-title" }, title));
    var close = el("button", { type: "button", "class": "panel-close", "aria-label": say("close") }, "×");
    close.addEventListener("click", function () { closePanel(cy); controls.find.focus(); });
    head.appendChild(close);
    panel.appendChild(head);
  }

  function evidenceList(edges, limit) {
    var list = el("ul", { "class": "panel-evidence" });
    var shown = 0, total = 0;
    edges.forEach(function (edge) {
      edge.data("captions").forEach(function (caption, i) {
        total += 1;
        if (shown >= limit) { return; }
        shown += 1;
        var item = el("li", {}, caption);
        if (i === edge.data("captions").length - 1 && edge.data("passages").length) {
          item.appendChild(el("span", { "class": "passages" }, " — " + say("passages") + ": " +
                                                                  edge.data("passages").join("; ")));
        }
        list.appendChild(item);
      });
    });
    if (total > shown) { list.appendChild(el("li", { "class": "muted" }, say("panel.more", { n: total - shown }))); }
    return list;
  }

  function showNode(cy, node, focusLabel) {
    panelFrame(cy, node.data("label"));
    var tag = el("p");
    tag.appendChild(el("span", { "class": "kind-tag" }, say("shape." + node.data("kind"))));
    panel.appendChild(tag);
    var facts = el("dl", { "class": "panel-facts" });
    ["country", "subregion", "sector", "organization", "working_group", "role"].forEach(function (name) {
      if (!node.data(name)) { return; }
      var row = el("div");
      row.appendChild(el("dt", {}, say("attr." + name)));
      row.appendChild(el("dd", {}, node.data(name)));
      facts.appendChild(row);
    });
    panel.appendChild(facts);
    panel.appendChild(el("p", {}, say("degree", { n: node.data("degree") })));
    var links = el("p", { "class": "panel-links" });
    if (node.data("href")) { links.appendChild(el("a", { href: node.data("href") }, say("panel.page"))); }
    if (node.data("network")) {
      links.appendChild(document.createTextNode(" · "));
      links.appendChild(el("a", { href: node.data("network") }, say("panel.network")));
    }
    panel.appendChild(links);
    var toFocus = node.data("focus") ? cy.collection() : node.connectedEdges().filter(function (edge) {
      return edge.source().data("focus") || edge.target().data("focus");
    });
    var edges = toFocus.length ? toFocus : node.connectedEdges();
    panel.appendChild(el("h4", {}, toFocus.length ? say("panel.why", { focus: focusLabel }) : say("panel.links")));
    panel.appendChild(evidenceList(edges, 12));
    status.textContent = say("selected.node", { label: node.data("label") });
  }

  function showEdge(cy, edge) {
    panelFrame(cy, edge.source().data("label") + " — " + edge.target().data("label"));
    var tag = el("p");
    tag.appendChild(el("span", { "class": "kind-tag" }, edge.data("label")));
    panel.appendChild(tag);
    panel.appendChild(evidenceList(edge, 50));
    status.textContent = say("selected.edge", { label: edge.data("label") });
  }

  // -- downloads of the picture ------------------------------------------------------------------------------
  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = el("a", { href: url, download: name });
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  // The drawing as SVG, written from what Cytoscape.js lays out and styles: the visible lines (as straight or
  // quadratic paths between their endpoints), the actors (circles and rounded rectangles) and every name.
  function xml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" }[c];
    });
  }

  function toSvg(cy) {
    var shown = cy.elements(":visible"), bb = shown.boundingBox({ includeLabels: true }), pad = 20;
    var out = ['<svg xmlns="http://www.w3.org/2000/svg" width="' + Math.ceil(bb.w + 2 * pad) + '" height="' +
      Math.ceil(bb.h + 2 * pad) + '" viewBox="' + [bb.x1 - pad, bb.y1 - pad, bb.w + 2 * pad, bb.h + 2 * pad].join(" ") +
      '" font-family="system-ui, sans-serif">', "<title>" + xml(document.querySelector("h1").textContent) + "</title>",
      '<rect x="' + (bb.x1 - pad) + '" y="' + (bb.y1 - pad) + '" width="' + (bb.w + 2 * pad) + '" height="' +
      (bb.h + 2 * pad) + '" fill="#ffffff"/>'];
    shown.edges().forEach(function (edge) {
      var a = edge.sourceEndpoint(), b = edge.targetEndpoint(), c = edge.controlPoints();
      var d = "M" + a.x + " " + a.y + (c && c.length ? " Q" + c[0].x + " " + c[0].y + " " : " L") + b.x + " " + b.y;
      out.push('<path d="' + d + '" fill="none" stroke="' + edge.style("line-color") + '" stroke-width="' +
        parseFloat(edge.style("width")) + '" stroke-opacity="' + edge.style("opacity") + '"><title>' +
        xml(edge.data("label")) + "</title></path>");
    });
    shown.nodes().forEach(function (node) {
      var p = node.position(), w = node.width(), h = node.height();
      var paint = ' fill="' + node.style("background-color") + '" stroke="' + node.style("border-color") +
        '" stroke-width="' + parseFloat(node.style("border-width")) + '"';
      out.push(node.style("shape") === "round-rectangle"
        ? '<rect x="' + (p.x - w / 2) + '" y="' + (p.y - h / 2) + '" width="' + w + '" height="' + h + '" rx="' + (w / 5) + '"' + paint + "/>"
        : '<ellipse cx="' + p.x + '" cy="' + p.y + '" rx="' + w / 2 + '" ry="' + h / 2 + '"' + paint + "/>");
      out.push('<text x="' + p.x + '" y="' + (p.y + h / 2 + 12) + '" text-anchor="middle" font-size="10" fill="#1a1a1a"' +
        (node.data("focus") ? ' font-weight="bold"' : "") + ">" + xml(node.data("label")) + "</text>");
    });
    out.push("</svg>");
    return out.join("\n");
  }

  function draw(data) {
    var built = elements(data);
    var focusNode = data.nodes.filter(function (n) { return n.id === data.focus; })[0];
    var focusLabel = focusNode ? focusNode.label : document.querySelector("h1").textContent;
    figure.setAttribute("data-focus-label", focusLabel);
    var few = built.edges.length <= 25;   // captions on the lines while they can be read
    var labelled = {};   // the focus and the most linked actors carry their names at any zoom
    built.nodes.slice().sort(function (a, b) { return b.data.degree - a.data.degree || (a.data.id < b.data.id ? -1 : 1); })
      .slice(0, 12).forEach(function (n) { labelled[n.data.id] = true; });
    built.nodes.forEach(function (n) { if (labelled[n.data.id] || n.data.focus) { n.classes = "named"; } });
    var cy = window.cytoscape({
      container: box,
      elements: built.nodes.concat(built.edges),
      minZoom: 0.1,
      maxZoom: 4,
      wheelSensitivity: 0.3,
      style: [
        { selector: "node", style: { "label": "data(label)", "font-size": 10, "min-zoomed-font-size": 11,
          "text-wrap": "ellipsis", "text-max-width": 130, "text-valign": "bottom", "text-margin-y": 3,
          "text-background-color": "#fff", "text-background-opacity": 0.8, "text-background-padding": 1,
          "background-color": "data(fill)", "width": "data(size)", "height": "data(size)", "color": "#1a1a1a",
          "border-width": 1, "border-color": "#4d5560" } },
        { selector: "node.named", style: { "min-zoomed-font-size": 0, "font-size": 11 } },
        { selector: "node[kind = 'organization']", style: { "shape": "round-rectangle" } },
        { selector: "node[focus = 1]", style: { "border-width": 4, "border-color": "#12355b", "font-weight": "bold" } },
        { selector: "node:selected", style: { "border-width": 4, "border-color": "#c24e00", "min-zoomed-font-size": 0 } },
        { selector: "edge", style: { "line-color": "data(colour)", "width": "data(width)", "curve-style": "bezier",
          "opacity": 0.85, "label": few ? "data(label)" : "", "font-size": 8, "color": "#4d5560",
          "text-rotation": "autorotate", "text-background-color": "#fff", "text-background-opacity": 0.8,
          "min-zoomed-font-size": 7 } },
        { selector: "edge.among", style: { "opacity": 0.6 } },
        { selector: "edge.faded", style: { "opacity": 0.12, "label": "" } },
        { selector: "edge.hidden", style: { "display": "none" } },
        { selector: "edge:selected", style: { "width": 6, "opacity": 1, "label": "data(label)", "z-index": 10 } }
      ],
      layout: { name: "preset" }
    });
    window.cpsNetwork = cy;   // for the browser tests (positions, legend) and the curious

    // fCoSE, made deterministic: Math.random is a seeded generator while it runs (it runs synchronously)
    var fixed = Object.keys(built.focusIds).length === 1 ? [{ nodeId: Object.keys(built.focusIds)[0], position: { x: 0, y: 0 } }] : undefined;
    var random = Math.random;
    if (typeof Math.seedrandom === "function") { Math.random = new Math.seedrandom(SEED); }
    try {
      cy.layout(window.cytoscapeFcose ? {
        name: "fcose", quality: "proof", randomize: true, animate: false, fit: true, padding: 24,
        nodeDimensionsIncludeLabels: false, packComponents: true, nodeSeparation: 140, numIter: 2500,
        nodeRepulsion: function () { return 30000; },
        idealEdgeLength: function (edge) { return edge.hasClass("own") ? 150 : 230; },
        edgeElasticity: function (edge) { return edge.hasClass("own") ? 0.45 : 0.05; },
        gravity: 0.15, tilingPaddingVertical: 40, tilingPaddingHorizontal: 120, fixedNodeConstraint: fixed
      } : { name: "concentric", animate: false }).run();
    } finally {
      Math.random = random;
    }

    built.nodes.slice().sort(function (a, b) { return a.data.label.localeCompare(b.data.label); })
      .forEach(function (n) { controls.find.appendChild(el("option", { value: n.data.id }, n.data.label)); });
    controls.colour.value = state.colour;
    controls.ties.value = state.ties;
    paint(cy);

    function select(element) {
      cy.elements().unselect();
      element.select();
      if (element.isNode()) {
        state.selected = element.id();
        controls.find.value = element.id();
        showNode(cy, element, focusLabel);
      } else {
        state.selected = "";
        showEdge(cy, element);
      }
      remember();
    }

    cy.on("tap", "node", function (event) { select(event.target); });
    cy.on("tap", "edge", function (event) { select(event.target); });
    cy.on("tap", function (event) { if (event.target === cy) { closePanel(cy); } });
    cy.on("mouseover", "node", function (event) { status.textContent = event.target.data("label"); });
    controls.colour.addEventListener("change", function () { state.colour = controls.colour.value; paint(cy); remember(); });
    controls.ties.addEventListener("change", function () { state.ties = controls.ties.value; paint(cy); remember(); });
    controls.find.addEventListener("change", function () {
      var node = controls.find.value ? cy.getElementById(controls.find.value) : null;
      if (node && node.length) {
        select(node);
        cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 200 });
        panel.focus();
      } else { closePanel(cy); }
    });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { closePanel(cy); controls.find.focus(); }
    });
    document.getElementById("net-zoom-in").addEventListener("click", function () {
      cy.zoom({ level: cy.zoom() * 1.25, renderedPosition: { x: box.clientWidth / 2, y: box.clientHeight / 2 } });
    });
    document.getElementById("net-zoom-out").addEventListener("click", function () {
      cy.zoom({ level: cy.zoom() / 1.25, renderedPosition: { x: box.clientWidth / 2, y: box.clientHeight / 2 } });
    });
    document.getElementById("net-fit").addEventListener("click", function () { cy.fit(undefined, 24); });
    var full = document.getElementById("net-full");
    full.addEventListener("click", function () {
      if (document.fullscreenElement) { document.exitFullscreen(); }
      else if (figure.requestFullscreen) { figure.requestFullscreen(); }
    });
    document.addEventListener("fullscreenchange", function () {
      full.setAttribute("aria-pressed", document.fullscreenElement === figure ? "true" : "false");
      window.setTimeout(function () { cy.resize(); cy.fit(undefined, 24); }, 50);
    });
    var file = figure.getAttribute("data-file") || "network";
    document.getElementById("net-png").addEventListener("click", function () {
      save(cy.png({ full: true, scale: 2, bg: "#ffffff", output: "blob" }), file + ".png");
    });
    document.getElementById("net-svg").addEventListener("click", function () {
      save(new Blob([toSvg(cy)], { type: "image/svg+xml" }), file + ".svg");
    });

    toolbar.hidden = false;
    if (state.selected && cy.getElementById(state.selected).length) { select(cy.getElementById(state.selected)); }
    remember();
    box.setAttribute("data-drawn", String(cy.nodes().length));
  }

  fetch(box.getAttribute("data-src"), { headers: { "Accept": "application/json" } })
    .then(function (response) { return response.json(); })
    .then(draw);
})();
