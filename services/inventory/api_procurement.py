"""Inventory HTTP API, buying half: suppliers, purchase orders and what to order next."""
from __future__ import annotations

from services.inventory import buying_csv, once, purchase_orders, replenishment, suppliers
from services.inventory.api import csv_file, page_args, paged
from services.inventory.api_stock import asked_depot, depot_scope, key_id
from services.inventory.schemas_procurement import (NewSupplierItem, OrderQuery, PurchaseOrderPatchSchema,
                                                    PurchaseOrderSchema, ReplenishmentOrderSchema, ReplenishmentQuery,
                                                    ReplenishmentSchema, SupplierItemPatch, SupplierPatchSchema,
                                                    SupplierSchema)
from services.inventory.schemas import Page
from shared import idempotency
from shared.auth import current_principal, require_role
from shared.lists import skip_of
from shared.errors import Invalid
from shared.i18n import N_, language, translate
from shared.names import STAFF
from shared.web import Blueprint, db, request_id

NAME_THE_DEPOT = N_("Name the depot, such as depot=VNS: what to order is worked out for one depot.")

blp = Blueprint("inventory-procurement", __name__, url_prefix="/api/v1",
                description="Suppliers, purchase orders and replenishment")


@blp.route("/suppliers", methods=["POST"])
@blp.refuses(409, 422)
@require_role("admin")
@blp.arguments(SupplierSchema)
@blp.response(201, SupplierSchema)
def create_supplier(body):
    """Register a mill or agency (admin): GSTIN, over-receipt tolerance, lead time, pack sizes and prices."""
    return suppliers.register(db(), body)


@blp.route("/suppliers", methods=["GET"])
@require_role(*STAFF)
@blp.arguments(Page, location="query")
@blp.response(200, SupplierSchema(many=True))
def list_suppliers(query):
    """Suppliers in code order, a page at a time."""
    return paged(suppliers.find(db(), **page_args(query)), query["limit"], lambda s: s["code"])


@blp.route("/suppliers/<code>", methods=["GET"])
@require_role(*STAFF)
@blp.response(200, SupplierSchema)
def get_supplier(code):
    return suppliers.get(db(), code, not_found=True)


@blp.route("/suppliers/<code>", methods=["PATCH"])
@blp.refuses(409, 422)
@require_role("admin")
@blp.arguments(SupplierPatchSchema)
@blp.response(200, SupplierSchema)
def update_supplier(changes, code):
    """Change a supplier (admin); `active: false` stops new orders to it. Every field given as it is (the page saved
    unchanged): the supplier as it is, no new version."""
    return suppliers.update(db(), code, changes)


@blp.route("/suppliers/<code>/items", methods=["POST"])
@blp.refuses(409, 422)
@require_role("admin")
@blp.arguments(NewSupplierItem)
@blp.response(201, SupplierSchema)
def add_supplier_item(item, code):
    """Add one material's price and pack size to a supplier (admin); the supplier as it is now. A material it already
    prices: 409 supplier_item_exists; one the catalog lacks: 422 unknown_material. Unlike PATCH of `items`, which
    replaces the whole list, this changes nothing else, even if another admin changed another material meanwhile."""
    return suppliers.add_item(db(), code, item)


@blp.route("/suppliers/<code>/items/<sku>", methods=["PATCH"])
@blp.refuses(409)
@require_role("admin")
@blp.arguments(SupplierItemPatch)
@blp.response(200, SupplierSchema)
def change_supplier_item(changes, code, sku):
    """Change one material's price or pack size at a supplier (admin); one it does not price: 404
    unknown_supplier_item. Both as they are (the page saved unchanged): the supplier as it is, no new version."""
    return suppliers.change_item(db(), code, sku, changes)


@blp.route("/suppliers/<code>/items/<sku>", methods=["DELETE"])
@blp.refuses(409)
@require_role("admin")
@blp.response(200, SupplierSchema)
def remove_supplier_item(code, sku):
    """The supplier no longer prices this material (admin); the supplier as it is now."""
    return suppliers.remove_item(db(), code, sku)


