/* The return form of a request's page: only the materials with a quantity are sent, each with its condition; what
   was done is said with the credit note's amount and whose account it is on. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-return-form]");
  if (!form) return;
  var sent = [];  // the rows of the materials sent, in the order of the body's lines
  // A cooperative's request: each row says what was handed over to (and came back from) the member chosen, the
  // request's whole only while none is.
  var chooser = form.elements.artisan_id;
  function showMember() {
    var member = chooser && chooser.value;
    form.querySelectorAll("[data-return-line] [data-whole]").forEach(function (whole) {
      var cell = whole.parentElement, own = member ? cell.querySelector('[data-member="' + member + '"]') : null;
      whole.hidden = Boolean(own);
      cell.querySelectorAll("[data-member]").forEach(function (span) { span.hidden = span !== own; });
    });
  }
  if (chooser && chooser.tagName === "SELECT") {
    chooser.addEventListener("change", showMember);
    showMember();  // a choice the browser kept on going back
  }
  form.rbBody = function (f) {
    var body = { reason: f.elements.reason.value.trim(), lines: [] };
    var member = f.elements.artisan_id;
    if (member && member.value) body.artisan_id = member.value;
    sent = [];
    f.querySelectorAll("[data-return-line]").forEach(function (row) {
      var quantity = row.querySelector("[data-quantity]").value.trim();
      var condition = row.querySelector("select").value;
      if (quantity) {
        body.lines.push({ sku: row.dataset.sku, quantity: quantity, condition: condition });
        sent.push(row);
      }
    });
    return body;
  };
  // A refusal names the body's lines by their place among those sent ("lines.1.quantity": the second material with
  // a quantity), not the page's rows: it goes to that material's field; "lines" itself (none sent) to the first.
  form.rbField = function (name) {
    var first = form.querySelector("[data-return-line] [data-quantity]");
    if (name === "lines") return first;
    var parts = /^lines\.(\d+)\.(\w+)$/.exec(name), row = parts && sent[Number(parts[1])];
    if (!row) return null;
    return parts[2] === "condition" ? row.querySelector("select") : row.querySelector("[data-quantity]");
  };
  form.rbDone = function (answer) {
    var member = form.elements.artisan_id, chosen = member && member.options[member.selectedIndex];
    return form.dataset.doneTemplate.replace("{credit}", "\u20B9" + rb.money(answer.credit))
      .replace("{member}", chosen && chosen.value ? chosen.dataset.name : form.dataset.memberName);
  };
})();
