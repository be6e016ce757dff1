"""What the requests service's use cases refuse, each with its code, details and message (see shared/errors.py)."""
from __future__ import annotations

from services.requests.words import ACTIONS, CLASSES, STATUSES
from shared import names
from shared import errors as shared_errors
from shared.errors import Conflict, Error, Forbidden, NotFound, RuleBroken, Unauthenticated
from shared.i18n import N_, language, translate
from shared.quantity import WHOLE_UNITS, parse_quantity


class _SaysStatus:
    """An error whose message names a requisition's status (and action) in words, never their codes."""

    def describe(self, lang: str | None = None) -> str:
        status, action = self.details.get("status", ""), self.details.get("action", "")
        return translate(self.message, lang, **{**self.values(lang),
                                                "status": translate(STATUSES.get(status, status), lang),
                                                "action": translate(ACTIONS.get(action, action), lang)})


class BadLogin(Unauthenticated):
    code = "bad_login"
    message = N_("Wrong username or password. Check both and try again, or ask your admin to set a new password on "
                 "the Users page.")


class LoginDeactivated(Unauthenticated):
    """The right password of a login an admin deactivated (said only after the password matched: a guesser learns
    nothing)."""

    code = "login_deactivated"
    message = N_("This login was deactivated by an admin; ask your admin to reactivate it if you work with the bank "
                 "again.")


class UsernameTaken(shared_errors.AlreadyExists):
    code = "already_exists"
    message = N_("A login named {username} already exists; choose another name.")


class ArtisanHasLogin(Conflict):
    """A new login for an artisan who has an active one: almost always a clerk who did not see they registered
    already, and two logins split who answered what (users.add_user). `login`: the one they have."""

    code = "artisan_has_login"
    message = N_("Artisan {artisan_id} already has a login: {login}. One artisan has one login. If they cannot log "
                 "in, give {login} a new password on the Users page; to give them another login instead, deactivate "
                 "{login} there first.")


class ArtisanHasOtherLogin(ArtisanHasLogin):
    """Reactivating an artisan's login while another of theirs is active (user_admin.set_active)."""

    message = N_("Artisan {artisan_id} has another active login: {login}. One artisan has one login: deactivate "
                 "{login} first, then reactivate {username}.")


class UnknownUser(NotFound):
    code = "not_found"
    message = N_("No login named {username}; check the name on the Users page.")


class OwnLogin(RuleBroken):
    """What an admin does to their own login on the Users page would throw them out, or leave nobody to undo it."""

    code = "own_login"
    message = N_("You cannot deactivate your own login; another admin can.")


class OwnRole(RuleBroken):
    """An admin's own role: changed by themself, they could lose the Users page with nobody told."""

    code = "own_login"
    message = N_("You cannot change your own role; another admin can.")


class OwnPassword(RuleBroken):
    code = "own_password"
    message = N_("To change your own password use Change my password: it asks for your current one and keeps you "
                 "logged in.")


class CodeTaken(shared_errors.AlreadyExists):
    """A new scheme's or cooperative's code that one already has, whatever the case of its letters and the spaces
    around it (`RMSS`, `rmss`): people read and type them as the same code. `existing` is the code as it is stored."""

    message = N_("The code {existing} already exists; a code in other capital or small letters is the same code. "
                 "Use another code, or change {existing}.")


class LastAdmin(RuleBroken):
    code = "last_admin"
    message = N_("{username} is the last active admin: nobody could manage rawbank without them. Add another admin "
                 "first.")


class QuotaExceeded(RuleBroken):
    code = "quota_exceeded"
    message = N_("Your monthly {category} quota is {cap}; {used} is already used in {month}, {left} is left, "
                 "and this request asks for {requested}. Ask for at most what is left, or for the rest next month.")

    def describe(self, lang: str | None = None) -> str:
        lang, found = lang or language(), self.details
        figures = {k: names.quantity(found[k], found.get("unit"), lang) for k in ("cap", "used", "left", "requested")
                   if k in found}
        return translate(self.message, lang, **figures, category=names.category(found.get("category", ""), lang),
                         month=names.month(found.get("month", ""), lang))


class QuotaNeedsLooms(QuotaExceeded):
    """A cap counted per loom, for an artisan with no loom registered (yet): asking for less cannot help."""

    message = N_("The monthly {category} quota is counted per loom, and no loom is registered for this artisan yet; "
                 "an admin registers looms, or approves those the cooperative's secretary asks for.")


