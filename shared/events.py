"""Integration event payloads: one marshmallow schema per event type and version.

Each event type's docstring says what happened, and its `KEY` is the message key (a format of
payload fields): events with one key keep their order. `python -m shared.eventdoc` (`make docs`)
turns this module and the services' specs into docs/events.md.
"""
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
    KEY = ""  # the envelope's key, from payload fields: "{depot}/{sku}"; new_event checks it

    class Meta:
        unknown = ma.EXCLUDE


def _text(**kw):
    return f.String(validate=ma.validate.Length(min=1, max=200), **kw)


class Line(Payload):
    """One line of a requisition: a material and how much of it."""

    sku = _text(required=True)
    quantity = Quantity(required=True, positive=True)


class MaterialRegistered(Payload):
    """A material was added to the catalog."""

    KEY = "{sku}"
    sku = _text(required=True)
    name = _text(required=True)
    name_hi = _text(required=True)
    category = _text(required=True)
    unit = _text(required=True)
    reorder_level = Quantity(required=True)
    pack_size = Quantity(load_default=None, allow_none=True)
    max_level = Quantity(load_default=None, allow_none=True)
    active = f.Boolean(load_default=True)
    entitlement_class = f.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=64))


class MaterialUpdated(MaterialRegistered):
    """A material changed (not on a PATCH changing nothing); the payload is the whole material.

    What changes: names, category, levels, pack size, class, active."""


class MaterialPriced(Payload):
    """A price per unit from a day on; the latest set (`set_at`, which only grows per material) for the latest day
    not after today applies."""

    KEY = "{sku}"
    sku = _text(required=True)
    price = Money(required=True, positive=True)
    effective_from = Day(required=True)
    set_at = _text(required=True)
    by = _text(required=True)


class DepotRegistered(Payload):
    """A depot was added."""

    KEY = "{code}"
    code = _text(required=True)
    name = _text(required=True)
    name_hi = f.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=200))  # Hindi pages
    district = _text(required=True)
    district_hi = f.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=100))  # Hindi pages
    zone = f.String(load_default="plain", validate=ma.validate.OneOf(ZONES))


class DepotUpdated(DepotRegistered):
    """A depot's name, district (or its Hindi name) or freight zone changed (not on a PATCH changing nothing); the
    payload is the whole depot."""


def _optional(size: int):
    return f.String(load_default="", validate=ma.validate.Length(max=size))


def _stock_version():
    """The stock's `version` after the write that emitted the event: every write of one stock bumps it by one (a
    conditional update), so it orders one stock's events exactly where clocks of the writers disagree or times are
    equal. Absent on events of a rawbank before that (2026-12): then only `occurred_at` orders them."""
    return f.Integer(strict=True, validate=ma.validate.Range(min=1))


class StockMovement(Payload):
    KEY = "{depot}/{sku}"

    movement_id = _text(required=True)
    sku = _text(required=True)
    depot = _text(required=True)
    quantity = Quantity(required=True)
    on_hand = Quantity(required=True)
    available = Quantity(required=True)
    reason = f.String(load_default="", validate=ma.validate.Length(max=500))
    reference = f.String(load_default="", validate=ma.validate.Length(max=200))
    by = _text(required=True)
    #: the stock's version after the write that emitted it (orders one stock's events; absent before 2026-12)
    stock_version = _stock_version()




class StockReceived(StockMovement):
    """Stock arrived at a depot (a receipt movement); `quantity` is what came in, into `lot`."""

    supplier = _optional(200)
    lot = _optional(100)
    unit_cost = _optional(30)
    purchase_order = f.String(validate=ma.validate.Length(min=1, max=100))  # only on a receipt naming its order
    #: what is still on order at the depot after it (a receipt naming its order lowers it): an open low-stock alert
    #: keeps saying it right; absent on events of a rawbank before that (2026-12)
    on_order = Quantity(load_default=None, allow_none=True)


