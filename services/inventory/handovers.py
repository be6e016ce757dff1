"""What a hand-over took, as the ledger recorded it: the gate pass of a requisition handed over is printed from its
issue movements (the lots each line left from, how much, who handed it over and when), never from a plan of lots,
which changes as other hand-overs take from the same stock. Its first printing is remembered (`gate_passes`), so
every later one is marked as a copy."""
from __future__ import annotations

from datetime import datetime, timezone

from pymongo.errors import DuplicateKeyError

from services.inventory import ledger

ISSUE = "issue"
COLLECTION = "gate_passes"


def taken(db, doc: dict) -> dict:
    """A handed-over requisition's issues at its depot: {at, by, lines: {sku: {quantity, parts: [{lot, quantity,
    shade}]}}}, each quantity what left (positive); `at` and `by` of the last issue. From the stock documents'
    journals first, then `movements`, so the ledger's sweep moving an entry in between hides none."""
    entries = ledger.of_requisition(db, doc["depot"], [line["sku"] for line in doc["lines"]], doc["_id"], (ISSUE,))
    lines: dict[str, dict] = {}
    for entry in sorted(entries.values(), key=lambda e: e["_id"]):
        shades = {kept["lot"]: kept.get("shade", "") for kept in entry.get("lot_labels") or ()}
        line = lines.setdefault(entry["sku"], {"quantity": 0, "parts": []})
        line["quantity"] += -entry["quantity"]
        line["parts"] += [{"lot": part["lot"], "quantity": abs(part["quantity"]), "shade": shades.get(part["lot"], "")}
                          for part in ledger.lot_parts(entry)]
    last = max(entries.values(), key=lambda e: e["_id"], default={})
    return {"at": last.get("at") or doc.get("updated_at"), "by": last.get("by"), "lines": lines}


def first_printed(db, doc: dict, by: str) -> dict | None:
    """When and by whom the gate pass of a handed-over requisition was first printed; None: this is the first."""
    now = datetime.now(timezone.utc)
    try:
        db[COLLECTION].insert_one({"_id": doc["_id"], "depot": doc["depot"], "at": now, "by": by})
    except DuplicateKeyError:
        return db[COLLECTION].find_one({"_id": doc["_id"]})
    return None
