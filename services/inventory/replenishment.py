"""What to order next at a depot, from stock, what is on order, the waitlist and 90 days of issues."""
from __future__ import annotations

from datetime import timedelta, timezone

from pymongo import ASCENDING

from services.inventory import clock, purchase_orders, queries, replenish_rules as rules, suppliers
from services.inventory.catalog import depot_or_error
from services.inventory.errors import NoSupplierPrice, NothingToOrder
from services.inventory.waitlist import WAITLISTED
from shared.calendar import IST
from shared.quantity import up_to_whole

ROWS = 500
ORIGIN = "replenishment"  # a draft order's `origin`: made from the suggestions (the page says so in words)
MAX_MATERIALS = 5_000  # materials a depot may list: at most the whole catalog, which is far smaller


def _since_id(days: int) -> str:
    """The smallest movement id of the last `days` days (ids begin with their time, ledger.new_movement_id)."""
    start = clock.now() - timedelta(days=days)
    return f"{int(start.timestamp() * 1e9):016x}"


def waitlisted(db, depot: str) -> dict[str, int]:
    """Per material, what the depot's waitlisted requisitions ask for."""
    return waitlisted_at(db, [depot]).get(depot, {})


def waitlisted_at(db, depots: list[str]) -> dict[str, dict[str, int]]:
    """Per depot and material, what the depots' waitlisted requisitions ask for."""
    rows = db.reservations.aggregate([
        {"$match": {"depot": {"$in": depots}, "status": WAITLISTED}}, {"$unwind": "$lines"},
        {"$group": {"_id": {"depot": "$depot", "sku": "$lines.sku"}, "quantity": {"$sum": "$lines.quantity"}}}])
    return _by_depot(rows, sign=1)


def issued(db, depot: str, days: int = rules.HISTORY_DAYS) -> dict[str, int]:
    """Per material, what was issued at the depot in the last `days` days."""
    return issued_at(db, [depot], days).get(depot, {})


def issued_at(db, depots: list[str], days: int = rules.HISTORY_DAYS) -> dict[str, dict[str, int]]:
    """Per depot and material, what was issued at the depots in the last `days` days."""
    rows = db.movements.aggregate([
        {"$match": {"depot": {"$in": depots}, "type": "issue", "_id": {"$gte": _since_id(days)}}},
        {"$group": {"_id": {"depot": "$depot", "sku": "$sku"}, "quantity": {"$sum": "$quantity"}}}])
    return _by_depot(rows, sign=-1)  # issues are stored as negative quantities


def _by_depot(rows, sign: int) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    for row in rows:
        found.setdefault(row["_id"]["depot"], {})[row["_id"]["sku"]] = sign * row["quantity"]
    return found


def _catalog(db, fields: dict, after: str | None = None) -> list[dict]:
    """The materials in sku order after `after`, with `fields` (and `active` and the reorder level `listed` needs)."""
    known = db.materials.find({"_id": {"$gt": after}} if after else {}, {**fields, "reorder_level": 1, "active": 1})
    return list(known.sort("_id", ASCENDING).limit(MAX_MATERIALS))


def _listed(known: list[dict], there, waiting: dict) -> list[str]:
    """Of the materials `known`, the active ones stocked or awaited at the depot, or with a reorder level above 0."""
    return [m["_id"] for m in known if m.get("active", True)
            and (m["_id"] in there or m["_id"] in waiting or m.get("reorder_level", 0) > 0)]


def listed(db, depot: str, waiting: dict, after: str | None = None) -> list[str]:
    """The depot's materials in sku order after `after`: the active ones stocked or awaited there, and those with a
    reorder level above 0 even if never stocked there (nothing on hand: as short as can be)."""
    stocked = {"depot": depot, "_id": {"$gt": f"{depot}/{after}"}} if after else {"depot": depot}
    there = {doc["sku"] for doc in db.stock.find(stocked, {"sku": 1}).sort("_id", ASCENDING).limit(MAX_MATERIALS)}
    return _listed(_catalog(db, {}, after), there, waiting)


NOTHING = {"on_hand": 0, "reserved": 0, "blocked": 0, "available": 0, "on_order": 0}  # never stocked at the depot


def _to_order(material: dict, figures: dict, waiting: int, used: int, seller, cover_days: int) -> dict:
    """What a material's stock figures (`NOTHING` if none) make of it: its use, cover, target and what to order."""
    avg = rules.avg_daily(used)
    pack = suppliers.item(seller, material["_id"]).get("pack_size") or material.get("pack_size")
    level = rules.target(avg, cover_days, material["reorder_level"], material.get("max_level"))
    return {"waitlisted": waiting, "avg_daily_issue": avg,
            "days_of_cover": rules.days_of_cover(figures["available"], figures["on_order"], avg),
            "target": level, "pack_size": pack,
            "suggested_quantity": up_to_whole(rules.suggest(level, figures["available"], figures["on_order"],
                                                            waiting, pack), material["unit"])}


