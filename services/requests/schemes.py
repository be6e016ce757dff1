"""Subsidy schemes: what each sells at a subsidy, to whom, in which dates, with which charges.

All schemes live in one document, the scheme book, changed only by a write conditional on its
version: so the check that no two schemes cover the same artisans for the same category in
overlapping dates (two admins adding schemes at once) cannot be raced past. Schemes are few.
"""
from __future__ import annotations

from pymongo.errors import DuplicateKeyError

from services.requests.errors import CodeTaken, SchemesOverlap, UnknownScheme
from shared.changes import nothing_changes
from shared.codes import code_key
from shared.envelope import utcnow_iso
from shared.errors import AlreadyExists, Busy, Invalid
from shared.i18n import F_
from shared.text import among, plain_name

BOOK = "schemes"
MAX_ATTEMPTS = 20


def covers(scheme: dict, artisan: dict, day: str) -> bool:
    """The scheme applies to this artisan on this day (an empty list of crafts or districts is all)."""
    return (scheme["valid_from"] <= day and (scheme.get("valid_to") is None or day <= scheme["valid_to"])
            and covers_whom(scheme, artisan))


def covers_whom(scheme: dict, artisan: dict) -> bool:
    """The artisan's craft and district are among the scheme's (whatever its dates)."""
    who = scheme.get("covers") or {}
    return among(who.get("crafts"), artisan.get("craft")) and among(who.get("districts"), artisan.get("district"))


def covering_nobody(db) -> set[str]:
    """The schemes naming crafts or districts that no registered artisan has: a name typed wrong ('Varansi') would
    otherwise take the subsidy from everyone it was meant for without a word. None while no artisan is registered."""
    named = {code: scheme for code, scheme in listing_by_code(db).items()
             if any((scheme.get("covers") or {}).get(kind) for kind in ("crafts", "districts"))}
    # each district and craft registered together once (a few hundred pairs for the whole state), not every artisan
    pairs = [row["_id"] for row in db.artisans.aggregate([
        {"$group": {"_id": {"district": "$district", "craft": "$craft"}}}])] if named else []
    return {code for code, scheme in named.items() if pairs and not any(covers_whom(scheme, pair) for pair in pairs)}


def overlap(a: dict, b: dict) -> str | None:
    """The first category both schemes cap for some same artisans on some same day; None if none."""
    if a["valid_from"] > (b.get("valid_to") or "9999") or b["valid_from"] > (a.get("valid_to") or "9999"):
        return None
    for kind in ("crafts", "districts"):
        mine, theirs = _folded((a.get("covers") or {}).get(kind)), _folded((b.get("covers") or {}).get(kind))
        if mine and theirs and not mine & theirs:
            return None
    common = sorted({c["category"] for c in a["caps"]} & {c["category"] for c in b["caps"]})
    return common[0] if common else None


def _folded(values) -> set[str]:
    return {plain_name(v) for v in values or ()}


def _book(db) -> dict:
    try:
        db.schemes.update_one({"_id": BOOK}, {"$setOnInsert": {"version": 0, "schemes": {}}}, upsert=True)
    except DuplicateKeyError:  # created at the same moment by another writer
        pass
    return db.schemes.find_one({"_id": BOOK})


def _refuse_wrong(book: dict, scheme: dict) -> None:
    """A scheme ending before it begins, or overlapping another of the book, is refused."""
    if scheme.get("valid_to") and scheme["valid_to"] < scheme["valid_from"]:
        raise Invalid({"valid_to": [F_("must not be before valid_from")]})
    for other in book["schemes"].values():
        if other["code"] != scheme["code"] and (category := overlap(scheme, other)):
            raise SchemesOverlap({"scheme": other["code"], "category": category})


def _save(db, book: dict, scheme: dict) -> bool:
    _refuse_wrong(book, scheme)
    result = db.schemes.update_one({"_id": BOOK, "version": book["version"]},
                                   {"$set": {f"schemes.{scheme['code']}": scheme, "version": book["version"] + 1}})
    return result.matched_count == 1


def create(db, body: dict, *, by: str) -> dict:
    """Add a scheme; refused if its code is taken, whatever the case of its letters and the spaces around it
    (shared/codes.py), or it overlaps another scheme. Twins stored before stay as they are."""
    for _ in range(MAX_ATTEMPTS):
        book = _book(db)
        if body["code"] in book["schemes"]:
            raise AlreadyExists({"code": body["code"]})
        key = code_key(body["code"])  # the book's version (_save) keeps two registered at once apart
        if existing := next((code for code in book["schemes"] if code_key(code) == key), None):
            raise CodeTaken({"code": body["code"], "existing": existing})
        scheme = {**body, "version": 1, "created_by": by, "created_at": utcnow_iso(), "updated_at": utcnow_iso()}
        if _save(db, book, scheme):
            return scheme
    raise Busy()


def update(db, code: str, changes: dict, *, by: str) -> dict:
    """Change a scheme; a requisition takes its new figures when priced again at approval, until its price is
    locked when its stock is set aside (services/requests/README.md, "Decisions where the issue is silent"). All as
    it is (the page's form sends every field back) writes nothing: the scheme as it is, its version the same
    (shared/changes.py)."""
    for _ in range(MAX_ATTEMPTS):
        book = _book(db)
        if code not in book["schemes"]:
            raise UnknownScheme({"code": code})
        before = book["schemes"][code]
        if nothing_changes(before, changes):  # saved as it was: no new version of it or of the book
            _refuse_wrong(book, before)  # refused as before where twins stored before the rule overlap
            return before
        scheme = {**before, **changes, "version": before["version"] + 1, "updated_by": by, "updated_at": utcnow_iso()}
        if _save(db, book, scheme):
            return scheme
    raise Busy()


def get(db, code: str) -> dict:
    scheme = listing_by_code(db).get(code)
    if scheme is None:
        raise UnknownScheme({"code": code})
    return scheme


def listing_by_code(db) -> dict[str, dict]:
    book = db.schemes.find_one({"_id": BOOK})
    return dict(sorted((book or {}).get("schemes", {}).items()))


def covering(db, artisan: dict, day: str) -> list[dict]:
    """The schemes that apply to the artisan on the day (no two cap the same category)."""
    return [scheme for scheme in listing_by_code(db).values() if covers(scheme, artisan, day)]


def known_places(db) -> dict[str, list[dict]]:
    """The crafts and districts a scheme may cover: the registered artisans' crafts (with the Hindi name one gives)
    and districts, and the depots' districts; each once, case and spacing aside, in the order of their names."""
    crafts = [row["_id"] for row in db.artisans.aggregate([
        {"$group": {"_id": {"name": "$craft", "name_hi": "$craft_hi"}}}])]
    districts = [{"name": name} for name in db.artisans.distinct("district") + db.depots.distinct("district")]
    return {"crafts": _once(crafts), "districts": _once(districts)}


def _once(places: list[dict]) -> list[dict]:
    """Each name once (of two spellings the least, and the Hindi name one of them gives), sorted."""
    found: dict[str, dict] = {}
    for place in sorted((p for p in places if isinstance(p.get("name"), str) and p["name"].strip()),
                        key=lambda p: (p["name"], p.get("name_hi") or "")):
        kept = found.setdefault(plain_name(place["name"]), {"name": place["name"].strip(), "name_hi": None})
        kept["name_hi"] = kept["name_hi"] or place.get("name_hi") or None
    return sorted(found.values(), key=lambda p: plain_name(p["name"]))
