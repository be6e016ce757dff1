"""The monthly subsidy claim per scheme: what the department reimburses, one row per district.

A claim counts the requisitions dispatched in the month (India's calendar) whose lines were
subsidised under the scheme (a cooperative's: each member's share): the artisans served
(beneficiaries, by the district they were in at dispatch), the subsidised quantity per category,
its value at the mill-gate price and the subsidy. `tally` is the one sum; `rawbank reconcile` runs it over the artisans' accounts as well
and compares.

Their CSVs (`as_csv`, `year_as_csv`) have the same columns every month of a scheme, so that an officer pasting month
after month into one workbook by column position never reads a figure under another's heading: district (or month
and its name) and beneficiaries, a quantity column for every category the scheme caps (`csv_categories`: in code
order, 0 where nothing was subsidised), then any other category the figures have (one the scheme capped when the
request was priced and no longer does), then value_rupees and subsidy_rupees, in the order the claims always had. A
scheme given a new category adds its column from then on, and the columns after it move once.

A financial year's claims (`year_claims`, 1 April to 31 March, as schemes are budgeted and audited) are the months'
claims made by the same code, each by its own month of hand-over: a request submitted on 31 March and handed over
in April is in the new year's claims, though it counted against the March entitlement.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from services.requests import domain, materials, parties, schemes
from services.requests.errors import MonthInFuture, YearInFuture, YearOutsideScheme
from shared import names
from shared.calendar import financial_year_of, is_financial_year, month_of, months_of_year, year_of_month
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
    """The claim of one scheme for one month (this month so far, or an earlier one). A month the scheme did not run in
    is answered all the same (its hand-overs and returns of requests priced under it, often none), `outside_scheme`,
    and `scheme_runs` says its days, financial years and months."""
    runs = scheme_runs(schemes.get(db, scheme))
    if month > month_of(now):
        raise MonthInFuture({"month": month})
    claim = _claim(scheme, month, _dispatched(db, [month]), _returned(db, [month]), now)[0]
    return {**claim, "scheme_runs": {**runs, "first_month": runs["valid_from"][:7],
                                     "last_month": runs["valid_to"][:7] if runs["valid_to"] else None},
            "outside_scheme": outside_month(runs, month)}


def year_claims(db, scheme: str, year: str, now: datetime) -> dict:
    """A financial year's claims of one scheme (April to March; while the year is in progress, up to this month):
    each month's claim's totals, as `report` makes them (by the month of hand-over, net of the month's returns), and
    the year's totals: quantities, value and subsidy summed over the months, beneficiaries the distinct artisans
    served in the year (one served in two months is one). One read of the year's requisitions, grouped by month.
    A year the scheme did not run in (`runs`) is refused (YearOutsideScheme) unless something was handed over or
    returned under it then (after its last day, or before a first day moved later): it is shown, `outside_scheme`."""
    doc = schemes.get(db, scheme)
    runs = scheme_runs(doc)
    if year > financial_year_of(now):  # 'YYYY-YY' compare as the years do
        raise YearInFuture({"year": year})
    outside = year < runs["first_year"] or bool(runs["last_year"] and year > runs["last_year"])
    if outside and not is_financial_year(year):  # before the calendar: no month of it can hold a hand-over
        raise YearOutsideScheme({"year": year, "scheme": scheme, **runs}, scheme_doc=doc)
    months = [month for month in months_of_year(year) if month <= month_of(now)]
    dispatched, returned = defaultdict(list), defaultdict(list)
    for doc in _dispatched(db, months):
        dispatched[doc["dispatch_month"]].append(doc)
    for doc in _returned(db, months):
        for month in {made["month"] for made in doc.get("returns") or ()}:
            returned[month].append(doc)
    rows, served = [], set()
    for month in months:
        claim, artisans = _claim(scheme, month, dispatched[month], returned[month], now)
        rows.append({"month": month, **{k: v for k, v in claim["totals"].items() if k != "district"}})
        served |= artisans
    totals = {"beneficiaries": len(served), "quantities": {}, "units": {}, "value": sum(r["value"] for r in rows),
              "subsidy": sum(r["subsidy"] for r in rows)}
    for row in rows:
        for category, quantity in row["quantities"].items():
            totals["quantities"][category] = totals["quantities"].get(category, 0) + quantity
            totals["units"][category] = row["units"][category]
    if outside and not served and not any(row["quantities"] for row in rows):
        raise YearOutsideScheme({"year": year, "scheme": scheme, **runs}, scheme_doc=doc)
    return {"scheme": scheme, "year": year, "first_month": months[0], "last_month": months[-1], "months": rows,
            "totals": totals, "so_far": year == financial_year_of(now), "as_of": now.isoformat(),
            "scheme_runs": runs, "outside_scheme": outside}


def scheme_runs(scheme: dict) -> dict:
    """The scheme's first and last day (None: open-ended) and the financial years they fall in."""
    return {"valid_from": scheme["valid_from"], "valid_to": scheme.get("valid_to"),
            "first_year": year_of_month(scheme["valid_from"][:7]),
            "last_year": year_of_month(scheme["valid_to"][:7]) if scheme.get("valid_to") else None}


def outside_month(runs: dict, month: str) -> bool:
    """Whether the scheme did not run in the month ('YYYY-MM'): before the month of its first day, or after that of
    its last (a month it ran in for a day is within)."""
    return month < runs["valid_from"][:7] or bool(runs["valid_to"] and month > runs["valid_to"][:7])


def _dispatched(db, months: list[str]) -> list[dict]:
    """The requisitions handed over in those months (India's), in one read (an equality per month: the index)."""
    handed_over = {"$in": [domain.DISPATCHED, domain.RECEIVED]}
    return list(db.requisitions.find(
        {"$or": [{"dispatch_month": month, "status": handed_over} for month in months]},
        {"artisan_id": 1, "district": 1, "lines": 1, "pricing.lines": 1, "shares": 1, "dispatch_month": 1}))


def _returned(db, months: list[str]) -> list[dict]:
    """The requisitions with a return in any of those months (India's), in one read."""
    return list(db.requisitions.find({"$or": [{"returns.month": month} for month in months]}, {"returns": 1}))


def _claim(scheme: str, month: str, dispatched: list[dict], returned: list[dict], now: datetime) -> tuple[dict, set]:
    """The month's claim from the requisitions handed over in it and those with a return in it (only the month's
    returns are counted), and the artisans it served."""
    rows = tally((share.get("district"), share["artisan_id"], subsidised(share["pricing"]["lines"], scheme))
                 for doc in dispatched for share in parties.of(doc))
    corrections = _corrections(returned, scheme, month)
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
            "so_far": month == month_of(now), "as_of": now.isoformat()}, served


