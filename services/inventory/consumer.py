"""How inventory applies events: requisitions from requests.events, its own transfers and freed stock."""
from __future__ import annotations

import logging

from services.inventory import movements
from services.inventory.reservations import InvalidRequisition, Reservations
from shared.envelope import Event
from shared.errors import ApiError
from shared.consumer import PermanentError

log = logging.getLogger(__name__)

FREES_STOCK = ("StockReceived", "StockAdjusted", "StockReleased", "StockTransferred")


def make_handler(db, config, *, lease_seconds: float = 10.0, wait_seconds: float = 3.0, after_line=None):
    """The consumer's handler; keyword arguments exist for tests (short leases, a crash point)."""
    reservations = Reservations(db, lease_seconds=lease_seconds, wait_seconds=wait_seconds,
                                after_line=after_line)

    def handle(event: Event) -> None:
        try:
            apply(reservations, event)
        except (InvalidRequisition, ApiError) as exc:
            raise PermanentError(str(getattr(exc, "code", "")) or str(exc)) from None

    return handle


def apply(reservations: Reservations, event: Event) -> None:
    """Apply one event; every branch is idempotent, so replays and duplicates are harmless."""
    kind, cid = event.type, event.correlation_id or event.event_id
    if kind == "RequisitionApproved":
        reservations.approve(event.data, cid)
    elif kind == "RequisitionCancelled":
        data = event.data
        reservations.cancel(data, cid)
        reservations.retry_waitlist(data["depot"], cid)
    elif kind == "RequisitionDispatched":
        reservations.dispatch(event.data, cid)
    elif kind in FREES_STOCK:
        data = event.data
        if kind == "StockTransferred":
            movements.transfer_in(reservations.db, data, correlation_id=cid)
            depot = data["to_depot"]
        elif kind == "StockAdjusted" and data["quantity"] < 0:
            return
        else:
            depot = data["depot"]
        reservations.retry_waitlist(depot, cid)
