/* The artisan forms send looms as a number and the BPL status as yes, no or not recorded (the API takes JSON types). */
(function () {
  "use strict";
  ["register-form", "artisan-form"].forEach(function (id) {
    var form = document.getElementById(id);
    if (!form) return;
    form.rbBody = function () {
      var body = {};
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.name === "csrf_token" || el.disabled || el.type === "submit") return;
        var value = el.value.trim();
        if (value === "") { if (el.hasAttribute("data-null")) body[el.name] = null; return; }
        body[el.name] = value;
      });
      if (/^\d+$/.test(rb.digits(body.looms || ""))) body.looms = parseInt(rb.digits(body.looms), 10);
      if (body.bpl === "true" || body.bpl === "false") body.bpl = body.bpl === "true";
      return body;
    };
  });
})();
