"""Inventory pages for stock: a depot's stock searched, filtered and paged (with CSV and print), a material's stock
card, and the movement ledger searched by words and dates."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from services.inventory import domain, ledger, people, stock_lists, suppliers
from services.inventory.catalog import material_or_error
from services.inventory.pages import CATEGORIES, depot_of, materials
from shared.i18n import language
from shared.lists import day_range, pager, search_text
from shared.pages import page, staff_named
from shared.web import db

blp = Blueprint("inventory_stock", __name__, template_folder="templates")
LEVEL_FILTERS = {"short": (domain.LOW, domain.DEPLETED), "depleted": (domain.DEPLETED,)}


@blp.get("/warehouse/stock")
@page("warehouse", "admin")
def stock(principal):
    """Stock of every active material at one depot (those never stocked there at 0), running-out ones first,
    searched and filtered a page at a time."""
    code, depots = depot_of(principal)
    keep = {"q": search_text(), "category": request.args.get("category", ""), "level": request.args.get("level", "")}
    keep = {"q": keep["q"], "category": keep["category"] if keep["category"] in CATEGORIES else "",
            "level": keep["level"] if keep["level"] in LEVEL_FILTERS else ""}
    query = stock_lists.stock_query(db(), depot=code, q=keep["q"], category=keep["category"] or None,
                                    levels=LEVEL_FILTERS.get(keep["level"])) if code else None
    stocked = db().stock.count_documents(query) if code else 0
    unstocked = stock_lists.unstocked(db(), code, query) if code else []  # listed at 0, as "what to order" does
    paging = pager(stocked + len(unstocked))
    rows = stock_lists.merged_page(db(), query, unstocked, skip=paging.skip, limit=paging.size,
                                   level_first="level" not in query) if code else []
    return render_template("inventory/stock.html", rows=rows, depot=code, depots=depots, materials=materials(),
                           paging=paging, keep=keep, categories=CATEGORIES, filtered=any(keep.values()))


@blp.get("/warehouse/stock/<sku>")
@page("warehouse", "admin")
def stock_card(principal, sku):
    """One material at the depot at a glance: figures, lots, holds, the waiting list and its latest movements."""
    code, depots = depot_of(principal)
    material = material_or_error(db(), sku, not_found=True)
    card = stock_lists.stock_card(db(), code, sku) if code else None
    ids = [row["artisan_id"] for row in (card["holds"] + card["waiting"])] if card else []
    return render_template("inventory/stock_card.html", card=card, material=material, depot=code, depots=depots,
                           people=people.who(db(), ids), keep={}, max_sources=stock_lists.MAX_SOURCES,
                           supplier_names=suppliers.names(db(), [r.get("supplier") for r in card["movements"]] +
                                                          [name for lot in card["stock"]["lots"]
                                                           for name in lot["suppliers"]] if card else [],
                                                          language()),
                           cooperatives=people.cooperatives(db(), [row["cooperative"] for row in
                                                                  (card["holds"] + card["waiting"])] if card else []))


@blp.get("/warehouse/ledger")
@page("warehouse", "admin")
def movement_ledger(principal):
    """The movement ledger, newest first, searched and filtered by material, kind and days, a page at a time."""
    code, depots = depot_of(principal)
    errors: dict = {}
    since, until = day_range(errors)
    keep = {"sku": request.args.get("sku", ""), "type": request.args.get("type", ""), "q": search_text(),
            "from": request.args.get("from", "") if since else "", "to": request.args.get("to", "") if until else ""}
    keep["type"] = keep["type"] if keep["type"] in domain.MOVEMENT_TYPES else ""
    query = ledger.movements_query(depot=code, sku=keep["sku"] or None, type_=keep["type"] or None, since=since,
                                   until=until, words=keep["q"] or None)
    paging = pager(ledger.count(db(), query) if code else 0)
    rows = ledger.page(db(), query, paging.size, skip=paging.skip) if code else []
    staff_named(r.get("by") for r in rows)
    return render_template("inventory/ledger.html", rows=rows, paging=paging, depot=code, depots=depots,
                           materials=materials(), keep=keep, errors=errors, types=domain.MOVEMENT_TYPES,
                           supplier_names=suppliers.names(db(), [r.get("supplier") for r in rows], language()),
                           filtered=any(keep.values()))
