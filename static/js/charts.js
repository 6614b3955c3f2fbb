// Draws every <div data-chart='{...ECharts option...}'> on the page with the vendored ECharts.
// The option JSON is built on the server (json_script-safe); the page stays usable without script.
(function () {
  function draw() {
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.drawn || typeof echarts === "undefined") return;
      var source = document.getElementById(el.dataset.chart);
      if (!source) return;
      var chart = echarts.init(el, null, { renderer: "svg" });
      chart.setOption(JSON.parse(source.textContent));
      el.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSwap", draw);
})();
