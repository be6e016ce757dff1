"""What requests brings to `rawbank reconcile`: its requisitions, and their agreement with inventory.

Requests is the authority on a requisition's status, so it says what inventory's facts (the
JSON its reconcile-data serves) must show for each status: the reservation, the holds, the issues.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timezone

from services.requests import collections, parties, reconcile_money, words
from services.requests.reconcile_money import status_word
from shared.quantity import format_quantity as _q
from shared.i18n import N_
from shared.money import round_half_up
from shared.reconciliation import Problem, Problems, Reconciliation, Word

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
#: inventory's reservation statuses as the Hindi report says them (the English one keeps the codes)
RESERVATION_STATUSES = {"reserving": N_("Being set aside"), "held": N_("Set aside"),
                        "waitlisted": N_("Waiting for stock"), "failed": N_("Could not be set aside"),
                        "released": N_("Released"), "cancelled": N_("Cancelled"), "issued": N_("Handed over")}
HOLDS_EXPECTED = ("reserved",)
ISSUES_EXPECTED = ("dispatched", "received")


def facts(db) -> dict:
    """Requisitions: status, lines and the inventory events applied to each."""
    requisitions = {}
    for doc in db.requisitions.find({}, {"status": 1, "depot": 1, "lines": 1, "applied": 1, "history": 1, "stock": 1,
                                         "artisan_id": 1, "pricing": 1, "dispatch_month": 1, "district": 1,
                                         "shares": 1, "cooperative": 1, "month": 1, "returns": 1}):
        applied = doc.get("applied") or []
        history_ids = [h["event_id"] for h in doc.get("history") or [] if h.get("event_id")]
        requisitions[doc["_id"]] = {
            "status": doc["status"], "depot": doc["depot"], "stock": doc.get("stock"),
            "lines": {l["sku"]: l["quantity"] for l in doc["lines"]},
            "applied_twice": len(applied) - len(set(applied)),
            "history_twice": len(history_ids) - len(set(history_ids)),
            "money": reconcile_money.requisition_facts(doc), "entitled": reconcile_money.entitled_facts(doc),
            "returns": reconcile_money.return_facts(doc),
            "reports": _report_facts(doc)}
    return {"service": "requests", "requisitions": requisitions, "accounts": reconcile_money.account_facts(db),
            "entitlements": reconcile_money.entitlement_facts(db), "collections": collections.reconcile_facts(db),
            "claim_years": reconcile_money.claim_year_facts(db, requisitions, datetime.now(timezone.utc))}


def _report_facts(doc: dict) -> dict:
    """What the notifier's reports must show of a requisition: sold per material in its dispatch month, to whom;
    whether it waited for stock or was refused; its members' answers."""
    statuses = {entry["status"] for entry in doc.get("history") or ()}
    sold = defaultdict(lambda: [0, 0, 0])
    if doc["status"] in ("dispatched", "received"):
        for line in (doc.get("pricing") or {}).get("lines") or [{**l, "value": 0, "subsidy": 0} for l in doc["lines"]]:
            figures = sold[line["sku"]]
            figures[0], figures[1], figures[2] = figures[0] + line["quantity"], figures[1] + line["value"], \
                figures[2] + line["subsidy"]
    return {"dispatch_month": doc.get("dispatch_month"), "sold": dict(sold), "returned": _returned_facts(doc),
            "artisans": sorted({share["artisan_id"] for share in parties.of(doc)}) if sold else [],
            "waitlisted": "waitlisted" in statuses, "refused": "rejected" in statuses,
            "cooperative": doc.get("cooperative") if parties.is_cooperative(doc) else None,
            "confirmations": {share["artisan_id"]: share["confirmation"]["status"] for share in doc.get("shares") or ()
                              if share.get("confirmation", {}).get("status", "awaited") != "awaited"}}