def suggestions(db, depot: str, *, supplier: str | None = None, cover_days: int = 60, after: str | None = None,
                skip: int = 0, limit: int = ROWS) -> list[dict]:
    """Per material of the depot (`listed`), in sku order after `after` (and `skip` of them): figures and the
    suggested order (in the supplier's packs)."""
    depot_or_error(db, depot, not_found=True)
    seller = suppliers.get(db, supplier) if supplier else None
    waiting, used = waitlisted(db, depot), issued(db, depot)
    skus = listed(db, depot, waiting, after)[skip:skip + limit]
    stock = {row["sku"]: row for row in queries.list_stock(db, depot=depot, sku={"$in": skus}, limit=len(skus) or 1)}
    materials = {m["_id"]: m for m in db.materials.find({"_id": {"$in": skus}}, {"outbox": 0, "terms": 0})
                 .limit(len(skus) or 1)}
    rows = []
    for sku in skus:
        material, figures = materials[sku], stock.get(sku) or NOTHING
        rows.append({"sku": sku, "name": material["name"], "name_hi": material["name_hi"], "unit": material["unit"],
                     **{k: figures[k] for k in ("on_hand", "reserved", "blocked", "available", "on_order")},
                     **_to_order(material, figures, waiting.get(sku, 0), used.get(sku, 0), seller, cover_days)})
    return rows


def to_order_counts(db, depots: list[str], *, supplier: str | None = None, cover_days: int = 60) -> dict[str, int]:
    """Per depot, how many of the rows `suggestions` gives (its first ROWS materials) have a quantity to order: the
    same figures, read for every depot at once (four reads in all, where `suggestions` makes six for each depot)."""
    seller = suppliers.get(db, supplier) if supplier else None
    known = _catalog(db, {"max_level": 1, "pack_size": 1, "unit": 1})
    stock = queries.stock_figures(db, depots, limit=len(depots) * MAX_MATERIALS)
    waiting, used = waitlisted_at(db, depots), issued_at(db, depots)
    by_sku = {m["_id"]: m for m in known}
    counts = {}
    for depot in depots:
        there, waits, uses = stock[depot], waiting.get(depot, {}), used.get(depot, {})
        counts[depot] = sum(1 for sku in _listed(known, there, waits)[:ROWS]
                            if _to_order(by_sku[sku], there.get(sku) or NOTHING, waits.get(sku, 0), uses.get(sku, 0),
                                         seller, cover_days)["suggested_quantity"] > 0)
    return counts


def draft_order(db, body: dict, *, by: str, number=None) -> dict:
    """A draft purchase order of what is suggested for the chosen materials, at the supplier's prices."""
    seller = suppliers.active(db, body["supplier"])
    wanted = set(body["skus"])
    rows = [row for row in suggestions(db, body["depot"], supplier=seller["code"], cover_days=body["cover_days"])
            if row["sku"] in wanted and row["suggested_quantity"] > 0]
    if not rows:
        raise NothingToOrder({"depot": body["depot"], "skus": sorted(wanted)})
    unpriced = [row for row in rows if suppliers.item(seller, row["sku"]).get("price") is None]
    if unpriced:  # the draft would carry them at ₹0, and be sent so
        raise NoSupplierPrice({"supplier": seller["code"], "supplier_name": seller["name"],
                               "supplier_name_hi": seller.get("name_hi"),
                               "skus": [row["sku"] for row in unpriced],
                               "names": {row["sku"]: {"name": row.get("name"), "name_hi": row.get("name_hi")}
                                         for row in unpriced}})
    lines = [{"sku": row["sku"], "quantity": row["suggested_quantity"],
              "price": suppliers.item(seller, row["sku"])["price"]} for row in rows]
    expected = (clock.today() + timedelta(days=seller.get("lead_time_days", 30))).isoformat()
    return purchase_orders.create(db, {"supplier": seller["code"], "depot": body["depot"], "lines": lines,
                                       "expected_on": expected}, by=by, origin=ORIGIN, number=number)


def history(db, depot: str, sku: str, on_hand: int, days: int = rules.HISTORY_DAYS) -> dict:
    """Closing stock and issues per day over the last `days` days, oldest first (for the page's chart)."""
    start = clock.today() - timedelta(days=days - 1)
    issues, changes = [0] * days, [0] * days
    for entry in db.movements.find({"depot": depot, "sku": sku, "_id": {"$gte": _since_id(days)}},
                                   {"quantity": 1, "type": 1, "at": 1}).sort("_id", ASCENDING).limit(20_000):
        at = entry["at"] if entry["at"].tzinfo else entry["at"].replace(tzinfo=timezone.utc)
        day = min(max((at.astimezone(IST).date() - start).days, 0), days - 1)
        changes[day] += entry["quantity"]
        if entry["type"] == "issue":
            issues[day] -= entry["quantity"]
    level, closing = on_hand - sum(changes), []
    for change in changes:
        level += change
        closing.append(level)
    return {"start": start.isoformat(), "stock": closing, "issues": issues}
