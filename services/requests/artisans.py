"""The artisan registry, and which artisans each caller may see."""
from __future__ import annotations

import re

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from services.requests import cooperatives
from services.requests.errors import AdminOnlyFields, ArtisanInactive, NoLoomsChange, NoPhoneChange, RegistrationTaken
from shared.auth import Principal
from shared.changes import nothing_changes
from shared.districts import Districts, depot_districts
from shared.envelope import new_event, utcnow_iso
from shared.errors import AlreadyExists, Busy, Conflict, Forbidden, Invalid, NotFound
from shared.i18n import F_, N_, translate
from shared.phones import ending, fill_phone_keys, phone_key
from shared.quantity import ascii_digits

SOURCE = "requests"
NOTHING = {"_id": {"$in": []}}
EVENT_FIELDS = ("name", "name_hi", "district", "language", "phone", "email", "cooperative", "active", "looms",
                "social_category", "gender", "bpl")
PRIVATE = ("social_category", "gender", "bpl")  # for the department's beneficiary reports: admins only
SEEN_BY_ADMINS = (*PRIVATE, "created_by")  # and who registered them
PUBLIC = {"outbox": 0, "_relay": 0, "phone_key": 0}


def at_start(db, config=None) -> int:
    """The service starts: artisans saved before records kept `phone_key` get it (shared.phones.fill_phone_keys),
    so an SMS from their phone and a phone another artisan shares are known as theirs (once: later starts skip it)."""
    return fill_phone_keys(db)


def visible(principal: Principal, field: str = "_id") -> dict:
    """The filter of artisans (or their requisitions, with field='artisan_id') a caller may see."""
    if principal.role in ("admin", "warehouse"):
        return {}
    if principal.role == "secretary":
        return {"cooperative": principal.cooperative} if principal.cooperative else NOTHING
    if principal.role == "artisan" and principal.artisan_id:
        return {field: principal.artisan_id}
    return NOTHING


def within(query: dict, scope: dict) -> dict:
    """Both filters; merging the dicts would let one key of the scope replace the query's."""
    return {"$and": [query, scope]} if scope else query


def register(db, principal: Principal, body: dict, *, correlation_id: str | None = None) -> dict:
    """Add an artisan with their ArtisanRegistered event; secretaries register into their cooperative."""
    _may_edit(principal, body)
    body = dict(body)
    wanted_id = body.pop("artisan_id", None) if principal.role == "admin" else None
    if principal.role == "secretary":
        body["cooperative"] = principal.cooperative
        body.update(_looms_asked(principal, body.get("looms", 0), 0), looms=0)
    cooperatives.require(db, body.get("cooperative"))
    for _ in range(100):
        artisan_id = wanted_id or _next_id(db)
        doc = {"_id": artisan_id, **body, "phone_key": phone_key(body.get("phone")), "created_at": utcnow_iso(),
               "created_by": principal.sub, "version": 1}
        event = _event("ArtisanRegistered", doc, correlation_id)
        try:
            db.artisans.insert_one({**doc, "outbox": [event.to_dict()]})
            return shown_to(principal, doc)
        except DuplicateKeyError:
            holder = db.artisans.find_one({"registration_id": body["registration_id"]}, {"cooperative": 1})
            if holder:  # whose it is, to an admin or to the secretary of its cooperative only
                shown = principal.role == "admin" or holder.get("cooperative") == principal.cooperative
                raise RegistrationTaken(body["registration_id"], holder["_id"] if shown else None) from None
            if wanted_id:
                raise AlreadyExists({"artisan_id": wanted_id}) from None
    raise Busy()


