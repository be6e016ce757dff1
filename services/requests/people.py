"""Who a login is, as people read who did a thing: a display name, an artisan's name, else the login's role in words;
staff also read the login after them, others never read a bare login (the pages' names_of, the refusals that name
who recorded a share)."""
from __future__ import annotations

from shared.i18n import N_, translate

#: a login's role as people read who acted when their record gives no name
ROLES = {"artisan": N_("the artisan"), "secretary": N_("the cooperative's secretary"),
         "warehouse": N_("the depot clerk"), "admin": N_("an admin")}
SOMEONE = N_("a member of staff")  # a login no record names, to a reader who may not read it bare
STAFF = ("admin", "warehouse")  # the readers who also read the login


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


def who_is(record: dict | None, login: str | None, lang: str, *, staff: bool) -> tuple[str, str]:
    """How a reader in `lang` is told who `login` (of `record`, from `known`) is: (words, kind), kind "name" (a name
    as typed), "role" (the role in words), "login" (the bare login: to staff only) or "someone" ("a member of staff").
    Staff read the login after a name or a role (`with_login`)."""
    record = record or {}
    name = (record.get("name_hi") if lang == "hi" else None) or record.get("name")
    if name:
        return name, "name"
    if record.get("role") in ROLES:
        return translate(ROLES[record["role"]], lang), "role"
    return (login, "login") if staff and login else (translate(SOMEONE, lang), "someone")


def with_login(kind: str, staff: bool) -> bool:
    """Whether the reader also reads the login after the words `who_is` said (staff, after a name or a role)."""
    return staff and kind in ("name", "role")


def plainly(record: dict | None, login: str | None, lang: str, *, staff: bool) -> str:
    """Who `login` is in plain text (a refusal's message): "the depot clerk", "Asha Devi (asha)" to staff."""
    words, kind = who_is(record, login, lang, staff=staff)
    return f"{words} ({login})" if with_login(kind, staff) else words