class StockReturned(StockMovement):
    """(Part of) a lot went back to its supplier (a return movement); `quantity` is negative.

    A lot that came on a purchase order names it, and `order_returned` is how much of what that order received
    went back (never more than it counted received; said, 0 included, whenever the order is named): the order's line
    expects that much again, whichever depot it went back from (the lot may have travelled from the order's)."""

    lot = _text(required=True)
    supplier = _optional(200)
    purchase_order = _optional(100)
    order_returned = Quantity(load_default=0)
    #: what is on order at the depot after it (a return at the order's depot puts what went back on order again):
    #: an open low-stock alert keeps saying it right; absent on events of a rawbank before that (2026-12)
    on_order = Quantity(load_default=None, allow_none=True)


class StockAdjusted(StockMovement):
    """A count corrected the stock at a depot; `quantity` is the change, negative when stock was short."""


class StockTakenBack(StockMovement):
    """Material handed over to an artisan came back on the depot's shelf (a `taken_back` movement): a `restock` line
    of requests' RequisitionReturned. `quantity` is what came back, into `lot` (the codes of the lots it went into:
    those it was handed over from, earliest expiring first); `reason` is the return's."""

    requisition_id = _text(required=True)
    return_id = _text(required=True)
    lot = _optional(1000)


class TravellingLot(Payload):
    """A lot's part in a transfer, with its details, so it arrives at the other depot as it left."""

    lot = _text(required=True)
    quantity = Quantity(required=True, positive=True)
    shade = _optional(100)
    count = _optional(50)
    mill = _optional(200)
    expires_on = _optional(10)
    supplier = _optional(200)
    purchase_order = _optional(100)


class StockTransferred(Payload):
    """Stock left `depot` for `to_depot`; inventory applies the arriving leg from this event too."""

    KEY = "{depot}/{sku}"
    movement_id = _text(required=True)
    sku = _text(required=True)
    depot = _text(required=True)
    to_depot = _text(required=True)
    quantity = Quantity(required=True, positive=True)
    by = _text(required=True)
    reason = f.String(load_default="", validate=ma.validate.Length(max=500))
    reference = f.String(load_default="", validate=ma.validate.Length(max=200))
    lots = f.List(f.Nested(TravellingLot), load_default=list)  # the lots that left, each arriving as it was
    #: the stock's version after the write that emitted it (orders one stock's events; absent before 2026-12)
    stock_version = _stock_version()


class LotEvent(Payload):
    KEY = "{depot}/{sku}"

    sku = _text(required=True)
    depot = _text(required=True)
    lot = _text(required=True)
    by = _text(required=True)
    note = _optional(500)
    #: the stock's version after the write that emitted it (orders one stock's events; absent before 2026-12)
    stock_version = _stock_version()


class LotHeld(LotEvent):
    """A lot was put on hold for inspection: it is neither reserved nor issued until released."""


class LotReleased(LotEvent):
    """A held lot was released back to use: the depot's waitlist may be served from it."""


class LotExpiring(Payload):
    """An expiry alert falls due: `stage` days before (90, 60, 30), or 0 when the lot has expired."""

    KEY = "{depot}/{sku}"
    sku = _text(required=True)
    depot = _text(required=True)
    lot = _text(required=True)
    shade = _optional(100)
    expires_on = Day(required=True)
    stage = f.Integer(required=True, strict=True, validate=ma.validate.OneOf([90, 60, 30, 0]))
    days_left = f.Integer(required=True, strict=True, validate=ma.validate.Range(min=0))
    on_hand = Quantity(required=True)
    #: the stock's version after the write that emitted it (orders one stock's events; absent before 2026-12)
    stock_version = _stock_version()


class LotEmptied(Payload):
    """A lot with an expiry alert raised left a depot's stock (handed over, transferred, returned to its supplier or
    written off, to the last unit): its alert is over. `stage` is the last alert raised (90, 60, 30; 0: expired)."""

    KEY = "{depot}/{sku}"
    sku = _text(required=True)
    depot = _text(required=True)
    lot = _text(required=True)
    stage = f.Integer(required=True, strict=True, validate=ma.validate.OneOf([90, 60, 30, 0]))
    #: the stock's version after the write that emitted it (orders one stock's events; absent before 2026-12)
    stock_version = _stock_version()


