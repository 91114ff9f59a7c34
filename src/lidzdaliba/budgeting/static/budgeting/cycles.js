// Cycle set-up form: show the legal minimum (0.5 % of the three years' average revenue,
// rounded up to the cent) while the officer types the revenue. Without JS the server shows
// it after saving.
(function () {
  "use strict";
  function cents(text) {
    if (!text) return null;
    var t = String(text).replace(/[\s\u00a0\u202f'€]/g, "");
    if (t.indexOf(",") >= 0) t = t.replace(/\./g, "").replace(",", ".");
    if (!/^\d+(\.\d{1,2})?$/.test(t)) return null;
    var parts = t.split(".");
    return parseInt(parts[0], 10) * 100 + parseInt(((parts[1] || "") + "00").slice(0, 2), 10);
  }
  function init() {
    var out = document.getElementById("pb-legal-minimum");
    if (!out) return;
    var names = ["revenue_year1_cents", "revenue_year2_cents", "revenue_year3_cents"];
    var inputs = names.map(function (n) { return document.querySelector("[name=" + n + "]"); });
    if (inputs.some(function (i) { return !i; })) return;
    var lang = document.documentElement.lang || "lv";
    var fmt = new Intl.NumberFormat(lang === "en" ? "en-IE" : lang, { style: "currency", currency: "EUR" });
    function update() {
      var values = inputs.map(function (i) { return cents(i.value); });
      if (values.some(function (v) { return v === null; })) return;
      var sum = values[0] + values[1] + values[2];
      var minimum = Math.ceil(sum / 600);
      out.textContent = out.dataset.label + " ";
      var strong = document.createElement("strong");
      strong.textContent = fmt.format(minimum / 100);
      out.appendChild(strong);
    }
    inputs.forEach(function (i) { i.addEventListener("input", update); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
