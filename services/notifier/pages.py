"""Notifier pages: the live alert board and an artisan's notifications."""
from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import quote

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext
from markupsafe import Markup, escape

from services.notifier import alerts, domain, messages, notifications, projections, texts
from services.notifier.errors import DepotNotFound, NotYourDepot
from services.notifier.schemas import AlertSchema
from shared.errors import NotFound
from shared.i18n import N_, language, lazy
from shared.lists import day_range, pager, search_text
from shared.pages import as_typed, number, page, to_depot_choice, to_own_depot, url_of, when
from shared.web import db

blp = Blueprint("notifier_pages", __name__, template_folder="templates", static_folder="static",
                static_url_path="/static/notifier")
ALERT_STATUSES = {status: lazy(text) for status, text in texts.ALERT_STATUSES.items()}
#: the board's tabs: which statuses each shows
TABS = {"live": domain.LIVE, "open": (domain.OPEN,), "acknowledged": (domain.ACKNOWLEDGED,),
        "resolved": (domain.RESOLVED,)}
SEVERITIES = {severity: lazy(text) for severity, text in texts.SEVERITIES.items()}
LABELS = {"status": {"payment_due": _l("Payment due soon"), "payment_overdue": _l("Payment overdue"),
                     "confirm_share": _l("To confirm"), "payment_received": _l("Payment received"),
                     "advance_received": _l("Advance received"), "refunded": _l("Money refunded"),
                     "payment_reversed": _l("Payment reversed"), "phone_changed": _l("Phone number"),
                     "phone_change_asked": _l("Phone number"), "return_credited": _l("Return credited"),
                     "share_recorded": _l("Recorded at the depot"),
                     "share_dispute_settled": _l("Dispute settled")}}

#: how the board says a member's dispute was settled (the alert's `resolved.outcome`), as alerts.js does too
SETTLED = {"upheld": N_("Settled by {by} on {at}: the member's dispute was upheld. {note}"),
           "rejected": N_("Settled by {by} on {at}: the member's dispute was rejected; the depot's record stands. "
                          "{note}")}

HOME = {"admin": "/admin/alerts"}
MENU = {"artisan": ((30, "/my/notifications", _l("Notifications")),),
        "secretary": ((20, "/my/notifications", _l("Notifications")),),
        "warehouse": ((50, "/admin/alerts", _l("Alerts")),),
        "admin": ((10, "/admin/alerts", _l("Alerts")),)}


@blp.get("/admin/alerts")
@page("admin", "warehouse")
def alert_board(principal):
    """The alerts of a tab (live: open and acknowledged; or one status), found by words, depot and the days they
    were first seen, a page at a time; the live tab keeps itself current from /api/v1/stream (the depot shown's, adding
    new alerts unless narrowed by words, days or a later page). A depot's staff see their own depot's only: asked for
    another (?depot=, a link an admin sent), they are told so and led to theirs."""
    tab = request.args.get("status") if request.args.get("status") in TABS else "live"
    errors = {}
    since, until = day_range(errors)
    depot = principal.works_at or request.args.get("depot") or None  # central staff (no depot) choose as admins
    if principal.asks_another_depot(request.args.get("depot")):
        error = NotYourDepot({"your_depot": depot}).named(db())
        raise to_own_depot(error, error.depot_name())
    if depot and not principal.works_at and not projections.depot_known(db(), depot):
        raise to_depot_choice(DepotNotFound({"depot": depot}))  # not an empty board, nor a refused stream
    filters = {"statuses": TABS[tab], "depot": depot, "q": search_text() or None, "since": since, "until": until}
    at = pager(alerts.count(db(), **filters))
    docs = alerts.find(db(), **filters, limit=at.size, skip=at.skip)
    # one depot's board follows its own stream; one narrowed by words or days has the stream say which new alerts
    # they find (`matches`), to add and announce those only; a later page announces them without adding them
    filtered = bool(filters["q"] or since or until)
    narrowing = {"q": filters["q"], "from": request.args.get("from") if since else None,
                 "to": request.args.get("to") if until else None}
    export = {"format": "csv", "status": ",".join(TABS[tab]), "q": filters["q"], "depot": depot,
              "from": request.args.get("from") if since else None, "to": request.args.get("to") if until else None}
    return _board(docs, tab=tab, shown=TABS[tab], pager=at, errors=errors, adds=at.number == 1, filtered=filtered,
                  stream_url=url_for("notifier_stream.stream", depot=depot,
                                     **{k: v for k, v in narrowing.items() if v}),
                  depots=[] if principal.works_at else projections.all_depots(db()),
                  csv_url=url_for("notifier.list_alerts", **{k: v for k, v in export.items() if v}))


@blp.get("/admin/alerts/<alert_id>")
@page("admin", "warehouse")
def one_alert(principal, alert_id):
    """One alert, whatever became of it (open, acknowledged, resolved), acknowledged and resolved here as on the
    board and kept current by the same stream: where an e-mail about it leads (links.one_alert), since the board
    shows it only on its status's tab and page. Another depot's alert is not found for a depot's staff, as in the
    API."""
    doc = alerts.get(db(), alert_id)
    if doc is None or (principal.works_at and doc.get("depot") != principal.works_at):
        raise NotFound({"id": alert_id})
    # every status shown (a resolved card stays, saying so); the stream's new alerts neither added nor said
    return _board([doc], one=True, tab=None, shown=tuple(ALERT_STATUSES), pager=None, errors={}, adds=False,
                  filtered=True, stream_url=url_for("notifier_stream.stream", depot=doc.get("depot")),
                  depots=[], csv_url="")


