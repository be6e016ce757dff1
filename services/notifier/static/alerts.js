/* The alert board: the alerts at load, then each change as the live stream sends it. */
(function () {
  var board = JSON.parse(document.getElementById("board-data").textContent);
  var list = document.getElementById("alerts"), empty = document.getElementById("no-alerts");
  var template = document.getElementById("alert-template");
  var t = board.texts, lang = rb.lang;
  var dates = new Intl.DateTimeFormat(lang === "hi" ? "hi-IN" : "en-IN", { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Kolkata" });
  var fill = function (s, v) { return s.replace(/\{(\w+)\}/g, function (m, k) { return v[k] == null ? "" : v[k]; }); };

  function upsert(alert, fresh) {
    var card = list.querySelector('[data-alert="' + alert.id + '"]');
    if (!card) {
      card = template.content.firstElementChild.cloneNode(true);
      card.setAttribute("data-alert", alert.id);
      list.insertBefore(card, list.firstChild);
    }
    var f = function (name) { return card.querySelector('[data-f="' + name + '"]'); };
    f("title").textContent = (alert.title || {})[lang] || alert.kind;
    f("text").textContent = (alert.text || {})[lang] || "";
    f("severity").textContent = board.severities[alert.severity] || alert.severity;
    f("severity").className = "badge " + alert.severity;
    f("status").textContent = board.statuses[alert.status] || alert.status;
    f("status").className = "badge " + alert.status;
    card.setAttribute("data-status", alert.status);
    f("meta").textContent = fill(t.meta, { depot: alert.depot || "–", since: alert.first_seen ? dates.format(new Date(alert.first_seen)) : "",
                                           count: new Intl.NumberFormat(lang === "hi" ? "hi-IN" : "en-IN").format(alert.count || 1) });
    f("ack").textContent = alert.acknowledged ? fill(t.ack, { by: alert.acknowledged.by, note: alert.acknowledged.note || "–" }) : "";
    var form = f("form");
    form.setAttribute("data-api", board.acknowledge.replace("ALERT_ID", encodeURIComponent(alert.id)));
    form.hidden = alert.status !== "open";
    form.rbDone = function (data) { upsert(data); return t.done; };
    if (fresh) { card.classList.remove("flash"); void card.offsetWidth; card.classList.add("flash"); }
    empty.hidden = list.children.length > 0;
  }

  board.alerts.slice().reverse().forEach(function (a) { upsert(a); });
  empty.hidden = list.children.length > 0;

  var live = document.getElementById("live"), liveText = document.getElementById("live-text");
  var source = new EventSource(board.stream + "?max_seconds=300&since=" + encodeURIComponent(board.since));
  source.onopen = function () { live.classList.add("on"); liveText.textContent = t.live; };
  source.onerror = function () { live.classList.remove("on"); liveText.textContent = t.reconnecting; };
  source.addEventListener("alert", function (event) { upsert(JSON.parse(event.data), true); });
})();
