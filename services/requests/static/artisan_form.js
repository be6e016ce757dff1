/* The artisan forms send looms as a number and the BPL status as yes, no or not recorded (the API takes JSON types).
   A secretary's new phone for a member waits for an admin: the form says so and shows the phone there still is. */
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
  var form = document.getElementById("artisan-form");
  if (!form || !form.dataset.phoneWaits) return;
  // one phone however written: its last ten digits ('98000 00001' is +919800000001, as the API keeps it)
  function key(phone) { return rb.digits(phone || "").replace(/\D/g, "").slice(-10); }
  form.rbDone = function (data) {
    var asked = data.phone_change, field = form.elements.phone, none = form.dataset.noPhone;
    // other artisans have the phone sent: said, not refused (a family shares one), as the API's answer says it
    var shared = data.phone_shared ? " " + data.phone_shared.message : "";
    if (!asked || !field || key(asked.phone) !== key(field.value)) {
      if (field && key(data.phone) === key(field.value)) field.value = data.phone || "";  // as it is kept
      return form.dataset.done + shared;
    }
    field.value = data.phone || "";
    return rb.fillText(form.dataset.phoneWaits, { phone: asked.phone || none, now: data.phone || none }) + shared;
  };
})();
