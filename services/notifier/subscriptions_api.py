"""Notifier HTTP API for admins: webhooks, admin contacts and the delivery log."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import current_app

from services.notifier import deliveries, outbound, subscribers
from services.notifier.schemas import (ContactIn, ContactOut, DeliveryQuery, DeliverySchema, ListQuery, WebhookIn,
                                       WebhookOut)
from shared.auth import current_principal, require_role
from shared.errors import NotFound
from shared.lists import skip_of
from shared.web import Blueprint, db

blp = Blueprint("notifier_subscriptions", __name__, url_prefix="/api/v1",
                description="Webhooks, admin contacts and deliveries")


@blp.route("/webhooks", methods=["POST"])
@require_role("admin")
@blp.arguments(WebhookIn)
@blp.response(201, WebhookOut)
def add_webhook(body):
    """Register a webhook; the answer carries its signing secret, shown only this once."""
    allow = outbound.allowed_hosts(current_app.config["RAWBANK"].webhook_allow_hosts)
    return subscribers.add_webhook(db(), body, by=current_principal().sub, allow=allow)


@blp.route("/webhooks", methods=["GET"])
@require_role("admin")
@blp.arguments(ListQuery, location="query")
@blp.response(200, WebhookOut(many=True))
def list_webhooks(query):
    """Webhooks, oldest first, a page at a time."""
    return subscribers.webhooks(db(), skip=skip_of(query), limit=query["limit"])


@blp.route("/webhooks/<webhook_id>", methods=["DELETE"])
@require_role("admin")
@blp.response(204)
def remove_webhook(webhook_id):
    """Stop a webhook; its pending deliveries are skipped, its log stays, its failing alert (if live) is resolved."""
    if not subscribers.deactivate_webhook(db(), webhook_id):
        raise NotFound({"id": webhook_id})
    deliveries.webhook_removed(db(), webhook_id, datetime.now(timezone.utc))


@blp.route("/webhooks/<webhook_id>/deliveries", methods=["GET"])
@require_role("admin")
@blp.arguments(DeliveryQuery, location="query")
@blp.response(200, DeliverySchema(many=True))
def webhook_deliveries(query, webhook_id):
    """The delivery log of one webhook, newest first: attempts, errors, final failures."""
    if subscribers.webhook(db(), webhook_id) is None:
        raise NotFound({"id": webhook_id})
    return deliveries.find(db(), status=query["status"], channel="webhook", target=webhook_id,
                           skip=skip_of(query), limit=query["limit"])


@blp.route("/contacts", methods=["POST"])
@require_role("admin")
@blp.arguments(ContactIn)
@blp.response(201, ContactOut)
def add_contact(body):
    """An admin to reach by e-mail or SMS on escalations in their districts, and for the daily digest."""
    return subscribers.add_contact(db(), body, by=current_principal().sub)


@blp.route("/contacts", methods=["GET"])
@require_role("admin")
@blp.arguments(ListQuery, location="query")
@blp.response(200, ContactOut(many=True))
def list_contacts(query):
    """Admin contacts, oldest first, a page at a time."""
    return subscribers.contacts(db(), skip=skip_of(query), limit=query["limit"])


@blp.route("/contacts/<contact_id>", methods=["DELETE"])
@require_role("admin")
@blp.response(204)
def remove_contact(contact_id):
    if not subscribers.remove_contact(db(), contact_id):
        raise NotFound({"id": contact_id})


@blp.route("/deliveries", methods=["GET"])
@require_role("admin")
@blp.arguments(DeliveryQuery, location="query")
@blp.response(200, DeliverySchema(many=True))
def list_deliveries(query):
    """Every channel's delivery log, newest first; `status=failed` shows what never arrived."""
    return deliveries.find(db(), status=query["status"], channel=query["channel"], target=query["target"],
                           skip=skip_of(query), limit=query["limit"])
