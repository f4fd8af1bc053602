// Draws a dhrkg network view with vis-network. The data comes from an embedded
// <script type="application/json" id="graph-data"> (standalone files) or from the
// JSON URL in data-source (the web app, whose CSP forbids inline scripts).
// Titles are plain strings, which vis-network shows as text, never as HTML.
(function () {
  "use strict";
  var holder = document.getElementById("network");
  if (!holder) { return; }

  function draw(data) {
    var nodes = new vis.DataSet(data.nodes);
    var edges = new vis.DataSet(data.edges);
    var network = new vis.Network(holder, { nodes: nodes, edges: edges }, data.options);
    window.dhrkgNetwork = network;
    window.dhrkgGraph = { nodes: data.nodes.length, edges: data.edges.length };
    // Positions come computed and physics is off: the first drawing is the final one.
    network.once("afterDrawing", function () { holder.setAttribute("data-ready", "true"); });
  }

  var embedded = document.getElementById("graph-data");
  if (embedded) {
    draw(JSON.parse(embedded.textContent));
  } else {
    fetch(holder.getAttribute("data-source"), { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("could not load the network (" + response.status + ")"); }
        return response.json();
      })
      .then(draw)
      .catch(function (error) { holder.textContent = String(error.message); });
  }
})();
