// Draws the /prices chart with uPlot from the points the page puts in the figure's
// data-chart attribute ({"label", "x": unix seconds, "y": JMD}). No inline script: the page
// loads this file, and without JavaScript the table beneath the figure says the same.
(function () {
  'use strict';
  function draw() {
    var figure = document.getElementById('price-chart');
    if (!figure || typeof uPlot === 'undefined') {
      return;
    }
    var data = JSON.parse(figure.getAttribute('data-chart'));
    var width = function () { return Math.max(280, figure.clientWidth); };
    var options = {
      width: width(),
      height: 280,
      series: [
        {},
        { label: 'JMD', stroke: '#1b4d2b', width: 2, points: { show: data.x.length < 60 } }
      ],
      axes: [{}, { size: 60 }],
      scales: { x: { time: true } },
      legend: { show: true }
    };
    var plot = new uPlot(options, [data.x, data.y], figure);
    figure.classList.add('drawn');
    window.addEventListener('resize', function () {
      plot.setSize({ width: width(), height: 280 });
    });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw);
  } else {
    draw();
  }
})();
