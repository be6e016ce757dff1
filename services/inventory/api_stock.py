"""Inventory HTTP API, stock half: stock, the movement ledger and reservations."""
from __future__ import annotations

import csv
import io

from flask import Response, stream_with_context

from services.inventory import ledger, movements, queries
from services.inventory.errors import WrongDepot
from services.inventory.api import page_args, paged
from services.inventory.schemas import (MovementEntrySchema, MovementQuery, MovementResultSchema,
                                        MovementSchema, ReservationSchema, StockQuery, StockSchema)
from shared.auth import current_principal, require_role
from shared.quantity import format_quantity
from shared.spreadsheet import safe_cell
from shared.web import Blueprint, db, request_id

blp = Blueprint("inventory-stock", __name__, url_prefix="/api/v1",
                description="Stock, movements and reservations")


def own_depot(*depots: str) -> None:
    """Warehouse staff with a depot on their token record movements only at that depot."""
    principal = current_principal()
    if principal.role == "warehouse" and principal.depot and principal.depot not in depots:
        raise WrongDepot({"your_depot": principal.depot})


@blp.route("/stock", methods=["GET"])
@require_role()
@blp.arguments(StockQuery, location="query")
@blp.response(200, StockSchema(many=True))
def list_stock(query):
    """Stock per material and depot, filtered, a page at a time."""
    return paged(queries.list_stock(db(), **page_args(query)), query["limit"],
                 lambda s: f"{s['depot']}/{s['sku']}")


@blp.route("/stock/<depot>/<sku>", methods=["GET"])
@require_role()
@blp.response(200, StockSchema)
def get_stock(depot, sku):
    return queries.get_stock(db(), depot, sku)


@blp.route("/movements", methods=["POST"])
@require_role("admin", "warehouse")
@blp.arguments(MovementSchema)
@blp.response(201, MovementResultSchema)
def create_movement(body):
    """Record a receipt, a signed adjustment (with reason code) or a transfer to another depot."""
    own_depot(body["depot"])
    return movements.record_movement(db(), body, by=current_principal().sub, correlation_id=request_id())


@blp.route("/movements", methods=["GET"])
@require_role("admin", "warehouse")
@blp.arguments(MovementQuery, location="query")
@blp.response(200, MovementEntrySchema(many=True))
def list_movements(query):
    """The ledger, newest first, a page at a time; format=csv streams every matching entry."""
    filters = ledger.movements_query(sku=query["sku"], depot=query["depot"], type_=query["type"],
                                     requisition_id=query["requisition_id"], before=query["after"])
    if query["format"] == "csv":
        return Response(stream_with_context(_csv(ledger.stream(db(), filters))), mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename=movements.csv"})
    rows = ledger.page(db(), filters, query["limit"] + 1)
    return paged(rows, query["limit"], lambda m: m["_id"])


@blp.route("/reservations/<requisition_id>", methods=["GET"])
@require_role()
@blp.response(200, ReservationSchema)
def get_reservation(requisition_id):
    """What inventory holds for a requisition (an artisan sees only their own)."""
    principal = current_principal()
    artisan = principal.artisan_id or "" if principal.role in ("artisan", "secretary") else None
    return queries.get_reservation(db(), requisition_id, artisan_id=artisan)


def _csv(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(ledger.CSV_COLUMNS)
    for row in rows:
        writer.writerow([_cell(name, row) for name in ledger.CSV_COLUMNS])
        if buffer.tell() > 32_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _cell(name: str, row: dict) -> str:
    value = row.get("_id" if name == "movement_id" else name)
    if name == "lot" and len(row.get("lots") or ()) > 1:  # a split issue: each lot with its part
        value = "; ".join(f"{part['lot']}: {format_quantity(part['quantity'])}" for part in row["lots"])
    if value is None:
        return ""
    if name in ("quantity", "reserved_change", "on_hand_after", "reserved_after"):
        return format_quantity(value)
    if name == "at":
        return value.isoformat()
    return safe_cell(str(value))
