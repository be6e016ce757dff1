/* The alert board: the server writes the tab's alerts (their cards, whole without JavaScript); this script takes
   them over (the same cards, by their alert's id: none is added twice, and it shows their forms), then adds each
   change as the live stream sends it. A card whose alert leaves the tab's statuses (resolved on the live tab) goes,
   saying so; new alerts come in on a first page (of one depot: whose stream it follows) and are said in the live
   region. A board narrowed by words or days has the stream say which alerts they find (`matches`): only those come
   in and are said; a later page says them only. */
(function () {
  var board = JSON.parse(document.getElementById("board-data").textContent);
  var list = document.getElementById("alerts"), empty = document.getElementById("no-alerts");
  var printer = document.getElementById("print-alerts"), download = document.getElementById("alerts-csv");
  // the empty board says so, and has nothing to print or download: its print button and its CSV link show only while
  // a card is there
  var emptied = function () {
    empty.hidden = list.children.length > 0;
    if (printer) printer.hidden = list.children.length === 0;
    if (download) download.hidden = list.children.length === 0;
  };
  var notice = document.getElementById("board-notice"), news = document.getElementById("alert-news");
  var template = document.getElementById("alert-template");
  var t = board.texts, lang = rb.lang, locale = lang === "hi" ? "hi-IN" : "en-IN";
  // a time as the other pages write it (shared/pages.py TIME_FORMATS): "5 Dec 2026, 7:21 PM", Hindi by the part of
  // the day, "5 दिस॰ 2026, शाम 7:21", never "pm"
  var clock = { day: "numeric", month: "short", year: "numeric", hour: "numeric", minute: "2-digit",
                timeZone: "Asia/Kolkata" };
  clock[lang === "hi" ? "dayPeriod" : "hour12"] = lang === "hi" ? "short" : true;
  var dates = new Intl.DateTimeFormat(locale, clock);
  var fill = rb.fillText;
  var when = function (iso) {
    return iso ? dates.format(new Date(iso)).replace(/\b(am|pm)$/, function (m) { return m.toUpperCase(); }) + " " +
      t.zone : "";
  };
  // `s` filled into `el`, the values named in `typed` (a login name, a note) kept as typed: translate="no", as |typed
  var put = function (el, s, v, typed) {
    el.textContent = "";
    s.split(/\{(\w+)\}/).forEach(function (part, i) {
      if (i % 2 === 0) { if (part) el.appendChild(document.createTextNode(part)); return; }
      var value = v[part] == null ? "" : String(v[part]);
      if (typed.indexOf(part) < 0) { el.appendChild(document.createTextNode(value)); return; }
      var kept = document.createElement("bdi");
      kept.setAttribute("translate", "no");
      kept.textContent = value;
      el.appendChild(kept);
    });
  };

  function putResolved(el, alert) {
    var done = alert.resolved;
    if (!done) { el.textContent = ""; return; }
    if (done.outcome === "upheld" || done.outcome === "rejected") {  // a dispute the department settled
      var who = (done.by_words || {})[lang] || done.by;  // in words where the event said who (messages._said_who)
      put(el, t[done.outcome], { by: who, at: when(done.at), note: done.note || "–" }, ["by", "note"]);
      return;
    }
    if (done.by === "system") { el.textContent = fill(t.cleared, { at: when(done.at) }); return; }
    put(el, t.resolved, { by: (done.by_words || {})[lang] || done.by, at: when(done.at), note: done.note || "–" },
        ["by", "note"]);
  }

  // The page's "N in all" follows the cards that leave this tab and the new ones that join it as they happen.
  var total = document.querySelector("[data-total]");
  function counted(change) {
    if (!total) return;
    var n = Math.max(parseInt(total.dataset.total, 10) + change, 0);
    total.dataset.total = String(n);
    total.textContent = fill(t.in_all, { n: rb.quantity(n * 1000) });
  }

  // The keyboard goes to `el` (a card, or the page's heading), which takes it without being a stop for Tab.
  function focusOn(el) {
    if (!el) return;
    if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
    el.focus();
  }

  // `pressed`: the answer to the person's own Resolve, so the keyboard follows what becomes of its card. The live
  // stream may bring the change first: a card whose Resolve is under way is marked (data-pressed) for that.
  // A new alert is said politely in the page's language, by its title only (the list is no live region: a card
  // read whole, or every card's change, would drown the page); several at once are said together.
  var saidAt = 0;
  function announce(alert) {
    var text = fill(t.news, { title: (alert.title || {})[lang] || alert.kind }), now = Date.now();
    news.textContent = (now - saidAt < 2000 && news.textContent ? news.textContent + " " : "") + text;
    saidAt = now;
  }

  function upsert(alert, fresh, pressed) {
    var card = list.querySelector('[data-alert="' + alert.id + '"]');
    if (board.shown.indexOf(alert.status) < 0) {  // no longer one of this tab's
      if (card) {
        // the keyboard was on it (or lost by its busy button): the next alert takes it, else the one before, else
        // the page's heading; never the top of the page, where the next Tab would be "Skip to content"
        var follow = pressed || card.hasAttribute("data-pressed") || card.contains(document.activeElement);
        var after = card.nextElementSibling || card.previousElementSibling || document.querySelector("h1");
        card.remove();
        if (follow) focusOn(after);
        counted(-1);
        notice.textContent = fill(t.gone, { title: (alert.title || {})[lang] || alert.kind });
        notice.hidden = false;
      }
      emptied();
      return;
    }
    if (!card) {
      var found = !board.filtered || alert.matches === true;  // of this board's words and days
      if (fresh && !(board.adds && found)) {
        // not shown here: an alert the words or days do not find, or one of the first page on a later page, which
        // is said (and counted) if it is new since the page was made, not an older one seen again
        if (found && Date.parse(alert.first_seen) >= Date.parse(board.since)) { counted(1); announce(alert); }
        return;
      }
      card = template.content.firstElementChild.cloneNode(true);
      card.setAttribute("data-alert", alert.id);
      card.id = "alert-" + alert.id;  // as the server writes it: where a link to the alert leads
      list.insertBefore(card, list.firstChild);
      if (fresh) { counted(1); announce(alert); }
    }
    var f = function (name) { return card.querySelector('[data-f="' + name + '"]'); };
    f("title").textContent = (alert.title || {})[lang] || alert.kind;
    f("text").textContent = (alert.text || {})[lang] || "";
    f("severity").textContent = board.severities[alert.severity] || alert.severity;
    f("severity").className = "badge " + alert.severity;
    f("status").textContent = board.statuses[alert.status] || alert.status;
    f("status").className = "badge " + alert.status;
    card.setAttribute("data-status", alert.status);
    f("meta").textContent = fill(t.meta, { depot: (alert.depot_name || {})[lang] || alert.depot || "–",
                                           since: when(alert.first_seen),
                                           count: rb.quantity((alert.count || 1) * 1000) });
    var ack = alert.acknowledged;  // who in words where requests told who the staff login is (messages._said_who)
    if (ack) put(f("ack"), t.ack, { by: (ack.by_words || {})[lang] || ack.by, note: ack.note || "–" }, ["by", "note"]);
    else f("ack").textContent = "";
    putResolved(f("resolved"), alert);
    var about = (alert.details || {}).requisition_id;  // an alert of a member's share: a link to its request
    var link = f("request");
    link.hidden = !(about && board.on_a_request.indexOf(alert.kind) >= 0);
    if (!link.hidden) link.firstElementChild.href = board.request.replace("REQ_ID", encodeURIComponent(about));
    var stock = f("stock");  // an alert of a material's stock at a depot: its stock card and what to order there
    stock.hidden = !(alert.sku && alert.depot && board.on_stock.indexOf(alert.kind) >= 0);
    if (!stock.hidden) {
      var depot = encodeURIComponent(alert.depot);
      f("stock-card").href = board.stock_card.replace("SKU", encodeURIComponent(alert.sku)).replace("DEPOT", depot);
      f("stock-order").href = board.stock_order.replace("DEPOT", depot);
    }
    var form = f("form");
    form.setAttribute("data-api", board.acknowledge.replace("ALERT_ID", encodeURIComponent(alert.id)));
    form.hidden = alert.status === "resolved";
    f("acknowledge").hidden = alert.status !== "open";
    f("resolve").setAttribute("data-resolve", board.resolve.replace("ALERT_ID", encodeURIComponent(alert.id)));
    form.rbDone = function (data) { upsert(data); return t.done; };
    if (fresh) { card.classList.remove("flash"); void card.offsetWidth; card.classList.add("flash"); }
    if (pressed && form.hidden) focusOn(card);  // resolved and still shown (a tab of every status): its buttons went
    emptied();
  }

  // Resolve: the same note box, to the alert's resolve address.
  list.addEventListener("click", function (event) {
    var button = event.target.closest("[data-resolve]");
    if (!button) return;
    var form = button.closest("form"), card = button.closest("[data-alert]");
    card.setAttribute("data-pressed", "");
    rb.setBusy(form, true);
    rb.api(button.dataset.resolve, { method: "POST", body: { note: form.querySelector('[name="note"]').value } })
      .then(function (result) {
        rb.setBusy(form, false);
        card.removeAttribute("data-pressed");
        if (!result.ok) { rb.say(form, result.error.message, "error"); rb.attend(form); return; }
        upsert(result.data, false, true);
      });
  });

  board.alerts.slice().reverse().forEach(function (a) { upsert(a); });
  emptied();

  var live = document.getElementById("live"), liveText = document.getElementById("live-text");
  live.hidden = false;  // "Connecting…", then live: only where this script runs
  var source = new EventSource(board.stream + (board.stream.indexOf("?") < 0 ? "?" : "&") + "max_seconds=300&since=" +
                                encodeURIComponent(board.since));
  source.onopen = function () { live.classList.add("on"); liveText.textContent = t.live; };
  source.onerror = function () { live.classList.remove("on"); liveText.textContent = t.reconnecting; };
  source.addEventListener("alert", function (event) { upsert(JSON.parse(event.data), true); });
})();
