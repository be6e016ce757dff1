"""The monthly subsidy claim per scheme: what the department reimburses, one row per district.

A claim counts the requisitions dispatched in the month (India's calendar) whose lines were
subsidised under the scheme (a cooperative's: each member's share): the artisans served
(beneficiaries, by the district they were in at dispatch), the subsidised quantity per category,
its value at the mill-gate price and the subsidy. `tally` is the one sum; `rawbank reconcile` runs it over the artisans' accounts as well
and compares.
"""
from __future__ import annotations

from datetime import datetime

from services.requests import domain, parties, schemes
from services.requests.errors import MonthInFuture
from shared.calendar import month_of
from shared.i18n import N_, translate
from shared.money import format_money
from shared.quantity import format_quantity
from shared.spreadsheet import csv_text, safe_cell
from shared.text import plain_name, spellings

UNKNOWN_DISTRICT = "-"


def tally(sales) -> dict[str, dict]:
    """district -> beneficiaries, quantity and unit per category, value and subsidy, from
    (district, artisan_id, subsidised lines) of one scheme's sales."""
    sales = list(sales)
    spelled = spellings(district for district, _, _ in sales)  # one row per district whatever its case or spacing
    rows: dict[str, dict] = {}
    for district, artisan_id, lines in sales:
        key = plain_name(district or "") or UNKNOWN_DISTRICT
        row = rows.setdefault(key, {"artisans": set(), "quantities": {}, "units": {}, "value": 0, "subsidy": 0})
        for line in lines:
            row["artisans"].add(artisan_id)
            quantities = row["quantities"]
            quantities[line["category"]] = quantities.get(line["category"], 0) + line["subsidised_quantity"]
            row["units"][line["category"]] = line.get("unit") or ""
            row["value"] += line["subsidised_value"]
            row["subsidy"] += line["subsidy"]
    return {spelled.get(key, UNKNOWN_DISTRICT): row for key, row in rows.items()}


def subsidised(lines, scheme: str) -> list[dict]:
    return [line for line in lines if line.get("scheme") == scheme and line["subsidised_quantity"] > 0]


def report(db, scheme: str, month: str, now: datetime) -> dict:
    """The claim of one scheme for one month (this month so far, or an earlier one)."""
    schemes.get(db, scheme)
    if month > month_of(now):
        raise MonthInFuture({"month": month})
    docs = db.requisitions.find({"dispatch_month": month, "status": {"$in": [domain.DISPATCHED, domain.RECEIVED]}},
                                {"artisan_id": 1, "district": 1, "lines": 1, "pricing.lines": 1, "shares": 1})
    rows = tally((share.get("district"), share["artisan_id"], subsidised(share["pricing"]["lines"], scheme))
                 for doc in docs for share in parties.of(doc))
    corrections = _corrections(db, scheme, month)
    out = [{"district": district, "beneficiaries": len(row["artisans"]), "quantities": row["quantities"],
            "units": row["units"], "value": row["value"], "subsidy": row["subsidy"]}
           for district, row in sorted(rows.items()) if row["artisans"]]
    # an artisan who moved district in the month is one beneficiary of the claim, though each district counts them
    served = set().union(*(row["artisans"] for row in rows.values()))
    totals = {"district": None, "beneficiaries": len(served),
              "quantities": {}, "units": {}, "value": sum(r["value"] for r in out),
              "subsidy": sum(r["subsidy"] for r in out)}
    for row in out + corrections:  # net of the returns' corrections
        for category, quantity in row["quantities"].items():
            totals["quantities"][category] = totals["quantities"].get(category, 0) + quantity
            totals["units"][category] = row["units"][category]
    totals["value"] += sum(r["value"] for r in corrections)
    totals["subsidy"] += sum(r["subsidy"] for r in corrections)
    # this month's claim is what was handed over so far: it grows until the month ends (the page and the CSV say so)
    return {"scheme": scheme, "month": month, "rows": out, "corrections": corrections, "totals": totals,
            "so_far": month == month_of(now), "as_of": now.isoformat()}


def _corrections(db, scheme: str, month: str) -> list[dict]:
    """The returns of the month (India's) of materials subsidised under the scheme, one row per district, negative:
    what each took off the claim (whatever month its requisition was dispatched in)."""
    found = [(made.get("district"), made["artisan_id"], subsidised(made["lines"], scheme), made["return_id"])
             for doc in db.requisitions.find({"returns.month": month}, {"returns": 1})
             for made in doc.get("returns") or () if made["month"] == month]
    found = [sale for sale in found if sale[2]]
    rows = tally(sale[:3] for sale in found)
    ids: dict[str, set] = {}
    for district, _, _, return_id in found:
        ids.setdefault(plain_name(district or "") or UNKNOWN_DISTRICT, set()).add(return_id)
    counted = {district: len(ids.get(plain_name(district) or UNKNOWN_DISTRICT, ())) for district in rows}
    return [{"district": district, "returns": counted[district],
             "quantities": {c: -q for c, q in row["quantities"].items()}, "units": row["units"],
             "value": -row["value"], "subsidy": -row["subsidy"]} for district, row in sorted(rows.items())]


def csv_name(claim: dict) -> str:
    """The CSV's file name; this month's ends "-so-far" (figures until now), a finished month's keeps its name."""
    return f"subsidy-claims-{claim['scheme']}-{claim['month']}{'-so-far' if claim['so_far'] else ''}.csv"


CORRECTION = N_("{district}: returns (correction)")


def as_csv(claim: dict, lang: str | None = None) -> str:
    """The claim as CSV: one row per district, a correction row per district for the month's returns (said in `lang`),
    a total row net of them; cells a spreadsheet never runs."""
    categories = sorted(claim["totals"]["quantities"])
    header = ["district", "beneficiaries"] + [f"quantity {c} ({claim['totals']['units'][c]})" for c in categories] \
        + ["value_rupees", "subsidy_rupees"]

    def row(district: str, figures: dict) -> list:
        return [safe_cell(district), figures["beneficiaries"]] \
            + [format_quantity(figures["quantities"].get(c, 0)) for c in categories] \
            + [format_money(figures["value"]), format_money(figures["subsidy"])]
    rows = [row(r["district"], r) for r in claim["rows"]] \
        + [row(translate(CORRECTION, lang, district=r["district"]), {**r, "beneficiaries": ""})
           for r in claim.get("corrections") or ()] + [row("TOTAL", claim["totals"])]
    return csv_text([safe_cell(h) for h in header], rows)
