/* A button that prints the page (the receipt); printing needs no more than the browser's own dialog. */
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