def update(db, principal: Principal, artisan_id: str, changes: dict, *,
           correlation_id: str | None = None) -> dict:
    """Change an artisan's details, with their ArtisanUpdated event in the same write; all as they are (the form
    sends every field) writes nothing (shared/changes.py)."""
    before = _visible(db, principal, artisan_id)
    _may_edit(principal, changes)
    changes = dict(changes)
    if principal.role == "secretary":
        changes.pop("cooperative", None)  # a secretary cannot move a member out of their cooperative
        if "looms" in changes:
            changes.update(_looms_asked(principal, changes.pop("looms"), before.get("looms", 0)))
        if "phone" in changes:
            changes.update(_phone_asked(principal, changes.pop("phone"), before.get("phone")))
    else:  # an admin's own figure or number settles what was asked; the same one sent back (the form sends every
        # field) is no answer to it, and leaves it for the approvals page
        if "looms" in changes and changes["looms"] != before.get("looms", 0):
            changes["looms_change"] = None
        if "phone" in changes and not _same_phone(changes["phone"], before.get("phone")):
            changes["phone_change"] = None
    cooperatives.require(db, changes.get("cooperative"))
    if nothing_changes(before, changes):  # the form saved as it was: no new version, no ArtisanUpdated
        return shown_to(principal, before)
    return _store(db, principal, before, changes, correlation_id)


def decide_looms(db, principal: Principal, artisan_id: str, approve: bool, *,
                 correlation_id: str | None = None) -> dict:
    """An admin approves or rejects the change of looms a secretary asked for."""
    return _decide(db, principal, artisan_id, "looms", approve, NoLoomsChange, correlation_id)


def decide_phone(db, principal: Principal, artisan_id: str, approve: bool, *,
                 correlation_id: str | None = None) -> dict:
    """An admin approves or rejects the new phone a secretary asked for a member."""
    return _decide(db, principal, artisan_id, "phone", approve, NoPhoneChange, correlation_id)


def _decide(db, principal: Principal, artisan_id: str, field: str, approve: bool, nothing_asked,
            correlation_id: str | None) -> dict:
    """The `<field>_change` a secretary asked settled by an admin: the asked value taken, or left; `nothing_asked`
    (409) when none waits."""
    if principal.role != "admin":
        raise Forbidden()
    before = _visible(db, principal, artisan_id)
    asked = before.get(f"{field}_change")
    if not asked:
        raise nothing_asked({"artisan_id": artisan_id})
    return _store(db, principal, before, {f"{field}_change": None, **({field: asked[field]} if approve else {})},
                  correlation_id)


def _phone_asked(principal: Principal, phone: str | None, current: str | None) -> dict:
    """A member's codes to confirm their share go to their phone (SMS, missed call): a secretary who could set it
    could confirm for them from their own, so a secretary's number waits for an admin as `phone_change`."""
    if _same_phone(phone, current):
        return {}
    return {"phone_change": {"phone": phone, "requested_by": principal.sub, "requested_at": utcnow_iso()}}


def _same_phone(one: str | None, other: str | None) -> bool:
    """One phone however written ('098000 00001' is +919800000001): the form sends back what the page shows, and
    that is no change; a number too short for a key is compared as typed, without spaces."""
    keys = phone_key(one), phone_key(other)
    return keys[0] == keys[1] if all(keys) else "".join((one or "").split()) == "".join((other or "").split())


def _looms_asked(principal: Principal, looms: int, current: int) -> dict:
    """Looms decide quotas, so a secretary's figure waits for an admin as `looms_change`."""
    if looms == current:
        return {}
    return {"looms_change": {"looms": looms, "requested_by": principal.sub, "requested_at": utcnow_iso()}}


def _store(db, principal: Principal, before: dict, changes: dict, correlation_id: str | None) -> dict:
    """One versioned write of the whole record (from `_visible`, so admin-only fields carry over) and its event."""
    after = {**before, **changes, "version": before["version"] + 1, "updated_at": utcnow_iso()}
    after["phone_key"] = phone_key(after.get("phone"))
    event = _event("ArtisanUpdated", after, correlation_id)
    stored = db.artisans.find_one_and_update(
        {"_id": before["_id"], "version": before["version"]},
        {"$set": {k: v for k, v in after.items() if k != "_id"}, "$push": {"outbox": event.to_dict()}},
        projection=PUBLIC, return_document=ReturnDocument.AFTER)
    if stored is None:
        raise Conflict()
    return shown_to(principal, stored)