class Reservation(Payload):
    KEY = "{requisition_id}"

    requisition_id = _text(required=True)
    depot = _text(required=True)
    lines = f.List(f.Nested(Line), required=True)


class StockReserved(Reservation):
    """Every line of an approved requisition is held at its depot."""


class StockReleased(Reservation):
    """A cancelled requisition's holds were given back (or it held nothing)."""


class StockIssued(Reservation):
    """A dispatched requisition's holds became issues: on hand fell by what was held."""


class StockReservationFailed(Reservation):
    """A requisition can never be held: its depot or a material is unknown, or it has no lines."""

    reason = _text(required=True)


class StockWaitlisted(Reservation):
    """Stock is short: the requisition waits at `position` in its depot's first-come queue.

    `reason` `lot_expired`: it was held, a lot expired under the holds, and the material's usable lots no
    longer cover it, so it gave its holds back (the latest held give way first) and waits again."""

    position = f.Integer(required=True, strict=True, validate=ma.validate.Range(min=1))
    reason = _optional(100)
    #: its place number in the depot's queue (kept while it waits, whoever leaves): those waiting at the depot with
    #: a smaller place are ahead of it, so requests shows where it stands now, not only where it joined
    place = f.Integer(strict=True, validate=ma.validate.Range(min=1))
    #: the lines the depot had too little of when it began to wait (available, with what it held itself): what it
    #: waits for; empty when it waits behind earlier requisitions for material that is in stock
    short = f.List(f.Nested(Line))
    #: the unmet-demand report counts `short` (all lines when empty) as what it waited for, as inventory's reservation
    #: keeps (`waited_for`); false on events of a rawbank before that (2026-12), whose every line was counted
    short_only = f.Boolean(load_default=False)


class ExpiredLotIssued(Payload):
    """A dispatch was booked from a lot that had expired under its hold: what left the depot is on the books."""

    KEY = "{depot}/{sku}"
    sku = _text(required=True)
    depot = _text(required=True)
    lot = _text(required=True)
    expires_on = Day(required=True)
    quantity = Quantity(required=True)
    requisition_id = _text(required=True)
    #: the stock's version after the write that emitted it (orders one stock's events; absent before 2026-12)
    stock_version = _stock_version()


class StockLevel(Payload):
    KEY = "{depot}/{sku}"

    sku = _text(required=True)
    depot = _text(required=True)
    available = Quantity(required=True)
    reorder_level = Quantity(required=True)
    #: the stock's version after the write that emitted it (orders one stock's events; absent before 2026-12)
    stock_version = _stock_version()


class OnOrder(StockLevel):
    """A level event that says what is on order at the depot (the alert it opens says it too)."""

    #: what is on order at the depot then (purchase orders sent and not yet received or closed), so the alert says it
    #: and nobody orders it twice; absent on events of a rawbank before that (2026-12): not known, not "none"
    on_order = Quantity(load_default=None, allow_none=True)


class StockLow(OnOrder):
    """Available stock is above zero but below the reorder level now (raised once per crossing); what is on order."""


class StockDepleted(OnOrder):
    """Available stock is zero or less now (raised once per crossing); what is on order at the depot."""


class OnOrderChanged(Payload):
    """What is on order at the depot changed (an order sent, closed or cancelled; a return counted on it elsewhere).

    Emitted only by a stock write whose other events do not say it (a receipt's StockReceived, a return's
    StockReturned, StockLow and StockDepleted carry `on_order` themselves), in that write's outbox. `on_order` is what
    is on order then (purchase orders sent and not yet received, closed or cancelled; 0 for none), so an open
    low-stock or out-of-stock alert keeps saying it right."""

    KEY = "{depot}/{sku}"
    sku = _text(required=True)
    depot = _text(required=True)
    on_order = Quantity(required=True)
    #: the stock's version after the write that emitted it (orders one stock's events; absent before 2026-12)
    stock_version = _stock_version()


class StockReplenished(StockLevel):
    """Available stock is back at or above the reorder level (raised once per crossing)."""


class OrderLine(Line):
    """A purchase order line: how much was ordered, and `limit`, the most it may receive (its tolerance)."""

    limit = Quantity(load_default=None, allow_none=True)


