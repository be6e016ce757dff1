"""The collections register: every payment taken, reversed or refunded, day by day, for the accounts officer.

There is no register of its own to keep in step: the artisans' accounts are the book (each payment, reversal and
refund is an entry written with the account's change, `accounts.py`), and the register reads them. A row is one
entry: a `payment` (money taken: cash, UPI or an advance), a `reversal` (an admin took a payment back; its method is
the payment's) or a `refund` (money handed back from an artisan's credit). Each is on India's day it was written,
and at the depot of the requisition it was for; a refund hands back what was paid on requisitions, and one that drew
on requisitions of two depots is a row at each, for what it took of each (so the depots' totals add up to the
whole). Totals are of the whole filter, not of the page: what was received, reversed and refunded, and what is left
(`net`: received less reversed and refunded), per kind, per method and per depot.

`rawbank reconcile` holds the register to the accounts: its totals for each month, read as an accounts officer
reads them (`register`), equal the entries summed straight from the accounts' facts (`reconcile_money`).
"""
from __future__ import annotations

from datetime import datetime

from services.requests import artisans
from services.requests.errors import NotYourDepot
from shared import names
from shared.auth import Principal
from shared.calendar import day_of
from shared.i18n import N_, translate
from shared.money import format_money
from shared.names import in_india
from shared.spreadsheet import csv_text, safe_cell

KINDS = {"payment": "payment", "payment_reversal": "reversal", "refund": "refund"}  # entry type -> kind
METHODS = ("cash", "upi", "advance")
SIGN = {"payment": 1, "reversal": -1, "refund": -1}  # what a row does to the money in hand
WORDS = {"payment": N_("Payment"), "reversal": N_("Payment reversed"), "refund": N_("Refund"),
         "cash": N_("Cash"), "upi": N_("UPI"), "advance": N_("Advance")}  # as the account page says them
UNKNOWN_DEPOT = "-"  # a requisition requests does not know (never expected; reconcile would say so)


def scope(principal: Principal, depot: str | None) -> str | None:
    """The depot a caller's register is narrowed to: a depot's warehouse staff see their own depot's only (asked for
    another, refused, never answered with theirs as if it were the one asked); admins and central staff choose."""
    if principal.asks_another_depot(depot):
        raise NotYourDepot({"your_depot": principal.works_at, "depot": depot})
    return principal.works_at or depot or None


def register(db, *, first: str | None = None, last: str | None = None, method: str | None = None,
             depot: str | None = None, kind: str | None = None) -> list[dict]:
    """The rows of India's days `first` to `last` (both included; None: open), oldest first, narrowed by method,
    depot and kind."""
    months = {k: v for k, v in (("$gte", first and first[:7]), ("$lte", last and last[:7])) if v}
    query = {"entries.month": months} if months else {}  # what no month of the days holds is not read
    found, rids = [], set()
    for doc in db.accounts.find(query, {"entries": 1}):
        for entry in doc.get("entries", ()):
            if entry["type"] not in KINDS:
                continue
            day = day_of(datetime.fromisoformat(entry["at"]))
            if (first and day < first) or (last and day > last) or (method and entry["method"] != method) \
                    or (kind and KINDS[entry["type"]] != kind):
                continue
            found.append((doc["_id"], day, entry))
            rids.update(entry["requisitions"] if entry["type"] == "refund" else [entry["requisition_id"]])
    depots = {d["_id"]: d.get("depot") for d in db.requisitions.find({"_id": {"$in": sorted(rids)}}, {"depot": 1})}
    rows = [row for artisan_id, day, entry in found for row in _rows(artisan_id, day, entry, depots)
            if depot in (None, row["depot"])]
    return sorted(rows, key=lambda row: (row["at"], row["id"]))


def _rows(artisan_id: str, day: str, entry: dict, depots: dict) -> list[dict]:
    kind = KINDS[entry["type"]]
    row = {"kind": kind, "at": entry["at"], "day": day, "artisan_id": artisan_id, "method": entry["method"],
           "reference": entry["reference"], "by": entry["by"], "reason": entry.get("reason")}
    if kind != "refund":
        return [{**row, "id": entry["id"], "amount": abs(entry["amount"]), "net": SIGN[kind] * abs(entry["amount"]),
                 "requisition_id": entry["requisition_id"], "payment_id": entry.get("payment_id"),
                 "depot": depots.get(entry["requisition_id"]) or UNKNOWN_DEPOT}]
    by_depot: dict[str, dict[str, int]] = {}
    for rid, amount in entry["requisitions"].items():
        by_depot.setdefault(depots.get(rid) or UNKNOWN_DEPOT, {})[rid] = amount
    return [{**row, "id": entry["id"] if len(by_depot) == 1 else f"{entry['id']}@{depot}",
             "amount": sum(drawn.values()), "net": -sum(drawn.values()), "requisition_id": None,
             "requisitions": drawn, "depot": depot} for depot, drawn in sorted(by_depot.items())]


