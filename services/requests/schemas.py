"""Request and response bodies of the requests API. Unknown input fields are refused (400)."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f, validate as v

from services.requests.domain import STATUSES
from services.requests.pricing_schemas import PaymentEntrySchema, PricingSchema, RefundEntrySchema, RepaySchema
from services.requests.users import MAX_NAME
from shared.auth import ROLES
from shared.calendar import Day, Month
from shared.i18n import F_
from shared.money import Money
from shared.phones import as_typed, e164
from shared.quantity import WHOLE_NOTE, Quantity
from shared.text import filled, is_clean

CODE = v.Regexp(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z", error=F_("letters, digits, '.', '_' or '-', at most 64"))
NAME = filled(200)
class Phone(f.String):
    """A phone number, read as `shared.phones.as_typed` reads it (Devanagari digits, hyphens between digits and the
    invisible marks of a number copied from a phone's contacts are read, not refused) and, once its check passed,
    kept as an SMS is sent to it (`shared.phones.e164`: '98000 00001' is '+919800000001'), so one phone is
    written one way beside another."""

    def _deserialize(self, value, attr, data, **kwargs):
        return as_typed(super()._deserialize(value, attr, data, **kwargs))

    def deserialize(self, value, attr=None, data=None, **kwargs):
        phone = super().deserialize(value, attr, data, **kwargs)
        return e164(phone) if isinstance(phone, str) and phone else phone


PHONE = v.Regexp(r"^\+?[0-9 ]{10,16}\Z", error=F_("10 to 16 digits; + and spaces allowed"))
CATEGORY = v.Regexp(r"^[a-z][a-z0-9_-]{0,63}\Z", error=F_("a material category such as yarn or dye"))
SOCIAL_CATEGORIES = ("sc", "st", "obc", "general")
GENDERS = ("female", "male", "other")
MAX_LINES, MAX_COOPERATIVE_LINES = 50, 200
MAX_NOTE = 1000  # characters of a requisition's note
MONTH = Month()


def _text(max_: int = 200, **kw):
    return f.String(validate=v.Length(max=max_), **kw)


class LoginSchema(ma.Schema):
    username = f.String(required=True, validate=v.Length(min=1, max=100))
    password = f.String(required=True, validate=v.Length(min=1, max=200), load_only=True)


class TokenSchema(ma.Schema):
    access_token = f.String()
    token_type = f.String()
    expires_in = f.Integer()
    role = f.String()


class ArtisanUpdateSchema(ma.Schema):
    name = f.String(validate=NAME)
    name_hi = _text(allow_none=True)
    district = f.String(validate=filled(100))
    craft = f.String(validate=filled(100))
    craft_hi = f.String(allow_none=True, validate=filled(100), metadata={
        "description": "the craft on Hindi pages, in Devanagari; null or absent: the English `craft` there too"})
    phone = Phone(allow_none=True, validate=PHONE)
    email = f.Email(allow_none=True, validate=v.Length(max=200))
    language = f.String(validate=v.OneOf(["hi", "en"]))
    cooperative = _text(allow_none=True)
    looms = f.Integer(strict=True, validate=v.Range(min=0, max=1000))
    active = f.Boolean()
    social_category = f.String(allow_none=True, validate=v.OneOf(SOCIAL_CATEGORIES), metadata={
        "description": "for the department's beneficiary reports; set and seen by admins only"})
    gender = f.String(allow_none=True, validate=v.OneOf(GENDERS), metadata={"description": "admins only"})
    bpl = f.Boolean(allow_none=True, metadata={"description": "below the poverty line; admins only"})


class ArtisanSchema(ArtisanUpdateSchema):
    artisan_id = f.String(validate=CODE, metadata={"description": "admins may choose it; else ART-nnnn"})
    name = f.String(required=True, validate=NAME)
    district = f.String(required=True, validate=filled(100))
    craft = f.String(required=True, validate=filled(100))
    craft_hi = f.String(load_default=None, allow_none=True, validate=filled(100), metadata={
        "description": "the craft on Hindi pages, in Devanagari (the English `craft` when absent)"})
    registration_id = f.String(required=True, validate=CODE, metadata={
        "description": "artisan card or Udyam number; unique, kept in capitals (udyam-up-1 is UDYAM-UP-1)"})
    language = f.String(load_default="hi", validate=v.OneOf(["hi", "en"]))
    looms = f.Integer(load_default=0, strict=True, validate=v.Range(min=0, max=1000))
    active = f.Boolean(load_default=True)
    phone = Phone(load_default=None, allow_none=True, validate=PHONE)
    email = f.Email(load_default=None, allow_none=True, validate=v.Length(max=200))
    cooperative = _text(load_default=None, allow_none=True, metadata={"description": "a registered cooperative's code"})

    @ma.post_load
    def _one_way_of_writing_a_card_number(self, data, **kwargs):
        """A card number typed in small letters is the same card: one artisan, one registration (and one subsidy)."""
        if data.get("registration_id"):
            data["registration_id"] = data["registration_id"].upper()
        return data


class LoomsChangeSchema(ma.Schema):
    looms = f.Integer()
    requested_by = f.String()
    requested_at = f.String()


class PhoneChangeSchema(ma.Schema):
    phone = f.String(allow_none=True, metadata={"description": "the number asked; null: no phone"})
    requested_by = f.String()
    requested_at = f.String()


class PhoneSharedSchema(ma.Schema):
    count = f.Integer(metadata={"description": "how many other artisans are registered with this phone"})
    artisans = f.List(f.String(), metadata={"description": "those of them the caller may see, by number"})
    message = f.String(metadata={"description": "the warning, in the request's language"})


class ArtisanOutSchema(ArtisanSchema):
    artisan_id = f.String(attribute="_id")
    looms_change = f.Nested(LoomsChangeSchema, allow_none=True, metadata={
        "description": "looms a secretary asked for, waiting for an admin (POST .../looms/approve|reject)"})
    phone_change = f.Nested(PhoneChangeSchema, allow_none=True, metadata={
        "description": "a phone a secretary asked for, waiting for an admin (POST .../phone/approve|reject); "
                       "until then codes and SMS go to `phone`"})
    created_by = f.String(dump_only=True, metadata={"description": "who registered them (a username); admins only"})
    phone_shared = f.Nested(PhoneSharedSchema, dump_only=True, allow_none=True, metadata={
        "description": "in the answer to registering or changing a phone: other artisans have it too (a warning, "
                       "not a refusal: a family may share one), whose SMS go to it as well"})
    created_at = f.String()
    updated_at = f.String()


class ArtisanQuery(ma.Schema):
    q = f.String(load_default=None, validate=v.Length(max=100), metadata={
        "description": "words to find in the number, names, phone, district, registration or cooperative; a "
                       "district matches in English as typed or by its Hindi name as a depot of it gives it "
                       "(`district_hi`): वाराणसी finds the artisans of Varanasi"})
    district = f.String(load_default=None, metadata={
        "description": "the artisans of one district: as typed (exactly), or its Hindi name as a depot of it "
                       "gives it (`district_hi`), which finds that depot's district case and spacing aside"})
    cooperative = f.String(load_default=None)
    active = f.Boolean(load_default=None)
    looms_change = f.Boolean(load_default=None, metadata={"description": "true: only those waiting for an admin"})
    phone_change = f.Boolean(load_default=None, metadata={
        "description": "true: only those whose new phone waits for an admin"})
    limit = f.Integer(load_default=100, validate=v.Range(min=1, max=500))
    offset = f.Integer(load_default=0, validate=v.Range(min=0))


def typed_artisan() -> f.String:
    """A form's artisan as a person at a desk types them (artisan_picks.picked), sent instead of `artisan_id`."""
    return f.String(load_default=None, allow_none=True, load_only=True, validate=v.Length(min=1, max=300),
                    metadata={"description": "instead of `artisan_id`, the artisan as a person types them: their "
                                             "number, a line of the pages' list (`name · district · craft · "
                                             "number`) or their whole name in English or Hindi; a name nobody "
                                             "or more than one has is refused (422 artisan_name_unknown, "
                                             "artisan_name_ambiguous) and nothing is saved"})


def one_artisan(data: dict) -> None:
    """The artisan by number or by name (`typed_artisan`), not both."""
    if data.get("artisan_id") and data.get("artisan"):
        raise ma.ValidationError(F_("give the artisan by number or by name, not both"), "artisan")


class QuotaSchema(ma.Schema):
    id = f.String(attribute="_id", dump_only=True, metadata={"description": "'<category>@<artisan_id or *>'"})
    category = f.String(required=True, validate=CATEGORY)
    limit = Quantity(required=True, not_negative=True,
                     metadata={"description": "per month, in the category's unit; at most 10000"})
    per_loom = f.Boolean(load_default=False)
    artisan_id = f.String(load_default=None, allow_none=True, validate=CODE,
                          metadata={"description": "a registered artisan; none (and no `artisan`): everyone"})
    artisan = typed_artisan()
    replace = f.Boolean(load_default=True, load_only=True, metadata={
        "description": "false: refuse (409 quota_exists, with the cap there is) if a cap is set already"})
    set_by = f.String(dump_only=True)
    set_at = f.String(dump_only=True)

    @ma.validates_schema
    def _one_artisan(self, data, **kwargs):
        one_artisan(data)


class QuotaChangeSchema(ma.Schema):
    id = f.String()
    category = f.String()
    artisan_id = f.String(allow_none=True)
    change = f.String(metadata={"description": "set, replaced or removed"})
    limit = Quantity(allow_none=True)
    per_loom = f.Boolean(allow_none=True)
    before = f.Nested(lambda: QuotaBeforeSchema(), allow_none=True)
    by = f.String()
    at = f.String()


class HistoryQuery(ma.Schema):
    limit = f.Integer(load_default=50, validate=v.Range(min=1, max=500))


class QuotaBeforeSchema(ma.Schema):
    limit = Quantity()
    per_loom = f.Boolean()


class UsageQuery(ma.Schema):
    artisan_id = f.String(load_default=None, validate=CODE)
    month = f.String(load_default=None, validate=MONTH)


class QuotaQuery(ma.Schema):
    artisan_id = f.String(load_default=None, validate=CODE)


class UsageSchema(ma.Schema):
    category = f.String()
    month = f.String()
    cap = Quantity(allow_none=True)
    used = Quantity()
    left = Quantity(allow_none=True)
    limit = Quantity(allow_none=True)
    per_loom = f.Boolean(allow_none=True)


class AutoApproveSchema(ma.Schema):
    max_quantity = Quantity(required=True, allow_none=True, not_negative=True, metadata={
        "description": "approve at once when every line is at most this; null: never"})


class LineSchema(ma.Schema):
    sku = f.String(required=True, validate=CODE)
    quantity = Quantity(required=True, positive=True, metadata={"description": WHOLE_NOTE})
    artisan_id = f.String(load_only=True, validate=CODE,
                          metadata={"description": "in a cooperative's requisition: the member the line is for"})
    category = f.String(dump_only=True)
    unit = f.String(dump_only=True)
    returned = Quantity(dump_only=True, metadata={"description": "how much of it came back (returns)"})


class RequisitionSchema(ma.Schema):
    artisan_id = f.String(validate=CODE, metadata={"description": "for admins and secretaries; "
                                                                  "an artisan always requests for themself"})
    cooperative = f.String(validate=CODE, metadata={
        "description": "a secretary's request for members: the cooperative's code; each line names its member"})
    depot = f.String(required=True, validate=CODE)
    lines = f.List(f.Nested(LineSchema), required=True, validate=v.Length(min=1, max=MAX_COOPERATIVE_LINES),
                   metadata={"description": f"at most {MAX_LINES} for one artisan, "
                                            f"{MAX_COOPERATIVE_LINES} for a cooperative's members"})
    note = f.String(load_default="", validate=v.Length(max=MAX_NOTE))

    @ma.validates_schema
    def _lines_fit(self, data, **kwargs):
        lines = data.get("lines") or []
        if data.get("cooperative"):
            if data.get("artisan_id"):
                raise ma.ValidationError(F_("not with a cooperative: each line names its member"), "artisan_id")
            if any(not line.get("artisan_id") for line in lines):
                raise ma.ValidationError(F_("each line names the member (artisan_id) it is for"), "lines")
            if len({(line["sku"], line["artisan_id"]) for line in lines}) != len(lines):
                raise ma.ValidationError(F_("each member at most once per sku"), "lines")
            return
        if any(line.get("artisan_id") for line in lines):
            raise ma.ValidationError(F_("a line names a member only in a cooperative's requisition"), "lines")
        if len(lines) > MAX_LINES:
            raise ma.ValidationError(F_("Longer than maximum length {max}.").format(max=MAX_LINES), "lines")
        if len({line["sku"] for line in lines}) != len(lines):
            raise ma.ValidationError(F_("each sku at most once"), "lines")


class HistorySchema(ma.Schema):
    status = f.String()
    by = f.String()
    at = f.String()
    reason = f.String()


class ShareLineSchema(ma.Schema):
    sku = f.String()
    quantity = Quantity()
    received = Quantity(allow_none=True)
    unit = f.String(allow_none=True)
    returned = Quantity(metadata={"description": "how much of it this member returned"})


class ReturnLineSchema(ma.Schema):
    sku = f.String(required=True, validate=CODE)
    quantity = Quantity(required=True, positive=True)
    condition = f.String(required=True, validate=v.OneOf(("restock", "damaged", "short")), metadata={
        "description": "restock: back on the shelf; damaged: written off; short: did not reach the member (settles "
                       "a shortfall the member of a cooperative's request reported, at most what they reported short; "
                       "no stock moves)"})
    subsidised_quantity = Quantity(dump_only=True, metadata={"description": "of the quantity, what was subsidised"})
    credit = Money(dump_only=True, metadata={"description": "what the member was charged for that much"})
    subsidy = Money(dump_only=True, metadata={"description": "the subsidy on it, off the claim of the return's month"})


class ReturnSchema(ma.Schema):
    artisan_id = f.String(validate=CODE, metadata={
        "description": "a cooperative's request: the member whose materials came back (required); an artisan's own: "
                       "that artisan, or left out"})
    lines = f.List(f.Nested(ReturnLineSchema), required=True, validate=v.Length(min=1, max=MAX_LINES))
    reason = f.String(required=True, validate=filled(200), metadata={"description": "why it came back"})

    @ma.validates_schema
    def _each_material_once(self, data, **kwargs):
        lines = data.get("lines") or []
        if len({line["sku"] for line in lines}) != len(lines):
            raise ma.ValidationError(F_("each sku at most once"), "lines")


class ReturnOutSchema(ReturnSchema):
    return_id = f.String()
    artisan_id = f.String()
    credit = Money(metadata={"description": "credited to the member's account (a credit note): lowers what is due "
                                            "on the request first; beyond it, the artisan's credit"})
    subsidy = Money(metadata={"description": "taken off the subsidy claim of the return's month"})
    by = f.String()
    returned_at = f.String()
    month = f.String(metadata={"description": "India's month of the return (its subsidy claim)"})


class SettlementSchema(ma.Schema):
    outcome = f.String(metadata={"description": "upheld (the member's word replaced the depot's record) or rejected "
                                                "(the depot's record stands)"})
    note = f.String(metadata={"description": "the department's reason, as the member is told it"})
    by = f.String(metadata={"description": "the admin who settled it"})
    at = f.String()
    recorded = f.Dict(keys=f.String(), values=Quantity(), allow_none=True, metadata={
        "description": "upheld: what the depot had recorded as received of each material, before it was replaced"})


class DisputedSchema(ma.Schema):
    at = f.String(metadata={"description": "when the member disputed what the depot recorded"})
    note = f.String(metadata={"description": "what the member says happened"})
    settled = f.Nested(SettlementSchema, allow_none=True, metadata={
        "description": "the department's settlement (once); null while the dispute is open"})


class ShareConfirmationSchema(ma.Schema):
    status = f.String(metadata={"description": "awaited (not received yet), pending, confirmed or short"})
    via = f.String(allow_none=True, metadata={"description": "sms, ivr, missed_call, app, or depot (what the member "
                                                             "said at the depot, recorded by its staff)"})
    at = f.String(allow_none=True)
    by = f.String(allow_none=True, metadata={"description": "via depot: the staff member who recorded it"})
    code_expires_at = f.String(allow_none=True)
    short_by = f.Dict(keys=f.String(), values=Quantity(), allow_none=True)
    disputed = f.Nested(DisputedSchema, allow_none=True, metadata={
        "description": "via depot: the member said it is not what they received (once); null if they did not"})


class ShareSchema(ma.Schema):
    artisan_id = f.String()
    name = f.String(allow_none=True)
    name_hi = f.String(allow_none=True)
    lines = f.List(f.Nested(ShareLineSchema))
    district = f.String(allow_none=True)
    pricing = f.Nested(PricingSchema, allow_none=True, metadata={"description": "this member's price"})
    due_on = f.String(allow_none=True)
    confirmation = f.Nested(ShareConfirmationSchema)
    short_settled = f.Dict(keys=f.String(), values=Quantity(), allow_none=True, metadata={
        "description": "a share reported short: sku -> how much of the shortfall was settled (returns with lines "
                       "`short`, credited as a return is); null for a share not reported short"})


class RequisitionOutSchema(RequisitionSchema):
    id = f.String(attribute="_id")
    pricing = f.Nested(PricingSchema, allow_none=True)
    district = f.String(allow_none=True)
    dispatched_at = f.String(allow_none=True)
    due_on = f.String(allow_none=True, metadata={"description": "when what is not paid at dispatch is due"})
    paid = Money(metadata={"description": "paid on this requisition so far, less what refunds handed back of it"})
    payments = f.List(f.Nested(PaymentEntrySchema))
    refunds = f.List(f.Nested(RefundEntrySchema), metadata={
        "description": "money paid on it that was handed back to the artisan from their credit"})
    repay = f.List(f.Nested(RepaySchema), metadata={
        "description": "refunded, then the payment was reversed: what is to be repaid on it, and by when"})
    cooperative = f.String(allow_none=True)
    members = f.List(f.String(), metadata={"description": "whose requisition it is: one artisan, or the members"})
    shares = f.List(f.Nested(ShareSchema), metadata={
        "description": "a cooperative's requisition: each member's share, price and confirmation"})
    status = f.String()
    waitlist_position = f.Integer(allow_none=True)
    month = f.String()
    created_by = f.String()
    created_at = f.String()
    updated_at = f.String()
    approved_by = f.String(allow_none=True)
    history = f.List(f.Nested(HistorySchema))
    credited = Money(metadata={"description": "what credit notes of its returns took off what it was charged"})
    returns = f.List(f.Nested(ReturnOutSchema), metadata={
        "description": "what came back to the depot and its credit notes (a member: their own), oldest first"})


class RequisitionSummarySchema(RequisitionOutSchema):
    class Meta:
        exclude = ("history", "paid", "payments", "repay", "credited", "returns")


class ActionSchema(ma.Schema):
    reason = f.String(load_default="", validate=v.Length(max=1000))


class RequisitionQuery(ma.Schema):
    status = f.String(load_default=None, validate=v.OneOf(STATUSES))
    depot = f.String(load_default=None, validate=CODE)
    artisan_id = f.String(load_default=None, validate=CODE)
    sku = f.String(load_default=None, validate=CODE, metadata={"description": "requisitions with a line of it"})
    q = f.String(load_default=None, validate=v.Length(max=100), metadata={
        "description": "words to find in the number, the artisan's or material's name, the depot, cooperative or note"})
    since = Day(load_default=None, data_key="from", metadata={"description": "made on this day (India) or later"})
    until = Day(load_default=None, data_key="to", metadata={"description": "made on this day (India) or earlier"})
    limit = f.Integer(load_default=50, validate=v.Range(min=1, max=200))
    offset = f.Integer(load_default=0, validate=v.Range(min=0))
    page = f.Integer(load_default=None, validate=v.Range(min=1, max=100_000),
                     metadata={"description": "page N of `limit` each (instead of offset); X-Total-Count says how many"})
    format = f.String(load_default="json", validate=v.OneOf(["json", "csv"]), metadata={
        "description": "csv: one row per line of every requisition that matches (a cooperative's: per line of each "
                       "member's share, under the member), times in India (+05:30), no paging"})

    @ma.validates_schema
    def _days_in_order(self, data, **kwargs):
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise ma.ValidationError(F_("the last day comes before the first"), "to")


class UserSchema(ma.Schema):
    """A login as an admin sees it on the Users page: never its password or hash."""

    username = f.String()
    role = f.String()
    depot = f.String(allow_none=True)
    cooperative = f.String(allow_none=True)
    artisan_id = f.String(allow_none=True)
    active = f.Boolean(metadata={"description": "false: deactivated, its login is refused"})
    locked_out = f.Boolean(metadata={"description": "too many wrong passwords just now: a new password clears it"})
    language = f.String(allow_none=True)
    name = f.String(allow_none=True, metadata={"description": "display name: who the login is, as pages say it"})
    name_hi = f.String(allow_none=True, metadata={"description": "display name in Hindi, for Hindi pages"})


class LoginNameSchema(ma.Schema):
    """The name a login's token carries for the pages' header, as its login reads it."""

    name = f.String(allow_none=True, metadata={"description": "its display name, or an artisan's login's artisan's"})
    name_hi = f.String(allow_none=True, metadata={"description": "the same in Hindi, for Hindi pages"})


class UserQuery(ma.Schema):
    q = f.String(load_default=None, validate=v.Length(max=100), metadata={
        "description": "words to find in the user name, depot, cooperative or artisan number"})
    role = f.String(load_default=None, validate=v.OneOf(ROLES))
    active = f.Boolean(load_default=None)
    limit = f.Integer(load_default=100, validate=v.Range(min=1, max=500))
    offset = f.Integer(load_default=0, validate=v.Range(min=0))
    page = f.Integer(load_default=None, validate=v.Range(min=1, max=100_000), metadata={
        "description": "page N of `limit` each (instead of offset); X-Total-Count says how many"})


def _optional_code():
    return f.String(load_default=None, allow_none=True, validate=v.Length(max=100))


def _display_name():
    """A login's display name (English or Hindi): what the pages say for it, the login after it to staff; empty or
    null: none, the pages say the role in words."""
    return f.String(allow_none=True, validate=[v.Length(max=MAX_NAME), _clean_text], metadata={
        "description": "who the login is, as the pages name them (a staff login's is told to the other services)"})


def _clean_text(value: str) -> None:
    if not is_clean(value):
        raise ma.ValidationError(F_("write it as text, without control characters"))


class NewUserSchema(ma.Schema):
    """`rawbank user add`'s fields: an artisan's login needs their artisan number, a secretary's their cooperative."""

    username = f.String(required=True, validate=v.Length(min=1, max=100))
    password = f.String(required=True, validate=v.Length(min=1, max=200), load_only=True)
    role = f.String(required=True, validate=v.OneOf(ROLES))
    artisan_id = _optional_code()
    artisan = typed_artisan()
    depot = _optional_code()
    cooperative = _optional_code()
    name = _display_name()
    name_hi = _display_name()

    @ma.validates_schema
    def _one_artisan(self, data, **kwargs):
        one_artisan(data)


class NewPasswordSchema(ma.Schema):
    password = f.String(required=True, validate=v.Length(min=1, max=200), load_only=True)


class UserPatchSchema(ma.Schema):
    active = f.Boolean(metadata={"description": "false: deactivate (login refused, every token ends)"})
    depot = f.String(allow_none=True, validate=v.Length(max=100), metadata={
        "description": "warehouse staff moved to another depot (null or empty: every depot); every token they had "
                       "ends, as it named the old one"})
    role = f.String(validate=v.OneOf(("admin", "warehouse")), metadata={
        "description": "warehouse staff made an admin (their depot goes), or an admin made warehouse staff at "
                       "`depot` (none: every depot); every token they had ends. Not your own, nor the last admin's"})
    name = _display_name()
    name_hi = _display_name()

    @ma.validates_schema
    def _something(self, data, **kwargs):
        if not data:
            raise ma.ValidationError(F_("say what to change: active, depot, role or the display name"), "active")


class OwnPasswordSchema(ma.Schema):
    current_password = f.String(required=True, validate=v.Length(min=1, max=200), load_only=True)
    new_password = f.String(required=True, validate=v.Length(min=1, max=200), load_only=True)
