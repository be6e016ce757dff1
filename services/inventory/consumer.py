"""How inventory applies events: requisitions, artisans and cooperatives from requests.events; its own transfers,
freed stock, orders and counts; logouts."""
from __future__ import annotations

from services.inventory import counts, movements, people, purchase_orders, returns
from services.inventory.reservations import Reservations
from shared import revocation, staff
from shared.envelope import Event


def make_handler(db, config, *, lease_seconds: float = 10.0, wait_seconds: float = 3.0, after_line=None):
    """Apply each event by EVENT_HANDLERS, other types not at all.

    The keyword arguments exist for tests (short leases, a crash point).
    """
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
    """Hold every line at the depot, or put the requisition on the depot's waitlist; then walk that waitlist.

    A requisition that joined it walks it once itself: a retry may have served the queue it saw meanwhile. The walk
    comes even when the requisition is held: this event coming again after a worker died in its walk (having held
    its own requisition, before a later one it covered) finishes that walk. With nobody waiting at the depot the
    walk is one read of the depot's counter (`waitlist.retry`)."""
    reservations.approve(data, cid)
    reservations.retry_waitlist(data["depot"], cid)


def requisition_cancelled(reservations: Reservations, data: dict, cid: str) -> None:
    """Release the requisition's holds (StockReleased), then offer the freed stock to the waitlist."""
    reservations.cancel(data, cid)
    reservations.retry_waitlist(data["depot"], cid)


def requisition_dispatched(reservations: Reservations, data: dict, cid: str) -> None:
    """Turn the requisition's holds into issues (StockIssued): on hand falls."""
    reservations.dispatch(data, cid)


def requisition_returned(reservations: Reservations, data: dict, cid: str) -> None:
    """Take the return's restock lines back on the shelf (StockTakenBack, once per return and material) and record
    its damaged ones; then offer what came back to the depot's waitlist."""
    returns.take_back(reservations.db, data, correlation_id=cid)
    reservations.retry_waitlist(data["depot"], cid)


def stock_received(reservations: Reservations, data: dict, cid: str) -> None:
    """Count a receipt naming its order on that order (once), then offer the new stock to the waitlist."""
    if data.get("purchase_order"):  # the receipt counts on its order once (the request usually did it)
        purchase_orders.apply_receipt(reservations.db, data["purchase_order"], {
            "movement_id": data["movement_id"], "sku": data["sku"], "quantity": data["quantity"],
            "lot": data.get("lot") or "", "by": data["by"], "at": None}, cid)
    freed(reservations, data, cid)


def stock_returned(reservations: Reservations, data: dict, cid: str) -> None:
    """Count what went back of a lot that came on an order on that order (once), from any depot, as its request did.

    From another depot than the order's, the order's line on its depot's stock is lowered first (once too)."""
    if data.get("purchase_order") and data.get("order_returned"):
        purchase_orders.count_return(reservations.db, {**data, "at": None}, cid)


def freed(reservations: Reservations, data: dict, cid: str) -> None:
    """Offer the stock that arrived or was freed to the depot's waitlist, in order."""
    reservations.retry_waitlist(data["depot"], cid)


def stock_adjusted(reservations: Reservations, data: dict, cid: str) -> None:
    """Offer the stock to the depot's waitlist when the count went up."""
    if data["quantity"] >= 0:  # only a count that went up frees stock
        freed(reservations, data, cid)


def stock_transferred(reservations: Reservations, data: dict, cid: str) -> None:
    """Apply the arriving leg at `to_depot` (once, by movement id) and offer it to that depot's waitlist."""
    movements.transfer_in(reservations.db, data, correlation_id=cid)
    reservations.retry_waitlist(data["to_depot"], cid)


def order_sent(reservations: Reservations, data: dict, cid: str) -> None:
    """Put the sent order's lines on order at its depot (once per line)."""
    purchase_orders.expect_lines(reservations.db, data, correlation_id=cid)


def order_finished(reservations: Reservations, data: dict, cid: str) -> None:
    """Take a closed or cancelled order's lines off order (once per line)."""
    purchase_orders.stop_lines(reservations.db, data, correlation_id=cid)


def count_approved(reservations: Reservations, data: dict, cid: str) -> None:
    """Post the approved count's adjustments, each once by its movement id."""
    counts.post_adjustments(reservations.db, data, correlation_id=cid)


def artisan_changed(reservations: Reservations, data: dict, cid: str) -> None:
    """Keep who the artisan is (name, phone, cooperative), for the hand-over page and slip."""
    people.put_artisan(reservations.db, data)


def cooperative_changed(reservations: Reservations, data: dict, cid: str) -> None:
    """Keep the cooperative's names, for the hand-over page and slip."""
    people.put_cooperative(reservations.db, data)


def staff_named(reservations: Reservations, data: dict, cid: str) -> None:
    """Keep who a staff login is in words (the newest told wins), for the pages that say who did a thing."""
    staff.remember(reservations.db, data)


def token_revoked(reservations: Reservations, data: dict, cid: str) -> None:
    """Refuse a logged-out token, or a user's tokens from before a new password, here too (the deny-list)."""
    revocation.remember(reservations.db, data)


#: event type -> what inventory does about it; stock that arrives or is freed retries the waitlist
EVENT_HANDLERS = {
    "RequisitionApproved": requisition_approved,
    "RequisitionCancelled": requisition_cancelled,
    "RequisitionDispatched": requisition_dispatched,
    "RequisitionReturned": requisition_returned,
    "StockReceived": stock_received,
    "StockReturned": stock_returned,
    "StockAdjusted": stock_adjusted,
    "StockTransferred": stock_transferred,
    "StockReleased": freed,
    "LotReleased": freed,
    "PurchaseOrderSent": order_sent,
    "PurchaseOrderFinished": order_finished,
    "StockCountApproved": count_approved,
    "ArtisanRegistered": artisan_changed,
    "ArtisanUpdated": artisan_changed,
    "CooperativeRegistered": cooperative_changed,
    "CooperativeUpdated": cooperative_changed,
    "TokenRevoked": token_revoked,
    "StaffNamed": staff_named,
}
