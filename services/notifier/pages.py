"""Notifier pages: the live alert board and an artisan's notifications."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from services.notifier import alerts, domain, messages, notifications
from shared.i18n import language
from shared.pages import page
from shared.web import db

blp = Blueprint("notifier_pages", __name__, template_folder="templates", static_folder="static",
                static_url_path="/static/notifier")
ALERT_STATUSES = {domain.OPEN: _l("Open"), domain.ACKNOWLEDGED: _l("Someone is on it"),
                  domain.RESOLVED: _l("Resolved")}
SEVERITIES = {"critical": _l("Critical"), "warning": _l("Warning"), "info": _l("Information")}
LABELS = {"status": {"payment_due": _l("Payment due soon"), "payment_overdue": _l("Payment overdue")}}

HOME = {"admin": "/admin/alerts"}
MENU = {"artisan": ((30, "/my/notifications", _l("Notifications")),),
        "secretary": ((20, "/my/notifications", _l("Notifications")),),
        "warehouse": ((50, "/admin/alerts", _l("Alerts")),),
        "admin": ((10, "/admin/alerts", _l("Alerts")),)}


@blp.get("/admin/alerts")
@page("admin", "warehouse")
def alert_board(principal):
    """Open and acknowledged alerts; the page keeps itself current from /api/v1/stream."""
    depot = principal.depot if principal.role == "warehouse" else None
    docs = [doc for doc in alerts.find(db(), depot=depot, limit=200) if doc["status"] in domain.LIVE]
    return render_template("notifier/alerts.html", alerts_json=messages.describe_alerts(db(), docs, dump=True),
                           since=datetime.now(timezone.utc).isoformat(), statuses=ALERT_STATUSES,
                           severities=SEVERITIES)


@blp.get("/my/notifications")
@page("artisan", "secretary")
def my_notifications(principal):
    """What happened to my requisitions, newest first, in the page's language."""
    items = []
    for artisan_id in notifications.owners(db(), principal):
        items += notifications.render(db(), notifications.for_artisan(db(), artisan_id, limit=100), language())
    items.sort(key=lambda n: n["created_at"], reverse=True)
    return render_template("notifier/notifications.html", items=items[:100])
