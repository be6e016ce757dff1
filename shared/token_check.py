"""What `rawbank token` reads before it signs: that the artisan, cooperative or depot a token names is registered,
and the name of the person it is for (`name_of`), which the pages' header says, as a login's token carries it.

Before, `rawbank token --role secretary --cooperative NOPE` printed a token for a cooperative nobody registered (and
`--artisan-id`, `--depot` likewise): its holder saw nothing and was told nothing. Where rawbank's data can be read it
is asked: over its API while `rawbank dev` runs on the data directory (running.json names its services), else in its
store while it is stopped there. Where neither can be read (no data directory, MongoDB elsewhere, a service not
answering) the token is signed as before: scripts and tests make tokens for services they start later.
"""
from __future__ import annotations

import urllib.error
import urllib.parse

from shared.i18n import N_

#: (option, the token's claim, the service that knows it, its path on that service's API, the refusal)
NAMED = (
    ("--artisan-id", "artisan_id", "requests", "/api/v1/artisans/{}", N_(
        "rawbank token: no artisan {value} is registered in the rawbank on {path}, so a token for them would show "
        "nothing. Give a registered artisan's number (the Artisans page lists them), or register them first.")),
    ("--cooperative", "cooperative", "requests", "/api/v1/cooperatives/{}", N_(
        "rawbank token: no cooperative {value} is registered in the rawbank on {path}, so a secretary's token for it "
        "would show nothing. Give a registered cooperative's code (GET /api/v1/cooperatives lists them), or "
        "register it first.")),
    ("--depot", "depot", "inventory", "/api/v1/depots/{}", N_(
        "rawbank token: no depot {value} is known in the rawbank on {path}. Give a known depot's code (GET "
        "/api/v1/depots lists them), or leave --depot out for every depot.")),
)
#: the role whose token carries each claim (as a login's: services/requests/users.py BELONGS)
BELONGS = {"artisan_id": "artisan", "cooperative": "secretary", "depot": "warehouse"}
ONLY_ROLE = N_("rawbank token: {option} is for a token of --role {role} only: a --role {given} token would carry it. "
               "Leave it out.")
COLLECTIONS = {"artisan_id": "artisans", "cooperative": "cooperatives", "depot": "depots"}


def refusal(args, config) -> tuple[str, dict] | None:
    """The first thing wrong with the token asked for, as (text, its values), or None."""
    for option, claim, *_ in NAMED:
        if getattr(args, claim) and BELONGS[claim] != args.role:
            return ONLY_ROLE, {"option": option, "role": BELONGS[claim], "given": args.role}
    asked = [(claim, getattr(args, claim), text) for _, claim, _, _, text in NAMED if getattr(args, claim)]
    if not asked or not config.embedded or not config.data_dir:
        return None
    known = _over_the_api(config, asked) or _in_the_store(config, asked) or {}
    for claim, value, text in asked:
        if known.get(claim) is False:
            return text, {"value": value, "path": config.data_dir}
    return None


def name_of(sub: str, config) -> dict:
    """{name, name_hi} of the login `sub`, read as its login reads them (over the API while `rawbank dev` runs on the
    data directory, else in the store while it is stopped there); empty where it cannot be read or nobody logs in
    with `sub`: the token names no one, its pages say the login."""
    if not config.embedded or not config.data_dir:
        return {}
    urls = _running(config)
    if urls:
        if "requests" not in urls:
            return {}
        from shared.admin_api import Unanswered, call
        try:
            return call(urls["requests"].rstrip("/") + f"/api/v1/users/{urllib.parse.quote(sub, safe='')}/name",
                        _admin_token(config), timeout=5)
        except Unanswered:  # 404: nobody logs in with it; anything else says nothing of it
            return {}
    from shared.spec import declaring
    spec = declaring("name_of")
    runtime = _stopped_store(config, spec)
    if runtime is None:
        return {}
    try:
        return spec.name_of(runtime.db, sub) or {}
    finally:
        runtime.close()


def _running(config) -> dict:
    """The services' addresses while `rawbank dev` runs on the data directory (running.json); empty if it does not."""
    from shared.datadir import DataDir
    return (DataDir(config.data_dir).read_json("running.json") or {}).get("urls") or {}


def _admin_token(config) -> str:
    """A one-minute admin token, signed as the services check theirs, for what `rawbank token` asks them."""
    from shared.admin_api import admin_token
    return admin_token(config, "rawbank-token", ttl_seconds=60)


def _over_the_api(config, asked) -> dict | None:
    """While `rawbank dev` runs on the data directory: each asked with a short admin token; None if it does not."""
    from shared.admin_api import Unanswered, call
    urls = _running(config)
    if not urls:
        return None
    token = _admin_token(config)
    found = {}
    paths = {claim: (service, path) for _, claim, service, path, _ in NAMED}
    for claim, value, _ in asked:
        service, path = paths[claim]
        if service not in urls:
            continue
        url = urls[service].rstrip("/") + path.format(urllib.parse.quote(value, safe=""))
        try:
            call(url, token, timeout=5)
            found[claim] = True
        except Unanswered as exc:  # not answering: signed as before
            if isinstance(exc.cause, urllib.error.HTTPError) and exc.cause.code == 404:
                found[claim] = False  # anything else (401: another secret) says nothing of it
    return found


def _in_the_store(config, asked) -> dict | None:
    """With rawbank stopped on the data directory: read in the requests service's store; None if it cannot be."""
    from shared.spec import declaring
    runtime = _stopped_store(config, declaring("add_user"))
    if runtime is None:
        return None
    try:
        return {claim: runtime.db[COLLECTIONS[claim]].find_one({"_id": value}, {"_id": 1}) is not None
                for claim, value, _ in asked}
    finally:
        runtime.close()


def _stopped_store(config, spec):
    """The Runtime of `spec`'s store in the data directory with rawbank stopped there (close it); None if it cannot
    be opened."""
    from shared.datadir import DataDir
    if not DataDir(config.data_dir).store(spec.name).exists():
        return None
    from pymongo.errors import PyMongoError
    from shared.runtime import Runtime
    try:
        return Runtime(spec, config)
    except (ValueError, PyMongoError):  # in use (a `rawbank run` without running.json), or newer than this rawbank
        return None
