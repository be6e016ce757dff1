"""Inventory HTTP API, catalog half: depots and materials. Load, call one function, dump."""
from __future__ import annotations

from services.inventory import catalog, queries
from services.inventory.schemas import (DepotQuery, DepotSchema, MaterialPatchSchema, MaterialQuery,
                                        MaterialSchema, StockQuery, StockSchema)
from shared.auth import require_role
from shared.web import Blueprint, db, request_id

blp = Blueprint("inventory", __name__, url_prefix="/api/v1", description="Materials and depots")

NEXT = "X-Next-Cursor"


def paged(items: list, limit: int, cursor):
    """A page and, when there may be more, the cursor of its last item in X-Next-Cursor."""
    if len(items) > limit:
        items = items[:limit]
        return items, {NEXT: cursor(items[-1])}
    return items, {}


def page_args(query: dict) -> dict:
    return {**query, "limit": query["limit"] + 1}


@blp.route("/depots", methods=["POST"])
@require_role("admin")
@blp.arguments(DepotSchema)
@blp.response(201, DepotSchema)
def create_depot(body):
    """Register a depot (admin)."""
    return catalog.register_depot(db(), body, correlation_id=request_id())


@blp.route("/depots", methods=["GET"])
@require_role()
@blp.arguments(DepotQuery, location="query")
@blp.response(200, DepotSchema(many=True))
def list_depots(query):
    """Depots in code order, a page at a time (next page: ?after=<X-Next-Cursor>)."""
    return paged(catalog.list_depots(db(), **page_args(query)), query["limit"], lambda d: d["code"])


@blp.route("/depots/<code>", methods=["GET"])
@require_role()
@blp.response(200, DepotSchema)
def get_depot(code):
    return catalog.depot_or_error(db(), code, not_found=True)


@blp.route("/depots/<code>/stock", methods=["GET"])
@require_role()
@blp.arguments(StockQuery, location="query")
@blp.response(200, StockSchema(many=True))
def depot_stock(query, code):
    """Stock of every material at one depot, a page at a time."""
    catalog.depot_or_error(db(), code, not_found=True)
    rows = queries.list_stock(db(), **{**page_args(query), "depot": code})
    return paged(rows, query["limit"], lambda s: f"{s['depot']}/{s['sku']}")


@blp.route("/materials", methods=["POST"])
@require_role("admin")
@blp.arguments(MaterialSchema)
@blp.response(201, MaterialSchema)
def create_material(body):
    """Add a material to the catalog (admin)."""
    return catalog.register_material(db(), body, correlation_id=request_id())


@blp.route("/materials", methods=["GET"])
@require_role()
@blp.arguments(MaterialQuery, location="query")
@blp.response(200, MaterialSchema(many=True))
def list_materials(query):
    """The catalog in sku order; q matches word beginnings of sku and both names."""
    return paged(catalog.list_materials(db(), **page_args(query)), query["limit"], lambda m: m["sku"])


@blp.route("/materials/<sku>", methods=["GET"])
@require_role()
@blp.response(200, MaterialSchema)
def get_material(sku):
    return catalog.material_or_error(db(), sku, not_found=True)


@blp.route("/materials/<sku>", methods=["PATCH"])
@require_role("admin")
@blp.arguments(MaterialPatchSchema)
@blp.response(200, MaterialSchema)
def update_material(changes, sku):
    """Change names, category, reorder level or pack size (admin)."""
    return catalog.update_material(db(), sku, changes, correlation_id=request_id())
