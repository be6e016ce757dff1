"""Money in `rawbank reconcile`: accounts add up, each dispatch is charged once, claims equal dispatches.

Checked on the requests store's own facts: every account's balance is the sum of its entries;
no entry (a payment above all) is there twice, and what is paid per requisition is the sum of its
payments; each reversal that took back a payment a refund had handed back says what it left to repay
(`repay`: how far below zero it took what is paid on its requisition, walking the entries in
order); every dispatched requisition has exactly one charge and one subsidy entry per share
(a cooperative's: on each member's account), equal to the share's locked price, and nothing else
is charged; and the subsidy claims, summed from the dispatched requisitions (as the report does),
equal the same sums over the accounts' subsidy entries, per scheme, month and district; each financial year's
claims (the year's report) total its months' claims, value and subsidy, per scheme; and each
artisan's monthly entitlement counts what its requisitions are priced with at the scheme price: its
used totals are its entries', and each live requisition's (share's) entry is its subsidised quantity
per category, so no subsidy is given beyond an entitlement and none is used up without a subsidy.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from services.requests import claims, parties, schemes, words
from services.requests.errors import YearOutsideScheme
from shared.calendar import year_of_month
from shared.i18n import N_
from shared.money import format_money as _m
from shared.quantity import format_quantity as _q
from shared.reconciliation import Problem, Problems, Word

DISPATCHED = ("dispatched", "received")
RETURNED = ("rejected", "cancelled")  # their entitlements are given back (domain.QUOTA_RETURNED)


def status_word(status: str) -> Word:
    """A requisition's status in a problem: its code in English, as the pages name it in Hindi."""
    return Word(status, words.STATUSES.get(status))


def requisition_facts(doc: dict) -> dict:
    """A requisition's money, as reconciliation compares it: each share's charge (one for an artisan's own)."""
    if doc["status"] not in DISPATCHED or not doc.get("pricing"):
        return {}
    shares = []
    for share in parties.of(doc):
        priced = share["pricing"]
        shares.append({"artisan_id": share["artisan_id"], "payable": priced["payable_total"],
                       "gross": priced["value_total"] + priced["freight_total"] + priced["depot_charge_total"],
                       "subsidy": priced["subsidy_total"], "district": share.get("district"),
                       "claimed": [line for line in priced["lines"] if line["subsidised_quantity"]]})
    return {"dispatch_month": doc.get("dispatch_month"), "shares": shares}


def entitled_facts(doc: dict) -> list[dict]:
    """What a live requisition takes of each share's entitlement: its subsidised quantity per category and month."""
    if doc["status"] in RETURNED or not doc.get("month"):
        return []
    out = []
    for share in parties.of(doc):
        subsidised = defaultdict(int)
        for line in (share.get("pricing") or {}).get("lines", []):
            subsidised[line["category"]] += line["subsidised_quantity"]
        for made in doc.get("returns") or ():  # a return gives its subsidised quantity back to the entitlement
            if made["artisan_id"] == share["artisan_id"]:
                for category, quantity in (made.get("entitled") or {}).items():
                    subsidised[category] -= quantity
        out.append({"artisan_id": share["artisan_id"], "month": doc["month"], "subsidised": _nonzero(subsidised)})
    return out


def return_facts(doc: dict) -> list[dict]:
    """A requisition's returns as reconciliation compares them: each one's credit, and the subsidy it takes off the
    claim of its month (its subsidised lines)."""
    return [{"return_id": made["return_id"], "artisan_id": made["artisan_id"], "credit": made["credit"],
             "month": made["month"], "district": made.get("district"),
             "claimed": [{k: line[k] for k in ("scheme", "category", "unit", "subsidised_quantity", "subsidised_value",
                                               "subsidy")}
                         for line in made["lines"] if line["subsidised_quantity"] and line.get("scheme")]}
            for made in doc.get("returns") or ()]


def entitlement_facts(db) -> dict:
    """Each artisan's month of entitlements: the used totals and each requisition's entry."""
    return {doc["_id"]: {"artisan_id": doc["artisan_id"], "month": doc["month"], "used": _nonzero(doc.get("used", {})),
                         "entries": {rid: _nonzero(entry.get("totals", {}))
                                     for rid, entry in (doc.get("entries") or {}).items()}}
            for doc in db.entitlements.find()}


def _nonzero(totals: dict) -> dict:
    return {category: quantity for category, quantity in sorted(totals.items()) if quantity}


