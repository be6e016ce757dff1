/* A request form's Idempotency-Key, so that Back never leads to a dead end.

   The very same request sent again from this page within two hours (a retry, or Back and Send once more) goes
   with the key it first went with: the server gives back the request already made, and the page shows it.
   Anything else goes with a key not used before, whatever page the back/forward cache or the browser's cache
   shows. */
(function () {
  "use strict";
  var STORE = "rb-requests-sent", JUST = "rb-requests-just-sent", KEEP = 20;
  // A retry or Back-and-send comes within minutes; the same request days later (next month's yarn) is a new one.
  var SAME_WITHIN_MS = 2 * 3600 * 1000;

  function freshKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  function load() {
    try { return JSON.parse(sessionStorage.getItem(STORE)) || []; } catch (e) { return []; }
  }

  function save(entries) {
    try { sessionStorage.setItem(STORE, JSON.stringify(entries.slice(-KEEP))); } catch (e) { /* no storage: keys below */ }
  }

  // The key to send `body` with from this page, and whether this very request was sent before.
  function choose(current, body) {
    var entries = load(), what = location.pathname + "\n" + body, now = Date.now();
    var before = entries.filter(function (e) { return e.what === what && now - (e.at || 0) < SAME_WITHIN_MS; })[0];
    mark(true);
    if (before) return { key: before.key, again: true };
    var key = entries.some(function (e) { return e.key === current; }) || !current ? freshKey() : current;
    entries = entries.filter(function (e) { return e.what !== what; });  // an older one of the same is done with
    entries.push({ key: key, what: what, at: now });
    save(entries);
    return { key: key, again: false };
  }

  // The server refused a request (it answered, so nothing was stored): its key may go with another body.
  function forget(key) {
    save(load().filter(function (e) { return e.key !== key; }));
    mark(false);
  }

  // The request page right after a send says what was sent (the server shows it; this tab knows it was just sent).
  function mark(on) {
    try { if (on) sessionStorage.setItem(JUST, "1"); else sessionStorage.removeItem(JUST); } catch (e) { /* no notice */ }
  }
  var notice = document.getElementById("sent-now");
  try {
    if (notice && sessionStorage.getItem(JUST)) notice.hidden = false;
  } catch (e) { /* no notice */ }
  mark(false);  // said once; and a form shown again (a refusal re-drawn) has sent nothing yet

  // A form the browser sends itself (a secretary's request for members): its hidden key is chosen as it goes.
  document.addEventListener("submit", function (event) {
    var form = event.target, field = form.querySelector && form.querySelector('input[name="idempotency_key"]');
    if (!field || (event.submitter && event.submitter.name === "split")) return;
    var data = new URLSearchParams(new FormData(form));
    ["idempotency_key", "csrf_token", "split"].forEach(function (name) { data.delete(name); });
    field.value = choose(field.value, data.toString()).key;
  }, true);

  window.rbResend = { choose: choose, forget: forget, freshKey: freshKey };
})();
