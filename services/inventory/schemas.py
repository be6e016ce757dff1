"""Request and response bodies of the inventory API."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f, validate as v

from services.inventory.domain import CATEGORIES, UNITS
from shared.quantity import Quantity

CODE = v.Regexp(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", error="letters, digits, '.', '_' or '-', at most 64")


class DepotSchema(ma.Schema):
    code = f.String(required=True, validate=CODE)
    name = f.String(required=True, validate=v.Length(min=1, max=200))
    district = f.String(required=True, validate=v.Length(min=1, max=100))


class MaterialSchema(ma.Schema):
    sku = f.String(required=True, validate=CODE)
    name = f.String(required=True, validate=v.Length(min=1, max=200))
    name_hi = f.String(required=True, validate=v.Length(min=1, max=200))
    category = f.String(required=True, validate=v.OneOf(CATEGORIES))
    unit = f.String(required=True, validate=v.OneOf(UNITS))
    reorder_level = Quantity(required=True)

    @ma.validates("reorder_level")
    def _not_negative(self, value, **kwargs):
        if value < 0:
            raise ma.ValidationError("must not be negative")


class MovementSchema(ma.Schema):
    type = f.String(required=True, validate=v.OneOf(["receipt"]))
    sku = f.String(required=True, validate=CODE)
    depot = f.String(required=True, validate=CODE)
    quantity = Quantity(required=True, positive=True)
    supplier = f.String(load_default="", validate=v.Length(max=200))
    reference = f.String(load_default="", validate=v.Length(max=200))
    reason = f.String(load_default="", validate=v.Length(max=500))


class StockSchema(ma.Schema):
    sku = f.String()
    depot = f.String()
    on_hand = Quantity()
    reserved = Quantity()
    available = Quantity()
    reorder_level = Quantity()


class MovementResultSchema(ma.Schema):
    movement_id = f.String()
    type = f.String()
    sku = f.String()
    depot = f.String()
    quantity = Quantity()
    stock = f.Nested(StockSchema)
