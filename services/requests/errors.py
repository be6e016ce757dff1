"""What the requests service's use cases refuse, each with its code, details and message (see shared/errors.py)."""
from __future__ import annotations

from shared.errors import Conflict, RuleBroken, Unauthenticated
from shared.i18n import N_


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
