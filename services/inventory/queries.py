"""Read side: stock pages, one stock, one reservation, what is ready to hand over. Every query is served by an index."""
from __future__ import annotations

from pymongo import ASCENDING

from services.inventory import clock, domain, lot_rules, waitlist
from services.inventory.catalog import depot_or_error, material_or_error
from services.inventory.reservations import HELD
from services.inventory.stock_writes import full_view, stock_view
from services.inventory.store import stock_from
from shared.errors import NotFound

_STOCK_FIELDS = {"holds": 0, "journal": 0, "outbox": 0, "orders": 0}


def _view(doc: dict, *, lots: bool = False) -> dict:
    """A stock as it stands today (a lot past its expiry date counts as expired before the next write)."""
    stock = lot_rules.as_of(stock_from(doc), clock.today())
    extra = {"category": doc.get("category"), "level": domain.level_of(stock.available, stock.reorder_level)}
    if lots:
        return {**full_view(stock), **extra}
    return {**stock_view(stock), "blocked": stock.blocked, "on_order": stock.on_order, **extra}


def list_stock(db, *, depot=None, sku=None, category=None, below_reorder=False, after=None, skip=0,
               limit=50) -> list[dict]:
    """One page of stock records in depot/sku order (`sku` one code, or {"$in": codes})."""
    query = {name: value for name, value in (("depot", depot), ("sku", sku), ("category", category))
             if value}
    if below_reorder:
        query["level"] = {"$in": [domain.LOW, domain.DEPLETED]}
    if after:
        query["_id"] = {"$gt": after}
    return [_view(doc) for doc in db.stock.find(query, _STOCK_FIELDS).sort("_id", ASCENDING).skip(skip).limit(limit)]


_FIGURES = dict.fromkeys(("sku", "depot", "reorder_level", "on_hand", "reserved", "lots", "on_order"), 1)


def stock_figures(db, depots: list[str], limit: int) -> dict[str, dict[str, dict]]:
    """Per depot and material, `available` and `on_order` as `list_stock` gives them, of every stock record at the
    depots: one read of only what they follow from, in no order (a page of each depot copied whole records)."""
    today, found = clock.today(), {depot: {} for depot in depots}
    for doc in db.stock.find({"depot": {"$in": depots}}, _FIGURES).limit(limit):
        stock = lot_rules.as_of(stock_from(doc), today)
        found[doc["depot"]][doc["sku"]] = {"available": stock.available, "on_order": stock.on_order}
    return found


def get_stock(db, depot: str, sku: str) -> dict:
    """One material at one depot; zeros if nothing ever moved there."""
    doc = db.stock.find_one({"_id": domain.stock_id(depot, sku)}, _STOCK_FIELDS)
    if doc is not None:
        return _view(doc, lots=True)
    material = material_or_error(db, sku, not_found=True)
    depot_or_error(db, depot, not_found=True)
    return _view({"sku": sku, "depot": depot, "reorder_level": material["reorder_level"],
                  "category": material["category"], "on_hand": 0, "reserved": 0}, lots=True)


def get_reservation(db, requisition_id: str, *, artisan_id: str | None = None, depot: str | None = None) -> dict:
    """A requisition's holds as the stock documents carry them; 404 for another artisan's, or another depot's when
    `depot` is given (a depot's staff: the requests service does not show them that requisition either)."""
    doc = db.reservations.find_one({"_id": requisition_id}, {"outbox": 0})
    if doc is None or (artisan_id is not None and doc.get("artisan_id") != artisan_id) or \
            (depot is not None and doc["depot"] != depot):
        raise NotFound({"requisition_id": requisition_id})
    lines = []
    for line in doc["lines"]:
        stock = db.stock.find_one({"_id": domain.stock_id(doc["depot"], line["sku"])},
                                  {f"holds.{requisition_id}": 1}) if "." not in requisition_id else None
        held = ((stock or {}).get("holds") or {}).get(requisition_id, 0)
        lines.append({"sku": line["sku"], "quantity": line["quantity"], "held": held})
    view = {"requisition_id": doc["_id"], "depot": doc["depot"], "artisan_id": doc.get("artisan_id"),
            "status": doc["status"], "lines": lines, "updated_at": doc.get("updated_at")}
    if doc["status"] == waitlist.WAITLISTED and doc.get("queue_seq"):
        view["position"] = waitlist.position(db, doc["depot"], doc["queue_seq"])
    return view


def ready_to_dispatch(db, depot: str, *, limit: int = 200) -> list[dict]:
    """Reservations whose every line is held at the depot, longest held first: ready to hand over."""
    return list(db.reservations.find({"depot": depot, "status": HELD}, {"outbox": 0})
                .sort("updated_at", ASCENDING).limit(limit))


def dispatch_plans(db, depot: str, ready: list[dict]) -> dict[str, dict[str, dict]]:
    """The lots each ready requisition's lines would be handed over from, in the order they are listed.

    Per requisition and material: `parts` [{lot, quantity, shade}] (one part when one lot covers the
    line) and `short`, what usable lots cannot cover (a lot expired under the hold).
    """
    lots: dict[str, tuple] = {}
    plans: dict[str, dict[str, dict]] = {}
    for doc in ready:
        for line in doc["lines"]:
            sku = line["sku"]
            if sku not in lots:
                stored = db.stock.find_one({"_id": domain.stock_id(depot, sku)}, _STOCK_FIELDS)
                lots[sku] = lot_rules.as_of(stock_from(stored), clock.today()).lots if stored else ()
            parts, short = lot_rules.plan(lots[sku], line["quantity"])
            shades = {lot.code: lot.shade for lot in lots[sku]}
            plans.setdefault(doc["_id"], {})[sku] = {
                "parts": [{"lot": code, "quantity": part, "shade": shades.get(code, "")} for code, part in parts],
                "short": short}
            lots[sku] = lot_rules.take(lots[sku], parts)
    return plans
