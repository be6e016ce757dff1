"""Reconciliation: do the three services' stores agree with each other and with their ledgers?

Each service's store is summarised as *facts* (plain JSON: what reconciliation compares), and
`check` compares the three. Facts come straight from MongoDB (`rawbank reconcile`, reading
rawbank_inventory, rawbank_requests and rawbank_notifier) or, when the stores live inside the
service processes (embedded mode), from each service's admin-only
`GET /api/v1/admin/reconcile-data` (`rawbank reconcile --via-api`, in reconcile_cli.py).
Tests call `reconcile_dbs`.

It reads stored documents of all three services, so it is the one place outside a service
that knows their shapes; it only reads. Run it when traffic is quiet: anything still in
flight (an approval inventory has not answered, an outbox not yet published) is reported.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from shared.quantity import format_quantity

SERVICES = ("inventory", "requests", "notifier")

#: requests status -> inventory reservation statuses that agree with it once all events are applied
AGREES = {
    "submitted": {None},
    "approved": set(),  # inventory's answer is not applied yet: in flight or lost
    "reserved": {"held"},
    "waitlisted": {"waitlisted"},
    "dispatched": {"issued"},
    "received": {"issued"},
    "cancelled": {"cancelled", "released"},
    "rejected": {None, "failed"},
}
HOLDS_EXPECTED = ("reserved",)
ISSUES_EXPECTED = ("dispatched", "received")


def _outboxes(service: str, names) -> tuple[str, ...]:
    """The collections whose documents carry an outbox: as given, or as the service declares them."""
    if names is not None:
        return tuple(names)
    from shared.runner import load_spec
    return load_spec(service).outbox_collections


def _outbox_count(collection) -> int:
    rows = collection.aggregate([{"$match": {"outbox.0": {"$exists": True}}},
                                 {"$project": {"n": {"$size": "$outbox"}}},
                                 {"$group": {"_id": None, "n": {"$sum": "$n"}}}])
    return next(iter(rows), {"n": 0})["n"]


def inventory_facts(db, outboxes=None) -> dict:
    """Stock with its holds, ledger sums, pending journal entries, reservations and outboxes."""
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
                                 "lines": {l["sku"]: l["quantity"] for l in doc["lines"]}}
                    for doc in db.reservations.find({}, {"status": 1, "depot": 1, "lines": 1})}
    journals = {k: [e for e in s.pop("journal")] for k, s in stock.items()}
    return {"service": "inventory", "stock": stock, "journal": {k: v for k, v in journals.items() if v},
            "ledger": ledger, "requisition_ledger": dict(by_requisition), "reservations": reservations,
            "outbox": {name: _outbox_count(db[name]) for name in _outboxes("inventory", outboxes)}}


def requests_facts(db, outboxes=None) -> dict:
    """Requisitions (status, lines, events applied) and outboxes."""
    requisitions = {}
    for doc in db.requisitions.find({}, {"status": 1, "depot": 1, "lines": 1, "applied": 1,
                                         "history": 1, "stock": 1}):
        applied = doc.get("applied") or []
        history_ids = [h["event_id"] for h in doc.get("history") or [] if h.get("event_id")]
        requisitions[doc["_id"]] = {
            "status": doc["status"], "depot": doc["depot"], "stock": doc.get("stock"),
            "lines": {l["sku"]: l["quantity"] for l in doc["lines"]},
            "applied_twice": len(applied) - len(set(applied)),
            "history_twice": len(history_ids) - len(set(history_ids))}
    return {"service": "requests", "requisitions": requisitions,
            "outbox": {name: _outbox_count(db[name]) for name in _outboxes("requests", outboxes)}}


def notifier_facts(db, outboxes=None) -> dict:
    """Which requisitions the notifier heard of, notifications told twice, events and dead-letter alerts."""
    told_twice = [row["_id"] for row in db.notifications.aggregate([
        {"$group": {"_id": {"rid": "$requisition_id", "status": "$status"}, "n": {"$sum": 1}}},
        {"$match": {"n": {"$gt": 1}}}])]
    events = Counter(doc["type"] for doc in db.events.find({}, {"type": 1}))
    dead_letters = [{"id": doc["_id"], "status": doc["status"], "count": doc.get("count", 1),
                     **{k: doc.get("details", {}).get(k) for k in ("original_topic", "type", "reason")}}
                    for doc in db.alerts.find({"kind": "dead_letter"}, {"events": 0, "fanout": 0})]
    return {"service": "notifier", "requisitions": sorted(d["_id"] for d in db.requisitions.find({}, {"_id": 1})),
            "told_twice": told_twice, "events": dict(events), "dead_letter_alerts": dead_letters}


FACTS = {"inventory": inventory_facts, "requests": requests_facts, "notifier": notifier_facts}


def facts(service: str, db, outboxes=None) -> dict:
    """The facts of one service's store ('inventory', 'requests' or 'notifier')."""
    return FACTS[service](db, outboxes)


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    dlq: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def text(self) -> str:
        lines = ["rawbank reconcile"]
        lines += [f"  {name}: {value}" for name, value in self.counts.items()]
        lines.append(f"dead-letter topics: {len(self.dlq)} message(s)")
        lines += [f"  {m['topic']}[{m['partition']}]@{m['offset']} {m.get('type') or '?'}"
                  f" group={m.get('consumer_group') or '?'}: {m.get('reason') or '?'}" for m in self.dlq]
        if self.ok:
            lines.append("verdict: CLEAN — every check passed")
        else:
            lines.append(f"verdict: {len(self.problems)} MISMATCH(ES)")
            lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {"ok": self.ok, "problems": self.problems, "counts": self.counts, "dlq": self.dlq}


