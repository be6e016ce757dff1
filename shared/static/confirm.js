/* In-page confirmations (<details class="confirm">): opening one puts the focus on its first button; "No" closes it. */
(function () {
  "use strict";
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
