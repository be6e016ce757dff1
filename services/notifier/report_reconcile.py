"""The reports in `rawbank reconcile`: their totals against the requests store and the inventory ledger.

Per month and material, what the distribution report counts as handed over equals what requests
holds for its dispatched requisitions (quantity, value at the mill-gate price, subsidy), and per
depot and material what inventory issued; the beneficiaries per month are the artisans of those
requisitions; per depot and material, what waited for stock is what inventory ever put on a
waitlist (the lines it was short of, or all when it waited behind earlier requisitions), and what
was refused is what requests rejected or inventory could never hold (either side alone would miss
a requisition cancelled while the other was answering); each cooperative's confirmed, short and
waiting shares are those stored at requests; per depot and
material, what the distribution report counts as returned is what inventory took back from
artisans (every line: restocked, damaged and short, which inventory records without moving
stock); and per month of the return, depot and material, its returned
quantity, value and subsidy are those of the returns requests recorded (the source of each
return's credit and subsidy).
"""
from __future__ import annotations

from collections import defaultdict

from shared.i18n import N_
from shared.quantity import format_quantity as _q
from shared.reconciliation import Problem, Problems

KINDS = ("waitlisted", "refused")


def facts(db) -> dict:
    """The reports' totals, as reconciliation compares them."""
    sold, by_depot, people = defaultdict(lambda: [0, 0, 0]), defaultdict(int), defaultdict(set)
    for doc in db.report_dispatches.find():
        people[doc["month"]].add(doc["artisan_id"])
        for line in doc["lines"]:
            figures = sold[f"{doc['month']}|{line['sku']}"]
            figures[0], figures[1], figures[2] = figures[0] + line["quantity"], figures[1] + line["value"], \
                figures[2] + line["subsidy"]
            by_depot[f"{doc['depot']}|{line['sku']}"] += line["quantity"]
    unmet = defaultdict(int)
    for doc in db.report_unmet.find():
        unmet[f"{doc['depot']}|{doc['sku']}|{doc['kind']}"] += doc["quantity"]
    answers = defaultdict(lambda: defaultdict(int))
    for doc in db.shares.find({}, {"cooperative": 1, "status": 1}):
        answers[doc["cooperative"]][doc["status"]] += 1
    returned, returned_money = defaultdict(int), defaultdict(lambda: [0, 0, 0])
    for doc in db.report_returns.find({}, {"depot": 1, "month": 1, "lines": 1}):
        for line in doc["lines"]:
            returned[f"{doc['depot']}|{line['sku']}"] += line["quantity"]
            figures = returned_money[f"{doc['month']}|{doc['depot']}|{line['sku']}"]
            figures[0], figures[1], figures[2] = figures[0] + line["quantity"], figures[1] + line.get("value", 0), \
                figures[2] + line.get("subsidy", 0)
    return {"sold": dict(sold), "by_depot": dict(by_depot), "unmet": dict(unmet), "returned": dict(returned),
            "returned_money": dict(returned_money),
            "beneficiaries": {month: len(ids) for month, ids in people.items()},
            "answers": {code: dict(counts) for code, counts in answers.items()}}


def expected_from_requests(requests: dict) -> dict:
    """The same totals, from the requests store's requisitions."""
    sold, people = defaultdict(lambda: [0, 0, 0]), defaultdict(set)
    answers = defaultdict(lambda: defaultdict(int))
    for req in requests["requisitions"].values():
        facts_ = req.get("reports") or {}
        for sku, figures in facts_.get("sold", {}).items():
            total = sold[f"{facts_['dispatch_month']}|{sku}"]
            sold[f"{facts_['dispatch_month']}|{sku}"] = [a + b for a, b in zip(total, figures)]
        people[facts_.get("dispatch_month")].update(facts_.get("artisans", ()))
        for status in facts_.get("confirmations", {}).values():
            answers[facts_["cooperative"]][status] += 1
    return {"sold": dict(sold), "beneficiaries": {month: len(ids) for month, ids in people.items() if ids},
            "answers": {code: dict(counts) for code, counts in answers.items()}}


def returned_from_requests(requests: dict) -> dict | None:
    """What requests recorded as returned, per `month|depot|material` of the returns: [quantity, value, subsidy];
    None when its facts do not say (a requests older than this check)."""
    returned = defaultdict(lambda: [0, 0, 0])
    for req in requests["requisitions"].values():
        facts_ = req.get("reports") or {}
        if "returned" not in facts_:
            return None
        for key, figures in facts_["returned"].items():
            month, sku = key.split("|", 1)
            total = returned[f"{month}|{req['depot']}|{sku}"]
            returned[f"{month}|{req['depot']}|{sku}"] = [a + b for a, b in zip(total, figures)]
    return dict(returned)


