"""Request and response bodies of the money API: schemes, estimates, payments, accounts, claims."""
from __future__ import annotations

import unicodedata

import marshmallow as ma
from marshmallow import fields as f, validate as v

from services.requests.pricing_schemas import PricingSchema, ReversedFields
from services.requests.schemas import CATEGORY, CODE, MONTH, NAME, RequisitionSchema, one_artisan, typed_artisan
from shared.calendar import Day, FinancialYear
from shared.codes import Code
from shared.events import ZONES
from shared.i18n import F_
from shared.lists import page_field
from shared.money import Money, Percent
from shared.quantity import Quantity

SCHEME_CODE = v.Regexp(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}\Z", error=F_("letters, digits, '_' or '-', at most 32"))
REFERENCE = v.Regexp(r"^[^\x00-\x1f\x7f]{1,100}\Z", error=F_("1 to 100 characters, no control characters"))
PLACE = f.String(validate=v.Length(min=1, max=100))


class Reference(f.String):
    """A receipt or UPI reference without the blanks around it; one with nothing visible in it is refused."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not any(not char.isspace() and unicodedata.category(char) != "Cf" for char in text):
            raise ma.ValidationError(F_("must have a letter, digit or sign, not only spaces"))
        return text


class WholeNumber(f.Integer):
    """An integer, also as the digits a page's form sends ("45"); never a fraction cut short."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, float) and not value.is_integer():
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class CapSchema(ma.Schema):
    category = f.String(required=True, validate=CATEGORY, metadata={
        "description": "a material category, or the finer entitlement_class a material declares"})
    per_loom_per_month = Quantity(required=True, not_negative=True)


class CoversSchema(ma.Schema):
    crafts = f.List(PLACE, load_default=list, validate=v.Length(max=50), metadata={
        "description": "empty: every craft; an artisan's craft matches whatever its case or spacing"})
    districts = f.List(PLACE, load_default=list, validate=v.Length(max=100), metadata={
        "description": "empty: every district; an artisan's district matches whatever its case or spacing"})


class SchemePatchSchema(ma.Schema):
    name = f.String(validate=NAME)
    name_hi = f.String(validate=NAME)
    subsidy_percent = Percent(metadata={"description": "off the mill-gate price, within the entitlement"})
    caps = f.List(f.Nested(CapSchema), validate=v.Length(max=50))
    freight_percent = f.Dict(keys=f.String(validate=v.OneOf(ZONES)), values=Percent(),
                             metadata={"description": "of the mill-gate value, by the depot's zone; a zone not "
                                                      "listed pays none"})
    depot_charge_percent = Percent()
    valid_from = Day()
    valid_to = Day(allow_none=True, metadata={"description": "last day; null: open-ended"})
    covers = f.Nested(CoversSchema)

    @ma.validates("caps")
    def _one_cap_per_category(self, caps, **kwargs):
        categories = [cap["category"] for cap in caps if "category" in cap]  # a refused one is said on its row
        if len(set(categories)) != len(categories):
            raise ma.ValidationError(F_("each category at most once"))

    @ma.validates_schema
    def _dates_in_order(self, data, **kwargs):
        if data.get("valid_to") and data.get("valid_from") and data["valid_to"] < data["valid_from"]:
            raise ma.ValidationError(F_("must not be before valid_from"), "valid_to")


class SchemeSchema(SchemePatchSchema):
    code = Code(required=True, validate=SCHEME_CODE, metadata={"description": "new whatever its capital or small "
                                                                             "letters and the spaces around it"})
    name = f.String(required=True, validate=NAME)
    name_hi = f.String(required=True, validate=NAME)
    subsidy_percent = Percent(required=True)
    caps = f.List(f.Nested(CapSchema), required=True, validate=v.Length(max=50))
    freight_percent = f.Dict(keys=f.String(validate=v.OneOf(ZONES)), values=Percent(), load_default=dict)
    depot_charge_percent = Percent(load_default=0)
    valid_from = Day(required=True)
    valid_to = Day(load_default=None, allow_none=True)
    covers = f.Nested(CoversSchema, load_default=lambda: {"crafts": [], "districts": []})
    version = f.Integer(dump_only=True)
    created_at = f.String(dump_only=True)
    updated_at = f.String(dump_only=True)