def _figures() -> dict:
    return {"count": 0, "received": 0, "reversed": 0, "refunded": 0, "net": 0}


def _add(figures: dict, row: dict) -> None:
    figures["count"] += 1
    figures[{"payment": "received", "reversal": "reversed", "refund": "refunded"}[row["kind"]]] += row["amount"]
    figures["net"] += row["net"]


def totals(rows: list[dict]) -> dict:
    """The whole filter's figures (count, received, reversed, refunded, net), and the same per kind (with its
    `amount`), per method and per depot."""
    whole, by_kind, by_method, by_depot = _figures(), {}, {}, {}
    for row in rows:
        _add(whole, row)
        _add(by_kind.setdefault(row["kind"], _figures()), row)
        _add(by_method.setdefault(row["method"], _figures()), row)
        _add(by_depot.setdefault(row["depot"], _figures()), row)
    for figures in by_kind.values():
        figures["amount"] = figures["received"] + figures["reversed"] + figures["refunded"]
    order = {kind: i for i, kind in enumerate(SIGN)}
    return {**whole, "by_kind": dict(sorted(by_kind.items(), key=lambda item: order[item[0]])),
            "by_method": dict(sorted(by_method.items(), key=lambda item: (item[0] not in METHODS, item[0]))),
            "by_depot": dict(sorted(by_depot.items()))}


def named(db, rows: list[dict]) -> list[dict]:
    """The rows with each artisan's name and name_hi (as the artisan directory shows them)."""
    people = {doc["_id"]: doc for doc in db.artisans.find(
        {"_id": {"$in": sorted({row["artisan_id"] for row in rows})}}, artisans.PUBLIC)}
    return [{**row, "artisan_name": people.get(row["artisan_id"], {}).get("name"),
             "artisan_name_hi": people.get(row["artisan_id"], {}).get("name_hi")} for row in rows]


HEADER = ("kind", "kind_text", "at_ist", "day", "amount_rupees", "net_rupees", "method", "method_text", "reference",
          "artisan_id", "artisan_name", "requisition_id", "depot", "by", "reason", "entry_id")


def as_csv(rows: list[dict], lang: str) -> str:
    """Every row, oldest first, times in India (+05:30), texts in the asker's language; no cell is ever read as a
    formula."""
    def name(row):
        return names.named(row, "", lang, field="artisan_name")
    return csv_text(HEADER, ([row["kind"], safe_cell(translate(WORDS[row["kind"]], lang)), in_india(row["at"]),
                              row["day"], format_money(row["amount"]), format_money(row["net"]), row["method"],
                              safe_cell(translate(WORDS.get(row["method"], row["method"]), lang)),
                              safe_cell(row["reference"]), safe_cell(row["artisan_id"]), safe_cell(name(row)),
                              safe_cell(row.get("requisition_id") or ",".join(sorted(row.get("requisitions", {})))),
                              safe_cell(row["depot"]), safe_cell(row["by"]), safe_cell(row.get("reason") or ""),
                              safe_cell(row["id"])] for row in rows))


def csv_name(query: dict, depot: str | None) -> str:
    """collections[-<from>][-<to>][-<depot>][-<method>][-<kind>].csv: what the file holds, in its name."""
    parts = [query.get("first"), query.get("last"), depot, query.get("method"), query.get("kind")]
    return "-".join(["collections", *(p for p in parts if p)]) + ".csv"


def reconcile_facts(db) -> dict:
    """What the register says for each month an entry was written in: month -> kind -> method -> depot -> paise."""
    months = sorted({entry["month"] for doc in db.accounts.find({}, {"entries.month": 1})
                     for entry in doc.get("entries", ()) if entry.get("month")})
    facts: dict = {}
    for month in months:
        for row in register(db, first=f"{month}-01", last=f"{month}-31"):
            at = facts.setdefault(month, {}).setdefault(row["kind"], {}).setdefault(row["method"], {})
            at[row["depot"]] = at.get(row["depot"], 0) + row["amount"]
    return facts
