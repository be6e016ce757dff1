"""What inventory's use cases refuse, each with its code, details and message (see shared/errors.py)."""
from __future__ import annotations

from shared.errors import AlreadyExists, Busy, Conflict, Error, Forbidden, Inapplicable, NotFound, RuleBroken
from shared import names
from shared.i18n import N_, language, translate
from shared.quantity import WHOLE_UNITS, format_quantity

_NO_MATERIAL = N_("No material with this SKU; register it first (POST /api/v1/materials).")
_NO_DEPOT = N_("No depot with this code; register it first (POST /api/v1/depots).")
_NO_MATERIAL_HERE = N_("No material with this SKU. Find it in the stock list; an admin adds materials on the "
                       "“Catalog and depots” page.")
_NO_DEPOT_HERE = N_("No depot with this code. Choose one from the list of depots; an admin adds depots on the "
                    "“Catalog and depots” page.")


class UnknownMaterial(RuleBroken):
    """A request names a material the catalog does not have."""

    code, message = "unknown_material", _NO_MATERIAL


class MaterialNotFound(NotFound):
    """The material addressed by the URL does not exist."""

    code, message, page_message = "unknown_material", _NO_MATERIAL, _NO_MATERIAL_HERE


class UnknownDepot(RuleBroken):
    code, message = "unknown_depot", _NO_DEPOT


class DepotNotFound(NotFound):
    code, message, page_message = "unknown_depot", _NO_DEPOT, _NO_DEPOT_HERE


class _Names:
    """An error whose message (and page_message) names a material ({material}), depots and suppliers as people know
    them, in the reader's language, with its quantities in the material's unit, never by their codes; the codes stay
    in the details.

    `named(db)` reads the names from the catalog, only when refusing; without them the codes are said.
    """

    DEPOTS: tuple[str, ...] = ()  # the details that hold a depot's code: the message says its name there
    SUPPLIERS: tuple[str, ...] = ()  # the details that hold a supplier's code: the message says its name there
    FIGURES: tuple[str, ...] = ()  # the details that are quantities: said in the material's unit ("1,250.5 किलो")
    material: dict | None = None  # the material's name, name_hi and unit
    depots: dict | None = None  # depot code -> its name and name_hi
    suppliers: dict | None = None  # supplier code -> its name (and name_hi, should it have one)

    def named(self, db, material: dict | None = None):
        """This error, with the names of the material (`material` when the caller has it), depots and suppliers it
        names."""
        sku = self.details.get("sku")
        self.material = material or (db.materials.find_one({"_id": sku}, {"name": 1, "name_hi": 1, "unit": 1})
                                     if sku else None)
        self.depots = self._names(db.depots, self.DEPOTS)
        self.suppliers = self._names(db.suppliers, self.SUPPLIERS)
        return self

    def _names(self, collection, keys: tuple[str, ...]) -> dict:
        codes = [self.details[k] for k in keys if self.details.get(k)]
        if not codes:
            return {}
        return {d["_id"]: d for d in collection.find({"_id": {"$in": codes}}, {"name": 1, "name_hi": 1})}

    def describe(self, lang: str | None = None) -> str:
        return self._said(self.message, lang)

    def describe_on_page(self, lang: str | None = None) -> str:
        return self._said(self.page_message or self.message, lang)

    def _said(self, message: str, lang: str | None) -> str:
        lang = lang or language()
        found = self.values(lang)
        unit = (self.material or {}).get("unit") or self.details.get("unit")
        figures = {k: names.quantity(found[k], unit, lang) for k in self.FIGURES if k in found}
        places = {k: names.named((self.depots or {}).get(found[k]), found[k], lang) for k in self.DEPOTS if k in found}
        sellers = {k: names.named((self.suppliers or {}).get(found[k]), found[k], lang)
                   for k in self.SUPPLIERS if k in found}
        return translate(message, lang, **{**found, **figures, **places, **sellers,
                                                "material": names.named(self.material, found.get("sku", ""), lang)})