class EntitlementQuery(ma.Schema):
    month = f.String(load_default=None, validate=MONTH, metadata={"description": "YYYY-MM; this month if not given"})


class EntitlementSchema(ma.Schema):
    category = f.String()
    month = f.String()
    cap = Quantity()
    used = Quantity()
    left = Quantity()
    unit = f.String(allow_none=True, metadata={
        "description": "what cap, used and left count in: the unit of the category's materials; null while no "
                       "known material counts against it (an estimate leaves such a category out)"})
    scheme = f.String()
    per_loom_per_month = Quantity()
    looms = f.Integer()


class EstimatedEntitlementSchema(EntitlementSchema):
    artisan_id = f.String(metadata={"description": "a cooperative's estimate: the member"})
    this_request = Quantity(metadata={"description": "what this requisition would take at the scheme price"})
    left_after = Quantity()


class EstimatedQuotaSchema(ma.Schema):
    artisan_id = f.String(metadata={"description": "a cooperative's estimate: the member"})
    category = f.String(metadata={"description": "the category of the monthly quota (cap) the request counts against"})
    month = f.String()
    unit = f.String()
    cap = Quantity(allow_none=True, metadata={"description": "null: no monthly cap on this category"})
    used = Quantity()
    left = Quantity(allow_none=True)
    this_request = Quantity(metadata={"description": "what this requisition asks of the category"})
    left_after = Quantity(allow_none=True, metadata={"description": "what would be left after it (never below 0)"})
    over = f.Boolean(metadata={"description": "true: more than is left; submitting would be refused (422)"})
    needs_looms = f.Boolean(metadata={
        "description": "over only because the cap is counted per loom and no loom is registered for the artisan yet"})
    renews_on = Day(metadata={
        "type": "string", "format": "date",
        "description": "the day this monthly quota renews (the first of the next month): from then on the whole cap "
                       "is left again"})


class EstimatedShareSchema(ma.Schema):
    artisan_id = f.String()
    pricing = f.Nested(PricingSchema)
    over_quota = f.Boolean(metadata={
        "description": "true: this member asks for more than is left of a monthly quota (see quotas, with over): "
                       "submit would refuse the whole request"})


class EstimateSchema(ma.Schema):
    pricing = f.Nested(PricingSchema)
    entitlements = f.List(f.Nested(EstimatedEntitlementSchema))
    quotas = f.List(f.Nested(EstimatedQuotaSchema), metadata={
        "description": "each monthly quota the request counts against (each member's, for a cooperative's)"})
    shares = f.List(f.Nested(EstimatedShareSchema), metadata={
        "description": "a cooperative's estimate: each member's own pricing (pricing above sums them)"})
    submittable = f.Boolean(metadata={
        "description": "false: submitting this request now would be refused with 422 and the error code in reason "
                       "(a quota with over true, whose left and renews_on say what can be asked and from when); "
                       "the prices above are still given, for what was asked"})
    reason = f.String(allow_none=True, metadata={
        "description": "null when submittable; else the error code submit would answer: quota_exceeded (someone "
                       "asks for more than is left of a monthly quota)"})


class EstimateRequestSchema(RequisitionSchema):
    pass


class PaymentSchema(ma.Schema):
    amount = Money(required=True, positive=True, metadata={"description": "rupees, e.g. \"1250.00\""})
    method = f.String(required=True, validate=v.OneOf(["cash", "upi", "advance"]), metadata={
        "description": "advance: may be more than is due; the rest stays to the artisan's credit"})
    reference = Reference(required=True, validate=REFERENCE, metadata={
        "description": "receipt or UPI reference, blanks around it dropped; sending it again is the same payment"})
    artisan_id = f.String(load_default=None, validate=CODE, metadata={
        "description": "a cooperative's requisition: the member whose share is paid; left out, the cooperative pays "
                       "its members' shares in their order, each up to what is due on it (parts)"})


class PaymentPartSchema(ma.Schema):
    artisan_id = f.String()
    payment_id = f.String()
    amount = Money()


