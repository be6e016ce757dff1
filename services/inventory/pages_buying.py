"""Inventory pages for buying: suppliers, purchase orders and what to order next (with a small chart)."""
from __future__ import annotations

from flask import Blueprint, g, render_template, request

from services.inventory import order_rules, purchase_orders, replenishment, suppliers
from services.inventory.api_stock import depot_scope
from services.inventory.pages import at_depot, depot_of, known_depots, materials
from shared.lists import asked_number, pager
from shared.money import format_money
from shared.pages import page, staff_named
from shared.web import db

blp = Blueprint("inventory_buying", __name__, template_folder="templates")
LINE_ROWS = 5  # empty lines on the new-order form
COVER_DAYS = 60  # what to order for, unless asked (1 to 365 days), as the API's cover_days
CHART_W, CHART_H = 180, 48


@blp.get("/admin/suppliers")
@page("admin")
def supplier_list(principal):
    return render_template("inventory/suppliers.html", suppliers=suppliers.find(db(), limit=200))


@blp.get("/admin/suppliers/<code>")
@page("admin")
def supplier_detail(principal, code):
    """A supplier's materials with its price per unit and pack size: added, changed and removed one at a time."""
    supplier = suppliers.get(db(), code, not_found=True)
    known = materials()
    priced = {i["sku"] for i in supplier.get("items") or []}
    return render_template("inventory/supplier.html", supplier=supplier, materials=known,
                           unpriced=[m for sku, m in known.items() if sku not in priced and m.get("active", True)])


@blp.get("/admin/purchase-orders")
@page("admin", "warehouse")
def order_list(principal):
    """Orders newest first, by status, a page at a time; admins raise new ones here. Those who choose the depot see
    every depot's orders until they choose one (the first depot may have none); a depot's staff see their own."""
    code, depots = depot_of(principal, every=True)
    status = request.args.get("status") if request.args.get("status") in order_rules.STATUSES else None
    paging = pager(purchase_orders.count(db(), status=status, depot=code))
    orders = purchase_orders.find(db(), status=status, depot=code, skip=paging.skip, limit=paging.size)
    return render_template("inventory/purchase_orders.html", orders=orders, status=status, depot=code, depots=depots,
                           paging=paging,
                           statuses=order_rules.STATUSES, suppliers=[s for s in suppliers.find(db(), limit=200)
                                                                     if s.get("active", True)],
                           materials=materials(), rows=range(LINE_ROWS), keep={"status": status or ""},
                           listed_prices=listed_prices)


def listed_prices(supplier: dict) -> dict[str, str]:
    """The price per unit a supplier lists for each material, as a new order's line takes it (inventory.js)."""
    return {item["sku"]: format_money(item["price"]) for item in supplier.get("items") or []
            if item.get("price") is not None}


@blp.get("/admin/purchase-orders/<number>")
@page("admin", "warehouse")
def order_detail(principal, number):
    order = purchase_orders.get(db(), number, depot=depot_scope())  # warehouse staff: their depot's only
    known_depots()  # the depot named in the page's language
    at_depot(principal, order["depot"])
    actions = [a for a in ("send", "close", "cancel") if order_rules.may(a, order["status"])
               and not (a == "cancel" and any(line["received"] for line in order["lines"]))]
    staff_named([order.get("sent_by"), *(r.get("by") for r in order.get("receipts") or [])])
    return render_template("inventory/purchase_order.html", order=order, materials=materials(), actions=actions,
                           receiving=order["status"] in order_rules.RECEIVING)


@blp.get("/admin/replenishment")
@page("admin", "warehouse")
def what_to_order(principal):
    """Per material: the figures, a chart of stock and issues over 90 days and the suggested order. Those who choose
    the depot open it on the depot with the most materials to order (the first depot may need nothing)."""
    code, depots = depot_of(principal)
    sellers = suppliers.find(db(), limit=200)
    chosen = request.args.get("supplier") if request.args.get("supplier") in {s["code"] for s in sellers} else None
    asked = asked_number("cover_days", 3) if "cover_days" in request.args else COVER_DAYS
    fits = asked is not None and 1 <= asked <= 365
    days = asked if fits else COVER_DAYS  # what is shown instead is said on the page (days_refused)
    busiest = g.picks_depot and not request.args.get("depot") and len(depots) > 1
    if busiest:
        code, rows = most_to_order([d["code"] for d in depots], supplier=chosen, cover_days=days)
        at_depot(principal, code, chosen=False)  # the menu's links keep it, but to pages that fall back otherwise
    else:
        rows = replenishment.suggestions(db(), code, supplier=chosen, cover_days=days) if code else []
    charts = {row["sku"]: chart(replenishment.history(db(), code, row["sku"], row["on_hand"])) for row in rows}
    return render_template("inventory/replenishment.html", rows=rows, charts=charts, depot=code, depots=depots,
                           suppliers=sellers, supplier=chosen, cover_days=days, days_refused=not fits, busiest=busiest,
                           typed_days=days if fits else request.args.get("cover_days", "")[:20],
                           keep={"supplier": chosen or "", "cover_days": days})


def most_to_order(codes: list[str], **asked) -> tuple[str, list[dict]]:
    """The depot with the most materials to order (the first of those with as many), with its suggestions: counted
    for every depot at once, the suggestions made for that depot alone."""
    wanted = replenishment.to_order_counts(db(), codes, **asked)
    code = max(codes, key=wanted.__getitem__)  # the first of the largest
    return code, replenishment.suggestions(db(), code, **asked)


def chart(history: dict) -> dict:
    """SVG geometry of a 90-day history: a line of closing stock over bars of daily issues."""
    stock, issues = history["stock"], history["issues"]
    step = CHART_W / max(len(stock) - 1, 1)
    top = max(max(stock), 1)
    peak = max(max(issues), 1)
    line = " ".join(f"{i * step:.1f},{CHART_H - 2 - max(v, 0) * (CHART_H - 4) / top:.1f}" for i, v in enumerate(stock))
    bars = [{"x": round(i * step, 1), "h": round(v * (CHART_H / 2) / peak, 1)} for i, v in enumerate(issues) if v > 0]
    return {"line": line, "bars": [{**bar, "y": round(CHART_H - bar["h"], 1)} for bar in bars],
            "width": CHART_W, "height": CHART_H, "bar": round(max(step - 0.4, 0.6), 1),
            "start": history["start"], "issued": sum(issues), "last": stock[-1] if stock else 0}
