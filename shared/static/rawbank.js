/* rawbank pages: forms and buttons that call the JSON APIs, with a busy state and errors in the page's language. */
(function () {
  "use strict";
  var texts = JSON.parse(document.getElementById("rb-texts").textContent);
  var meta = function (name) { var m = document.querySelector('meta[name="' + name + '"]'); return m ? m.content : ""; };
  var lang = document.documentElement.lang || "en";

  function api(url, options) {
    options = options || {};
    var method = options.method || "GET";
    var headers = { "Accept": "application/json", "Accept-Language": lang };
    if (method !== "GET") headers["X-CSRF-Token"] = meta("csrf-token");
    Object.keys(options.headers || {}).forEach(function (k) { headers[k] = options.headers[k]; });
    var body;
    if (options.body !== undefined) { body = JSON.stringify(options.body); headers["Content-Type"] = "application/json"; }
    return fetch(url, { method: method, headers: headers, body: body, credentials: "include" }).then(function (response) {
      return response.text().then(function (raw) {
        var data = null;
        try { data = raw ? JSON.parse(raw) : null; } catch (e) { data = null; }
        if (response.status === 401 && meta("login-url")) {
          window.location.href = meta("login-url") + "?next=" + encodeURIComponent(window.location.href);
        }
        if (!response.ok) {
          return { ok: false, status: response.status, error: (data && data.error) || { message: texts.offline } };
        }
        return { ok: true, status: response.status, data: data, headers: response.headers };
      });
    }, function () { return { ok: false, status: 0, error: { message: texts.offline } }; });
  }

  function setBusy(el, on) {
    el.setAttribute("aria-busy", on ? "true" : "false");
    el.querySelectorAll("button, input[type=submit]").forEach(function (b) { b.disabled = on; });
    var status = el.querySelector("[data-status]");
    if (status) status.textContent = on ? texts.busy : "";
  }

  function clearErrors(form) {
    form.querySelectorAll(".field-error").forEach(function (p) { p.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (f) { f.removeAttribute("aria-invalid"); });
    var box = form.querySelector("[data-errors]");
    if (box) { box.textContent = ""; box.className = "notice"; }
  }

  function say(el, text, kind) {
    var box = el.querySelector("[data-errors]") || document.getElementById("page-notice");
    if (!box) { window.alert(text); return; }
    box.className = "notice " + (kind || "error");
    box.textContent = text;
    if (kind !== "ok") box.focus && box.setAttribute("tabindex", "-1");
  }

  function showError(form, error) {
    var details = error.details || {};
    var marked = false;
    if (details && typeof details === "object" && !Array.isArray(details)) {
      Object.keys(details).forEach(function (name) {
        var field = form.querySelector('[name="' + name + '"]');
        if (!field) return;
        marked = true;
        field.setAttribute("aria-invalid", "true");
        if (lang === "en" && Array.isArray(details[name])) {
          var p = document.createElement("p");
          p.className = "field-error";
          p.textContent = details[name].join(" ");
          field.insertAdjacentElement("afterend", p);
        }
      });
    }
    say(form, marked && error.code === "validation_error" ? texts.fields : error.message, "error");
  }

  function bodyOf(form) {
    if (typeof form.rbBody === "function") return form.rbBody(form);
    var body = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrf_token" || el.disabled || el.type === "submit") return;
      if (el.type === "checkbox") { body[el.name] = el.checked; return; }
      if (el.value === "") { if (el.hasAttribute("data-null")) body[el.name] = null; return; }
      body[el.name] = el.value;
    });
    return body;
  }

  function fill(template, data) {
    return template.replace(/\{(\w+)\}/g, function (m, key) { return encodeURIComponent((data || {})[key] || ""); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-api")) {
      if (form.hasAttribute("data-busy")) setTimeout(function () { setBusy(form, true); }, 0);
      return;
    }
    event.preventDefault();
    clearErrors(form);
    var empty = Array.prototype.filter.call(form.elements, function (el) { return el.required && !el.value.trim(); });
    if (empty.length) {
      empty.forEach(function (el) { el.setAttribute("aria-invalid", "true"); });
      empty[0].focus();
      say(form, texts.required, "error");
      return;
    }
    if (typeof form.rbCheck === "function") {
      var problem = form.rbCheck(form);
      if (problem) { say(form, problem, "error"); return; }
    }
    setBusy(form, true);
    var headers = form.dataset.idempotency ? { "Idempotency-Key": form.dataset.idempotency } : {};
    api(form.getAttribute("data-api"), { method: form.dataset.method || "POST", body: bodyOf(form), headers: headers })
      .then(function (result) {
        if (!result.ok) { setBusy(form, false); if (!(form.rbError && form.rbError(result.error))) showError(form, result.error); return; }
        if (form.dataset.next) { window.location.href = fill(form.dataset.next, result.data); return; }
        if (form.hasAttribute("data-reload")) { window.location.reload(); return; }
        setBusy(form, false);
        say(form, typeof form.rbDone === "function" ? form.rbDone(result.data) : (form.dataset.done || texts.saved), "ok");
        if (form.hasAttribute("data-reset")) form.reset();
      });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button) return;
    event.preventDefault();
    var scope = button.closest("[data-item]") || button.parentElement;
    var body = {};
    var reason = button.dataset.reasonFrom && scope.querySelector(button.dataset.reasonFrom);
    if (reason) body.reason = reason.value;
    clearErrors(scope);
    if (reason && button.hasAttribute("data-needs-reason") && !reason.value.trim()) {
      reason.setAttribute("aria-invalid", "true");
      say(scope, texts.reason, "error");
      return;
    }
    setBusy(scope, true);
    api(button.dataset.action, { method: "POST", body: body }).then(function (result) {
      if (!result.ok) { setBusy(scope, false); say(scope, result.error.message, "error"); return; }
      if (button.hasAttribute("data-reload")) { window.location.reload(); return; }
      setBusy(scope, false);
      scope.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      var done = scope.querySelector("[data-done]");
      if (done) {
        done.textContent = button.dataset.doneText || texts.saved;
        if (button.dataset.doneClass) done.className = "badge " + button.dataset.doneClass;
      }
      scope.classList.add("done");
    });
  });

  // A button that prints the page (a receipt, a count sheet): the browser's own dialog is all it needs.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });

  // A list that shows a different selection when changed (no inline handlers: the pages' CSP allows none).
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) event.target.form.submit();
  });

  // Devanagari digits as ASCII ones: artisans type १२.५ as often as 12.5 (the APIs accept both).
  function digits(text) {
    return (text || "").replace(/[\u0966-\u096F]/g, function (d) { return String(d.charCodeAt(0) - 0x0966); });
  }

  // Our own check of required fields speaks the page's language; the browser's would speak its own.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-api]").forEach(function (form) { form.noValidate = true; });
  });

  window.rb = { api: api, texts: texts, lang: lang, setBusy: setBusy, say: say, digits: digits };
})();
