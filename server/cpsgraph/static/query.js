/* The SPARQL editor (YASGUI), offline: completion from our own prefixes, classes and properties instead of
   prefix.cc and LOV, the examples of queries/, result tables with the label beside each IRI of ours and
   links to our pages. Everything it needs comes from /query/config.json. */
(function () {
  "use strict";
  var root = document.getElementById("yasgui");
  if (!root || typeof window.Yasgui !== "function") { return; }
  var labels = new Map();
  var raw = document.getElementById("query-raw") || { checked: false };

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function offlineCompletion(Yasqe, config) {
    var prefixes = Object.keys(config.prefixes).sort().map(function (p) { return p + ": <" + config.prefixes[p] + ">"; });
    Yasqe.forkAutocompleter("prefixes", { name: "cps-prefixes", persistenceId: null,
      get: function () { return Promise.resolve(prefixes); } }, false);
    Yasqe.forkAutocompleter("class", { name: "cps-classes", bulk: true, persistenceId: null,
      get: function () { return Promise.resolve(config.classes); } }, false);
    Yasqe.forkAutocompleter("property", { name: "cps-properties", bulk: true, persistenceId: null,
      get: function () { return Promise.resolve(config.properties); } }, false);
    Yasqe.defaults.autocompleters = ["variables", "cps-prefixes", "cps-classes", "cps-properties"];
    // The editor grows with its query instead of scrolling inside the page: an inner scroll region would be
    // out of the keyboard's reach. (Set on the defaults: each tab passes its own, undefined, height.)
    Yasqe.defaults.editorHeight = "auto";
    Yasqe.defaults.resizeable = false;
  }

  function labelledCells(Yasr, config) {
    var table = Yasr.plugins.table.prototype;
    var link = table.getUriLinkFromBinding;
    table.getUriLinkFromBinding = function (binding, prefixes) {
      var html = link.call(this, binding, prefixes);
      if (binding.value.indexOf(config.pagePrefix) === 0) {
        var local = config.pagePath + binding.value.slice(config.pagePrefix.length);
        html = html.split('href="' + binding.value + '"').join('href="' + escapeHtml(local) + '"');
      }
      return html;
    };
    var cell = table.getCellContent;
    table.getCellContent = function (binding, prefixes) {
      if (raw.checked) {    // YASR's own cell (the IRI, or the literal with its datatype or language), then the label
        var html = cell.call(this, binding, prefixes);
        if (binding.type === "uri" && labels.has(binding.value)) {
          html = html.replace(/<\/div>$/, ' <span class="iri-label">' + escapeHtml(labels.get(binding.value)) + "</span></div>");
        }
        return html;
      }
      // By default a reader sees words: an IRI as its label (the IRI in its title), a literal as its text
      if (binding.type === "uri") {
        var href = binding.value.indexOf(config.pagePrefix) === 0
          ? config.pagePath + binding.value.slice(config.pagePrefix.length) : binding.value;
        var text = labels.has(binding.value) ? '<span class="iri-label">' + escapeHtml(labels.get(binding.value)) + "</span>"
          : escapeHtml(shortened(binding.value, prefixes));
        return "<div><span><a class='iri' href='" + escapeHtml(href) + "' title='" + escapeHtml(binding.value) + "'>" +
          text + "</a></span></div>";
      }
      return "<div><span class='nonIri'>" + escapeHtml(binding.value) + "</span></div>";
    };
  }

  function shortened(iri, prefixes) {
    var names = Object.keys(prefixes || {});
    for (var i = 0; i < names.length; i += 1) {
      if (iri.indexOf(prefixes[names[i]]) === 0) { return names[i] + ":" + iri.slice(prefixes[names[i]].length); }
    }
    return iri;
  }

  // -- a chart of the results (Vega-Lite, served by us): one bar per row, a numeric column as its length ----
  function chartResults(config, yasr) {
    var section = document.getElementById("query-chart");
    if (!section || typeof window.vegaEmbed !== "function") { return; }
    var vars = (yasr.results && yasr.results.getVariables && yasr.results.getVariables()) || [];
    var rows = (yasr.results && yasr.results.getBindings && yasr.results.getBindings()) || [];
    var numeric = vars.filter(function (v) {
      return rows.length && rows.every(function (row) { return row[v] && row[v].type !== "uri" && row[v].value !== "" && !isNaN(Number(row[v].value)); });
    });
    var named = vars.filter(function (v) { return numeric.indexOf(v) < 0; });
    if (!numeric.length || !named.length || rows.length > 2000) { section.hidden = true; return; }
    var category = document.getElementById("chart-category"), value = document.getElementById("chart-value");
    function fill(select, options, preferred) {
      var keep = options.indexOf(select.value) >= 0 ? select.value : preferred;
      select.textContent = "";
      options.forEach(function (v) {
        var option = document.createElement("option");
        option.value = v;
        option.textContent = "?" + v;
        select.appendChild(option);
      });
      select.value = keep;
    }
    // the bars are named by the first column with a label (else the first non-numeric one)
    var labelled = named.filter(function (v) { return rows.some(function (row) { return row[v] && labels.has(row[v].value); }); });
    fill(category, named, labelled[0] || named[0]);
    fill(value, numeric, numeric[0]);
    function draw() {
      var c = category.value, n = value.value;
      var values = rows.map(function (row) {
        var term = row[c];
        var name = !term ? "—" : (term.type === "uri" ? (labels.get(term.value) || shortened(term.value, config.prefixes)) : term.value);
        return { name: name, value: Number(row[n] ? row[n].value : 0) };
      });
      var spec = {
        $schema: "https://vega.github.io/schema/vega-lite/v6.json",
        description: section.querySelector("h2").textContent + ": ?" + n + " / ?" + c,
        data: { values: values }, width: "container", height: { step: 18 },
        mark: { type: "bar", color: "#0b4fb3", tooltip: true },
        encoding: {
          y: { field: "name", type: "nominal", sort: "-x", title: "?" + c, axis: { labelLimit: 260 } },
          x: { field: "value", type: "quantitative", title: "?" + n }
        }
      };
      window.vegaEmbed("#query-chart-view", spec, { ast: true, actions: false, renderer: "svg" })
        .then(function () { section.setAttribute("data-drawn", String(values.length)); });
    }
    category.onchange = draw;
    value.onchange = draw;
    section.hidden = false;
    draw();
  }

  function fetchLabels(config, yasr) {
    var bindings = (yasr.results && yasr.results.getBindings && yasr.results.getBindings()) || [];
    var wanted = new Set();
    bindings.forEach(function (row) {
      Object.keys(row).forEach(function (name) {
        var term = row[name];
        if (term && term.type === "uri" && !labels.has(term.value) && /^https?:\/\/[^\s<>"{}|\\^`]+$/.test(term.value)) {
          wanted.add(term.value);
        }
      });
    });
    if (!wanted.size) { chartResults(config, yasr); return; }
    var values = Array.from(wanted).slice(0, 500).map(function (iri) { return "<" + iri + ">"; }).join(" ");
    var query = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT ?iri ?label WHERE { VALUES ?iri { " +
      values + " } ?iri rdfs:label ?label FILTER(LANG(?label) = \"" + config.lang + "\" || LANG(?label) = \"\") }";
    fetch(config.endpoint, { method: "POST", headers: { "Accept": "application/sparql-results+json",
      "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ query: query }) })
      .then(function (response) { return response.ok ? response.json() : { results: { bindings: [] } }; })
      .then(function (json) {
        json.results.bindings.forEach(function (b) { labels.set(b.iri.value, b.label.value); });
        yasr.draw();
        chartResults(config, yasr);
      });
  }

  // YASGUI leaves its query textarea, its endpoint field and its result table's controls without an
  // accessible name; name them, now and whenever YASGUI draws them again.
  var names = { "textarea": "data-label-query", "input.autocomplete": "data-label-endpoint",
                "select.tableSizer": "data-label-rows", "input.tableFilter": "data-label-filter" };
  function nameControls() {
    Object.keys(names).forEach(function (selector) {
      root.querySelectorAll(selector + ":not([aria-label])").forEach(function (el) {
        el.setAttribute("aria-label", root.getAttribute(names[selector]));
      });
    });
  }

  // YASGUI has no translations: its texts, titles, labels and placeholders in the page's language
  // (config.ui: English -> the catalogue's words; config.uiPatterns: [regular expression, replacement]).
  function translate(config) {
    var words = config.ui || {}, patterns = (config.uiPatterns || []).map(function (p) { return [new RegExp(p[0]), p[1]]; });
    if (!Object.keys(words).length) { return function () {}; }
    function say(text) {
      var bare = text.trim();
      if (!bare) { return null; }
      if (Object.prototype.hasOwnProperty.call(words, bare)) { return text.replace(bare, words[bare]); }
      for (var i = 0; i < patterns.length; i++) {
        if (patterns[i][0].test(bare)) { return text.replace(bare, bare.replace(patterns[i][0], patterns[i][1])); }
      }
      return null;
    }
    return function () {
      var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
        acceptNode: function (node) {
          return node.parentElement && node.parentElement.closest(".CodeMirror, .yasr_results tbody, pre")
            ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
        }
      });
      for (var node = walker.nextNode(); node; node = walker.nextNode()) {
        var said = say(node.nodeValue);
        if (said !== null && said !== node.nodeValue) { node.nodeValue = said; }
      }
      root.querySelectorAll("[title], [aria-label], [placeholder]").forEach(function (el) {
        ["title", "aria-label", "placeholder"].forEach(function (name) {
          var value = el.getAttribute(name), said = value && say(value);
          if (said && said !== value) { el.setAttribute(name, said); }
        });
      });
    };
  }

  // An error from the endpoint as the service says it (web/errors.py): in the reader's language when the
  // answer carries `localized` (the editor's requests carry the page's language), the engine's own text
  // beside it, marked as the engine's and as English; YASR's own rendering only for what is not ours.
  function ourError(error) {
    var said;
    try { said = JSON.parse(error.text || ""); } catch (e) { return Promise.resolve(undefined); }
    if (!said || typeof said.message !== "string" || typeof said.status !== "number") { return Promise.resolve(undefined); }
    var local = said.localized || {};
    var box = document.createElement("div");
    box.className = "query-error";
    box.setAttribute("role", "alert");
    var title = document.createElement("p");
    title.className = "query-error-title";
    title.textContent = (local.title || said.title) + " (" + said.status + ")";
    box.appendChild(title);
    var message = document.createElement("p");
    message.className = "query-error-message";
    message.textContent = local.message || said.message;
    box.appendChild(message);
    if (local.engine) {
      var label = document.createElement("p");
      label.className = "query-error-engine-label";
      label.textContent = local.engine_label;
      var engine = document.createElement("pre");
      engine.className = "query-error-engine";
      engine.lang = "en";
      engine.textContent = local.engine;
      box.appendChild(label);
      box.appendChild(engine);
    }
    return Promise.resolve(box);
  }

  function openExample(yasgui, config, name, bound) {
    var example = config.examples.filter(function (e) { return e.name === name; })[0];
    if (!example) { return; }
    var tab = yasgui.getTab();
    tab.setQuery(bound || example.text);   // a chart's link gives the text with its page's value bound
    tab.setName(example.title);
    root.scrollIntoView();
  }

  fetch(root.getAttribute("data-config")).then(function (r) { return r.json(); }).then(function (config) {
    config.lang = document.documentElement.lang || "en";
    offlineCompletion(window.Yasgui.Yasqe, config);
    labelledCells(window.Yasgui.Yasr, config);
    // a first visit opens one of our examples, not YASGUI's `?sub ?pred ?obj`
    var first = config.examples.filter(function (e) { return e.name === root.getAttribute("data-default"); })[0];
    if (first) { window.Yasgui.Yasqe.defaults.value = first.text; }
    window.Yasgui.Yasr.defaults.errorRenderers = [ourError];
    var yasgui = new window.Yasgui(root, {
      // results as YASR reads them; an error as JSON (the service's error shape, with `localized`)
      requestConfig: { endpoint: config.endpoint, method: "POST",
                       acceptHeaderSelect: "application/sparql-results+json,application/json;q=0.5",
                       acceptHeaderGraph: "text/turtle,application/n-triples;q=0.9,application/json;q=0.1",
                       headers: { "Accept-Language": config.lang } },
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; }, keys: [] },
      copyEndpointOnNewTab: true,
      tabName: (config.ui || {}).Query || "Query",
      autofocus: false,
      yasr: { prefixes: config.prefixes },
      persistenceId: "cps-lac-yasgui"
    });
    // YASGUI announces a response before it hands it to the results view: read the results a moment later.
    yasgui.on("queryResponse", function (instance, tab) {
      window.setTimeout(function () { fetchLabels(config, tab.getYasr()); }, 0);
    });
    var translated = translate(config);
    function redrawn() { nameControls(); translated(); }
    redrawn();
    new MutationObserver(redrawn).observe(root, { childList: true, subtree: true, attributes: true,
                                               attributeFilter: ["title", "aria-label", "placeholder"] });
    document.querySelectorAll("[data-example]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        openExample(yasgui, config, link.getAttribute("data-example"));
        window.history.replaceState(null, "", link.getAttribute("href"));
      });
    });
    if (root.getAttribute("data-open")) {
      openExample(yasgui, config, root.getAttribute("data-open"), root.getAttribute("data-open-text"));
    }
    if (raw.addEventListener) {
      raw.addEventListener("change", function () { var yasr = yasgui.getTab().getYasr(); if (yasr.results) { yasr.draw(); } });
    }
    root.setAttribute("data-ready", "true");
  });
})();
