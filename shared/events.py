"""Integration event payloads: one marshmallow schema per event type and version."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f

from shared.quantity import Quantity

INVENTORY_TOPIC = "inventory.events"
REQUESTS_TOPIC = "requests.events"
TOPICS = (INVENTORY_TOPIC, REQUESTS_TOPIC)


def dlq_topic(topic: str) -> str:
    return f"{topic}.dlq"


class Payload(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE


def _text(**kw):
    return f.String(validate=ma.validate.Length(min=1, max=200), **kw)


class Line(Payload):
    sku = _text(required=True)
    quantity = Quantity(required=True, positive=True)


class MaterialRegistered(Payload):
    sku = _text(required=True)
    name = _text(required=True)
    name_hi = _text(required=True)
    category = _text(required=True)
    unit = _text(required=True)
    reorder_level = Quantity(required=True)
    pack_size = Quantity(load_default=None, allow_none=True)
    max_level = Quantity(load_default=None, allow_none=True)
    active = f.Boolean(load_default=True)


class MaterialUpdated(MaterialRegistered):
    pass


class DepotRegistered(Payload):
    code = _text(required=True)
    name = _text(required=True)
    district = _text(required=True)


class StockMovement(Payload):
    movement_id = _text(required=True)
    sku = _text(required=True)
    depot = _text(required=True)
    quantity = Quantity(required=True)
    on_hand = Quantity(required=True)
    available = Quantity(required=True)
    reason = f.String(load_default="", validate=ma.validate.Length(max=500))
    reference = f.String(load_default="", validate=ma.validate.Length(max=200))
    by = _text(required=True)


def _optional(size: int):
    return f.String(load_default="", validate=ma.validate.Length(max=size))


class StockReceived(StockMovement):
    supplier = _optional(200)
    lot = _optional(100)
    unit_cost = _optional(30)
    purchase_order = f.String(validate=ma.validate.Length(min=1, max=100))  # only on a receipt naming its order


class StockReturned(StockMovement):
    lot = _text(required=True)
    supplier = _optional(200)
    purchase_order = _optional(100)


class StockAdjusted(StockMovement):
    pass


class TravellingLot(Payload):
    lot = _text(required=True)
    quantity = Quantity(required=True, positive=True)
    shade = _optional(100)
    count = _optional(50)
    mill = _optional(200)
    expires_on = _optional(10)
    supplier = _optional(200)
    purchase_order = _optional(100)


class StockTransferred(Payload):
    movement_id = _text(required=True)
    sku = _text(required=True)
    depot = _text(required=True)
    to_depot = _text(required=True)
    quantity = Quantity(required=True, positive=True)
    by = _text(required=True)
    reason = f.String(load_default="", validate=ma.validate.Length(max=500))
    reference = f.String(load_default="", validate=ma.validate.Length(max=200))
    lots = f.List(f.Nested(TravellingLot), load_default=list)  # the lots that left, each arriving as it was


class LotEvent(Payload):
    sku = _text(required=True)
    depot = _text(required=True)
    lot = _text(required=True)
    by = _text(required=True)
    note = _optional(500)


class LotHeld(LotEvent):
    pass


class LotReleased(LotEvent):
    pass


class LotExpiring(Payload):
    """An expiry alert falls due: `stage` days before (90, 60, 30), or 0 when the lot has expired."""

    sku = _text(required=True)
    depot = _text(required=True)
    lot = _text(required=True)
    shade = _optional(100)
    expires_on = f.String(required=True, validate=ma.validate.Length(equal=10))
    stage = f.Integer(required=True, strict=True, validate=ma.validate.OneOf([90, 60, 30, 0]))
    days_left = f.Integer(required=True, strict=True, validate=ma.validate.Range(min=0))
    on_hand = Quantity(required=True)


class Reservation(Payload):
    requisition_id = _text(required=True)
    depot = _text(required=True)
    lines = f.List(f.Nested(Line), required=True)


class StockReserved(Reservation):
    pass


class StockReleased(Reservation):
    pass


class StockIssued(Reservation):
    pass


class StockReservationFailed(Reservation):
    reason = _text(required=True)


class StockWaitlisted(Reservation):
    position = f.Integer(required=True, strict=True, validate=ma.validate.Range(min=1))


class StockLevel(Payload):
    sku = _text(required=True)
    depot = _text(required=True)
    available = Quantity(required=True)
    reorder_level = Quantity(required=True)


class StockLow(StockLevel):
    pass


class StockDepleted(StockLevel):
    pass


class StockReplenished(StockLevel):
    pass


class OrderLine(Line):
    limit = Quantity(load_default=None, allow_none=True)


class PurchaseOrder(Payload):
    purchase_order = _text(required=True)
    supplier = _text(required=True)
    depot = _text(required=True)
    lines = f.List(f.Nested(OrderLine), required=True)


class PurchaseOrderSent(PurchaseOrder):
    expected_on = f.String(required=True, validate=ma.validate.Length(equal=10))


class PurchaseOrderFinished(PurchaseOrder):
    """Nothing more is awaited: received in full, closed (the rest cancelled) or cancelled."""

    status = f.String(required=True, validate=ma.validate.OneOf(["received", "closed", "cancelled"]))


class PurchaseOrderOverdue(PurchaseOrder):
    """Past its expected date with something still to come (`lines`: what is still to come)."""

    supplier_name = _text(required=True)
    expected_on = f.String(required=True, validate=ma.validate.Length(equal=10))
    days_late = f.Integer(required=True, strict=True, validate=ma.validate.Range(min=1))


class CountLine(Payload):
    sku = _text(required=True)
    lot = _optional(100)
    book = Quantity(required=True)
    counted = Quantity(required=True)
    variance = Quantity(required=True)


class StockCountVariance(Payload):
    """A submitted count found differences beyond the tolerance (`lines`: those differences)."""

    count_id = _text(required=True)
    depot = _text(required=True)
    by = _text(required=True)
    tolerance_percent = f.Integer(required=True, strict=True)
    lines = f.List(f.Nested(CountLine), required=True)


class CountAdjustment(Payload):
    movement_id = _text(required=True)
    sku = _text(required=True)
    lot = _optional(100)
    quantity = Quantity(required=True)


class StockCountApproved(Payload):
    """A count is approved: each adjustment is posted once, by its movement id."""

    count_id = _text(required=True)
    depot = _text(required=True)
    by = _text(required=True)
    adjustments = f.List(f.Nested(CountAdjustment), required=True)


class ArtisanRegistered(Payload):
    artisan_id = _text(required=True)
    name = _text(required=True)
    district = _text(required=True)
    language = f.String(required=True, validate=ma.validate.OneOf(["hi", "en"]))
    phone = f.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=20))
    email = f.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=200))
    cooperative = f.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=200))
    active = f.Boolean(load_default=True)


class ArtisanUpdated(ArtisanRegistered):
    pass


class Requisition(Payload):
    requisition_id = _text(required=True)
    artisan_id = _text(required=True)
    depot = _text(required=True)
    lines = f.List(f.Nested(Line), required=True)
    by = _text(required=True)


class RequisitionSubmitted(Requisition):
    note = f.String(load_default="", validate=ma.validate.Length(max=1000))


class RequisitionApproved(Requisition):
    pass


class RequisitionRejected(Requisition):
    reason = f.String(load_default="", validate=ma.validate.Length(max=1000))


class RequisitionCancelled(Requisition):
    reason = f.String(load_default="", validate=ma.validate.Length(max=1000))


class RequisitionDispatched(Requisition):
    pass


class RequisitionReceived(Requisition):
    pass


INVENTORY_EVENTS = (
    MaterialRegistered, DepotRegistered, StockReceived, StockAdjusted, StockTransferred, StockReserved,
    StockReservationFailed, StockWaitlisted, StockReleased, StockIssued, StockLow,
    StockDepleted, StockReplenished, MaterialUpdated,
    StockReturned, LotHeld, LotReleased, LotExpiring, PurchaseOrderSent, PurchaseOrderFinished,
    PurchaseOrderOverdue, StockCountVariance, StockCountApproved,
)
REQUESTS_EVENTS = (
    ArtisanRegistered, ArtisanUpdated,
    RequisitionSubmitted, RequisitionApproved, RequisitionRejected, RequisitionCancelled,
    RequisitionDispatched, RequisitionReceived,
)

#: (type, version) -> payload schema class: the registry every service decodes with.
PAYLOADS: dict[tuple[str, int], type[Payload]] = {
    (schema.__name__, 1): schema for schema in INVENTORY_EVENTS + REQUESTS_EVENTS
}
