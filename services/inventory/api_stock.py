"""Inventory HTTP API, stock half: stock, the movement ledger and reservations."""
from __future__ import annotations

from services.inventory import labels, ledger, once, purchase_orders, queries, returns, stock_lists
from services.inventory.domain import DEPLETED, LOW
from services.inventory.errors import NotYourDepot, OtherDepotsLedger, WrongDepot, WrongDepotWork
from services.inventory.api import csv_file, page_args, paged
from services.inventory.schemas import (MovementEntrySchema, MovementQuery, MovementResultSchema,
                                        MovementSchema, ReservationSchema, ReturnQuery, ReturnSchema,
                                        StockListQuery, StockSchema)
from shared import idempotency, staff
from shared.auth import current_principal, require_role
from shared.lists import skip_of
from shared.quantity import format_quantity
from shared.calendar import IST, add_days, day_start
from shared.i18n import language, said
from shared.spreadsheet import safe_cell
from shared.web import Blueprint, db, request_id

blp = Blueprint("inventory-stock", __name__, url_prefix="/api/v1",
                description="Stock, movements and reservations")


def own_depot(*depots: str, movements: bool = True) -> None:
    """Warehouse staff with a depot on their token record movements (`movements` false: counts, holds, slips) only
    at that depot; 403 wrong_depot, saying so."""
    principal = current_principal()
    if principal.works_at and principal.works_at not in depots:
        if movements:
            raise WrongDepot({"your_depot": principal.works_at})
        raise WrongDepotWork({"your_depot": principal.works_at}).named(db())


def depot_scope() -> str | None:
    """The depot whose purchase orders, counts and ledger the caller may see: a warehouse user's own; None: all."""
    return current_principal().works_at


def asked_depot(asked: str | None) -> str | None:
    """The depot a list is read at: the one asked for (?depot=), else a warehouse user's own (None: all). Staff of a
    depot asking another's are refused (403 wrong_depot, naming theirs): never answered with its figures, nor with
    their own as if they were the depot asked for."""
    principal = current_principal()
    if principal.asks_another_depot(asked):
        raise NotYourDepot({"your_depot": principal.works_at}).named(db())
    return asked or principal.works_at


@blp.route("/stock", methods=["GET"])
@require_role()
@blp.arguments(StockListQuery, location="query")
@blp.response(200, StockSchema(many=True))
def list_stock(query):
    """Stock per material and depot, filtered, a page at a time; format=csv streams every matching stock;
    every_material=true (with a depot) adds the active materials not stocked there yet, at 0."""
    fmt, words, every = query.pop("format"), query.pop("q"), query.pop("every_material")
    filters = stock_lists.stock_query(db(), depot=query["depot"], sku=query["sku"], q=words,
                                      category=query["category"],
                                      levels=(LOW, DEPLETED) if query["below_reorder"] else None)
    if fmt == "csv":
        extra = stock_lists.unstocked(db(), query["depot"], filters) if every else []
        return csv_file("stock.csv", stock_lists.CSV_COLUMNS, stock_lists.stock_rows(db(), filters, extra=extra))
    if every:  # stock records and the depot's unstocked materials, in depot/sku order as without it
        args = page_args(query)
        if args["after"]:
            filters["_id"] = {"$gt": args["after"]}
        rows = stock_lists.merged_page(db(), filters, stock_lists.unstocked(db(), query["depot"], filters,
                                                                            after=args["after"]),
                                       skip=args["skip"], limit=args["limit"], level_first=False)
        return paged(rows, query["limit"], lambda s: f"{s['depot']}/{s['sku']}")
    query["sku"] = filters.get("sku")
    return paged(queries.list_stock(db(), **page_args(query)), query["limit"],
                 lambda s: f"{s['depot']}/{s['sku']}")


@blp.route("/stock/<depot>/<sku>", methods=["GET"])
@require_role()
@blp.response(200, StockSchema)
def get_stock(depot, sku):
    """One material at one depot, with its lots in the order issues take them, each with where it came from."""
    return stock_lists.with_receipts(db(), queries.get_stock(db(), depot, sku))


@blp.route("/movements", methods=["POST"])
@blp.refuses(409, 422, 503)
@require_role("admin", "warehouse")
@blp.doc(parameters=[idempotency.PARAMETER])
@blp.arguments(MovementSchema)
@blp.response(201, MovementResultSchema)
def create_movement(body):
    """Record a receipt, a signed adjustment (with reason code) or a transfer to another depot; a retry with the same
    Idempotency-Key returns the first result and records nothing again."""
    own_depot(body["depot"])
    result, created = once.movement(db(), body, key_id=key_id(), by=current_principal().sub,
                                    correlation_id=request_id(), seen_from=depot_scope())
    if result.get("type") == "receipt" and body.get("purchase_order"):
        result = {**result, "order": order_after(body["purchase_order"], body["sku"])}
    return idempotency.answer(result, created)


