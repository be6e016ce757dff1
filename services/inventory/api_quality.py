"""Inventory HTTP API, quality half: lots on hold for inspection, and stock counts."""
from __future__ import annotations

from services.inventory import counts, lots, once
from services.inventory.api import page_args, paged
from services.inventory.api_stock import asked_depot, depot_scope, key_id, own_depot
from services.inventory.schemas import StockSchema
from services.inventory.schemas_procurement import (CountCancelSchema, CountLineSchema, CountQuery, CountSchema,
                                                    CountStartSchema, LotActionSchema)
from shared import idempotency
from shared.auth import current_principal, require_role
from shared.names import STAFF
from shared.web import Blueprint, db, request_id, runtime

blp = Blueprint("inventory-quality", __name__, url_prefix="/api/v1", description="Lots on hold and stock counts")


@blp.route("/stock/<depot>/<sku>/lots/<any(hold, release):action>", methods=["POST"])
@require_role(*STAFF)
@blp.arguments(LotActionSchema)
@blp.response(200, StockSchema)
def lot_status(body, depot, sku, action):
    """hold: a lot waits for inspection, neither reserved nor issued; release: it is back in use."""
    own_depot(depot, movements=False)
    step = lots.hold if action == "hold" else lots.release
    return step(db(), depot, sku, body["lot"], by=current_principal().sub, note=body["note"],
                correlation_id=request_id())


@blp.route("/counts", methods=["POST"])
@blp.refuses(409)
@require_role(*STAFF)
@blp.doc(parameters=[idempotency.PARAMETER])
@blp.arguments(CountStartSchema)
@blp.response(201, CountSchema)
def start_count(body):
    """Start a stock count at a depot: a sheet of every lot the books show there; a retry with the same
    Idempotency-Key returns the first count."""
    own_depot(body["depot"], movements=False)
    return idempotency.answer(*once.count(db(), body["depot"], key_id=key_id(), by=current_principal().sub))


@blp.route("/counts", methods=["GET"])
@require_role(*STAFF)
@blp.arguments(CountQuery, location="query")
@blp.response(200, CountSchema(many=True))
def list_counts(query):
    """Counts newest first, a page at a time (warehouse staff: their depot's; another's asked for: 403 wrong_depot)."""
    query["depot"] = asked_depot(query["depot"])
    return paged(counts.find(db(), **page_args(query)), query["limit"], lambda c: c["count_id"])


@blp.route("/counts/<count_id>", methods=["GET"])
@require_role(*STAFF)
@blp.response(200, CountSchema)
def get_count(count_id):
    """One count with its sheet and lines; another depot's is not found."""
    return counts.view(counts.get(db(), count_id, depot=depot_scope()))


def _at_own_depot(count_id: str) -> None:
    """Warehouse staff write only to their depot's counts; another depot's is not found, as when they read it."""
    counts.get(db(), count_id, depot=depot_scope())


@blp.route("/counts/<count_id>/lines", methods=["PUT"])
@blp.refuses(409, 422, 503)
@require_role(*STAFF)
@blp.arguments(CountLineSchema)
@blp.response(200, CountSchema)
def count_line(body, count_id):
    """Record what was counted of one lot (again to correct it); the books at this moment stand beside it."""
    _at_own_depot(count_id)
    return counts.count_line(db(), count_id, body, by=current_principal().sub)


@blp.route("/counts/<count_id>/submit", methods=["POST"])
@blp.refuses(409, 422, 503)
@require_role(*STAFF)
@blp.response(200, CountSchema)
def submit_count(count_id):
    """Hand the count in for approval; differences beyond the tolerance raise an alert."""
    _at_own_depot(count_id)
    tolerance = runtime().config.inventory_count_tolerance_percent
    return counts.submit(db(), count_id, by=current_principal().sub, tolerance_percent=tolerance,
                         correlation_id=request_id())


@blp.route("/counts/<count_id>/cancel", methods=["POST"])
@blp.refuses(409, 503)
@require_role(*STAFF)
@blp.arguments(CountCancelSchema)
@blp.response(200, CountSchema)
def cancel_count(body, count_id):
    """Cancel a count begun by mistake or counted wrong (open or submitted), with the reason: nothing is posted;
    sent again, the cancelled count is answered."""
    _at_own_depot(count_id)
    return counts.cancel(db(), count_id, by=current_principal().sub, reason=body["reason"],
                         correlation_id=request_id())


@blp.route("/counts/<count_id>/approve", methods=["POST"])
@blp.refuses(409, 503)
@require_role("admin")
@blp.response(200, CountSchema)
def approve_count(count_id):
    """Post one adjustment (reason count) per difference (an admin who did not count)."""
    return counts.approve(db(), count_id, by=current_principal().sub, correlation_id=request_id())
