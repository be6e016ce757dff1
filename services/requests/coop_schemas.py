"""Request and response bodies of cooperatives, members' confirmations, inbound SMS and passbooks."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f, validate as v

from services.requests.cooperatives import KINDS
from services.requests.money_schemas import DueSchema, EntitlementSchema, EntrySchema, Reference, RefundListedSchema
from services.requests.pricing_schemas import PricingSchema
from services.requests.schemas import (CODE, MONTH, NAME, ArtisanOutSchema, LineSchema, ShareConfirmationSchema,
                                       UsageSchema)
from shared.calendar import FinancialYear
from shared.codes import Code
from shared.i18n import F_
from shared.money import Money
from shared.quantity import Quantity
from shared.text import filled


MAX_DISPUTE = 500  # characters of a member's dispute of what the depot recorded for them
SETTLEMENT_OUTCOMES = ("upheld", "rejected")  # of the department's settlement of a dispute
LIMIT = "how much each member may owe (rupees); kept as the members' credit terms"


class CooperativeSchema(ma.Schema):
    code = Code(required=True, validate=CODE, metadata={"description": "new whatever its capital or small letters "
                                                                      "and the spaces around it (dropped)"})
    name = f.String(required=True, validate=NAME)
    name_hi = f.String(required=True, validate=NAME)
    kind = f.String(required=True, validate=v.OneOf(KINDS),
                    metadata={"description": "cooperative, shg (self-help group) or producer_company"})
    district = f.String(required=True, validate=filled(100))
    registration_no = f.String(load_default=None, allow_none=True, validate=v.Length(min=1, max=100))
    credit_limit = Money(load_default=None, allow_none=True, not_negative=True, metadata={"description": LIMIT})
    active = f.Boolean(load_default=True)
    members = f.Integer(dump_only=True, metadata={"description": "artisans registered in it"})
    created_at = f.String(dump_only=True)
    updated_at = f.String(dump_only=True)


class CooperativePatchSchema(ma.Schema):
    name = f.String(validate=NAME)
    name_hi = f.String(validate=NAME)
    kind = f.String(validate=v.OneOf(KINDS))
    district = f.String(validate=filled(100))
    registration_no = f.String(allow_none=True, validate=v.Length(min=1, max=100))
    credit_limit = Money(not_negative=True, metadata={"description": LIMIT + "; the limit they have already writes "
                                                                      "nothing (they keep who set them and when)"})
    active = f.Boolean()

    @ma.validates_schema
    def _something(self, data, **kwargs):
        if not data:
            raise ma.ValidationError(F_("send at least one field to change"), "_schema")


class CooperativeQuery(ma.Schema):
    district = f.String(load_default=None, validate=v.Length(min=1, max=100))
    kind = f.String(load_default=None, validate=v.OneOf(KINDS))
    limit = f.Integer(load_default=100, validate=v.Range(min=1, max=500))
    offset = f.Integer(load_default=0, validate=v.Range(min=0))


#: what a quantity received says of its material's unit (as returns and requisitions take it)
WHOLE = "a whole number for a material counted in pieces, else 422 whole_units_only and nothing changes"
#: what `lines` of what was received say of the materials they name (as a return's lines)
ONCE = "each material at most once, else 400 'each sku at most once'"


class ReceivedLineSchema(ma.Schema):
    sku = f.String(required=True, validate=CODE)
    quantity = Quantity(required=True, not_negative=True, metadata={
        "description": f"in the material's unit, a decimal string; {WHOLE}"})


class ReceivedSchema(ma.Schema):
    """What a member received of their share: all of it, one quantity of a one-material share, or per material."""

    quantity = Quantity(load_default=None, allow_none=True, not_negative=True, metadata={
        "description": "what they received of a one-material share; less than the share reports it short. "
                       f"Leave out to confirm the whole share. {WHOLE[0].upper()}{WHOLE[1:]}"})
    lines = f.List(f.Nested(ReceivedLineSchema), load_default=None, allow_none=True,
                   validate=v.Length(min=1, max=50),
                   metadata={"description": "per material, for a share of several: every material of the share "
                                            f"(0 for one not received), {ONCE}"})

    @ma.validates_schema
    def _one_way(self, data, **kwargs):
        if data.get("quantity") is not None and data.get("lines"):
            raise ma.ValidationError(F_("give a quantity or lines, not both"), "lines")

    @ma.validates_schema
    def _each_material_once(self, data, **kwargs):
        """A material named twice would be read as the last of them, whatever the first said: refused, as a return's."""
        lines = data.get("lines") or []
        if len({line["sku"] for line in lines}) != len(lines):
            raise ma.ValidationError(F_("each sku at most once"), "lines")


class ConfirmationSchema(ReceivedSchema):
    artisan_id = f.String(required=True, validate=CODE, metadata={"description": "the member confirming: the caller"})


class DepotAnswerSchema(ReceivedSchema):
    """What a member says at the depot's counter they received, recorded by its staff on their behalf."""


class DisputeSchema(ma.Schema):
    """A member's word that what the depot recorded for their share is not what they received."""

    note = Reference(required=True, validate=v.Length(min=1, max=MAX_DISPUTE), metadata={
        "description": f"what they say happened, in their words (at most {MAX_DISPUTE} characters)"})


