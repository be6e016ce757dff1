"""Lots people act on: hold one for inspection, release it; and the expiry alerts that fall due with time."""
from __future__ import annotations

from services.inventory import clock, domain, errors
from services.inventory.stock_writes import SOURCE, full_view, write_stock
from shared.envelope import new_event

SWEEP_BATCH = 100


def _change_lot(db, depot: str, sku: str, code: str, change, kind: str, *, by: str, note: str,
                correlation_id=None) -> dict:
    def record(before, after):
        payload = {"sku": sku, "depot": depot, "lot": code, "by": by, "note": note}
        return [], [new_event(kind, domain.stock_id(depot, sku), payload, source=SOURCE,
                              correlation_id=correlation_id)]

    def missing():
        raise errors.UnknownLot({"lot": code})
    try:
        _, after = write_stock(db, sku, depot, change, record, correlation_id=correlation_id, on_new=missing)
    except domain.InsufficientStock as exc:  # set-aside stock would no longer be covered
        raise errors.short(exc, db, sku=sku, depot=depot) from None
    return full_view(after)


def hold(db, depot: str, sku: str, code: str, *, by: str, note: str = "", correlation_id=None) -> dict:
    """Put a lot on hold for inspection: it is neither reserved nor issued until released (LotHeld)."""
    return _change_lot(db, depot, sku, code, lambda s: domain.hold_lot(s, code), "LotHeld", by=by, note=note,
                       correlation_id=correlation_id)


def release(db, depot: str, sku: str, code: str, *, by: str, note: str = "", correlation_id=None) -> dict:
    """Give an inspected lot back to use (LotReleased: the waitlist may now be served from it)."""
    return _change_lot(db, depot, sku, code, lambda s: domain.release_lot(s, code), "LotReleased", by=by,
                       note=note, correlation_id=correlation_id)


def raise_due(db, batch: int = SWEEP_BATCH) -> int:
    """Write every stock with an expiry alert due today: the write marks the lot and raises LotExpiring.

    Returns how many stocks it wrote. A lot's next alert date moves on in the same write as its
    event, so each alert is raised once; a lot past its date is stored as expired then too.
    """
    due = list(db.stock.find({"lots.alert_on": {"$lte": clock.today().isoformat()}}, {"sku": 1, "depot": 1})
               .limit(batch))
    for doc in due:
        write_stock(db, doc["sku"], doc["depot"], lambda s: s, lambda before, after: ([], []))
    return len(due)