def get(db, principal: Principal, artisan_id: str) -> dict:
    """One artisan the caller may see, as they may see it; 404 for everyone else's."""
    return shown_to(principal, _visible(db, principal, artisan_id))


def _visible(db, principal: Principal, artisan_id: str) -> dict:
    doc = db.artisans.find_one(within({"_id": artisan_id}, visible(principal)), PUBLIC)
    if doc is None:
        raise NotFound()
    return doc


def shown_to(principal: Principal, doc: dict) -> dict:
    """An artisan's record without what only admins see (social category, gender, BPL status, who registered them)."""
    return doc if principal.role == "admin" else {k: v for k, v in doc.items() if k not in SEEN_BY_ADMINS}


def profile(db, artisan_id: str) -> dict | None:
    """An artisan's registry entry as staff see it; None if unknown."""
    return db.artisans.find_one({"_id": artisan_id}, PUBLIC)


def search(db, principal: Principal, *, q=None, district=None, cooperative=None, active=None, looms_change=None,
           phone_change=None, limit=100, offset=0) -> list[dict]:
    """The artisans the caller may see that match, by number; `q` finds words in the number, names, phone,
    district (in English, or in Hindi as a depot of it names it), registration and cooperative (its code or name);
    `district` is one district as typed, or its Hindi name as a depot of it gives it."""
    cursor = db.artisans.find(_query(db, principal, q, district, cooperative, active, looms_change, phone_change),
                              PUBLIC)
    return [shown_to(principal, doc) for doc in cursor.sort("_id", 1).skip(offset).limit(limit)]


def count(db, principal: Principal, **filters) -> int:
    """How many artisans `search` finds with these filters, on every page."""
    return db.artisans.count_documents(_query(db, principal, filters.get("q"), filters.get("district"),
                                              filters.get("cooperative"), filters.get("active"),
                                              filters.get("looms_change"), filters.get("phone_change")))


def _query(db, principal: Principal, q, district, cooperative, active, looms_change, phone_change=None) -> dict:
    query = {k: v for k, v in (("district", district), ("cooperative", cooperative), ("active", active))
             if v is not None}
    for field, waiting in (("looms_change", looms_change), ("phone_change", phone_change)):
        if waiting is not None:
            query[field] = {"$type": "object"} if waiting else {"$not": {"$type": "object"}}
    terms = (q or "").split()[:5]
    depots = depot_districts(db) if terms or district else None
    if district and (english := depots.in_english(district)):
        query["district"] = called(district, *english)  # its Hindi name, as a depot of it gives it
    words = [{"$or": _matches(db, word, depots)} for word in terms]
    return within({**query, "$and": words} if words else query, visible(principal))


def _matches(db, word: str, depots: Districts) -> list[dict]:
    """Where one word of a search may be: any of the artisan's names and codes, their phone, their cooperative, and
    their district in English or in Hindi (as a depot of it names it)."""
    pattern = {"$regex": re.escape(word), "$options": "i"}
    found = [{field: pattern} for field in ("_id", "name", "name_hi", "district", "registration_id", "cooperative")]
    if english := depots.in_english(word, part=True):
        found.append({"district": called(*english)})
    digits = "".join(ch for ch in ascii_digits(word) if ch.isdigit())
    if len(digits) >= 3:
        found.append({"phone_key": {"$regex": re.escape(digits)}})
    coops = [c["_id"] for c in db.cooperatives.find({"$or": [{"name": pattern}, {"name_hi": pattern}]}, {"_id": 1})
             .limit(50)]
    return found + ([{"cooperative": {"$in": coops}}] if coops else [])