class InsufficientStock(_Names, Conflict):
    code = "insufficient_stock"
    message = N_("Only {available} of {material} is available at {depot}; {wanted} was asked for. "
                 "Nothing was changed.")
    DEPOTS, FIGURES = ("depot",), ("available", "wanted")


class InsufficientInLot(InsufficientStock):
    """A movement from one named lot (a return, a write-off, an adjustment of that lot) for more than the lot holds:
    the lot's figure, said as the lot's (the depot may hold more of the material in other lots)."""

    message = N_("Lot {lot} has only {available} of {material} at {depot}; {wanted} was asked for. "
                 "Nothing was changed.")


class CountBelowReserved(_Names, Conflict):
    """An approval whose count found less than the books where what is left is reserved for requests: it cannot take
    off what is set aside, so it says how much is reserved, for which requests, and how to release it."""

    code = "count_below_reserved"
    message = N_("Count {count} cannot correct the books: it found {wanted} less {material} at {depot} than the books "
                 "say, but {reserved} of it is reserved for requests ({requests}) and only {available} is not. "
                 "Release a reservation first (cancel one of those requests), or record more of it received, or "
                 "count the lot again if it was miscounted. Nothing was changed.")
    DEPOTS, FIGURES = ("depot",), ("available", "wanted", "reserved")


class WrongDepot(Forbidden):
    code = "wrong_depot"
    message = N_("You can record movements only at your own depot; for another depot, ask an admin.")


class WrongDepotWork(_Names, WrongDepot):
    """Staff of a depot starting a count or holding a lot at another depot."""

    message = N_("You can do this only at your own depot, {your_depot}; for another depot, ask an admin.")
    DEPOTS = ("your_depot",)


class OtherDepotsLedger(WrongDepot):
    message = N_("You can read the ledger of your own depot only; leave out depot, or ask an admin.")


class NotYourDepot(_Names, WrongDepot):
    """Warehouse staff of a depot asked a list or page for another depot (?depot=): refused, never answered with
    another depot's figures nor with their own as if they were the depot asked for."""

    message = N_("You see only your own depot's figures, at {your_depot}; leave out depot or send your own, or ask "
                 "an admin.")
    page_message = N_("These pages show only your own depot, {your_depot}.")
    DEPOTS = ("your_depot",)


class OtherDepotsSlip(_Names, WrongDepot):
    """Staff of a depot asking the hand-over slip (gate pass) of a requisition held or handed over at another depot:
    refused on its page and in its API alike, naming the depot it is at, where they can ask for it."""

    message = N_("Request {ref} is at another depot, {depot}, not at yours ({your_depot}): its gate pass is printed "
                 "there. Ask {depot} for it, or an admin.")
    page_message = N_("The hand-over slip of request {ref} belongs to another depot, {depot}: only that depot prints "
                      "it. Ask {depot} for it, or go back to the hand-overs at your depot, {your_depot}.")
    DEPOTS = ("depot", "your_depot")

    def values(self, lang: str | None = None) -> dict:
        return {**super().values(lang), "ref": names.ref(self.details.get("requisition_id", ""))}


class NoSlipHere(NotFound):
    """No requisition inventory holds by that id: not approved yet, rejected or unknown (another depot's is
    OtherDepotsSlip)."""

    code = "not_found"
    message = N_("No approved request {ref} is known at this depot. A slip can be printed once a request for this "
                 "depot is approved and its stock is set aside: check the number, or open the request's page to see "
                 "where it stands.")

    def values(self, lang: str | None = None) -> dict:
        return {**super().values(lang), "ref": names.ref(self.details.get("requisition_id", ""))}


