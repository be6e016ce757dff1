/* The return form of a request's page: only the materials with a quantity are sent, each with its condition; what
   was done is said with the credit note's amount and whose account it is on. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-return-form]");
  if (!form) return;
  form.rbBody = function (f) {
    var body = { reason: f.elements.reason.value.trim(), lines: [] };
    var member = f.elements.artisan_id;
    if (member && member.value) body.artisan_id = member.value;
    f.querySelectorAll("[data-return-line]").forEach(function (row) {
      var quantity = row.querySelector("[data-quantity]").value.trim();
      var condition = row.querySelector("select").value;
      if (quantity) body.lines.push({ sku: row.dataset.sku, quantity: quantity, condition: condition });
    });
    return body;
  };
  form.rbDone = function (answer) {
    var member = form.elements.artisan_id, chosen = member && member.options[member.selectedIndex];
    var credit = "\u20B9" + Number(answer.credit).toLocaleString("en-IN", { minimumFractionDigits: 2,
                                                                             maximumFractionDigits: 2 });
    return form.dataset.doneTemplate.replace("{credit}", credit)
      .replace("{member}", chosen && chosen.value ? chosen.dataset.name : form.dataset.memberName);
  };
})();
