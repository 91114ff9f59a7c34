// Officers' update form: the cancel reason only matters for "cancelled", the completion
// date for "done"; show each when it applies (everything stays visible without JS).
(function () {
  "use strict";
  function setUp() {
    var status = document.getElementById("id_status");
    if (!status) return;
    var progress = document.getElementById("id_progress");
    var reason = document.getElementById("id_cancel_reason");
    var reasonBox = reason && reason.closest(".field");
    function sync() {
      if (reasonBox) reasonBox.classList.toggle("hidden", status.value !== "cancelled" && !reason.value);
      if (status.value === "done" && progress) progress.value = "100";
    }
    status.addEventListener("change", sync);
    sync();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