def expected_unmet(requests: dict, inventory: dict) -> dict:
    """Per depot|material|kind: what inventory ever waitlisted, what requests rejected or inventory failed."""
    unmet = defaultdict(int)
    reservations = inventory["reservations"]
    for rid in set(reservations) | set(requests["requisitions"]):
        req, held = requests["requisitions"].get(rid) or {}, reservations.get(rid) or {}
        kinds = {"waitlisted": held.get("waitlisted", False),
                 "refused": (req.get("reports") or {}).get("refused", False) or held.get("status") == "failed"}
        lines, depot = req.get("lines") or held.get("lines", {}), req.get("depot") or held.get("depot")
        waited_for = held.get("waited_for")  # the lines it was short of (else all): none kept by an older rawbank
        for kind in (k for k in KINDS if kinds[k]):
            for sku, quantity in lines.items():
                if kind == "refused" or waited_for is None or sku in waited_for:
                    unmet[f"{depot}|{sku}|{kind}"] += quantity
    return dict(unmet)


def issued_by_depot(inventory: dict) -> dict:
    """What inventory's ledger issued for requisitions, per depot and material."""
    issued = defaultdict(int)
    for rid, by_sku in inventory["requisition_ledger"].items():
        depot = (inventory["reservations"].get(rid) or {}).get("depot")
        for sku, kinds in by_sku.items():
            if "issue" in kinds:
                issued[f"{depot}|{sku}"] -= kinds["issue"]["quantity"]
    return dict(issued)


def returned_by_depot(inventory: dict) -> dict:
    """What inventory took back from artisans (every line of each return), per depot and material."""
    returned = defaultdict(int)
    for doc in inventory.get("returns", {}).values():
        for line in doc["lines"]:
            returned[f"{doc['depot']}|{line['sku']}"] += line["quantity"]
    return dict(returned)


def reports_agree(found: dict) -> Problems:
    """The reports' totals equal what the requests store and the inventory ledger hold."""
    reports, problems = found["notifier"].get("reports"), []
    if reports is None:
        return problems
    if "requests" in found:
        expected = expected_from_requests(found["requests"])
        problems += _differ(N_("distribution (quantity, value, subsidy) per month|material"), reports["sold"],
                            expected["sold"], _figures)
        problems += _differ(N_("beneficiaries per month"), reports["beneficiaries"], expected["beneficiaries"], str)
        problems += _differ(N_("members' answers per cooperative"), reports["answers"], expected["answers"], str)
        returned = returned_from_requests(found["requests"])
        if "returned_money" in reports and returned is not None:  # both sides as of this rawbank
            problems += _differ(N_("returns (quantity, value, subsidy) per month|depot|material against requests' "
                                   "returns"), reports["returned_money"], returned, _figures)
    if "inventory" in found:
        problems += _differ(N_("distribution per depot|material against inventory's issues"), reports["by_depot"],
                            issued_by_depot(found["inventory"]), _q)
        if "returned" in reports and "returns" in found["inventory"]:  # both sides as of this rawbank
            problems += _differ(N_("returns per depot|material against inventory's returns from artisans"),
                                reports["returned"], returned_by_depot(found["inventory"]), _q)
    if "inventory" in found and "requests" in found:
        problems += _differ(N_("unmet demand per depot|material|kind"), reports["unmet"],
                            expected_unmet(found["requests"], found["inventory"]), _q)
    return problems


def _figures(v: list) -> str:
    return f"{_q(v[0])}, {v[1] / 100:.2f}, {v[2] / 100:.2f}"


def _differ(what: str, reported: dict, expected: dict, show) -> Problems:
    """One problem per key whose figures differ; `what` (a catalog text) names the report."""
    def shown(figures: dict, key):
        return show(figures[key]) if key in figures else Problem(N_("nothing"))
    return [Problem(N_("report {what} {key}: the report says {reported}, the stores say {expected}"),
                    what=Problem(what), key=key, reported=shown(reported, key), expected=shown(expected, key))
            for key in sorted(set(reported) | set(expected), key=str) if reported.get(key) != expected.get(key)]