def net_by_district(claim: dict) -> list[dict]:
    """What the claim claims per district, by name: the month's hand-overs (`rows`) less its returns' corrections,
    so that they add up to the claim's totals; a district with only a return is negative. Each has its `district`,
    `value` and `subsidy` (paise) and the `handed_over` and `returned` (value, subsidy) it is made of."""
    spelled = spellings(row["district"] for row in claim["rows"] + claim["corrections"])
    net: dict[str, dict] = {}
    for kind, rows in (("handed_over", claim["rows"]), ("returned", claim["corrections"])):
        for row in rows:
            key = plain_name(row["district"] or "") or UNKNOWN_DISTRICT
            found = net.setdefault(key, {"district": spelled.get(key, row["district"] or UNKNOWN_DISTRICT),
                                         "value": 0, "subsidy": 0, "handed_over": (0, 0), "returned": (0, 0)})
            found["value"] += row["value"]
            found["subsidy"] += row["subsidy"]
            found[kind] = (found[kind][0] + row["value"], found[kind][1] + row["subsidy"])
    return [net[key] for key in sorted(net, key=lambda key: net[key]["district"])]


def _corrections(returned: list[dict], scheme: str, month: str) -> list[dict]:
    """The returns of the month (India's) of materials subsidised under the scheme, one row per district, negative:
    what each took off the claim (whatever month its requisition was dispatched in)."""
    found = [(made.get("district"), made["artisan_id"], subsidised(made["lines"], scheme), made["return_id"])
             for doc in returned for made in doc.get("returns") or () if made["month"] == month]
    found = [sale for sale in found if sale[2]]
    rows = tally(sale[:3] for sale in found)
    ids: dict[str, set] = {}
    for district, _, _, return_id in found:
        ids.setdefault(plain_name(district or "") or UNKNOWN_DISTRICT, set()).add(return_id)
    counted = {district: len(ids.get(plain_name(district) or UNKNOWN_DISTRICT, ())) for district in rows}
    return [{"district": district, "returns": counted[district],
             "quantities": {c: -q for c, q in row["quantities"].items()}, "units": row["units"],
             "value": -row["value"], "subsidy": -row["subsidy"]} for district, row in sorted(rows.items())]