class PurchaseOrder(Payload):
    KEY = "{purchase_order}"

    purchase_order = _text(required=True)
    supplier = _text(required=True)
    depot = _text(required=True)
    lines = f.List(f.Nested(OrderLine), required=True)


class PurchaseOrderSent(PurchaseOrder):
    """A draft order went to its supplier: its lines are on order at the depot until received or closed."""

    expected_on = Day(required=True)


class PurchaseOrderFinished(PurchaseOrder):
    """Nothing more is awaited: received in full, closed (the rest cancelled) or cancelled."""

    status = f.String(required=True, validate=ma.validate.OneOf(["received", "closed", "cancelled"]))


class PurchaseOrderOverdue(PurchaseOrder):
    """Past its expected date with something still to come (`lines`: what is still to come)."""

    supplier_name = _text(required=True)
    #: the supplier's name in Hindi when the order was raised (Hindi texts say it; absent or null: `supplier_name`)
    supplier_name_hi = f.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=200))
    expected_on = Day(required=True)
    days_late = f.Integer(required=True, strict=True, validate=ma.validate.Range(min=1))


class CountLine(Payload):
    """A counted line: what the books said when it was counted, what was counted, and the difference."""

    sku = _text(required=True)
    lot = _optional(100)
    book = Quantity(required=True)
    counted = Quantity(required=True)
    variance = Quantity(required=True)


class StockCountVariance(Payload):
    """A submitted count found differences beyond the tolerance (`lines`: those differences)."""

    KEY = "{count_id}"
    count_id = _text(required=True)
    depot = _text(required=True)
    by = _text(required=True)
    tolerance_percent = f.Integer(required=True, strict=True)
    lines = f.List(f.Nested(CountLine), required=True)


class CountAdjustment(Payload):
    """One adjustment an approved count posts (reason `count`), by the movement id it will have."""

    movement_id = _text(required=True)
    sku = _text(required=True)
    lot = _optional(100)
    quantity = Quantity(required=True)


class StockCountApproved(Payload):
    """A count is approved: each adjustment is posted once, by its movement id."""

    KEY = "{count_id}"
    count_id = _text(required=True)
    depot = _text(required=True)
    by = _text(required=True)
    adjustments = f.List(f.Nested(CountAdjustment), required=True)


class StockCountCancelled(Payload):
    """A count was cancelled (begun by mistake, or counted wrong): nothing of it is posted."""

    KEY = "{count_id}"
    count_id = _text(required=True)
    depot = _text(required=True)
    by = _text(required=True)
    reason = f.String(required=True, validate=ma.validate.Length(min=1, max=500))


class ArtisanRegistered(Payload):
    """An artisan was registered; the payload carries how to reach them and in which language."""

    KEY = "{artisan_id}"
    artisan_id = _text(required=True)
    name = _text(required=True)
    name_hi = f.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=200))  # Hindi texts say it
    district = _text(required=True)
    language = f.String(required=True, validate=ma.validate.OneOf(["hi", "en"]))
    phone = f.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=20))
    email = f.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=200))
    cooperative = f.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=200))
    active = f.Boolean(load_default=True)
    looms = f.Integer(load_default=None, allow_none=True, strict=True, validate=ma.validate.Range(min=0))
    social_category = f.String(load_default=None, allow_none=True,
                               validate=ma.validate.OneOf(["sc", "st", "obc", "general"]))
    gender = f.String(load_default=None, allow_none=True, validate=ma.validate.OneOf(["female", "male", "other"]))
    bpl = f.Boolean(load_default=None, allow_none=True)


class PhoneAsked(Payload):
    ending = f.String(required=True, validate=ma.validate.Length(max=4))  # the asked number's last digits only
    at = _text(required=True)


class ArtisanUpdated(ArtisanRegistered):
    """An artisan's details changed; the payload is the whole profile, and a new phone a secretary asked for that
    waits for an admin (`phone_asked`: only its last digits), so the member is told at the phone they have."""

    phone_asked = f.Nested(PhoneAsked, load_default=None, allow_none=True)


