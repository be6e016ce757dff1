/* The price form: a new price far from today's (10 times it or more, a tenth or less: a slip of a zero makes exactly
   10 times) is said before it is set, so it does not reach artisans' bills; pressed again with the same price, it is
   set. */
(function () {
  "use strict";
  var box = document.getElementById("price-texts");
  if (!box) return;
  var t = JSON.parse(box.textContent);
  var FAR = 10;
  var fill = rb.fillText;

  document.querySelectorAll("form[data-was]").forEach(function (form) {
    var field = form.querySelector("input[name=price]");
    form.rbCheck = function () {
      var text = rb.digits(field.value.trim()), was = parseFloat(form.dataset.was);
      if (!/^(\d+\.?\d*|\.\d+)$/.test(text) || !(was > 0)) return "";  // not a plain number: the service says why
      var asked = parseFloat(text), far = asked >= was * FAR ? t.above : asked <= was / FAR ? t.below : null;
      if (!far || form.rbWarned === text) return "";
      form.rbWarned = text;
      field.setAttribute("aria-invalid", "true");
      field.focus();
      return fill(far, { "new": rb.money(asked), was: rb.money(was), unit: form.dataset.unit });
    };
  });
})();
