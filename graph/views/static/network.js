// Draws a dhrkg network view with vis-network. The data comes from an embedded
// <script type="application/json" id="graph-data"> (standalone files) or from the
// JSON URL in data-source (the web app, whose CSP forbids inline scripts).
// Titles are plain strings, which vis-network shows as text, never as HTML.
(function () {
  "use strict";
  var holder = document.getElementById("network");
  if (!holder) { return; }

  // In the web app the drawing takes the rest of the window below the page's heading and
  // filters, so the whole graph is in view on load (it used to run below the fold).
  function fillWindow() {
    if (holder.getAttribute("data-fill") !== "window") { return; }
    var top = holder.getBoundingClientRect().top + window.scrollY;
    holder.style.height = Math.max(300, window.innerHeight - top - 8) + "px";
  }

  function showEmpty(reason) {
    var note = document.createElement("p");
    note.className = "empty";
    note.textContent = "Nothing to draw: " + (reason || "this view has no nodes") + ".";
    if (!document.querySelector(".empty")) { holder.parentNode.insertBefore(note, holder); }
    holder.setAttribute("data-ready", "true");
  }

  function draw(data) {
    fillWindow();
    window.dhrkgGraph = { nodes: data.nodes.length, edges: data.edges.length, empty: data.empty || null };
    if (!data.nodes.length) { showEmpty(data.empty); return; }
    var nodes = new vis.DataSet(data.nodes);
    var edges = new vis.DataSet(data.edges);
    var network = new vis.Network(holder, { nodes: nodes, edges: edges }, data.options);
    window.dhrkgNetwork = network;
    // Positions come computed and physics is off: once drawn, fit the whole graph (labels
    // included) to the window, and say so when that drawing is on screen.
    network.once("afterDrawing", function () {
      network.fit({ animation: false });
      network.once("afterDrawing", function () { holder.setAttribute("data-ready", "true"); });
      network.redraw();
    });
    window.addEventListener("resize", function () { fillWindow(); network.fit({ animation: false }); });
  }

  var embedded = document.getElementById("graph-data");
  if (embedded) {
    draw(JSON.parse(embedded.textContent));
  } else {
    fetch(holder.getAttribute("data-source"), { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          return response.json().then(function (body) {
            throw new Error((body.error && body.error.message) || ("could not load the network (" + response.status + ")"));
          }, function () { throw new Error("could not load the network (" + response.status + ")"); });
        }
        return response.json();
      })
      .then(draw)
      .catch(function (error) { holder.textContent = String(error.message); holder.setAttribute("data-ready", "true"); });
  }
})();
