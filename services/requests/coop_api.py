"""Cooperatives HTTP API: the records, members confirming their shares (in the app or by SMS), passbooks."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import current_app, request

from services.requests import cooperatives, inbound, passbook, requisitions
from services.requests.coop_schemas import (ConfirmationSchema, CooperativePatchSchema, CooperativeQuery,
                                            CooperativeSchema, DepotAnswerSchema, DisputeSchema,
                                            DisputeSettlementSchema, InboundReplySchema,
                                            InboundSchema, PassbookQuery, PassbookSchema)
from services.requests.errors import AdminSettlesDisputes, MemberDisputesOnly
from services.requests.schemas import ShareSchema
from shared import idempotency
from shared.calendar import financial_year_of, month_of
from shared.auth import current_principal, require_role
from shared.web import Blueprint, db, request_id

blp = Blueprint("cooperatives", __name__, url_prefix="/api/v1",
                description="Cooperatives, members' confirmations, inbound SMS and passbooks")


def _now() -> datetime:
    return datetime.now(timezone.utc)


@blp.route("/cooperatives", methods=["POST"])
@blp.refuses(409)
@require_role("admin")
@blp.arguments(CooperativeSchema)
@blp.response(201, CooperativeSchema)
def register_cooperative(body):
    """Register a cooperative, self-help group or producer company (admin)."""
    return cooperatives.register(db(), body, by=current_principal().sub, correlation_id=request_id())


@blp.route("/cooperatives", methods=["GET"])
@require_role("admin", "warehouse", "secretary")
@blp.arguments(CooperativeQuery, location="query")
@blp.response(200, CooperativeSchema(many=True))
def list_cooperatives(query):
    """Cooperatives in code order: all for staff, their own for a secretary."""
    return cooperatives.listing(db(), current_principal(), **query)


@blp.route("/cooperatives/<code>", methods=["GET"])
@require_role("admin", "warehouse", "secretary")
@blp.response(200, CooperativeSchema)
def get_cooperative(code):
    return cooperatives.get(db(), current_principal(), code)


@blp.route("/cooperatives/<code>", methods=["PATCH"])
@blp.refuses(409)
@require_role("admin")
@blp.arguments(CooperativePatchSchema)
@blp.response(200, CooperativeSchema)
def update_cooperative(changes, code):
    """Change a cooperative's details or its members' credit limit (admin). Every field as it is (the page saved
    unchanged): the cooperative as it is, no new version, no CooperativeUpdated."""
    return cooperatives.update(db(), code, changes, by=current_principal().sub, correlation_id=request_id())


@blp.route("/requisitions/<req_id>/confirmations", methods=["POST"])
@blp.refuses(409, 422, 503)
@require_role()
@blp.arguments(ConfirmationSchema)
@blp.response(201, ShareSchema)
def confirm_share(body, req_id):
    """A member confirms their own share in the app, or says how much they received (less: reported short).

    The same answer again is answered again (200); a share is answered once. Part of a piece of a material counted in
    pieces is 422 whole_units_only; a material named twice in `lines` 400."""
    share, created = requisitions.confirm(db(), current_principal(), req_id, body, now=_now(),
                                          correlation_id=request_id())
    return share, 201 if created else 200


@blp.route("/requisitions/<req_id>/shares/<artisan_id>/received", methods=["POST"])
@blp.refuses(409, 422, 503)
@require_role("admin", "warehouse")
@blp.arguments(DepotAnswerSchema)
@blp.response(201, ShareSchema)
def record_share_at_depot(body, req_id, artisan_id):
    """What a member says at the depot's counter they received of their share (all of it, or of each material),
    recorded by the depot's staff on their behalf (`via` depot, `by` the caller); only while the share waits for the
    member: one they answered stands (409 share_already_answered). The same record again is answered again (200).
    Part of a piece of a material counted in pieces is 422 whole_units_only; a material named twice in `lines` 400.

    Never the secretary's: the member's own word is the check on what reached them."""
    share, created = requisitions.record_at_depot(db(), current_principal(), req_id, artisan_id, body, now=_now(),
                                                  correlation_id=request_id())
    return share, 201 if created else 200


@blp.route("/requisitions/<req_id>/shares/<artisan_id>/dispute", methods=["POST"])
@blp.refuses(409, 503)
@require_role("artisan", refusal=MemberDisputesOnly)
@blp.doc(parameters=[idempotency.PARAMETER])
@blp.arguments(DisputeSchema)
@blp.response(201, ShareSchema)
def dispute_share(body, req_id, artisan_id):
    """The member says what the depot's staff recorded for their share is not what they received (`note`: what they
    say happened): kept on the share (`confirmation.disputed`) and told to the board as an alert; no quantity or
    money changes. Only the member themself (others 403; another member's share 404), only for a share the depot
    recorded (409 share_not_recorded_by_depot), once (409 share_already_disputed). The same dispute again (the same
    Idempotency-Key, or the same note) is answered as the first (201, Idempotent-Replayed: true)."""
    share, created = requisitions.dispute(db(), current_principal(), req_id, artisan_id, body,
                                          idempotency_key=idempotency.request_key(), now=_now(),
                                          correlation_id=request_id())
    return idempotency.answer(share, created)


@blp.route("/requisitions/<req_id>/shares/<artisan_id>/dispute/settlement", methods=["POST"])
@blp.refuses(409, 422, 503)
@require_role("admin", refusal=AdminSettlesDisputes)
@blp.arguments(DisputeSettlementSchema)
@blp.response(201, ShareSchema)
def settle_share_dispute(body, req_id, artisan_id):
    """The department settles a member's dispute of what the depot recorded for their share, once, with a `note`
    the member is told: `upheld` with what the member actually received (`quantity`, or `lines` of each material,
    within the share, whole pieces of a material counted in pieces, each material once; otherwise 422
    share_not_receivable, 422 whole_units_only or 400) replaces the depot's record, so the share counts as reported
    short as if the member had said so and the depot settles it with `short` return lines and their credit notes;
    `rejected`, the record stands. Admins only (the depot's staff recorded it; 403); 409 share_not_disputed, 409
    dispute_already_settled (another settlement); the same settlement again is answered as the first (201,
    Idempotent-Replayed: true). ShareDisputeSettled goes out; the notifier tells the member and resolves the board's
    share_record_disputed alert."""
    share, created = requisitions.settle_dispute(db(), current_principal(), req_id, artisan_id, body, now=_now(),
                                                 correlation_id=request_id())
    return idempotency.answer(share, created)


@blp.route("/requisitions/<req_id>/shares/<artisan_id>/code", methods=["POST"])
@blp.refuses(409, 503)
@require_role("admin", "secretary")
@blp.response(200, ShareSchema)
def new_share_code(req_id, artisan_id):
    """Text a member a fresh code for their share (the last one stops working), while it waits for them."""
    return requisitions.new_code(db(), current_principal(), req_id, artisan_id, now=_now(),
                                 correlation_id=request_id())


@blp.route("/sms/inbound", methods=["POST"])
@blp.refuses(401, 409, 503)
@blp.arguments(InboundSchema)
@blp.response(200, InboundReplySchema)
@blp.doc(security=[], parameters=[
    {"in": "header", "name": "X-Rawbank-Timestamp", "required": True, "schema": {"type": "string"},
     "description": "seconds since 1970 when the gateway signed it"},
    {"in": "header", "name": "X-Rawbank-Signature", "required": True, "schema": {"type": "string"},
     "description": "sha256=<hex HMAC-SHA256 of '<timestamp>.<body>' with RAWBANK_SMS_INBOUND_SECRET>"}])
def sms_inbound(message):
    """The SMS gateway's callback: a reply 'RCV <code>' or 'हाँ <code>', a missed call or IVR keys from a phone.

    Signed by the gateway (else 401); answered with the text to send back, which never says whether a
    code exists; the same callback again is answered again and applied once."""
    config = current_app.config["RAWBANK"]
    return inbound.handle(db(), secret=config.sms_inbound_secret, code_secret=config.jwt_secret,
                          timestamp=request.headers.get("X-Rawbank-Timestamp", ""),
                          signature=request.headers.get("X-Rawbank-Signature", ""), raw=request.get_data(),
                          message=message, now=_now())


@blp.route("/artisans/<artisan_id>/passbook", methods=["GET"])
@blp.refuses(503)
@require_role()
@blp.arguments(PassbookQuery, location="query")
@blp.response(200, PassbookSchema)
def get_passbook(query, artisan_id):
    """An artisan's passbook: looms, the month's entitlements and what is left, a financial year's requisitions
    (every one made in it) with their quantities, prices and confirmation, that year's payments, refunds and credit
    notes, and what is due on the whole account."""
    now = _now()
    return passbook.of(db(), current_principal(), artisan_id, query["month"] or month_of(now), now,
                       year=query["year"] or financial_year_of(now))
