"""How inventory applies events: requisitions from requests.events, its own transfers and freed stock."""
from __future__ import annotations

from services.inventory import counts, movements, purchase_orders
from services.inventory.reservations import Reservations
from shared.envelope import Event


def make_handler(db, config, *, lease_seconds: float = 10.0, wait_seconds: float = 3.0, after_line=None):
    """The consumer's handler; keyword arguments exist for tests (short leases, a crash point)."""
    reservations = Reservations(db, lease_seconds=lease_seconds, wait_seconds=wait_seconds,
                                after_line=after_line)

    def handle(event: Event) -> None:
        apply(reservations, event)  # what it raises, the consumer loop settles by shared/errors.OUTCOMES

    return handle


def apply(reservations: Reservations, event: Event) -> None:
    """Apply one event by its type; every handler is idempotent, so replays and duplicates are harmless."""
    handler = EVENT_HANDLERS.get(event.type)
    if handler is not None:
        handler(reservations, event.data, event.correlation_id or event.event_id)


def requisition_approved(reservations: Reservations, data: dict, cid: str) -> None:
    reservations.approve(data, cid)


def requisition_cancelled(reservations: Reservations, data: dict, cid: str) -> None:
    reservations.cancel(data, cid)
    reservations.retry_waitlist(data["depot"], cid)


def requisition_dispatched(reservations: Reservations, data: dict, cid: str) -> None:
    reservations.dispatch(data, cid)


def stock_received(reservations: Reservations, data: dict, cid: str) -> None:
    if data.get("purchase_order"):  # the receipt counts on its order once (the request usually did it)
        purchase_orders.apply_receipt(reservations.db, data["purchase_order"], {
            "movement_id": data["movement_id"], "sku": data["sku"], "quantity": data["quantity"],
            "lot": data.get("lot") or "", "by": data["by"], "at": None}, cid)
    freed(reservations, data, cid)


def freed(reservations: Reservations, data: dict, cid: str) -> None:
    reservations.retry_waitlist(data["depot"], cid)


def stock_adjusted(reservations: Reservations, data: dict, cid: str) -> None:
    if data["quantity"] >= 0:  # only a count that went up frees stock
        freed(reservations, data, cid)


def stock_transferred(reservations: Reservations, data: dict, cid: str) -> None:
    movements.transfer_in(reservations.db, data, correlation_id=cid)
    reservations.retry_waitlist(data["to_depot"], cid)


def order_sent(reservations: Reservations, data: dict, cid: str) -> None:
    purchase_orders.expect_lines(reservations.db, data, correlation_id=cid)


def order_finished(reservations: Reservations, data: dict, cid: str) -> None:
    purchase_orders.stop_lines(reservations.db, data, correlation_id=cid)


def count_approved(reservations: Reservations, data: dict, cid: str) -> None:
    counts.post_adjustments(reservations.db, data, correlation_id=cid)


#: event type -> what inventory does about it; stock that arrives or is freed retries the waitlist
EVENT_HANDLERS = {
    "RequisitionApproved": requisition_approved,
    "RequisitionCancelled": requisition_cancelled,
    "RequisitionDispatched": requisition_dispatched,
    "StockReceived": stock_received,
    "StockAdjusted": stock_adjusted,
    "StockTransferred": stock_transferred,
    "StockReleased": freed,
    "LotReleased": freed,
    "PurchaseOrderSent": order_sent,
    "PurchaseOrderFinished": order_finished,
    "StockCountApproved": count_approved,
}
