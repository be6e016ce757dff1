/* Movement forms: the saved message names what moved, how much in its unit, and the depot's new figure (a receipt
   against an order: what is still to come on it); the adjustment's direction. */
(function () {
  var texts = JSON.parse(document.getElementById("movement-texts").textContent);
  var depotName = (document.querySelector("[data-depot-name]") || { dataset: {} }).dataset.depotName || "";
  function amount(value, unit) { return rb.quantity(Math.round(parseFloat(value) * 1000)) + " " + unit; }
  document.querySelectorAll("form[data-api]").forEach(function (form) {
    form.rbDone = function (data) {
      var option = form.querySelector('select[name="sku"]').selectedOptions[0];
      var unit = option.dataset.unit, to = form.querySelector('select[name="to_depot"]');
      var values = { material: option.dataset.name, quantity: (data.quantity > 0 && data.type === "adjustment" ? "+" : "") + amount(data.quantity, unit),
                     depot: depotName, available: amount(data.stock.available, unit),
                     to: to ? to.selectedOptions[0].textContent : "" };
      if (data.type === "receipt") known(data.sku, data.lot);
      return rb.fillText(texts[data.type], values) + ordered(data.order, values, unit);
    };
  });
  // a receipt against a purchase order: what of the material is still to come on it, or that it is complete
  function ordered(order, values, unit) {
    if (!order) return "";
    var said = { material: values.material, order: order.purchase_order, remaining: amount(order.remaining, unit) };
    var text = order.complete ? texts.order_done : parseFloat(order.remaining) > 0 ? texts.to_come : texts.line_done;
    return " " + rb.fillText(text, said);
  }
  // a new lot of a dye or chemical must say when it expires (the server refuses it without: expiry_required); more
  // of a lot the depot already has of that material keeps that lot's date, so the date is not asked for then
  var lotsHere = JSON.parse((document.getElementById("receipt-lots") || { textContent: "{}" }).textContent);
  var receiveSku = document.getElementById("receive-sku"), expires = document.getElementById("receive-expires");
  var receiveLot = document.getElementById("receive-lot");
  function known(sku, lot) {  // a lot just received is the depot's from now on
    if (!sku || !lot) return;
    lotsHere[sku] = lotsHere[sku] || [];
    if (lotsHere[sku].indexOf(lot) < 0) lotsHere[sku].push(lot);
  }
  if (receiveSku && expires) {
    var dated = (expires.dataset.dated || "").split(" ");
    var mark = function () {
      var option = receiveSku.selectedOptions[0], code = receiveLot ? receiveLot.value.trim() : "";
      var existing = !!code && !!option && (lotsHere[option.value] || []).indexOf(code) >= 0;
      expires.required = !!option && dated.indexOf(option.dataset.category) >= 0 && !existing;
    };
    receiveSku.addEventListener("change", mark);
    if (receiveLot) receiveLot.addEventListener("input", mark);
    receiveSku.form.addEventListener("reset", function () { setTimeout(mark, 0); });
    mark();
  }
  // an order with one material still to come: choosing the order chooses that material (as its "Receive" link does)
  var receiveOrder = document.getElementById("receive-order");
  if (receiveSku && receiveOrder) receiveOrder.addEventListener("change", function () {
    var sku = (receiveOrder.selectedOptions[0] || { dataset: {} }).dataset.sku;
    if (!sku || receiveSku.value === sku) return;
    receiveSku.value = sku;
    receiveSku.dispatchEvent(new Event("change", { bubbles: true }));
  });
  var adjust = document.getElementById("adjust");
  if (adjust) adjust.rbBody = function (form) {
    var q = form.quantity.value.trim().replace(/^[-+]/, "");
    return { type: "adjustment", depot: form.depot.value, sku: form.sku.value, reason: form.reason.value,
             reference: form.reference.value, quantity: (form.direction.value === "-1" ? "-" : "") + q };
  };
})();
