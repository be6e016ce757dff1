"""JWT access tokens and the one role check every service uses.

Refusals are raised as shared.errors kinds (Unauthenticated, Forbidden), not as HTTP errors: the
API answers them with 401/403 from the one table, a page sends the caller to log in instead.
"""
from __future__ import annotations

import functools
import hashlib
import hmac
import time
import uuid
from dataclasses import dataclass

import jwt
from flask import current_app, g, request

from shared import revocation
from shared.errors import CsrfFailed, Forbidden, TokenInvalid, Unauthenticated

ALGORITHM = "HS256"
ROLES = ("admin", "warehouse", "artisan", "secretary")
COOKIE = "rawbank_token"  # set by the requests service's login page; read by every service on the host
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
#: the longest `rawbank token --ttl`: a token that outlives a year is a password nobody rotates
MAX_TOKEN_TTL = 365 * 24 * 3600


@dataclass(frozen=True)
class Principal:
    sub: str
    role: str
    artisan_id: str | None = None
    depot: str | None = None
    cooperative: str | None = None
    token_id: str | None = None  # what logout revokes: the `jti` claim, else a hash of the token
    expires: int | None = None  # the token's `exp`
    issued: int | None = None  # the token's `iat`: a new password refuses its user's tokens issued before it
    name: str | None = None  # the display name read at login (`name`, `name_hi` claims): the pages' header says it
    name_hi: str | None = None

    @property
    def works_at(self) -> str | None:
        """The depot a depot's warehouse staff work at: their lists and pages are its only. None: the caller
        chooses (admins, central warehouse staff with no depot on their token) or is scoped otherwise (artisans,
        secretaries)."""
        return self.depot if self.role == "warehouse" and self.depot else None

    def asks_another_depot(self, asked: str | None) -> bool:
        """Whether a depot's staff asked a list or page for another depot (?depot=): refused, never answered with
        their own depot's as if it were the one asked for (nor with its figures where only their own are theirs)."""
        return self.works_at is not None and asked not in (None, "", self.works_at)


def issue_token(secret: str, *, sub: str, role: str, artisan_id: str | None = None,
                depot: str | None = None, ttl_seconds: int = 3600, cooperative: str | None = None,
                issued_at: int | None = None, name: str | None = None, name_hi: str | None = None) -> str:
    """Sign an access token with the contract's claims, issued now (or at `issued_at`, whole seconds); `name` and
    `name_hi`, the login's display name as read at login, for the pages' header (no store read per page)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if role == "artisan" and not artisan_id:
        raise ValueError("an artisan token needs artisan_id")
    now = int(time.time()) if issued_at is None else issued_at
    claims = {"sub": sub, "role": role, "iat": now, "exp": now + ttl_seconds, "jti": uuid.uuid4().hex}
    if artisan_id:
        claims["artisan_id"] = artisan_id
    if depot:
        claims["depot"] = depot
    if cooperative:
        claims["cooperative"] = cooperative
    claims.update({key: value for key, value in (("name", name), ("name_hi", name_hi)) if value})
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def decode_token(secret: str, token: str) -> Principal:
    """Verify signature, algorithm and expiry; raise TokenInvalid otherwise (revocation is the caller's check)."""
    principal = _verified(secret, token)
    if principal.expires <= time.time():
        raise TokenInvalid()
    return principal


@functools.lru_cache(maxsize=4096)
def _verified(secret: str, token: str) -> Principal:
    """A token's checked claims, remembered: a token string never changes meaning.

    Only successes are remembered (a failure raises). What can change, the time and whether the
    token (or its user's tokens) was revoked, is checked again at every use: `decode_token` checks the expiry and
    `current_principal` the deny-list, so a cached token still stops working when either says so.
    """
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM],
                            options={"require": ["exp", "sub", "role"]})
    except jwt.PyJWTError:
        raise TokenInvalid() from None
    if claims["role"] not in ROLES:
        raise TokenInvalid()
    token_id = str(claims.get("jti") or hashlib.sha256(token.encode()).hexdigest())
    issued = claims.get("iat")
    name, name_hi = (claims.get(key) if isinstance(claims.get(key), str) else None for key in ("name", "name_hi"))
    return Principal(str(claims["sub"]), claims["role"], claims.get("artisan_id"), claims.get("depot"),
                     claims.get("cooperative"), token_id, int(claims["exp"]),
                     int(issued) if isinstance(issued, (int, float)) else None, name, name_hi)


def csrf_token(secret: str, token: str) -> str:
    """The anti-forgery value pages send with a cookie-authenticated write: bound to that login."""
    return hmac.new(secret.encode(), b"csrf|" + token.encode(), hashlib.sha256).hexdigest()


def current_principal() -> Principal:
    """The caller, from the Authorization header or else the login cookie; Unauthenticated if absent or invalid.

    A token revoked by a logout, or issued before its user's password changed, is invalid. A write
    authenticated by the cookie must also carry the login's CSRF token (header or form field).
    """
    if "principal" not in g:
        principal = _from_request()
        if revocation.is_revoked(current_app.extensions["rawbank"].db, principal.token_id, principal.sub,
                                 principal.issued):
            raise TokenInvalid()
        g.principal = principal
    return g.principal


def answered_a_login() -> bool:
    """Whether this request's caller was verified (current_principal succeeded): its answer was made for them."""
    return "principal" in g


def _from_request() -> Principal:
    """The verified caller of this request, before the deny-list is asked."""
    secret = current_app.config["RAWBANK"].jwt_secret
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    cookie = request.cookies.get(COOKIE, "") if not header else ""
    if cookie:
        principal = decode_token(secret, cookie)
        sent = request.headers.get(CSRF_HEADER) or request.form.get("csrf_token", "")
        expected = csrf_token(secret, cookie)
        if request.method not in SAFE_METHODS and not hmac.compare_digest(sent.encode(), expected.encode()):
            raise CsrfFailed()
        return principal
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated()
    return decode_token(secret, token.strip())


def require_role(*roles: str, refusal: type[Forbidden] = Forbidden):
    """Allow the view only to callers with one of `roles` (any role if none given); others get `refusal` (a
    Forbidden that says what is true of this route, where "your role may not do this" would not help)."""
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            principal = current_principal()
            if roles and principal.role not in roles:
                raise refusal()
            return view(*args, **kwargs)
        wrapper.required_roles = roles  # the OpenAPI documents its 401 and 403 (shared.web.Blueprint)
        return wrapper
    return decorator