def account_facts(db) -> dict:
    return {doc["_id"]: {"balance": doc["balance"], "paid": doc.get("paid", {}), "entries": doc.get("entries", [])}
            for doc in db.accounts.find({}, {"outbox": 0})}


def accounts_add_up(found: dict) -> Problems:
    """Each account's balance is its entries' sum; no entry twice; paid per requisition is its payments less those
    reversed and what refunds handed back of it; each refund returns payments worth its amount; each reversal's
    `repay` is how far below zero it took what is paid on its requisition (a refund had handed the payment back)."""
    problems = []
    for artisan_id, account in found.get("accounts", {}).items():
        total = sum(entry["amount"] for entry in account["entries"])
        if total != account["balance"]:
            problems.append(Problem(N_("account {artisan_id}: balance {balance}, entries sum to {total}"),
                                    artisan_id=artisan_id, balance=_m(account["balance"]), total=_m(total)))
        twice = [i for i, n in Counter(e["id"] for e in account["entries"]).items() if n > 1]
        if twice:
            problems.append(Problem(N_("account {artisan_id}: entries counted twice: {entries}"), artisan_id=artisan_id,
                                    entries=", ".join(sorted(twice))))
        payments = defaultdict(int)
        for entry in account["entries"]:
            if entry["type"] in ("payment", "payment_reversal"):  # a reversal's amount takes its payment's back
                before = payments[entry["requisition_id"]]
                payments[entry["requisition_id"]] -= entry["amount"]
                below = max(-payments[entry["requisition_id"]], 0) - max(-before, 0)
                # one stored before reversals kept what they left to repay says nothing (accounts.repays dates it)
                said = entry.get("repay", 0 if entry.get("due_on") or not below else below)
                if entry["type"] == "payment_reversal" and said != below:
                    problems.append(Problem(N_("account {artisan_id}: reversal of payment {reference} leaves {below} "
                                               "to repay on requisition {rid}, it says {repay}"),
                                            artisan_id=artisan_id, reference=entry["reference"], below=_m(below),
                                            rid=entry["requisition_id"], repay=_m(said)))
            elif entry["type"] == "refund":  # handed back: what it returns of each requisition's payments
                for rid, amount in entry["requisitions"].items():
                    payments[rid] -= amount
                if sum(entry["requisitions"].values()) != entry["amount"]:
                    problems.append(Problem(N_("account {artisan_id}: refund {reference} of {amount} returns {drawn} "
                                               "of payments"), artisan_id=artisan_id, reference=entry["reference"],
                                            amount=_m(entry["amount"]),
                                            drawn=_m(sum(entry["requisitions"].values()))))
        paid = {rid: amount for rid, amount in account["paid"].items() if amount}
        payments = {rid: amount for rid, amount in payments.items() if amount}
        if paid != payments:
            problems.append(Problem(N_("account {artisan_id}: paid per requisition {paid} but payments less refunds "
                                       "say {payments}"), artisan_id=artisan_id, paid=paid, payments=payments))
    return problems


def dispatches_charged_once(found: dict) -> Problems:
    """Every dispatched requisition is charged exactly once per share at its locked price; nothing else is charged."""
    problems, charged = [], defaultdict(list)
    for artisan_id, account in found.get("accounts", {}).items():
        for entry in account["entries"]:
            if entry["type"] in ("charge", "subsidy"):
                charged[entry["requisition_id"]].append((artisan_id, entry))
    for rid, req in found["requisitions"].items():
        money, entries = req.get("money") or {}, charged.pop(rid, [])
        if not money:
            if entries:
                problems.append(Problem(N_("requisition {rid} ({status}) is charged but was never handed over"),
                                        rid=rid, status=status_word(req["status"])))
            continue
        shares = {share["artisan_id"]: share for share in money["shares"]}
        whom = sorted({a for a, _ in entries} - set(shares))
        if whom:
            problems.append(Problem(N_("requisition {rid}: charged to {whom}, who have no share in it"), rid=rid,
                                    whom=whom))
        for artisan_id, share in shares.items():
            problems += _charged_once(rid, artisan_id, share, [e for a, e in entries if a == artisan_id])
    for rid, entries in charged.items():
        problems.append(Problem(N_("account {artisan_id}: charged for requisition {rid}, which requests does not know"),
                                artisan_id=entries[0][0], rid=rid))
    return problems


