"""People who log in: usernames, argon2 password hashes and roles."""
from __future__ import annotations

import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pymongo.errors import DuplicateKeyError

from services.requests.errors import BadLogin
from shared import revocation
from shared.auth import ROLES, Principal
from shared.errors import AlreadyExists

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verifying against a real hash when the user is unknown keeps login time the same."""
    return _hasher.hash("rawbank-no-such-user")


def add_user(db, *, username: str, password: str, role: str, artisan_id: str | None = None,
             depot: str | None = None, cooperative: str | None = None) -> dict:
    """Store a new user with a hashed password."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if role == "artisan" and not artisan_id:
        raise ValueError("an artisan user needs an artisan id")
    if role == "secretary" and not cooperative:
        raise ValueError("a secretary user needs a cooperative")
    user = {"_id": username, "role": role, "artisan_id": artisan_id, "depot": depot,
            "cooperative": cooperative,
            "password_hash": _hasher.hash(password)}
    try:
        db.users.insert_one(user)
    except DuplicateKeyError:
        raise AlreadyExists({"username": username}) from None
    return user


def authenticate(db, username: str, password: str) -> dict:
    """The user if the password matches; BadLogin otherwise."""
    user = db.users.find_one({"_id": username})
    try:
        _hasher.verify(user["password_hash"] if user else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        raise BadLogin() from None
    if user is None:
        raise BadLogin()
    return user


MIN_PASSWORD = 8


def add_from_cli(db, *, username: str, role: str, password: str, artisan_id: str | None = None,
                 depot: str | None = None, cooperative: str | None = None) -> str:
    """`rawbank user add`: check and store a user; return what to print, raise ValueError otherwise."""
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"the password must be at least {MIN_PASSWORD} characters long")
    if artisan_id and db.artisans.find_one({"_id": artisan_id}, {"_id": 1}) is None:
        raise ValueError(f"no artisan {artisan_id} is registered; "
                         "register them first (POST /api/v1/artisans)")
    try:
        add_user(db, username=username, password=password, role=role, artisan_id=artisan_id, depot=depot,
                 cooperative=cooperative)
    except AlreadyExists:
        raise ValueError(f"a user named {username!r} already exists") from None
    return f"added {role} user {username}"


def log_out(db, principal: Principal, *, correlation_id: str | None = None) -> None:
    """Revoke the caller's token on every service until it would have expired."""
    revocation.revoke(db, principal.token_id, revocation.expiry(principal.expires), source="requests",
                      correlation_id=correlation_id)


def set_language(db, username: str, lang: str) -> None:
    """Remember the language a user reads rawbank in."""
    db.users.update_one({"_id": username}, {"$set": {"language": lang}})