class MembersOverQuota(QuotaExceeded):
    """A cooperative's request that puts members over their monthly quotas: every one of them named, in the third
    person (the secretary reads it, not the member), and what to do. `details` are the first member's, as a single
    member's refusal has them, and `members` lists each member's (artisan_id, category, cap, used, left, requested,
    unit, month)."""

    third_person = N_("{member}'s monthly {category} quota is {cap}; {used} is already used in {month}, {left} is "
                      "left, and this request asks for {requested}.")
    what_to_do = N_("Lower their quantities to at most what is left, or leave them out of this request, then send "
                    "again.")

    def __init__(self, refusals: list[tuple[dict, QuotaExceeded]]):
        listed = [{**exc.details, "artisan_id": member["_id"]} for member, exc in refusals]
        super().__init__({**listed[0], "members": listed})
        self.refusals = refusals

    def describe(self, lang: str | None = None) -> str:
        lang, said = lang or language(), []
        for member, exc in self.refusals:
            name = member_name(member, lang)
            if isinstance(exc, QuotaNeedsLooms):  # asking for less cannot help: its own words say what can
                said.append(translate(N_("{member}: {reason}"), lang, member=name, reason=exc.describe(lang)))
                continue
            found = exc.details
            figures = {k: names.quantity(found[k], found.get("unit"), lang)
                       for k in ("cap", "used", "left", "requested") if k in found}
            said.append(translate(self.third_person, lang, member=name, **figures,
                                  category=names.category(found.get("category", ""), lang),
                                  month=names.month(found.get("month", ""), lang)))
        if not all(isinstance(exc, QuotaNeedsLooms) for _, exc in self.refusals):
            said.append(translate(self.what_to_do, lang))
        return " ".join(said)


def member_name(member: dict, lang: str | None = None) -> str:
    """A cooperative member as a secretary knows them, in the page's language."""
    return names.named(member, member["_id"], lang or language())


class QuotaExists(Conflict):
    """A cap is set already for this category and artisan (or everyone), and the caller did not ask to replace it."""

    code = "quota_exists"
    message = N_("A monthly quota of {limit} is already set for this category and artisan; "
                 "send it again with replace to change it.")


class QuotaBusy(RuleBroken):
    """Submits kept colliding on one artisan's monthly usage (answered 422 since it was written)."""

    code = "busy"
    message = N_("This record is very busy; try again in a moment.")


class IllegalTransition(_SaysStatus, Conflict):
    """The requisition's status does not allow the action (the domain's IllegalTransition, for callers)."""

    code = "illegal_transition"
    message = N_("This request is “{status}” now, so {action} it is not possible. Reload the page to see it.")


class ArtisanInactive(RuleBroken):
    code = "artisan_inactive"
    message = N_("This artisan is not registered or not active; ask an admin to register or reactivate them.")


class ArtisanNameUnknown(RuleBroken):
    """A form's artisan typed by name (artisan_picks.py) that is nobody's name the caller may see."""

    code = "artisan_name_unknown"
    message = N_("No artisan is called “{artisan}”. Type a few letters of their name and pick them from the list, "
                 "or type their number (ART-…).")


class ArtisanNameAmbiguous(RuleBroken):
    """A form's artisan typed by a name more than one artisan has: nothing is saved for any of them."""

    code = "artisan_name_ambiguous"
    message = N_("More than one artisan is called “{artisan}”. Pick the right one from the list as you type (it "
                 "shows each one's district, craft and number), or type their number.")


class MaterialNotKnown(RuleBroken):
    code = "material_not_known"
    message = N_("The requests service does not know this SKU yet; check it, or try again in a moment.")


class WholeUnitsOnly(RuleBroken):
    """A line asking for a part of a unit of a material counted whole (a piece: shared.quantity.WHOLE_UNITS); the
    details name it by its sku, with its unit, the quantity asked and its `names` (as the catalog copy has them)."""

    code = "whole_units_only"
    message = N_("{material} is counted in whole {units}: {quantity} is not a whole number. Nothing was changed.")

    def values(self, lang: str | None = None) -> dict:
        lang, unit = lang or language(), self.details.get("unit")
        return {**super().values(lang), "units": translate(WHOLE_UNITS.get(unit, unit or ""), lang),
                "material": names.named(self.details.get("names") or {}, self.details.get("sku", ""), lang)}