def _charged_once(rid: str, artisan_id: str, share: dict, entries: list[dict]) -> Problems:
    kinds = Counter(entry["type"] for entry in entries)
    if kinds != Counter({"charge": 1, "subsidy": 1}):
        return [Problem(N_("requisition {rid}: handed over, charged {kinds} to {artisan_id}"), rid=rid,
                        kinds=dict(kinds), artisan_id=artisan_id)]
    charge = next(e for e in entries if e["type"] == "charge")
    subsidy = next(e for e in entries if e["type"] == "subsidy")
    charged = (charge["amount"], charge["payable"], -subsidy["amount"])
    if charged != (share["gross"], share["payable"], share["subsidy"]):
        return [Problem(N_("requisition {rid}: charged {charged} less {subsidy} to {artisan_id}, priced {gross} less "
                           "{priced_subsidy}"), rid=rid, charged=_m(charge["amount"]), subsidy=_m(-subsidy["amount"]),
                        artisan_id=artisan_id, gross=_m(share["gross"]), priced_subsidy=_m(share["subsidy"]))]
    return []


def _claims_by(sales) -> dict:
    """(scheme, month) -> the claim rows of those sales, figures only."""
    grouped = defaultdict(list)
    for scheme, month, district, artisan_id, line in sales:
        grouped[(scheme, month)].append((district, artisan_id, [line]))
    return {key: {d: {k: (sorted(v) if k == "artisans" else v) for k, v in row.items()}
                  for d, row in claims.tally(rows).items()} for key, rows in grouped.items()}


def _handed_over(requisitions: dict):
    """(scheme, month of hand-over, district, artisan, line) of each subsidised line handed over (reconcile's facts)."""
    return ((line["scheme"], money["dispatch_month"], share["district"], share["artisan_id"], line)
            for money in (r.get("money") for r in requisitions.values()) if money
            for share in money["shares"] for line in share["claimed"])


def _taken_back(requisitions: dict):
    """(scheme, month of the return, district, artisan, line) of each subsidised line returned (reconcile's facts)."""
    return ((line["scheme"], made["month"], made["district"], made["artisan_id"], line)
            for req in requisitions.values() for made in req.get("returns") or () for line in made["claimed"])


def claims_equal_dispatches(found: dict) -> Problems:
    """The subsidy claims summed from dispatched requisitions equal those summed from the accounts."""
    from_requisitions = _claims_by(_handed_over(found["requisitions"]))
    from_accounts = _claims_by(
        (line["scheme"], entry["month"], entry.get("district"), artisan_id, line)
        for artisan_id, account in found.get("accounts", {}).items() for entry in account["entries"]
        if entry["type"] == "subsidy" for line in entry.get("lines", []))
    return [Problem(N_("subsidy claims {scheme} {month}: requisitions handed over give {from_requisitions}, accounts "
                       "give {from_accounts}"), scheme=scheme, month=month,
                    from_requisitions=from_requisitions.get((scheme, month)),
                    from_accounts=from_accounts.get((scheme, month)))
            for scheme, month in sorted(set(from_requisitions) | set(from_accounts))
            if from_requisitions.get((scheme, month)) != from_accounts.get((scheme, month))]


def entitlements_add_up(found: dict) -> Problems:
    """Each month's used entitlement is its entries' sum; each live requisition's entry is what it is priced with at
    the scheme price (entries of requisitions returned or never stored are given back when the month is read)."""
    problems, months = [], found.get("entitlements", {})
    for month in months.values():
        summed = defaultdict(int)
        for totals in month["entries"].values():
            for category, quantity in totals.items():
                summed[category] += quantity
        if _nonzero(summed) != month["used"]:
            problems.append(Problem(N_("entitlement {artisan_id} {month}: used {used}, its requisitions add up to "
                                       "{total}"), artisan_id=month["artisan_id"], month=month["month"],
                                    used=_quantities(month["used"]), total=_quantities(summed)))
    for rid, req in found["requisitions"].items():
        for share in req.get("entitled", ()):
            month = months.get(f"{share['artisan_id']}/{share['month']}") or {"entries": {}}
            counted = month["entries"].get(rid, {})
            if counted != share["subsidised"]:
                problems.append(Problem(N_("requisition {rid}: priced with {priced} at the scheme price for "
                                           "{artisan_id}, but the entitlement of {month} counts {counted}"), rid=rid,
                                        priced=_quantities(share["subsidised"]), artisan_id=share["artisan_id"],
                                        month=share["month"], counted=_quantities(counted)))
    return problems


