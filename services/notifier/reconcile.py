"""What the notifier brings to `rawbank reconcile`: which requisitions it heard of and told artisans about."""
from __future__ import annotations

from collections import Counter

from services.notifier import domain, dues, report_reconcile, texts
from shared.i18n import N_
from shared.reconciliation import Problem, Problems, Reconciliation, Word


def facts(db) -> dict:
    """Which requisitions the notifier heard of, notifications told twice, events and dead-letter alerts."""
    # Money moved is news per payment or event, a reminder per due and its day (its id says which), a phone's change
    # per change, a return per return (a request's material may come back more than once), a member asked to confirm
    # their share per code (a fresh one, its nonce, is news of its own): none is a requisition's status told twice
    # when there are two.
    told_twice = [row["_id"] for row in db.notifications.aggregate([
        {"$match": {"status": {"$nin": [*texts.MONEY_MOVED, *domain.ABOUT_RECORD, dues.DUE_SOON, dues.OVERDUE,
                                        domain.RETURN_CREDITED]}}},
        {"$group": {"_id": {"rid": "$requisition_id", "status": "$status", "artisan": "$artisan_id",
                            "nonce": "$nonce"},
                    "n": {"$sum": 1}}},
        {"$match": {"n": {"$gt": 1}}}])]
    events = Counter(doc["type"] for doc in db.events.find({}, {"type": 1}))
    dead_letters = [{"id": doc["_id"], "status": doc["status"], "count": doc.get("count", 1),
                     **{k: doc.get("details", {}).get(k) for k in ("original_topic", "type", "reason")}}
                    for doc in db.alerts.find({"kind": "dead_letter"}, {"events": 0, "fanout": 0})]
    return {"service": "notifier", "requisitions": sorted(d["_id"] for d in db.requisitions.find({}, {"_id": 1})),
            "told_twice": told_twice, "events": dict(events), "dead_letter_alerts": dead_letters,
            "reports": report_reconcile.facts(db)}


def every_requisition_told_once(found: dict) -> Problems:
    """Every requisition requests knows reached the notifier; no artisan was told the same news twice."""
    notifier, problems = found["notifier"], []
    known = set(notifier["requisitions"])
    for rid in sorted(found.get("requests", {}).get("requisitions", {}).keys() - known):
        problems.append(Problem(N_("requisition {rid}: never reached the notifier"), rid=rid))
    for item in notifier["told_twice"]:
        title = texts.STATUS_TEXT.get(item["status"], (None, None))[1]  # "Material reserved", in Hindi too
        problems.append(Problem(N_("requisition {rid}: artisan {artisan} notified twice of {status}"), rid=item["rid"],
                                artisan=item.get("artisan"), status=Word(item["status"], title)))
    return problems


def counts(notifier: dict) -> dict:
    reports = notifier.get("reports") or {}
    return {N_("events seen by the notifier"): sum(notifier["events"].values()),
            N_("dead-letter alerts"): len(notifier["dead_letter_alerts"]),
            N_("distribution rows, month x material (reports)"): len(reports.get("sold", {})),
            N_("artisans served (reports)"): sum(reports.get("beneficiaries", {}).values())}


RECONCILIATION = Reconciliation(facts=facts, agreements=(every_requisition_told_once, report_reconcile.reports_agree),
                                counts=counts)
