/* A button that prints the page (a receipt, a passbook, a report); the browser's own dialog does the rest. */
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