class NotReadyToHandOver(Conflict):
    """A hand-over slip (gate pass) is printed while every line is set aside for the requisition, or from the records
    of its hand-over; one neither set aside nor handed over has none, and the message says what to do instead."""

    code = "not_ready_to_hand_over"
    message = N_("Request {ref} is not set aside for hand-over now (it waits for stock, was cancelled or was handed "
                 "over already), so no slip can be printed for it. Reload the page to see where it stands.")
    #: per status, what a person does next instead of printing
    NEXT = {
        "reserving": N_("Request {ref} is still waiting for its stock to be set aside, so no hand-over slip can be "
                        "printed for it yet. Once it is set aside it appears under Ready to hand over: print the "
                        "slip from there."),
        "waitlisted": N_("Request {ref} is waiting for stock (there is not enough at the depot), so no hand-over slip "
                         "can be printed for it yet. When stock is received it is set aside and appears under Ready "
                         "to hand over: print the slip from there."),
        "released": N_("Request {ref} was cancelled or rejected, so nothing is handed over for it and no hand-over "
                       "slip can be printed. Do not let material leave for it; the artisan can make a new request."),
        "cancelled": N_("Request {ref} was cancelled or rejected, so nothing is handed over for it and no hand-over "
                        "slip can be printed. Do not let material leave for it; the artisan can make a new request."),
        "failed": N_("Request {ref} could not be set aside at this depot (a material or the depot is not known "
                     "here), so no hand-over slip can be printed for it. Ask an admin to check the request."),
    }

    def __init__(self, details: dict | None = None, **kwargs):
        super().__init__(details, **kwargs)
        self.message = self.NEXT.get(self.details.get("status"), type(self).message)

    def values(self, lang: str | None = None) -> dict:
        return {**super().values(lang), "ref": names.ref(self.details.get("requisition_id", ""))}


class NotHandedOverYet(Conflict):
    """A gate pass of a requisition set aside but not handed over yet: its API says what left, from which lots, once
    it has; until then the page's slip (as planned) is what is printed."""

    code = "not_handed_over"
    message = N_("Request {ref} is set aside but not handed over yet, so its gate pass has nothing that left the "
                 "depot to show. Hand it over first (Ready to hand over, or POST /api/v1/requisitions/{id}/dispatch "
                 "at requests), then ask again.")

    def values(self, lang: str | None = None) -> dict:
        return {**super().values(lang), "ref": names.ref(self.details.get("requisition_id", "")),
                "id": self.details.get("requisition_id", "")}


class SameDepot(RuleBroken):
    code = "same_depot"
    message = N_("A transfer must go to a different depot; choose another depot to send it to.")


class StockBusy(Busy):
    """Writers kept colliding on one stock document until the deadline."""

    code = "stock_busy"
    message = N_("This stock is very busy right now; try again in a moment.")


class InvalidRequisition(Inapplicable):
    """A requisition event that can never be applied (bad id, never reserved...)."""


class UnknownSupplier(RuleBroken):
    code, message = "unknown_supplier", N_("No supplier with this code; register it first (POST /api/v1/suppliers).")


class SupplierNotFound(NotFound):
    code, message = "unknown_supplier", N_("No supplier with this code; register it first (POST /api/v1/suppliers).")
    page_message = N_("No supplier with this code. Choose one from the list of suppliers; an admin adds suppliers on "
                      "the “Suppliers” page.")


class CodeTaken(AlreadyExists):
    """A new supplier's or material's code that one already has, whatever the case of their letters (`SRM`, `srm`):
    people read and type them as the same code. `existing` is the code as it is stored."""

    message = N_("The code {existing} already exists; a code in other capital or small letters is the same code. "
                 "Use another code, or change {existing}.")


class SupplierInactive(_Names, RuleBroken):
    code, message = "supplier_inactive", N_("Supplier {supplier} is not active; orders cannot go to it.")
    SUPPLIERS = ("supplier",)


class SupplierItemExists(_Names, Conflict):
    """A material added to a supplier that already has its price and pack size: two would leave orders guessing."""

    code = "supplier_item_exists"
    message = N_("{supplier} already has a price for {material}; change it in its row instead. Nothing was changed.")
    SUPPLIERS = ("supplier",)


class SupplierItemNotFound(_Names, NotFound):
    code = "unknown_supplier_item"
    message = N_("{supplier} has no price or pack size for {material}; add it first. Nothing was changed.")
    SUPPLIERS = ("supplier",)


class MaterialInactive(_Names, RuleBroken):
    code, message = "inactive_material", N_("{material} is no longer in use; it cannot be ordered.")


_NO_ORDER = N_("No purchase order with this number; check the number (the “Purchase orders” page lists them).")