def called(*names: str) -> dict:
    """A name (a district, an artisan's) that is one of `names` case and spacing aside (shared.text.plain_name), as a
    pattern both MongoDB and mongomock read ('Sant  Ravidas nagar' is 'Sant Ravidas Nagar', as the pages say them)."""
    spelled = "|".join(r"\s+".join(re.escape(part) for part in name.split()) for name in names)
    return {"$regex": rf"^\s*(?:{spelled})\s*$", "$options": "i"}


def requesting_for(db, principal: Principal, artisan_id: str | None) -> dict:
    """The active artisan a new requisition is for: the caller, or a member they act for."""
    if principal.role == "artisan":
        artisan_id = principal.artisan_id  # never taken from the body
    elif principal.role not in ("admin", "secretary"):
        raise Forbidden()
    elif not artisan_id:
        raise Invalid({"artisan_id": [F_("required when acting for an artisan")]})
    doc = db.artisans.find_one(within({"_id": artisan_id}, visible(principal)), PUBLIC)
    if doc is None and principal.role != "artisan":
        raise NotFound()
    if doc is None or not doc.get("active", True):
        raise ArtisanInactive({"artisan_id": artisan_id})
    return doc


def by_phone(db, phone: str) -> list[dict]:
    """The artisans registered with this phone number (a family may share one)."""
    key = phone_key(phone)
    return list(db.artisans.find({"phone_key": key}, PUBLIC).limit(20)) if key else []


PHONE_SHARED = N_("Other artisans are registered with this phone too: {artisans}. The SMS for each of them go to it as "
                  "well; check the number, or keep it if a family shares one phone.")
NOT_SEEN = N_("{count} you cannot see")
SHARERS_NAMED = 20  # artisans a warning names: a number typed wrong (a depot's own) could be on hundreds


def sharing_phone(db, principal: Principal, artisan_id: str, phone: str | None) -> dict | None:
    """The other artisans registered with `phone` (the same number however written), as a warning to whoever
    typed it, not a refusal (a family shares a phone): how many, the numbers of those the caller may see, and a
    message in the request's language; None when nobody else has it. SMS to a shared phone say whose they are."""
    key = phone_key(phone)
    if not key:
        return None
    others = {"phone_key": key, "_id": {"$ne": artisan_id}}
    count = db.artisans.count_documents(others)
    if not count:
        return None
    seen = [doc["_id"] for doc in db.artisans.find(within(others, visible(principal)), {"_id": 1})
            .sort("_id", 1).limit(SHARERS_NAMED)]
    named = ", ".join(seen + ([translate(NOT_SEEN, count=count - len(seen))] if count > len(seen) else []))
    return {"count": count, "artisans": seen, "message": translate(PHONE_SHARED, artisans=named)}


def _may_edit(principal: Principal, fields: dict) -> None:
    if principal.role == "admin":
        return
    if principal.role == "secretary" and principal.cooperative:
        if set(fields) & set(PRIVATE):
            raise AdminOnlyFields({"fields": sorted(set(fields) & set(PRIVATE))})
        return
    raise Forbidden()


def _next_id(db) -> str:
    counter = db.counters.find_one_and_update({"_id": "artisan"}, {"$inc": {"seq": 1}}, upsert=True,
                                              return_document=ReturnDocument.AFTER)
    return f"ART-{counter['seq']:04d}"


def _event(type_: str, doc: dict, correlation_id: str | None):
    payload = {"artisan_id": doc["_id"], **{k: doc.get(k) for k in EVENT_FIELDS}}
    if type_ == "ArtisanUpdated":
        asked = doc.get("phone_change")
        payload["phone_asked"] = {"ending": ending(asked["phone"]), "at": asked["requested_at"]} \
            if asked else None  # only its last digits: the member is told of it at the phone they have
    return new_event(type_, doc["_id"], payload, source=SOURCE, correlation_id=correlation_id)
