/* ip5graph workbench (query.html): loads the graph into Oxigraph (WebAssembly) and answers SPARQL in
   the page. Data reaches the page only through textContent and attributes set from our own page
   map; query text and results are never parsed as HTML. */
(function () {
  "use strict";
  var D = window.IP5_WORKBENCH, S = window.ip5sparql;
  var RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label";
  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var NUMERIC = ["integer", "decimal", "double", "float", "int", "long", "short", "nonNegativeInteger",
                 "positiveInteger", "negativeInteger", "nonPositiveInteger"].map(function (t) { return XSD + t; });
  var DATES = ["date", "dateTime", "gYear", "gYearMonth"].map(function (t) { return XSD + t; });
  var MAX_ROWS = 2000, MAX_DRAWN = 400;
  var $ = function (id) { return document.getElementById(id); };
  var wb = window.ip5wb = { ready: false, error: null, last: null };
  var state = { store: null, labels: {}, current: null, result: null, network: null };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  async function gunzip(b64) {
    var bin = atob(b64), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  // ---- labels and names, as the CLI picks them (engines.pick_label, terms.compact)

  function pickLabels() {
    var best = {};
    var rows = state.store.match(null, oxigraph.namedNode(RDFS_LABEL), null, null);
    rows.forEach(function (q) {
      if (q.subject.termType !== "NamedNode" || q.object.termType !== "Literal") { return; }
      var lang = q.object.language || "";
      var rank = lang === "en" ? 0 : lang.indexOf("en-") === 0 ? 1 : lang === "" ? 2 : 3;
      var cand = [rank, lang, q.object.value], old = best[q.subject.value];
      if (!old || cand[0] < old[0] || (cand[0] === old[0] && (cand[1] < old[1] || (cand[1] === old[1] && cand[2] < old[2])))) {
        best[q.subject.value] = cand;
      }
    });
    Object.keys(best).forEach(function (k) { state.labels[k] = best[k][2]; });
  }

  var LOCAL_OK = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
  function compact(iri) {
    if (iri.indexOf(D.id) === 0) {
      var rest = iri.slice(D.id.length), k = rest.indexOf("/");
      if (k > 0 && LOCAL_OK.test(rest.slice(k + 1)) && rest.indexOf("/", k + 1) < 0) {
        return rest.slice(0, k) + ":" + rest.slice(k + 1);
      }
    }
    var names = Object.keys(D.prefixes);
    for (var i = 0; i < names.length; i++) {
      var ns = D.prefixes[names[i]];
      if (names[i] !== "id" && iri.indexOf(ns) === 0 && LOCAL_OK.test(iri.slice(ns.length))) {
        return names[i] + ":" + iri.slice(ns.length);
      }
    }
    return iri;
  }
  function display(iri) { return state.labels[iri] || compact(iri); }

  // ---- running a query

  function engineError(err, bound, text) {
    var msg = String(err && err.message || err).replace(/^Error:\s*/, "");
    var m = /error at (\d+):(\d+): ([\s\S]*)/.exec(msg);
    if (!m) { return new S.SparqlError("query failed: " + msg.split(/\s+/).join(" "), 1, 1, "engine"); }
    var line = +m[1], col = +m[2];
    if (bound.at >= 0) {   // the VALUES block we inserted shifts columns on its own line only
      var at = S.position(text, bound.at);
      if (line === at.line && col > at.column) { col = Math.max(at.column, col - bound.length); }
    }
    return new S.SparqlError("SPARQL syntax error: " + m[3].split(/\s+/).join(" "), line, col, "syntax");
  }

  /* Check, bind and run; no DOM. params: {name: value} for the declared `declared` [{name, type}]. */
  function execute(text, declared, params) {
    var t0 = performance.now();
    var form = S.checkSafe(text, D.loaded);
    var terms = {};
    (declared || []).forEach(function (p) {
      var v = params[p.name];
      if (v === undefined || v === "") {
        throw new S.SparqlError("the query needs a value for the parameter '" + p.name + "'", 0, 0, "param");
      }
      terms[p.name] = S.convert(p.name, p.type, v, D.prefixes, D.id, D.network);
    });
    if (form === "DESCRIBE" && Object.keys(terms).length) {
      throw new S.SparqlError("parameters cannot be bound in a DESCRIBE query; write it as a CONSTRUCT query", 0, 0, "param");
    }
    var bound = S.bind(text, terms);
    var opts = {};
    if (S.namesLoadedGraph(text, D.loaded)) { opts.default_graph = oxigraph.defaultGraph(); }
    var out = { form: form, text: bound.text };
    try {
      if (form === "CONSTRUCT" || form === "DESCRIBE") {
        out.quads = state.store.query(bound.text, opts);
      } else {
        opts.results_format = "application/sparql-results+json";
        out.json = JSON.parse(state.store.query(bound.text, opts));
      }
    } catch (e) {
      throw engineError(e, bound, text);
    }
    out.ms = performance.now() - t0;
    return out;
  }
  wb.execute = execute;
  // the engine's own verdict on a text, without the check (tests compare the two; the browser
  // build has no HTTP client and the page's CSP forbids connections, so this cannot reach out)
  wb.unchecked = function (text) { return state.store.query(text, { results_format: "application/sparql-results+json" }); };

  // ---- result views

  function termCell(term) {
    var td = el("td");
    if (!term) { return td; }
    if (term.type === "uri") {
      var page = D.pages[term.value];
      var node = page ? el("a", display(term.value)) : el("span", display(term.value));
      if (page) { node.setAttribute("href", page); }
      node.title = term.value;
      td.appendChild(node);
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      td.appendChild(document.createTextNode(term.value));
      if (term["xml:lang"]) { td.appendChild(el("span", " @" + term["xml:lang"], "muted")); }
      else if (term.datatype && term.datatype !== XSD + "string") {
        td.appendChild(el("span", " " + compact(term.datatype), "muted"));
      }
    }
    return td;
  }

  function fromQuadTerm(t) {
    if (t.termType === "NamedNode") { return { type: "uri", value: t.value }; }
    if (t.termType === "BlankNode") { return { type: "bnode", value: t.value }; }
    var out = { type: "literal", value: t.value };
    if (t.language) { out["xml:lang"] = t.language; }
    else if (t.datatype && t.datatype.value !== XSD + "string") { out.datatype = t.datatype.value; }
    return out;
  }

  /* Rows as {vars, rows:[[term|null]]}, for every form. */
  function tabular(r) {
    if (r.quads) {
      return { vars: ["subject", "predicate", "object"], rows: r.quads.map(function (q) {
        return [fromQuadTerm(q.subject), fromQuadTerm(q.predicate), fromQuadTerm(q.object)];
      }) };
    }
    if (typeof r.json.boolean === "boolean") {
      return { vars: ["boolean"], rows: [[{ type: "literal", value: String(r.json.boolean) }]] };
    }
    var vars = r.json.head.vars || [];
    return { vars: vars, rows: r.json.results.bindings.map(function (b) {
      return vars.map(function (v) { return b[v] || null; });
    }) };
  }

  function showTable(tab) {
    var wrap = $("table-wrap");
    clear(wrap);
    var table = el("table"), head = el("tr"), body = el("tbody");
    tab.vars.forEach(function (v) { head.appendChild(el("th", v)); });
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    tab.rows.slice(0, MAX_ROWS).forEach(function (row) {
      var tr = el("tr");
      row.forEach(function (t) { tr.appendChild(termCell(t)); });
      body.appendChild(tr);
    });
    table.appendChild(body);
    wrap.appendChild(table);
    if (tab.rows.length > MAX_ROWS) {
      wrap.appendChild(el("p", "The first " + MAX_ROWS + " of " + tab.rows.length + " rows are shown; the CSV and the SPARQL JSON hold them all.", "muted"));
    }
  }

  function csvOf(tab) {
    function cell(t) {
      var s = !t ? "" : t.type === "bnode" ? "_:" + t.value : t.value;
      return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    }
    return [tab.vars.map(function (v) { return cell({ value: v }); }).join(",")].concat(tab.rows.map(function (row) { return row.map(cell).join(","); })).join("\r\n") + "\r\n";
  }

  // ---- graph view: SELECT -> the entities named and the links among them (network.select_graph);
  // CONSTRUCT/DESCRIBE -> the result's own triples between resources

  var NET = D.network, NODE_INDEX = {}, RECORD_ENDS = {};
  NET.nodes.forEach(function (n, i) { NODE_INDEX[n[0]] = i; });
  NET.edges.forEach(function (e) { if (e[3] && !RECORD_ENDS[e[3]]) { RECORD_ENDS[e[3]] = [e[0], e[1]]; } });

  function visNode(id, iri, label) {
    var i = NODE_INDEX[iri], cls = i === undefined ? null : NET.classes[NET.nodes[i][2]];
    return { id: id, label: label, title: (cls ? cls[0] + ": " : "") + iri, shape: cls ? cls[2] : "dot",
             color: { background: cls ? cls[1] : "#bbbbbb", border: "#444" }, size: 14, iri: iri };
  }

  function selectGraph(iris) {
    var keep = {};
    iris.forEach(function (iri) {
      if (NODE_INDEX[iri] !== undefined) { keep[NODE_INDEX[iri]] = true; }
      else if (RECORD_ENDS[iri]) { keep[RECORD_ENDS[iri][0]] = true; keep[RECORD_ENDS[iri][1]] = true; }
    });
    var nodes = Object.keys(keep).map(Number).sort(function (a, b) { return a - b; }).map(function (i) {
      return visNode(i, NET.nodes[i][0], display(NET.nodes[i][0]) || NET.nodes[i][1]);
    });
    var edges = [];
    NET.edges.forEach(function (e, k) {
      if (keep[e[0]] && keep[e[1]]) { edges.push({ id: k, from: e[0], to: e[1], label: e[2] }); }
    });
    return { nodes: nodes, edges: edges };
  }

  function tripleGraph(quads) {
    var ids = {}, nodes = [], edges = [];
    function id(t) {
      var key = t.termType + " " + t.value;
      if (ids[key] === undefined) {
        ids[key] = nodes.length;
        nodes.push(visNode(nodes.length, t.value, t.termType === "NamedNode" ? display(t.value) : "_:" + t.value));
      }
      return ids[key];
    }
    quads.forEach(function (q, k) {
      if (q.object.termType === "Literal") { return; }
      edges.push({ id: k, from: id(q.subject), to: id(q.object), label: compact(q.predicate.value) });
    });
    return { nodes: nodes, edges: edges };
  }

  function whole() {
    return selectGraph(NET.nodes.map(function (n) { return n[0]; }));
  }

  function draw(r, tab) {
    var data = !r ? whole() : r.quads ? tripleGraph(r.quads) : selectGraph([].concat.apply([], tab.rows.map(function (row) {
      return row.filter(function (t) { return t && t.type === "uri"; }).map(function (t) { return t.value; });
    })));
    var note = data.nodes.length + " entities and " + data.edges.length + " links named by this result";
    if (data.nodes.length > MAX_DRAWN) {   // physics on thousands of nodes would freeze the page
      var keep = {};
      data.nodes = data.nodes.slice(0, MAX_DRAWN);
      data.nodes.forEach(function (n) { keep[n.id] = true; });
      data.edges = data.edges.filter(function (e) { return keep[e.from] && keep[e.to]; });
      note += "; the first " + MAX_DRAWN + " are drawn";
    }
    if (!data.nodes.length) {
      data = whole();
      note = "This result names no entity of the graph; showing the whole graph (" + data.nodes.length + " entities).";
    }
    $("graph-note").textContent = note;
    $("graph-details").textContent = "";
    var nodes = new vis.DataSet(data.nodes), edges = new vis.DataSet(data.edges);
    var options = {
      physics: { enabled: true, solver: "barnesHut", stabilization: { iterations: 150, fit: true },
                 barnesHut: { gravitationalConstant: -4000, springLength: 120 } },
      layout: { randomSeed: 1, improvedLayout: data.nodes.length < 150 },
      interaction: { hover: true, tooltipDelay: 250 },
      nodes: { font: { size: 13, face: "sans-serif", strokeWidth: 3, strokeColor: "#fff" } },
      edges: { smooth: false, arrows: { to: { enabled: true, scaleFactor: 0.5 } }, color: { color: "#9aa4b1" },
               font: { size: 9, align: "middle", color: "#555", strokeWidth: 2, strokeColor: "#fff" } }
    };
    if (!state.network) {
      state.network = new vis.Network($("graph"), { nodes: nodes, edges: edges }, options);
      state.network.on("stabilizationIterationsDone", function () { state.network.setOptions({ physics: false }); });
      state.network.on("click", function (p) {
        var box = $("graph-details");
        clear(box);
        if (!p.nodes.length) { return; }
        var n = window.nodes.get(p.nodes[0]);
        box.appendChild(el("strong", n.label));
        box.appendChild(el("span", " " + n.iri + " ", "iri"));
        if (D.pages[n.iri]) {
          var a = el("a", "Open its page");
          a.setAttribute("href", D.pages[n.iri]);
          box.appendChild(a);
          box.appendChild(document.createTextNode(" "));
        }
        var ask = el("button", "Ask about it");
        ask.type = "button";
        ask.addEventListener("click", function () { askAbout(n.iri); });
        box.appendChild(ask);
      });
      window.network = state.network;
      // the site's pages say when their graph has drawn (graph.js): tests and the screenshot script wait on it
      state.network.once("afterDrawing", function () { window.ip5DrawnAt = performance.now(); });
    } else {
      state.network.setOptions({ physics: options.physics, layout: options.layout });
      state.network.setData({ nodes: nodes, edges: edges });
    }
    window.nodes = nodes;
    window.edges = edges;
  }

  // a timeline (dates) or a bar chart (numbers), when a column holds them
  var SVGNS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  // the column whose every value passes `test`, with the most distinct values (a bound
  // parameter repeats one value in every row: a poor axis)
  function columnOf(tab, test) {
    var best = -1, most = 1;
    for (var c = 0; c < tab.vars.length; c++) {
      var vals = tab.rows.map(function (r) { return r[c]; }).filter(Boolean);
      if (!vals.length || !vals.every(test)) { continue; }
      var distinct = {};
      vals.forEach(function (t) { distinct[t.value] = 1; });
      var n = Object.keys(distinct).length;
      if (best < 0 || n > most) { best = c; most = n; }
    }
    return best;
  }
  function rowLabel(tab, row, skip) {
    for (var c = 0; c < row.length; c++) {
      if (c !== skip && row[c]) { return row[c].type === "uri" ? display(row[c].value) : row[c].value; }
    }
    return "";
  }
  function yearOf(t) {
    var m = /^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(t.value);
    return m ? +m[1] + ((+m[2] || 1) - 1) / 12 + ((+m[3] || 1) - 1) / 365 : NaN;
  }
  function chart(tab) {
    var box = $("chart");
    clear(box);
    if (!tab.rows.length || tab.rows.length > 400) { return; }
    var dateCol = columnOf(tab, function (t) { return t.type === "literal" && (DATES.indexOf(t.datatype) >= 0 || /^\d{4}(-\d{2}(-\d{2})?)?$/.test(t.value)); });
    var numCol = columnOf(tab, function (t) { return t.type === "literal" && NUMERIC.indexOf(t.datatype) >= 0; });
    var col = dateCol >= 0 ? dateCol : numCol;
    if (col < 0) { return; }
    var rows = tab.rows.filter(function (r) { return r[col]; });
    var values = rows.map(function (r) { return dateCol >= 0 ? yearOf(r[col]) : Number(r[col].value); });
    var lo = Math.min.apply(null, values.concat(dateCol >= 0 ? [] : [0])), hi = Math.max.apply(null, values);
    if (!(hi > lo)) { hi = lo + 1; }
    var rowH = 16, left = 260, width = 900, plot = width - left - 20;
    var g = svg("svg", { width: width, height: rows.length * rowH + 40, role: "img",
                         "aria-label": (dateCol >= 0 ? "Timeline of " : "Chart of ") + tab.vars[col] });
    g.appendChild(svg("text", { x: 4, y: 14 }, (dateCol >= 0 ? "Timeline: " : "Chart: ") + tab.vars[col]));
    rows.forEach(function (r, i) {
      var y = 28 + i * rowH, x = left + (values[i] - lo) / (hi - lo) * plot;
      g.appendChild(svg("text", { x: left - 6, y: y + 4, "text-anchor": "end" }, rowLabel(tab, r, col).slice(0, 40)));
      if (dateCol >= 0) {
        g.appendChild(svg("circle", { cx: x.toFixed(1), cy: y, r: 4, fill: "#1f77b4" }));
      } else {
        g.appendChild(svg("rect", { x: left, y: y - 5, width: Math.max(1, x - left).toFixed(1), height: 10, fill: "#1f77b4" }));
      }
      g.appendChild(svg("title", {}, r[col].value));
    });
    [lo, hi].forEach(function (v, k) {
      g.appendChild(svg("text", { x: k ? left + plot : left, y: rows.length * rowH + 36, "text-anchor": k ? "end" : "start" },
                        dateCol >= 0 ? String(Math.floor(v)) : String(v)));
    });
    box.appendChild(g);
  }

  function show(r) {
    var tab = tabular(r);
    state.result = { r: r, tab: tab };
    showTable(tab);
    var raw = $("raw");
    if (r.quads) {
      $("raw-title").textContent = "Turtle";
      raw.textContent = new oxigraph.Store(r.quads).dump({ format: "text/turtle", from_graph_name: oxigraph.defaultGraph() });
    } else {
      $("raw-title").textContent = "SPARQL JSON";
      raw.textContent = JSON.stringify(r.json, null, 2);
    }
    draw(r, tab);
    chart(tab);
    $("csv").disabled = false;
    var n = r.quads ? r.quads.length + " triples" : typeof r.json.boolean === "boolean" ? "answer " + r.json.boolean
      : tab.rows.length + " rows";
    $("status").textContent = n + " in " + r.ms.toFixed(1) + " ms";
  }

  // ---- the page: named queries, parameters, editor, URL fragment

  // syntax colours: the safety check's own lexer, drawn under a transparent textarea
  var CLASS_OF = { string: "s", comment: "c", iri: "i", "var": "v", pname: "p", number: "n", lang: "s" };
  function highlight() {
    var ed = $("editor"), pre = $("highlight");
    clear(pre);
    S.tokens(ed.value, true).forEach(function (t) {
      var cls = t.kind === "word" ? (/^[A-Z]+$/.test(t.text) || /^(a|true|false)$/.test(t.text) ? "k" : "") : CLASS_OF[t.kind];
      pre.appendChild(cls ? el("span", t.text, cls) : document.createTextNode(t.text));
    });
    pre.appendChild(document.createTextNode("\n"));
    pre.scrollTop = ed.scrollTop;
    pre.scrollLeft = ed.scrollLeft;
  }

  function paramValues() {
    var out = {};
    Array.prototype.forEach.call($("params").querySelectorAll("[data-param]"), function (input) {
      out[input.getAttribute("data-param")] = input.value;
    });
    return out;
  }

  function openQuery(q, values, text) {
    state.current = q;
    Array.prototype.forEach.call($("queries").children, function (li) {
      li.className = q && li.getAttribute("data-name") === q.name ? "current" : "";
    });
    var about = $("about"), form = $("params");
    clear(about);
    clear(form);
    if (q) {
      about.appendChild(el("strong", q.title));
      if (q.description) { about.appendChild(el("span", " " + q.description, "muted")); }
      q.params.forEach(function (p) {
        var label = el("label");
        label.appendChild(el("span", p.name + " (" + p.type + ")"));
        var input;
        if (p.type === "boolean") {
          input = el("select");
          ["true", "false"].forEach(function (v) { var o = el("option", v); o.value = v; input.appendChild(o); });
        } else {
          input = el("input");
          input.type = p.type === "date" ? "date" : p.type === "integer" ? "number" : "text";
        }
        input.setAttribute("data-param", p.name);
        input.value = values && values[p.name] !== undefined ? values[p.name] : (p.example || "");
        if (p.description) { input.title = p.description; label.appendChild(el("span", p.description, "muted")); }
        input.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { ev.preventDefault(); run(); } });
        label.insertBefore(input, label.children[1] || null);
        form.appendChild(label);
      });
    }
    $("editor").value = text !== undefined && text !== null ? text : q ? q.text : "";
    highlight();
  }

  function fragment() {
    var h = new URLSearchParams();
    var q = state.current, text = $("editor").value;
    if (q) {
      h.set("name", q.name);
      var vals = paramValues();
      q.params.forEach(function (p) { h.set(p.name, vals[p.name] || ""); });
      if (text !== q.text) { h.set("query", text); }
    } else {
      h.set("query", text);
    }
    return "#" + h.toString().replace(/\+/g, "%20");
  }

  function showError(err) {
    var box = $("error");
    var where = err.line ? "line " + err.line + ", column " + err.column + ": " : "";
    box.textContent = where + (err.message || String(err));
    $("status").textContent = err.kind === "unsafe" ? "refused" : "error";
    if (err.line) {
      var lines = $("editor").value.split("\n"), off = 0;
      for (var i = 0; i < err.line - 1 && i < lines.length; i++) { off += lines[i].length + 1; }
      off += err.column - 1;
      $("editor").setSelectionRange(off, off + 1);
    }
    wb.last = { error: box.textContent };
  }

  function run() {
    if (!wb.ready) { return null; }
    $("error").textContent = "";
    var q = state.current, text = $("editor").value;
    var declared = q ? q.params.filter(function (p) { return S.variables(text).indexOf(p.name) >= 0; }) : [];
    try {
      var r = execute(text, declared, paramValues());
      show(r);
      wb.lastQuads = r.quads || null;
      wb.last = { ms: r.ms, form: r.form, json: r.json || null, triples: r.quads ? r.quads.length : null };
    } catch (e) {
      if (!(e instanceof S.SparqlError)) { e = new S.SparqlError(String(e && e.message || e), 0, 0, "engine"); }
      showError(e);
      if (!state.network) { draw(null, null); }   // the page always shows a graph
    }
    var frag = fragment();
    if (location.hash !== frag) { history.replaceState(null, "", frag); }
    wb.runs = (wb.runs || 0) + 1;
    return wb.last;
  }
  wb.run = run;

  function askAbout(iri) {
    openQuery(null, null, "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n\n# Every statement about one entity, " +
      "both directions\nSELECT ?direction ?property ?value\nWHERE {\n  { <" + iri + "> ?property ?value . BIND (\"out\" AS ?direction) }\n" +
      "  UNION\n  { ?value ?property <" + iri + "> . BIND (\"in\" AS ?direction) }\n}\nORDER BY DESC(?direction) ?property ?value\n");
    run();
  }

  function openFromHash() {
    var h = new URLSearchParams(location.hash.replace(/^#/, ""));
    var name = h.get("name"), text = h.get("query");
    var q = name ? D.queries.filter(function (x) { return x.name === name; })[0] : null;
    if (q) {
      var vals = {};
      q.params.forEach(function (p) { if (h.has(p.name)) { vals[p.name] = h.get(p.name); } });
      openQuery(q, vals, text);
    } else if (text !== null) {
      openQuery(null, null, text);
    } else {
      openQuery(D.queries[0] || null);
    }
    run();
  }

  function setup() {
    var list = $("queries");
    D.queries.forEach(function (q) {
      var li = el("li"), b = el("button", q.title);
      li.setAttribute("data-name", q.name);
      b.type = "button";
      b.title = q.name;
      b.addEventListener("click", function () { openQuery(q); run(); });
      li.appendChild(b);
      list.appendChild(li);
    });
    var ed = $("editor");
    ed.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); run(); return; }
      if (ev.key === "Tab" && !ev.shiftKey) {
        ev.preventDefault();
        var s = ed.selectionStart, e = ed.selectionEnd;
        ed.setRangeText("  ", s, e, "end");
      }
    });
    ed.addEventListener("input", highlight);
    ed.addEventListener("scroll", function () { $("highlight").scrollTop = ed.scrollTop; $("highlight").scrollLeft = ed.scrollLeft; });
    $("run").addEventListener("click", run);
    $("share").addEventListener("click", function () {
      var url = location.href.split("#")[0] + fragment();
      if (navigator.clipboard) { navigator.clipboard.writeText(url).catch(function () {}); }
      $("status").textContent = "link copied: the page address now holds this query";
      history.replaceState(null, "", fragment());
    });
    $("csv").addEventListener("click", function () {
      if (!state.result) { return; }
      var a = el("a");
      a.href = URL.createObjectURL(new Blob([csvOf(state.result.tab)], { type: "text/csv" }));
      a.download = (state.current ? state.current.name : "query") + ".csv";
      document.body.appendChild(a);
      a.click();
      a.remove();
    });
    window.addEventListener("hashchange", function () { if (location.hash !== fragment()) { openFromHash(); } });
  }

  async function boot() {
    setup();
    var wasm = await gunzip(window.OXIGRAPH_WASM_GZ);
    await oxigraph.init({ module_or_path: wasm });
    var nt = new TextDecoder().decode(await gunzip(D.graph_gz));
    state.store = new oxigraph.Store();
    state.store.load(nt, { format: "application/n-triples", no_transaction: true });
    pickLabels();
    wb.triples = state.store.size;
    wb.ready = true;
    wb.readyMs = performance.now();
    $("run").disabled = false;
    openFromHash();
  }
  boot().catch(function (e) {
    wb.error = String(e && e.message || e);
    $("status").textContent = "The graph could not be loaded: " + wb.error;
  });
})();
