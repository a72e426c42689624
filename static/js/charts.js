// Draws every <div data-chart="ID"> with Apache ECharts (static/vendor/echarts/echarts.min.js, loaded
// before this file) from the option in <script type="application/json" id="ID">, which the server built
// from the table beside the chart (apps/supervision/charts.py). No inline script: the page's content
// security policy forbids it, so the option travels as JSON and this file adds what JSON cannot say:
// - the tooltip's unit ("%") from each series' `hallUnit`, and a dash for an empty value;
// - no animation when the user asks for reduced motion;
// - the chart's height from data-chart-height (the CSP forbids inline style; the CSSOM is allowed);
// - redrawing at the new size when the window or the chart's box changes size.
"use strict";

(() => {
  if (!window.echarts) {
    return; // The tables beside the charts carry every figure.
  }
  const reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)");
  const charts = [];

  function withUnits(option) {
    for (const series of option.series || []) {
      const unit = series.hallUnit || "";
      delete series.hallUnit;
      series.tooltip = Object.assign({}, series.tooltip, {
        valueFormatter: (value) => (value === null || value === undefined || value === "-" ? "—" : value + unit),
      });
    }
    return option;
  }

  function draw(element) {
    const source = document.getElementById(element.dataset.chart);
    if (!source || element.dataset.chartDrawn) {
      return;
    }
    const option = withUnits(JSON.parse(source.textContent));
    option.animation = !(reducedMotion && reducedMotion.matches);
    const height = parseInt(element.dataset.chartHeight, 10);
    if (height > 0) {
      element.style.height = height + "px";
    }
    const chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(option);
    element.dataset.chartDrawn = "true";
    charts.push(chart);
    if (window.ResizeObserver) {
      new ResizeObserver(() => chart.resize()).observe(element);
    }
  }

  function drawAll(root) {
    for (const element of root.querySelectorAll("[data-chart]")) {
      draw(element);
    }
  }

  let pending = false;
  window.addEventListener("resize", () => {
    if (pending) {
      return;
    }
    pending = true;
    window.requestAnimationFrame(() => {
      pending = false;
      for (const chart of charts) {
        chart.resize();
      }
    });
  });
  if (reducedMotion && reducedMotion.addEventListener) {
    reducedMotion.addEventListener("change", () => {
      for (const chart of charts) {
        chart.setOption({ animation: !reducedMotion.matches });
      }
    });
  }
  // Figures htmx swaps in later (a filter applied in place) are drawn when they settle.
  document.addEventListener("htmx:afterSettle", (event) => drawAll(event.target));
  drawAll(document);
})();
