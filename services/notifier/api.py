"""Notifier HTTP API."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f, validate as v

from services.notifier import events
from shared.auth import require_role
from shared.web import Blueprint, db

blp = Blueprint("notifier", __name__, url_prefix="/api/v1", description="Events, alerts and notifications")


class EventQuery(ma.Schema):
    type = f.String(load_default=None, validate=v.Length(max=100))
    limit = f.Integer(load_default=50, validate=v.Range(min=1, max=200))
    before = f.AwareDateTime(load_default=None)


class EventSchema(ma.Schema):
    event_id = f.String()
    type = f.String()
    version = f.Integer()
    occurred_at = f.String()
    received_at = f.AwareDateTime()
    source = f.String()
    key = f.String()
    correlation_id = f.String(allow_none=True)
    payload = f.Dict()


@blp.route("/events", methods=["GET"])
@require_role("admin")
@blp.arguments(EventQuery, location="query")
@blp.response(200, EventSchema(many=True))
def list_events(query):
    """Integration events seen by the notifier, newest first (admin only)."""
    return events.recent(db(), type_=query["type"], limit=query["limit"], before=query["before"])
