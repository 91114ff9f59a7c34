// Social map: points for the places in the result list (the list beside the map names the
// same places, so the page is complete without this script, Leaflet or the tiles).
(function () {
  function popup(props) {
    const box = document.createElement("div");
    const title = document.createElement("p");
    title.textContent = props.name.split(":")[0];
    box.appendChild(title);
    const list = document.createElement("ul");
    (props.services || []).forEach((service) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = service.url;
      link.textContent = service.name;
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  }

  function initMap(el) {
    if (typeof L === "undefined" || el.leafletMap) return;
    const data = el.dataset.features ? JSON.parse(el.dataset.features) : null;
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
        pointToLayer: (feature, latlng) =>
          L.circleMarker(latlng, { radius: 9, weight: 2, color: "#8a1538", fillOpacity: 0.6 }),
        onEachFeature: (feature, lyr) => lyr.bindPopup(popup(feature.properties || {})),
      }).addTo(map);
      map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 15 });
    }
    el.leafletMap = map;
  }

  function initAll(root) {
    root.querySelectorAll("[data-sm-map]").forEach(initMap);
  }

  document.addEventListener("DOMContentLoaded", () => {
    // htmx "settles" by copying the old element's style attribute onto the new one with the
    // same id; Leaflet styles its map container, and a copied style attribute breaks the CSP.
    if (window.htmx) window.htmx.config.attributesToSettle = ["class", "width", "height"];
    initAll(document);
  });
  document.addEventListener("htmx:afterSwap", (event) => {
    initAll(event.target.parentNode || document);
    // Say how many services the new choice found (the results were replaced silently).
    const status = document.getElementById("results-status");
    const heading = document.getElementById("results-heading");
    if (status && heading) status.textContent = heading.textContent;
  });
})();
