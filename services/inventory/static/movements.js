/* Movement forms: the saved message with the depot's new figure, and the adjustment's direction. */
(function () {
  var done = JSON.parse(document.getElementById("movement-texts").textContent).done;
  var fmt = new Intl.NumberFormat(rb.lang === "hi" ? "hi-IN" : "en-IN", { maximumFractionDigits: 3 });
  document.querySelectorAll("form[data-api]").forEach(function (form) {
    form.rbDone = function (data) {
      return done.replace("{depot}", data.stock.depot).replace("{n}", fmt.format(parseFloat(data.stock.available)));
    };
  });
  var adjust = document.getElementById("adjust");
  if (adjust) adjust.rbBody = function (form) {
    var q = form.quantity.value.trim().replace(/^[-+]/, "");
    return { type: "adjustment", depot: form.depot.value, sku: form.sku.value, reason: form.reason.value,
             reference: form.reference.value, quantity: (form.direction.value === "-1" ? "-" : "") + q };
  };
})();
