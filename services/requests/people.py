"""Who a login is, from requests' own users and artisans, for saying who did a thing in words (shared.names.who_is):
the pages' names_of, the refusals that name who recorded a share, the approver RequisitionApproved names, and the name
a login's token carries for the pages' header (users.login_token)."""
from __future__ import annotations

NAMED = {"role": 1, "name": 1, "name_hi": 1, "artisan_id": 1}  # what of a user `record` reads


def known(db, logins) -> dict[str, dict]:
    """Each of `logins` that has a record, as {role, name, name_hi}: its display name, or for an artisan's login
    without one, the artisan's name. One users query (and one of artisans) for them all."""
    logins = sorted(set(logins) - {None})
    found = {u["_id"]: u for u in db.users.find({"_id": {"$in": logins}}, NAMED)}
    ids = sorted({u.get("artisan_id") for u in found.values() if u.get("role") == "artisan"} - {None})
    makers = {a["_id"]: a for a in db.artisans.find({"_id": {"$in": ids}}, {"name": 1, "name_hi": 1})}
    return {login: record(user, makers.get(user.get("artisan_id"))) for login, user in found.items()}


def record(user: dict, maker: dict | None) -> dict:
    """A user as {role, name, name_hi}: its display name, or for an artisan's login without one, its artisan's
    (`maker`, {name, name_hi}, may be None)."""
    named = user if user.get("name") or user.get("role") != "artisan" else maker or {}
    return {"role": user.get("role"), "name": named.get("name"), "name_hi": named.get("name_hi")}


def of_user(db, user: dict) -> dict:
    """`record` of one user document (with role, name, name_hi, artisan_id): the artisans are read only for an
    artisan's login without a display name of its own."""
    maker = None
    if user.get("role") == "artisan" and not user.get("name") and user.get("artisan_id"):
        maker = db.artisans.find_one({"_id": user["artisan_id"]}, {"name": 1, "name_hi": 1})
    return record(user, maker)


def of_login(db, username: str) -> dict | None:
    """{name, name_hi} a login's token carries for the pages' header, as its login reads them (users.login_token):
    what `rawbank token` puts in a token for it. None: nobody logs in with `username`."""
    user = db.users.find_one({"_id": username}, NAMED)
    if user is None:
        return None
    named = of_user(db, user)
    return {"name": named["name"], "name_hi": named["name_hi"]}