class OrderNotFound(NotFound):
    code, message = "unknown_purchase_order", _NO_ORDER


class UnknownOrder(RuleBroken):
    code, message = "unknown_purchase_order", _NO_ORDER


class _SaysStatus:
    """An error whose message names a status and an action in the reader's words, never their codes."""

    STATUSES: dict[str, str] = {}
    ACTIONS: dict[str, str] = {}

    def describe(self, lang: str | None = None) -> str:
        status, action = self.details.get("status", ""), self.details.get("action", "")
        return translate(self.message, lang, **{**self.values(lang), "status": translate(self.STATUSES.get(status, status), lang),
                                                "action": translate(self.ACTIONS.get(action, action), lang)})


class OrderStatus(_SaysStatus, Conflict):
    """The order's status does not allow the action."""

    code = "purchase_order_status"
    message = N_("Purchase order {purchase_order} is '{status}' now, so '{action}' is not possible. Reload the page "
                 "to see it.")
    STATUSES = {"draft": N_("Draft"), "sent": N_("Sent"), "partially_received": N_("Partly received"),
                "received": N_("Received"), "closed": N_("Closed"), "cancelled": N_("Cancelled")}
    ACTIONS = {"send": N_("sending"), "close": N_("closing"), "cancel": N_("cancelling"), "edit": N_("changing")}


class OrderPartlyReceived(Conflict):
    code = "purchase_order_received"
    message = N_("Something was already received on purchase order {purchase_order}, so it cannot be "
                 "cancelled; close it instead (what has not come is then cancelled).")


class OrderClosed(Conflict):
    code = "purchase_order_closed"
    message = N_("Purchase order {purchase_order} is closed or cancelled; nothing more can be received on it. Check "
                 "the order number; what is still to come goes on a new order, which an admin makes.")


class OrderNotSent(Conflict):
    code = "purchase_order_not_sent"
    message = N_("Purchase order {purchase_order} is still a draft; send it before receiving on it.")


class OrderOtherDepot(_Names, RuleBroken):
    code = "purchase_order_depot"
    message = N_("Purchase order {purchase_order} is for {order_depot}, not {depot}. Check the order number on the "
                 "delivery note: this order is received at {order_depot}.")
    DEPOTS = ("order_depot", "depot")


class NotOnOrder(_Names, RuleBroken):
    """A receipt on an order for a material the order does not carry: says what the order is for (`on_order`, its
    lines' SKUs) and what to do instead."""

    code = "not_on_order"
    message = N_("{material} is not on purchase order {purchase_order}, which is for {ordered}. Choose the order "
                 "it came on, or receive it not against an order.")
    ordered: dict | None = None  # SKU -> name and name_hi of the order's materials

    def named(self, db, material: dict | None = None):
        super().named(db, material)
        skus = list(self.details.get("on_order") or ())
        self.ordered = {d["_id"]: d for d in db.materials.find({"_id": {"$in": skus}}, {"name": 1, "name_hi": 1})}
        return self

    def values(self, lang: str | None = None) -> dict:
        lang = lang or language()
        return {**super().values(lang),
                "ordered": names.named_all(self.ordered or {}, self.details.get("on_order") or (), lang)}


class OverReceipt(_Names, Conflict):
    code = "over_receipt"
    message = N_("This is more than purchase order {purchase_order} still expects of {material}: ordered {ordered}, "
                 "received {received}, at most {allowed} more may come (with the supplier's tolerance).")
    FIGURES = ("ordered", "received", "allowed")


class StockTooLarge(_Names, RuleBroken):
    """A movement would leave more of a material at a depot than its events can carry (domain.MAX_STOCK)."""

    code = "stock_too_large"
    message = N_("{depot} can hold at most {largest} of {material}; this would make its stock {stock_after}. "
                 "Nothing was changed. If the stock shown is wrong (a quantity typed too large), correct it with an "
                 "adjustment that takes stock off, reason “Correction of an earlier entry”.")
    DEPOTS, FIGURES = ("depot",), ("largest", "stock_after")


