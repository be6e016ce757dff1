"""People who log in: usernames, argon2 password hashes and roles."""
from __future__ import annotations

import functools
import time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pymongo.errors import DuplicateKeyError

from services.requests import people, staff_names
from services.requests.errors import ArtisanHasLogin, BadLogin, LoginDeactivated
from shared import revocation
from shared.auth import MAX_TOKEN_TTL, ROLES, Principal, issue_token
from shared.config import SettingError
from shared.console import both
from shared.errors import AlreadyExists, Busy
from shared.i18n import F_, N_, in_both
from shared.names import STAFF
from shared.text import is_clean

_hasher = PasswordHasher()

MIN_PASSWORD = 8
NO_SUCH_ROLE = N_("role must be one of {roles}")
NEEDS_ARTISAN = N_("an artisan user needs an artisan id (--artisan-id)")
NEEDS_COOPERATIVE = N_("a secretary user needs a cooperative (--cooperative)")
SHORT_PASSWORD = F_("the password must be at least {length} characters long")
NO_SUCH_ARTISAN = F_("no artisan {artisan_id} is registered; register them first on the Artisans page (or POST "
                     "/api/v1/artisans)")
#: `rawbank user add` on one machine runs with rawbank stopped: the API and pages that register are not there
NO_SUCH_ARTISAN_STOPPED = N_("no artisan {artisan_id} is registered. Start rawbank ({start}), register them on the "
                             "Artisans page (or POST /api/v1/artisans), then add their login on the Users page.")
NO_SUCH_COOPERATIVE_STOPPED = N_("no cooperative {cooperative} is registered. Start rawbank ({start}), register it "
                                 "(POST /api/v1/cooperatives), then add the secretary's login on the Users page.")
TAKEN = N_("a user named {username} already exists: choose another name, or, if it is this person's login and they "
           "cannot log in, give it a new password with `rawbank user password {login}`")
BAD_USERNAME = F_("a user name is 1 to {max} characters of text without control characters, so that it can be "
                  "typed at the login")
BAD_PASSWORD = F_("the password must be text without control characters, at most {max} characters, so that it "
                  "can be typed at the login")
NO_SUCH_DEPOT = F_("no depot {depot} is known; the depots are: {known}")
DEPOTS_NAMED = 30  # depot codes a refusal names (75 districts' depots would be a wall of codes)
NO_DEPOT_YET = F_("no depot {depot} is known, nor any other yet: an admin registers depots on the “Catalog and depots” page")
NO_SUCH_COOPERATIVE = F_("no cooperative {cooperative} is registered; register it first (POST /api/v1/cooperatives)")
ONLY_WAREHOUSE = F_("only warehouse staff work at a depot")
ONLY_ARTISANS = F_("only an artisan's login has an artisan number: leave it empty for this role")
ONLY_SECRETARIES = F_("only a secretary's login has a cooperative: leave it empty for this role")
#: the role each of a login's fields belongs to: signed into its token, so never on another role's login
BELONGS = {"artisan_id": ("artisan", ONLY_ARTISANS), "depot": ("warehouse", ONLY_WAREHOUSE),
           "cooperative": ("secretary", ONLY_SECRETARIES)}
#: what the login accepts (LoginSchema): a user the command adds must be able to log in
MAX_USERNAME, MAX_PASSWORD = 100, 200
MAX_NAME = 200  # a display name, as the Users page takes it (schemas._display_name)
BAD_NAME = N_("{option}: a display name is at most {max} characters of text, without control characters")
ADDED = N_("added {role} user {username}")
NO_SUCH_USER = N_("no user named {username}; `rawbank user add` adds one")
HAS_LOGIN = N_("artisan {artisan_id} already has a login, {login}: one artisan has one login. If they cannot log in, "
               "`rawbank user password {login}` gives it a new password; to give them another login instead, "
               "deactivate {login} on the Users page first.")
#: the texts above marked F_ are also said under a field of the Users page's forms (POST /api/v1/users)

