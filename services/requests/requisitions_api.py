"""Requisitions HTTP API: load with a schema, call one use case, dump."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Response

from services.requests import requisition_exports, requisitions, returns
from services.requests.schemas import (ActionSchema, RequisitionOutSchema, RequisitionQuery, RequisitionSchema,
                                       RequisitionSummarySchema, ReturnOutSchema, ReturnSchema)
from shared import idempotency
from shared.auth import current_principal, require_role
from shared.calendar import instants
from shared.i18n import language
from shared.web import Blueprint, db, request_id

blp = Blueprint("requisitions", __name__, url_prefix="/api/v1",
                description="Requisitions and their lifecycle")
_idempotency_key = idempotency.request_key


@blp.route("/requisitions", methods=["POST"])
@blp.refuses(409, 422, 503)
@require_role("admin", "secretary", "artisan")
@blp.doc(parameters=[idempotency.PARAMETER])
@blp.arguments(RequisitionSchema)
@blp.response(201, RequisitionOutSchema)
def submit(body):
    """Submit a requisition; a retry with the same Idempotency-Key returns the first result."""
    doc, created = requisitions.submit(db(), current_principal(), body, idempotency_key=_idempotency_key(),
                                       correlation_id=request_id())
    return idempotency.answer(doc, created)


@blp.route("/requisitions", methods=["GET"])
@require_role()
@blp.arguments(RequisitionQuery, location="query")
@blp.response(200, RequisitionSummarySchema(many=True))
def list_requisitions(query):
    """Newest first; artisans see their own, secretaries their cooperative's; X-Total-Count says how many match.
    format=csv gives every line of every one that matches, for a spreadsheet (a cooperative's, each line of each
    member's share under that member)."""
    principal, filters = current_principal(), requisition_filters(query)
    if query["format"] == "csv":
        rows = requisitions.search(db(), principal, **filters, limit=requisition_exports.MAX_ROWS)
        return Response(requisition_exports.as_csv(db(), rows, language()), mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename=requisitions.csv"})
    offset = (query["page"] - 1) * query["limit"] if query["page"] else query["offset"]
    found = requisitions.search(db(), principal, **filters, limit=query["limit"], offset=offset)
    return found, 200, {"X-Total-Count": str(requisitions.count(db(), principal, **filters))}


def requisition_filters(query: dict) -> dict:
    """The use case's filters from a list's query: the days made turned into the instants they cover."""
    since, until = instants(query.get("since"), query.get("until"))
    return {"status": query.get("status"), "depot": query.get("depot"), "artisan_id": query.get("artisan_id"),
            "sku": query.get("sku"), "q": query.get("q"), "since": since, "until": until}


@blp.route("/requisitions/<req_id>", methods=["GET"])
@blp.refuses(503)
@require_role()
@blp.response(200, RequisitionOutSchema)
def get_requisition(req_id):
    """One requisition with its status history (who, when, why)."""
    return requisitions.get(db(), current_principal(), req_id)


@blp.route("/requisitions/<req_id>/<any(approve, reject, cancel, dispatch, receive):action>",
           methods=["POST"])
@blp.refuses(409, 422, 503)
@require_role()
@blp.arguments(ActionSchema)
@blp.response(200, RequisitionOutSchema)
def act(body, req_id, action):
    """Move a requisition on; 409 with the current status when its status does not allow it, and 409
    `material_unpriced` (the SKUs in `details.skus`) for an approval while a material has no price today."""
    return requisitions.act(db(), current_principal(), req_id, action, reason=body["reason"],
                            correlation_id=request_id())


@blp.route("/requisitions/<req_id>/returns", methods=["POST"])
@blp.refuses(409, 422, 503)
@require_role("admin", "warehouse")
@blp.doc(parameters=[idempotency.PARAMETER])
@blp.arguments(ReturnSchema)
@blp.response(201, ReturnOutSchema)
def record_return(body, req_id):
    """Record materials that came back from the artisan (a cooperative's: from the member named) to the depot of a
    request handed over, with a credit note on their account: what they were charged for that much. The depot's
    staff or an admin; 409 requisition_not_returnable unless dispatched or received, 422 return_above_handed_over
    (more than was handed over less what came back before) or return_not_in_share; a line `short` (did not reach
    the member) settles a shortfall the member reported: 422 not_reported_short for a material they did not report
    short, short_above_reported above what they reported less what was settled before. A retry with the same
    Idempotency-Key returns the first result (and finishes it, if it was cut short)."""
    made, created = returns.record(db(), current_principal(), req_id, body, idempotency_key=_idempotency_key(),
                                   now=datetime.now(timezone.utc), correlation_id=request_id())
    return idempotency.answer(made, created)


@blp.route("/requisitions/<req_id>/returns", methods=["GET"])
@blp.refuses(503)
@require_role()
@blp.response(200, ReturnOutSchema(many=True))
def list_returns(req_id):
    """The returns of a request, oldest first: its artisan (a member: their own) and their secretary, the depot's
    staff and admins."""
    return returns.listing(db(), current_principal(), req_id)
