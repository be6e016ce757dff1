"""Inventory pages for stock quality: lots (hold, release, return, write off) and stock counts (with a printable sheet)."""
from __future__ import annotations

from flask import Blueprint, render_template

from services.inventory import counts, queries
from services.inventory.api_stock import depot_scope
from services.inventory.pages import at_depot, depot_of, known_depots, materials
from shared.lists import pager
from shared.pages import page, staff_named
from shared.web import db

blp = Blueprint("inventory_quality", __name__, template_folder="templates")


@blp.get("/warehouse/lots")
@page("warehouse", "admin")
def lot_list(principal):
    """Every lot at the depot, in the order issues take them, with what may be done to each."""
    code, depots = depot_of(principal)
    rows = []
    for stock in queries.list_stock(db(), depot=code, limit=500) if code else []:
        rows += [{**lot, "sku": stock["sku"]} for lot in queries.get_stock(db(), code, stock["sku"])["lots"]]
    return render_template("inventory/lots.html", rows=rows, depot=code, depots=depots, materials=materials())


@blp.get("/warehouse/counts")
@page("warehouse", "admin")
def count_list(principal):
    """The depot's counts, newest first, a page at a time."""
    code, depots = depot_of(principal)
    paging = pager(counts.count(db(), depot=code) if code else 0)
    found = counts.find(db(), depot=code, skip=paging.skip, limit=paging.size) if code else []
    staff_named(c.get("created_by") for c in found)
    return render_template("inventory/counts.html", counts=found, depot=code, depots=depots, paging=paging)


def _count(principal, count_id: str) -> dict:
    doc = counts.view(counts.get(db(), count_id, depot=depot_scope()))  # another depot's: not found, as in the API
    known_depots()  # the depot named in the page's language
    at_depot(principal, doc["depot"])
    counted = {(line["sku"], line["lot"]): line for line in doc["lines"]}
    sheet = [{**row, "line": counted.pop((row["sku"], row["lot"]), None)} for row in doc["sheet"]]
    sheet += [{"sku": sku, "lot": lot, "book": line["book"], "line": line} for (sku, lot), line in counted.items()]
    return {**doc, "rows": sorted(sheet, key=lambda r: (r["sku"], r["lot"]))}


@blp.get("/warehouse/counts/<count_id>")
@page("warehouse", "admin")
def count_detail(principal, count_id):
    """Enter what was counted, lot by lot; admins see the books beside it and approve."""
    return render_template("inventory/count.html", count=_count(principal, count_id), materials=materials())


@blp.get("/warehouse/counts/<count_id>/sheet")
@page("warehouse", "admin")
def count_sheet(principal, count_id):
    """The count sheet to print and fill in by hand: no book figures on it (a blind count)."""
    return render_template("inventory/count_sheet.html", count=_count(principal, count_id), materials=materials())
