"""Read side of the staff's lists: stock searched and filtered a page at a time (or all of it, for CSV), and a
material's stock card. Every query is served by an index (tests/unit/test_inventory_indexes.py)."""
from __future__ import annotations

import heapq
import re
from datetime import timezone

from pymongo import ASCENDING

from services.inventory import domain, labels, ledger, waitlist
from services.inventory.queries import _STOCK_FIELDS, _view, get_stock
from shared.i18n import said
from shared.quantity import format_quantity
from shared.spreadsheet import safe_cell

#: the stock CSV's columns, in their places (workbooks read them by position): a new one only ever goes at the end;
#: `material_hi` and `depot_hi` are the Hindi names the catalog stores (empty where it has none), `category_hi` the
#: category's Hindi name as the pages say it (labels.CATEGORIES)
CSV_COLUMNS = ("depot", "sku", "material", "unit", "category", "on_hand", "reserved", "available", "blocked",
               "on_order", "reorder_level", "level", "material_hi", "depot_hi", "category_hi")
_SPLIT = re.compile(r"[\s,;:/()\[\]._-]+")
MAX_MATCHES = 5_000  # materials a search may find; a catalog is far smaller
MAX_WAITING = 500  # requisitions a stock card lists as waiting
MAX_SOURCES = 5  # suppliers, and orders, a lot's row names; past them the card says how many more
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


def unstocked(db, depot: str, query: dict, *, after: str | None = None) -> list[dict]:
    """The active materials with no stock at `depot` yet that the list's filter `query` (stock_query) lets through,
    as stock at 0 (none left, as any stock at 0), in sku order after the stock id `after`: a depot's list names the
    whole catalog. Two reads, whatever the catalog's size: the skus stocked there and the materials."""
    levels = (query.get("level") or {}).get("$in")
    if levels is not None and domain.DEPLETED not in levels:
        return []
    there = {doc["sku"] for doc in db.stock.find({"depot": depot}, {"sku": 1}).limit(MAX_MATCHES)}
    found = db.materials.find({"_id": query["sku"]} if query.get("sku") else {},
                              {"reorder_level": 1, "category": 1, "active": 1}).sort("_id", ASCENDING)
    return [_view({"sku": m["_id"], "depot": depot, "reorder_level": m.get("reorder_level", 0), "on_hand": 0,
                   "reserved": 0, "category": m.get("category")})
            for m in found.limit(MAX_MATCHES) if m.get("active", True) and m["_id"] not in there
            and query.get("category") in (None, m.get("category")) and domain.stock_id(depot, m["_id"]) > (after or "")]


def merged_page(db, query: dict, extra: list[dict], *, skip: int, limit: int, level_first: bool = True) -> list[dict]:
    """One page of a stock list with the `extra` rows (unstocked) in their places: running-out first then by depot
    and sku (`level_first`), else by depot and sku alone. Reads the stored ones' order, then that page's stock."""
    def key(level, stock):
        return ((level or "") if level_first else "", stock)
    order = _LEVEL_FIRST if level_first else [("_id", ASCENDING)]
    stored = db.stock.find(query, {"level": 1}).sort(order).limit(skip + limit)
    places = sorted([(key(doc.get("level"), doc["_id"]), doc["_id"], None) for doc in stored] +
                    [(key(row["level"], domain.stock_id(row["depot"], row["sku"])), None, row) for row in extra],
                    key=lambda place: place[0])[skip:skip + limit]
    ids = [stock for _, stock, _ in places if stock]
    docs = {doc["_id"]: _view(doc) for doc in db.stock.find({"_id": {"$in": ids}}, _STOCK_FIELDS).limit(len(ids) or 1)}
    return [docs[stock] if stock else row for _, stock, row in places]