class CooperativeRegistered(Payload):
    """A cooperative, self-help group or producer company was registered; artisans may belong to it."""

    KEY = "{code}"
    code = _text(required=True)
    name = _text(required=True)
    name_hi = _text(required=True)
    kind = f.String(required=True, validate=ma.validate.OneOf(["cooperative", "shg", "producer_company"]))
    district = _text(required=True)
    active = f.Boolean(load_default=True)


class CooperativeUpdated(CooperativeRegistered):
    """A cooperative's details changed (not on a PATCH changing nothing); the payload is the whole record."""


class ShareLine(Line):
    """One material of a member's share; at dispatch with its price: at the scheme price, its value, the subsidy."""

    subsidised_quantity = Quantity(load_default=None, allow_none=True)
    value = Money(load_default=None, allow_none=True)
    subsidy = Money(load_default=None, allow_none=True)


class Share(Payload):
    """What one artisan gets of a requisition: a cooperative's member, or the artisan of their own requisition."""

    artisan_id = _text(required=True)
    district = f.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=200))
    lines = f.List(f.Nested(ShareLine), required=True)
    payable_total = Money(load_default=None, allow_none=True)  # at approval: what this member pays, as priced now
    paid = Money(load_default=None, allow_none=True)  # at a cancel or rejection: what stays paid on the share


class Requisition(Payload):
    KEY = "{requisition_id}"

    requisition_id = _text(required=True)
    artisan_id = _text(required=True)  # a cooperative's requisition: its first member (`shares` lists them all)
    depot = _text(required=True)
    lines = f.List(f.Nested(Line), required=True)
    by = _text(required=True)
    cooperative = f.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=200))
    shares = f.List(f.Nested(Share), load_default=list)


class RequisitionSubmitted(Requisition):
    """An artisan (or someone for them) asked for materials; it counts against their monthly caps."""

    note = f.String(load_default="", validate=ma.validate.Length(max=1000))


class Person(Payload):
    """Who a login is in words, for a service that keeps no users: role, and display name in English and Hindi.

    The display name is the login's (or, for an artisan's login, the artisan's) where its record has one; null
    fields: not known (shared.names.who_is then says the role, else "a member of staff")."""

    role = f.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=50))
    name = f.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=200))
    name_hi = f.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=200))


class RequisitionApproved(Requisition):
    """An admin (or the auto-approve rule, `by` "auto-approve") approved it: inventory should hold it."""

    # who `by` is, for the depot's hand-over page and slip to name the approver in words: null for the auto-approve
    # rule and from a requests older than the field (then an admin)
    by_person = f.Nested(Person, load_default=None, allow_none=True)

    payable_total = Money(load_default=None, allow_none=True)  # what the artisan will pay, as priced now
    subsidy_total = Money(load_default=None, allow_none=True)
    # one artisan's requisition: the least the depot will ask to be paid before handing it over (their dues would
    # pass their credit limit, or an advance is asked), as their account and credit terms stand at approval
    # (requests' accounts.to_pay_first, the figure the dispatch's refusals ask); 0: it may all go on credit; null: a
    # cooperative's (asked of each member at the counter), or from a requests older than the field
    pay_first = Money(load_default=None, allow_none=True)


class RequisitionRejected(Requisition):
    """An admin rejected it; its quota is given back. `paid`: what stays paid on it, as RequisitionCancelled's (an
    advance may be paid before approval; it stays on the artisan's account as credit)."""

    reason = f.String(load_default="", validate=ma.validate.Length(max=1000))
    paid = Money(load_default=None, allow_none=True)


class RequisitionCancelled(Requisition):
    """It was cancelled before dispatch: quota given back, holds released; `paid`: what stays paid on it, as credit.

    `paid` is what stays paid on the requisition when it is cancelled, as requests' accounts count it (each
    artisan's account keeps what is paid on each requisition, `accounts.paid_on`): payments and advances on it, less
    those reversed and what refunds handed back of it. A cancel gives back only charges, so that money stays on the
    artisan's account as credit until an admin refunds it; the notifier tells the artisan so with this figure. A
    cooperative's requisition: each member's account keeps their own, so each share says its member's (`paid` of the
    share) and `paid` is the members' together. Below zero when a refund handed back money whose payment was then
    reversed (that much is to repay: a due of the requisition). Null from a requests older than the field."""

    reason = f.String(load_default="", validate=ma.validate.Length(max=1000))
    paid = Money(load_default=None, allow_none=True)


