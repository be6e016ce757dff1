"""Integration event payloads: one marshmallow schema per event type and version."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f

from shared.calendar import Day
from shared.money import Money
from shared.quantity import Quantity

INVENTORY_TOPIC = "inventory.events"
REQUESTS_TOPIC = "requests.events"
TOPICS = (INVENTORY_TOPIC, REQUESTS_TOPIC)
ZONES = ("plain", "hill", "north_east", "island")  # a depot's freight zone; schemes set freight per zone


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
    entitlement_class = f.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=64))


class MaterialUpdated(MaterialRegistered):
    pass


class MaterialPriced(Payload):
    """A price per unit from a day on; the latest set for the latest day not after today applies."""

    sku = _text(required=True)
    price = Money(required=True, positive=True)
    effective_from = Day(required=True)
    set_at = _text(required=True)
    by = _text(required=True)


class DepotRegistered(Payload):
    code = _text(required=True)
    name = _text(required=True)
    district = _text(required=True)
    zone = f.String(load_default="plain", validate=ma.validate.OneOf(ZONES))


class DepotUpdated(DepotRegistered):
    pass


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


class StockReceived(StockMovement):
    supplier = f.String(load_default="", validate=ma.validate.Length(max=200))
    lot = f.String(load_default="", validate=ma.validate.Length(max=100))
    unit_cost = f.String(load_default="", validate=ma.validate.Length(max=30))


class StockAdjusted(StockMovement):
    pass


class StockTransferred(Payload):
    movement_id = _text(required=True)
    sku = _text(required=True)
    depot = _text(required=True)
    to_depot = _text(required=True)
    quantity = Quantity(required=True, positive=True)
    by = _text(required=True)
    reason = f.String(load_default="", validate=ma.validate.Length(max=500))
    reference = f.String(load_default="", validate=ma.validate.Length(max=200))


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
    payable_total = Money(load_default=None, allow_none=True)  # what the artisan will pay, as priced now
    subsidy_total = Money(load_default=None, allow_none=True)


class RequisitionRejected(Requisition):
    reason = f.String(load_default="", validate=ma.validate.Length(max=1000))


class RequisitionCancelled(Requisition):
    reason = f.String(load_default="", validate=ma.validate.Length(max=1000))


class RequisitionDispatched(Requisition):
    pass


class RequisitionReceived(Requisition):
    pass


class Due(Payload):
    requisition_id = _text(required=True)
    due_on = Day(required=True)
    amount = Money(required=True, positive=True)


class AccountUpdated(Payload):
    """An artisan's account after a change: what is owed, and by when (payments settle the oldest dues first)."""

    artisan_id = _text(required=True)
    version = f.Integer(required=True, strict=True, validate=ma.validate.Range(min=1))
    balance_due = Money(required=True)
    open_dues = f.List(f.Nested(Due), required=True)
    cause = f.String(required=True, validate=ma.validate.OneOf(["charge", "reversal", "payment"]))
    requisition_id = _text(required=True)


class PaymentRecorded(AccountUpdated):
    payment_id = _text(required=True)
    amount = Money(required=True, positive=True)
    method = f.String(required=True, validate=ma.validate.OneOf(["cash", "upi", "advance"]))
    reference = _text(required=True)
    by = _text(required=True)


INVENTORY_EVENTS = (
    MaterialRegistered, DepotRegistered, StockReceived, StockAdjusted, StockTransferred, StockReserved,
    StockReservationFailed, StockWaitlisted, StockReleased, StockIssued, StockLow,
    StockDepleted, StockReplenished, MaterialUpdated, MaterialPriced, DepotUpdated,
)
REQUESTS_EVENTS = (
    ArtisanRegistered, ArtisanUpdated,
    RequisitionSubmitted, RequisitionApproved, RequisitionRejected, RequisitionCancelled,
    RequisitionDispatched, RequisitionReceived, AccountUpdated, PaymentRecorded,
)

#: (type, version) -> payload schema class: the registry every service decodes with.
PAYLOADS: dict[tuple[str, int], type[Payload]] = {
    (schema.__name__, 1): schema for schema in INVENTORY_EVENTS + REQUESTS_EVENTS
}