class WholeUnitsOnly(_Names, RuleBroken):
    """A part of a unit of a material counted whole (a piece: shared.quantity.WHOLE_UNITS) as stock or asked for;
    `field` names what carried it (quantity, reorder_level, counted, lines.0.quantity)."""

    code = "whole_units_only"
    message = N_("{material} is counted in whole {units}: {quantity} is not a whole number. Nothing was changed.")

    def values(self, lang: str | None = None) -> dict:
        unit = (self.material or {}).get("unit") or self.details.get("unit")
        return {**super().values(lang), "units": translate(WHOLE_UNITS.get(unit, unit or ""), lang or language())}


class NothingToOrder(RuleBroken):
    code, message = "nothing_to_order", N_("Nothing needs ordering for these materials at this depot right now.")


class NoSupplierPrice(RuleBroken):
    """A draft order from the suggestions for materials its supplier gave no price for: it would go out at ₹0."""

    code = "no_supplier_price"
    message = N_("{supplier} has given no price for: {materials}. Untick these, choose another supplier, or add "
                 "their prices on the “Suppliers” page: “Prices and pack sizes” in the row of {supplier}, then "
                 "“Add a material”. Nothing was ordered.")

    def values(self, lang: str | None = None) -> dict:
        lang = lang or language()
        seller = {"name": self.details.get("supplier_name"), "name_hi": self.details.get("supplier_name_hi")}
        return {**super().values(lang), "supplier": names.named(seller, self.details.get("supplier"), lang),
                "materials": names.named_all(self.details.get("names") or {}, self.details.get("skus", ()), lang)}


class LotCodeTaken(_Names, Conflict):
    code = "lot_code_taken"
    message = N_("Lot code {lot} already belongs to another material ({material}); "
                 "use the code on this material's label.")


class LotMismatch(Conflict):
    code = "lot_mismatch"
    message = N_("Lot {lot} is already here with other details (shade, count, mill or expiry); "
                 "check the label, or receive it under its own lot code.")


class UnknownLot(RuleBroken):
    code, message = "unknown_lot", N_("There is no lot {lot} of this material at this depot; check the lot code on "
                                      "the label.")


class CountUnknownLot(_Names, UnknownLot):
    """A count line for a lot the books do not know: says how to put what was found on the books first."""

    message = N_("The books have no lot {lot} of {material} at {depot}. If it was found on the shelf, record it "
                 "first, as a receipt (without a purchase order) or as an adjustment with reason “count”, then "
                 "count it again.")
    DEPOTS = ("depot",)


class LotExpired(Conflict):
    code = "lot_expired"
    message = N_("Lot {lot} has expired: it cannot be reserved, issued, moved or returned. "
                 "Take it off the books with an adjustment, reason 'expired'.")


class LotNotExpired(Conflict):
    code, message = "lot_not_expired", N_("Lot {lot} has not expired; choose another reason.")


class LotOnHold(Conflict):
    code, message = "lot_on_hold", N_("Lot {lot} is on hold for inspection; release it first.")


class ExpiryInPast(RuleBroken):
    """Said after the field's name on the receipt page ("Expires on: must be later ..."), its day as pages write
    days; the details keep the day as sent."""

    code = "expiry_in_past"
    message = N_("must be later than today (it says {expires_on}): expired material cannot be received.")

    def values(self, lang: str | None = None) -> dict:
        lang = lang or language()
        found = super().values(lang)
        return {**found, "expires_on": names.day(found["expires_on"], lang)} if "expires_on" in found else found


class ExpiryRequired(_Names, RuleBroken):
    """A new lot of a dye or chemical without its expiry date: it could never be known expired, nor alerted."""

    code = "expiry_required"
    message = N_("A new lot of {material} needs its expiry date. Dyes and chemicals lose their strength: give the "
                 "expiry date printed on the label (lot → expires on); if there is none, ask the supplier for the "
                 "date they guarantee. Nothing was changed.")


class FoundExpiryRequired(ExpiryRequired):
    """Stock of a dye or chemical found (a positive adjustment) into a new lot without its date: the Adjust stock
    page has no lot fields, so it says what to do instead (the same code, expiry_required)."""

    message = N_("Stock of {material} found goes into a new lot, and a new lot of a dye or chemical needs its expiry "
                 "date: record it as a receipt with the expiry date from its label, or name a lot of it already "
                 "here. Nothing was changed.")


