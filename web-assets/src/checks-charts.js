// Draws what /checks shows as tables: the checks per day by verdict as a uPlot chart (from
// the days table's data-series attribute), and ALERT and CHECK by parish as a Leaflet map of
// circles at the parishes' centres (from the parish table's data-places attribute), on a
// plain background. No inline script: the page loads this file, and without JavaScript the
// tables are the page. The figures are put before their tables, which stay.
(function () {
  'use strict';
  var COLOURS = { VALID: '#1b5e20', CHECK: '#a15c00', ALERT: '#b71c1c', UNKNOWN: '#555555' };

  // A figure before the table's wrapper, captioned with the table's caption (the map holds
  // Leaflet's own controls, so the figure names itself with a caption, not as an image).
  function figureBefore(table, id, label) {
    var wrap = table.closest('.table-wrap') || table;
    var figure = document.createElement('figure');
    figure.id = id;
    figure.className = 'checks-figure';
    var caption = document.createElement('figcaption');
    caption.textContent = label;
    figure.appendChild(caption);
    wrap.parentNode.insertBefore(figure, wrap);
    return figure;
  }

  function chart() {
    var table = document.getElementById('days');
    if (!table || typeof uPlot === 'undefined') {
      return;
    }
    var data = JSON.parse(table.getAttribute('data-series'));
    var caption = table.querySelector('caption');
    var figure = figureBefore(table, 'days-chart', caption ? caption.textContent : '');
    var x = data.day.map(function (d) { return Date.parse(d + 'T00:00:00Z') / 1000; });
    var series = [{}];
    var columns = [x];
    Object.keys(COLOURS).forEach(function (verdict) {
      if (data[verdict]) {
        series.push({ label: verdict, stroke: COLOURS[verdict], width: 2,
                      points: { show: x.length < 60 } });
        columns.push(data[verdict]);
      }
    });
    var xScale = { time: true };
    if (x.length === 1) {
      xScale.auto = false;  // one day alone: a day either side of it, not years
      xScale.range = [x[0] - 86400, x[0] + 86400];
    }
    var width = function () { return Math.max(280, figure.clientWidth); };
    var plot = new uPlot({ width: width(), height: 260, series: series,
                           axes: [{}, { size: 50 }],
                           scales: { x: xScale } },
                         columns, figure);
    figure.classList.add('drawn');
    window.addEventListener('resize', function () {
      plot.setSize({ width: width(), height: 260 });
    });
  }

  function map() {
    var table = document.getElementById('parishes');
    if (!table || typeof L === 'undefined') {
      return;
    }
    var places = JSON.parse(table.getAttribute('data-places'));
    if (!places.length) {
      return;
    }
    var caption = table.querySelector('caption');
    var figure = figureBefore(table, 'parish-checks-map', caption ? caption.textContent : '');
    var element = document.createElement('div');
    element.className = 'map';
    figure.appendChild(element);
    var leaflet = L.map(element, { attributionControl: false, scrollWheelZoom: false,
                                   zoomSnap: 0.25 });
    // The whole island, whichever parishes have checks (one parish alone would zoom in on
    // a single point).
    var island = L.latLngBounds([[17.70, -78.40], [18.55, -76.15]]);
    leaflet.fitBounds(island, { animate: false });
    leaflet.on('resize', function () { leaflet.fitBounds(island, { animate: false }); });
    var largest = Math.max.apply(null, places.map(function (p) { return p.alert + p.check; })) || 1;
    places.forEach(function (p) {
      var total = p.alert + p.check;
      L.circleMarker([p.lat, p.lon], {
        radius: 4 + 26 * Math.sqrt(total / largest),
        color: COLOURS.ALERT,
        weight: 2,
        fillColor: p.alert > 0 ? COLOURS.ALERT : COLOURS.CHECK,
        fillOpacity: 0.5
      }).bindTooltip(p.name + ': ALERT ' + p.alert + ', CHECK ' + p.check).addTo(leaflet);
    });
    figure.classList.add('drawn');
  }

  function draw() {
    chart();
    map();
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw);
  } else {
    draw();
  }
})();