class PaymentOutSchema(PaymentSchema):
    payment_id = f.String()
    requisition_id = f.String()
    by = f.String()
    at = f.String()
    parts = f.List(f.Nested(PaymentPartSchema), metadata={
        "description": "a cooperative's payment that named no member: the payment made on each member's share"})
    paid = Money(metadata={"description": "paid on this requisition in all"})
    balance_due = Money(metadata={"description": "the artisan's balance after it"})


class ReversalSchema(ma.Schema):
    reason = Reference(required=True, validate=v.Length(min=1, max=500), metadata={
        "description": "why the payment is taken back, e.g. \"typed 2000 for 200\""})
    artisan_id = f.String(load_default=None, validate=CODE, metadata={
        "description": "a cooperative's requisition: the member whose payment it was (required there)"})


class ReversedPaymentSchema(PaymentOutSchema, ReversedFields):
    """A payment and its reversal."""


class RefundSchema(ma.Schema):
    amount = Money(required=True, positive=True, metadata={
        "description": "rupees handed back, at most the artisan's credit (what is paid beyond what is owed)"})
    method = f.String(required=True, validate=v.OneOf(["cash", "upi"]),
                      metadata={"description": "how it is handed back"})
    reference = Reference(required=True, validate=REFERENCE, metadata={
        "description": "the refund voucher or UPI reference; sending it again is the same refund"})
    reason = Reference(required=True, validate=v.Length(min=1, max=500), metadata={
        "description": "why, e.g. \"request cancelled\", \"leaving the scheme\" (the artisan sees it)"})


class RefundListedSchema(RefundSchema):
    """A refund as the account lists it."""

    refund_id = f.String()
    artisan_id = f.String()
    by = f.String()
    at = f.String()
    requisitions = f.Dict(keys=f.String(), values=Money(), metadata={
        "description": "requisition id -> what of the money paid on it is handed back"})


class RefundOutSchema(RefundListedSchema):
    """A refund and the account after it."""

    balance_due = Money(metadata={"description": "the artisan's balance after it"})
    credit = Money(metadata={"description": "what is still to the artisan's credit after it"})


class DueSchema(ma.Schema):
    requisition_id = f.String()
    due_on = f.String()
    amount = Money()
    kind = f.String(metadata={"description": "refund_reversed: money a refund handed back of a payment that was then "
                                             "reversed, to be repaid by due_on (the reversal's day plus the artisan's "
                                             "credit days); absent: what is owed on the requisition's charge"})


class EntrySchema(ma.Schema):
    id = f.String()
    type = f.String(metadata={"description": "charge, subsidy, payment, payment_reversal (+ the payment it takes "
                                             "back: payment_id, reason), refund (+ reason, requisitions) or "
                                             "credit_note (a return's credit, + return_id, reason, subsidy)"})
    requisition_id = f.String()
    at = f.String()
    amount = Money(metadata={"description": "adds to the balance due; subsidy and payments are negative, refunds "
                                             "positive"})
    due_on = f.String(metadata={"description": "a charge's due day; a reversal's with `repay`: when that is repaid"})
    repay = Money(metadata={"description": "a reversal of a payment whose money a refund had handed back: what of it "
                                           "the artisan is to repay (a due of the requisition, kind refund_reversed)"})
    method = f.String()
    reference = f.String()
    by = f.String()
    payment_id = f.String()
    reason = f.String()
    requisitions = f.Dict(keys=f.String(), values=Money(), metadata={
        "description": "a refund: requisition id -> what of the money paid on it is handed back"})
    return_id = f.String(metadata={"description": "a credit note: the return it credits"})
    subsidy = Money(metadata={"description": "a credit note: the subsidy on what came back, off the month's claim"})


class AccountQuery(ma.Schema):
    """Optional paging of an account's entries: without `page` or `limit`, every entry, as before."""

    page = page_field(load_default=None, description="page N (from 1) of `limit` entries, newest first; "
                                                     "X-Total-Count and entries_total say how many there are")
    limit = f.Integer(load_default=None, validate=v.Range(min=1, max=500), metadata={
        "description": "entries in a page (50 when only `page` is given); the figures are of the whole account"})