class LotRequired(RuleBroken):
    code, message = "lot_required", N_("This material has several lots here; say which lot you counted.")


class NotStocked(_Names, RuleBroken):
    code, message = "not_stocked", N_("{depot} does not stock {material}; it cannot be counted there.")
    DEPOTS = ("depot",)


class CountNotFound(NotFound):
    code, message = "unknown_count", N_("No stock count with this number; check the number (the “Stock counts” page "
                                        "lists them).")


class CountStatus(_SaysStatus, Conflict):
    code = "count_status"
    message = N_("Stock count {count} is '{status}' now, so '{action}' is not possible. Reload the page to see it.")
    STATUSES = {"open": N_("Counting"), "submitted": N_("Waiting for approval"), "approving": N_("Being approved"),
                "approved": N_("Approved"), "cancelled": N_("Cancelled")}
    ACTIONS = {"count": N_("counting"), "submit": N_("submitting"), "approve": N_("approving"),
               "cancel": N_("cancelling")}


class CountApproved(Conflict):
    code, message = "count_already_approved", N_("Stock count {count} is already approved; it cannot change again.")


class EmptyCount(RuleBroken):
    code, message = "count_empty", N_("Count at least one line before submitting.")


class OwnCount(Forbidden):
    code, message = "own_count", N_("You counted this stock yourself; another admin must approve it.")


#: domain.Refused codes -> what people are told
REFUSALS = {"over_receipt": OverReceipt, "order_closed": OrderClosed, "lot_expired": LotExpired,
            "lot_mismatch": LotMismatch, "unknown_lot": UnknownLot, "lot_not_expired": LotNotExpired,
            "lot_on_hold": LotOnHold, "expiry_in_past": ExpiryInPast, "stock_too_large": StockTooLarge,
            "expiry_required": ExpiryRequired, "expiry_required_found": FoundExpiryRequired}
QUANTITIES = ("ordered", "received", "allowed", "available", "wanted", "largest", "stock_after")


def refused(exc, db=None) -> Error:
    """The error for a rule's refusal (services/inventory/domain.Refused), quantities as "12.5"; with `db`, one that
    names a material (OverReceipt) says its name and unit (read from the catalog)."""
    details = {k: format_quantity(v) if k in QUANTITIES else v for k, v in exc.details.items()}
    error = REFUSALS[exc.code](details)
    if db is not None and isinstance(error, _Names):
        error.named(db)
    return error


def below_reserved(exc, db, *, count_id: str, sku: str, depot: str, lot: str | None, reserved: int,
                   holds) -> CountBelowReserved:
    """The error for a count's correction that would take stock reserved for requests (InsufficientStock of the
    material, not of one lot): how much is reserved and the requests `holds` holding it (their short references, at
    most 5 said; their ids in the details)."""
    holds = sorted(holds)
    named = ", ".join(names.ref(rid) for rid in holds[:5]) + (" …" if len(holds) > 5 else "")
    details = {"count": count_id, "sku": sku, "depot": depot, "lot": lot, "available": format_quantity(exc.available),
               "wanted": format_quantity(exc.wanted), "reserved": format_quantity(reserved), "requests": named,
               "requisition_ids": holds[:50]}
    return CountBelowReserved(details).named(db)


def short(exc, db, *, sku: str, depot: str) -> InsufficientStock:
    """The error for the rules' InsufficientStock (domain.py), quantities as the contract writes them ("12.5"),
    with the material's unit."""
    material = db.materials.find_one({"_id": sku}, {"name": 1, "name_hi": 1, "unit": 1}) or {}
    details = {"sku": sku, "depot": depot, "unit": material.get("unit"), "available": format_quantity(exc.available),
               "wanted": format_quantity(exc.wanted)}
    if exc.lot:
        return InsufficientInLot({**details, "lot": exc.lot}).named(db, material or None)
    return InsufficientStock(details).named(db, material or None)
