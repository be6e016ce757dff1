/* Inventory pages, without inline script: an order's lines checked before it is sent, and the service's refusals of
   a line said beside it; rawbank.js builds the bodies with nested fields (data-nested), submits choices and prints. */
(function () {
  "use strict";

  // every started line of a form with [data-lines] needs all of its fields: each one left empty says so under it
  // ("Quantity 2: fill this in."), described by it, and rawbank.js puts the keyboard on the first of them
  function checkLines(form) {
    var rows = form.querySelectorAll("[data-line]"), problem = null;
    Array.prototype.forEach.call(rows, function (row) {
      var fields = row.querySelectorAll("input, select");
      var started = Array.prototype.some.call(fields, function (f) { return f.value.trim() !== ""; });
      Array.prototype.forEach.call(fields, function (f) {
        if (started && f.value.trim() === "") { rb.fieldError(f, rb.texts.v_required); problem = form.dataset.lines; }
      });
    });
    var any = Array.prototype.some.call(rows, function (row) {
      return Array.prototype.some.call(row.querySelectorAll("input, select"), function (f) { return f.value.trim(); });
    });
    return problem || (rows.length && !any ? form.dataset.lines : null);
  }

  function started(row) {
    return Array.prototype.some.call(row.querySelectorAll("input, select"), function (f) { return f.value.trim() !== ""; });
  }

  // a material on two lines: the later line's material is marked (the API takes each material once)
  function checkTwice(form) {
    var seen = {}, problem = null;
    Array.prototype.forEach.call(form.querySelectorAll("[data-line] select"), function (select) {
      if (!select.value) return;
      if (seen[select.value]) { problem = rb.fieldError(select, form.dataset.twice); }
      seen[select.value] = true;
    });
    return problem;
  }

  // a line priced at 0 is said once (a slip of the keyboard orders for nothing); pressed again as it is, it goes
  function checkFree(form) {
    if (!form.dataset.free) return null;
    var free = Array.prototype.filter.call(form.querySelectorAll('[data-line] input[name$=".price"]'), function (f) {
      var value = rb.digits(f.value.trim());
      return value !== "" && /^0*(\.0*)?$/.test(value);
    });
    var said = free.map(function (f) { return f.name; }).join(" ");
    if (!free.length || form.rbFreeSaid === said) return null;
    form.rbFreeSaid = said;
    free.forEach(function (f) { f.setAttribute("aria-invalid", "true"); });
    free[0].focus();
    return form.dataset.free;
  }

  // The API numbers only the lines sent (rows left empty are dropped): its "lines.0" is the first row filled in.
  // Its refusals are said beside the row the person filled, and one about the lines as a whole is said in words.
  function lineErrors(form, error) {
    var lines = error.details && error.details.lines;
    var rows = Array.prototype.filter.call(form.querySelectorAll("[data-line]"), started), byRow = {};
    if (error.code !== "validation_error") return ruleOnLine(form, error, rows);
    if (!lines || typeof lines !== "object") return false;
    if (Array.isArray(lines)) { rb.say(form, lines.join(" "), "error"); return true; }
    Object.keys(lines).forEach(function (index) {
      var row = rows[parseInt(index, 10)], field = row && row.querySelector("input, select");
      byRow[field ? field.name.split(".")[1] : index] = lines[index];
    });
    var details = {};
    Object.keys(error.details).forEach(function (key) { details[key] = key === "lines" ? byRow : error.details[key]; });
    rb.showError(form, { code: error.code, message: error.message, details: details });
    return true;
  }

  // a business rule refused about one field of one line (422 whole_units_only: details.field "lines.1.quantity",
  // numbered as sent): said under that field of the row the person filled, as a field's error is, not for the form
  function ruleOnLine(form, error, rows) {
    var named = /^lines\.(\d+)\.(\w+)$/.exec((error.details && error.details.field) || "");
    var row = named && rows[parseInt(named[1], 10)];
    var field = row && row.querySelector('[name$=".' + named[2] + '"]');
    if (!field) return false;
    rb.fieldError(field, error.message);
    rb.refuse(form);
    rb.attend(form);
    return true;
  }

  // a form of ticked materials (data-ticks): none ticked is said before sending, and the service's refusal of the
  // list in words for the form, not under the first box as if it were about that material
  function ticked(form) {
    function any() { return form.querySelector('input[type="checkbox"]:checked'); }
    form.rbCheck = function () { return any() ? null : form.dataset.ticks; };
    form.rbError = function (error) {
      var skus = error.details && error.details.skus;
      if (error.code !== "validation_error" || !Array.isArray(skus)) return false;
      rb.say(form, any() ? skus.join(" ") : form.dataset.ticks, "error");
      return true;
    };
  }

  // A new order's lines take the price its supplier lists for their material (the supplier's data-prices), into a
  // price left empty or one filled so before; a price typed by hand stays.
  function listedPrices(form) {
    var supplier = form.querySelector('select[name="supplier"]');
    if (!supplier) return;
    var fill = function () {
      var chosen = supplier.options[supplier.selectedIndex];
      var prices = chosen && chosen.dataset.prices ? JSON.parse(chosen.dataset.prices) : {};
      form.querySelectorAll("[data-line]").forEach(function (row) {
        var sku = row.querySelector("select"), price = row.querySelector('input[name$=".price"]');
        if (!sku || !price || (price.value && price.value !== price.dataset.listed)) return;
        price.value = prices[sku.value] || "";
        price.dataset.listed = price.value;
      });
    };
    form.addEventListener("change", function (event) {
      if (event.target === supplier || event.target.matches("[data-line] select")) fill();
    });
  }

  // A line's material chooser shows what its width holds of the chosen name: a longer one (a hundred characters, in
  // Hindi or English) is written out in full under it, wrapping. Screen readers hear the name from the chooser.
  function namesInFull(form) {
    var ruler = document.createElement("canvas").getContext("2d");
    var show = function (select) {
      var note = select.parentElement.querySelector(".chosen-name");  // a field's error may come between them
      if (!note) {
        note = document.createElement("p");
        note.className = "hint chosen-name";
        note.setAttribute("aria-hidden", "true");
        select.after(note);
      }
      var option = select.options[select.selectedIndex], name = option && option.value ? option.text : "";
      var style = getComputedStyle(select), size = parseFloat(style.fontSize);
      ruler.font = style.fontWeight + " " + style.fontSize + " " + style.fontFamily;
      // what the box holds: its width less its padding and (about two letters) its arrow
      var room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 2 * size;
      note.textContent = name;
      note.hidden = !name || ruler.measureText(name).width <= room;
    };
    var each = function () { form.querySelectorAll("[data-line] select").forEach(show); };
    form.addEventListener("change", function (event) {
      if (event.target.matches("[data-line] select")) show(event.target);
    });
    window.addEventListener("resize", each);
    each();
  }

  function ready() {
    document.querySelectorAll("form#new-order").forEach(listedPrices);
    document.querySelectorAll("form#new-order").forEach(namesInFull);
    document.querySelectorAll("form[data-ticks]").forEach(ticked);
    document.querySelectorAll("form[data-lines]").forEach(function (form) {
      form.rbCheck = function () { return checkLines(form) || checkTwice(form) || checkFree(form); };
      form.rbError = function (error) { return lineErrors(form, error); };
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