class RequisitionDispatched(Requisition):
    """The depot handed the reserved materials over: inventory turns the holds into issues."""

    district = f.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=200))
    dispatch_month = f.String(load_default=None, allow_none=True, validate=ma.validate.Regexp(r"^\d{4}-\d{2}\Z"))


class RequisitionReceived(Requisition):
    """The materials were confirmed received (by the artisan, their secretary or an admin)."""


class ReturnLine(Line):
    """One material of a return: how much, restock (shelf), damaged (written off) or short (never reached), its money.

    `short`: a shortfall a cooperative's member reported, settled as a return: credited as a return is, but the
    material left the depot at hand-over and never reached the member, so no stock moves."""

    condition = f.String(required=True, validate=ma.validate.OneOf(("restock", "damaged", "short")))
    subsidised_quantity = Quantity(load_default=0)  # of `quantity`, how much had been subsidised
    credit = Money(load_default=0)  # what the artisan is credited for it: what they were charged for that much
    subsidy = Money(load_default=0)  # the subsidy on it, taken off the claim of the month of the return
    # its whole value at the mill-gate price, rounded as `credit` is (all returns of a line: the line's value); the
    # department's distribution report takes it back. None from a requests that did not send it
    value = Money(load_default=None, allow_none=True)


class RequisitionReturned(Payload):
    """Materials handed over came back to the depot from the artisan (a cooperative's: from one member) with a credit
    note: the member's account is credited what they were charged for them, their caps get the quantity back, the
    subsidy claim of the month of the return is corrected by `subsidy`, and inventory takes the `restock` lines back
    into stock (the `damaged` ones are written off there; the `short` ones, which never reached the member, change no
    stock)."""

    KEY = "{requisition_id}"
    requisition_id = _text(required=True)
    return_id = _text(required=True)  # unique per return; inventory and the notifier apply each once
    artisan_id = _text(required=True)  # whose share came back
    depot = _text(required=True)
    cooperative = f.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=200))
    district = f.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=200))
    lines = f.List(f.Nested(ReturnLine), required=True, validate=ma.validate.Length(min=1))
    reason = _text(required=True)
    month = f.String(required=True, validate=ma.validate.Regexp(r"^\d{4}-\d{2}\Z"))  # India's month of the return
    credit = Money(load_default=0)
    subsidy = Money(load_default=0)
    by = _text(required=True)


class ShareCodeIssued(Payload):
    """A member is asked to confirm their share of a received cooperative requisition, with a code that expires."""

    KEY = "{requisition_id}"
    requisition_id = _text(required=True)
    artisan_id = _text(required=True)
    cooperative = _text(required=True)
    depot = _text(required=True)
    lines = f.List(f.Nested(Line), required=True)
    nonce = f.Integer(required=True, strict=True, validate=ma.validate.Range(min=1))  # the code is derived from it
    received_at = _text(required=True)
    expires_at = _text(required=True)


class ReceivedLine(Line):
    """A material of a member's share and how much of it they say they received."""

    received = Quantity(required=True)


class ShareConfirmed(Payload):
    """A member confirmed their share, or reported receiving less (`short`); `received` per material."""

    KEY = "{requisition_id}"
    requisition_id = _text(required=True)
    artisan_id = _text(required=True)
    cooperative = _text(required=True)
    depot = _text(required=True)
    lines = f.List(f.Nested(ReceivedLine), required=True)
    short = f.Boolean(required=True)
    # depot: what the member said at the depot's counter, recorded by its staff on their behalf (`recorded_by`)
    via = f.String(required=True, validate=ma.validate.OneOf(["sms", "ivr", "missed_call", "app", "depot"]))
    received_at = _text(required=True)
    recorded_by = _text(load_default=None, allow_none=True)  # the staff member who recorded it (via depot)


