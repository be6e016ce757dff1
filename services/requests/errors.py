"""What the requests service's use cases refuse, each with its code, details and message (see shared/errors.py)."""
from __future__ import annotations

from shared.errors import Conflict, Error, Forbidden, NotFound, RuleBroken, Unauthenticated
from shared.i18n import N_, language, translate


class BadLogin(Unauthenticated):
    code = "bad_login"
    message = N_("Wrong username or password.")


class QuotaExceeded(RuleBroken):
    code = "quota_exceeded"
    message = N_("Monthly cap for {category} is {cap} {unit}; {used} {unit} already used in {month}, "
                 "{left} {unit} left, and this request needs {requested} {unit}.")


class QuotaBusy(RuleBroken):
    """Submits kept colliding on one artisan's monthly usage (answered 422 since it was written)."""

    code = "busy"
    message = N_("This record is very busy; try again in a moment.")


class IllegalTransition(Conflict):
    """The requisition's status does not allow the action (the domain's IllegalTransition, for callers)."""

    code = "illegal_transition"
    message = N_("This requisition is '{status}' now, so '{action}' is not possible.")


class ArtisanInactive(RuleBroken):
    code = "artisan_inactive"
    message = N_("This artisan is not registered or not active; ask an admin to register or reactivate them.")


class MaterialNotKnown(RuleBroken):
    code = "material_not_known"
    message = N_("The requests service does not know this SKU yet; check it, or try again in a moment.")


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"
    message = N_("This Idempotency-Key was already used for a different request; use a new key.")


class UnknownScheme(NotFound):
    code = "unknown_scheme"
    message = N_("No scheme with this code; see GET /api/v1/schemes for the schemes there are.")


class SchemesOverlap(Conflict):
    code = "schemes_overlap"
    message = N_("Scheme {scheme} already covers some of the same artisans for {category} in these dates; "
                 "change the dates, the artisans covered or the caps.")


class CreditLimitExceeded(RuleBroken):
    code = "credit_limit_exceeded"
    message = N_("This would take the artisan's dues to ₹{balance_after}, above their credit limit of ₹{credit_limit}; "
                 "take a payment of at least ₹{to_pay} first.")


class AdvanceRequired(RuleBroken):
    code = "advance_required"
    message = N_("To take this on credit the artisan pays an advance of ₹{advance} first; ₹{paid} is paid so far.")


class PaymentAboveDue(RuleBroken):
    code = "payment_above_due"
    message = N_("Only ₹{due} is due on this requisition, less than ₹{amount}; record the rest as an advance "
                 "(method 'advance') or take less.")


class NotPayable(Conflict):
    code = "requisition_not_payable"
    message = N_("This requisition is '{status}', so no payment can be taken for it.")


class PaymentReferenceReused(Conflict):
    code = "payment_reference_reused"
    message = N_("Payment reference {reference} is already recorded for another amount or requisition; "
                 "check the reference.")


class MonthInFuture(RuleBroken):
    code = "month_in_future"
    message = N_("{month} has not begun yet; a claim can be made for this month or an earlier one.")


class UnknownCooperative(RuleBroken):
    code = "unknown_cooperative"
    message = N_("No cooperative {cooperative} is registered; register it first (POST /api/v1/cooperatives) "
                 "or check the code.")


class AdminOnlyFields(Forbidden):
    code = "admin_only_fields"
    message = N_("Only an admin may set an artisan's social category, gender or BPL status.")


class NothingAsked(RuleBroken):
    code = "nothing_asked"
    message = N_("Enter a quantity for at least one member.")


class CooperativeInactive(RuleBroken):
    code = "cooperative_inactive"
    message = N_("Cooperative {cooperative} is not active; ask an admin to reactivate it.")


class ShareNotPending(Conflict):
    code = "share_not_pending"
    message = N_("This share cannot be confirmed now: its requisition is '{status}'; a share is confirmed "
                 "after the cooperative marks the requisition received.")


class ShareAlreadyConfirmed(Conflict):
    code = "share_already_confirmed"
    message = N_("This share is already confirmed ({confirmation}); it cannot be confirmed again differently.")


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
            name = (member.get("name_hi") if (lang or language()) == "hi" else None) or member.get("name")
            return translate(N_("{member}: {reason}"), lang, member=name or member["_id"], reason=exc.describe(lang))
    wrapped = ForMember.__new__(ForMember)
    wrapped.__dict__.update(exc.__dict__)
    wrapped.args = exc.args
    wrapped.details = {**exc.details, "artisan_id": member["_id"]}
    return wrapped


class NoLoomsChange(Conflict):
    code = "no_looms_change"
    message = N_("No change of looms is waiting for approval for this artisan.")
