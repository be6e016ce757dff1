/* The new-request form: the depot's stock, quota checks before sending, one line per material asked for. */
(function () {
  var form = document.getElementById("new-request");
  if (!form) return;
  var t = JSON.parse(document.getElementById("new-texts").textContent);
  var inventory = form.dataset.inventory, depot = form.querySelector("#depot");
  var fmt = new Intl.NumberFormat(rb.lang === "hi" ? "hi-IN" : "en-IN", { maximumFractionDigits: 3 });
  var fill = function (s, v) { return s.replace(/\{(\w+)\}/g, function (m, k) { return v[k]; }); };
  var milli = function (text) {
    text = rb.digits(text).trim();
    if (!text) return 0;
    if (!/^[0-9]*[.]?[0-9]{0,3}$/.test(text)) return NaN;
    return Math.round(parseFloat(text) * 1000);
  };
  var available = {};

  function loadStock() {
    var status = document.getElementById("stock-status");
    if (!depot.value) return;
    status.classList.add("loading");
    rb.api(inventory + "/stock?limit=200&depot=" + encodeURIComponent(depot.value)).then(function (r) {
      status.classList.remove("loading");
      available = {};
      if (r.ok) r.data.forEach(function (s) { available[s.sku] = Math.round(parseFloat(s.available) * 1000); });
      status.textContent = r.ok ? t.stock_ok : t.stock_failed;
      form.querySelectorAll(".material").forEach(function (box) {
        var n = available[box.dataset.sku] || 0;
        box.querySelector("[data-available]").textContent = r.ok ? fill(t.available, { n: fmt.format(n / 1000) + " " + box.querySelector(".row span").textContent }) : "";
        check(box);
      });
    });
  }

  function check(box) {
    var input = box.querySelector("input"), wanted = milli(input.value), old = box.querySelector(".short");
    if (old) old.remove();
    if (wanted > 0 && box.dataset.sku in available && wanted > available[box.dataset.sku]) {
      var p = document.createElement("p"); p.className = "hint short"; p.textContent = t.short; box.appendChild(p);
    }
  }

  rb.api(inventory + "/depots?limit=200").then(function (r) {
    depot.innerHTML = "";
    if (!r.ok) { document.getElementById("stock-status").textContent = t.depots_failed; return; }
    r.data.forEach(function (d) {
      var o = document.createElement("option");
      o.value = d.code; o.textContent = d.name + " (" + d.district + ")";
      if (d.district === form.dataset.district) o.selected = true;
      depot.appendChild(o);
    });
    loadStock();
  });
  depot.addEventListener("change", loadStock);
  form.addEventListener("input", function (e) { if (e.target.closest(".material")) check(e.target.closest(".material")); });

  form.rbCheck = function () {
    if (!depot.value) return t.nodepot;
    var byCategory = {}, any = false, bad = false;
    form.querySelectorAll(".material").forEach(function (box) {
      var q = milli(box.querySelector("input").value);
      if (isNaN(q)) { bad = true; box.querySelector("input").setAttribute("aria-invalid", "true"); return; }
      if (q > 0) { any = true; byCategory[box.dataset.category] = (byCategory[box.dataset.category] || 0) + q; }
    });
    if (bad) return t.bad;
    if (!any) return t.none;
    var boxes = form.querySelectorAll(".material");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i], c = box.dataset.category;
      if (box.dataset.leftRaw !== "" && byCategory[c] > parseInt(box.dataset.leftRaw, 10)) {
        var unit = box.querySelector(".row span").textContent;
        return fill(t.over, { category: t.categories[c] || c, left: box.dataset.left + " " + unit,
                               asked: fmt.format(byCategory[c] / 1000) + " " + unit });
      }
    }
    return "";
  };
  form.rbBody = function () {
    var lines = [];
    form.querySelectorAll(".material").forEach(function (box) {
      var v = box.querySelector("input").value.trim();
      if (milli(v) > 0) lines.push({ sku: box.dataset.sku, quantity: v });
    });
    return { depot: depot.value, lines: lines, note: form.querySelector("#note").value };
  };
})();
