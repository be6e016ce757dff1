"""Material prices: each material's price history, kept in its own document.

A price applies from its effective day (in India) on; setting another price for the same day
corrects it (the one set last wins), so the history keeps every price ever set. Each price is
one `$push` onto the material document with its MaterialPriced event in the same write.
"""
from __future__ import annotations

from services.inventory import clock
from services.inventory.errors import MaterialNotFound
from services.inventory.stock_writes import SOURCE
from services.inventory.store import material_or_error
from shared.envelope import new_event, utcnow_iso
from shared.money import price_on


def set_price(db, sku: str, price: int, effective_from: str | None, *, by: str,
              correlation_id: str | None = None) -> dict:
    """Add a price per unit (paise) from a day on (today if none), with its MaterialPriced event."""
    material_or_error(db, sku, not_found=True)  # first: a code no material has (300 letters) makes no event
    record = {"price": price, "effective_from": effective_from or clock.today().isoformat(), "set_at": utcnow_iso(),
              "by": by}
    event = new_event("MaterialPriced", sku, {"sku": sku, **record}, source=SOURCE, correlation_id=correlation_id)
    result = db.materials.update_one({"_id": sku}, {"$push": {"prices": record, "outbox": event.to_dict()}})
    if result.matched_count == 0:
        raise MaterialNotFound({"sku": sku})
    return {"sku": sku, **record}


def history(db, sku: str) -> list[dict]:
    """Every price of a material, the latest effective day first."""
    return history_of(material_or_error(db, sku, not_found=True))


def history_of(material: dict) -> list[dict]:
    ordered = sorted(material.get("prices") or [], key=lambda r: (r["effective_from"], r["set_at"]), reverse=True)
    return [{"sku": material["_id"], **record} for record in ordered]


def with_price(material: dict, day: str | None = None) -> dict:
    """The material with `price`, the price per unit that applies today (None if never priced)."""
    return {**material, "price": price_on(material.get("prices") or [], day or clock.today().isoformat())}
