// Reports: clustered map of reports, pin picking on the reporting form, the "is it one of
// these?" check, extra questions of the chosen category and response templates. Every part
// has a no-script fallback in the page (lists, coordinate fields, all questions shown).
(function () {
  "use strict";

  function baseMap(el) {
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
    return map;
  }

  function reportsMap(el) {
    const map = baseMap(el);
    const cluster = typeof L.markerClusterGroup === "function" ? L.markerClusterGroup() : L.layerGroup();
    cluster.addTo(map);
    fetch(el.dataset.reportsMap, { headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : null))
      .then((data) => {
        if (!data) return;
        data.features.forEach((f) => {
          const [lon, lat] = f.geometry.coordinates;
          const link = document.createElement("a");
          link.href = f.properties.url;
          link.textContent = f.properties.name;
          L.marker([lat, lon], { title: f.properties.name, alt: f.properties.name })
            .bindPopup(link)
            .addTo(cluster);
        });
        if (data.features.length && cluster.getBounds) {
          map.fitBounds(cluster.getBounds(), { padding: [20, 20], maxZoom: 16 });
        }
      })
      .catch(() => {});
    el.leafletMap = map;
  }

  function pickMap(el) {
    const form = el.closest("form");
    const lat = form.querySelector("[name=lat]");
    const lon = form.querySelector("[name=lon]");
    const category = form.querySelector("[name=category]");
    const live = document.getElementById("nearby-live");
    const map = baseMap(el);
    let marker = null;

    function place(latlng) {
      if (marker) marker.setLatLng(latlng);
      else marker = L.marker(latlng, { keyboard: false }).addTo(map);
    }

    function checkNearby() {
      if (!live || !category.value || !lat.value || !lon.value) return;
      const params = new URLSearchParams({ category: category.value, lat: lat.value, lon: lon.value });
      fetch(form.dataset.nearbyUrl + "?" + params.toString())
        .then((r) => (r.ok ? r.text() : ""))
        .then((html) => {
          live.innerHTML = html;
          const confirm = form.querySelector("[name=confirm_new]");
          // The person has seen the nearby reports here, so the server need not ask again.
          if (confirm && html.trim()) confirm.value = "on";
        })
        .catch(() => {});
    }

    if (lat.value && lon.value) place([parseFloat(lat.value), parseFloat(lon.value)]);
    map.on("click", (e) => {
      place(e.latlng);
      lat.value = e.latlng.lat.toFixed(6);
      lon.value = e.latlng.lng.toFixed(6);
      checkNearby();
    });
    [lat, lon].forEach((input) =>
      input.addEventListener("change", () => {
        if (lat.value && lon.value) {
          place([parseFloat(lat.value), parseFloat(lon.value)]);
          checkNearby();
        }
      })
    );
    category.addEventListener("change", checkNearby);
  }

  function questions(form) {
    const select = form.querySelector("select[name=category]");
    if (!select) return;
    function show() {
      form.querySelectorAll("[data-questions-for]").forEach((fs) => {
        fs.classList.toggle("hidden", fs.dataset.questionsFor !== select.value);
      });
    }
    select.addEventListener("change", show);
    show();
  }

  function templates() {
    document.querySelectorAll("[data-template-target]").forEach((button) => {
      button.addEventListener("click", () => {
        const target = document.getElementById(button.dataset.templateTarget);
        if (target) {
          target.value = button.dataset.templateText;
          target.focus();
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form.report-form").forEach(questions);
    templates();
    const errors = document.getElementById("form-errors");
    if (errors) errors.focus();
    if (typeof L === "undefined") return;
    document.querySelectorAll("[data-reports-map]").forEach(reportsMap);
    document.querySelectorAll("[data-pick-map]").forEach(pickMap);
  });
})();
