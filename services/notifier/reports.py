"""The department's reports, read from the report models: where material went, to whom, what was not met,
and how cooperatives use the bank. Each takes a month (India's calendar)."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from services.notifier import projections
from services.notifier.errors import MonthNotBegun
from shared.calendar import month_of
from shared.districts import depot_districts
from shared.text import plain_name, spellings

DISTRIBUTION_GROUPS = ("district", "depot", "material", "cooperative")
BENEFICIARY_GROUPS = ("social_category", "gender", "bpl")
UNMET_GROUPS = ("depot_material",)  # the one grouping each of these two has: `group_by` says so, never ignored
COOPERATIVE_GROUPS = ("cooperative",)
#: report -> the groupings it offers (the first, its default)
GROUPINGS = {"distribution": DISTRIBUTION_GROUPS, "beneficiaries": BENEFICIARY_GROUPS,
             "unmet-demand": UNMET_GROUPS, "cooperatives": COOPERATIVE_GROUPS}
NONE = "-"  # a share whose district or cooperative, or an artisan whose category, is not known


def build(db, name: str, query: dict, now: datetime) -> dict:
    """One report for the month (this month by default; one not begun is refused) and grouping asked for."""
    month = query.get("month") or month_of(now)
    if month > month_of(now):
        raise MonthNotBegun({"month": month})
    if name == "distribution":
        return distribution(db, month, query["group_by"])
    if name == "beneficiaries":
        return beneficiaries(db, month, query["group_by"])
    if name == "unmet-demand":
        return {**unmet_demand(db, month, now), "group_by": UNMET_GROUPS[0]}
    return {**cooperatives(db, month), "group_by": COOPERATIVE_GROUPS[0]}


def _row() -> dict:
    return {"quantities": defaultdict(int), "value": 0, "subsidy": 0, "artisans": set(), "requisitions": set()}


def _add(row: dict, doc: dict, lines) -> None:
    for line in lines:
        row["quantities"][line["sku"]] += line["quantity"]
        row["value"] += line["value"]
        row["subsidy"] += line["subsidy"]
    row["artisans"].add(doc["artisan_id"])
    row["requisitions"].add(doc["requisition_id"])


def _finished(groups: dict) -> list[dict]:
    return [{"group": key, "quantities": dict(row["quantities"]), "value": row["value"], "subsidy": row["subsidy"],
             "artisans": len(row["artisans"]), "requisitions": len(row["requisitions"])}
            for key, row in sorted(groups.items(), key=lambda item: (-item[1]["value"], str(item[0])))]


def _totals(docs: list[dict]) -> dict:
    total = _row()
    for doc in docs:
        _add(total, doc, doc["lines"])
    return _finished({"total": total})[0] if docs else {"group": "total", "quantities": {}, "value": 0, "subsidy": 0,
                                                           "artisans": 0, "requisitions": 0}


def distribution(db, month: str, group_by: str) -> dict:
    """Material handed over in the month, per district, depot, material or cooperative: quantities per
    material, value at the mill-gate price, subsidy, artisans and requisitions served; and what came back with a
    credit note in the month (`returns`, the same figures: whose shares and requests), wherever it was handed over,
    and the month's figures net of it (`net`: handed over less returned)."""
    docs = list(db.report_dispatches.find({"month": month}))
    back = list(db.report_returns.find({"month": month}))
    districts = _district_names(db, docs + back) if group_by == "district" else {}
    handed, returns = _grouped(docs, group_by, districts), _totals(back)
    totals = _totals(docs)
    return {"month": month, "group_by": group_by, "rows": _finished(handed), "totals": totals,
            "returns": {"rows": _finished(_grouped(back, group_by, districts)), "totals": returns},
            "net": _net(totals, returns), "units": _units(db, docs + back)}


def _net(totals: dict, returns: dict) -> dict:
    """Handed over less returned in the month: each material's quantity, the value and the subsidy."""
    return {"quantities": {sku: totals["quantities"].get(sku, 0) - returns["quantities"].get(sku, 0)
                           for sku in sorted(set(totals["quantities"]) | set(returns["quantities"]))},
            "value": totals["value"] - returns["value"], "subsidy": totals["subsidy"] - returns["subsidy"]}


