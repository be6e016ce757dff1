"""Inventory HTTP API, the gate pass after a hand-over: what a handed-over requisition took from which lots, and its
printings (a depot's own app, or the guard's phone, reads it; the slip page's Print records the first)."""
from __future__ import annotations

from services.inventory import handovers
from services.inventory.errors import NotHandedOverYet, NotReadyToHandOver
from services.inventory.reservations import HELD, ISSUED
from services.inventory.schemas import GatePassPrintingSchema, GatePassSchema
from shared.auth import current_principal, require_role
from shared.names import STAFF
from shared.web import Blueprint, db

blp = Blueprint("inventory-gate-pass", __name__, url_prefix="/api/v1", description="Gate passes after hand-over")


def handed_over(requisition_id: str) -> dict:
    """The reservation of a handed-over requisition the caller may read: unknown 404, another depot's (for its
    staff) 403 wrong_depot naming its depot, as the slip's page, one not handed over 409 saying what to do next."""
    doc = handovers.to_print(db(), requisition_id, current_principal().works_at)
    if doc["status"] == HELD:
        raise NotHandedOverYet({"requisition_id": requisition_id})
    if doc["status"] != ISSUED:
        raise NotReadyToHandOver({"requisition_id": requisition_id, "status": doc["status"]})
    return doc


@blp.route("/reservations/<requisition_id>/gate-pass", methods=["GET"])
@blp.refuses(409)
@require_role(*STAFF)
@blp.response(200, GatePassSchema)
def get_gate_pass(requisition_id):
    """The gate pass of a handed-over requisition: who collects, each line approved and what left from which lots,
    who handed it over when, and its first printing (null: not printed yet). Reading it records no printing."""
    return handovers.gate_pass(db(), handed_over(requisition_id))


@blp.route("/reservations/<requisition_id>/gate-pass/printings", methods=["POST"])
@blp.refuses(409)
@require_role(*STAFF)
@blp.response(200, GatePassPrintingSchema)
def print_gate_pass(requisition_id):
    """Record that the caller printed the gate pass: the first printing is stored once; the answer says whether
    this was it (`first`) and when and by whom the first was (a later printing is a copy)."""
    first, was_first = handovers.printing(db(), handed_over(requisition_id), current_principal().sub)
    return {"first": was_first, "first_printed": first}