class UnknownDepot(RuleBroken):
    """A depot inventory has not announced (DepotRegistered): not one, or not learned yet."""

    code = "unknown_depot"
    message = N_("The requests service does not know depot {depot}; check the code, or try again in a moment "
                 "if it was just added.")


class MaterialUnpriced(Conflict):
    """Approval fixes what a request costs: with no price for one of its materials, that would be handed over free."""

    code = "material_unpriced"
    message = N_("No price is set yet for {materials}: approved now, it would be handed over for nothing. "
                 "Set its price (the “Prices” page of inventory), then approve the request again; it waits as it is.")

    def values(self, lang: str | None = None) -> dict:
        lang = lang or language()
        return {**super().values(lang),
                "materials": names.named_all(self.details.get("names") or {}, self.details.get("skus", ()), lang)}


class IdempotencyKeyReused(shared_errors.IdempotencyKeyReused):
    """A requisition's Idempotency-Key sent again with another body (the code and message every service uses)."""


class UnknownScheme(NotFound):
    code = "unknown_scheme"
    message = N_("No scheme with this code; see GET /api/v1/schemes for the schemes there are.")
    page_message = N_("No scheme with this code. The “Schemes” page lists the schemes there are.")


class RegistrationTaken(shared_errors.AlreadyExists):
    """An artisan registered with a card or Udyam number another artisan has: one person, one registration."""

    message = N_("Artisan card or Udyam number {registration_id} is already registered, to artisan {artisan_id}. "
                 "Check the number on the card; if it is that artisan, change their details instead.")
    page_message = message

    def __init__(self, registration_id: str, artisan_id: str | None):
        super().__init__({"registration_id": registration_id, "artisan_id": artisan_id} if artisan_id else
                         {"registration_id": registration_id})
        if not artisan_id:  # not shown to a secretary: the number belongs to someone outside their cooperative
            self.message = self.page_message = N_(
                "Artisan card or Udyam number {registration_id} is already registered, to another artisan. Check "
                "the number on the card, or ask an admin.")


class SchemesOverlap(Conflict):
    code = "schemes_overlap"
    message = N_("Scheme {scheme} already covers some of the same artisans for {category} in these dates; "
                 "change the dates, the artisans covered or the caps.")

    def values(self, lang: str | None = None) -> dict:
        """The category as people call it in `lang` ("धातु"), its code staying in the details."""
        lang = lang or language()
        values = super().values(lang)
        code = values.get("category")
        if code is None:
            return values
        return {**values, "category": translate(CLASSES[code], lang) if code in CLASSES else names.category(code, lang)}


class CreditLimitExceeded(RuleBroken):
    code = "credit_limit_exceeded"
    message = N_("This would take the artisan's dues to {balance_after}, above their credit limit of {credit_limit}; "
                 "take a payment of at least {to_pay} first.")
    money = ("balance_after", "credit_limit", "to_pay")


class AdvanceRequired(RuleBroken):
    code = "advance_required"
    message = N_("To take this on credit the artisan pays an advance of {advance} first; {paid} is paid so far.")
    money = ("advance", "paid")


class PaymentAboveDue(RuleBroken):
    code = "payment_above_due"
    message = N_("Only {due} is due on this requisition, less than {amount}; take less, or record the rest as an "
                 "advance (“Advance” under “Paid by”).")
    money = ("due", "amount")


class SharesPaymentAboveDue(PaymentAboveDue):
    """A cooperative's payment for all above what its members' shares owe: an advance is one member's."""
    message = N_("Only {due} is due on the members' shares, less than {amount}; take less, or record the rest as an "
                 "advance for one member (choose them under “Member”, then “Advance” under “Paid by”).")


class NotPayable(_SaysStatus, Conflict):
    code = "requisition_not_payable"
    message = N_("This request is “{status}”, so no payment can be taken for it. If the money is for another "
                 "request, take it on that one.")


class RepaymentAboveDue(PaymentAboveDue):
    """On a cancelled or rejected request, only what a reversal left to repay is taken (never an advance)."""

    message = N_("Only {due} is to be repaid on this request (refunded, then the payment was reversed), less than "
                 "{amount}; take less.")


class RepaymentOnly(NotPayable):
    """An advance on a cancelled or rejected request that has money to repay: only the repayment is taken."""

    message = N_("This request is “{status}”: only the {due} to be repaid on it is taken, in cash or by UPI, not as "
                 "an advance.")
    money = ("due",)