def csv_categories(db, answer: dict) -> dict[str, str]:
    """The quantity columns of a claim's or a year's CSV, category -> unit: every category the scheme caps, in code
    order, then any other its figures have; each in the unit of its figures, else of the materials that count
    against it (materials.units), else none."""
    capped = sorted({cap["category"] for cap in schemes.get(db, answer["scheme"]).get("caps") or ()})
    seen = answer["totals"]["units"]
    catalog = materials.units(db)
    return {c: seen.get(c) or catalog.get(c) or "" for c in [*capped, *sorted(set(seen) - set(capped))]}


def _categories(answer: dict, categories: dict | None) -> dict[str, str]:
    """`categories` (csv_categories) and after them any other of the figures; the figures' own without it."""
    seen = answer["totals"]["units"]
    return {**(categories or {}), **{c: seen[c] for c in sorted(set(seen) - set(categories or {}))}}


def year_csv_name(claims: dict) -> str:
    """The year's CSV's file name; the year in progress ends "-so-far"."""
    return f"subsidy-claims-{claims['scheme']}-{claims['year']}{'-so-far' if claims['so_far'] else ''}.csv"


OUTSIDE_ENDED = N_("{scheme} did not run in the financial year {year} (it ran from {valid_from} to {valid_to}): these "
                  "figures are only what was handed over or came back in it of requests priced under it.")
OUTSIDE_OPEN = N_("{scheme} did not run in the financial year {year} (it runs from {valid_from}, with no last day "
                  "set): these figures are only what was handed over or came back in it of requests priced under it.")


def year_as_csv(claims: dict, lang: str | None = None, categories: dict | None = None,
                scheme: dict | None = None) -> str:
    """A year's claims as CSV: one row per month (its code, and its name in `lang`), then the TOTAL row (the months
    it covers; its beneficiaries are the year's distinct artisans); cells a spreadsheet never runs. The columns:
    month, month_name, beneficiaries, a quantity per category (`categories`: csv_categories, the same every year of
    the scheme; the module docstring says why), value_rupees, subsidy_rupees. A year the
    scheme did not run in (`outside_scheme`) ends with a line marked OUTSIDE_SCHEME saying so in `lang`, naming the
    scheme by its record (`scheme`, else its code): a year it ran in is as it always was."""
    units = _categories(claims, categories)
    header = ["month", "month_name", "beneficiaries"] + [f"quantity {c} ({unit})" for c, unit in units.items()] \
        + ["value_rupees", "subsidy_rupees"]

    def row(month: str, name: str, figures: dict) -> list:
        return [safe_cell(month), safe_cell(name), figures["beneficiaries"]] \
            + [format_quantity(figures["quantities"].get(c, 0)) for c in units] \
            + [format_money(figures["value"]), format_money(figures["subsidy"])]
    covered = f"{names.month(claims['first_month'], lang)} – {names.month(claims['last_month'], lang)}"
    rows = [row(r["month"], names.month(r["month"], lang), r) for r in claims["months"]] \
        + [row("TOTAL", covered, claims["totals"])]
    if claims.get("outside_scheme"):  # after the figures, so every month stays in its row
        rows.append(_outside_scheme_line(claims, scheme, len(header), lang, (OUTSIDE_ENDED, OUTSIDE_OPEN),
                                         year=claims["year"]))
    return csv_text([safe_cell(h) for h in header], rows)