def _grouped(docs: list[dict], group_by: str, districts: dict) -> dict:
    """Shares (handed over, or come back) per group."""
    groups: dict = defaultdict(_row)
    for doc in docs:
        if group_by == "material":
            for line in doc["lines"]:
                _add(groups[line["sku"]], doc, [line])
        elif group_by == "district":
            _add(groups[districts.get(plain_name(doc.get("district") or "")) or NONE], doc, doc["lines"])
        else:
            _add(groups[doc.get(group_by) or NONE], doc, doc["lines"])
    return groups


def _district_names(db, docs: list[dict]) -> dict[str, str]:
    """How each district of `docs` is named in the report, by its plain name: one row whatever the case and spacing
    it was typed with, named as a depot names it, else by its least spelling (as the subsidy claim is)."""
    seen = spellings(doc.get("district") for doc in docs)
    depots = {plain_name(d["district"]): d["district"] for d in db.depots.find({}, {"district": 1}) if d.get("district")}
    return {key: depots.get(key, shown) for key, shown in seen.items()}


def beneficiaries(db, month: str, group_by: str) -> dict:
    """The artisans served in the month, per social category, gender or BPL status (as the department
    recorded them), with what they received; and, as the distribution report has them, what came back with a
    credit note in the month (`returns`, per the returning artisan's group) and the month's figures net of it
    (`net`), so its quantities, value and subsidy agree with the distribution's and the subsidy claim's."""
    docs = list(db.report_dispatches.find({"month": month}))
    back = list(db.report_returns.find({"month": month}))
    people = projections.artisans(db, [d["artisan_id"] for d in docs + back])

    def grouped(shares: list[dict]) -> dict:
        groups: dict = defaultdict(_row)
        for doc in shares:
            value = (people.get(doc["artisan_id"]) or {}).get(group_by)
            key = NONE if value is None else ("yes" if value is True else "no" if value is False else value)
            _add(groups[key], doc, doc["lines"])
        return groups
    totals, returns = _totals(docs), _totals(back)
    return {"month": month, "group_by": group_by, "rows": _finished(grouped(docs)), "totals": totals,
            "returns": {"rows": _finished(grouped(back)), "totals": returns}, "net": _net(totals, returns),
            "units": _units(db, docs + back)}


def unmet_demand(db, month: str, now: datetime) -> dict:
    """Per material and depot: what waited for stock (and for how many days) or was refused in the month. The
    totals add quantities per unit (`by_unit`: kilograms and pieces are never added together), count each
    requisition once however many of its materials waited or were refused, and its days waited from its first wait."""
    entries = list(db.report_unmet.find({"month": month}))
    ended = {d["_id"]: d["at"] for d in db.report_ended.find({"_id": {"$in": sorted({e["requisition_id"]
                                                                                     for e in entries})}})}
    units = _units(db, entries)
    rows: dict = {}
    by_unit: dict = {}
    first_wait: dict = {}  # requisition -> when it first waited in the month's entries
    refused = set()
    for entry in entries:
        row = rows.setdefault((entry["depot"], entry["sku"]), {
            "depot": entry["depot"], "sku": entry["sku"], "waitlisted": 0, "waitlisted_requisitions": 0,
            "refused": 0, "refused_requisitions": 0, "still_waiting": 0, "days": []})
        row[entry["kind"]] += entry["quantity"]
        row[f"{entry['kind']}_requisitions"] += 1
        by_unit.setdefault(units.get(entry["sku"], ""), {"waitlisted": 0, "refused": 0})[entry["kind"]] += \
            entry["quantity"]
        if entry["kind"] == "waitlisted":
            until = ended.get(entry["requisition_id"])
            row["still_waiting"] += until is None
            row["days"].append(_days(entry["since"], until or now))
            first_wait[entry["requisition_id"]] = min(entry["since"], first_wait.get(entry["requisition_id"],
                                                                                    entry["since"]))
        else:
            refused.add(entry["requisition_id"])
    out = []
    for row in sorted(rows.values(), key=lambda r: (-(r["waitlisted"] + r["refused"]), r["depot"], r["sku"])):
        days = row.pop("days")
        out.append({**row, **_waits(days)})
    waits = [_days(since, ended.get(rid) or now) for rid, since in first_wait.items()]
    # one unit (or none: nothing waited): its sums are the month's, as before; of several units there is no one sum
    [alone] = by_unit.values() if len(by_unit) == 1 else [None] if by_unit else [{"waitlisted": 0, "refused": 0}]
    totals = {"by_unit": {unit: by_unit[unit] for unit in sorted(by_unit)},
              "waitlisted": alone and alone["waitlisted"], "refused": alone and alone["refused"],
              "waitlisted_requisitions": len(first_wait), "refused_requisitions": len(refused),
              "still_waiting": sum(rid not in ended for rid in first_wait), **_waits(waits)}
    return {"month": month, "rows": out, "totals": totals, "units": units}


