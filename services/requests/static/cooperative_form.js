/* A cooperative's page sends only the fields changed on it (PATCH): a save of the name alone leaves the members'
   credit terms as they were set (who set them, when), and two admins saving different fields at once keep both. */
(function () {
  "use strict";
  var form = document.getElementById("cooperative-form");
  if (!form) return;
  function changed(el) {
    if (el.tagName === "SELECT") {
      return Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; });
    }
    return el.value !== el.defaultValue;
  }
  function changes() {
    var body = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || /^(submit|button)$/.test(el.type) || !changed(el)) return;
      if (el.value === "") { if (el.hasAttribute("data-null")) body[el.name] = null; return; }
      body[el.name] = el.value;
    });
    return body;
  }
  form.rbCheck = function () { return Object.keys(changes()).length ? null : form.dataset.unchanged; };
  form.rbBody = changes;
})();
