// Draws each Vega-Lite spec found in a .chart element (data-spec) with the locally served Vega.
(function () {
  "use strict";
  document.querySelectorAll(".chart[data-spec]").forEach((node) => {
    const spec = JSON.parse(node.dataset.spec);
    window.vegaEmbed(node, spec, { actions: false, renderer: "svg" }).catch((err) => {
      node.textContent = `The chart could not be drawn (${err.message}); the data table below has the same figures.`;
    });
  });
})();
