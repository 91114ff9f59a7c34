// Leaflet maps from data attributes. The same places are always listed as text beside the
// map, so a page stays useful when this script, Leaflet or the map tiles cannot load.
(function () {
  function initMap(el) {
    if (typeof L === "undefined") return;
    const dataEl = document.getElementById(el.dataset.map);
    const data = dataEl ? JSON.parse(dataEl.textContent) : null;
    const map = L.map(el, { scrollWheelZoom: false }).setView(
      [parseFloat(el.dataset.centerLat), parseFloat(el.dataset.centerLon)],
      parseInt(el.dataset.zoom || "12", 10)
    );
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, {
        maxZoom: 19,
        attribution: el.dataset.tileAttribution || "© OpenStreetMap",
      }).addTo(map);
    }
    if (data && data.features && data.features.length) {
      const layer = L.geoJSON(data, {
        onEachFeature: (feature, lyr) => {
          const props = feature.properties || {};
          if (props.name) {
            const link = document.createElement("a");
            link.href = props.url || "#";
            link.textContent = props.name;
            lyr.bindPopup(link);
          }
        },
      }).addTo(map);
      map.fitBounds(layer.getBounds(), { padding: [10, 10] });
    }
    el.leafletMap = map;
  }
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-map]").forEach(initMap);
  });
})();