#: on an active artisan's login only: the artisan's number, unique (store.py), so that two logins added for one artisan
#: at once cannot both be stored. Logins stored before it have none: `artisan_login` finds them by their fields.
ONE_LOGIN = "one_login_of"
TRIES = 3  # a login of the same artisan added and deactivated again and again meanwhile: Busy
PASSWORD_SET = N_("{username} has a new password; the old one no longer logs in, and every login they had before "
                  "now ends on every service")


@functools.cache
def _dummy_hash() -> str:
    """Verifying against a real hash when the user is unknown keeps login time the same."""
    return _hasher.hash("rawbank-no-such-user")


def add_user(db, *, username: str, password: str, role: str, artisan_id: str | None = None,
             depot: str | None = None, cooperative: str | None = None, name: str | None = None,
             name_hi: str | None = None) -> dict:
    """Store a new user with a hashed password and its display name, if given (English, Hindi); a staff login's
    addition is told to the other services (staff_names) in the same write."""
    if role not in ROLES:
        raise SettingError.said(NO_SUCH_ROLE, roles=", ".join(ROLES))
    if role == "artisan" and not artisan_id:
        raise SettingError.said(NEEDS_ARTISAN)
    if role == "secretary" and not cooperative:
        raise SettingError.said(NEEDS_COOPERATIVE)
    user = {"_id": username, "role": role, "artisan_id": artisan_id, "depot": depot,
            "cooperative": cooperative,
            "password_hash": _hasher.hash(password), **({"name": name} if name else {}),
            **({"name_hi": name_hi} if name_hi else {})}
    if role in STAFF:
        user.update({"outbox": [staff_names.event(username, role, name or None, name_hi or None).to_dict()],
                     staff_names.TOLD: True})
    if role == "artisan":
        one_login(db, artisan_id)
        user[ONE_LOGIN] = artisan_id
    for _ in range(TRIES):
        try:
            db.users.insert_one(user)
            return user
        except DuplicateKeyError:
            if db.users.find_one({"_id": username}, {"_id": 1}) is not None:
                raise AlreadyExists({"username": username}) from None
            one_login(db, artisan_id)  # a login added for them at the same moment (the unique ONE_LOGIN)
            # that login was deactivated since: their artisan may have this one
    raise Busy()


def artisan_login(db, artisan_id: str, *, besides: str | None = None) -> str | None:
    """The user name of the artisan's active login (another than `besides`), if they have one. A deactivated login
    is not one: its artisan may be given a new login."""
    query = {"role": "artisan", "artisan_id": artisan_id, "active": {"$ne": False}}
    if besides is not None:
        query["_id"] = {"$ne": besides}
    found = db.users.find_one(query, {"_id": 1}, sort=[("_id", 1)])
    return found and found["_id"]


def artisan_logins(db, artisan_ids: list[str]) -> dict[str, str]:
    """The user name of each artisan's active login, for those who have one (one read)."""
    found = db.users.find({"role": "artisan", "artisan_id": {"$in": list(artisan_ids)}, "active": {"$ne": False}},
                          {"_id": 1, "artisan_id": 1}).sort("_id", -1)
    return {user["artisan_id"]: user["_id"] for user in found}


def one_login(db, artisan_id: str, *, besides: str | None = None, refusal=ArtisanHasLogin) -> None:
    """Refuse (`refusal`, 409 artisan_has_login, naming it) a login for an artisan who has an active one."""
    if (login := artisan_login(db, artisan_id, besides=besides)) is not None:
        raise refusal({"artisan_id": artisan_id, "login": login, **({"username": besides} if besides else {})})


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


