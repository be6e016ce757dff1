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
        if (response.status === 401 && meta("login-url")) {  // the login ended: what was typed waits for its return
          keep({ url: window.location.href, text: method === "GET" ? null : texts.login_ended,  // a read: no notice
                 typed: typedElsewhere(null), api: null }, 1800);
          window.location.href = meta("login-url") + "?next=" + encodeURIComponent(window.location.href);
        }
        if (!response.ok) {
          return { ok: false, status: response.status, error: (data && data.error) || { message: texts.offline } };
        }
        return { ok: true, status: response.status, data: data, headers: response.headers };
      });
    }, function () { return { ok: false, status: 0, error: { message: texts.offline } }; });
  }

  // What a depot has now of each material, asked of inventory (its API's base URL): { ok, available } with available
  // in thousandths of the material's unit by SKU (none when inventory did not answer, ok false). The artisan's new
  // request (new_request.js) and the secretary's estimate (coop_estimate.js) show it beside what is asked.
  function depotStock(inventory, depot) {
    return api(inventory + "/stock?limit=200&depot=" + encodeURIComponent(depot)).then(function (r) {
      var available = {};
      if (r.ok) r.data.forEach(function (s) { available[s.sku] = Math.round(parseFloat(s.available) * 1000); });
      return { ok: r.ok, available: available };
    });
  }

  // A quantity counted in thousandths (as depotStock's), written for the page's language: 245, 12.5, 1,20,000.
  // A page's scripts write every figure with these two, so one reads the same everywhere (as the server writes it).
  var locale = lang === "hi" ? "hi-IN" : "en-IN";
  var quantities = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
  function quantity(thousandths) { return quantities.format(thousandths / 1000); }
  // An amount of rupees (a number, or its text as the APIs give it: "1234.5"), with its paise: 1,234.50 (no ₹).
  var amounts = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  function money(rupees) { return amounts.format(Number(rupees)); }

  function setBusy(el, on) {
    el.setAttribute("aria-busy", on ? "true" : "false");
    el.querySelectorAll("button, input[type=submit]").forEach(function (b) { b.disabled = on; });
    var status = el.querySelector("[data-status]");
    if (status) status.textContent = on ? texts.busy : "";
  }

  function clearErrors(form) {
    form.querySelectorAll(".field-error").forEach(function (p) { p.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (f) {
      f.removeAttribute("aria-invalid");
      if (f.dataset.describedBy !== undefined) {
        if (f.dataset.describedBy) f.setAttribute("aria-describedby", f.dataset.describedBy);
        else f.removeAttribute("aria-describedby");
      }
    });
    var box = form.querySelector("[data-errors]");
    if (box) { box.textContent = ""; box.className = "notice"; }
  }

  function noticeOf(el) { return el.querySelector("[data-errors]") || document.getElementById("page-notice"); }

  // Nothing has the keyboard's focus: the button that had it was disabled while busy, or taken from the page.
  function lost() {
    var at = document.activeElement;
    return !at || at === document.body || at.disabled || !document.documentElement.contains(at);
  }

  function say(el, text, kind) {
    var box = noticeOf(el);
    if (!box) { window.alert(text); return; }
    box.className = "notice " + (kind || "error");
    box.textContent = text;
    if (kind === "ok") return;
    box.setAttribute("tabindex", "-1");
    if (lost()) box.focus();  // a refusal whose field is not the one focused (attend) is read where it is said
  }

  // A refusal is said once. What is wrong with a field is said under it (fieldError); the form's notice then only
  // sends the eye there ("Check the marked fields ..."), and says in full what belongs to no field shown (`untied`).
  function refuse(el, untied) {
    var marked = el.querySelectorAll(".field-error").length, said = [].concat(untied || []).filter(Boolean);
    if (marked) said.unshift(marked === 1 ? texts.marked_one : texts.marked_many);
    say(el, said.join(" "), "error");
  }

  // After a refusal the keyboard goes where the person must act: the first field it marks, else its notice (a
  // refusal of the whole form, not tied to one field), never back to the top of the page.
  function attend(el) {
    var first = el.querySelector('[aria-invalid="true"]'), box = noticeOf(el);
    // a confirmation that asked before the refusal closes when what is refused is outside it: sent again, it asks again
    el.querySelectorAll("details.confirm[open]").forEach(function (asked) {
      if (!(first && asked.contains(first)) && !(box && asked.contains(box))) asked.open = false;
    });
    // a field folded away (a member's line of a request for members) is unfolded to be seen and focused
    var fold = first && first.closest("details:not([open])");
    while (fold) { fold.open = true; fold = fold.parentElement.closest("details:not([open])"); }
    if (first) first.focus();
    else if (box) { box.setAttribute("tabindex", "-1"); box.focus(); }
  }

  // The first field a person fills in (not a hidden, disabled, hidden-from-view one, nor a button).
  function firstField(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !el.disabled && !/^(hidden|submit|button|reset)$/.test(el.type) && el.tagName !== "FIELDSET" &&
        el.getClientRects().length > 0;
    })[0] || null;
  }

  // What people call a field: its label without a colon it ends in nor a parenthesis such as "(optional)" or
  // "(why):", as the refusal adds its own colon after it ("Your note to the member: fill this in.").
  function labelOf(field) {
    var label = field.labels && field.labels[0];
    var text = label ? label.textContent : (field.getAttribute("aria-label") || field.name || "");
    // "Reason (why):" and "How much did you receive (kg)?" are said "Reason: …", "How much did you receive: …"
    return text.replace(/\s+/g, " ").trim().replace(/\s*[:?]$/, "").replace(/\s*\([^)]*\)$/, "").replace(/\s*[:?]$/, "");
  }

  // Mark one field and say under it what is wrong: "Quantity received: write a number, such as 12.5." `named`: the
  // text names already what the label would (a refusal of one material's row names that material), said as it is.
  function fieldError(field, text, named) {
    var line = named ? text : labelOf(field) + ": " + text;
    if (field.dataset.describedBy === undefined) field.dataset.describedBy = field.getAttribute("aria-describedby") || "";
    var p = document.getElementById(errorId(field));  // said again: said once, not once more for each press
    if (p && p.classList.contains("field-error")) p.remove();
    p = document.createElement("p");
    p.className = "field-error";
    p.id = errorId(field);
    p.textContent = line;
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-describedby", (field.dataset.describedBy + " " + p.id).trim());
    // under a line of fields and buttons, not in it between them; inside the form, where clearErrors finds it: a
    // one-line form (the count's rows, the lots' return and write-off) is itself the line, so it goes at its end
    var form = field.form, row = field.closest(".row, .one-line");
    if (row && form && (row === form || row.contains(form))) row = null;
    if (row && !field.closest(".form-grid")) row.insertAdjacentElement("afterend", p);
    else if (form && form.classList.contains("one-line")) {
      var box = form.querySelector("[data-errors]");
      if (box && box.parentElement === form) form.insertBefore(p, box); else form.appendChild(p);
    } else field.insertAdjacentElement("afterend", p);
    return line;
  }

  function errorId(field) { return (field.id || field.name.replace(/\W/g, "-")) + "-error"; }

  function words(messages) {
    return (Array.isArray(messages) ? messages : [messages]).map(function (m) {
      return typeof m === "string" ? m : JSON.stringify(m);
    }).join(" ");
  }

  // {"lot": {"code": ["..."]}, "lines": {"0": {"sku": [...]}}} -> {"lot.code": [...], "lines.0.sku": [...]}
  function flat(details, prefix, out) {
    Object.keys(details).forEach(function (key) {
      var value = details[key], name = prefix ? prefix + "." + key : key;
      if (value && typeof value === "object" && !Array.isArray(value)) flat(value, name, out);
      else out[name] = value;
    });
    return out;
  }

  function showError(form, error) {
    var details = error.details && typeof error.details === "object" && !Array.isArray(error.details) ? flat(error.details, "", {}) : {};
    var tied = 0, untied = [];
    if (error.code === "validation_error") {
      Object.keys(details).forEach(function (name) {
        // a form whose body is not its fields as they stand (rbBody) says which field a name of the body is
        var field = (typeof form.rbField === "function" && form.rbField(name)) ||
          form.querySelector('[name="' + name + '"]') || form.querySelector('[name="' + name + '[]"]');
        // a hidden field (the depot a form is for) is shown nowhere: what is wrong with it is said in the notice; a
        // name the form has no field for (an API's own words, such as "active, depot or role") is not: the
        // refusal's own message says it in words, when nothing else is said
        if (field && field.type !== "hidden") { fieldError(field, words(details[name])); tied += 1; }
        else if (field) untied.push(words(details[name]));
      });
    } else {
      // an error of the whole request that belongs to one field: <input data-error-codes="insufficient_stock">; of
      // several such fields (a row per material), the one of the material it names: data-error-sku="YRN-COT-40"
      var owners = Array.prototype.filter.call(form.querySelectorAll("[data-error-codes]"), function (f) {
        return f.dataset.errorCodes.split(" ").indexOf(error.code) >= 0;
      });
      // a refusal of the material a row is of names it, as the row's label does ("Cotton yarn 40s: how much came
      // back"): under that row's field it is said once, by the refusal, not after the label again
      var row = owners.filter(function (f) { return f.dataset.errorSku && f.dataset.errorSku === details.sku; })[0];
      var owner = row || owners.filter(function (f) { return !f.dataset.errorSku; })[0];
      if (owner) { fieldError(owner, error.message, Boolean(row)); tied += 1; }
    }
    // what no field shown is about: the refusal's own words, and those of each field the form does not show
    refuse(form, (tied ? [] : [error.message]).concat(untied));
    attend(form);
  }

  // Money as the pages write it, copied back: thousands grouped the Indian way (1,00,000.50) or by threes (100,000.50).
  // A comma anywhere else ("12,5") is never read as a decimal point: it is refused, saying how to write it.
  var GROUPED = /^-?(\d{1,3}(,\d{3})+|\d{1,2}(,\d{2})+,\d{3})(\.\d*)?$/;

  // Devanagari digits as ASCII ones: people type १२.५ as often as 12.5.
  function digits(text) {
    return (text || "").replace(/[\u0966-\u096F]/g, function (d) { return String(d.charCodeAt(0) - 0x0966); });
  }

  // What kind of number a field takes: inputmode decimal (a number), numeric (a whole number) or none. A quantity of
  // a material counted in pieces (data-pieces: the number pad without a dot) is checked as a number: part of a piece
  // is refused by the server, which names the material and its unit.
  function numberKind(field) {
    var mode = field.hasAttribute("data-pieces") ? "decimal" : field.getAttribute("inputmode");
    return mode === "decimal" ? "number" : mode === "numeric" ? "whole" : null;
  }

  // Our own checks, said in the page's language (the browser's bubbles would speak the browser's); they cover what
  // the browser would check (required, type, pattern, min, max, step, length) and our number fields.
  function problemOf(field) {
    var value = field.value.trim(), kind = numberKind(field), v = field.validity || {};
    if (value.indexOf(",") >= 0 && field.hasAttribute("data-money")) return texts.v_money_comma;
    if ((field.required && !value) || v.valueMissing) return texts.v_required;
    if (v.badInput) return field.type === "date" ? texts.v_date : texts.v_number;
    if (!value) return null;
    if (kind) {
      if (!(kind === "whole" ? /^-?\d+$/ : /^-?(\d+\.?\d*|\.\d+)$/).test(value)) return kind === "whole" ? texts.v_whole : texts.v_number;
      var number = parseFloat(value);
      if (field.hasAttribute("data-positive") && !(number > 0)) return texts.v_positive;
      // the server's range of a text field (inputmode keeps Devanagari digits, which type=number would refuse)
      if (field.dataset.min !== undefined && number < parseFloat(field.dataset.min)) {
        return texts.v_min.replace("{min}", field.dataset.min);
      }
      if (field.dataset.max !== undefined && number > parseFloat(field.dataset.max)) {
        return texts.v_max.replace("{max}", field.dataset.max);
      }
      if (!field.hasAttribute("data-signed") && number < 0) return texts.v_not_negative;
    }
    if (v.typeMismatch || v.patternMismatch) return field.title || texts.v_format;
    if (v.rangeUnderflow) return texts.v_min.replace("{min}", field.min);
    if (v.rangeOverflow) return texts.v_max.replace("{max}", field.max);
    if (v.stepMismatch) return texts.v_step;
    if (v.tooLong || v.tooShort) return texts.v_length;
    return null;
  }

  function check(form) {
    var lines = [], seen = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.disabled || field.type === "hidden" || field.type === "submit" || field.type === "button") return;
      if (numberKind(field) && digits(field.value) !== field.value) field.value = digits(field.value);
      if (field.hasAttribute("data-money") && GROUPED.test(field.value.trim())) field.value = field.value.replace(/,/g, "");
      var problem = seen[field.name] ? null : problemOf(field);
      if (problem) { seen[field.name] = true; lines.push(fieldError(field, problem)); }
    });
    if (!lines.length) return true;
    refuse(form);
    attend(form);
    return false;
  }

  // A form's body with nested fields (data-nested): "lot.code" -> {lot: {code}}, "lines.0.sku" -> {lines: [{sku}]},
  // ticked "skus[]" -> {skus: [...]}, and a quantity sent as taken off (data-negate) -> "-2.5".
  function put(body, path, value) {
    var keys = path.split("."), at = body;
    keys.slice(0, -1).forEach(function (key) { at = at[key] = at[key] || {}; });
    at[keys[keys.length - 1]] = value;
  }

  // {"0": {...}, "3": {...}} -> [{...}, {...}]: numbered rows become a list, rows left empty are dropped
  function lists(value) {
    if (!value || typeof value !== "object" || Array.isArray(value)) return value;
    var keys = Object.keys(value), numbered = keys.length && keys.every(function (k) { return /^\d+$/.test(k); });
    keys.forEach(function (k) { value[k] = lists(value[k]); });
    if (!numbered) return value;
    return keys.sort(function (a, b) { return a - b; }).map(function (k) { return value[k]; });
  }

  function nested(form) {
    var body = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrf_token" || el.disabled || el.type === "submit" || el.type === "button") return;
      if (el.type === "checkbox" && el.name.slice(-2) === "[]") {
        var name = el.name.slice(0, -2);
        body[name] = body[name] || [];
        if (el.checked) body[name].push(el.value);
        return;
      }
      if (el.type === "checkbox") { put(body, el.name, el.checked); return; }
      var value = el.value.trim();
      if (value === "") return;
      put(body, el.name, el.hasAttribute("data-negate") ? "-" + value.replace(/^[-+]/, "") : value);
    });
    return lists(body);
  }

  function bodyOf(form) {
    if (typeof form.rbBody === "function") return form.rbBody(form);
    if (form.hasAttribute("data-nested")) return nested(form);
    var body = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrf_token" || el.disabled || el.type === "submit") return;
      if (el.type === "checkbox") { body[el.name] = el.checked; return; }
      if (el.value === "") { if (el.hasAttribute("data-null")) body[el.name] = null; return; }
      body[el.name] = el.value;
    });
    return body;
  }

  // A form's Idempotency-Key (data-idempotency): sent with each try of the same form, so a double click, a retry
  // after the network dropped or the form sent again from the browser's history is applied once.
  function freshKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  // One of the pages' own texts with its {name} places filled from `values` (one not given is left empty).
  function fillText(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, key) { return values[key] == null ? "" : values[key]; });
  }

  function fill(template, data) {
    return template.replace(/\{(\w+)\}/g, function (m, key) { return encodeURIComponent((data || {})[key] || ""); });
  }

  // A change that reloads the page (its effect shows in the page made afresh) says, once the page is back, what was
  // done, where it would have said it without the reload: in its form's (or its button's) notice if that is still on
  // the page, else in the page's. The text is kept in this tab for the same address and shown once.
  var KEPT = "rb-notice";
  function scopeOf(button) { return button.closest("[data-item]") || button.parentElement; }
  // Which form this is, the same after the reload: its address and its hidden fields (rows of one list share the one).
  function formKey(form) {
    var hidden = Array.prototype.filter.call(form.elements, function (el) { return el.type === "hidden" && el.name; })
      .map(function (el) { return el.name + "=" + el.value; }).sort();
    return [form.getAttribute("data-api")].concat(hidden).join("|");
  }
  function changed(el) {
    if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
    if (el.tagName === "SELECT") {
      return Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; });
    }
    return el.value !== el.defaultValue;
  }
  // What was typed in the page's other forms (every form, `sent` null) and not sent: the reload (or the login, when
  // it had ended) would lose it, so it is put back after.
  function typedElsewhere(sent) {
    var typed = [];
    document.querySelectorAll("form[data-api]").forEach(function (form) {
      if (form === sent) return;
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.disabled || /^(hidden|password|submit|button|file)$/.test(el.type) || !changed(el)) return;
        if (form.elements[el.name] !== el) return;  // one of several of that name (radios): left as the page has it
        typed.push({ form: formKey(form), name: el.name, value: el.value, checked: el.checked });
      });
    });
    return typed;
  }
  function putBack(typed) {
    (typed || []).forEach(function (entry) {
      var forms = Array.prototype.filter.call(document.querySelectorAll("form[data-api]"), function (form) {
        return formKey(form) === entry.form;
      });
      var el = forms.length === 1 ? forms[0].elements[entry.name] : null;
      if (!el || !el.tagName || changed(el)) return;  // gone, or not the page's own value any more
      if (el.type === "checkbox" || el.type === "radio") el.checked = entry.checked;
      else el.value = entry.value;
      // what depends on it (the price of a new request, the depot's stock) follows, as if it had been typed
      el.dispatchEvent(new Event(el.tagName === "SELECT" || el.type === "checkbox" || el.type === "radio" ? "change"
        : "input", { bubbles: true }));
    });
  }
  function reloadSaying(owner, text) {  // owner null: said in the page's notice
    var sent = owner ? (owner.tagName === "FORM" ? owner : owner.closest("form")) : null;
    keep({ url: window.location.href, text: text, typed: typedElsewhere(sent),
           api: owner ? owner.getAttribute("data-api") || owner.dataset.action : null }, 60);
    window.location.reload();
  }
  // Kept for the page at kept.url for `seconds`: other pages on the way (the login page) leave it for that one.
  function keep(kept, seconds) {
    kept.until = Date.now() + seconds * 1000;
    try { window.sessionStorage.setItem(KEPT, JSON.stringify(kept)); } catch (e) { /* no storage: only the reload */ }
  }
  function sayKept() {
    var kept = null;
    try {
      kept = JSON.parse(window.sessionStorage.getItem(KEPT) || "null");
      if (!kept || kept.url === window.location.href || !(kept.until > Date.now())) {
        window.sessionStorage.removeItem(KEPT);
      }
    } catch (e) { return; }
    if (!kept || kept.url !== window.location.href || !(kept.until > Date.now())) return;
    putBack(kept.typed);
    if (typeof kept.text !== "string" || !kept.text) return;
    var owners = Array.prototype.filter.call(document.querySelectorAll("form[data-api], button[data-action]"),
      function (el) { return kept.api && (el.getAttribute("data-api") || el.dataset.action) === kept.api; });
    var owner = owners.length === 1 ? owners[0] : null;  // several alike (rows of one list): which one is not known
    var scope = owner && (owner.tagName === "FORM" ? owner : scopeOf(owner));
    var box = (scope && scope.querySelector("[data-errors]")) || document.getElementById("page-notice");
    if (!box) return;
    box.className = "notice ok";
    box.textContent = kept.text;
    if (box.scrollIntoView) box.scrollIntoView({ block: "nearest" });
    // a screen reader may not read out an alert filled while the page loads: the keyboard, which the reload left
    // nowhere, goes to the notice, so it is read and the next Tab goes on from where the change was made
    if (lost()) { box.setAttribute("tabindex", "-1"); box.focus(); }
  }
  document.addEventListener("DOMContentLoaded", sayKept);
  // The language buttons load the page again in the other language: what was typed in its forms and not sent comes
  // back in them, as after a reload that says what was done (a look at a word in English lost a half-filled form).
  document.addEventListener("submit", function (event) {
    if (!event.target.matches("form.lang")) return;
    var typed = typedElsewhere(null);
    if (typed.length) keep({ url: window.location.href.split("#")[0], text: "", typed: typed }, 60);
  }, true);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-api")) {
      clearErrors(form);
      if (!check(form)) { event.preventDefault(); return; }
      if (form.hasAttribute("data-busy")) setTimeout(function () { setBusy(form, true); }, 0);
      return;
    }
    event.preventDefault();
    clearErrors(form);
    if (!check(form)) return;
    if (typeof form.rbCheck === "function") {
      var problem = form.rbCheck(form);
      // a problem it said under the fields it marked (fieldError) is not said again; one of the whole form is
      if (problem) { refuse(form, form.querySelector(".field-error") ? [] : [problem]); attend(form); return; }
    }
    setBusy(form, true);
    var headers = form.dataset.idempotency ? { "Idempotency-Key": form.dataset.idempotency } : {};
    api(form.getAttribute("data-api"), { method: form.dataset.method || "POST", body: bodyOf(form), headers: headers })
      .then(function (result) {
        if (!result.ok) {
          setBusy(form, false);
          if (form.rbError && form.rbError(result.error)) return;
          // refused (an answer, not a lost connection): the form, corrected or not, goes next time with a new key
          if (form.dataset.idempotency && result.status >= 400 && result.status < 500) {
            form.dataset.idempotency = freshKey();
          }
          showError(form, result.error.code === "idempotency_key_reused" ? { message: texts.reused } : result.error);
          return;
        }
        if (form.dataset.next) { window.location.href = fill(form.dataset.next, result.data); return; }
        var done = typeof form.rbDone === "function" ? form.rbDone(result.data) : (form.dataset.done || texts.saved);
        var again = result.headers && result.headers.get("Idempotent-Replayed") === "true";
        if (form.hasAttribute("data-reload")) { reloadSaying(form, again ? texts.again + " " + done : done); return; }
        setBusy(form, false);
        say(form, again ? texts.again + " " + done : done, "ok");
        if (form.dataset.idempotency) form.dataset.idempotency = freshKey();  // the next one is another
        if (form.hasAttribute("data-reset")) form.reset();
        // The keyboard goes back to the form's first field, not to the top of the page (the button that had it was
        // disabled while busy): a clerk recording receipts one after another types the next one there at once, and
        // the notice, a role="alert", reads out what was saved meanwhile. A form with no field left: its notice.
        var next = firstField(form), box = noticeOf(form);
        if (next) next.focus();
        else if (box && box.getClientRects().length) { box.setAttribute("tabindex", "-1"); box.focus(); }
      });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button) return;
    event.preventDefault();
    var scope = scopeOf(button);
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
      if (!result.ok) { setBusy(scope, false); showError(scope, result.error); return; }
      // what was done, in words: the button's own (rbDone from the answer, or data-done-text), else "Saved."
      var said = (typeof button.rbDone === "function" && button.rbDone(result.data)) || button.dataset.doneText ||
        texts.saved;
      if (button.hasAttribute("data-reload")) { reloadSaying(button, said); return; }
      setBusy(scope, false);
      scope.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      var done = scope.querySelector("[data-done]");
      if (done) {
        done.textContent = said;
        if (button.dataset.doneClass) done.className = "badge " + button.dataset.doneClass;
      }
      scope.classList.add("done");
      // what comes next, hidden until now (data-done-show, a selector in the item: the hand-over's gate pass) is shown
      var next = button.dataset.doneShow && scope.querySelector(button.dataset.doneShow);
      if (next) next.hidden = false;
      // every button of it is done with: the keyboard goes to what says so, not to the top of the page; a notice of
      // what comes next is scrolled into the middle of the screen (on a phone, the link in it under the thumb)
      var spot = next || (done && done.getClientRects().length ? done : scope);
      spot.setAttribute("tabindex", "-1");
      spot.focus({ preventScroll: !!next });
      if (next && next.scrollIntoView) next.scrollIntoView({ block: "center" });
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

  // Every form is checked by the page (check above), never by the browser's bubbles in the browser's language.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form").forEach(function (form) { form.noValidate = true; });
  });

  // A quantity box whose material (or unit) is chosen in a list (data-keypad-from: the list's id) asks a phone for
  // that choice's keyboard (its option's data-inputmode, as the pages' quantity_box): digits only for a material
  // counted in whole pieces, with a decimal point for the others.
  function keypads(list) {
    document.querySelectorAll("[data-keypad-from]").forEach(function (box) {
      if (list && box.dataset.keypadFrom !== list.id) return;
      var from = document.getElementById(box.dataset.keypadFrom), option = from && from.selectedOptions[0];
      var mode = (option && option.dataset.inputmode) || "decimal";
      box.setAttribute("inputmode", mode);
      if (mode === "numeric") { box.setAttribute("step", "1"); box.setAttribute("data-pieces", ""); }
      else { box.removeAttribute("step"); box.removeAttribute("data-pieces"); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { keypads(); });
  document.addEventListener("change", function (event) { if (event.target.matches("select")) keypads(event.target); });
  document.addEventListener("reset", function () { setTimeout(function () { keypads(); }, 0); }, true);

  // A table too wide for the screen scrolls inside its .table-wrap: that wrap then takes the keyboard's focus (arrow
  // keys scroll it) and is named for screen readers; a wrap that fits is no extra stop for the Tab key.
  function scrollingTables() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0"); wrap.setAttribute("role", "region"); wrap.dataset.scrolls = "";
        if (!wrap.hasAttribute("aria-label")) wrap.setAttribute("aria-label", texts.table_scrolls);
      } else if (!scrolls && wrap.hasAttribute("data-scrolls")) {
        wrap.removeAttribute("tabindex"); wrap.removeAttribute("role"); wrap.removeAttribute("data-scrolls");
        if (wrap.getAttribute("aria-label") === texts.table_scrolls) wrap.removeAttribute("aria-label");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", scrollingTables);
  window.addEventListener("resize", scrollingTables);

  // The menu is folded behind its control on a phone; wider, CSS draws every entry and hides the control. A browser
  // without CSS ::details-content (older office PCs) cannot: there the menu is opened on a wide screen (its control
  // hidden) and folded again when the screen narrows.
  function unfoldMenu() {
    var menu = document.querySelector(".nav details.menu");
    if (!menu || (window.CSS && CSS.supports && CSS.supports("selector(::details-content)"))) return;
    var wide = window.matchMedia("(min-width: 481px)").matches;
    if (wide !== menu.classList.contains("unfolded")) {
      menu.classList.toggle("unfolded", wide);
      menu.open = wide;
    }
  }
  document.addEventListener("DOMContentLoaded", unfoldMenu);
  window.addEventListener("resize", unfoldMenu);

  window.rb = { api: api, texts: texts, lang: lang, setBusy: setBusy, say: say, refuse: refuse, digits: digits,
                fillText: fillText, fieldError: fieldError, showError: showError, clearErrors: clearErrors,
                check: check, reloadSaying: reloadSaying, attend: attend, depotStock: depotStock, quantity: quantity,
                money: money };
})();
