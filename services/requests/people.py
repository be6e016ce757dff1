"""Who a login is, from requests' own users and artisans, for saying who did a thing in words (shared.names.who_is):
the pages' names_of, the refusals that name who recorded a share, the approver RequisitionApproved names."""
from __future__ import annotations


def known(db, logins) -> dict[str, dict]:
    """Each of `logins` that has a record, as {role, name, name_hi}: its display name, or for an artisan's login
    without one, the artisan's name. One users query (and one of artisans) for them all."""
    logins = sorted(set(logins) - {None})
    found = {u["_id"]: u for u in db.users.find({"_id": {"$in": logins}},
                                                {"role": 1, "name": 1, "name_hi": 1, "artisan_id": 1})}
    ids = sorted({u.get("artisan_id") for u in found.values() if u.get("role") == "artisan"} - {None})
    makers = {a["_id"]: a for a in db.artisans.find({"_id": {"$in": ids}}, {"name": 1, "name_hi": 1})}
    records = {}
    for login, user in found.items():
        named = user if user.get("name") or user.get("role") != "artisan" else makers.get(user.get("artisan_id")) or {}
        records[login] = {"role": user.get("role"), "name": named.get("name"), "name_hi": named.get("name_hi")}
    return records
