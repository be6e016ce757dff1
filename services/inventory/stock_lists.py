"""Read side of the staff's lists: stock searched and filtered a page at a time (or all of it, for CSV), and a
material's stock card. Every query is served by an index (tests/unit/test_inventory_indexes.py)."""
from __future__ import annotations

import re

from pymongo import ASCENDING

from services.inventory import domain, ledger, waitlist
from services.inventory.queries import _STOCK_FIELDS, _view, get_stock
from shared.quantity import format_quantity
from shared.spreadsheet import safe_cell

CSV_COLUMNS = ("depot", "sku", "material", "unit", "category", "on_hand", "reserved", "available", "blocked",
               "on_order", "reorder_level", "level")
_SPLIT = re.compile(r"[\s,;:/()\[\]._-]+")
MAX_MATCHES = 5_000  # materials a search may find; a catalog is far smaller
MAX_WAITING = 500  # requisitions a stock card lists as waiting
_LEVEL_FIRST = [("level", ASCENDING), ("_id", ASCENDING)]  # depleted, low, ok: running-out ones first


def _terms(words: str) -> list[str]:
    """The words searched for (at most 5): `words` split at spaces and punctuation."""
    return [w for w in _SPLIT.split(words.lower()) if w][:5]


def matching_skus(db, words: str) -> list[str]:
    """Every material whose code or names have words starting with each word of `words` (no cap); words that
    are only punctuation search for nothing, so every material matches."""
    terms = _terms(words)
    query = {"$and": [{"terms": {"$regex": "^" + re.escape(w)}} for w in terms]} if terms else {}
    return [doc["_id"] for doc in db.materials.find(query, {"_id": 1}).sort("_id", ASCENDING).limit(MAX_MATCHES)]


def sku_filter(db, sku=None, q=None):
    """Which materials a stock list shows: one, those the words `q` find, both, or (None) every one (also when
    `q` is only punctuation: "," searched every material, as an empty $and, which MongoDB refuses: a 500)."""
    if not q or not _terms(q):
        return sku
    return {"$in": [found for found in matching_skus(db, q) if not sku or found == sku]}


def stock_query(db, *, depot=None, sku=None, q=None, category=None, levels=None) -> dict:
    """The filter of a stock list: a depot, a material, a text search over the catalog, a category, levels."""
    query = {name: value for name, value in (("depot", depot), ("sku", sku_filter(db, sku, q)),
                                             ("category", category)) if value}
    if levels:
        query["level"] = {"$in": list(levels)}
    return query


def stock_page(db, query: dict, *, skip: int, limit: int) -> tuple[list[dict], int]:
    """One page of a stock list, running-out materials first, and how many match in all."""
    order = [("_id", ASCENDING)] if "level" in query else _LEVEL_FIRST
    docs = db.stock.find(query, _STOCK_FIELDS).sort(order).skip(skip).limit(limit)
    return [_view(doc) for doc in docs], db.stock.count_documents(query)


def stock_rows(db, query: dict, batch: int = 500):
    """Every matching stock in depot/sku order, fetched a batch at a time, as CSV rows with names and units."""
    after = ""
    while True:
        docs = list(db.stock.find({**query, "_id": {"$gt": after}}, _STOCK_FIELDS).sort("_id", ASCENDING)
                    .limit(batch))
        names = {m["_id"]: m for m in db.materials.find({"_id": {"$in": [d["sku"] for d in docs]}},
                                                        {"name": 1, "unit": 1}).limit(len(docs) or 1)}
        for doc in docs:
            view, material = _view(doc), names.get(doc["sku"], {})
            yield [view["depot"], view["sku"], safe_cell(material.get("name", "")), safe_cell(material.get("unit", "")),
                   view.get("category") or "", *(format_quantity(view[k]) for k in
                                                 ("on_hand", "reserved", "available", "blocked", "on_order",
                                                  "reorder_level")), view["level"]]
        if len(docs) < batch:
            return
        after = docs[-1]["_id"]


def stock_card(db, depot: str, sku: str, *, movements: int = 20) -> dict:
    """One material at one depot at a glance: its figures and lots, who it is set aside for, who waits for it,
    and its latest movements."""
    stock = get_stock(db, depot, sku)
    holds = (db.stock.find_one({"_id": domain.stock_id(depot, sku)}, {"holds": 1}) or {}).get("holds") or {}
    held = {doc["_id"]: doc for doc in db.reservations.find({"_id": {"$in": sorted(holds)}}, {"outbox": 0})
            .limit(len(holds) or 1)}
    waiting = db.reservations.find({"depot": depot, "status": waitlist.WAITLISTED, "lines.sku": sku},
                                   {"outbox": 0}).sort("queue_seq", ASCENDING).limit(MAX_WAITING)
    return {"stock": stock,
            "holds": [{"requisition_id": rid, "quantity": quantity, "artisan_id": held.get(rid, {}).get("artisan_id"),
                       "status": held.get(rid, {}).get("status"), "since": held.get(rid, {}).get("updated_at"),
                       **_whose(held.get(rid, {}))}
                      for rid, quantity in sorted(holds.items())],
            "waiting": [{"requisition_id": doc["_id"], "artisan_id": doc.get("artisan_id"), **_whose(doc),
                         "quantity": sum(line["quantity"] for line in doc["lines"] if line["sku"] == sku),
                         "since": doc.get("updated_at"), "position": waitlist.position(db, depot, doc["queue_seq"])}
                        for doc in waiting],
            "movements": ledger.page(db, ledger.movements_query(depot=depot, sku=sku), movements)}


def _whose(doc: dict) -> dict:
    """Whose a held or waiting requisition is: a cooperative's (its artisan_id is only its first member) names the
    cooperative and how many members share it."""
    return {"cooperative": doc.get("cooperative"), "members": len(doc.get("shares") or ())}
