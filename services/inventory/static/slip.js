/* The gate pass's Print: the first printing is recorded (by the API) before the browser's print opens, so opening
   the page to look, or a browser's prefetch, marks nothing printed. A gate pass printed before, on a page that does
   not say so yet, is posted as the form (without script it always is): the page comes back marked as a copy and
   prints itself (data-print-now). */
(function () {
  "use strict";
  if (document.querySelector("[data-print-now]")) window.addEventListener("load", function () { window.print(); });
  var form = document.querySelector("form[data-gate-print]");
  if (!form) return;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    rb.clearErrors(form);
    rb.setBusy(form, true);
    rb.api(form.getAttribute("data-gate-print"), { method: "POST" }).then(function (result) {
      rb.setBusy(form, false);
      if (!result.ok) { rb.showError(form, result.error); return; }
      if (result.data.first || document.querySelector("[data-copy]")) window.print();
      else form.submit();
    });
  });
})();