def add_from_cli(db, *, username: str, role: str, password: str | None, artisan_id: str | None = None,
                 depot: str | None = None, cooperative: str | None = None, start: str | None = None,
                 name: str | None = None, name_hi: str | None = None) -> str | None:
    """`rawbank user add`: check and store a user, with its display name if given (English, Hindi; checked as the
    Users page checks it); return what to print (English, then Hindi), raise SettingError (a ValueError in both
    languages) otherwise. `start`: on one machine, rawbank is stopped and this starts it (an artisan or a
    cooperative is registered while it runs). With no password it only checks all but the password, storing
    nothing: the command asks for one only for a login it can add."""
    for option, value in (("--name", name), ("--name-hi", name_hi)):
        if value and not (len(value) <= MAX_NAME and is_clean(value)):
            raise SettingError.said(BAD_NAME, option=option, max=MAX_NAME)
    checking = password is None
    for field, refusal in refusals(db, username=username, password="x" * MIN_PASSWORD if checking else password,
                                   artisan_id=artisan_id, depot=depot, cooperative=cooperative, role=role).items():
        if start and field == "artisan_id":
            raise SettingError.said(NO_SUCH_ARTISAN_STOPPED, artisan_id=artisan_id, start=start)
        if start and field == "cooperative":
            raise SettingError.said(NO_SUCH_COOPERATIVE_STOPPED, cooperative=cooperative, start=start)
        raise refusal  # the first, as the command says one thing at a time
    if checking:
        if db.users.find_one({"_id": username}, {"_id": 1}) is not None:
            raise SettingError.said(TAKEN, username=repr(username), login=username)
        if role == "artisan":
            try:
                one_login(db, artisan_id)
            except ArtisanHasLogin as has:
                raise SettingError.said(HAS_LOGIN, **has.details) from None
        return None
    try:
        add_user(db, username=username, password=password, role=role, artisan_id=artisan_id, depot=depot,
                 cooperative=cooperative, name=name, name_hi=name_hi)
    except AlreadyExists:
        raise SettingError.said(TAKEN, username=repr(username), login=username) from None
    except ArtisanHasLogin as has:
        raise SettingError.said(HAS_LOGIN, **has.details) from None
    return both(*in_both(ADDED, role=role, username=username))


def refusals(db, *, username: str, password: str, artisan_id: str | None, depot: str | None,
             cooperative: str | None, role: str | None = None) -> dict[str, SettingError]:
    """What keeps a new user from logging in or working, by field, in the order the command says them: one name
    and the same checks for `rawbank user add` and the Users page (POST /api/v1/users). A field of another role
    than `role` (a secretary's login with an artisan number) is refused: its token would carry it."""
    found = {}
    given = {"artisan_id": artisan_id, "depot": depot, "cooperative": cooperative}
    stray = {field: SettingError.said(BELONGS[field][1]) for field, value in given.items()
             if value and role is not None and BELONGS[field][0] != role}
    if not 1 <= len(username) <= MAX_USERNAME or not is_clean(username):
        found["username"] = SettingError.said(BAD_USERNAME, max=MAX_USERNAME)
    try:
        _check_password(password)
    except SettingError as exc:
        found["password"] = exc
    found.update(stray)
    if "artisan_id" not in stray and artisan_id and db.artisans.find_one({"_id": artisan_id}, {"_id": 1}) is None:
        found["artisan_id"] = SettingError.said(NO_SUCH_ARTISAN, artisan_id=artisan_id)
    if "depot" not in stray and depot and db.depots.find_one({"_id": depot}, {"_id": 1}) is None:
        found["depot"] = unknown_depot(db, depot)
    if "cooperative" not in stray and cooperative and \
            db.cooperatives.find_one({"_id": cooperative}, {"_id": 1}) is None:
        found["cooperative"] = SettingError.said(NO_SUCH_COOPERATIVE, cooperative=cooperative)
    return found


def own_fields(user: dict) -> dict:
    """The artisan number, depot and cooperative a login's token carries: only its role's. A login stored before
    other roles' fields were refused (a secretary's with an artisan number) keeps them in the store and on the
    Users page, but its token never carries them."""
    return {field: user.get(field) if BELONGS[field][0] == user.get("role") else None for field in BELONGS}


