"""Inventory HTTP API: load with a schema, call one service function, dump."""
from __future__ import annotations

from services.inventory import service
from services.inventory.schemas import (DepotSchema, MaterialSchema, MovementResultSchema,
                                        MovementSchema, StockSchema)
from shared.auth import current_principal, require_role
from shared.web import Blueprint, db, request_id

blp = Blueprint("inventory", __name__, url_prefix="/api/v1", description="Materials, depots and stock")


@blp.route("/depots", methods=["POST"])
@require_role("admin")
@blp.arguments(DepotSchema)
@blp.response(201, DepotSchema)
def create_depot(body):
    return service.register_depot(db(), body)


@blp.route("/depots", methods=["GET"])
@require_role()
@blp.response(200, DepotSchema(many=True))
def list_depots():
    return list(db().depots.find({}).sort("_id", 1).limit(500))


@blp.route("/materials", methods=["POST"])
@require_role("admin")
@blp.arguments(MaterialSchema)
@blp.response(201, MaterialSchema)
def create_material(body):
    return service.register_material(db(), body, correlation_id=request_id())


@blp.route("/materials", methods=["GET"])
@require_role()
@blp.response(200, MaterialSchema(many=True))
def list_materials():
    return list(db().materials.find({}, {"outbox": 0}).sort("_id", 1).limit(500))


@blp.route("/movements", methods=["POST"])
@require_role("admin", "warehouse")
@blp.arguments(MovementSchema)
@blp.response(201, MovementResultSchema)
def create_movement(body):
    body.pop("type")
    return service.receive_stock(db(), by=current_principal().sub, correlation_id=request_id(), **body)


@blp.route("/stock/<depot>/<sku>", methods=["GET"])
@require_role()
@blp.response(200, StockSchema)
def get_stock(depot, sku):
    return service.get_stock(db(), depot, sku)
