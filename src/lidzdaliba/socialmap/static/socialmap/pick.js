// Service form: click the map to fill in the latitude and longitude fields (they can also
// be typed; the form works without this script).
(function () {
  document.addEventListener("DOMContentLoaded", () => {
    const el = document.querySelector("[data-sm-map]");
    const lat = document.getElementById("id_latitude");
    const lon = document.getElementById("id_longitude");
    if (!el || !lat || !lon || typeof L === "undefined") return;
    const start = lat.value && lon.value
      ? [parseFloat(lat.value), parseFloat(lon.value)]
      : [parseFloat(el.dataset.centerLat), parseFloat(el.dataset.centerLon)];
    const map = L.map(el, { scrollWheelZoom: false }).setView(start, lat.value ? 15 : 12);
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, { maxZoom: 19, attribution: el.dataset.tileAttribution || "© OpenStreetMap" }).addTo(map);
    }
    const marker = L.marker(start).addTo(map);
    map.on("click", (event) => {
      marker.setLatLng(event.latlng);
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
    });
  });
})();