def _board(docs: list[dict], **shown):
    """The board's page of these alerts: their cards, and what alerts.js needs to keep them current."""
    described = messages.describe_alerts(db(), docs)
    return render_template("notifier/alerts.html", alerts_json=AlertSchema(many=True).dump(described),
                           cards=[card(alert, language()) for alert in described],
                           since=datetime.now(timezone.utc).isoformat(), statuses=ALERT_STATUSES,
                           severities=SEVERITIES, request_url=url_of("requests", "/my/requisitions/REQ_ID"),
                           on_a_request=ON_A_REQUEST, on_stock=ON_STOCK,
                           stock_url=url_of("inventory", "/warehouse/stock/SKU?depot=DEPOT"),
                           order_url=url_of("inventory", "/admin/replenishment?depot=DEPOT"),
                           **{"one": False, "tabs": TABS, **shown})


def card(alert: dict, lang: str) -> dict:
    """What an alert's card says, in the page's language, as the board's script writes it (alerts.js `upsert`): the
    board is whole without JavaScript, which only adds the live changes."""
    done, ack = alert.get("resolved"), alert.get("acknowledged")
    if not done:
        resolved = ""
    elif done.get("outcome") in SETTLED:  # a dispute the department settled: by whom (in words), and how
        resolved = Markup(escape(_(SETTLED[done["outcome"]]))).format(
            by=as_typed((done.get("by_words") or {}).get(lang) or done.get("by")), at=when(done.get("at")),
            note=as_typed(done.get("note") or "–"))
    elif done.get("by") == "system":
        resolved = _("Resolved by itself on {at}: the condition cleared.").format(at=when(done.get("at")))
    else:
        resolved = Markup(escape(_("Resolved by {by} on {at}: {note}"))).format(
            by=as_typed((done.get("by_words") or {}).get(lang) or done.get("by")), at=when(done.get("at")),
            note=as_typed(done.get("note") or "–"))
    return {"id": alert["_id"], "status": alert["status"], "severity": alert["severity"],
            "title": alert["title"][lang] or alert["kind"], "text": alert["text"][lang],
            "severity_name": SEVERITIES.get(alert["severity"], alert["severity"]),
            "status_name": ALERT_STATUSES.get(alert["status"], alert["status"]),
            "meta": _("{depot} · since {since} · times seen: {count}").format(
                depot=(alert.get("depot_name") or {}).get(lang) or alert.get("depot") or "–",
                since=when(alert.get("first_seen")), count=number(alert.get("count") or 1)),
            "ack": Markup(escape(pgettext("alert", "Acknowledged by {by}: {note}"))).format(
                by=as_typed((ack.get("by_words") or {}).get(lang) or ack.get("by")),
                note=as_typed(ack.get("note") or "–")) if ack else "",
            "resolved": resolved, "request": request_link(alert), "stock": stock_links(alert)}


#: alerts of one member's share, whose request's page is where it is dealt with (a dispute is settled there)
ON_A_REQUEST = (domain.SHARE_RECORD_DISPUTED, domain.SHORT_SHARE)


def request_link(alert: dict) -> str | None:
    """The address of the request an alert of a member's share is about (its page shows the share, and for a
    disputed record the admin's form to settle it); None for other alerts."""
    requisition_id = (alert.get("details") or {}).get("requisition_id")
    if alert.get("kind") not in ON_A_REQUEST or not requisition_id:
        return None
    return url_of("requests", f"/my/requisitions/{quote(requisition_id, safe='')}")


#: alerts of a material's stock at a depot, dealt with from its stock card and the depot's "what to order"
ON_STOCK = (domain.LOW_STOCK, domain.STOCK_OUT, domain.WAITLIST)


def stock_links(alert: dict) -> dict | None:
    """Where an alert of a material's stock at a depot is dealt with: the material's stock card there (lots, what is
    on order, who waits) and the depot's "what to order"; None for other alerts."""
    sku, depot = alert.get("sku"), alert.get("depot")
    if alert.get("kind") not in ON_STOCK or not sku or not depot:
        return None
    at = f"?depot={quote(depot, safe='')}"
    return {"card": url_of("inventory", f"/warehouse/stock/{quote(sku, safe='')}{at}"),
            "order": url_of("inventory", f"/admin/replenishment{at}")}


@blp.get("/my/notifications")
@page("artisan", "secretary")
def my_notifications(principal):
    """What happened to my requisitions (a secretary: the members'), newest first, a page at a time, in the page's
    language."""
    people = notifications.owners(db(), principal)
    at = pager(notifications.count_of(db(), people))
    items = notifications.render(db(), notifications.of_people(db(), people, skip=at.skip, limit=at.size), language(),
                                 typed=as_typed)
    return render_template("notifier/notifications.html", items=items, pager=at,
                           members=principal.role == "secretary")
