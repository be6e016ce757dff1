"""Inventory pages: what every inventory page shares (labels, the menu, the depot chosen), movements, the catalog and
prices. Stock lists, the stock card and the ledger are in pages_stock.py; hand-overs in pages_dispatch.py."""
from __future__ import annotations

from babel.dates import get_day_names
from flask import Blueprint, g, render_template, request
from flask_babel import lazy_gettext as _l

from services.inventory import (catalog, clock, domain, labels, lot_rules, order_rules, prices, purchase_orders,
                                store)
from services.inventory.errors import DepotNotFound, NotYourDepot
from services.inventory.schemas import WEEKDAYS
from shared.i18n import language, lazy
from shared.lists import pager, search_text
from shared.pages import (NUMBER_LOCALES, keep_in_menu, material_name, page, staff_named, to_depot_choice,
                          to_own_depot)
from shared.web import db

blp = Blueprint("inventory_pages", __name__, template_folder="templates", static_folder="static",
                static_url_path="/static/inventory")
LEVELS = {domain.OK: _l("Enough"), domain.LOW: _l("Running low"), domain.DEPLETED: _l("None left")}
MOVEMENTS = {kind: lazy(text) for kind, text in labels.MOVEMENTS.items()}
RETURN_CONDITIONS = {"restock": _l("Back on the shelf"), "damaged": _l("Damaged: written off"),
                     "short": _l("Did not reach the member")}
REASONS = {reason: lazy(text) for reason, text in labels.REASONS.items()}
UNITS = {"kg": _l("kg"), "g": _l("g"), "m": _l("m"), "litre": _l("litre"), "piece": _l("piece")}
CATEGORIES = {category: lazy(text) for category, text in labels.CATEGORIES.items()}
ORDER_STATUSES = {"draft": _l("Draft"), "sent": _l("Sent"), "partially_received": _l("Partly received"),
                  "received": _l("Received"), "closed": _l("Closed"), "cancelled": _l("Cancelled")}
LOT_STATUSES = {"available": _l("In use"), "on_hold": _l("On hold for inspection"), "expired": _l("Expired")}
COUNT_STATUSES = {"open": _l("Counting"), "submitted": _l("Waiting for approval"), "approving": _l("Being approved"),
                  "approved": _l("Approved"), "cancelled": _l("Cancelled")}
ZONES = {"plain": _l("Plains"), "hill": _l("Hills"), "north_east": _l("North-east"), "island": _l("Islands")}
LABELS = {"unit": UNITS, "category": CATEGORIES, "zone": ZONES, "order_status": ORDER_STATUSES,
          "lot_status": LOT_STATUSES, "count_status": COUNT_STATUSES}  # page filters every service's templates use

HOME = {"warehouse": "/warehouse/stock"}
MENU = {"warehouse": ((10, "/warehouse/stock", _l("Stock")), (20, "/warehouse/movements", _l("Receive, adjust, transfer")),
                      (25, "/warehouse/lots", _l("Lots")), (30, "/warehouse/dispatch", _l("Hand over")),
                      (32, "/warehouse/returns", _l("Returns from artisans")),
                      (35, "/admin/purchase-orders", _l("Purchase orders")), (40, "/warehouse/ledger", _l("Ledger")),
                      (45, "/warehouse/counts", _l("Stock counts")), (48, "/admin/replenishment", _l("What to order"))),
        "admin": ((40, "/admin/catalog", _l("Catalog and depots")), (42, "/admin/suppliers", _l("Suppliers")),
                  (44, "/admin/purchase-orders", _l("Purchase orders")), (45, "/admin/prices", _l("Prices")),
                  (46, "/admin/replenishment", _l("What to order")), (50, "/warehouse/stock", _l("Stock")),
                  (55, "/warehouse/lots", _l("Lots")), (60, "/warehouse/ledger", _l("Ledger")),
                  (62, "/warehouse/returns", _l("Returns from artisans")),
                  (65, "/warehouse/counts", _l("Stock counts")))}
#: the pages that work at one depot, chosen by ?depot= (depot_of): the menu keeps the depot chosen in their links
KEEPS_DEPOT = {path: ("depot",) for path in ("/warehouse/stock", "/warehouse/movements", "/warehouse/lots",
                                             "/warehouse/dispatch", "/admin/purchase-orders", "/warehouse/ledger",
                                             "/warehouse/counts", "/admin/replenishment", "/warehouse/returns")}
#: of those, the pages that open otherwise than on the first depot (every depot's orders; the depot with the most to
#: order): the menu takes them to a depot chosen, never to one a page only fell back on (the first, the busiest)
KEEPS_CHOSEN_DEPOT = {path: ("depot",) for path in ("/admin/purchase-orders", "/admin/replenishment")}


@blp.app_context_processor
def _labels() -> dict:
    return {"levels": LEVELS, "movement_types": MOVEMENTS, "reason_labels": REASONS, "place": place,
            "return_conditions": RETURN_CONDITIONS}


def place(code: str | None) -> str:
    """A depot's name in the page's language (the code when the depot is not known)."""
    if not code:
        return "–"
    return material_name(g.get("depots", {}).get(code), code)


def known_depots() -> list[dict]:
    """The depots, kept for `place` to name them in the page's language."""
    depots = catalog.list_depots(db(), limit=200)
    g.depots = {d["code"]: d for d in depots}
    return depots