def _quantities(totals: dict) -> str:
    return "{" + ", ".join(f"{category}: {_q(quantity)}" for category, quantity in sorted(_nonzero(totals).items())) \
        + "}"


def counts(requests: dict) -> dict:
    accounts = requests.get("accounts", {})
    subsidy = sum(-e["amount"] for a in accounts.values() for e in a["entries"] if e["type"] == "subsidy")
    credited = sum(-e["amount"] for a in accounts.values() for e in a["entries"] if e["type"] == "credit_note")
    returned_subsidy = sum(e.get("subsidy", 0) for a in accounts.values() for e in a["entries"]
                           if e["type"] == "credit_note")
    to_repay = sum(max(-paid, 0) for a in accounts.values() for paid in a["paid"].values())
    return {N_("accounts"): len(accounts),
            N_("balance due, all accounts"): _m(sum(a["balance"] for a in accounts.values())),
            N_("to repay: refunded, then the payment was reversed"): _m(to_repay),
            N_("subsidy charged to schemes"): _m(subsidy),
            N_("credit notes for returns"): _m(credited),
            N_("subsidy taken off the claims by returns"): _m(returned_subsidy)}


KINDS = {"payment": "payment", "payment_reversal": "reversal", "refund": "refund"}


def collections_equal_accounts(found: dict) -> Problems:
    """The collections register's totals, month by month, per kind, method and depot, equal the payments, reversals
    and refunds summed straight from the accounts (at the depot of each requisition they were for; a refund at the
    depots of the requisitions it handed back payments of)."""
    if "collections" not in found:  # facts of a requests service older than the register
        return []
    depots = {rid: req["depot"] for rid, req in found["requisitions"].items()}
    expected: dict = {}
    for account in found.get("accounts", {}).values():
        for entry in account["entries"]:
            if entry["type"] not in KINDS:
                continue
            drawn = entry["requisitions"] if entry["type"] == "refund" else \
                {entry["requisition_id"]: abs(entry["amount"])}
            at = expected.setdefault(entry["month"], {}).setdefault(KINDS[entry["type"]], {}) \
                .setdefault(entry["method"], {})
            for rid, amount in drawn.items():
                at[depots.get(rid) or "-"] = at.get(depots.get(rid) or "-", 0) + amount
    said, summed = _flat(found["collections"]), _flat(expected)
    return [Problem(N_("collections register {month} {kind} {method} at {depot}: {said}, the accounts say {summed}"),
                    month=month, kind=kind, method=method, depot=depot, said=_m(said.get(key, 0)),
                    summed=_m(summed.get(key, 0)))
            for key in sorted(set(said) | set(summed)) if said.get(key, 0) != summed.get(key, 0)
            for month, kind, method, depot in [key]]


def _flat(totals: dict) -> dict:
    """month -> kind -> method -> depot -> paise, as {(month, kind, method, depot): paise}."""
    return {(month, kind, method, depot): amount for month, kinds in totals.items() for kind, methods in kinds.items()
            for method, depots in methods.items() for depot, amount in depots.items()}


def credit_notes_equal_returns(found: dict) -> Problems:
    """Each return has one credit note, on its member's account, for its credit; no credit note is of a return
    requests does not know."""
    notes = {}
    for artisan_id, account in found.get("accounts", {}).items():
        for entry in account["entries"]:
            if entry["type"] == "credit_note":
                notes[entry["return_id"]] = (artisan_id, entry)
    problems = []
    for rid, req in sorted(found["requisitions"].items()):
        for made in req.get("returns") or ():
            artisan_id, entry = notes.pop(made["return_id"], (None, None))
            if entry is None:
                problems.append(Problem(N_("return {return_id} of requisition {rid}: credit {credit}, but no credit "
                                           "note on {artisan_id}'s account (open the request to finish it)"),
                                        return_id=made["return_id"], rid=rid, credit=_m(made["credit"]),
                                        artisan_id=made["artisan_id"]))
            elif (artisan_id, entry["requisition_id"], -entry["amount"]) != (made["artisan_id"], rid, made["credit"]):
                problems.append(Problem(N_("return {return_id} of requisition {rid}: credit {credit} to {artisan_id}, "
                                           "but its credit note is {amount} on {holder}'s account"),
                                        return_id=made["return_id"], rid=rid, credit=_m(made["credit"]),
                                        artisan_id=made["artisan_id"], amount=_m(-entry["amount"]), holder=artisan_id))
    for return_id, (artisan_id, entry) in sorted(notes.items()):
        problems.append(Problem(N_("account {artisan_id}: credit note {amount} for return {return_id}, which requests "
                                   "does not know"), artisan_id=artisan_id, amount=_m(-entry["amount"]),
                                return_id=return_id))
    return problems


