"""Inventory pages: stock at a depot, movements, hand-overs ready to dispatch, the ledger, the catalog."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l

from services.inventory import catalog, domain, ledger, prices, queries
from shared.calendar import today
from shared.pages import page
from shared.web import db

blp = Blueprint("inventory_pages", __name__, template_folder="templates", static_folder="static",
                static_url_path="/static/inventory")
LEVEL_ORDER = {domain.DEPLETED: 0, domain.LOW: 1, domain.OK: 2}
PAGE_SIZE = 50
LEVELS = {domain.OK: _l("Enough"), domain.LOW: _l("Running low"), domain.DEPLETED: _l("None left")}
MOVEMENTS = {"receipt": _l("Received"), "adjustment": _l("Adjusted"), "transfer": _l("Transfer"),
             "reservation": _l("Set aside"), "release": _l("Released"), "issue": _l("Handed over")}
REASONS = {"count": _l("Stock count difference"), "damage": _l("Damaged"), "expiry": _l("Expired"),
           "theft": _l("Lost or stolen"), "correction": _l("Correction of an earlier entry")}
UNITS = {"kg": _l("kg"), "g": _l("g"), "m": _l("m"), "litre": _l("litre"), "piece": _l("piece")}
CATEGORIES = {"yarn": _l("Yarn"), "fibre": _l("Fibre"), "dye": _l("Dye"), "metal": _l("Metal"), "wood": _l("Wood"),
              "clay": _l("Clay"), "chemical": _l("Chemical"), "packaging": _l("Packaging"), "other": _l("Other")}
ZONES = {"plain": _l("Plains"), "hill": _l("Hills"), "north_east": _l("North-east"), "island": _l("Islands")}
LABELS = {"unit": UNITS, "category": CATEGORIES, "zone": ZONES}  # page filters every service's templates use

HOME = {"warehouse": "/warehouse/stock"}
MENU = {"warehouse": ((10, "/warehouse/stock", _l("Stock")), (20, "/warehouse/movements", _l("Receive, adjust, transfer")),
                      (30, "/warehouse/dispatch", _l("Dispatch")), (40, "/warehouse/ledger", _l("Ledger"))),
        "admin": ((40, "/admin/catalog", _l("Catalog and depots")), (45, "/admin/prices", _l("Prices")),
                  (50, "/warehouse/stock", _l("Stock")),
                  (60, "/warehouse/ledger", _l("Ledger")))}


@blp.context_processor
def _labels() -> dict:
    return {"levels": LEVELS, "movement_types": MOVEMENTS, "reason_labels": REASONS}


def _depot(principal) -> tuple[str | None, list[dict]]:
    """Warehouse staff work at their depot; admins choose one (the first by default)."""
    depots = catalog.list_depots(db(), limit=200)
    if principal.role == "warehouse" and principal.depot:
        return principal.depot, depots
    codes = [d["code"] for d in depots]
    wanted = request.args.get("depot")
    return (wanted if wanted in codes else (codes[0] if codes else None)), depots


def _materials() -> dict:
    return {m["_id"]: m for m in catalog.list_materials(db(), limit=500)}


@blp.get("/warehouse/stock")
@page("warehouse", "admin")
def stock(principal):
    """Stock of every material at one depot, running-out ones first."""
    code, depots = _depot(principal)
    rows = queries.list_stock(db(), depot=code, limit=500) if code else []
    rows.sort(key=lambda s: (LEVEL_ORDER.get(s["level"], 3), s["sku"]))
    return render_template("inventory/stock.html", rows=rows, depot=code, depots=depots, materials=_materials())


@blp.get("/warehouse/movements")
@page("warehouse", "admin")
def movements(principal):
    code, depots = _depot(principal)
    return render_template("inventory/movements.html", depot=code, depots=depots,
                           materials=list(_materials().values()), reasons=domain.ADJUSTMENT_REASONS)


@blp.get("/warehouse/dispatch")
@page("warehouse", "admin")
def dispatch(principal):
    """Requisitions whose every line is held at the depot: ready to hand over."""
    code, depots = _depot(principal)
    ready = queries.ready_to_dispatch(db(), code) if code else []
    return render_template("inventory/dispatch.html", ready=ready, depot=code, depots=depots,
                           materials=_materials())


@blp.get("/warehouse/ledger")
@page("warehouse", "admin")
def movement_ledger(principal):
    """The movement ledger, newest first, filtered, a page at a time, with a CSV download."""
    code, depots = _depot(principal)
    filters = {"sku": request.args.get("sku") or None, "type_": request.args.get("type") or None}
    if filters["type_"] not in (None, *domain.MOVEMENT_TYPES):
        filters["type_"] = None
    query = ledger.movements_query(depot=code, before=request.args.get("after") or None, **filters)
    rows = ledger.page(db(), query, PAGE_SIZE + 1)
    more = rows[PAGE_SIZE - 1]["_id"] if len(rows) > PAGE_SIZE else None
    return render_template("inventory/ledger.html", rows=rows[:PAGE_SIZE], more=more, depot=code, depots=depots,
                           materials=_materials(), sku=filters["sku"] or "", type=filters["type_"] or "",
                           types=domain.MOVEMENT_TYPES)


@blp.get("/admin/catalog")
@page("admin")
def catalog_page(principal):
    return render_template("inventory/catalog.html", materials=list(_materials().values()),
                           depots=catalog.list_depots(db(), limit=200), categories=CATEGORIES, units=UNITS, zones=ZONES)


@blp.get("/admin/prices")
@page("admin")
def price_list(principal):
    """Each material's price today and its history, with a form to set a new price."""
    rows = [{"material": prices.with_price(m), "history": prices.history_of(m)[:5]}
            for m in _materials().values()]
    return render_template("inventory/prices.html", rows=rows, today=today())
