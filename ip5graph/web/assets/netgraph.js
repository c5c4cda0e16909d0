/* ip5graph site: the graph of a page, drawn by vis-network from the page's JSON island. The page
   is readable without it: the infobox and the node list say the same in text. Keyboard: every node
   has a "details" button in the list; the details panel links to the node's page.
   Data text only ever reaches the page through textContent. */
(function () {
  "use strict";
  var island = document.getElementById("ip5-data");
  if (!island || typeof vis === "undefined") { return; }
  var data = JSON.parse(island.textContent);
  var classes = data.classes, sources = data.sources, edgeLabels = data.edge_labels;
  var lang = (window.ip5Lang && window.ip5Lang()) || "en";
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function labelOf(n) {
    var ls = n.labels || {};
    return (ls[lang] && ls[lang][0]) || (ls.en && ls.en[0]) || n.label;
  }
  var showLabels = null;
  var nodes = new vis.DataSet(data.nodes.map(function (n, i) {
    var c = classes[n.c];
    var item = { id: i, x: n.x, y: n.y, label: labelOf(n), shape: c.shape, size: n.s,
                 color: { background: c.color, border: n.focus ? "#000" : "#444" },
                 borderWidth: n.focus ? 4 : 1, title: c.label + ": " + labelOf(n) };
    if (showLabels && !showLabels[i]) { item.label = undefined; }
    return item;
  }));
  var edges = new vis.DataSet(data.edges.map(function (e, i) {
    return { id: i, from: e.f, to: e.t, label: data.edge_text === false ? undefined : edgeLabels[e.l] };
  }));
  var big = data.nodes.length > 1500;
  var options = {
    physics: { enabled: false },
    layout: { improvedLayout: false, randomSeed: 0 },
    interaction: { hover: !big, tooltipDelay: 250, hideEdgesOnDrag: big, hideEdgesOnZoom: big, keyboard: false },
    nodes: { font: { size: 14, face: "sans-serif", strokeWidth: 3, strokeColor: "#fff" } },
    edges: { smooth: false, arrows: { to: { enabled: true, scaleFactor: 0.5 } },
             color: { color: "#9aa4b1", highlight: "#1f3a5f", hover: "#1f3a5f" },
             font: { size: 10, align: "middle", color: "#555", strokeWidth: 2, strokeColor: "#fff" } }
  };
  if (data.label_width) { options.nodes.widthConstraint = { maximum: data.label_width }; }
  if (data.font_size) { options.nodes.font.size = data.font_size; }
  if (data.edge_text === false) { options.edges.color.color = "rgba(120,132,148,0.28)"; }
  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  window.nodes = nodes;
  window.edges = edges;
  window.network = network;
  if (data.start && data.start.length) { network.fit({ nodes: data.start, animation: false }); }
  network.once("afterDrawing", function () {
    window.ip5DrawnAt = performance.now();
    document.documentElement.setAttribute("data-drawn", "1");
  });
  var canvas = container.querySelector("canvas");
  if (canvas) { canvas.setAttribute("aria-hidden", "true"); }

  var details = document.getElementById("details");
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function list(title, items) {
    if (!items.length) { return; }
    details.appendChild(el("h3", title));
    var ul = el("ul");
    items.forEach(function (x) { ul.appendChild(typeof x === "string" ? el("li", x) : x); });
    details.appendChild(ul);
  }
  function sourceItem(idx) {
    var s = sources[idx], li = el("li");
    li.appendChild(el("strong", s.id));
    li.appendChild(document.createTextNode(" " + (s.tier ? "(" + s.tier + ") " : "") + s.label));
    return li;
  }
  function showNode(i) {
    var n = data.nodes[i], c = classes[n.c];
    clear(details);
    details.setAttribute("data-node", String(i));
    details.appendChild(el("h3", labelOf(n)));
    details.appendChild(el("div", c.label, "muted"));
    if (n.page) {
      var a = el("a", "Open its page");
      a.href = data.root + n.page;
      details.appendChild(a);
    }
    if (n.comment) { details.appendChild(el("p", n.comment)); }
    var links = network.getConnectedEdges(i).slice().sort(function (x, y) { return x - y; }).map(function (eid) {
      var e = data.edges[eid], other = e.f === i ? e.t : e.f;
      return (e.f === i ? "" : "\u2190 ") + edgeLabels[e.l] + (e.f === i ? " \u2192 " : " ") + labelOf(data.nodes[other]);
    });
    list("Connections", links);
    var ul = (n.src || []).map(sourceItem);
    if (ul.length) {
      list("Sources", ul);
      details.lastChild.id = "details-sources";
    }
  }
  function focusNode(i) {
    network.selectNodes([i]);
    network.focus(i, { scale: Math.max(network.getScale(), 0.8), animation: false });
    showNode(i);
  }
  network.on("click", function (p) { if (p.nodes.length) { showNode(p.nodes[0]); } });
  var buttons = document.querySelectorAll("button.show-node");
  for (var b = 0; b < buttons.length; b++) {
    buttons[b].hidden = false;
    buttons[b].addEventListener("click", function (ev) {
      focusNode(Number(ev.currentTarget.getAttribute("data-node")));
      details.setAttribute("tabindex", "-1");
      details.focus();
    });
  }
  document.addEventListener("ip5:lang", function (ev) {
    lang = ev.detail;
    nodes.update(data.nodes.map(function (n, i) {
      return { id: i, label: showLabels && !showLabels[i] ? undefined : labelOf(n), title: classes[n.c].label + ": " + labelOf(n) };
    }));
  });

  var legend = document.getElementById("legend");
  if (legend) {
    var perClass = classes.map(function () { return []; });
    data.nodes.forEach(function (n, i) { perClass[n.c].push(i); });
    classes.forEach(function (c, ci) {
      var lab = el("label"), box = el("input"), sw = el("span", null, "swatch");
      box.type = "checkbox";
      box.checked = true;
      box.setAttribute("data-class", c.label);
      sw.style.background = c.color;
      lab.appendChild(box);
      lab.appendChild(sw);
      lab.appendChild(el("span", c.label + " (" + perClass[ci].length + ")"));
      box.addEventListener("change", function () {
        nodes.update(perClass[ci].map(function (i) { return { id: i, hidden: !box.checked }; }));
        var shown = nodes.getIds({ filter: function (x) { return !x.hidden; } });
        network.fit({ nodes: shown, animation: false });
      });
      legend.appendChild(lab);
    });
  }
  if (data.focus !== null && data.focus !== undefined) {
    network.selectNodes([data.focus]);
    showNode(data.focus);
  }
})();
