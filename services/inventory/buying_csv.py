"""The buying lists as CSV for a spreadsheet: purchase orders (a row per line) and what to order at a depot."""
from __future__ import annotations

from datetime import datetime, timezone

from services.inventory import purchase_orders, replenishment
from shared.money import format_money
from shared.names import named
from shared.quantity import format_quantity
from shared.spreadsheet import safe_cell

ORDER_COLUMNS = ("purchase_order", "status", "supplier", "supplier_name", "depot", "expected_on", "overdue",
                 "created_at", "sku", "material", "unit", "quantity", "received", "remaining", "price", "amount",
                 "cancelled", "ordered_amount")  # amount: what came and is still to come; ordered_amount: as ordered
SUGGESTION_COLUMNS = ("depot", "sku", "material", "unit", "on_hand", "reserved", "blocked", "available", "on_order",
                      "waitlisted", "avg_daily_issue", "days_of_cover", "target", "pack_size", "suggested_quantity")
BATCH = 500


def _materials(db, skus) -> dict[str, dict]:
    skus = sorted(skus)
    return {m["_id"]: m for m in db.materials.find({"_id": {"$in": skus}}, {"name": 1, "name_hi": 1, "unit": 1})
            .limit(len(skus) or 1)}


def _utc(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).isoformat()


def order_rows(db, *, status=None, depot=None, lang: str = "en"):
    """Every matching order, newest first, a row per line, fetched a batch at a time; the supplier and material named
    in `lang` (the Hindi names stored on the order and the material, else their names), as the other exports do."""
    after = None
    while True:
        orders = purchase_orders.find(db, status=status, depot=depot, after=after, limit=BATCH)
        names = _materials(db, {line["sku"] for order in orders for line in order["lines"]})
        for order in orders:
            for line in order["lines"]:
                material = names.get(line["sku"], {})
                supplier = named(order, order["supplier"], lang, field="supplier_name")
                yield [order["purchase_order"], order["status"], order["supplier"], safe_cell(supplier),
                       order["depot"], order["expected_on"], order.get("overdue") or "", _utc(order.get("created_at")),
                       line["sku"], safe_cell(named(material, "", lang)), material.get("unit", ""),
                       *(format_quantity(line[k]) for k in ("quantity", "received", "remaining")),
                       format_money(line["price"]), format_money(line["amount"]), format_quantity(line["cancelled"]),
                       format_money(line["ordered_amount"])]
        if len(orders) < BATCH:
            return
        after = orders[-1]["purchase_order"]


def suggestion_rows(db, depot: str, *, supplier=None, cover_days: int = 60):
    """What to order at a depot, every material of it in sku order, as the API's list gives it.

    Worked out now, not as the download streams: an unknown depot or supplier is a 404 before it starts.
    """
    rows = replenishment.suggestions(db, depot, supplier=supplier, cover_days=cover_days,
                                       limit=replenishment.MAX_MATERIALS)
    return ([depot, row["sku"], safe_cell(row["name"]), row["unit"],
             *(format_quantity(row[k]) for k in ("on_hand", "reserved", "blocked", "available", "on_order",
                                                  "waitlisted", "avg_daily_issue")),
             "" if row["days_of_cover"] is None else f"{row['days_of_cover']:.1f}", format_quantity(row["target"]),
             "" if row["pack_size"] is None else format_quantity(row["pack_size"]),
             format_quantity(row["suggested_quantity"])] for row in rows)
