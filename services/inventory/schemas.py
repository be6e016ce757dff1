"""Request and response bodies of the inventory API."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f, validate as v

from services.inventory.domain import ADJUSTMENT_REASONS, CATEGORIES, MOVEMENT_TYPES, UNITS
from shared.calendar import Day
from shared.codes import Code
from shared.events import ZONES
from shared.i18n import F_
from shared.lists import page_field
from shared.money import Money
from shared.quantity import WHOLE_NOTE, Quantity
from shared.text import filled

CODE = v.Regexp(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z", error=F_("letters, digits, '.', '_' or '-', at most 64"))
_NAME = filled(200)
_ADDRESS = filled(300)
_TIME = v.Regexp(r"^([01][0-9]|2[0-3]):[0-5][0-9]\Z", error=F_("a time such as 09:30"))
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CLASS = v.Regexp(r"^[a-z][a-z0-9_-]{0,63}\Z", error=F_("a class such as cotton-hank-upto-40s"))


def csv_format(description: str | None = None) -> f.String:
    """`?format=csv` of a list that exports one (every matching item, no paging); json, the page, by default."""
    return f.String(load_default="json", validate=v.OneOf(["json", "csv"]),
                    metadata={"description": description} if description else {})


class Page(ma.Schema):
    """A page of a list: `after` the X-Next-Cursor header of the previous page, or `page` N (from 1) of `limit`."""

    limit = f.Integer(load_default=50, validate=v.Range(min=1, max=200))
    after = f.String(load_default=None, validate=v.Length(max=200),
                     metadata={"description": "the X-Next-Cursor header of the previous page"})
    page = page_field(load_default=None, description="page N (from 1) of `limit` items, instead of `after`")
    format = f.String(load_default="json", validate=v.OneOf(["json"]),
                      metadata={"description": "json only: this list has no CSV export"})

    @ma.validates_schema
    def _one_way(self, data, **kwargs):
        if data.get("page") is not None and data.get("after"):
            raise ma.ValidationError(F_("use either page or after, not both"), "page")


class HoursSchema(ma.Schema):
    """When a depot is open: the days of the week and the hours (India's time)."""

    days = f.List(f.String(validate=v.OneOf(WEEKDAYS)), required=True, validate=v.Length(min=1, max=7),
                  metadata={"description": "mon, tue, wed, thu, fri, sat, sun"})
    opens = f.String(required=True, validate=_TIME, metadata={"description": "HH:MM, 24-hour clock"})
    closes = f.String(required=True, validate=_TIME)

    @ma.validates_schema
    def _in_order(self, data, **kwargs):
        if len(set(data.get("days", ()))) != len(data.get("days", ())):
            raise ma.ValidationError(F_("each day at most once"), "days")
        if data.get("opens", "") >= data.get("closes", "~"):
            raise ma.ValidationError(F_("write a closing time after the opening time"), "closes")


class DepotSchema(ma.Schema):
    code = Code(required=True, validate=CODE, metadata={"description": "new whatever its capital or small letters "
                                                                   "and the spaces around it (dropped)"})
    name = f.String(required=True, validate=_NAME)
    name_hi = f.String(load_default=None, allow_none=True, validate=_NAME,
                       metadata={"description": "the name on Hindi pages (the English name when absent)"})
    district = f.String(required=True, validate=filled(100))
    district_hi = f.String(load_default=None, allow_none=True, validate=filled(100), metadata={
        "description": "the district on Hindi pages, in Devanagari (the English `district` when absent)"})
    zone = f.String(load_default="plain", dump_default="plain", validate=v.OneOf(ZONES),
                    metadata={"description": "freight zone: schemes charge freight by it"})
    address = f.String(load_default=None, allow_none=True, validate=_ADDRESS,
                       metadata={"description": "where artisans collect material"})
    address_hi = f.String(load_default=None, allow_none=True, validate=_ADDRESS)
    opening_hours = f.Nested(HoursSchema, load_default=None, allow_none=True)


class DepotPatchSchema(ma.Schema):
    name = f.String(validate=_NAME)
    name_hi = f.String(allow_none=True, validate=_NAME)
    district_hi = f.String(allow_none=True, validate=filled(100), metadata={
        "description": "the district on Hindi pages; null: the English `district` there too"})
    zone = f.String(validate=v.OneOf(ZONES))
    address = f.String(allow_none=True, validate=_ADDRESS)
    address_hi = f.String(allow_none=True, validate=_ADDRESS)
    opening_hours = f.Nested(HoursSchema, allow_none=True)

    @ma.validates_schema
    def _something(self, data, **kwargs):
        if not data:
            raise ma.ValidationError(F_("send at least one field to change"), "_schema")


class DepotQuery(Page):
    district = f.String(load_default=None, validate=v.Length(min=1, max=100))


class MaterialSchema(ma.Schema):
    sku = f.String(required=True, validate=CODE)
    name = f.String(required=True, validate=_NAME)
    name_hi = f.String(required=True, validate=_NAME)
    category = f.String(required=True, validate=v.OneOf(CATEGORIES))
    unit = f.String(required=True, validate=v.OneOf(UNITS))
    reorder_level = Quantity(required=True, not_negative=True, metadata={"description": WHOLE_NOTE})
    pack_size = Quantity(load_default=None, allow_none=True, positive=True)
    max_level = Quantity(load_default=None, allow_none=True, positive=True)  # what replenishment orders up to
    active = f.Boolean(load_default=True)  # inactive: no longer ordered
    entitlement_class = f.String(load_default=None, allow_none=True, validate=CLASS, metadata={
        "description": "a finer class than the category that schemes may cap, e.g. cotton-hank-upto-40s"})
    price = Money(dump_only=True, allow_none=True, metadata={"description": "price per unit today, rupees"})


class MaterialPatchSchema(ma.Schema):
    """What may change about a material: not its sku, and not its unit (quantities depend on it)."""

    name = f.String(validate=_NAME)
    name_hi = f.String(validate=_NAME)
    category = f.String(validate=v.OneOf(CATEGORIES))
    reorder_level = Quantity(not_negative=True, metadata={"description": WHOLE_NOTE})
    pack_size = Quantity(allow_none=True, positive=True)
    max_level = Quantity(allow_none=True, positive=True)
    active = f.Boolean()
    entitlement_class = f.String(allow_none=True, validate=CLASS)

    @ma.validates_schema
    def _something(self, data, **kwargs):
        if not data:
            raise ma.ValidationError(F_("send at least one field to change"), "_schema")


class PriceSchema(ma.Schema):
    sku = f.String(dump_only=True)
    price = Money(required=True, positive=True, metadata={"description": "per unit, rupees: \"245.50\""})
    effective_from = Day(load_default=None, metadata={"description": "day it applies from (today if not given)"})
    set_at = f.String(dump_only=True)
    by = f.String(dump_only=True)


class MaterialQuery(Page):
    q = f.String(load_default=None, validate=v.Length(min=1, max=100))
    category = f.String(load_default=None, validate=v.OneOf(CATEGORIES))


LOT_CODE = v.Regexp(r"^[^\s\x00-\x1f\x7f](?:[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f])?\Z",
                    error=F_("letters, digits and marks, without spaces at either end"))


EXPIRES_ON = ("The day the lot expires (later than today, else 422 expiry_in_past). Required for a new lot of a "
              "dye or chemical (a receipt, or stock found by a positive adjustment): without it 422 expiry_required "
              "and nothing changes; more of a lot already here keeps that lot's date.")


class LotSchema(ma.Schema):
    """A receipt's lot as its label gives it; without a code rawbank names one."""

    code = f.String(load_default=None, validate=[v.Length(max=100), LOT_CODE])
    shade = f.String(load_default="", validate=v.Length(max=100))
    count = f.String(load_default="", validate=v.Length(max=50))
    mill = f.String(load_default="", validate=v.Length(max=200))
    expires_on = Day(load_default=None, metadata={"description": EXPIRES_ON})


class LotField(f.Field):
    """A lot: its code alone ("L-117"), or {code, shade, count, mill, expires_on}; "" means none."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                return LotSchema().load({"code": value})
            except ma.ValidationError as exc:  # a code alone: its messages as the field's own
                raise ma.ValidationError(exc.messages["code"]) from None
        if not isinstance(value, dict):
            raise ma.ValidationError(F_("Not a valid mapping type."))
        return LotSchema().load(value)  # its ValidationError carries the nested field messages


class MovementSchema(ma.Schema):
    type = f.String(required=True, validate=v.OneOf(["receipt", "adjustment", "transfer", "return"]))
    sku = f.String(required=True, validate=CODE)
    depot = f.String(required=True, validate=CODE)
    to_depot = f.String(load_default=None, validate=CODE)
    quantity = Quantity(required=True, metadata={"description": WHOLE_NOTE})
    reason = f.String(load_default="", validate=v.Length(max=500))
    reference = f.String(load_default="", validate=v.Length(max=200))
    supplier = f.String(load_default="", validate=v.Length(max=200))
    lot = LotField(load_default=None, metadata={"oneOf": [
        {"type": "string", "maxLength": 100},
        {"type": "object", "description": "The lot's label: code, shade, count, mill, expires_on. expires_on: "
                                          + EXPIRES_ON}]})
    purchase_order = f.String(load_default=None, validate=CODE)
    unit_cost = f.Decimal(load_default=None, places=2, as_string=True, allow_nan=False,
                          validate=v.Range(min=0, max=10**9),
                          metadata={"minimum": 0, "maximum": 10**9})  # else OpenAPI gets "1000000000.00"

    @ma.validates_schema
    def _by_type(self, data, **kwargs):
        kind, quantity = data.get("type"), data.get("quantity")
        if quantity is not None and kind in ("receipt", "transfer", "return") and quantity <= 0:
            raise ma.ValidationError(F_("must be greater than zero"), "quantity")
        if kind == "adjustment":
            if quantity == 0:
                raise ma.ValidationError(F_("must not be zero (use a negative number to take stock off)"),
                                         "quantity")
            if data.get("reason") not in ADJUSTMENT_REASONS:
                raise ma.ValidationError(F_("one of: {choices}").format(choices=", ".join(ADJUSTMENT_REASONS)),
                                         "reason")
        if kind == "transfer" and not data.get("to_depot"):
            raise ma.ValidationError(F_("required for a transfer"), "to_depot")
        if kind == "return" and not (data.get("lot") or {}).get("code"):
            raise ma.ValidationError(F_("name the lot that goes back"), "lot")
        if kind == "return" and not (data.get("reason") or "").strip():  # stock taken off says why, as an adjustment
            raise ma.ValidationError(F_("say why it goes back to the supplier (torn bales, wrong shade…)"), "reason")
        if data.get("purchase_order") and kind != "receipt":
            raise ma.ValidationError(F_("only a receipt names a purchase order"), "purchase_order")


class StockLotSchema(ma.Schema):
    lot = f.String()
    on_hand = Quantity()
    shade = f.String()
    count = f.String()
    mill = f.String()
    expires_on = f.String(allow_none=True)
    status = f.String()
    received_at = f.String(metadata={"description": "its first receipt here (India time)"})
    supplier = f.String(metadata={"description": "the first receipt's supplier: a supplier's code, or as typed"})
    purchase_order = f.String(metadata={"description": "the first receipt's purchase order, if it named one"})
    receipts = f.Integer(metadata={"description": "receipts into this lot at this depot (0: it came by transfer)"})
    suppliers = f.List(f.String(), metadata={"description": "every distinct supplier of its receipts, first first"})
    purchase_orders = f.List(f.String(), metadata={"description": "every distinct order its receipts named"})
    last_received_at = f.String(allow_none=True, metadata={"description": "its latest receipt here (UTC)"})


class StockFiguresSchema(ma.Schema):
    """A stock's figures as a movement left them."""

    sku = f.String()
    depot = f.String()
    on_hand = Quantity()
    reserved = Quantity()
    available = Quantity()
    reorder_level = Quantity()


class StockSchema(StockFiguresSchema):
    category = f.String()
    level = f.String()
    blocked = Quantity()  # on hand in lots on hold or expired: not available
    on_order = Quantity()
    lots = f.List(f.Nested(StockLotSchema))  # GET /stock/{depot}/{sku} only, in the order issues take them


class StockQuery(Page):
    depot = f.String(load_default=None, validate=CODE)
    sku = f.String(load_default=None, validate=CODE)
    category = f.String(load_default=None, validate=v.OneOf(CATEGORIES))
    below_reorder = f.Boolean(load_default=False)
    q = f.String(load_default=None, validate=v.Length(min=1, max=100),
                 metadata={"description": "words the material's code or names start with"})


class StockListQuery(StockQuery):
    format = csv_format("csv: every matching stock (no paging), with names and units; the material's and the "
                        "depot's Hindi names (`material_hi`, `depot_hi`; empty where none) and the category's "
                        "(`category_hi`) in the last columns")
    every_material = f.Boolean(load_default=False, metadata={
        "description": "with a depot: also every active material with no stock there yet, at 0 (as the depot's "
                       "stock page lists them); without it only stock records, as before"})

    @ma.validates_schema
    def _of_a_depot(self, data, **kwargs):
        if data.get("every_material") and not data.get("depot"):
            raise ma.ValidationError(F_("give the depot: every material is listed for one depot at a time"), "depot")


class ReceiptOrderSchema(ma.Schema):
    """The purchase order a receipt named, as read right after it."""

    purchase_order = f.String()
    status = f.String()
    remaining = Quantity(metadata={"description": "what of the material received is still to come on the order"})
    complete = f.Boolean(metadata={"description": "nothing of any material is still to come on the order"})


class MovementResultSchema(ma.Schema):
    movement_id = f.String()
    type = f.String()
    sku = f.String()
    depot = f.String()
    to_depot = f.String(allow_none=True)
    quantity = Quantity()
    lot = f.String(allow_none=True)  # the lot a receipt went into
    stock = f.Nested(StockFiguresSchema)
    order = f.Nested(ReceiptOrderSchema)  # a receipt naming a purchase order: that order after it


class MovementEntrySchema(ma.Schema):
    movement_id = f.String(attribute="_id")
    at = f.AwareDateTime()
    type = f.String()
    sku = f.String()
    depot = f.String()
    quantity = Quantity()
    reserved_change = Quantity()
    on_hand_after = Quantity()
    reserved_after = Quantity()
    from_depot = f.String()
    to_depot = f.String()
    reason = f.String()
    reference = f.String()
    supplier = f.String()
    lot = f.String()
    lots = f.List(f.Dict())  # [{lot, quantity}]: each lot the movement changed
    purchase_order = f.String()
    unit_cost = f.String()
    requisition_id = f.String()
    by = f.String()


class MovementQuery(Page):
    sku = f.String(load_default=None, validate=CODE)
    depot = f.String(load_default=None, validate=CODE)
    type = f.String(load_default=None, validate=v.OneOf(MOVEMENT_TYPES))
    requisition_id = f.String(load_default=None, validate=v.Length(min=1, max=200))
    q = f.String(load_default=None, validate=v.Length(min=1, max=100),
                 metadata={"description": "text in the reference, supplier, lot, order, requisition, person or depot"})
    from_ = Day(load_default=None, data_key="from", metadata={"description": "first day (India), YYYY-MM-DD"})
    to = Day(load_default=None, metadata={"description": "last day (India), YYYY-MM-DD, included"})
    format = csv_format("csv: every matching entry (no paging), newest first, times in UTC (`at`) and India "
                        "(`at_ist`); then, last, the kind and an adjustment's reason in Hindi (`type_hi`, "
                        "`reason_hi`; empty for a reason written in words) and the material's and the depot's Hindi "
                        "names (`material_hi`, `depot_hi`; empty where none is stored); then who did it (`by`) by "
                        "name in English and Hindi (`by_name`, `by_name_hi`; empty for a login with no name known)")

    @ma.validates_schema
    def _in_order(self, data, **kwargs):
        if data.get("from_") and data.get("to") and data["to"] < data["from_"]:
            raise ma.ValidationError(F_("the last day comes before the first"), "to")


class ReturnQuery(ma.Schema):
    """A page of returns: `page` N (from 1) of `limit`; X-Total-Count says how many there are."""

    depot = f.String(load_default=None, validate=CODE,
                     metadata={"description": "the depot (warehouse staff of a depot: their own, by default)"})
    limit = f.Integer(load_default=50, validate=v.Range(min=1, max=200))
    page = page_field(load_default=None, description="page N (from 1) of `limit` returns; X-Total-Count says how many")
    format = csv_format("csv: every line of every matching return (no paging), names in the asker's language; "
                        "last, who recorded it (`by`) by name in English and Hindi (`by_name`, `by_name_hi`; empty "
                        "for a login with no name known)")


class ReturnLineSchema(ma.Schema):
    sku = f.String()
    quantity = Quantity()
    condition = f.String(metadata={"description": "restock: back on the shelf; damaged: on the damaged shelf; short: "
                                                  "did not reach the member (a reported shortfall settled; no stock "
                                                  "moves)"})
    credit = Money()
    movement_id = f.String(allow_none=True, metadata={"description": "the taken_back movement of a restock line"})


class ReturnSchema(ma.Schema):
    """Material an artisan brought back to the depot with a credit note (requests' RequisitionReturned)."""

    return_id = f.String()
    requisition_id = f.String()
    artisan_id = f.String()
    cooperative = f.String(allow_none=True)
    depot = f.String()
    reason = f.String()
    month = f.String()
    at = f.AwareDateTime(metadata={"description": "when inventory took it back"})
    by = f.String()
    applied = f.Boolean(metadata={"description": "every restock line is back in stock"})
    credit = Money()
    lines = f.List(f.Nested(ReturnLineSchema))


class HoldSchema(ma.Schema):
    sku = f.String()
    quantity = Quantity()
    held = Quantity()


class ReservationSchema(ma.Schema):
    requisition_id = f.String()
    depot = f.String()
    artisan_id = f.String(allow_none=True)
    status = f.String()
    position = f.Integer()
    lines = f.List(f.Nested(HoldSchema))
    updated_at = f.AwareDateTime()


class GatePassLotSchema(ma.Schema):
    lot = f.String()
    quantity = Quantity(metadata={"description": "what left from this lot"})
    shade = f.String()


class GatePassLineSchema(ma.Schema):
    sku = f.String()
    approved = Quantity()
    quantity = Quantity(metadata={"description": "what was handed over (left the depot)"})
    lots = f.List(f.Nested(GatePassLotSchema))


class ShareLineSchema(ma.Schema):
    sku = f.String()
    quantity = Quantity()


class GatePassShareSchema(ma.Schema):
    artisan_id = f.String()
    lines = f.List(f.Nested(ShareLineSchema))


class ArtisanNamedSchema(ma.Schema):
    artisan_id = f.String()
    name = f.String(allow_none=True, metadata={"description": "inventory's copy of requests' artisan"})
    name_hi = f.String(allow_none=True)


class CooperativeNamedSchema(ma.Schema):
    code = f.String()
    name = f.String(allow_none=True)
    name_hi = f.String(allow_none=True)


class ByAtSchema(ma.Schema):
    at = f.AwareDateTime()
    by = f.String(allow_none=True, metadata={"description": "the staff login"})


class GatePassSchema(ma.Schema):
    requisition_id = f.String()
    depot = f.String()
    artisan = f.Nested(ArtisanNamedSchema, allow_none=True)
    cooperative = f.Nested(CooperativeNamedSchema, allow_none=True,
                           metadata={"description": "a cooperative's requisition: who collects for its members"})
    lines = f.List(f.Nested(GatePassLineSchema))
    shares = f.List(f.Nested(GatePassShareSchema), metadata={"description": "each member's share (cooperatives)"})
    handed_over = f.Nested(ByAtSchema)
    first_printed = f.Nested(ByAtSchema, allow_none=True,
                             metadata={"description": "the first printing; null: not printed yet (reading this "
                                                      "records none)"})


class GatePassPrintingSchema(ma.Schema):
    first = f.Boolean(metadata={"description": "whether this printing was the first (false: a copy)"})
    first_printed = f.Nested(ByAtSchema)


class AvailabilityQuery(ma.Schema):
    district = f.String(load_default=None, validate=v.Length(min=1, max=100), metadata={
        "description": "only the depots of this district: its English name (case aside), or its Hindi name as a "
                       "depot of it gives it (`district_hi`, case and spacing aside)"})
    sku = f.String(load_default=None, validate=CODE)


class AvailableMaterialSchema(ma.Schema):
    sku = f.String()
    name = f.String()
    name_hi = f.String()
    category = f.String()
    unit = f.String()
    status = f.String(metadata={"description": "in_stock, low or out"})


class AvailabilitySchema(ma.Schema):
    depot = f.String()
    name = f.String()
    name_hi = f.String(allow_none=True)
    district = f.String()
    district_hi = f.String(allow_none=True)
    address = f.String(allow_none=True)
    address_hi = f.String(allow_none=True)
    opening_hours = f.Nested(HoursSchema, allow_none=True)
    materials = f.List(f.Nested(AvailableMaterialSchema))
