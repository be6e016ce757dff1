/* In-page confirmations (<details class="confirm">): opening one puts the focus on its first button; "No" closes it.
   Enter in one of the form's fields sends the form by its first button, the confirmation's "Yes" even while it is
   closed: it opens the confirmation instead, which asks first, as its own button does. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var by = event.submitter, box = by && by.closest("details.confirm");
    if (!box || box.open || box.closest("form") !== event.target) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    box.open = true;  // the toggle below puts the focus on its first button
  }, true);
  document.addEventListener("toggle", function (event) {
    var box = event.target;
    if (box.matches && box.matches("details.confirm") && box.open) box.querySelector(".actions button").focus();
  }, true);
  document.addEventListener("click", function (event) {
    var no = event.target.closest("[data-close-details]");
    if (!no) return;
    var box = no.closest("details");
    box.open = false;
    box.querySelector("summary").focus();
  });
})();
