/* ip5graph view: reads the JSON island, draws it with vis-network, and fills the panels.
   Data text only ever reaches the page through textContent (no HTML parsing of data). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("ip5-data").textContent);
  var classes = data.classes, sources = data.sources, edgeLabels = data.edge_labels;
  var lang = data.lang;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function labelOf(n, l) {
    var ls = n.labels || {};
    return (ls[l] && ls[l][0]) || (ls.en && ls.en[0]) || n.label;
  }
  function norm(s) { return String(s).normalize("NFKC").toLowerCase(); }

  var searchText = data.nodes.map(function (n) {
    var parts = [n.label, n.slug || ""];
    [n.labels || {}, n.alt || {}].forEach(function (group) {
      Object.keys(group).forEach(function (k) { parts = parts.concat(group[k]); });
    });
    return norm(parts.join("\u0001"));
  });

  var nodes = new vis.DataSet(data.nodes.map(function (n, i) {
    var c = classes[n.c];
    var item = { id: i, x: n.x, y: n.y, label: labelOf(n, lang), shape: c.shape, size: n.s,
                 color: { background: c.color, border: n.focus ? "#000" : "#444" },
                 borderWidth: n.focus ? 4 : 1, title: c.label + ": " + labelOf(n, lang) };
    return item;
  }));
  var edges = new vis.DataSet(data.edges.map(function (e, i) {
    return { id: i, from: e.f, to: e.t, label: edgeLabels[e.l] };
  }));
  var big = data.nodes.length > 1500;
  var options = {
    physics: { enabled: false },
    layout: { improvedLayout: false, randomSeed: 0 },
    interaction: { hover: !big, tooltipDelay: 250, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
                   keyboard: false, navigationButtons: false },
    nodes: { font: { size: 14, face: "sans-serif", strokeWidth: 3, strokeColor: "#fff" } },
    edges: { smooth: false, arrows: { to: { enabled: true, scaleFactor: 0.5 } },
             color: { color: "#9aa4b1", highlight: "#1f3a5f", hover: "#1f3a5f" },
             font: { size: 10, align: "middle", color: "#555", strokeWidth: 2, strokeColor: "#fff" } }
  };
  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  window.nodes = nodes;
  window.edges = edges;
  window.network = network;
  network.once("afterDrawing", function () {
    window.ip5DrawnAt = performance.now();
    document.documentElement.setAttribute("data-drawn", "1");
  });

  /* ---- details panel ---- */
  var details = document.getElementById("details");
  function addList(title, values) {
    if (!values || !values.length) { return; }
    details.appendChild(el("h3", title));
    var ul = el("ul");
    values.forEach(function (v) { ul.appendChild(typeof v === "string" ? el("li", v) : v); });
    details.appendChild(ul);
  }
  function sourceItem(idx) {
    var s = sources[idx], li = el("li");
    li.appendChild(el("strong", s.id));
    li.appendChild(document.createTextNode(" "));
    if (s.tier) { li.appendChild(el("span", s.tier, "tier")); li.appendChild(document.createTextNode(" ")); }
    li.appendChild(el("span", s.label));
    if (s.address) {
      li.appendChild(el("br"));
      if (/^https?:\/\/[^\s]+$/i.test(s.address)) {
        var a = el("a", s.address);
        a.href = s.address;
        a.rel = "noopener noreferrer";
        a.target = "_blank";
        li.appendChild(a);
      } else {
        li.appendChild(el("span", s.address, "muted"));
      }
    }
    return li;
  }
  function addSources(list) {
    if (!list || !list.length) { addList("Sources", ["no source given"]); return; }
    details.appendChild(el("h3", "Sources"));
    var ul = el("ul");
    ul.id = "details-sources";
    list.forEach(function (idx) { ul.appendChild(sourceItem(idx)); });
    details.appendChild(ul);
  }
  function facts(pairs) {
    return (pairs || []).map(function (p) { return p[0] + ": " + p[1]; });
  }
  function focusNode(i) {
    network.selectNodes([i]);
    network.focus(i, { scale: Math.max(network.getScale(), 0.8), animation: false });
    showNode(i);
  }
  function nodeButton(i) {
    var b = el("button", labelOf(data.nodes[i], lang));
    b.type = "button";
    b.addEventListener("click", function () { focusNode(i); });
    return b;
  }
  function showNode(i) {
    var n = data.nodes[i], c = classes[n.c];
    clear(details);
    details.setAttribute("data-node", String(i));
    details.appendChild(el("h2", labelOf(n, lang)));
    details.appendChild(el("div", c.label, "muted"));
    details.appendChild(el("div", n.iri, "iri"));
    if (n.page) {
      var a = el("a", "Open its page");
      a.href = data.root + n.page;
      details.appendChild(a);
    }
    if (n.comment) { details.appendChild(el("p", n.comment)); }
    var names = [];
    Object.keys(n.labels || {}).sort().forEach(function (k) {
      n.labels[k].forEach(function (v) { names.push((k || "no language") + ": " + v); });
    });
    addList("Names", names);
    var alts = [];
    Object.keys(n.alt || {}).sort().forEach(function (k) {
      n.alt[k].forEach(function (v) { alts.push((k || "no language") + ": " + v); });
    });
    addList("Also written", alts);
    addList("Dates", facts(n.dates));
    addList("Facts", facts(n.facts));
    addList("Claims", (n.claims || []).map(function (cl) {
      var li = el("li", cl.text);
      if (cl.src && cl.src.length) {
        li.appendChild(document.createTextNode(" [" + cl.src.map(function (k) { return sources[k].id; }).join(", ") + "]"));
      }
      return li;
    }));
    var links = network.getConnectedEdges(i).slice().sort(function (a, b) { return a - b; }).map(function (eid) {
      var e = data.edges[eid], li = el("li");
      var other = e.f === i ? e.t : e.f;
      li.appendChild(document.createTextNode((e.f === i ? "" : "\u2190 ") + edgeLabels[e.l] + (e.f === i ? " \u2192 " : " ")));
      li.appendChild(nodeButton(other));
      return li;
    });
    addList("Connections", links);
    addSources(n.src);
  }
  function showEdge(id) {
    var e = data.edges[id];
    clear(details);
    details.setAttribute("data-edge", String(id));
    var h = el("h2");
    h.appendChild(document.createTextNode(labelOf(data.nodes[e.f], lang) + " " + edgeLabels[e.l] + " " + labelOf(data.nodes[e.t], lang)));
    details.appendChild(h);
    if (e.iri) { details.appendChild(el("div", e.iri, "iri")); }
    addList("Facts", facts(e.facts));
    addSources(e.src);
  }
  network.on("click", function (p) {
    if (p.nodes.length) { showNode(p.nodes[0]); }
    else if (p.edges.length) { showEdge(p.edges[0]); }
  });

  /* ---- search ---- */
  var search = document.getElementById("search"), results = document.getElementById("search-results");
  function runSearch() {
    clear(results);
    var q = norm(search.value.trim());
    if (!q) { return []; }
    var hits = [];
    for (var i = 0; i < searchText.length && hits.length < 20; i++) {
      if (searchText[i].indexOf(q) !== -1) { hits.push(i); }
    }
    if (!hits.length) { results.appendChild(el("span", "no match", "muted")); }
    hits.forEach(function (i) { results.appendChild(nodeButton(i)); });
    return hits;
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { var hits = runSearch(); if (hits.length) { focusNode(hits[0]); } }
  });

  /* ---- label language ---- */
  var langSel = document.getElementById("lang");
  data.langs.forEach(function (l) {
    var o = el("option", l);
    o.value = l;
    if (l === lang) { o.selected = true; }
    langSel.appendChild(o);
  });
  langSel.addEventListener("change", function () {
    lang = langSel.value;
    nodes.update(data.nodes.map(function (n, i) { return { id: i, label: labelOf(n, lang) }; }));
  });

  /* ---- legend and class filter ---- */
  var legend = document.getElementById("legend");
  var perClass = classes.map(function () { return []; });
  data.nodes.forEach(function (n, i) { perClass[n.c].push(i); });
  classes.forEach(function (c, ci) {
    var lab = el("label"), box = el("input"), sw = el("span", null, "swatch");
    box.type = "checkbox";
    box.checked = true;
    box.value = c.key;
    box.setAttribute("data-class", c.label);
    sw.style.background = c.color;
    if (c.shape === "dot") { sw.style.borderRadius = "50%"; }
    lab.appendChild(box);
    lab.appendChild(sw);
    lab.appendChild(el("span", c.label + " (" + perClass[ci].length + ")"));
    box.addEventListener("change", function () {
      nodes.update(perClass[ci].map(function (i) { return { id: i, hidden: !box.checked }; }));
    });
    legend.appendChild(lab);
  });
  document.getElementById("counts").textContent =
    data.nodes.length + " nodes, " + data.edges.length + " edges";

  if (data.focus !== null && data.focus !== undefined) {
    network.selectNodes([data.focus]);
    showNode(data.focus);
  }
})();