def _days(since: datetime, until: datetime) -> float:
    return max((until - since).total_seconds(), 0) / 86400


def _waits(days: list[float]) -> dict:
    return {"days_waited_average": round(sum(days) / len(days), 1) if days else None,
            "days_waited_longest": round(max(days), 1) if days else None}


def cooperatives(db, month: str) -> dict:
    """Per cooperative: active (material handed to a member in the month) or dormant, what its members took
    (`offtake`: `handed_over` in the month less what members brought back with a credit note in the month,
    `returned`, as the distribution report nets them) and that per loom of its active members (to the nearest
    thousandth, a half up), and how many of the shares received in the month their members confirmed or reported
    short; and how many of the shares handed over in the month the secretary has not marked received yet (so no
    member was asked about them: `not_received`). A cooperative's district is also given as a depot of it names it in
    Hindi (`district_hi`, None where none does), as its name is (`name_hi`)."""
    codes = {c["_id"]: c for c in db.cooperatives.find()}
    docs = list(db.report_dispatches.find({"month": month, "cooperative": {"$ne": None}}))
    back = list(db.report_returns.find({"month": month, "cooperative": {"$ne": None}}))
    answers = list(db.shares.find({"month": month}))
    # a member is asked about a share once the secretary marks it received, in whatever month that is
    asked_ever = {doc["_id"] for doc in db.shares.find({"_id": {"$in": [d["_id"] for d in docs]}}, {"_id": 1})}
    codes.update({code: {"_id": code} for code in {d["cooperative"] for d in docs + back} | {a["cooperative"]
                                                                                            for a in answers}
                  if code not in codes})
    in_hindi = depot_districts(db).in_hindi
    members = defaultdict(list)
    for artisan in db.artisans.find({"cooperative": {"$in": sorted(codes)}, "active": {"$ne": False}},
                                    {"cooperative": 1, "looms": 1}):
        members[artisan["cooperative"]].append(artisan)
    rows = []
    for code, coop in sorted(codes.items()):
        handed, returned = defaultdict(int), defaultdict(int)
        for doc in (d for d in docs if d["cooperative"] == code):
            for line in doc["lines"]:
                handed[line["sku"]] += line["quantity"]
        for doc in (d for d in back if d["cooperative"] == code):
            for line in doc["lines"]:
                returned[line["sku"]] += line["quantity"]
        taken = {sku: handed.get(sku, 0) - returned.get(sku, 0) for sku in sorted(set(handed) | set(returned))}
        looms = sum(m.get("looms") or 0 for m in members[code])
        asked = [a for a in answers if a["cooperative"] == code]
        counted = {status: sum(a["status"] == status for a in asked) for status in ("confirmed", "short", "pending")}
        rows.append({"cooperative": code, "name": coop.get("name"), "name_hi": coop.get("name_hi"),
                     "district": coop.get("district"),
                     "district_hi": in_hindi(coop["district"]) if coop.get("district") else None,
                     "active": bool(handed), "members": len(members[code]),
                     "looms": looms, "handed_over": dict(handed), "returned": dict(returned), "offtake": taken,
                     "per_loom": {sku: (2 * q + looms) // (2 * looms) for sku, q in taken.items()} if looms else {},
                     "shares": len(asked), **counted,
                     "not_received": sum(d["_id"] not in asked_ever for d in docs if d["cooperative"] == code),
                     "confirmation_rate": round(counted["confirmed"] / len(asked), 4) if asked else None})
    return {"month": month, "rows": rows, "totals": {"active": sum(r["active"] for r in rows),
                                                     "dormant": sum(not r["active"] for r in rows),
                                                     "shares": sum(r["shares"] for r in rows),
                                                     "confirmed": sum(r["confirmed"] for r in rows),
                                                     "short": sum(r["short"] for r in rows),
                                                     "not_received": sum(r["not_received"] for r in rows)},
            "units": _units(db, docs + back)}


def _units(db, docs) -> dict:
    """The unit of every material the report names; "" for one the notifier has not heard of yet."""
    skus = {line["sku"] for doc in docs for line in doc.get("lines", ())} | {doc["sku"] for doc in docs if "sku" in doc}
    known = projections.materials(db, skus)
    return {sku: (known.get(sku) or {}).get("unit", "") for sku in sorted(skus)}