class AccountSchema(ma.Schema):
    artisan_id = f.String()
    balance_due = Money(metadata={"description": "negative: in the artisan's favour"})
    credit = Money(metadata={"description": "what is paid beyond what is owed (the balance below zero): what an "
                                            "admin may refund"})
    overdue = Money(metadata={"description": "of the balance due, what is past its due day"})
    credit_limit = Money()
    credit_days = f.Integer()
    advance_percent = Percent()
    credit_source = f.String(metadata={"description": "whose terms apply: artisan, cooperative, everyone, none"})
    open_dues = f.List(f.Nested(DueSchema))
    entries = f.List(f.Nested(EntrySchema), metadata={
        "description": "newest first: every entry, or the page asked for with `page` and `limit`"})
    entries_total = f.Integer(metadata={"description": "how many entries the account has, on every page"})
    refunds = f.List(f.Nested(RefundListedSchema), metadata={
        "description": "money handed back to the artisan from their credit, newest first"})


class CreditTermsSchema(ma.Schema):
    artisan_id = f.String(load_default=None, allow_none=True, validate=CODE)
    artisan = typed_artisan()
    cooperative = f.String(load_default=None, allow_none=True, validate=v.Length(min=1, max=200))
    credit_limit = Money(required=True, not_negative=True)
    credit_days = WholeNumber(required=True, validate=v.Range(min=0, max=365))
    advance_percent = Percent(load_default=0)
    set_by = f.String(dump_only=True)
    set_at = f.String(dump_only=True)

    @ma.validates_schema
    def _one_holder(self, data, **kwargs):
        if (data.get("artisan_id") or data.get("artisan")) and data.get("cooperative"):
            raise ma.ValidationError(F_("give an artisan or a cooperative, not both"), "cooperative")
        one_artisan(data)


class ClaimsQuery(ma.Schema):
    scheme = f.String(required=True, validate=SCHEME_CODE)
    month = f.String(load_default=None, validate=MONTH, metadata={
        "description": "'YYYY-MM', the month of hand-over (India's) to claim; by default this month in India, whose "
                       "claim is what was handed over so far (`so_far`). A month the scheme did not run in is "
                       "answered all the same, `outside_scheme` true"})
    format = f.String(load_default="json", validate=v.OneOf(["json", "csv"]), metadata={
        "description": "csv: a row per district, a correction row per district with returns, then TOTAL; a month the "
                       "scheme did not run in (`outside_scheme`) ends with one more line, its first cell "
                       "OUTSIDE_SCHEME and its second saying so in the caller's language. The same columns every "
                       "month: district, beneficiaries, a quantity per category the scheme caps (0 where none), "
                       "value_rupees, subsidy_rupees"})


class ClaimRowSchema(ma.Schema):
    district = f.String(allow_none=True)
    beneficiaries = f.Integer()
    quantities = f.Dict(keys=f.String(), values=Quantity(), metadata={"description": "subsidised, per category"})
    units = f.Dict(keys=f.String(), values=f.String())
    value = Money(metadata={"description": "of the subsidised quantities at the mill-gate price"})
    subsidy = Money(metadata={"description": "claimed"})


class ClaimCorrectionSchema(ma.Schema):
    district = f.String(allow_none=True)
    returns = f.Integer(metadata={"description": "how many returns of the month took subsidised materials back"})
    quantities = f.Dict(keys=f.String(), values=Quantity(), metadata={
        "description": "subsidised quantity returned, per category (negative)"})
    units = f.Dict(keys=f.String(), values=f.String())
    value = Money(metadata={"description": "of it at the mill-gate price (negative)"})
    subsidy = Money(metadata={"description": "taken off the claim (negative)"})


class SchemeRunsSchema(ma.Schema):
    valid_from = f.String(metadata={"description": "the scheme's first day"})
    valid_to = f.String(allow_none=True, metadata={"description": "its last day; null: open-ended"})
    first_year = f.String(metadata={"description": "the financial year of its first day"})
    last_year = f.String(allow_none=True, metadata={"description": "the financial year of its last day; null: "
                                                                   "open-ended"})


class SchemeMonthsSchema(SchemeRunsSchema):
    first_month = f.String(metadata={"description": "'YYYY-MM': the month of its first day, the first it ran in"})
    last_month = f.String(allow_none=True, metadata={"description": "'YYYY-MM': the month of its last day, the last "
                                                                    "it ran in; null: open-ended"})