class PaymentReferenceReused(Conflict):
    code = "payment_reference_reused"
    message = N_("Payment reference {reference} is already recorded for another amount or requisition; "
                 "check the reference.")


class PaymentReferenceReversed(Conflict):
    """A reference whose payment an admin reversed, sent again (the same payment or another): nothing is recorded.
    Before, an exact re-send answered the reversed payment as if it were recorded ("Payment recorded.")."""

    code = "payment_reference_reversed"
    message = N_("Payment reference {reference} was reversed on {reversed_on} by {reversed_by}; nothing was "
                 "recorded. If the money was really taken again, record it under a new reference, such as "
                 "{reference}-2.")


class PaymentPartReversed(PaymentReferenceReversed):
    """A cooperative's payment for all sent again when a member's part of it was reversed."""

    message = N_("Member {artisan_id}'s part of payment reference {reference} was reversed on {reversed_on} by "
                 "{reversed_by}; nothing was recorded. If the money was really taken again, record it under a new "
                 "reference, such as {reference}-2.")


class RefundAboveCredit(RuleBroken):
    code = "refund_above_credit"
    message = N_("Only {credit} is to the artisan's credit (paid beyond what they owe), less than {amount}; "
                 "refund at most {credit}.")
    money = ("credit", "amount")


class RefundReferenceReused(Conflict):
    code = "refund_reference_reused"
    message = N_("Refund reference {reference} was already used for another refund; check the reference.")


class MonthInFuture(RuleBroken):
    code = "month_in_future"
    message = N_("{month} has not begun yet; a claim can be made for this month or an earlier one.")


class YearInFuture(RuleBroken):
    code = "year_in_future"
    message = N_("The financial year {year} has not begun yet; claims can be seen for this year or an earlier one.")


class YearOutsideScheme(RuleBroken):
    """A financial year the scheme did not run in (before its first day, or after its last with nothing handed over
    or returned under it): the details say its days and the financial years they fall in; the message names the
    scheme (`scheme_doc`, its name and name_hi) as the pages' |scheme does, its code in the details."""

    code = "year_outside_scheme"
    message = N_("{scheme} did not run in the financial year {year}: it began on {valid_from}, so its claims start "
                 "with the financial year {first_year}.")
    ended = N_("{scheme} did not run in the financial year {year}: it ran from {valid_from} to {valid_to} (the "
               "financial years {first_year} to {last_year}), and nothing was handed over or returned under it in "
               "{year}.")

    def __init__(self, details: dict, *, scheme_doc: dict | None = None):
        super().__init__(details)
        self.scheme_doc = scheme_doc

    def describe(self, lang: str | None = None) -> str:
        lang, found = lang or language(), self.details
        days = {key: names.day(found[key], lang) for key in ("valid_from", "valid_to") if found.get(key)}
        scheme = names.named_with_code(self.scheme_doc, found.get("scheme") or "", lang)
        return translate(self.ended if found.get("valid_to") else self.message, lang,
                         **{**self.values(lang), **days, "scheme": scheme})


class UnknownCooperative(RuleBroken):
    code = "unknown_cooperative"
    message = N_("No cooperative {cooperative} is registered; register it first (POST /api/v1/cooperatives) "
                 "or check the code.")


class AdminOnlyFields(Forbidden):
    code = "admin_only_fields"
    message = N_("Only an admin may set an artisan's social category, gender or BPL status; leave them out, or ask "
                 "an admin to set them.")


class NothingAsked(RuleBroken):
    code = "nothing_asked"
    message = N_("Enter a quantity for at least one member.")


class TooManyLines(RuleBroken):
    """The cooperative form's grid holds more quantities than one request may (the API's line limit)."""
    code = "too_many_lines"
    message = N_("At most {max} quantities go in one request: send the rest in a second request.")


class NoteTooLong(RuleBroken):
    code = "note_too_long"
    message = N_("The note is longer than {max} characters: shorten it and send again.")


class CooperativeInactive(RuleBroken):
    code = "cooperative_inactive"
    message = N_("Cooperative {cooperative} is not active; ask an admin to reactivate it.")


class ShareNotPending(_SaysStatus, Conflict):
    code = "share_not_pending"
    message = N_("This share cannot be confirmed now: its request is “{status}”; a share is confirmed "
                 "after the cooperative marks the request received.")