def stock_rows(db, query: dict, batch: int = 500, extra: list[dict] = ()):
    """Every matching stock in depot/sku order, fetched a batch at a time, as CSV rows with names (English, then
    Hindi last) and units; the `extra` rows (unstocked, in sku order) in their places."""
    added = _csv_rows(db, extra) if extra else []
    yield from heapq.merge(_stored_rows(db, query, batch), added, key=lambda row: domain.stock_id(row[0], row[1]))


def _stored_rows(db, query: dict, batch: int):
    after = ""
    while True:
        docs = list(db.stock.find({**query, "_id": {"$gt": after}}, _STOCK_FIELDS).sort("_id", ASCENDING)
                    .limit(batch))
        yield from _csv_rows(db, [_view(doc) for doc in docs])
        if len(docs) < batch:
            return
        after = docs[-1]["_id"]


def _csv_rows(db, views: list[dict]) -> list[list]:
    """The CSV rows of these stock views, their materials' and depots' names read once for all of them."""
    def named(collection, codes, fields):
        found = db[collection].find({"_id": {"$in": sorted(codes)}}, fields).limit(len(codes) or 1)
        return {doc["_id"]: doc for doc in found}
    materials = named("materials", {v["sku"] for v in views}, {"name": 1, "name_hi": 1, "unit": 1})
    depots = named("depots", {v["depot"] for v in views}, {"name_hi": 1})
    return [_csv_row(v, materials.get(v["sku"], {}), depots.get(v["depot"], {})) for v in views]


def _csv_row(view: dict, material: dict, depot: dict) -> list:
    return [view["depot"], view["sku"], safe_cell(material.get("name", "")), safe_cell(material.get("unit", "")),
            view.get("category") or "", *(format_quantity(view[k]) for k in
                                          ("on_hand", "reserved", "available", "blocked", "on_order",
                                           "reorder_level")), view["level"],
            safe_cell(material.get("name_hi") or ""), safe_cell(depot.get("name_hi") or ""),
            said(labels.CATEGORIES, view.get("category"), "hi")]


def stock_card(db, depot: str, sku: str, *, movements: int = 20) -> dict:
    """One material at one depot at a glance: its figures and lots, who it is set aside for, who waits for it,
    and its latest movements."""
    stock = with_receipts(db, get_stock(db, depot, sku))
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


def with_receipts(db, stock: dict) -> dict:
    """The stock (get_stock) with what each lot's receipts at its depot say, read from the ledger in one query for all
    its lots: `receipts` (how many), every distinct `suppliers` and `purchase_orders` (the first receipt's first) and
    `last_received_at` (UTC). A lot that came by transfer has no receipts here: its own supplier and order stand."""
    codes = sorted({lot["lot"] for lot in stock.get("lots") or ()})
    found = {row["_id"]: row for row in db.movements.aggregate([
        {"$match": {"depot": stock["depot"], "sku": stock["sku"], "type": "receipt", "lot": {"$in": codes}}},
        {"$sort": {"_id": ASCENDING}},
        {"$group": {"_id": "$lot", "receipts": {"$sum": 1}, "suppliers": {"$push": "$supplier"},
                    "orders": {"$push": "$purchase_order"}, "last": {"$last": "$at"}}}])} if codes else {}
    lots = []
    for lot in stock.get("lots") or ():
        row = found.get(lot["lot"], {})
        last = row.get("last")
        lots.append({**lot, "receipts": row.get("receipts", 0),
                     "suppliers": _distinct([lot.get("supplier"), *row.get("suppliers", ())]),
                     "purchase_orders": _distinct([lot.get("purchase_order"), *row.get("orders", ())]),
                     "last_received_at": _utc(last) if last else None})
    return {**stock, "lots": lots}


def _distinct(values) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


def _utc(moment) -> str:
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).isoformat()


def _whose(doc: dict) -> dict:
    """Whose a held or waiting requisition is: a cooperative's (its artisan_id is only its first member) names the
    cooperative and how many members share it."""
    return {"cooperative": doc.get("cooperative"), "members": len(doc.get("shares") or ())}
