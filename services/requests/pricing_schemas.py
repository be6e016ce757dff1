"""How a requisition's price and its payments look in JSON (the requisition and money APIs both show them)."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f

from shared.money import Money, Percent
from shared.quantity import Quantity


class PricingLineSchema(ma.Schema):
    artisan_id = f.String(metadata={"description": "a cooperative's requisition: the member whose share it is"})
    sku = f.String()
    category = f.String(metadata={"description": "the entitlement it counts against"})
    unit = f.String(allow_none=True)
    quantity = Quantity()
    subsidised_quantity = Quantity()
    unit_price = Money(metadata={"description": "mill-gate price per unit"})
    scheme_unit_price = Money(metadata={"description": "the scheme price per unit, rounded to the paisa (the pages "
                                                     "show it exactly: unit_price less subsidy_percent of it)"})
    subsidy_percent = Percent(metadata={"description": "the subsidy of the line's scheme (0: none); absent on lines "
                                                      "priced before it was kept"})
    priced = f.Boolean(metadata={"description": "false: the material has no price yet (estimated at 0; the request "
                                                "is approved only once it has one)"})
    scheme = f.String(allow_none=True)
    subsidised_value = Money()
    full_value = Money()
    value = Money(metadata={"description": "subsidised_value + full_value: at the mill-gate price"})
    subsidy = Money()
    freight = Money()
    depot_charge = Money()
    amount = Money(metadata={"description": "value - subsidy + freight + depot_charge"})


class PricingSchema(ma.Schema):
    lines = f.List(f.Nested(PricingLineSchema))
    value_total = Money()
    subsidy_total = Money()
    freight_total = Money()
    depot_charge_total = Money()
    payable_total = Money()
    scheme = f.String(allow_none=True)
    subsidy_percent = Percent()
    freight_percent = Percent()
    depot_charge_percent = Percent()
    zone = f.String()
    locked = f.Boolean(metadata={"description": "true once stock is reserved: later prices do not change it"})
    priced_at = f.String()


class ReversedFields(ma.Schema):
    """What a payment taken back says of it (accounts.payments_of)."""

    reversed = f.Boolean(metadata={"description": "taken back by an admin: it pays nothing now"})
    reason = f.String(metadata={"description": "why it was taken back"})
    reversed_by = f.String()
    reversed_at = f.String()


class PaymentEntrySchema(ReversedFields):
    payment_id = f.String(attribute="id")
    amount = Money()
    method = f.String()
    reference = f.String()
    by = f.String()
    at = f.String()


class RepaySchema(ma.Schema):
    """Money a refund handed back of a payment that was then reversed: the artisan repays it by its day."""

    artisan_id = f.String()
    due_on = f.String(metadata={"description": "the reversal's day plus the artisan's credit days"})
    amount = Money(metadata={"description": "still to be repaid"})


class RefundEntrySchema(ma.Schema):
    """What a refund handed back of the money paid on one requisition (accounts.refunds_of)."""

    refund_id = f.String()
    artisan_id = f.String()
    amount = Money(metadata={"description": "of what was paid on this requisition, what the refund handed back"})
    method = f.String()
    reference = f.String()
    reason = f.String()
    by = f.String()
    at = f.String()
