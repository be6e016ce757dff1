/* A depot's page sends every field back (PATCH /depots/{code}; an unchanged save writes nothing): an emptied
   optional field as null (cleared), the opening hours as {days, opens, closes}, or null when all are left empty.
   A refusal is said under the field it names; a save says which details it changed. */
(function () {
  "use strict";
  var form = document.getElementById("depot-form");
  if (!form) return;
  var HOURS = "opening_hours.";
  var days = function () { return form.querySelectorAll('input[name="opening_hours.days"]'); };

  form.rbBody = function () {
    var body = {}, hours = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrf_token" || el.disabled || /^(submit|button|checkbox)$/.test(el.type)) return;
      var value = el.name.indexOf(HOURS) === 0 ? rb.digits(el.value.trim()) : el.value.trim();
      if (el.name.indexOf(HOURS) === 0) { if (value) hours[el.name.slice(HOURS.length)] = value; return; }
      if (value === "") { if (el.hasAttribute("data-null")) body[el.name] = null; return; }
      body[el.name] = value;
    });
    var ticked = Array.prototype.filter.call(days(), function (box) { return box.checked; })
      .map(function (box) { return box.value; });
    if (ticked.length) hours.days = ticked;
    // nothing of the hours given: the depot has none (the API then says so); a part of them: the API says what lacks
    body.opening_hours = Object.keys(hours).length ? hours : null;
    return body;
  };

  // the API names a day by its place in the list ("opening_hours.days.0") or the hours as a whole: the days' box
  form.rbField = function (name) {
    if (name.indexOf(HOURS + "days") === 0 || name === "opening_hours" || name === HOURS + "_schema") {
      return document.getElementById("hours");
    }
    return null;
  };

  function changed(el) {
    if (el.type === "checkbox") return el.checked !== el.defaultChecked;
    if (el.tagName === "SELECT") {
      return Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; });
    }
    return el.value.trim() !== el.defaultValue.trim();
  }

  function what(el) {
    if (el.name.indexOf(HOURS) === 0) return form.querySelector("#hours legend").textContent.trim();
    var label = el.labels && el.labels[0];
    return label ? label.textContent.replace(/\s+/g, " ").trim() : el.name;
  }

  // "Saved for Varanasi depot: District in Hindi, Opening hours." (what the form had changed from the page as it
  // came), or that nothing was changed. The depot is named as saved (the API's answer), in the page's language as its
  // heading names it: a new name, not the one the page came with.
  form.rbDone = function (saved) {
    var names = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || /^(submit|button|hidden)$/.test(el.type) || !changed(el)) return;
      var name = what(el);
      if (names.indexOf(name) < 0) names.push(name);
    });
    if (!names.length) return form.dataset.unchanged;
    var depot = saved && ((rb.lang === "hi" && saved.name_hi) || saved.name);
    return rb.fillText(form.dataset.done, { depot: depot || form.dataset.depot, changed: names.join(", ") });
  };
})();