def csv_name(claim: dict) -> str:
    """The CSV's file name; this month's ends "-so-far" (figures until now), a finished month's keeps its name."""
    return f"subsidy-claims-{claim['scheme']}-{claim['month']}{'-so-far' if claim['so_far'] else ''}.csv"


CORRECTION = N_("{district}: returns (correction)")
MONTH_OUTSIDE_ENDED = N_("{scheme} did not run in {month} (it ran from {valid_from} to {valid_to}): these figures are "
                        "only what was handed over or came back in it of requests priced under it.")
MONTH_OUTSIDE_OPEN = N_("{scheme} did not run in {month} (it runs from {valid_from}, with no last day set): these "
                       "figures are only what was handed over or came back in it of requests priced under it.")


def as_csv(claim: dict, lang: str | None = None, categories: dict | None = None, scheme: dict | None = None) -> str:
    """The claim as CSV: one row per district, a correction row per district for the month's returns (said in `lang`),
    a total row net of them; cells a spreadsheet never runs. The columns: district, beneficiaries, a quantity per
    category (`categories`: csv_categories, the same every month of the scheme, an empty month's too; the module
    docstring says why), value_rupees, subsidy_rupees. A month the scheme did not run in (`outside_scheme`)
    ends with a line marked OUTSIDE_SCHEME saying so in `lang` (naming `scheme`), as the year's does: a month it ran
    in is as it always was."""
    units = _categories(claim, categories)
    header = ["district", "beneficiaries"] + [f"quantity {c} ({unit})" for c, unit in units.items()] \
        + ["value_rupees", "subsidy_rupees"]

    def row(district: str, figures: dict) -> list:
        return [safe_cell(district), figures["beneficiaries"]] \
            + [format_quantity(figures["quantities"].get(c, 0)) for c in units] \
            + [format_money(figures["value"]), format_money(figures["subsidy"])]
    rows = [row(r["district"], r) for r in claim["rows"]] \
        + [row(translate(CORRECTION, lang, district=r["district"]), {**r, "beneficiaries": ""})
           for r in claim.get("corrections") or ()] + [row("TOTAL", claim["totals"])]
    if claim.get("outside_scheme"):  # after the figures, so every district stays in its row
        rows.append(_outside_scheme_line(claim, scheme, len(header), lang, (MONTH_OUTSIDE_ENDED, MONTH_OUTSIDE_OPEN),
                                         month=names.month(claim["month"], lang)))
    return csv_text([safe_cell(h) for h in header], rows)


def _outside_scheme_line(answer: dict, scheme: dict | None, width: int, lang: str, texts: tuple[str, str],
                         **when) -> list[str]:
    """The CSV's last line of a month or year the scheme did not run in: OUTSIDE_SCHEME, then in `lang` when it ran
    (`texts`: the words for a scheme that ended, and for one still open) and `when` (the month or year asked); the
    scheme named as the pages' |scheme does, by its record `scheme` (its code alone without it)."""
    runs = answer["scheme_runs"]
    named = names.named_with_code(scheme, answer["scheme"], lang)
    said = translate(texts[0] if runs["valid_to"] else texts[1], lang, scheme=named, **when,
                     **{key: names.day(runs[key], lang) for key in ("valid_from", "valid_to")})
    return ["OUTSIDE_SCHEME", safe_cell(said)] + [""] * (width - 2)
