"""Queries and answers of the department's reports."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f, validate as v

from services.notifier.reports import BENEFICIARY_GROUPS, COOPERATIVE_GROUPS, DISTRIBUTION_GROUPS, UNMET_GROUPS
from shared.calendar import Month
from shared.money import Money
from shared.quantity import Quantity

MONTH = Month()
QUANTITIES = f.Dict(keys=f.String(), values=Quantity(), metadata={"description": "per material (sku)"})


class ReportQuery(ma.Schema):
    month = f.String(load_default=None, validate=MONTH, metadata={"description": "default: this month (India)"})
    format = f.String(load_default="json", validate=v.OneOf(["json", "csv"]), metadata={
        "description": "csv: the same columns every month of the report and grouping: one per material of the "
                       "catalog in SKU order (0 where none), where the materials' columns always were; the "
                       "cooperatives' ends with each one's name and district in Hindi (`name_hi`, `district_hi`; "
                       "empty where none is stored)"})


class UnmetQuery(ReportQuery):
    group_by = f.String(load_default=UNMET_GROUPS[0], validate=v.OneOf(UNMET_GROUPS), metadata={
        "description": "its rows are per depot and material, the one grouping it has (another is refused, not "
                       "ignored)"})


class CooperativesQuery(ReportQuery):
    group_by = f.String(load_default=COOPERATIVE_GROUPS[0], validate=v.OneOf(COOPERATIVE_GROUPS), metadata={
        "description": "its rows are per cooperative, the one grouping it has (another is refused, not ignored)"})


class DistributionQuery(ReportQuery):
    group_by = f.String(load_default="district", validate=v.OneOf(DISTRIBUTION_GROUPS))


class BeneficiaryQuery(ReportQuery):
    group_by = f.String(load_default="social_category", validate=v.OneOf(BENEFICIARY_GROUPS))


class ServedRowSchema(ma.Schema):
    group = f.String()
    quantities = QUANTITIES
    value = Money(metadata={"description": "at the mill-gate price"})
    subsidy = Money()
    artisans = f.Integer()
    requisitions = f.Integer()


class ReturnedSchema(ma.Schema):
    """What came back with a credit note in the month, wherever it was handed over: per group, each material's
    quantity, its value at the mill-gate price, the subsidy taken back, whose shares and requests."""

    rows = f.List(f.Nested(ServedRowSchema))
    totals = f.Nested(ServedRowSchema)


class NetSchema(ma.Schema):
    quantities = QUANTITIES
    value = Money(metadata={"description": "at the mill-gate price"})
    subsidy = Money()


class ServedSchema(ma.Schema):
    month = f.String()
    group_by = f.String()
    rows = f.List(f.Nested(ServedRowSchema))
    totals = f.Nested(ServedRowSchema)
    returns = f.Nested(ReturnedSchema, metadata={"description": "returns of the month"})
    net = f.Nested(NetSchema, metadata={"description": "handed over less returned in the month"})
    units = f.Dict(keys=f.String(), values=f.String())


class UnmetRowSchema(ma.Schema):
    depot = f.String()
    sku = f.String()
    waitlisted = Quantity()
    waitlisted_requisitions = f.Integer()
    refused = Quantity()
    refused_requisitions = f.Integer()
    still_waiting = f.Integer()
    days_waited_average = f.Float(allow_none=True)
    days_waited_longest = f.Float(allow_none=True)


class UnitTotalsSchema(ma.Schema):
    waitlisted = Quantity()
    refused = Quantity()


class UnmetTotalsSchema(ma.Schema):
    """Quantities per unit (materials of different units are never added together); each requisition counted once,
    however many of its materials waited or were refused."""

    by_unit = f.Dict(keys=f.String(), values=f.Nested(UnitTotalsSchema), metadata={
        "description": "per unit (a material's, as in `units`; \"\" for one not heard of): the quantities"})
    waitlisted = Quantity(allow_none=True, metadata={
        "description": "the month's quantity waitlisted when every material is of one unit; null when units differ "
                       "(see by_unit)"})
    refused = Quantity(allow_none=True, metadata={"description": "as `waitlisted`, of what was refused"})
    waitlisted_requisitions = f.Integer()
    refused_requisitions = f.Integer()
    still_waiting = f.Integer()
    days_waited_average = f.Float(allow_none=True, metadata={"description": "per requisition, from its first wait"})
    days_waited_longest = f.Float(allow_none=True)


class UnmetSchema(ma.Schema):
    month = f.String()
    group_by = f.String()
    rows = f.List(f.Nested(UnmetRowSchema))
    totals = f.Nested(UnmetTotalsSchema)
    units = f.Dict(keys=f.String(), values=f.String())


class CooperativeRowSchema(ma.Schema):
    cooperative = f.String()
    name = f.String(allow_none=True)
    name_hi = f.String(allow_none=True)
    district = f.String(allow_none=True)
    district_hi = f.String(allow_none=True, metadata={
        "description": "the district in Hindi, as a depot of it names it (`district_hi`); null where none does"})
    active = f.Boolean(metadata={"description": "material handed to a member this month; else dormant"})
    members = f.Integer()
    looms = f.Integer()
    handed_over = f.Dict(keys=f.String(), values=Quantity(), metadata={
        "description": "per material: handed to members in the month"})
    returned = f.Dict(keys=f.String(), values=Quantity(), metadata={
        "description": "per material: members brought back with a credit note in the month"})
    offtake = f.Dict(keys=f.String(), values=Quantity(), metadata={
        "description": "per material: handed_over less returned"})
    per_loom = f.Dict(keys=f.String(), values=Quantity(), metadata={
        "description": "per material: offtake per loom of its active members"})
    shares = f.Integer(metadata={"description": "members' shares received this month"})
    confirmed = f.Integer()
    short = f.Integer()
    pending = f.Integer()
    confirmation_rate = f.Float(allow_none=True, metadata={"description": "confirmed in full / shares"})
    not_received = f.Integer(metadata={
        "description": "shares handed over this month that the secretary has not marked received (nobody was asked)"})


class CooperativeTotalsSchema(ma.Schema):
    active = f.Integer()
    dormant = f.Integer()
    shares = f.Integer()
    confirmed = f.Integer()
    short = f.Integer()
    not_received = f.Integer()


class CooperativesSchema(ma.Schema):
    month = f.String()
    group_by = f.String()
    rows = f.List(f.Nested(CooperativeRowSchema))
    totals = f.Nested(CooperativeTotalsSchema)
    units = f.Dict(keys=f.String(), values=f.String())


class RebuiltSchema(ma.Schema):
    events = f.Integer(metadata={"description": "events folded again"})
    seconds = f.Float()