def order_after(number: str, sku: str) -> dict:
    """The order a receipt named, as read after it: its status and what of the material is still to come."""
    order = purchase_orders.get(db(), number)
    remaining = sum(line["remaining"] for line in order["lines"] if line["sku"] == sku)
    return {"purchase_order": number, "status": order["status"], "remaining": remaining,
            "complete": not any(line["remaining"] for line in order["lines"])}


def key_id() -> str | None:
    """The caller's Idempotency-Key as the id it stands for (idempotency.record_id), if one was sent."""
    key = idempotency.request_key()
    return idempotency.record_id(current_principal().sub, key) if key is not None else None


@blp.route("/movements", methods=["GET"])
@require_role("admin", "warehouse")
@blp.arguments(MovementQuery, location="query")
@blp.response(200, MovementEntrySchema(many=True))
def list_movements(query):
    """The ledger, newest first, a page at a time; format=csv streams every matching entry. Warehouse staff of a
    depot read that depot's (another's: 403 wrong_depot)."""
    depot, scope = query["depot"], depot_scope()
    if scope and depot not in (None, scope):
        raise OtherDepotsLedger({"your_depot": scope})
    filters = ledger.movements_query(sku=query["sku"], depot=depot or scope, type_=query["type"],
                                     requisition_id=query["requisition_id"], before=query["after"],
                                     since=query["from_"] and day_start(query["from_"]),
                                     until=query["to"] and day_start(add_days(query["to"], 1)), words=query["q"])
    if query["format"] == "csv":
        return csv_file("movements.csv", ledger.CSV_COLUMNS, _csv_rows(filters))
    rows = ledger.page(db(), filters, query["limit"] + 1, skip_of(query))
    return paged(rows, query["limit"], lambda m: m["_id"])


@blp.route("/returns", methods=["GET"])
@require_role("admin", "warehouse")
@blp.arguments(ReturnQuery, location="query")
@blp.response(200, ReturnSchema(many=True))
def list_returns(query):
    """Returns from artisans (requests' RequisitionReturned as inventory applied it), newest first, a page at a time:
    what came back, restocked or damaged; format=csv streams every line of every matching return. Warehouse staff of
    a depot read that depot's (another's: 403 wrong_depot)."""
    depot = asked_depot(query["depot"])
    if query["format"] == "csv":
        return csv_file("returns.csv", returns.CSV_COLUMNS, returns.csv_rows(db(), depot, language()))
    rows = returns.page(db(), depot, skip=skip_of(query), limit=query["limit"])
    return [returns.view(doc) for doc in rows], {"X-Total-Count": str(returns.count(db(), depot))}


@blp.route("/reservations/<requisition_id>", methods=["GET"])
@require_role()
@blp.response(200, ReservationSchema)
def get_reservation(requisition_id):
    """What inventory holds for a requisition (an artisan sees only their own, a depot's staff only their depot's)."""
    principal = current_principal()
    artisan = principal.artisan_id or "" if principal.role in ("artisan", "secretary") else None
    depot = principal.depot if principal.role == "warehouse" else None
    return queries.get_reservation(db(), requisition_id, artisan_id=artisan, depot=depot)


#: the ledger CSV's columns that say a code in Hindi: the code's field, the labels naming it
_IN_HINDI = {"type_hi": ("type", labels.MOVEMENTS), "reason_hi": ("reason", labels.REASONS)}


def _csv_rows(filters: dict):
    """The ledger CSV's rows, streamed: the materials' and depots' Hindi names, and the staff's names, read once for
    the file (one query each; a catalog and a staff have few of them), when the first row is asked for."""
    hindi = {column: {doc["_id"]: doc.get("name_hi") or "" for doc in db()[collection].find({}, {"name_hi": 1})}
             for column, collection in (("material_hi", "materials"), ("depot_hi", "depots"))}
    named = staff.name_cells(db())
    for row in ledger.stream(db(), filters):
        who = dict(zip(staff.NAME_COLUMNS, named(row.get("by"))))
        yield [who[name] if name in who else _cell(name, row, hindi) for name in ledger.CSV_COLUMNS]


#: the ledger CSV's columns that name a code by the catalog's Hindi name: the code's field
_NAMED_HI = {"material_hi": "sku", "depot_hi": "depot"}


def _cell(name: str, row: dict, hindi: dict) -> str:
    if name in _NAMED_HI:
        return safe_cell(hindi[name].get(row.get(_NAMED_HI[name]), ""))
    if name in _IN_HINDI:
        field, named = _IN_HINDI[name]
        return said(named, row.get(field), "hi")
    value = row.get({"movement_id": "_id", "at_ist": "at"}.get(name, name))
    if name == "lot" and len(row.get("lots") or ()) > 1:  # a split issue: each lot with its part
        value = "; ".join(f"{part['lot']}: {format_quantity(part['quantity'])}" for part in row["lots"])
    if value is None:
        return ""
    if name in ("quantity", "reserved_change", "on_hand_after", "reserved_after"):
        return format_quantity(value)
    if name == "at":
        return value.isoformat()
    if name == "at_ist":  # the time the pages show, with its zone
        return value.astimezone(IST).isoformat(sep=" ", timespec="seconds")
    return safe_cell(str(value))