class ShareAlreadyConfirmed(Conflict):
    """The member answered for their share already, differently (`details.confirmation`: confirmed or short)."""

    code = "share_already_confirmed"
    message = N_("This share is already confirmed ({confirmation}); it cannot be confirmed again differently. If "
                 "your answer was wrong, tell your depot.")
    #: the answer as a person reads it, where the details keep its status code
    ANSWERS = {"confirmed": N_("all of it received"), "short": N_("less received")}

    def values(self, lang: str | None = None) -> dict:
        lang = lang or language()
        values = super().values(lang)
        answer = self.ANSWERS.get(values.get("confirmation"))
        return {**values, "confirmation": translate(answer, lang)} if answer else values


#: how a member answered for their share, as a refusal says it
ANSWERED_HOW = {"sms": N_("by SMS"), "ivr": N_("by phone call"), "missed_call": N_("by missed call"),
                "app": N_("in the app")}


class _SaysAnswer:
    """A refusal that says what a member already answered for their share: how, when, and what they received of each
    material (`details`: member, via, by, at, received [{sku, quantity, unit}], names {sku: {name, name_hi}}); who
    recorded it at the depot in words (`recorded_by` {role, name, name_hi}, people.known), their login to staff only."""

    by_depot = ""  # the message when the answer was recorded at the depot (`recorded_by` says who, `by` their login)

    def __init__(self, details: dict | None = None, *, staff: bool = False, **kwargs):
        super().__init__(details, **kwargs)
        self.staff = staff  # the reader is staff, who also read the login of who recorded it; others never do

    def describe(self, lang: str | None = None) -> str:
        lang, found = lang or language(), self.details
        received = ", ".join(f"{names.named((found.get('names') or {}).get(line['sku']), line['sku'], lang)} "
                             f"{names.quantity(line['quantity'], line.get('unit'), lang)}"
                             for line in found.get("received") or ())
        values = {"member": member_name(found.get("member") or {"_id": found.get("artisan_id", "")}, lang),
                  "how": translate(ANSWERED_HOW.get(found.get("via"), ""), lang),
                  "by": names.plainly(found.get("recorded_by"), found.get("by"), lang, staff=self.staff),
                  "day": names.day(names.in_india(found.get("at"))[:10], lang), "received": received}
        return translate(self.by_depot if found.get("via") == "depot" else self.message, lang, **values)


class ShareAlreadyAnswered(_SaysAnswer, Conflict):
    """What a member received, to be recorded at the depot for a share they already answered: their answer stands."""

    code = "share_already_answered"
    message = N_("{member} already answered for this share {how} on {day}: received {received}. A member's own "
                 "answer stands; nothing was recorded.")
    by_depot = N_("What {member} received was already recorded at the depot by {by} on {day}: {received}. It "
                  "stands; nothing was recorded again.")


class ShareAnswered(_SaysAnswer, ShareNotPending):
    """A new code asked for a share its member already answered: what they said, not the request's status."""

    message = N_("{member} already answered for this share {how} on {day}: received {received}. No new code is "
                 "needed.")
    by_depot = N_("What {member} received was already recorded at the depot by {by} on {day}: {received}. No new "
                  "code is needed.")


class ShareNotRecordedByDepot(_SaysStatus, Conflict):
    """A member disputing a share whose answer the depot's staff did not record for them: there is nothing of the
    depot's to dispute; they answer (or answered) for it themself (`details`: status, confirmation, via)."""

    code = "share_not_recorded_by_depot"
    message = N_("Only what the depot recorded for you can be disputed, and nothing was recorded at the depot for "
                 "this share. You answer for it yourself: in the app or by SMS with your code.")
    waiting = N_("Nothing was recorded at the depot for this share: it waits for your own answer. Say what you "
                 "received in the app (or by SMS with your code).")
    not_yet = N_("Nothing was recorded at the depot for this share: its request is “{status}”. Once your "
                 "cooperative marks it received, you answer for your share yourself, in the app or by SMS.")
    own = N_("You answered for this share yourself {how}; only what the depot recorded for you can be disputed. "
             "If your answer was wrong, tell your depot.")

    def describe(self, lang: str | None = None) -> str:
        confirmation = self.details.get("confirmation")
        if confirmation == "pending":
            return translate(self.waiting, lang)
        if confirmation in ("confirmed", "short"):
            return translate(self.own, lang, how=translate(ANSWERED_HOW.get(self.details.get("via"), ""), lang))
        if confirmation == "awaited":
            status = self.details.get("status", "")
            return translate(self.not_yet, lang, status=translate(STATUSES.get(status, status), lang))
        return super().describe(lang)