def depot_of(principal, every: bool = False) -> tuple[str | None, list[dict]]:
    """Warehouse staff of a depot work at it; admins and central warehouse staff (no depot on their token) choose one
    (the first by default; none, every depot, on a page that lists across depots: `every`): the pages then offer the
    choice and keep it in their links (`g.picks_depot`). A code no
    depot has is not found (never another depot's figures shown as if they were its own); a depot's staff asking
    another (a link an admin sent) are told these pages show only their own (never theirs under the code asked)."""
    depots = known_depots()
    if not at_depot(principal, None):
        if principal.asks_another_depot(request.args.get("depot")):
            raise not_your_depot(principal.works_at)
        return principal.works_at, depots
    codes = [d["code"] for d in depots]
    wanted = request.args.get("depot")
    if wanted and wanted not in codes:
        raise to_depot_choice(DepotNotFound({"depot": wanted}))
    code = wanted or (None if every or not codes else codes[0])
    at_depot(principal, code, chosen=bool(wanted))
    return code, depots


def not_your_depot(own: str) -> NotYourDepot:
    """The error for a depot's staff asking another depot (?depot=): its page names their own and links to this page
    there (without the code asked, which their pages do not take, nor the page number); the other filters stay."""
    return to_own_depot(NotYourDepot({"your_depot": own}).named(db()), place(own))


def at_depot(principal, code: str | None, chosen: bool = True) -> bool:
    """Whether `principal` chooses the depot (`g.picks_depot`); if so, the menu's links keep `code` (the depot chosen,
    or the one a count, order or slip is at; not `chosen`: the one the page fell back on, which the links to pages
    that fall back otherwise do not take, KEEPS_CHOSEN_DEPOT). A depot's own staff have no choice to keep."""
    g.picks_depot = principal.works_at is None
    if g.picks_depot:
        keep_in_menu(chosen=chosen, depot=code)
    return g.picks_depot


def materials() -> dict:
    return {m["_id"]: m for m in catalog.list_materials(db(), limit=500)}


@blp.get("/warehouse/movements")
@page("warehouse", "admin")
def movements(principal):
    code, depots = depot_of(principal)
    orders = [o for status in order_rules.RECEIVING for o in purchase_orders.find(db(), status=status, depot=code,
                                                                                  limit=100)] if code else []
    reasons = [r for r in domain.ADJUSTMENT_REASONS if r != domain.EXPIRED_LOT]  # written off on the lots page
    chosen = request.args.get("purchase_order")
    to_come = [line["sku"] for o in orders if o["purchase_order"] == chosen for line in o["lines"] if line["remaining"]]
    return render_template("inventory/movements.html", depot=code, depots=depots, orders=orders,
                           chosen_order=chosen, chosen_sku=to_come[0] if len(to_come) == 1 else None,
                           materials=list(materials().values()), reasons=reasons, dated=lot_rules.DATED,
                           dated_lots=dated_lots(code) if code else {})


def dated_lots(depot: str) -> dict[str, list[str]]:
    """The codes of the lots of each dye or chemical (lot_rules.DATED) at `depot`: a receipt into one of them keeps its
    expiry date, so the receipt form asks the date only for a lot not among them (a new lot: expiry_required)."""
    found = db().stock.find({"depot": depot, "category": {"$in": list(lot_rules.DATED)}},
                            {"sku": 1, "depot": 1, "on_hand": 1, "lots.lot": 1})
    return {doc["sku"]: sorted(lot.code for lot in store.lots_of(doc)) for doc in found}


@blp.get("/admin/catalog")
@page("admin")
def catalog_page(principal):
    """The materials, searched and filtered by category a page at a time, and the depots."""
    q = search_text()
    category = request.args.get("category") if request.args.get("category") in CATEGORIES else None
    paging = pager(catalog.count_materials(db(), q=q, category=category))
    found = catalog.list_materials(db(), q=q, category=category, skip=paging.skip, limit=paging.size)
    depots = catalog.list_depots(db(), limit=200)
    g.depots = {d["code"]: d for d in depots}
    return render_template("inventory/catalog.html", materials=found, paging=paging, q=q, category=category or "", depots=depots, categories=CATEGORIES,
                           units=UNITS, zones=ZONES)


@blp.get("/admin/depots/<depot>")
@page("admin")
def depot_page(principal, depot):
    """A depot's details, changed on a form that sends them to PATCH /depots/{code}: names, the district's Hindi name,
    freight zone, address and opening hours; the code and the (English) district stay as registered."""
    found = catalog.depot_or_error(db(), depot, not_found=True)
    names = get_day_names("wide", locale=NUMBER_LOCALES[language()])  # Monday ... in the page's language
    return render_template("inventory/depot.html", depot=found, zones=ZONES,
                           weekdays=[(day, names[number]) for number, day in enumerate(WEEKDAYS)])


@blp.get("/admin/prices")
@page("admin")
def price_list(principal):
    """Each material's price today and its history, with a form to set a new price."""
    rows = [{"material": prices.with_price(m), "history": prices.history_of(m)[:5]}
            for m in materials().values()]
    staff_named(p.get("by") for row in rows for p in row["history"])
    return render_template("inventory/prices.html", rows=rows, today=clock.today().isoformat())
