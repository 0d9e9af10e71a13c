// Draws the /stats map with Leaflet: each parish a circle at its centre, sized by the
// chosen figure, on a plain background. The points come from the map's data-points
// attribute; tiles only from data-tiles (the server's web.map_tile_url), which is empty by
// default, so the page fetches nothing from elsewhere. The table beneath is the page without
// JavaScript.
(function () {
  'use strict';
  function draw() {
    var element = document.getElementById('parish-map');
    if (!element || typeof L === 'undefined') {
      return;
    }
    var figure = document.getElementById('map-figure');
    if (figure) {
      figure.hidden = false;  // before the map measures its container
    }
    var points = JSON.parse(element.getAttribute('data-points'));
    var tiles = element.getAttribute('data-tiles');
    var map = L.map(element, {
      attributionControl: Boolean(tiles),
      scrollWheelZoom: false,
      zoomSnap: 0.25
    });
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 12 }).addTo(map);
    }
    var bounds = L.latLngBounds(points.map(function (p) { return [p.lat, p.lon]; }));
    map.fitBounds(bounds.pad(0.15), { animate: false });
    // A narrower window (a phone turned round) shows the whole island again.
    map.on('resize', function () { map.fitBounds(bounds.pad(0.15), { animate: false }); });
    var layer = L.layerGroup().addTo(map);
    function show(measure) {
      layer.clearLayers();
      var largest = Math.max.apply(null, points.map(function (p) { return p[measure]; })) || 1;
      var label = element.getAttribute('data-label-' + measure);
      points.forEach(function (p) {
        var value = p[measure];
        L.circleMarker([p.lat, p.lon], {
          radius: 4 + 26 * Math.sqrt(value / largest),
          color: '#1b4d2b',
          weight: 2,
          fillColor: '#4c9a2a',
          fillOpacity: 0.55
        }).bindTooltip(p.name + ': ' + value.toLocaleString('en') + ' (' + label + ')')
          .addTo(layer);
      });
      var caption = document.getElementById('map-measure');
      if (caption) {
        caption.textContent = label;
      }
    }
    var controls = document.getElementById('map-controls');
    if (controls) {
      controls.hidden = false;
      controls.addEventListener('click', function (event) {
        var button = event.target.closest('button[data-measure]');
        if (!button) {
          return;
        }
        controls.querySelectorAll('button').forEach(function (b) {
          b.setAttribute('aria-pressed', String(b === button));
        });
        show(button.getAttribute('data-measure'));
      });
    }
    show('farmers');
    element.classList.add('drawn');
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw);
  } else {
    draw();
  }
})();