class ShareAlreadyDisputed(Conflict):
    """A member's second dispute of what the depot recorded for their share: one is kept, and the board has it
    (`details`: at, the first one's instant)."""

    code = "share_already_disputed"
    message = N_("You already disputed what the depot recorded for this share on {day}; the department has it. A "
                 "share is disputed once: to add anything, tell your depot.")

    def describe(self, lang: str | None = None) -> str:
        return translate(self.message, lang, day=names.day(names.in_india(self.details.get("at"))[:10], lang))


class MemberAnswersOnly(Forbidden):
    """Someone other than the member answering for a member's share with the member's own answer (the secretary):
    the member's own word is the check on what reached them."""

    message = N_("Only the member answers for their share: in the app, by SMS with their code, or at the depot, "
                 "where its staff record what the member says they received.")


class MemberDisputesOnly(Forbidden):
    """Someone other than the member disputing what the depot recorded for a member's share: only the member's own
    word says the record is wrong."""

    message = N_("Only the member disputes what the depot recorded for their share, in the app with their own "
                 "login; if a member tells you it is wrong, have them do it there or tell the department.")


class AdminSettlesDisputes(Forbidden):
    """Someone other than an admin settling a member's dispute of what the depot recorded: the depot's staff made the
    record, so they may not judge it; the department (an admin) does."""

    message = N_("Only the department (an admin) settles a member's dispute of what the depot recorded; the depot's "
                 "staff made the record, so they do not judge it.")


class ShareNotDisputed(Conflict):
    """A settlement of a share its member has not disputed: there is nothing to settle (`details`: confirmation)."""

    code = "share_not_disputed"
    message = N_("The member has not disputed what the depot recorded for this share: there is nothing to settle.")


class DisputeAlreadySettled(Conflict):
    """A second, different settlement of a member's dispute: a dispute is settled once (`details`: outcome, at, by
    of the settlement that stands)."""

    code = "dispute_already_settled"
    message = N_("This dispute was already settled on {day} by {by} ({outcome}); a dispute is settled once.")
    OUTCOMES = {"upheld": N_("upheld"), "rejected": N_("rejected")}

    def describe(self, lang: str | None = None) -> str:
        outcome = self.details.get("outcome", "")
        return translate(self.message, lang, day=names.day(names.in_india(self.details.get("at"))[:10], lang),
                         by=self.details.get("by", ""), outcome=translate(self.OUTCOMES.get(outcome, outcome), lang))


class SettlementBelowSettledShort(RuleBroken):
    """An upheld settlement that would make a material less short than the depot already credited as not reaching
    the member (`short` return lines): those credit notes stand (`details`: sku, settled, asked short)."""

    code = "settlement_below_settled_short"
    message = N_("{settled} of this material was already credited as not reaching the member; what they received "
                 "can be at most the share less that.")

    def describe(self, lang: str | None = None) -> str:
        return translate(self.message, lang, settled=self.details.get("settled", ""))


class SettlementSameAsRecord(RuleBroken):
    """An upheld settlement saying the member received just what the depot recorded: that is the record standing."""

    code = "settlement_same_as_record"
    message = N_("That is what the depot recorded. If the record stands, settle the dispute as rejected; if it is "
                 "upheld, give what the member actually received.")


class ShareNotReceivable(RuleBroken):
    code = "share_not_receivable"
    message = N_("What you received must be within your share: {why}")

    def describe(self, lang: str | None = None) -> str:
        return translate(self.message, lang, why=translate(self.details.get("why", ""), lang))


class SignatureInvalid(Unauthenticated):
    code = "signature_invalid"
    message = N_("The callback's signature is missing, wrong or too old; sign it with the shared secret "
                 "(X-Rawbank-Timestamp, X-Rawbank-Signature: sha256=HMAC of '<timestamp>.<body>').")


