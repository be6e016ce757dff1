"""Inventory HTTP API, catalog half: depots and materials. Load, call one function, dump."""
from __future__ import annotations

from flask import Response, stream_with_context

from services.inventory import catalog, prices, queries, stock_lists
from services.inventory.schemas import (DepotPatchSchema, DepotQuery, DepotSchema, MaterialPatchSchema,
                                        MaterialQuery, MaterialSchema, PriceSchema, StockQuery, StockSchema)
from shared.auth import current_principal, require_role
from shared.lists import skip_of
from shared.spreadsheet import csv_chunks
from shared.web import Blueprint, db, request_id

blp = Blueprint("inventory", __name__, url_prefix="/api/v1", description="Materials and depots")

NEXT = "X-Next-Cursor"


def paged(items: list, limit: int, cursor):
    """A page and, when there may be more, the cursor of its last item in X-Next-Cursor."""
    if len(items) > limit:
        items = items[:limit]
        return items, {NEXT: cursor(items[-1])}
    return items, {}


def csv_file(name: str, columns, rows) -> Response:
    """A CSV download streamed row by row (the whole list, not a page of it)."""
    return Response(stream_with_context(csv_chunks(columns, rows)), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={name}"})


def page_args(query: dict) -> dict:
    """A list's query as the store takes it: one more than a page (to know if there are more), `page` as `skip`."""
    return {**{k: v for k, v in query.items() if k not in ("page", "format")}, "limit": query["limit"] + 1,
            "skip": skip_of(query)}


@blp.route("/depots", methods=["POST"])
@blp.refuses(409)
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


@blp.route("/depots/<code>", methods=["PATCH"])
@blp.refuses(409)
@require_role("admin")
@blp.arguments(DepotPatchSchema)
@blp.response(200, DepotSchema)
def update_depot(changes, code):
    """Change a depot's names (English, Hindi), freight zone, address or opening hours (admin)."""
    return catalog.update_depot(db(), code, changes, correlation_id=request_id())


@blp.route("/depots/<code>/stock", methods=["GET"])
@require_role()
@blp.arguments(StockQuery, location="query")
@blp.response(200, StockSchema(many=True))
def depot_stock(query, code):
    """Stock of every material at one depot, a page at a time."""
    catalog.depot_or_error(db(), code, not_found=True)
    query["sku"] = stock_lists.sku_filter(db(), query["sku"], query.pop("q"))
    rows = queries.list_stock(db(), **{**page_args(query), "depot": code})
    return paged(rows, query["limit"], lambda s: f"{s['depot']}/{s['sku']}")


@blp.route("/materials", methods=["POST"])
@blp.refuses(409, 422)
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
    materials = [prices.with_price(m) for m in catalog.list_materials(db(), **page_args(query))]
    return paged(materials, query["limit"], lambda m: m["sku"])


@blp.route("/materials/<sku>", methods=["GET"])
@require_role()
@blp.response(200, MaterialSchema)
def get_material(sku):
    """One material, with `price`: its price per unit today."""
    return prices.with_price(catalog.material_or_error(db(), sku, not_found=True))


@blp.route("/materials/<sku>", methods=["PATCH"])
@blp.refuses(409, 422, 503)
@require_role("admin")
@blp.arguments(MaterialPatchSchema)
@blp.response(200, MaterialSchema)
def update_material(changes, sku):
    """Change names, category, reorder level or pack size (admin)."""
    return catalog.update_material(db(), sku, changes, correlation_id=request_id())


@blp.route("/materials/<sku>/prices", methods=["POST"])
@blp.refuses(503)
@require_role("admin")
@blp.arguments(PriceSchema)
@blp.response(201, PriceSchema)
def set_price(body, sku):
    """Set a price per unit from a day on (admin); the same day again corrects it."""
    return prices.set_price(db(), sku, body["price"], body["effective_from"], by=current_principal().sub,
                            correlation_id=request_id())


@blp.route("/materials/<sku>/prices", methods=["GET"])
@require_role()
@blp.response(200, PriceSchema(many=True))
def price_history(sku):
    """Every price of a material, the latest effective day first."""
    return prices.history(db(), sku)
