/* A stock count's page. Staff count a rack, typing figures in several rows, then press one Save: every row typed and
   not saved yet is saved then (one after another), so no figure typed in another row is lost to the page reloading.
   "Submit the count" saves what is typed first, and says once how many lots nobody counted (they stay as the books
   say) before it hands the count in. */
(function () {
  "use strict";
  var box = document.getElementById("count-texts");
  if (!box) return;
  var t = JSON.parse(box.textContent);
  var rows = Array.prototype.slice.call(document.querySelectorAll("#count-lines form[data-api]"));
  var submit = document.querySelector("button[data-submit-count]");

  function field(form) { return form.elements.counted; }
  function typed(form) { return field(form).value.trim() !== field(form).defaultValue.trim(); }
  function bodyOf(form) {
    var body = { sku: form.elements.sku.value, counted: field(form).value.trim() };
    if (form.elements.lot) body.lot = form.elements.lot.value;
    return body;
  }

  // Save `forms` one after another; true when all were saved. A row whose figure the page refuses (-1, 8,0) or the
  // service refuses says why beside it and keeps its figure; the others are saved all the same (one bad row used to
  // leave every row unsaved while the good ones looked done), and the page's notice, read out as an alert, says how
  // many were saved and how many need fixing. The keyboard goes to the first row to fix.
  function save(forms) {
    var bad = forms.filter(function (form) { rb.clearErrors(form); return !rb.check(form); });
    var good = forms.filter(function (form) { return bad.indexOf(form) < 0; });
    var refused = [];
    return good.reduce(function (before, form) {
      return before.then(function () {
        rb.setBusy(form, true);
        return rb.api(form.dataset.api, { method: "PUT", body: bodyOf(form) }).then(function (result) {
          rb.setBusy(form, false);
          if (!result.ok) { refused.push(form); rb.showError(form, result.error); return; }
          field(form).defaultValue = field(form).value;  // saved: no longer only typed
          rb.say(form, rb.texts.saved, "ok");
        });
      });
    }, Promise.resolve()).then(function () {
      var fix = forms.filter(function (form) { return bad.indexOf(form) >= 0 || refused.indexOf(form) >= 0; });
      if (!fix.length) return true;
      var saved = good.length - refused.length;
      if (saved) say(rb.fillText(saved === 1 ? t.saved_one : t.saved_many, { count: saved }) + " " +
                     rb.fillText(fix.length === 1 ? t.fix_one : t.fix_many, { count: fix.length }));
      rb.attend(fix[0]);
      return false;
    });
  }

  // In the page's notice (a role="alert", as a reloaded page's "Saved: ..."): some rows saved, some not.
  function say(text) {
    var box = document.getElementById("page-notice");
    if (!box) return;
    box.className = "notice error";
    box.textContent = text;
  }

  rows.forEach(function (form) {
    // before rawbank.js's own handler (on the document): this row and every other typed one, then the page afresh
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      event.stopPropagation();
      var forms = rows.filter(function (other) { return other === form || typed(other); });
      save(forms).then(function (all) {
        if (all) rb.reloadSaying(null, rb.fillText(forms.length === 1 ? t.saved_one : t.saved_many,
                                                   { count: forms.length }));
      });
    });
  });

  // An approval says what it did, from the answer: how many differences went to the books.
  var approve = document.querySelector("button[data-approve-count]");
  if (approve) {
    approve.rbDone = function (data) {
      var n = ((data && data.adjustments) || []).length, id = (data && data.count_id) || "";
      return rb.fillText(n === 0 ? t.corrected_none : n === 1 ? t.corrected_one : t.corrected_many,
                         { count: id, n: rb.quantity(n * 1000) });
    };
  }

  if (submit) {
    submit.addEventListener("click", function (event) {
      var waiting = rows.filter(typed);
      var uncounted = rows.filter(function (form) { return !field(form).value.trim(); }).length;
      var card = submit.closest("[data-item]");
      if (!waiting.length && (!uncounted || submit.dataset.warned === String(uncounted))) return;  // rawbank.js sends it
      event.stopPropagation();
      if (waiting.length) {
        save(waiting).then(function (all) { if (all) submit.click(); });
        return;
      }
      submit.dataset.warned = String(uncounted);
      rb.say(card, rb.fillText(t.uncounted, { count: uncounted, rows: rows.length }), "error");
    });
  }
})();