def for_member(exc: Error, member: dict) -> Error:
    """The same refusal (its code, kind and status), naming the cooperative member it is about."""
    class ForMember(type(exc)):
        def describe(self, lang: str | None = None) -> str:
            return translate(N_("{member}: {reason}"), lang, member=member_name(member, lang),
                             reason=exc.describe(lang))
    wrapped = ForMember.__new__(ForMember)
    wrapped.__dict__.update(exc.__dict__)
    wrapped.args = exc.args
    wrapped.details = {**exc.details, "artisan_id": member["_id"]}
    return wrapped


class NoLoomsChange(Conflict):
    code = "no_looms_change"
    message = N_("No change of looms is waiting for approval for this artisan; it may have been approved or "
                 "rejected already. Reload the page to see the artisan as they are now.")


class NoPhoneChange(Conflict):
    code = "no_phone_change"
    message = N_("No change of phone is waiting for approval for this artisan; it may have been approved or "
                 "rejected already. Reload the page to see the artisan as they are now.")


class NotYourDepot(Forbidden):
    """A depot's warehouse staff asked the collections register of another depot (?depot=): refused, never answered
    with their own depot's as if it were the one asked for."""

    code = "wrong_depot"
    message = N_("You see only your own depot's collections, at {your_depot}; leave out depot or send your own, or "
                 "ask an admin.")
    page_message = N_("This page shows only your own depot's collections, at {your_depot}.")


class NotReturnable(_SaysStatus, Conflict):
    """A return of a request that was not handed over (or one cancelled, rejected): nothing left the depot for it."""

    code = "requisition_not_returnable"
    message = N_("This request is “{status}”: materials come back only from a request handed over (“{handed_over}” or "
                 "“{received}”). Check the request number on the hand-over slip or the receipt.")

    def values(self, lang: str | None = None) -> dict:
        return {**super().values(lang), "handed_over": translate(STATUSES["dispatched"], lang),
                "received": translate(STATUSES["received"], lang)}


class ReturnNotInShare(RuleBroken):
    code = "return_not_in_share"
    message = N_("{material} was not handed over in this request (to this member): only what was handed over comes "
                 "back. Check the hand-over slip for what was handed over.")

    def values(self, lang: str | None = None) -> dict:
        lang = lang or language()
        return {**super().values(lang), "material": names.named((self.details.get("names") or {}),
                                                                 self.details.get("sku", ""), lang)}


class ReturnAboveHandedOver(RuleBroken):
    """More of a material than was handed over to the member, less what they returned before."""

    code = "return_above_handed_over"
    message = N_("{material}: {handed_over} was handed over and {returned_before} came back before, so {asked} "
                 "cannot come back now; at most {left}.")

    def values(self, lang: str | None = None) -> dict:
        lang, found = lang or language(), self.details
        figures = {k: names.quantity(found[k], found.get("unit"), lang)
                   for k in ("handed_over", "returned_before", "asked") if k in found}
        left = max(parse_quantity(found.get("handed_over", "0")) - parse_quantity(found.get("returned_before", "0")), 0)
        return {**super().values(lang), **figures, "left": names.quantity(left, found.get("unit"), lang),
                "material": names.named(found.get("names") or {}, found.get("sku", ""), lang)}


class NotReportedShort(RuleBroken):
    """A return line `short` (did not reach the member) for a share whose member did not report that material short:
    only a shortfall the member reported is settled so."""

    code = "not_reported_short"
    message = N_("{material}: this member did not report receiving less of it, so nothing of it can be settled as "
                 "“did not reach the member”; record what came back as back on the shelf or damaged.")

    def values(self, lang: str | None = None) -> dict:
        lang = lang or language()
        return {**super().values(lang), "material": names.named((self.details.get("names") or {}),
                                                                 self.details.get("sku", ""), lang)}


class ShortAboveReported(RuleBroken):
    """More of a material settled as not reaching the member than the member reported short, less what was settled
    so before."""

    code = "short_above_reported"
    message = N_("{material}: the member reported {reported_short} short and {settled_before} was settled before, so "
                 "{asked} cannot be settled now; at most {left}.")

    def values(self, lang: str | None = None) -> dict:
        lang, found = lang or language(), self.details
        figures = {k: names.quantity(found[k], found.get("unit"), lang)
                   for k in ("reported_short", "settled_before", "asked") if k in found}
        left = max(parse_quantity(found.get("reported_short", "0")) - parse_quantity(found.get("settled_before", "0")),
                   0)
        return {**super().values(lang), **figures, "left": names.quantity(left, found.get("unit"), lang),
                "material": names.named(found.get("names") or {}, found.get("sku", ""), lang)}
