// Ideas: the pin picker of the idea form and the point on an idea's page. The form works
// without this script (coordinates and the address can be typed), and the page names the
// place in text, so nothing depends on Leaflet or on map tiles loading.
(function () {
  "use strict";

  function baseMap(el, center, zoom) {
    const map = L.map(el, { scrollWheelZoom: false }).setView(center, zoom);
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, {
        maxZoom: 19,
        attribution: el.dataset.tileAttribution || "© OpenStreetMap",
      }).addTo(map);
    }
    el.leafletMap = map;
    return map;
  }

  function pickMap(el) {
    const form = el.closest("form");
    const lat = form.querySelector("[name=lat]");
    const lon = form.querySelector("[name=lon]");
    if (!lat || !lon) return;
    const has = lat.value && lon.value;
    const center = has
      ? [parseFloat(lat.value), parseFloat(lon.value)]
      : [parseFloat(el.dataset.centerLat), parseFloat(el.dataset.centerLon)];
    const map = baseMap(el, center, has ? 15 : parseInt(el.dataset.zoom || "12", 10));
    let marker = has ? L.marker(center, { keyboard: false }).addTo(map) : null;
    function place(latlng) {
      if (marker) marker.setLatLng(latlng);
      else marker = L.marker(latlng, { keyboard: false }).addTo(map);
    }
    map.on("click", (e) => {
      place(e.latlng);
      lat.value = e.latlng.lat.toFixed(6);
      lon.value = e.latlng.lng.toFixed(6);
    });
    [lat, lon].forEach((input) =>
      input.addEventListener("change", () => {
        if (lat.value && lon.value) place([parseFloat(lat.value), parseFloat(lon.value)]);
      })
    );
  }

  function pointMap(el) {
    const point = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
    const map = baseMap(el, point, 15);
    L.marker(point, { keyboard: false }).addTo(map);
  }

  document.addEventListener("DOMContentLoaded", () => {
    const errors = document.getElementById("form-errors");
    if (errors) errors.focus();
    if (typeof L === "undefined") return;
    document.querySelectorAll("[data-idea-pick-map]").forEach(pickMap);
    document.querySelectorAll("[data-idea-point]").forEach(pointMap);
  });
})();
