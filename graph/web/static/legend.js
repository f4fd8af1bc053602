// Colours the legend swatches from their data-colour attribute (the CSP allows no inline styles).
(function () {
  "use strict";
  var swatches = document.querySelectorAll(".swatch[data-colour]");
  for (var i = 0; i < swatches.length; i++) {
    var colour = swatches[i].getAttribute("data-colour");
    if (/^#[0-9a-fA-F]{6}$/.test(colour)) { swatches[i].style.background = colour; }
  }
})();
