// After the signing panel is replaced by htmx, move focus to its message or errors, so
// that keyboard and screen-reader users hear the outcome. The page works without this file.
document.addEventListener("htmx:afterSettle", () => {
  const panel = document.getElementById("sign-panel");
  if (!panel || panel.contains(document.activeElement)) return;
  const outcome = panel.querySelector(".form-errors, .messages");
  if (outcome) {
    outcome.setAttribute("tabindex", "-1");
    outcome.focus();
  }
});