def _returned_facts(doc: dict) -> dict:
    """What the distribution report must count as returned of a requisition, per `month|material` (the month of each
    return): [quantity, value, subsidy]. The subsidy is the return's own (its credit note's), and so is the value,
    the member's share's mill-gate value for that much of it, rounded from the running total as the credit is (a
    return recorded before returns kept it: rounded half up per return, as the report folds such an event)."""
    returned = defaultdict(lambda: [0, 0, 0])
    shares = {share["artisan_id"]: share for share in parties.of(doc)}
    for made in doc.get("returns") or ():
        share = shares.get(made["artisan_id"]) or {}
        handed = {line["sku"]: line["quantity"] for line in share.get("lines") or ()}
        priced = {line["sku"]: line.get("value") or 0 for line in (share.get("pricing") or {}).get("lines") or ()}
        for line in made["lines"]:
            given, figures = handed.get(line["sku"]), returned[f"{made['month']}|{line['sku']}"]
            figures[0] += line["quantity"]
            if line.get("value") is not None:  # the return's own, as its event carried it
                figures[1] += line["value"]
            else:  # recorded before returns kept their value: as the report folds such an event
                figures[1] += round_half_up(priced.get(line["sku"], 0) * line["quantity"], given) if given else 0
            figures[2] += line.get("subsidy") or 0
    return dict(returned)


def _holds_of(inventory: dict) -> dict:
    found = defaultdict(dict)
    for stock in inventory["stock"].values():
        for rid, quantity in stock["holds"].items():
            found[rid][(stock["depot"], stock["sku"])] = quantity
    return found


def _fmt(holds: dict) -> str:
    return "{" + ", ".join(f"{d}/{s}: {_q(q)}" for (d, s), q in sorted(holds.items())) + "}"


def requisitions_agree_with_inventory(found: dict) -> Problems:
    """Each requisition's status agrees with inventory's reservation, its holds and its issues."""
    inventory, problems = found.get("inventory"), []
    if inventory is None:
        return problems
    holds = _holds_of(inventory)
    requisitions = found["requests"]["requisitions"]
    for rid, req in requisitions.items():
        status, depot = status_word(req["status"]), req["depot"]
        reservation = inventory["reservations"].get(rid)
        inv_status = reservation and reservation["status"]
        if inv_status not in AGREES[status]:
            other = Word(inv_status, RESERVATION_STATUSES.get(inv_status)) if inv_status else Problem(N_("unknown"))
            problems.append(Problem(N_("requisition {rid}: {status} at requests but {other} at inventory"), rid=rid,
                                    status=status, other=other))
        expected = {(depot, sku): q for sku, q in req["lines"].items()} if status in HOLDS_EXPECTED else {}
        if holds.get(rid, {}) != expected:
            problems.append(Problem(N_("requisition {rid} ({status}): holds {holds}, expected {expected}"), rid=rid,
                                    status=status, holds=_fmt(holds.get(rid, {})), expected=_fmt(expected)))
        ledger = inventory["requisition_ledger"].get(rid, {})
        for sku, quantity in req["lines"].items():
            issued = ledger.get(sku, {}).get("issue", {"count": 0, "quantity": 0})
            want = (1, -quantity) if status in ISSUES_EXPECTED else (0, 0)
            if (issued["count"], issued["quantity"]) != want:
                problems.append(Problem(N_("requisition {rid} ({status}) {sku}: issued {count} time(s), {quantity} in "
                                           "all; expected {want} ({wanted})"), rid=rid, status=status, sku=sku,
                                        count=issued["count"], quantity=_q(-issued["quantity"]), want=want[0],
                                        wanted=_q(-want[1])))
        if req["applied_twice"] or req["history_twice"]:
            problems.append(Problem(N_("requisition {rid}: an inventory event was applied twice"), rid=rid))
    for rid in holds.keys() - requisitions.keys():
        problems.append(Problem(N_("requisition {rid}: holds {holds} but requests does not know it"), rid=rid,
                                holds=_fmt(holds[rid])))
    return problems


def counts(requests: dict) -> dict:
    return {N_("requisitions (requests)"): len(requests["requisitions"]),
            N_("requisitions by status"): dict(sorted(Counter(r["status"] for r in
                                                          requests["requisitions"].values()).items())),
            **reconcile_money.counts(requests)}


RECONCILIATION = Reconciliation(facts=facts, checks=reconcile_money.CHECKS,
                                agreements=(requisitions_agree_with_inventory,), counts=counts, words=words.STATUSES)
