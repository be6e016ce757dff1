/* The secretary's estimate (coop_new.html): what the depot has now of each material asked for, from inventory; a
   material the members ask more of than the depot has is said short. Without a script the row links to the public
   availability page instead. */
(function () {
  "use strict";
  var panel = document.getElementById("coop-estimate");
  var texts = document.getElementById("coop-estimate-texts");
  if (!panel || !texts || !panel.dataset.depot || !window.rb) return;
  var t = JSON.parse(texts.textContent);
  var fmt = new Intl.NumberFormat(rb.lang === "hi" ? "hi-IN" : "en-IN", { maximumFractionDigits: 3 });
  var rows = Array.prototype.slice.call(panel.querySelectorAll("[data-stock] tbody tr"));
  var url = panel.dataset.inventory + "/stock?limit=200&depot=" + encodeURIComponent(panel.dataset.depot);
  rb.api(url).then(function (r) {
    var available = {};
    if (r.ok) r.data.forEach(function (s) { available[s.sku] = Math.round(parseFloat(s.available) * 1000); });
    rows.forEach(function (row) {
      var cell = row.querySelector("[data-available]");
      if (!r.ok) { cell.textContent = t.failed; return; }
      var n = available[row.dataset.sku] || 0, asked = parseInt(row.dataset.asked, 10);
      cell.textContent = (fmt.format(n / 1000) + " " + row.dataset.unit).trim();  // the column says what it is
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
