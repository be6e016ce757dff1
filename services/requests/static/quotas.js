/* The quota form: the limit's unit beside it, a replacement said as old -> new before it is made, edit and remove. */
(function () {
  "use strict";
  var form = document.getElementById("quota-form");
  if (!form) return;
  var t = JSON.parse(document.getElementById("quota-texts").textContent);
  var fill = rb.fillText;
  var category = form.querySelector("#category"), limit = form.querySelector("#limit");
  var artisan = form.querySelector("#artisan_id"), perLoom = form.querySelector("#per_loom");
  var panel = document.getElementById("replace");

  function unit() { return category.selectedOptions[0].dataset.unit || ""; }
  function showUnit() { document.getElementById("limit-unit").textContent = unit(); }
  function figure(amount) { return rb.quantity(Math.round(amount * 1000)); }  // 12.5 (of a unit) as the page says it
  function rule(amount, loom) {
    return fill(loom ? t.per_loom : t.per_artisan, { amount: (figure(amount) + " " + unit()).trim() });
  }
  function hidePanel() { panel.hidden = true; }
  category.addEventListener("change", function () { showUnit(); hidePanel(); });
  form.addEventListener("input", hidePanel);
  showUnit();

  form.rbCheck = function () {
    var text = rb.digits(limit.value.trim());
    if (!/^(\d+\.?\d{0,3}|\.\d{1,3})$/.test(text)) { limit.setAttribute("aria-invalid", "true"); limit.focus(); return t.number; }
    if (parseFloat(text) > parseFloat(form.dataset.max)) {
      limit.setAttribute("aria-invalid", "true");
      limit.focus();
      return fill(t.too_big, { max: figure(parseFloat(form.dataset.max)), unit: unit() });
    }
    return "";
  };
  form.rbBody = function () {
    var who = artisan.value.trim();
    return { category: category.value, limit: rb.digits(limit.value.trim()), per_loom: perLoom.checked,
             artisan: who || null, replace: form.rbReplace === true };  // a name, a line of the list or a number
  };
  form.rbField = function (name) { return name === "artisan_id" ? artisan : null; };  // its refusals: under it
  form.rbError = function (error) {
    form.rbReplace = false;
    if (error.code !== "quota_exists") return false;
    var old = error.details, asked = parseFloat(rb.digits(limit.value.trim()));
    document.getElementById("replace-text").textContent = fill(t.replace, {
      category: category.selectedOptions[0].textContent,
      whom: old.artisan_id || t.every, old: rule(parseFloat(old.limit), old.per_loom), "new": rule(asked, perLoom.checked) });
    panel.hidden = false;
    panel.focus();
    return true;
  };
  document.getElementById("replace-yes").addEventListener("click", function () {
    hidePanel();
    form.rbReplace = true;
    form.requestSubmit();
  });
  document.getElementById("replace-no").addEventListener("click", function () {
    hidePanel();
    rb.say(form, t.kept, "ok");
  });

  document.addEventListener("click", function (event) {
    var edit = event.target.closest("[data-edit]");
    if (edit) {
      category.value = edit.dataset.category;
      limit.value = edit.dataset.limit;
      artisan.value = edit.dataset.artisan;
      perLoom.checked = edit.hasAttribute("data-per-loom");
      showUnit();
      hidePanel();
      document.getElementById("set-quota").scrollIntoView();
      limit.focus();
      limit.select();
    }
    var remove = event.target.closest("[data-remove]");
    if (remove) {
      var scope = remove.closest("details");
      rb.setBusy(scope, true);
      rb.api(remove.dataset.remove, { method: "DELETE" }).then(function (result) {
        rb.setBusy(scope, false);
        if (!result.ok) { rb.say(scope, result.error.message, "error"); return; }
        window.location.href = window.location.pathname + "?removed=1";
      });
    }
  });
})();