@blp.route("/purchase-orders", methods=["POST"])
@blp.refuses(409, 422)
@require_role("admin")
@blp.doc(parameters=[idempotency.PARAMETER])
@blp.arguments(PurchaseOrderSchema)
@blp.response(201, PurchaseOrderSchema)
def create_order(body):
    """Raise a draft order to a supplier for one depot (admin); prices in rupees per unit. A retry with the same
    Idempotency-Key returns the first order."""
    return idempotency.answer(*once.purchase_order(db(), body, key_id=key_id(), by=current_principal().sub))


@blp.route("/purchase-orders", methods=["GET"])
@require_role(*STAFF)
@blp.arguments(OrderQuery, location="query")
@blp.response(200, PurchaseOrderSchema(many=True))
def list_orders(query):
    """Orders newest first, filtered by status and depot, a page at a time (warehouse staff: their depot's; another's
    asked for: 403 wrong_depot); format=csv streams every matching order, a row per line, names in the asker's
    language."""
    query["depot"] = asked_depot(query["depot"])
    if query["format"] == "csv":
        return csv_file("purchase-orders.csv", buying_csv.ORDER_COLUMNS,
                        buying_csv.order_rows(db(), status=query["status"], depot=query["depot"], lang=language()))
    return paged(purchase_orders.find(db(), **page_args(query)), query["limit"], lambda o: o["purchase_order"])


@blp.route("/purchase-orders/<number>", methods=["GET"])
@require_role(*STAFF)
@blp.response(200, PurchaseOrderSchema)
def get_order(number):
    """One order with what each line received and the receipts naming it; another depot's is not found."""
    return purchase_orders.get(db(), number, depot=depot_scope())


@blp.route("/purchase-orders/<number>", methods=["PATCH"])
@blp.refuses(409, 422)
@require_role("admin")
@blp.arguments(PurchaseOrderPatchSchema)
@blp.response(200, PurchaseOrderSchema)
def edit_order(changes, number):
    """Change a draft's lines, expected date or note (admin). Every field given as it is: the order as it is, no new
    version, the same updated_at."""
    return purchase_orders.edit(db(), number, changes, by=current_principal().sub)


@blp.route("/purchase-orders/<number>/<any(send, close, cancel):action>", methods=["POST"])
@require_role("admin")
@blp.response(200, PurchaseOrderSchema)
def act_on_order(number, action):
    """send: the lines are on order at the depot; close: the rest is cancelled; cancel: before any receipt."""
    step = {"send": purchase_orders.send, "close": purchase_orders.close, "cancel": purchase_orders.cancel}[action]
    return step(db(), number, by=current_principal().sub, correlation_id=request_id())


@blp.route("/replenishment", methods=["GET"])
@require_role(*STAFF)
@blp.arguments(ReplenishmentQuery, location="query")
@blp.response(200, ReplenishmentSchema(many=True))
def what_to_order(query):
    """Per material: stock, on order, waitlisted, 90-day average issue, cover and the suggested order, by sku;
    format=csv streams every material of the depot. Warehouse staff of a depot ask for theirs (another's: 403
    wrong_depot)."""
    query["depot"] = asked_depot(query["depot"])
    if query["depot"] is None:  # an admin (or staff of no one depot): what to order is a depot's
        raise Invalid({"depot": [translate(NAME_THE_DEPOT)]})
    if query["format"] == "csv":
        return csv_file("replenishment.csv", buying_csv.SUGGESTION_COLUMNS,
                        buying_csv.suggestion_rows(db(), query["depot"], supplier=query["supplier"],
                                                   cover_days=query["cover_days"]))
    rows = replenishment.suggestions(db(), query["depot"], supplier=query["supplier"], cover_days=query["cover_days"],
                                     after=query["after"], skip=skip_of(query), limit=query["limit"] + 1)
    return paged(rows, query["limit"], lambda r: r["sku"])


@blp.route("/replenishment/purchase-orders", methods=["POST"])
@blp.refuses(409, 422)
@require_role("admin")
@blp.doc(parameters=[idempotency.PARAMETER])
@blp.arguments(ReplenishmentOrderSchema)
@blp.response(201, PurchaseOrderSchema)
def order_suggestion(body):
    """Turn the suggestion for some materials into a draft order to one supplier (admin); a retry with the same
    Idempotency-Key returns the first order."""
    return idempotency.answer(*once.suggested_order(db(), body, key_id=key_id(), by=current_principal().sub))