def corrections_equal_returns(found: dict) -> Problems:
    """The subsidy claims' corrections (returns), summed from the requisitions' returns as the claim does, equal the
    same sums over the accounts' credit notes, per scheme, month and district."""
    from_returns = _claims_by(_taken_back(found["requisitions"]))
    from_accounts = _claims_by(
        (line["scheme"], entry["month"], entry.get("district"), artisan_id, line)
        for artisan_id, account in found.get("accounts", {}).items() for entry in account["entries"]
        if entry["type"] == "credit_note" for line in entry.get("lines", []))
    return [Problem(N_("subsidy claim corrections {scheme} {month}: returns give {from_returns}, credit notes give "
                       "{from_accounts}"), scheme=scheme, month=month, from_returns=from_returns.get((scheme, month)),
                    from_accounts=from_accounts.get((scheme, month)))
            for scheme, month in sorted(set(from_returns) | set(from_accounts))
            if from_returns.get((scheme, month)) != from_accounts.get((scheme, month))]


def year_claims_equal_months(found: dict) -> Problems:
    """Each financial year's claims of a scheme (the year's report, `claim_years`) total the value and subsidy of its
    months' claims: the subsidised lines handed over in each month less those returned in it, summed from the
    requisitions as each monthly claim sums them (by the month of hand-over, never of submit)."""
    if "claim_years" not in found:  # facts of a requests service older than the year's claims
        return []
    months = years_summed(found["requisitions"])
    said = {(scheme, year): figures for scheme, years in found["claim_years"].items()
            for year, figures in years.items()}
    return [Problem(N_("subsidy claims {scheme} for the financial year {year}: the year's total is {value} at the "
                       "mill-gate price and {subsidy} subsidy, its months' claims add up to {months_value} and "
                       "{months_subsidy}"), scheme=scheme, year=year, value=_m(figures["value"]),
                    subsidy=_m(figures["subsidy"]), months_value=_m(months[key]["value"]),
                    months_subsidy=_m(months[key]["subsidy"]))
            for key in sorted(set(said) | {key for key, summed in months.items() if any(summed.values())})
            for scheme, year in [key] for figures in [said.get(key, {"value": 0, "subsidy": 0})]
            if (figures["value"], figures["subsidy"]) != (months[key]["value"], months[key]["subsidy"])]


def years_summed(requisitions: dict) -> dict:
    """(scheme, financial year) -> value and subsidy (paise) of its months' claims, summed from reconcile's facts of
    the requisitions as each monthly claim sums them: lines handed over in a month, less those returned in it."""
    years: dict = defaultdict(lambda: {"value": 0, "subsidy": 0})
    for sales, sign in ((_handed_over(requisitions), 1), (_taken_back(requisitions), -1)):
        for scheme, month, _, _, line in sales:
            if scheme and month:
                summed = years[(scheme, year_of_month(month))]
                summed["value"] += sign * line["subsidised_value"]
                summed["subsidy"] += sign * line["subsidy"]
    return years


def claim_year_facts(db, requisitions: dict, now) -> dict:
    """What the financial year's claims (claims.year_claims) say, scheme -> year -> value and subsidy (paise), for
    each registered scheme and year with a claim or a correction in `requisitions` (reconcile's facts of them)."""
    known, facts = schemes.listing_by_code(db), {}
    for scheme, year in sorted(years_summed(requisitions)):
        if scheme in known:
            try:
                totals = claims.year_claims(db, scheme, year, now)["totals"]
            except YearOutsideScheme:  # the report says it has nothing: the check compares that with the lines
                totals = {"value": 0, "subsidy": 0}
            facts.setdefault(scheme, {})[year] = {"value": totals["value"], "subsidy": totals["subsidy"]}
    return facts


CHECKS = (accounts_add_up, dispatches_charged_once, claims_equal_dispatches, entitlements_add_up,
          collections_equal_accounts, credit_notes_equal_returns, corrections_equal_returns, year_claims_equal_months)