class ClaimsSchema(ma.Schema):
    scheme = f.String()
    month = f.String()
    rows = f.List(f.Nested(ClaimRowSchema))
    corrections = f.List(f.Nested(ClaimCorrectionSchema), metadata={
        "description": "returns in the month (India's) of materials subsidised, per district: `totals` are net of them "
                       "(its beneficiaries are still those served)"})
    totals = f.Nested(ClaimRowSchema)
    so_far = f.Boolean(metadata={"description": "true for this month: not over, the figures are those until `as_of` "
                                                "and grow until it ends"})
    as_of = f.String(metadata={"description": "when the figures were read (UTC ISO 8601)"})
    scheme_runs = f.Nested(SchemeMonthsSchema, metadata={
        "description": "the days, financial years and months the scheme runs"})
    outside_scheme = f.Boolean(metadata={
        "description": "true for a month the scheme did not run in (before the month of its valid_from, or after that "
                       "of its valid_to): the claim is still answered, and counts only hand-overs and returns in the "
                       "month of requests priced under it (often none), so an empty claim of such a month says the "
                       "scheme did not run then, not that nothing was handed over while it ran"})


class ClaimYearQuery(ma.Schema):
    scheme = f.String(required=True, validate=SCHEME_CODE)
    year = f.String(load_default=None, validate=FinancialYear(any_year=True), metadata={
        "description": "an Indian financial year, 1 April to 31 March, as 'YYYY-YY' (2026-27: April 2026 to March "
                       "2027); by default the one in progress in India. One not begun is 422 year_in_future; one "
                       "the scheme did not run in (before its valid_from, or after its valid_to with nothing handed "
                       "over or returned under it) is 422 year_outside_scheme, whose details say which years it ran"})
    format = f.String(load_default="json", validate=v.OneOf(["json", "csv"]), metadata={
        "description": "csv: a row per month, then TOTAL; a year the scheme did not run in (`outside_scheme`) "
                       "ends with one more line, its first cell OUTSIDE_SCHEME and its second saying so in the "
                       "caller's language. The same columns every year: month, month_name, beneficiaries, a "
                       "quantity per category the scheme caps (0 where none), value_rupees, subsidy_rupees"})


class ClaimMonthSchema(ma.Schema):
    month = f.String(metadata={"description": "'YYYY-MM': the month of hand-over (India's) the claim counts"})
    beneficiaries = f.Integer(metadata={"description": "artisans served in the month (the month's claim's)"})
    quantities = f.Dict(keys=f.String(), values=Quantity(), metadata={
        "description": "subsidised, per category, net of the month's returns (the month's claim's totals)"})
    units = f.Dict(keys=f.String(), values=f.String())
    value = Money(metadata={"description": "at the mill-gate price, net of the month's returns"})
    subsidy = Money(metadata={"description": "claimed for the month, net of its returns"})


class ClaimYearTotalsSchema(ma.Schema):
    beneficiaries = f.Integer(metadata={
        "description": "distinct artisans served in the year: one served in several months counts once, so this is "
                       "NOT the sum of the months' beneficiaries"})
    quantities = f.Dict(keys=f.String(), values=Quantity(), metadata={"description": "the months' summed"})
    units = f.Dict(keys=f.String(), values=f.String())
    value = Money(metadata={"description": "the months' summed"})
    subsidy = Money(metadata={"description": "the months' summed: the year's claim"})


class ClaimYearSchema(ma.Schema):
    scheme = f.String()
    year = f.String(metadata={"description": "the financial year, 'YYYY-YY' (1 April to 31 March)"})
    first_month = f.String(metadata={"description": "the first month counted: April of the year"})
    last_month = f.String(metadata={"description": "the last month counted: March, or this month while the year is "
                                                   "in progress"})
    so_far = f.Boolean(metadata={"description": "true while the year is in progress: the months after this one are "
                                                "not included and this month's figures grow until it ends"})
    months = f.List(f.Nested(ClaimMonthSchema), metadata={
        "description": "one per month from `first_month` to `last_month`, each the totals of that month's claim "
                       "(GET /reports/subsidy-claims): requisitions counted by their month of hand-over (dispatch), "
                       "not of submit, so one submitted on 31 March and handed over in April is in the new year"})
    totals = f.Nested(ClaimYearTotalsSchema)
    as_of = f.String(metadata={"description": "when the figures were read (UTC ISO 8601)"})
    scheme_runs = f.Nested(SchemeRunsSchema, metadata={"description": "the days and financial years the scheme runs"})
    outside_scheme = f.Boolean(metadata={
        "description": "true for a year the scheme did not run in that still has claims: hand-overs or returns after "
                       "its last day (or before a first day moved later) of requests priced under it"})


