"""What inventory brings to `rawbank reconcile`: its stock, ledger and reservations, and their checks."""
from __future__ import annotations

from collections import defaultdict

from shared.quantity import format_quantity as _q
from shared.reconcile import Reconciliation


def facts(db) -> dict:
    """Stock with its holds, ledger sums, pending journal entries and reservations."""
    stock = {}
    for doc in db.stock.find({}, {"outbox": 0}):
        stock[doc["_id"]] = {"sku": doc["sku"], "depot": doc["depot"], "on_hand": doc["on_hand"],
                             "reserved": doc["reserved"], "holds": dict(doc.get("holds") or {}),
                             "journal": [{"id": e["_id"], "quantity": e["quantity"],
                                          "reserved_change": e["reserved_change"]}
                                         for e in doc.get("journal") or []]}
    journal_ids = [e["id"] for s in stock.values() for e in s["journal"]]
    projected = {d["_id"] for d in db.movements.find({"_id": {"$in": journal_ids}}, {"_id": 1})} \
        if journal_ids else set()
    for entry in (e for s in stock.values() for e in s["journal"]):
        entry["projected"] = entry["id"] in projected
    ledger = {}
    for row in db.movements.aggregate([{"$group": {"_id": {"depot": "$depot", "sku": "$sku"},
                                                   "on_hand": {"$sum": "$quantity"},
                                                   "reserved": {"$sum": "$reserved_change"},
                                                   "entries": {"$sum": 1}}}]):
        ledger[f"{row['_id']['depot']}/{row['_id']['sku']}"] = {
            "on_hand": row["on_hand"], "reserved": row["reserved"], "entries": row["entries"]}
    by_requisition = defaultdict(dict)
    for row in db.movements.aggregate([
            {"$match": {"requisition_id": {"$exists": True}}},
            {"$group": {"_id": {"rid": "$requisition_id", "sku": "$sku", "type": "$type"},
                        "count": {"$sum": 1}, "quantity": {"$sum": "$quantity"},
                        "reserved": {"$sum": "$reserved_change"}}}]):
        key = row["_id"]
        by_requisition[key["rid"]].setdefault(key["sku"], {})[key["type"]] = {
            "count": row["count"], "quantity": row["quantity"], "reserved": row["reserved"]}
    reservations = {doc["_id"]: {"status": doc["status"], "depot": doc["depot"],
                                 "lines": {l["sku"]: l["quantity"] for l in doc["lines"]},
                                 "waitlisted": doc.get("queue_seq") is not None}  # it ever waited
                    for doc in db.reservations.find({}, {"status": 1, "depot": 1, "lines": 1, "queue_seq": 1})}
    journals = {k: [e for e in s.pop("journal")] for k, s in stock.items()}
    return {"service": "inventory", "stock": stock, "journal": {k: v for k, v in journals.items() if v},
            "ledger": ledger, "requisition_ledger": dict(by_requisition), "reservations": reservations}


def stock_matches_ledger(inventory: dict) -> list[str]:
    """On hand equals the ledger, reserved equals the open holds, nothing negative."""
    problems = []
    for key, stock in inventory["stock"].items():
        ledger = dict(inventory["ledger"].get(key, {"on_hand": 0, "reserved": 0}))
        for entry in inventory["journal"].get(key, []):
            if not entry["projected"]:
                ledger["on_hand"] += entry["quantity"]
                ledger["reserved"] += entry["reserved_change"]
        if stock["on_hand"] != ledger["on_hand"]:
            problems.append(f"{key}: on hand {_q(stock['on_hand'])} but the ledger sums to {_q(ledger['on_hand'])}")
        holds = sum(stock["holds"].values())
        if stock["reserved"] != holds:
            problems.append(f"{key}: reserved {_q(stock['reserved'])} but open holds sum to {_q(holds)}")
        if stock["reserved"] != ledger["reserved"]:
            problems.append(f"{key}: reserved {_q(stock['reserved'])} but the ledger's holds sum to "
                            f"{_q(ledger['reserved'])}")
        if stock["on_hand"] < 0 or stock["reserved"] > stock["on_hand"]:
            problems.append(f"{key}: negative stock (on hand {_q(stock['on_hand'])}, reserved {_q(stock['reserved'])})")
        waiting = [entry for entry in inventory["journal"].get(key, []) if not entry["projected"]]
        if waiting:  # an entry both in the journal and in movements is normal until the ledger sweep
            problems.append(f"{key}: {len(waiting)} ledger entr(ies) not yet projected")
    for key in inventory["ledger"].keys() - inventory["stock"].keys():
        problems.append(f"{key}: ledger entries for a stock record that does not exist")
    return problems


def requisition_ledger_matches_holds(inventory: dict) -> list[str]:
    """Per requisition and material: holds net to the open hold, at most one issue."""
    problems, holds = [], defaultdict(dict)
    for stock in inventory["stock"].values():
        for rid, quantity in stock["holds"].items():
            holds[rid][stock["sku"]] = holds[rid].get(stock["sku"], 0) + quantity
    for rid, by_sku in inventory["requisition_ledger"].items():
        for sku, kinds in by_sku.items():
            net = sum(k["reserved"] for k in kinds.values())
            if net != holds.get(rid, {}).get(sku, 0):
                problems.append(f"requisition {rid} {sku}: ledger holds net to {_q(net)} but the open hold is "
                                f"{_q(holds.get(rid, {}).get(sku, 0))} (applied twice or lost)")
            issued = kinds.get("issue", {"count": 0})
            if issued["count"] > 1:
                problems.append(f"requisition {rid} {sku}: issued {issued['count']} times")
    return problems


def counts(inventory: dict) -> dict:
    return {"stock records": len(inventory["stock"]),
            "ledger entries": sum(row["entries"] for row in inventory["ledger"].values()),
            "reservations (inventory)": len(inventory["reservations"])}


RECONCILIATION = Reconciliation(facts=facts, checks=(stock_matches_ledger, requisition_ledger_matches_holds),
                                counts=counts)