class ShareRecordDisputed(Payload):
    """A member disputes, once and in their own words (`note`), what the depot recorded for their share.

    What the depot's staff recorded at the counter as the member's answer (ShareConfirmed `via` depot) is not what
    they received, they say. Nothing else changes: no quantity, no money; `lines` say what the depot recorded
    (`received`), `recorded_by` and `recorded_at` who recorded it and when."""

    KEY = "{requisition_id}"
    requisition_id = _text(required=True)
    artisan_id = _text(required=True)
    cooperative = _text(required=True)
    depot = _text(required=True)
    lines = f.List(f.Nested(ReceivedLine), required=True)
    short = f.Boolean(required=True)  # the depot recorded less than the share
    recorded_by = _text(load_default=None, allow_none=True)
    # who `recorded_by` is, for the notifier's board to say in words: null when their login has no record, and from
    # a requests older than the field
    recorded_by_person = f.Nested(Person, load_default=None, allow_none=True)
    recorded_at = _text(load_default=None, allow_none=True)
    note = f.String(required=True, validate=ma.validate.Length(min=1, max=500))
    disputed_at = _text(required=True)


class SettledLine(Line):
    """A material of a disputed share: what the depot had recorded as received and what stands after settlement."""

    recorded = Quantity(required=True)
    received = Quantity(required=True)


class ShareDisputeSettled(Payload):
    """The department (an admin, `settled_by`) settled a member's dispute of what the depot recorded for their share,
    once, with a `note` the member is told.

    `upheld`: what the member received (`lines` `received`) replaced the depot's record (`recorded`), and the share
    counts as reported short (`short`) as if the member had answered so: the depot settles it with `short` return
    lines. `rejected`: the depot's record stands (`received` is `recorded`)."""

    KEY = "{requisition_id}"
    requisition_id = _text(required=True)
    artisan_id = _text(required=True)
    cooperative = _text(required=True)
    depot = _text(required=True)
    outcome = f.String(required=True, validate=ma.validate.OneOf(["upheld", "rejected"]))
    note = f.String(required=True, validate=ma.validate.Length(min=1, max=500))
    lines = f.List(f.Nested(SettledLine), required=True)
    short = f.Boolean(required=True)  # after the settlement, the member received less than the share
    settled_by = _text(required=True)
    # who `settled_by` is, for the notifier's board to say in words: null from a requests older than the field
    settled_by_person = f.Nested(Person, load_default=None, allow_none=True)
    settled_at = _text(required=True)
    disputed_at = _text(required=True)
    recorded_by = _text(load_default=None, allow_none=True)  # the depot's staff member who made the record


class Due(Payload):
    """One open due of an account: what is owed for a requisition and by when."""

    requisition_id = _text(required=True)
    due_on = Day(required=True)
    amount = Money(required=True, positive=True)
    # refund_reversed: money a refund handed back of a payment then reversed, to be repaid (due on the reversal's day
    # plus the artisan's credit days); None: the requisition's charge
    kind = f.String(load_default=None, allow_none=True, validate=ma.validate.OneOf(["refund_reversed"]))


class AccountUpdated(Payload):
    """An artisan's account after a change: what is owed, and by when (payments settle the oldest dues first)."""

    KEY = "{artisan_id}"
    artisan_id = _text(required=True)
    version = f.Integer(required=True, strict=True, validate=ma.validate.Range(min=1))
    balance_due = Money(required=True)
    open_dues = f.List(f.Nested(Due), required=True)
    cause = f.String(required=True,  # reversal: a charge taken back; payment_reversal: a payment taken back;
                     # refund: money handed back from the artisan's credit (requisition_id: the first it draws on)
                     # credit_note: a return's credit (RequisitionReturned says what came back)
                     validate=ma.validate.OneOf(["charge", "reversal", "payment", "payment_reversal", "refund",
                                                 "credit_note"]))
    requisition_id = _text(required=True)
    # refund: the money handed back; payment_reversal: the payment taken back (what the artisan is texted); credit_note:
    # the credit of a return; None for the other causes and in events from before it was said
    amount = Money(load_default=None, allow_none=True, positive=True)
    # payment (PaymentRecorded) and payment_reversal of a requisition approved and not dispatched (not charged yet):
    # what is still to pay of its price (of the member's share), less what is paid on it now; None otherwise, and in
    # events from before it was said
    to_pay = Money(load_default=None, allow_none=True, not_negative=True)
    # refund: requisition id -> what it handed back of the money paid on each (requisition_id names only the first);
    # None for the other causes and in events from before it was said
    requisitions = f.Dict(keys=_text(), values=Money(positive=True), load_default=None, allow_none=True)


