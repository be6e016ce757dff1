/* The secretary's estimate (coop_new.html): what the depot has now of each material asked for, from inventory; a
   material the members ask more of than the depot has is said short. Without a script the row links to the public
   availability page instead. */
(function () {
  "use strict";
  var panel = document.getElementById("coop-estimate");
  var texts = document.getElementById("coop-estimate-texts");
  if (!panel || !texts || !panel.dataset.depot || !window.rb) return;
  var t = JSON.parse(texts.textContent);
  var rows = Array.prototype.slice.call(panel.querySelectorAll("[data-stock] tbody tr"));
  rb.depotStock(panel.dataset.inventory, panel.dataset.depot).then(function (stock) {
    rows.forEach(function (row) {
      var cell = row.querySelector("[data-available]");
      if (!stock.ok) { cell.textContent = t.failed; return; }
      var n = stock.available[row.dataset.sku] || 0, asked = parseInt(row.dataset.asked, 10);
      cell.textContent = (rb.quantity(n) + " " + row.dataset.unit).trim();  // the column says what it is
      if (asked > n) {
        var p = document.createElement("p");
        p.className = "field-error";
        p.setAttribute("data-short", "");
        p.textContent = t.short;
        cell.appendChild(p);
      }
    });
  });
})();
