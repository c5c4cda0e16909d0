// The statistics charts: Observable Plot (vendored, classic scripts) draws each chart from the JSON
// island; every point is a link to its row in the table beside the chart, so Tab reaches it, its
// label names the value and its sources, and Enter shows the row with the source links.
(function () {
  "use strict";
  var island = document.getElementById("ip5-statistics");
  if (!island) { return; }
  var charts = JSON.parse(island.textContent);
  if (!window.Plot || !window.d3) {
    charts.forEach(function (c) {
      var box = document.getElementById("chart-" + c.key);
      if (box) { box.textContent = "The chart library did not load; the table lists every value."; }
    });
    return;
  }
  charts.forEach(function (c) {
    var box = document.getElementById("chart-" + c.key);
    var note = document.getElementById("note-" + c.key);
    if (!box || !c.points.length) { return; }
    var width = Math.max(260, Math.floor(box.clientWidth || 600));
    var line = c.points.filter(function (p) { return p.line; });
    var kept = c.points.filter(function (p) { return !p.rejected; });
    var rejected = c.points.filter(function (p) { return p.rejected; });
    var dot = function (data, fill) {
      return Plot.dot(data, {
        x: "year", y: "value", stroke: "series", fill: fill, r: 4.5, strokeWidth: 1.5,
        href: function (p) { return "#" + p.anchor; },
        ariaLabel: function (p) { return p.label; },
        title: function (p) { return p.label; }
      });
    };
    var figure = Plot.plot({
      width: width,
      height: width < 480 ? 260 : 320,
      marginLeft: c.y === "per cent" ? 44 : 70,
      style: { fontSize: "12px", overflow: "visible" },
      x: { label: "year", tickFormat: "d", ticks: width < 480 ? 5 : 10 },
      y: { label: c.y, grid: true, zero: c.zero, tickFormat: c.y === "per cent" ? "d" : "~s" },
      color: { legend: true, domain: c.series, range: c.colors },
      marks: [
        Plot.line(line, { x: "year", y: "value", stroke: "series", z: "segment", strokeWidth: 1.5 }),
        dot(kept, "series"),
        dot(rejected, "white")
      ]
    });
    figure.setAttribute("aria-label", c.title + ": a line chart; each point is a link to its source");
    box.appendChild(figure);
    box.addEventListener("focusin", function (ev) {
      var link = ev.target.closest && ev.target.closest("a");
      if (!link) { return; }
      var label = link.getAttribute("aria-label") || (link.querySelector("[aria-label]") || link).getAttribute("aria-label");
      if (label && note) { note.textContent = label + " (Enter: to its row and source links)"; }
    });
  });
  // Plot puts the aria-label on the circle inside each link: give it to the link too, which is what takes the focus
  Array.prototype.forEach.call(document.querySelectorAll(".chart svg a"), function (a) {
    var inner = a.querySelector("[aria-label]");
    if (inner && !a.hasAttribute("aria-label")) { a.setAttribute("aria-label", inner.getAttribute("aria-label")); }
  });
})();
