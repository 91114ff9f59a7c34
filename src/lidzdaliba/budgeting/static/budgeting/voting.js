// The ballot form saves itself on every change (htmx). When a change is refused, the server
// swaps in the whole form with the stored choices and a message: move focus to the message
// so that keyboard and screen-reader users hear why.
document.addEventListener("htmx:afterSettle", () => {
  const error = document.querySelector("#ballot-form .ballot-error:not([data-seen])");
  if (error) {
    error.setAttribute("data-seen", "");
    error.focus();
  }
});
