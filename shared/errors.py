"""What a use case raises when it refuses or cannot do something, and the one table of what follows.

Use cases raise an `Error` that says what went wrong: its stable `code`, its `details` (both
reach API callers as they are) and its English `message` (a catalog msgid, filled from the
details; those named in `money` are said as people read rupees, while the details keep "12500.00").
Each error is one of the kinds below; `OUTCOMES` says, per kind, which HTTP status the API answers
with (shared/http_errors.py) and whether a consumer dead-letters the event at once or retries it
(shared/consumer.py). A service declares its own errors in services/<name>/errors.py.
"""
from __future__ import annotations

from dataclasses import dataclass

from shared.i18n import N_, language, translate
from shared.money import parse_money, rupees


class Error(Exception):
    """Something a use case refused or could not do."""

    code = "error"
    message = N_("The request could not be handled; check it and try again, and tell an admin if it keeps happening.")
    retry_after: int | None = None  # seconds, for errors that pass
    page_message: str | None = None  # what a page says instead, where `message` tells an API caller what to call
    money: tuple[str, ...] = ()  # details that are rupees ("12500.00"): the message says them as "₹12,500.00"
    onward: tuple[str, str] | None = None  # on a page: (address, words) of a link to where to go instead

    def __init__(self, details: dict | None = None, *, reason: str = ""):
        super().__init__(self.code, details or {})
        self.details = details or {}
        self.reason = reason  # for logs and dead letters only; callers see code and details

    def __str__(self) -> str:
        return " ".join(filter(None, (self.code, self.reason, str(self.details) if self.details else "")))

    def values(self, lang: str | None = None) -> dict:
        """The details a message is filled with, money among them as a person reads it in `lang`."""
        lang = lang or language()
        values = {k: v for k, v in self.details.items() if isinstance(v, (str, int))}
        for key in self.money:
            if isinstance(values.get(key), str):
                try:
                    values[key] = rupees(parse_money(values[key]), lang)
                except ValueError:
                    pass  # not a figure after all: said as it is
        return values

    def describe(self, lang: str | None = None) -> str:
        """The message for a person, in `lang` (the request's language by default)."""
        return translate(self.message, lang, **self.values(lang))

    def describe_on_page(self, lang: str | None = None) -> str:
        """The message for a person on a page: where to go next, not which API to call."""
        if self.page_message is None:
            return self.describe(lang)
        return translate(self.page_message, lang, **self.values(lang))


class Invalid(Error):
    """The input breaks a rule of its form; `details` name the fields."""

    code = "validation_error"
    message = N_("Some fields are missing or invalid; see details, fix them and send again.")


class Unauthenticated(Error):
    code = "unauthorized"
    message = N_("Log in first: send 'Authorization: Bearer <token>' from POST /api/v1/auth/login.")


class TokenInvalid(Unauthenticated):
    code = "token_invalid"
    message = N_("Your login token is invalid or has expired; log in again.")


class Forbidden(Error):
    code = "forbidden"
    message = N_("Your role may not do this; ask an admin if you need it.")


class CsrfFailed(Forbidden):
    code = "csrf_failed"
    message = N_("This page is out of date or was not sent by rawbank; reload the page and try again.")


class NotFound(Error):
    """Nothing with this id, or nothing the caller may see (another artisan's is not theirs)."""

    code = "not_found"
    message = N_("Nothing was found at this address; check the id.")


class Conflict(Error):
    """What is stored does not allow this now (someone changed it first, or its state forbids it)."""

    code = "conflict"
    message = N_("This conflicts with what is already stored; reload and try again.")


class AlreadyExists(Conflict):
    code = "already_exists"
    message = N_("This already exists; use another code or edit the existing one.")


class IdempotencyKeyReused(Conflict):
    """An Idempotency-Key sent again with another body (shared/idempotency.py)."""

    code = "idempotency_key_reused"
    message = N_("This Idempotency-Key was already used for a different request; use a new key.")


class RuleBroken(Error):
    """A business rule refuses the request (a quota, an inactive artisan, an unknown material)."""

    code = "business_rule"


class TooManyAttempts(Error):
    code = "too_many_attempts"
    message = N_("Too many failed attempts; wait a few minutes (see Retry-After) and try again.")
    page_message = N_("Too many failed attempts to log in with this name. Try again in {retry_after_minutes} minutes, "
                      "or ask your admin to set a new password on the Users page.")

    def __init__(self, retry_after: int):
        super().__init__({"retry_after_seconds": retry_after, "retry_after_minutes": -(-retry_after // 60)})
        self.retry_after = retry_after


class Busy(Error):
    """Writers kept colliding on one record; the same request later will likely pass."""

    code = "busy"
    message = N_("This record is very busy; try again in a moment.")
    # writers collide on one record for milliseconds (each conditional update is retried a few times first): a
    # second later the rush has usually passed, and a person is kept waiting no longer than that
    retry_after = 1


class StoreUnavailable(Error):
    """The store cannot be reached or written (MongoDB down, the embedded store's disk failing); nothing changed."""

    code = "store_unavailable"
    message = N_("The data could not be saved or read just now (the store or its disk is failing). "
                 "Try again in a moment, and tell an admin if it keeps happening.")
    page_message = N_("The data store is not answering just now. Try again in a minute, and tell an admin if it "
                      "keeps happening.")
    # MongoDB failing over: the request already waited up to the driver's 5-second server selection (shared/mongo.py)
    # for a primary, and an election (electionTimeoutMillis 10 s) has usually named a new one 5 s later. The
    # single-machine store whose disk failed says its own, longer wait (shared/durable_store.StoreWriteError).
    retry_after = 5

    @classmethod
    def of(cls, exc: Exception) -> "StoreUnavailable":
        """The error for the store's own exception, with the wait that failure asks for (its `retry_after`)."""
        error = cls(reason=str(exc))
        error.retry_after = getattr(exc, "retry_after", cls.retry_after)
        return error


class Inapplicable(Error):
    """An event that can never be applied (a consumer dead-letters it); `reason` says why."""

    code = "inapplicable"

    def __init__(self, reason: str):
        super().__init__(reason=reason)

    def __str__(self) -> str:
        return self.reason


@dataclass(frozen=True)
class Outcome:
    status: int       # what the API answers with
    permanent: bool   # a consumer dead-letters the event at once; else it retries

    @property
    def ours(self) -> bool:
        """A failure on our side (a 5xx: the store busy or not answering, a bug), not something the caller can put
        right: a browser is shown the page that says so, never a form error."""
        return self.status >= 500


OUTCOMES: dict[type[Error], Outcome] = {
    Invalid: Outcome(400, True),
    Unauthenticated: Outcome(401, True),
    Forbidden: Outcome(403, True),
    NotFound: Outcome(404, True),
    Conflict: Outcome(409, True),
    RuleBroken: Outcome(422, True),
    TooManyAttempts: Outcome(429, False),
    Busy: Outcome(503, False),
    StoreUnavailable: Outcome(503, False),  # consumers wait until the store is back, never dead-letter
    Inapplicable: Outcome(500, True),
}
UNEXPECTED = Outcome(500, False)  # anything else: a bug or an outage, worth retrying


def outcome(exc: BaseException) -> Outcome:
    """What follows from an exception: the entry of its nearest kind in OUTCOMES."""
    for kind in type(exc).__mro__:
        if kind in OUTCOMES:
            return OUTCOMES[kind]
    return UNEXPECTED