class CollectionsQuery(ma.Schema):
    """The collections register's filters: India's days, method, depot, kind; a page of rows, or every row as CSV."""

    first = Day(load_default=None, data_key="from", metadata={"description": "from this day (India), included"})
    last = Day(load_default=None, data_key="to", metadata={"description": "to this day (India), included"})
    method = f.String(load_default=None, validate=v.OneOf(["cash", "upi", "advance"]))
    depot = f.String(load_default=None, validate=CODE, metadata={
        "description": "the depot of the requisition paid for (a depot's warehouse staff: only their own)"})
    kind = f.String(load_default=None, validate=v.OneOf(["payment", "reversal", "refund"]), metadata={
        "description": "payment: money taken; reversal: a payment an admin took back; refund: money handed back"})
    limit = f.Integer(load_default=50, validate=v.Range(min=1, max=200))
    page = page_field(description="page N (from 1) of `limit` rows; X-Total-Count says how many rows match")
    format = f.String(load_default="json", validate=v.OneOf(["json", "csv"]), metadata={
        "description": "csv: every row that matches, oldest first, times in India (+05:30), no paging"})

    @ma.validates_schema
    def _days_in_order(self, data, **kwargs):
        if data.get("first") and data.get("last") and data["last"] < data["first"]:
            raise ma.ValidationError(F_("the last day comes before the first"), "to")


class CollectionRowSchema(ma.Schema):
    """One payment, reversal or refund (a refund drawing on two depots' requisitions: a row at each)."""

    id = f.String(metadata={"description": "the account entry's id (a refund's split by depot: <id>@<depot>)"})
    kind = f.String(metadata={"description": "payment, reversal or refund"})
    at = f.String(metadata={"description": "when it was recorded (UTC ISO 8601)"})
    day = f.String(metadata={"description": "India's day it was recorded on"})
    amount = Money(metadata={"description": "rupees, positive"})
    net = Money(metadata={"description": "what it does to the money in hand: + a payment, - a reversal or refund"})
    method = f.String()
    reference = f.String()
    artisan_id = f.String()
    artisan_name = f.String(allow_none=True)
    artisan_name_hi = f.String(allow_none=True)
    requisition_id = f.String(allow_none=True, metadata={"description": "none for a refund (see requisitions)"})
    requisitions = f.Dict(keys=f.String(), values=Money(), metadata={
        "description": "a refund's: what it handed back of each requisition's payments at this depot"})
    payment_id = f.String(allow_none=True, metadata={"description": "a reversal's: the payment it took back"})
    depot = f.String()
    by = f.String()
    reason = f.String(allow_none=True)


class CollectionFiguresSchema(ma.Schema):
    count = f.Integer()
    received = Money(metadata={"description": "payments taken"})
    reversed = Money(metadata={"description": "payments taken back by an admin"})
    refunded = Money(metadata={"description": "money handed back"})
    net = Money(metadata={"description": "received less reversed and refunded"})
    amount = Money(metadata={"description": "per kind only: its rows' amounts"})


class CollectionTotalsSchema(CollectionFiguresSchema):
    by_kind = f.Dict(keys=f.String(), values=f.Nested(CollectionFiguresSchema))
    by_method = f.Dict(keys=f.String(), values=f.Nested(CollectionFiguresSchema))
    by_depot = f.Dict(keys=f.String(), values=f.Nested(CollectionFiguresSchema))


class CollectionsSchema(ma.Schema):
    """A page of the register's rows and the totals of every row the filter matches."""

    rows = f.List(f.Nested(CollectionRowSchema))
    totals = f.Nested(CollectionTotalsSchema)
