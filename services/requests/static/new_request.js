/* The new-request form: the depot's stock, quota checks before sending, one line per material asked for. */
(function () {
  var form = document.getElementById("new-request");
  if (!form) return;
  var t = JSON.parse(document.getElementById("new-texts").textContent);
  var inventory = form.dataset.inventory, depot = form.querySelector("#depot");
  var fill = rb.fillText;
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
    rb.depotStock(inventory, depot.value).then(function (stock) {
      status.classList.remove("loading");
      available = stock.available;
      status.textContent = stock.ok ? t.stock_ok : t.stock_failed;
      form.querySelectorAll(".material").forEach(function (box) {
        var n = available[box.dataset.sku] || 0, unit = box.querySelector(".row span").textContent;
        box.querySelector("[data-available]").textContent =
          stock.ok ? fill(t.available, { n: rb.quantity(n) + " " + unit }) : "";
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
      o.value = d.code; o.textContent = ((rb.lang === "hi" && d.name_hi) || d.name) + " (" +
        ((rb.lang === "hi" && d.district_hi) || d.district) + ")";
      if (d.district === form.dataset.district) o.selected = true;
      depot.appendChild(o);
    });
    depot.dispatchEvent(new Event("change", { bubbles: true }));  // its stock, and the price (estimate.js), for it
  });
  depot.addEventListener("change", loadStock);
  form.addEventListener("input", function (e) { if (e.target.closest(".material")) check(e.target.closest(".material")); });

  // Each quantity box, and what people call it: the material's name.
  function boxes() { return Array.prototype.slice.call(form.querySelectorAll(".material")); }
  function nameOf(box) { return box.querySelector("label").firstChild.textContent.trim(); }
  function mark(box, text) {
    var input = box.querySelector("input"), p = document.createElement("p");
    p.className = "field-error"; p.id = input.id + "-error"; p.textContent = text;
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", input.id + "-error " + (input.dataset.hints || ""));
    box.querySelector(".row").insertAdjacentElement("afterend", p);
    return text;
  }
  boxes().forEach(function (box) {
    var input = box.querySelector("input");
    input.dataset.hints = input.getAttribute("aria-describedby") || "";
  });
  function unmark() {
    form.querySelectorAll(".material .field-error").forEach(function (p) { p.remove(); });
    boxes().forEach(function (box) {
      var input = box.querySelector("input");
      input.removeAttribute("aria-invalid");
      input.setAttribute("aria-describedby", input.dataset.hints);
    });
  }
  function focusFirst() { var f = form.querySelector('.material [aria-invalid="true"]'); if (f) f.focus(); }

  var sent = [];  // the boxes of the lines sent, in the order of the body's lines
  form.rbCheck = function () {
    unmark();
    if (!depot.value) return t.nodepot;
    // rawbank.js has already said beside each box what is not a quantity; here: none asked, or more than is left
    var byCategory = {}, any = false, problems = [];
    boxes().forEach(function (box) {
      var q = milli(box.querySelector("input").value);
      if (q > 0) { any = true; byCategory[box.dataset.category] = (byCategory[box.dataset.category] || 0) + q; }
    });
    if (!any) return t.none;
    boxes().forEach(function (box) {
      var c = box.dataset.category, q = milli(box.querySelector("input").value);
      if (q > 0 && box.dataset.leftRaw !== "" && byCategory[c] > parseInt(box.dataset.leftRaw, 10)) {
        var unit = box.querySelector(".row span").textContent;
        // asking for less cannot help without looms, nor once the month's quota is used up
        var text = "noLooms" in box.dataset ? t.no_looms : parseInt(box.dataset.leftRaw, 10) <= 0 ? t.used_up : t.over;
        problems.push(mark(box, fill(text, { material: nameOf(box), category: t.categories[c] || c,
          left: box.dataset.left + " " + unit, asked: rb.quantity(byCategory[c]) + " " + unit })));
      }
    });
    if (problems.length) { focusFirst(); return problems.join(" "); }
    var chosen = rbResend.choose(form.dataset.idempotency, JSON.stringify(form.rbBody()));
    form.dataset.idempotency = chosen.key;
    form.dataset.next = form.dataset.nextBase + (chosen.again ? "?again=1" : "");
    return "";
  };
  form.rbBody = function () {
    var lines = [];
    sent = [];
    boxes().forEach(function (box) {
      var v = rb.digits(box.querySelector("input").value.trim());
      if (milli(v) > 0) { lines.push({ sku: box.dataset.sku, quantity: v }); sent.push(box); }
    });
    return { depot: depot.value, lines: lines, note: form.querySelector("#note").value };
  };
  // What the server refused, said beside the quantity it is about (never "see details").
  form.rbError = function (error) {
    var details = error.details || {}, problems = [];
    if (error.code) rbResend.forget(form.dataset.idempotency);  // refused: nothing was stored under it
    if (error.code === "idempotency_key_reused") {
      form.dataset.idempotency = rbResend.freshKey();
      rb.say(form, t.reused, "error");
      return true;
    }
    if (error.code === "quota_exceeded") {
      boxes().forEach(function (box) {
        if (box.dataset.category === details.category && milli(box.querySelector("input").value) > 0) mark(box, error.message);
      });
      problems = form.querySelector('.material [aria-invalid="true"]') ? [error.message] : [];
    }
    if (error.code === "validation_error" && details.lines && typeof details.lines === "object") {
      Object.keys(details.lines).forEach(function (index) {
        var box = sent[parseInt(index, 10)], found = details.lines[index];
        if (!box || !found || typeof found !== "object") return;
        var words = Object.keys(found).map(function (k) { return [].concat(found[k]).join(" "); }).join(" ");
        problems.push(mark(box, nameOf(box) + ": " + words));
      });
    }
    if (!problems.length) return false;
    focusFirst();
    rb.refuse(form);  // said under each quantity it is about
    return true;
  };
})();