class DisputeSettlementSchema(ReceivedSchema):
    """The department's settlement of a member's dispute of what the depot recorded for their share: `upheld` (what
    the member actually received, per material, replaces the depot's record) or `rejected` (the record stands)."""

    outcome = f.String(required=True, validate=v.OneOf(SETTLEMENT_OUTCOMES), metadata={
        "description": "upheld: the member is right, `quantity` or `lines` say what they received (the share then "
                       "counts as reported short, as if they had reported it); rejected: the depot's record stands"})
    note = Reference(required=True, validate=v.Length(min=1, max=MAX_DISPUTE), metadata={
        "description": f"why, as the member is told it (at most {MAX_DISPUTE} characters)"})
    quantity = Quantity(load_default=None, allow_none=True, not_negative=True, metadata={
        "description": f"upheld, a one-material share: what the member actually received (at most the share); {WHOLE}"})
    lines = f.List(f.Nested(ReceivedLineSchema), load_default=None, allow_none=True, validate=v.Length(min=1, max=50),
                   metadata={"description": "upheld: what the member actually received of every material of the "
                                            "share (0 for one not received; at most what was handed over), "
                                            f"{ONCE}"})

    @ma.validates_schema
    def _received_when_upheld(self, data, **kwargs):
        said = data.get("quantity") is not None or bool(data.get("lines"))
        if data.get("outcome") == "upheld" and not said:
            raise ma.ValidationError(F_("upheld: say what the member received (quantity, or lines of each material)"),
                                     "lines")
        if data.get("outcome") == "rejected" and said:
            raise ma.ValidationError(F_("rejected: the depot's record stands; give no quantity or lines"), "lines")


class InboundSchema(ma.Schema):
    """An SMS gateway's callback: a text, a missed call or keys pressed on an IVR call, from a phone."""

    id = f.String(required=True, validate=v.Length(min=1, max=200),
                  metadata={"description": "the gateway's message or call id: a repeat from the same phone is "
                                           "answered again"})
    channel = f.String(load_default="sms", validate=v.OneOf(["sms", "ivr", "missed_call"]))
    sender = f.String(required=True, data_key="from", validate=v.Length(min=6, max=20),
                      metadata={"description": "the phone number it came from"})
    text = f.String(load_default="", validate=v.Length(max=480),
                    metadata={"description": "sms: 'RCV <code>' or 'हाँ <code>' (then the quantity if short); "
                                             "ivr: the digits pressed"})
    language = f.String(load_default=None, allow_none=True, validate=v.OneOf(["hi", "en"]),
                        metadata={"description": "the language of an IVR menu the caller chose"})


class InboundReplySchema(ma.Schema):
    result = f.String(metadata={"description": "confirmed, short_reported, already_confirmed "
                                             "(the member's own code again) or not_confirmed (never why)"})
    reply = f.String(metadata={"description": "the text to send back to the phone"})
    language = f.String()


class PassbookQuery(ma.Schema):
    month = f.String(load_default=None, validate=MONTH, metadata={"description": "entitlements of this month "
                                                                               "(default: this month, in India)"})
    year = f.String(load_default=None, validate=FinancialYear(), metadata={
        "description": "the financial year whose requisitions, payments, refunds and credit notes are listed, 1 April "
                       "to 31 March, as 'YYYY-YY' (2026-27: April 2026 to March 2027); by default the one in progress "
                       "in India"})


class PassbookEntrySchema(ma.Schema):
    id = f.String()
    created_at = f.String()
    status = f.String()
    depot = f.String()
    cooperative = f.String(allow_none=True, metadata={"description": "set when it is a share of a cooperative's"})
    lines = f.List(f.Nested(LineSchema))
    pricing = f.Nested(PricingSchema, allow_none=True)
    paid = Money()
    dispatched_at = f.String(allow_none=True)
    due_on = f.String(allow_none=True)
    confirmation = f.Nested(ShareConfirmationSchema, allow_none=True)


class PassbookAccountSchema(ma.Schema):
    balance_due = Money()
    overdue = Money()
    open_dues = f.List(f.Nested(DueSchema))
    credit_limit = Money()
    credit_days = f.Integer()


class MembershipSchema(ma.Schema):
    code = f.String(attribute="_id")
    name = f.String()
    name_hi = f.String()
    kind = f.String()
    district = f.String()


class PassbookSchema(ma.Schema):
    artisan = f.Nested(ArtisanOutSchema)
    cooperative = f.Nested(MembershipSchema, allow_none=True)
    month = f.String()
    year = f.String(metadata={"description": "the financial year ('2026-27', April to March) the requisitions, "
                                             "payments, refunds and credit notes are of"})
    first_year = f.String(allow_none=True, metadata={
        "description": "the financial year of the artisan's first requisition (null: none yet): the earliest with "
                       "anything to list"})
    entitlements = f.List(f.Nested(EntitlementSchema), metadata={"description": "subsidised: cap, used, left"})
    quotas = f.List(f.Nested(UsageSchema), metadata={"description": "monthly caps: cap, used, left"})
    requisitions = f.List(f.Nested(PassbookEntrySchema), metadata={
        "description": "every requisition made in `year` (India's), newest first; all of them unless `cut`"})
    cut = f.Boolean(metadata={"description": "true when the year has more requisitions than a passbook lists "
                                             "(passbook.ENTRIES, 2000): `requisitions` are the newest of them"})
    account = f.Nested(PassbookAccountSchema, metadata={"description": "the whole account's, whatever the year"})
    payments = f.List(f.Nested(EntrySchema), metadata={"description": "made in `year`, newest first"})
    refunds = f.List(f.Nested(RefundListedSchema), metadata={"description": "handed back in `year`, newest first"})
    credit_notes = f.List(f.Nested(EntrySchema), metadata={"description": "returns credited in `year`, newest first"})
