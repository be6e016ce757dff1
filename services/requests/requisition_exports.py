"""Requisitions as CSV for a spreadsheet: one row per line of each member's share (a single artisan's requisition is
one share), names in the asker's language, times in India (+05:30)."""
from __future__ import annotations

from services.requests import materials, parties
from services.requests.words import STATUSES
from shared import names
from shared.i18n import translate
from shared.money import format_money
from shared.names import in_india
from shared.quantity import format_quantity
from shared.spreadsheet import csv_text, safe_cell

MAX_ROWS = 10_000  # requisitions in one export; a list never loads the whole collection
HEADER = ("requisition_id", "created_at_ist", "status", "status_text", "artisan_id", "artisan_name", "cooperative",
          "depot", "sku", "material", "quantity", "unit", "amount_rupees", "waitlist_position", "note")


def as_csv(db, rows: list[dict], lang: str) -> str:
    """Each line of each share of each requisition (as `requisitions.search` gives them, so a member has only their
    own share); no cell is ever read as a formula.

    A cooperative's requisition is a row per line of each member's share, under that member, with what it costs
    them: one row under its first member with every member's quantity and money credited that member with all of it
    when a spreadsheet summed by artisan. A single artisan's requisition has the one share of its own lines.
    """
    known = materials.by_sku(db, {line["sku"] for row in rows for line in row["lines"]})
    people = {doc["_id"]: doc for doc in db.artisans.find(
        {"_id": {"$in": sorted({share["artisan_id"] for row in rows for share in parties.of(row)})}},
        {"name": 1, "name_hi": 1}).limit(MAX_ROWS)}

    def name(doc: dict | None, fallback: str) -> str:
        return names.named(doc, fallback, lang)

    def lines(row: dict):
        for share in parties.of(row):
            amounts = {}  # what the share's lines cost, by material (one price line per material, summed if more)
            for line in (share.get("pricing") or {}).get("lines", []):
                amounts[line["sku"]] = amounts.get(line["sku"], 0) + line["amount"]
            for line in share["lines"]:
                amount = amounts.get(line["sku"])
                yield [safe_cell(row["_id"]), in_india(row["created_at"]), row["status"],
                       safe_cell(translate(STATUSES.get(row["status"], row["status"]), lang)),
                       safe_cell(share["artisan_id"]), safe_cell(name(people.get(share["artisan_id"]),
                                                                      share["artisan_id"])),
                       safe_cell(row.get("cooperative") or ""), safe_cell(row["depot"]), safe_cell(line["sku"]),
                       safe_cell(name(known.get(line["sku"]), line["sku"])), format_quantity(line["quantity"]),
                       safe_cell(line.get("unit") or ""), format_money(amount) if amount is not None else "",
                       row.get("waitlist_position") or "", safe_cell(row.get("note") or "")]
    return csv_text(HEADER, [line for row in rows for line in lines(row)])
