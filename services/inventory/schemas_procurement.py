"""Request and response bodies of suppliers, purchase orders, lots, stock counts and replenishment."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f, validate as v

from services.inventory import clock
from services.inventory.order_rules import STATUSES as ORDER_STATUSES
from services.inventory.schemas import CODE, Page, csv_format
from shared.calendar import Day
from shared.i18n import F_
from shared.money import Money
from shared.quantity import WHOLE_NOTE, Quantity
from shared.text import filled

TOLERANCE = v.Range(min=0, max=50, error=F_("must be a whole percent from {min} to {max}"))
LEAD_TIME = v.Range(min=0, max=365, error=F_("must be a whole number of days from {min} to {max}"))
GSTIN = v.Regexp(r"^(?:[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z])?\Z",
                 error=F_("a GSTIN has 15 characters, e.g. 09AAACH7409R1ZZ (or leave it empty)"))


def _distinct_skus(lines):
    skus = [line["sku"] for line in lines]
    if len(skus) != len(set(skus)):
        raise ma.ValidationError(F_("each material at most once"))


class SupplierItem(ma.Schema):
    sku = f.String(required=True, validate=CODE, metadata={"description": "a material of the catalog"})
    pack_size = Quantity(load_default=None, allow_none=True, positive=True,
                         metadata={"description": "what one pack holds (null: the material's own pack size)"})
    price = Money(load_default=None, allow_none=True, positive=True,
                  metadata={"description": "rupees per unit, more than 0 (null: no price; orders from suggestions "
                                           "to this supplier leave the material out)"})


class NewSupplierItem(SupplierItem):
    """One material added to a supplier, from its page: the price is what makes it worth adding."""

    price = Money(required=True, positive=True, metadata={"description": "rupees per unit, more than 0"})


class SupplierItemPatch(ma.Schema):
    pack_size = Quantity(allow_none=True, positive=True,
                         metadata={"description": "what one pack holds (null: the material's own pack size)"})
    price = Money(positive=True, metadata={"description": "rupees per unit, more than 0"})

    @ma.validates_schema
    def _something(self, data, **kwargs):
        if not data:
            raise ma.ValidationError(F_("send at least one field to change"), "_schema")


class SupplierSchema(ma.Schema):
    code = f.String(required=True, validate=CODE)
    name = f.String(required=True, validate=filled(200))
    name_hi = f.String(load_default=None, allow_none=True, validate=filled(200),
                       metadata={"description": "the name on Hindi pages (the English name when absent)"})
    district = f.String(required=True, validate=filled(100))
    district_hi = f.String(load_default=None, allow_none=True, validate=filled(100), metadata={
        "description": "the district on Hindi pages, in Devanagari (the English `district` when absent)"})
    gstin = f.String(load_default="", validate=GSTIN)
    tolerance_percent = f.Integer(load_default=0, validate=TOLERANCE)
    lead_time_days = f.Integer(load_default=30, validate=LEAD_TIME)
    items = f.List(f.Nested(SupplierItem), load_default=list, validate=[v.Length(max=500), _distinct_skus],
                   metadata={"description": "each material at most once: its pack size and price"})
    active = f.Boolean(dump_only=True)


class SupplierPatchSchema(ma.Schema):
    name = f.String(validate=filled(200))
    name_hi = f.String(allow_none=True, validate=filled(200),
                       metadata={"description": "the name on Hindi pages; null: the English `name` there too"})
    district = f.String(validate=filled(100))
    district_hi = f.String(allow_none=True, validate=filled(100), metadata={
        "description": "the district on Hindi pages; null: the English `district` there too"})
    gstin = f.String(validate=GSTIN)
    tolerance_percent = f.Integer(validate=TOLERANCE)
    lead_time_days = f.Integer(validate=LEAD_TIME)
    items = f.List(f.Nested(SupplierItem), validate=[v.Length(max=500), _distinct_skus])
    active = f.Boolean()

    @ma.validates_schema
    def _something(self, data, **kwargs):
        if not data:
            raise ma.ValidationError(F_("send at least one field to change"), "_schema")


class OrderLineSchema(ma.Schema):
    sku = f.String(required=True, validate=CODE)
    quantity = Quantity(required=True, positive=True, metadata={"description": WHOLE_NOTE})
    price = Money(required=True, not_negative=True)
    received = Quantity(dump_only=True)
    remaining = Quantity(dump_only=True, metadata={"description": "still to come; 0 once the order is closed or "
                                                                  "cancelled"})
    cancelled = Quantity(dump_only=True, metadata={"description": "what had not come when the order was closed or "
                                                                  "cancelled (0 while it is open)"})
    limit = Quantity(dump_only=True)
    amount = Money(dump_only=True, metadata={"description": "what the line is worth now: what came and what is still "
                                                            "to come, at its price; what was cancelled is not in it"})
    ordered_amount = Money(dump_only=True, metadata={"description": "the line's value as ordered: quantity × price"})


_LINES = {"validate": [v.Length(min=1, max=100), _distinct_skus]}


def _not_past(day: str) -> None:
    """An order is expected today or later: India's date, by the inventory's clock."""
    if day < clock.today().isoformat():
        raise ma.ValidationError(F_("a day from today on (India's date); this one has passed"))


_EXPECTED = {"validate": _not_past, "metadata": {"description": "YYYY-MM-DD, today (India) or later"}}


class OrderReceiptSchema(ma.Schema):
    movement_id = f.String()
    sku = f.String()
    quantity = Quantity()
    lot = f.String()
    by = f.String()
    at = f.AwareDateTime(allow_none=True)
    depot = f.String()  # a return that went back from another depot than the order's (the lot travelled there)


class PurchaseOrderSchema(ma.Schema):
    purchase_order = f.String(dump_only=True)
    supplier = f.String(required=True, validate=CODE)
    supplier_name = f.String(dump_only=True)
    supplier_name_hi = f.String(dump_only=True, allow_none=True,
                                metadata={"description": "the supplier's name in Hindi when the order was raised"})
    depot = f.String(required=True, validate=CODE)
    lines = f.List(f.Nested(OrderLineSchema), required=True, **_LINES)
    expected_on = Day(required=True, **_EXPECTED)
    note = f.String(load_default="", validate=v.Length(max=1000))
    origin = f.String(dump_only=True, metadata={"description": "replenishment: drafted from the what-to-order "
                                                               "suggestions (absent: raised by hand)"})
    status = f.String(dump_only=True)
    total = Money(dump_only=True, metadata={"description": "what the order is worth now: the sum of its lines' "
                                                           "amounts (a closed order: what came; a cancelled one: 0)"})
    ordered_total = Money(dump_only=True, metadata={"description": "the order's value as ordered, cancelled parts "
                                                                   "included"})
    overdue = f.String(dump_only=True, allow_none=True)
    created_by = f.String(dump_only=True)
    created_at = f.AwareDateTime(dump_only=True)
    sent_at = f.AwareDateTime(dump_only=True)
    receipts = f.List(f.Nested(OrderReceiptSchema), dump_only=True)


class PurchaseOrderPatchSchema(ma.Schema):
    lines = f.List(f.Nested(OrderLineSchema), **_LINES)
    expected_on = Day(**_EXPECTED)
    note = f.String(validate=v.Length(max=1000))

    @ma.validates_schema
    def _something(self, data, **kwargs):
        if not data:
            raise ma.ValidationError(F_("send at least one field to change"), "_schema")


class OrderQuery(Page):
    status = f.String(load_default=None, validate=v.OneOf(ORDER_STATUSES))
    depot = f.String(load_default=None, validate=CODE)
    format = csv_format("csv: every matching order (no paging), a row per line; `supplier_name` and `material` "
                        "in the asker's language (the Hindi names where stored, else the names)")


class LotActionSchema(ma.Schema):
    lot = f.String(required=True, validate=v.Length(min=1, max=100))
    note = f.String(load_default="", validate=v.Length(max=500))


class CountStartSchema(ma.Schema):
    depot = f.String(required=True, validate=CODE)


class CountLineSchema(ma.Schema):
    sku = f.String(required=True, validate=CODE)
    lot = f.String(load_default=None, allow_none=True, validate=v.Length(max=100))
    counted = Quantity(required=True, validate=v.Range(min=0, error=F_("must not be negative")),
                       metadata={"description": WHOLE_NOTE})


class CountEntrySchema(ma.Schema):
    sku = f.String()
    lot = f.String()
    shade = f.String()
    expires_on = f.String(allow_none=True)
    status = f.String()
    book = Quantity()
    counted = Quantity()
    variance = Quantity()
    by = f.String()
    counted_at = f.AwareDateTime()


class CountAdjustmentSchema(ma.Schema):
    movement_id = f.String()
    sku = f.String()
    lot = f.String()
    quantity = Quantity()


class CountSchema(ma.Schema):
    count_id = f.String()
    depot = f.String()
    status = f.String()
    created_by = f.String()
    created_at = f.AwareDateTime()
    sheet = f.List(f.Nested(CountEntrySchema))
    lines = f.List(f.Nested(CountEntrySchema))
    submitted_by = f.String()
    approved_by = f.String()
    adjustments = f.List(f.Nested(CountAdjustmentSchema))
    cancelled_by = f.String()
    cancelled_at = f.AwareDateTime()
    cancel_reason = f.String()


class CountCancelSchema(ma.Schema):
    reason = f.String(required=True, validate=filled(500), metadata={
        "description": "why: begun by mistake, or counted wrong (then count again)"})


class CountQuery(Page):
    depot = f.String(load_default=None, validate=CODE)


class ReplenishmentQuery(Page):
    depot = f.String(load_default=None, validate=CODE,
                     metadata={"description": "the depot (warehouse staff of a depot: theirs when left out)"})
    supplier = f.String(load_default=None, validate=CODE)
    cover_days = f.Integer(load_default=60, validate=v.Range(min=1, max=365))
    format = csv_format("csv: every material of the depot (no paging)")


class ReplenishmentSchema(ma.Schema):
    sku = f.String()
    name = f.String()
    unit = f.String()
    on_hand = Quantity()
    reserved = Quantity()
    blocked = Quantity()
    available = Quantity()
    on_order = Quantity()
    waitlisted = Quantity()
    avg_daily_issue = Quantity()
    days_of_cover = f.Float(allow_none=True)
    target = Quantity()
    pack_size = Quantity(allow_none=True)
    suggested_quantity = Quantity()


def _ticked(skus: list) -> None:
    """The materials ticked on "What to order": at least one, at most 200."""
    if not skus:
        raise ma.ValidationError(F_("tick at least one material to order"))
    if len(skus) > 200:
        raise ma.ValidationError(F_("at most 200 materials in one order"))


class ReplenishmentOrderSchema(ma.Schema):
    depot = f.String(required=True, validate=CODE)
    supplier = f.String(required=True, validate=CODE)
    skus = f.List(f.String(validate=CODE), required=True, validate=_ticked)
    cover_days = f.Integer(load_default=60, validate=v.Range(min=1, max=365))