def unknown_depot(db, depot: str) -> SettingError:
    """A depot code nobody registered, said with the codes there are (rawbank stopped, the depots' API is out of
    reach of whoever runs `rawbank user add`; on the Users page it saves a look elsewhere)."""
    known = [d["_id"] for d in db.depots.find({}, {"_id": 1}).sort("_id", 1).limit(DEPOTS_NAMED + 1)]
    if not known:
        return SettingError.said(NO_DEPOT_YET, depot=depot)
    shown = ", ".join(known[:DEPOTS_NAMED]) + (", ..." if len(known) > DEPOTS_NAMED else "")
    return SettingError.said(NO_SUCH_DEPOT, depot=depot, known=shown)


def change_password(db, username: str, password_hash: str, *, token_ttl: int,
                    correlation_id: str | None = None) -> None:
    """Store a new password and refuse, on every service, every token the user was issued before it.

    The tokens are revoked first: a crash in between leaves the old password with no login alive, and
    running the command again finishes it. Should the password's write end in a later second than the
    revocation's, a login that checked the old password meanwhile (`login_token`) got a token of that
    second: revoked again, up to the second the password was stored in.
    """
    first = end_tokens(db, username, time.time(), token_ttl=token_ttl, correlation_id=correlation_id)
    db.users.update_one({"_id": username}, {"$set": {"password_hash": password_hash}})
    stored = time.time()
    if stored >= first:
        end_tokens(db, username, stored, token_ttl=token_ttl, correlation_id=correlation_id)


def end_tokens(db, username: str, until: float, *, token_ttl: int, correlation_id: str | None = None) -> float:
    """Refuse on every service the tokens the user was issued before `until`, for as long as such tokens may live
    (`rawbank token --ttl`, up to MAX_TOKEN_TTL); the first second whose tokens pass (revocation.revoke_subject)."""
    return revocation.revoke_subject(db, username, until, max(token_ttl, MAX_TOKEN_TTL), source="requests",
                                     correlation_id=correlation_id)


def login_token(db, user: dict, config) -> str:
    """The token of a login `authenticate` let through: issued no earlier than the user's tokens are accepted.

    Right after a new password, in the second it was stored in, the login waits for the next second (at most
    one): a token of that second would be refused with the ones from before the change. It is refused
    (BadLogin) if the password it checked was changed meanwhile, (LoginDeactivated) if the login was deactivated.
    """
    now = time.time()  # before the look-up: a change this login does not see is later than this second
    first = revocation.subject_not_before(db, user["_id"])
    issued = int(now)
    if now < first <= now + 1:  # the change's own second (a clock ahead of ours further on: not waited for)
        while time.time() < first:  # an `iat` ahead of the clock is refused: wait until it is not
            time.sleep(max(first - time.time(), 0.001))
        issued = first
    stored = db.users.find_one({"_id": user["_id"]}, {"password_hash": 1, "active": 1, **people.NAMED})
    if stored is None or stored.get("password_hash") != user.get("password_hash"):
        raise BadLogin()
    if stored.get("active") is False:  # said only to whoever typed the right password: a guesser learns nothing
        raise LoginDeactivated()  # read here, not before: deactivated meanwhile, its revocation may be older than this
    named = people.of_user(db, stored)  # read at login: the pages' header names the person with no read per page
    return issue_token(config.jwt_secret, sub=user["_id"], role=user["role"], **own_fields(user),
                       ttl_seconds=config.jwt_ttl_seconds, issued_at=issued, name=named["name"],
                       name_hi=named["name_hi"])


def _check_password(password: str) -> None:
    """A password the login accepts and that is not guessed at once."""
    if len(password) < MIN_PASSWORD:
        raise SettingError.said(SHORT_PASSWORD, length=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD or not is_clean(password):
        raise SettingError.said(BAD_PASSWORD, max=MAX_PASSWORD)


def log_out(db, principal: Principal, *, correlation_id: str | None = None) -> None:
    """Revoke the caller's token on every service until it would have expired."""
    revocation.revoke(db, principal.token_id, revocation.expiry(principal.expires), source="requests",
                      correlation_id=correlation_id)


def set_language(db, username: str, lang: str) -> None:
    """Remember the language a user reads rawbank in."""
    db.users.update_one({"_id": username}, {"$set": {"language": lang}})
