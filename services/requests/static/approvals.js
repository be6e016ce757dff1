/* Approving several requests at once: each selected one is approved in turn and its card says how it went. */
(function () {
  "use strict";
  var bulk = document.getElementById("bulk");
  if (!bulk) return;
  var t = JSON.parse(document.getElementById("bulk-texts").textContent);
  var button = document.getElementById("approve-selected"), all = document.getElementById("select-all");
  var result = document.getElementById("bulk-result");
  var fill = rb.fillText;
  var boxes = function () { return Array.prototype.slice.call(document.querySelectorAll("input[data-select]")); };
  var chosen = function () { return boxes().filter(function (b) { return b.checked && !b.disabled; }); };

  function count() {
    var n = chosen().length;
    button.disabled = n === 0;
    document.getElementById("selected-count").textContent = n ? fill(t.count, { n: n }) : "";
  }
  all.addEventListener("change", function () {
    boxes().forEach(function (b) { if (!b.disabled) b.checked = all.checked; });
    count();
  });
  document.addEventListener("change", function (event) { if (event.target.matches("input[data-select]")) count(); });

  function approve(box) {
    var card = box.closest("[data-item]");
    rb.setBusy(card, true);
    return rb.api(bulk.dataset.approve.replace("REQ_ID", encodeURIComponent(box.value)), { method: "POST", body: {} })
      .then(function (r) {
        rb.setBusy(card, false);
        if (!r.ok) { rb.say(card, r.error.message, "error"); return false; }
        var badge = card.querySelector("[data-done]");
        badge.textContent = t.approved;
        badge.className = "badge approved";
        card.querySelectorAll("button, input").forEach(function (el) { el.disabled = true; });
        card.classList.add("done");
        return true;
      });
  }

  button.addEventListener("click", function () {
    var picked = chosen(), ok = 0;
    rb.setBusy(bulk, true);
    picked.reduce(function (done, box) {
      return done.then(function () { return approve(box).then(function (fine) { if (fine) ok += 1; }); });
    }, Promise.resolve()).then(function () {
      rb.setBusy(bulk, false);
      all.checked = false;
      count();
      result.className = "notice " + (ok === picked.length ? "ok" : "error");
      result.textContent = fill(t.done, { ok: ok, n: picked.length }) +
        (ok === picked.length ? "" : " " + fill(t.failed, { n: picked.length - ok }));
    });
  });
  count();
})();
