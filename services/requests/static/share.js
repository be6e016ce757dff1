/* A member's share of several materials: what they received of each goes as `lines` [{sku, quantity}], so a member
   who got less of one material can say so in the app (the SMS code answers one figure only). */
(function () {
  "use strict";
  function ready() {
    document.querySelectorAll("form[data-share-lines]").forEach(function (form) {
      form.rbBody = function () {
        var lines = Array.prototype.map.call(form.querySelectorAll("input[data-sku]"), function (field) {
          return { sku: field.dataset.sku, quantity: field.value.trim() };
        });
        return { artisan_id: form.elements.artisan_id.value, lines: lines };
      };
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
