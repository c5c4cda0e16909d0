/* ip5graph site: the one search over every entity (index loaded as a script: works from file://),
   and the language of names, kept across pages in localStorage. Text reaches the page through
   textContent only. */
(function () {
  "use strict";
  var index = window.IP5_INDEX || { e: [] };
  var root = document.body.getAttribute("data-root") || "";
  var KEY = "ip5-lang";
  var byKey = {};
  function norm(s) {
    return String(s).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[\s\-.,'\u2019()\/:;_]+/g, " ").trim();
  }
  var entries = index.e.map(function (e) {
    var names = [];
    Object.keys(e[3]).forEach(function (k) { names = names.concat(e[3][k]); });
    names = names.concat(e[4] || []);
    var item = { key: e[0], page: e[1], cls: e[2], labels: e[3], names: names.map(norm), hay: norm(names.join(" | ")) };
    byKey[e[0]] = item;
    return item;
  });
  function storedLang() { try { return window.localStorage.getItem(KEY) || "en"; } catch (err) { return "en"; } }
  var lang = storedLang();
  function nameIn(item, l) {
    var ls = item.labels;
    return (ls[l] && ls[l][0]) || (ls.en && ls.en[0]) || (ls[""] && ls[""][0]) || item.key;
  }
  window.ip5Name = function (key, fallback) {
    var item = byKey[key];
    return item ? nameIn(item, lang) : fallback;
  };

  /* ---- search ---- */
  var input = document.getElementById("site-q"), list = document.getElementById("site-q-results");
  var status = document.getElementById("site-q-status");
  var hits = [], selected = -1;
  function score(item, q) {
    var best = 3;
    item.names.forEach(function (n) {
      if (n === q) { best = 0; } else if (best > 1 && n.indexOf(q) === 0) { best = 1; } else if (best > 2 && n.indexOf(q) !== -1) { best = 2; }
    });
    return best;
  }
  function find(text) {
    var q = norm(text);
    if (!q) { return []; }
    var tokens = q.split(" ");
    var found = [];
    entries.forEach(function (item) {
      for (var i = 0; i < tokens.length; i++) { if (item.hay.indexOf(tokens[i]) === -1) { return; } }
      found.push({ item: item, s: score(item, q) });
    });
    found.sort(function (a, b) {
      return a.s - b.s || nameIn(a.item, "en").length - nameIn(b.item, "en").length || (a.item.key < b.item.key ? -1 : 1);
    });
    return found.slice(0, 15).map(function (f) { return f.item; });
  }
  window.ip5Search = find;
  function show() {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    hits = find(input.value);
    selected = -1;
    hits.forEach(function (item, i) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = root + item.page;
      a.id = "site-q-hit-" + i;
      a.appendChild(document.createTextNode(nameIn(item, lang) + " "));
      var c = document.createElement("span");
      c.className = "cls";
      c.textContent = "(" + item.cls + ")";
      a.appendChild(c);
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = !input.value.trim();
    if (input.value.trim() && !hits.length) {
      var li = document.createElement("li");
      li.textContent = "No entity has this name.";
      li.style.padding = "5px 8px";
      list.appendChild(li);
    }
    status.textContent = input.value.trim() ? hits.length + " matching entities" : "";
  }
  function mark(i) {
    var links = list.querySelectorAll("a");
    for (var k = 0; k < links.length; k++) { links[k].setAttribute("aria-selected", k === i ? "true" : "false"); }
    selected = i;
    if (links[i]) { links[i].scrollIntoView({ block: "nearest" }); }
  }
  if (input && list) {
    input.addEventListener("input", show);
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown" && hits.length) { ev.preventDefault(); mark(Math.min(selected + 1, hits.length - 1)); }
      else if (ev.key === "ArrowUp" && hits.length) { ev.preventDefault(); mark(Math.max(selected - 1, 0)); }
      else if (ev.key === "Escape") { list.hidden = true; }
    });
    input.form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (!hits.length) { show(); }
      var target = hits[selected >= 0 ? selected : 0];
      if (target) { window.location.href = root + target.page; }
    });
    document.addEventListener("click", function (ev) { if (!input.form.contains(ev.target)) { list.hidden = true; } });
    var m = /[?&]q=([^&#]*)/.exec(window.location.search);
    if (m) { input.value = decodeURIComponent(m[1].replace(/\+/g, " ")); show(); }
  }

  /* ---- language of names ---- */
  var select = document.getElementById("lang-choice");
  function apply() {
    var els = document.querySelectorAll("[data-e]");
    for (var i = 0; i < els.length; i++) {
      var el = els[i], item = byKey[el.getAttribute("data-e")];
      if (!item || el.tagName === "ARTICLE") { continue; }
      if (!el.hasAttribute("data-orig")) { el.setAttribute("data-orig", el.textContent); }
      var has = item.labels[lang] && item.labels[lang][0];
      el.textContent = has ? item.labels[lang][0] : el.getAttribute("data-orig");
      if (has && lang !== "en") { el.setAttribute("lang", lang); } else { el.removeAttribute("lang"); }
    }
    document.documentElement.setAttribute("data-names", lang);
    document.dispatchEvent(new CustomEvent("ip5:lang", { detail: lang }));
  }
  window.ip5Lang = function () { return lang; };
  if (select) {
    if (!Array.prototype.some.call(select.options, function (o) { return o.value === lang; })) { lang = "en"; }
    select.value = lang;
    select.addEventListener("change", function () {
      lang = select.value;
      try { window.localStorage.setItem(KEY, lang); } catch (err) { /* private mode: this page only */ }
      apply();
      if (input && input.value) { show(); }
    });
  }
  if (lang !== "en") { apply(); }
})();
/* query pages: the answer for the chosen parameter value (all answers are in the page) */
(function () {
  "use strict";
  var selects = document.querySelectorAll("select.param-select");
  Array.prototype.forEach.call(selects, function (sel) {
    sel.addEventListener("change", function () {
      var answers = document.querySelectorAll(".answer[data-param='" + sel.getAttribute("data-param") + "']");
      Array.prototype.forEach.call(answers, function (a) { a.hidden = a.getAttribute("data-value") !== sel.value; });
    });
  });
})();
/* timeline: details on focus, hover and a first tap; a button for the earlier years */
(function () {
  "use strict";
  var svg = document.getElementById("timeline-svg"), box = document.getElementById("timeline-details");
  if (!svg || !box) { return; }
  var shown = null;
  function show(a) {
    shown = a;
    while (box.firstChild) { box.removeChild(box.firstChild); }
    var p = document.createElement("p");
    p.textContent = a.getAttribute("data-details");
    box.appendChild(p);
    var link = document.createElement("a");
    link.href = a.getAttribute("href");
    link.textContent = "Open its page";
    box.appendChild(link);
  }
  Array.prototype.forEach.call(svg.querySelectorAll("a.tl-item"), function (a) {
    a.addEventListener("focus", function () { show(a); });
    a.addEventListener("mouseenter", function () { show(a); });
    a.addEventListener("click", function (ev) { if (shown !== a) { ev.preventDefault(); show(a); } });
  });
  function fitNames() {
    var scale = svg.getBoundingClientRect().height / Number(svg.viewBox.baseVal.height || 1);
    Array.prototype.forEach.call(document.querySelectorAll(".tl-name"), function (n) {
      if (!n.hasAttribute("data-h")) {
        n.setAttribute("data-h", parseFloat(n.style.height));
        n.setAttribute("data-m", parseFloat(n.style.marginBottom));
      }
      n.style.height = (Number(n.getAttribute("data-h")) * scale) + "px";
      n.style.marginBottom = (Number(n.getAttribute("data-m")) * scale) + "px";
    });
  }
  var zoom = document.getElementById("tl-zoom");
  if (zoom) {
    zoom.addEventListener("click", function () {
      var full = zoom.getAttribute("aria-pressed") !== "true";
      svg.setAttribute("viewBox", svg.getAttribute(full ? "data-full" : "data-recent"));
      zoom.setAttribute("aria-pressed", full ? "true" : "false");
      zoom.textContent = full ? "Show 2007 to today" : zoom.getAttribute("data-label");
      fitNames();
    });
    zoom.setAttribute("data-label", zoom.textContent);
  }
  fitNames();
  window.addEventListener("resize", fitNames);
})();
