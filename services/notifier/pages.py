"""Notifier pages: the live alert board and an artisan's notifications."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from services.notifier import alerts, domain, messages, notifications, projections, texts
from services.notifier.errors import DepotNotFound, NotYourDepot
from shared.i18n import language
from shared.lists import day_range, pager, search_text
from shared.pages import as_typed, page, to_depot_choice, to_own_depot
from shared.web import db

blp = Blueprint("notifier_pages", __name__, template_folder="templates", static_folder="static",
                static_url_path="/static/notifier")
ALERT_STATUSES = {status: _l(text) for status, text in texts.ALERT_STATUSES.items()}
#: the board's tabs: which statuses each shows
TABS = {"live": domain.LIVE, "open": (domain.OPEN,), "acknowledged": (domain.ACKNOWLEDGED,),
        "resolved": (domain.RESOLVED,)}
SEVERITIES = {"critical": _l("Critical"), "warning": _l("Warning"), "info": _l("Information")}
LABELS = {"status": {"payment_due": _l("Payment due soon"), "payment_overdue": _l("Payment overdue"),
                     "confirm_share": _l("To confirm"), "payment_received": _l("Payment received"),
                     "advance_received": _l("Advance received"), "refunded": _l("Money refunded"),
                     "payment_reversed": _l("Payment reversed"), "phone_changed": _l("Phone number"),
                     "phone_change_asked": _l("Phone number"), "return_credited": _l("Return credited")}}

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
    return render_template("notifier/alerts.html", alerts_json=messages.describe_alerts(db(), docs, dump=True),
                           since=datetime.now(timezone.utc).isoformat(), statuses=ALERT_STATUSES,
                           severities=SEVERITIES, tab=tab, tabs=TABS, pager=at, errors=errors,
                           adds=at.number == 1, filtered=filtered,
                           stream_url=url_for("notifier_stream.stream", depot=depot,
                                              **{k: v for k, v in narrowing.items() if v}),
                           depots=[] if principal.works_at else projections.all_depots(db()),
                           csv_url=url_for("notifier.list_alerts", **{k: v for k, v in export.items() if v}))


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