def _q(value: int) -> str:
    return format_quantity(value)


def check(inventory: dict, requests: dict | None = None, notifier: dict | None = None,
          dlq: list[dict] | None = None) -> Report:
    """Compare the facts; every disagreement is one line of the report's problems."""
    report = Report(dlq=list(dlq or []))
    problems = report.problems
    _check_stock(inventory, problems)
    _check_requisition_ledger(inventory, problems)
    for service, outbox in (("inventory", inventory["outbox"]), ("requests", (requests or {}).get("outbox", {}))):
        for collection, pending in outbox.items():
            if pending:
                problems.append(f"{service} outbox not drained: {pending} event(s) in {collection}")
    if requests is not None:
        _check_requisitions(inventory, requests, problems)
    if notifier is not None:
        _check_notifier(requests, notifier, problems)
    report.counts = {
        "stock records": len(inventory["stock"]),
        "ledger entries": sum(row["entries"] for row in inventory["ledger"].values()),
        "reservations (inventory)": len(inventory["reservations"]),
        "requisitions (requests)": len((requests or {}).get("requisitions", {})),
        "requisitions by status": dict(sorted(Counter(
            r["status"] for r in (requests or {}).get("requisitions", {}).values()).items())),
        "events seen by the notifier": sum((notifier or {}).get("events", {}).values()),
        "dead-letter alerts": len((notifier or {}).get("dead_letter_alerts", [])),
    }
    return report


def _check_stock(inventory: dict, problems: list[str]) -> None:
    """On hand equals the ledger, reserved equals the open holds, nothing negative."""
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


def _check_requisition_ledger(inventory: dict, problems: list[str]) -> None:
    """Per requisition and material: holds net to the open hold, at most one issue."""
    holds = defaultdict(dict)
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


def _holds_of(inventory: dict) -> dict:
    found = defaultdict(dict)
    for stock in inventory["stock"].values():
        for rid, quantity in stock["holds"].items():
            found[rid][(stock["depot"], stock["sku"])] = quantity
    return found


def _check_requisitions(inventory: dict, requests: dict, problems: list[str]) -> None:
    """Each requisition's status agrees with inventory's reservation, its holds and its issues."""
    holds = _holds_of(inventory)
    requisitions = requests["requisitions"]
    for rid, req in requisitions.items():
        status, depot = req["status"], req["depot"]
        reservation = inventory["reservations"].get(rid)
        inv_status = reservation and reservation["status"]
        if inv_status not in AGREES[status]:
            problems.append(f"requisition {rid}: {status} at requests but {inv_status or 'unknown'} at inventory")
        expected = {(depot, sku): q for sku, q in req["lines"].items()} if status in HOLDS_EXPECTED else {}
        if holds.get(rid, {}) != expected:
            problems.append(f"requisition {rid} ({status}): holds {_fmt(holds.get(rid, {}))}, "
                            f"expected {_fmt(expected)}")
        ledger = inventory["requisition_ledger"].get(rid, {})
        for sku, quantity in req["lines"].items():
            issued = ledger.get(sku, {}).get("issue", {"count": 0, "quantity": 0})
            want = (1, -quantity) if status in ISSUES_EXPECTED else (0, 0)
            if (issued["count"], issued["quantity"]) != want:
                problems.append(f"requisition {rid} ({status}) {sku}: issued {issued['count']} time(s), "
                                f"{_q(-issued['quantity'])} in all; expected {want[0]} ({_q(-want[1])})")
        if req["applied_twice"] or req["history_twice"]:
            problems.append(f"requisition {rid}: an inventory event was applied twice")
    for rid in holds.keys() - requisitions.keys():
        problems.append(f"requisition {rid}: holds {_fmt(holds[rid])} but requests does not know it")


def _check_notifier(requests: dict | None, notifier: dict, problems: list[str]) -> None:
    """Every requisition reached the notifier; no artisan was told the same news twice."""
    known = set(notifier["requisitions"])
    for rid in sorted((requests or {}).get("requisitions", {}).keys() - known):
        problems.append(f"requisition {rid}: never reached the notifier")
    for item in notifier["told_twice"]:
        problems.append(f"requisition {item['rid']}: artisan notified twice of {item['status']}")


def _fmt(holds: dict) -> str:
    return "{" + ", ".join(f"{d}/{s}: {_q(q)}" for (d, s), q in sorted(holds.items())) + "}"


def reconcile_dbs(inventory_db, requests_db, notifier_db=None, dlq: list[dict] | None = None) -> Report:
    """Reconcile three database handles (tests, and `rawbank reconcile` against MongoDB)."""
    return check(inventory_facts(inventory_db), requests_facts(requests_db),
                 notifier_facts(notifier_db) if notifier_db is not None else None, dlq)
