"""Material prices: each material's price history, kept in its own document.

A price applies from its effective day (in India) on; setting another price for the same day
corrects it (the one set last wins), so the history keeps every price ever set. Each price is
one `$push` onto the material document with its MaterialPriced event in the same write.

"Set last" is told by `set_at`, which inventory, the requests service's copy (keyed by it) and the
reports all read: so a material's `set_at` only grows. A price stamped no later than one already
kept (two in one millisecond, or by a worker whose clock lags) takes the millisecond after it; the
write only lands while no kept price is as late, so two workers racing cannot take the same one.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from services.inventory import clock
from services.inventory.stock_writes import SOURCE
from services.inventory.store import material_or_error
from shared.envelope import iso_instant, new_event, utcnow_iso
from shared.errors import Busy
from shared.money import price_on

STAMP_TRIES = 20  # prices of one material set at the same moment that a new one may have to come after


def set_price(db, sku: str, price: int, effective_from: str | None, *, by: str,
              correlation_id: str | None = None) -> dict:
    """Add a price per unit (paise) from a day on (today if none), with its MaterialPriced event."""
    material = material_or_error(db, sku, not_found=True)  # first: a code no material has makes no event
    day = effective_from or clock.today().isoformat()
    for _ in range(STAMP_TRIES):
        record = {"price": price, "effective_from": day, "set_at": _stamp_after(material), "by": by}
        event = new_event("MaterialPriced", sku, {"sku": sku, **record}, source=SOURCE, correlation_id=correlation_id)
        result = db.materials.update_one({"_id": sku, "prices.set_at": {"$not": {"$gte": record["set_at"]}}},
                                         {"$push": {"prices": record, "outbox": event.to_dict()}})
        if result.matched_count:
            return {"sku": sku, **record}
        material = material_or_error(db, sku, not_found=True)  # another price came in between: after it, then
    raise Busy()  # STAMP_TRIES prices of this material came in meanwhile


def _stamp_after(material: dict) -> str:
    """Now, or the millisecond after the material's latest `set_at` if that is not earlier."""
    now = utcnow_iso()
    latest = max((r["set_at"] for r in material.get("prices") or ()), default="")
    if now > latest:
        return now
    return iso_instant(datetime.fromisoformat(latest) + timedelta(milliseconds=1))


def history(db, sku: str) -> list[dict]:
    """Every price of a material, the latest effective day first."""
    return history_of(material_or_error(db, sku, not_found=True))


def history_of(material: dict) -> list[dict]:
    ordered = sorted(material.get("prices") or [], key=lambda r: (r["effective_from"], r["set_at"]), reverse=True)
    return [{"sku": material["_id"], **record} for record in ordered]


def with_price(material: dict, day: str | None = None) -> dict:
    """The material with `price`, the price per unit that applies today (None if never priced)."""
    return {**material, "price": price_on(material.get("prices") or [], day or clock.today().isoformat())}