class PaymentRecorded(AccountUpdated):
    """A payment (cash, UPI or an advance) was recorded against a requisition; the account after it."""

    payment_id = _text(required=True)
    amount = Money(required=True, positive=True)
    method = f.String(required=True, validate=ma.validate.OneOf(["cash", "upi", "advance"]))
    reference = _text(required=True)
    by = _text(required=True)


class TokenRevoked(Payload):
    """A login token revoked (logout), or with `subject` every token of that user issued before `issued_before`.

    Every service refuses them until expires_at. A subject's revocation comes from a new password: its
    token_id is `sub:<subject>`, issued_before a whole second, expires_at when the last token from before
    may expire.
    """

    KEY = "{token_id}"
    token_id = _text(required=True)
    expires_at = f.AwareDateTime(required=True)
    subject = _text(load_default=None, allow_none=True)
    issued_before = f.AwareDateTime(load_default=None, allow_none=True)

    @ma.validates_schema
    def _whose_tokens(self, data, **kwargs):
        if (data.get("subject") is None) != (data.get("issued_before") is None):
            raise ma.ValidationError("a subject and issued_before come together", "issued_before")


class StaffNamed(Payload):
    """A staff login (admin or warehouse) was added, or its role or display name changed: who it is, in words.

    For the services that keep no users to name it on their pages (a depot officer knows "Suresh Yadav", not
    "wh-vns-2"). `at` orders them: a service keeps the newest it has, whatever order they come in. A login older
    than this event is told once, when requests starts."""

    KEY = "{login}"
    login = _text(required=True)
    role = f.String(required=True, validate=ma.validate.OneOf(["admin", "warehouse"]))
    name = f.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=200))  # null: none given
    name_hi = f.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=200))
    at = f.AwareDateTime(required=True)


INVENTORY_EVENTS = (
    MaterialRegistered, DepotRegistered, StockReceived, StockAdjusted, StockTransferred, StockReserved,
    StockReservationFailed, StockWaitlisted, StockReleased, StockIssued, StockLow,
    StockDepleted, StockReplenished, MaterialUpdated, MaterialPriced, DepotUpdated,
    StockReturned, LotHeld, LotReleased, LotExpiring, ExpiredLotIssued, PurchaseOrderSent, PurchaseOrderFinished,
    PurchaseOrderOverdue, StockCountVariance, StockCountApproved, StockCountCancelled, StockTakenBack, LotEmptied,
    OnOrderChanged,
)
REQUESTS_EVENTS = (
    ArtisanRegistered, ArtisanUpdated,
    RequisitionSubmitted, RequisitionApproved, RequisitionRejected, RequisitionCancelled,
    RequisitionDispatched, RequisitionReceived, RequisitionReturned, AccountUpdated, PaymentRecorded, TokenRevoked,
    CooperativeRegistered, CooperativeUpdated, ShareCodeIssued, ShareConfirmed, ShareRecordDisputed,
    ShareDisputeSettled, StaffNamed,
)

#: topic -> the event types published on it (by the service whose spec `publishes` there)
EVENTS_BY_TOPIC = {INVENTORY_TOPIC: INVENTORY_EVENTS, REQUESTS_TOPIC: REQUESTS_EVENTS}

#: (type, version) -> payload schema class: the registry every service decodes with.
PAYLOADS: dict[tuple[str, int], type[Payload]] = {
    (schema.__name__, 1): schema for schemas in EVENTS_BY_TOPIC.values() for schema in schemas
}
