"""Notifier HTTP API: the event log, alerts and artisans' notifications."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Response

from services.notifier import alert_exports, alerts, dead_letters, event_log, messages, notifications
from services.notifier.errors import AlertAlreadyResolved, AlertNotOpen, NotificationsNotYours, NotYourDepot
from services.notifier.schemas import (AlertQuery, AlertSchema, DeadLetterQuery, DeadLetterSchema, EventQuery,
                                       EventSchema, NoteBody, NotificationQuery, NotificationSchema, ResendBody)
from shared.auth import current_principal, require_role
from shared.calendar import instants
from shared.errors import NotFound
from shared.i18n import language
from shared.lists import skip_of
from shared.web import Blueprint, db

blp = Blueprint("notifier", __name__, url_prefix="/api/v1", description="Events, alerts and notifications")


@blp.route("/events", methods=["GET"])
@require_role("admin")
@blp.arguments(EventQuery, location="query")
@blp.response(200, EventSchema(many=True))
def list_events(query):
    """Integration events seen by the notifier, newest first, a page at a time (admin only)."""
    return event_log.recent(db(), type_=query["type"], limit=query["limit"], before=query["before"],
                            before_event=query["before_event"], skip=skip_of(query))


@blp.route("/dead-letters", methods=["GET"])
@require_role("admin")
@blp.arguments(DeadLetterQuery, location="query")
@blp.response(200, DeadLetterSchema(many=True))
def list_dead_letters(query):
    """The dead letters the notifier read and keeps, oldest first, a page at a time (admin only): `rawbank dlq`
    lists and resends them from here when the broker has lost them (values=true: with their bytes)."""
    return dead_letters.find(db(), event_id=query["event_id"], values=query["values"], limit=query["limit"],
                             skip=skip_of(query))


@blp.route("/dead-letters/resends", methods=["POST"])
@blp.refuses(409)
@require_role("admin")
@blp.arguments(ResendBody)
@blp.response(200, DeadLetterSchema)
def mark_resent(body):
    """Mark a sending of `rawbank dlq resend` on the dead letter it sent (once per resend_id; admin only). 404 for
    an id no letter has, 409 dead_letter_not_resendable for a letter that cannot be sent again as it was."""
    return dead_letters.mark_resent(db(), body["id"], resend_id=body["resend_id"], by=current_principal().sub,
                                    at=datetime.now(timezone.utc))


def depot_scope() -> str | None:
    """Warehouse staff see the alerts of their own depot; admins see all."""
    return current_principal().works_at


def asked_depot(asked: str | None) -> str | None:
    """The depot whose alerts are read: the one asked for (?depot=), else a warehouse user's own (None: all). Staff of
    a depot asking another's are refused (403 wrong_depot, naming theirs), never answered with their own as if they
    were the depot asked for."""
    principal = current_principal()
    if principal.asks_another_depot(asked):
        raise NotYourDepot({"your_depot": principal.works_at}).named(db())
    return asked or principal.works_at


def _own_alert(alert_id: str) -> dict:
    doc = alerts.get(db(), alert_id)
    scope = depot_scope()
    if doc is None or (scope and doc.get("depot") != scope):
        raise NotFound({"id": alert_id})
    return doc


@blp.route("/alerts", methods=["GET"])
@require_role("admin", "warehouse")
@blp.arguments(AlertQuery, location="query")
@blp.response(200, AlertSchema(many=True))
def list_alerts(query):
    """Supply alerts, most recently seen first, a page at a time (X-Total-Count says how many match);
    warehouse staff of a depot get their depot's only (another asked for: 403 wrong_depot); format=csv gives every one
    that matches, for a spreadsheet."""
    filters = alert_filters(query)
    if query["format"] == "csv":
        docs = alerts.find(db(), **filters, limit=alert_exports.MAX_ROWS)
        return Response(alert_exports.as_csv(messages.describe_alerts(db(), docs), language()), mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename=alerts.csv"})
    docs = alerts.find(db(), **filters, limit=query["limit"], skip=skip_of(query))
    return messages.describe_alerts(db(), docs), 200, {"X-Total-Count": str(alerts.count(db(), **filters))}


def alert_filters(query: dict) -> dict:
    """What to find: the query's filters, within the caller's depot (warehouse staff of a depot; another asked for:
    403 wrong_depot)."""
    statuses = (query.get("status") or "").split(",")
    since, until = instants(query.get("since"), query.get("until"))
    return {"depot": asked_depot(query.get("depot")), "kind": query.get("kind"), "q": query.get("q"),
            "statuses": [s for s in statuses if s], "since": since, "until": until}


@blp.route("/alerts/<alert_id>", methods=["GET"])
@require_role("admin", "warehouse")
@blp.response(200, AlertSchema)
def get_alert(alert_id):
    return messages.describe_alerts(db(), [_own_alert(alert_id)])[0]


@blp.route("/alerts/<alert_id>/acknowledge", methods=["POST"])
@blp.refuses(409)
@require_role("admin", "warehouse")
@blp.arguments(NoteBody)
@blp.response(200, AlertSchema)
def acknowledge_alert(body, alert_id):
    """Say who is handling an open alert (stops its escalation)."""
    doc = _own_alert(alert_id)
    done = alerts.acknowledge(db(), alert_id, by=current_principal().sub, note=body["note"],
                              at=datetime.now(timezone.utc))
    if done is None:
        raise AlertNotOpen({"id": alert_id, "status": doc["status"]})
    return messages.describe_alerts(db(), [done])[0]


@blp.route("/alerts/<alert_id>/resolve", methods=["POST"])
@blp.refuses(409)
@require_role("admin", "warehouse")
@blp.arguments(NoteBody)
@blp.response(200, AlertSchema)
def resolve_alert(body, alert_id):
    """Close an alert by hand (e.g. a dead letter that was dealt with)."""
    doc = _own_alert(alert_id)
    done = alerts.resolve(db(), alert_id, by=current_principal().sub, note=body["note"],
                          at=datetime.now(timezone.utc))
    if done is None:
        raise AlertAlreadyResolved({"id": alert_id, "status": doc["status"]})
    return messages.describe_alerts(db(), [done])[0]


@blp.route("/notifications", methods=["GET"])
@require_role("artisan", "secretary", refusal=NotificationsNotYours)
@blp.arguments(NotificationQuery, location="query")
@blp.response(200, NotificationSchema(many=True))
def list_notifications(query):
    """The caller's own notifications (a secretary's: the members'), newest first, a page at a time, each in its
    artisan's language."""
    docs = notifications.of_people(db(), notifications.owners(db(), current_principal()), unread_only=query["unread"],
                                   skip=skip_of(query), limit=query["limit"])
    return notifications.render_each(db(), docs, language())


@blp.route("/notifications/<notification_id>/read", methods=["POST"])
@require_role("artisan", "secretary", refusal=NotificationsNotYours)
@blp.response(200, NotificationSchema)
def read_notification(notification_id):
    """Mark one of the caller's notifications read."""
    for artisan_id in notifications.owners(db(), current_principal()):
        doc = notifications.mark_read(db(), notification_id, artisan_id)
        if doc is not None:
            asked = language()
            return notifications.render(db(), [doc], notifications.language_for(db(), artisan_id, asked))[0]
    raise NotFound({"id": notification_id})

