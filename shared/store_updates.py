"""Writes in the embedded store: three of mongomock's update paths that copied whole documents for nothing.

Each gives exactly what mongomock gives (tests/unit/test_store_updates.py compares them with mongomock's
own); anything they do not cover goes to mongomock's code. Only `shared.embedded_store` installs them.
"""
from __future__ import annotations

import mongomock.collection
import mongomock.helpers
from pymongo import ReturnDocument

from shared import store_journal
from shared.store_journal import changed_fields
from shared.store_reads import _plainly_matches

_find_and_modify = mongomock.collection.Collection._find_and_modify
_apply_update_document = mongomock.collection.Collection._apply_update_document


def find_and_modify(self, query, projection=None, update=None, upsert=False, sort=None,
                    return_document=ReturnDocument.BEFORE, session=None, **kwargs):
    """mongomock's find_one_and_update returning the document after: its first find copied the whole
    projection only to read the _id of what it found (the relay's claim copied each outbox once more).

    Only for an update whose projection keeps the _id and names fields to include (the relay's
    {"outbox": 1}); anything else is mongomock's own, as are its checks of an invalid projection,
    which must refuse before the update applies.
    """
    if (session or kwargs or not update or not _includes_id(projection)
            or return_document is not ReturnDocument.AFTER):
        return _find_and_modify(self, query, projection, update, upsert, sort, return_document,
                                session=session, **kwargs)
    found = self.find_one(query, projection={"_id": 1}, sort=sort)
    if found is None and not upsert:
        return None
    if found is not None:
        query = {"_id": found["_id"]}
    updated = self._update(query, update, upsert)
    if updated["upserted"]:
        query = {"_id": updated["upserted"]}
    return self.find_one(query, projection)


def _includes_id(projection) -> bool:
    """None, or only plain field names to include (1 or True): the projection keeps the _id."""
    return projection is None or (
        type(projection) is dict and bool(projection)
        and all(value is True or (type(value) is int and value == 1) for value in projection.values())
        and all(type(name) is str and name and "$" not in name for name in projection))


def apply_update_document(self, existing_document, spec, document, was_insert):
    """mongomock's update of one document, but a `$pull` of the elements whose field is `$in` a list of
    strings (the relay's pull of what it published) is one pass over the array.

    mongomock copied the whole array, tested each element with its query matcher against every string
    in the list, and removed each match by a search of the array for an equal element: the relay's pull
    of 80 published events from an outbox of 80 cost more than publishing them. Here, for a top-level
    array of documents whose field holds a string or nothing, the elements are kept that mongomock keeps
    (a string not in the list, or no such field), in their order; any other shape is mongomock's.
    """
    pulls = document.get("$pull") if type(document) is dict else None
    if type(pulls) is not dict or not pulls or not _plain_operators(document):
        return _apply_update_document(self, existing_document, spec, document, was_insert)
    operators = list(document)
    at = operators.index("$pull")
    before = {operator: document[operator] for operator in operators[:at]}
    after = {operator: document[operator] for operator in operators[at + 1:]}
    if before:  # the operators in the order given, as mongomock applies them
        _apply_update_document(self, existing_document, spec, before, was_insert)
    kept = {}
    for path, condition in pulls.items():
        remaining = _without(existing_document.get(path), path, condition)
        if remaining is None:
            return _apply_update_document(self, existing_document, spec, {"$pull": pulls, **after}, was_insert)
        kept[path] = remaining
    for path, remaining in kept.items():
        existing_document[path][:] = remaining  # in place, as mongomock changes the document it was given
    if after:
        _apply_update_document(self, existing_document, spec, after, was_insert)


def _plain_operators(document: dict) -> bool:
    """Only update operators on named paths (store_journal.changed_fields knows them), none with a positional
    `$`: each operator can be applied on its own."""
    return (changed_fields(document) is not None
            and all("$" not in path for paths in document.values() for path in paths))


def _without(array, path: str, condition) -> list | None:
    """`array` without the documents `condition` ({field: {"$in": [strings]}}) picks; None: not this case.
    `path` is a plain one (`_plain_operators`): a dot is all that can make it not a top-level field."""
    if type(array) is not list or "." in path or type(condition) is not dict or len(condition) != 1:
        return None
    (field, test), = condition.items()
    values = test.get("$in") if type(test) is dict and len(test) == 1 else None
    if (type(field) is not str or field.startswith("$") or "." in field or type(values) is not list
            or not all(type(value) is str for value in values)):
        return None
    picked = set(values)
    remaining = []
    for element in array:
        if type(element) is not dict:
            return None
        held = element.get(field)
        if held is not None and type(held) is not str:
            return None
        if held is None or held not in picked:
            remaining.append(element)
    return remaining


#: What `update` applies itself: each operator's change to one named place, nothing else to decide.
_DIRECT = frozenset({"$set", "$inc", "$unset", "$push"})
#: update_one's arguments to `_update` that leave it a plain update (all None or False): anything else is mongomock's.
_PLAIN_ARGUMENTS = frozenset({"upsert", "hint", "session", "collation", "array_filters", "let"})
_MISSING = object()


def update(self, spec, document, *args, **kwargs):
    """The update of one document by its `_id`, applied where it changes the document (`_direct`), else the
    journaled mongomock update (shared/store_journal.py).

    mongomock's update walked the filter and the update for dates, asked the server's version, scanned,
    copied the document to compare it after, and found each operator's field by its generic path code
    (a stock write's update: 58 µs in process, 43 here). Served here: update_one of a document named by
    its `_id` (any other conditions tested as mongomock tests them), with `$set`, `$inc`, `$unset` and
    `$push` (a value or `$each`) on paths whose every step exists, none a prefix of another, touching no
    field of a unique index. Anything else, every refusal included, is mongomock's.
    """
    served = _direct(self, spec, document, kwargs) if not args else None
    return served if served is not None else store_journal._journaled_update(self, spec, document, *args, **kwargs)


def _direct(self, spec, document, kwargs) -> dict | None:
    """mongomock's result of the update, applied and journaled; None (nothing done) when it is not one `update`
    serves or mongomock would refuse it."""
    store = self._store
    journal = getattr(store, "journal", None)
    if (journal is None or type(spec) is not dict or type(document) is not dict or not kwargs.keys() <= _PLAIN_ARGUMENTS
            or any(value is not None and value is not False for value in kwargs.values())):
        return None
    key = spec.get("_id")
    if type(key) is not str and type(key) is not int:
        return None
    changes = _planned(document)
    if changes is None or _unique_fields(store) & {parts[0] for _, parts, _ in changes}:
        return None
    patch = mongomock.helpers.patch_datetime_awareness_in_document  # dates as MongoDB keeps them, values copied
    store._remove_expired_documents()  # as every read does (at most once a second, shared/store_journal.py)
    doc = store._documents.get(key)
    if doc is None or not _plainly_matches(patch(spec), doc):
        return _result(self, 0, 0)
    places = []
    for operator, parts, value in changes:
        place = _place(doc, parts, operator)
        if place is None:
            return None
        places.append(place)
    applied = []
    for (operator, parts, value), (parent, name, current) in zip(changes, places):
        if operator == "$set":
            new = patch(value)
        elif operator == "$inc":
            if (type(value) is not int and type(value) is not float) or not (
                    current is _MISSING or type(current) is int or type(current) is float):
                return None
            new = value if current is _MISSING else current + value
        elif operator == "$unset":
            new = _MISSING
        else:  # $push
            pushed = value["$each"] if type(value) is dict and "$each" in value else [value]
            if (type(pushed) is not list or (type(value) is dict and any(k[:1] == "$" for k in value if k != "$each"))
                    or not (type(current) is list or (current is _MISSING and pushed))):
                return None
            new = patch(pushed)
        applied.append((operator, parent, name, current, new))
    store_journal.journal_one(doc, store, journal, document)
    modified = False
    for operator, parent, name, current, new in applied:
        if operator == "$push":
            if current is _MISSING:
                parent[name] = new
            else:
                current.extend(new)  # in place, as mongomock's
            modified = True if new else modified
        elif new is _MISSING:
            if current is not _MISSING:
                del parent[name]
                modified = True
        else:
            parent[name] = new
            modified = modified or current is _MISSING or current != new
    return _result(self, 1, int(modified))


def _planned(document) -> list | None:
    """(operator, path parts, value) of each change of a plain update; None for any other."""
    if not document:
        return None
    changes, paths = [], []
    for operator, named in document.items():
        if operator not in _DIRECT or type(named) is not dict or not named:
            return None
        for path, value in named.items():
            if type(path) is not str or "$" in path or "\0" in path:
                return None
            parts = path.split(".")
            if "" in parts or parts[0] == "_id":
                return None
            changes.append((operator, parts, value))
            paths.append(path + ".")
    paths.sort()
    if any(later.startswith(earlier) for earlier, later in zip(paths, paths[1:])):
        return None  # one place changed twice, or inside another: MongoDB refuses it (a conflict)
    return changes


def _place(doc: dict, parts: list, operator: str) -> tuple | None:
    """(container, key or index, value or _MISSING) of the place `parts` name in `doc`; None when a step is
    missing or not a document or an array with that element (mongomock creates or pads it, its own way)."""
    parent = doc
    for at, part in enumerate(parts):
        if type(parent) is dict:
            name = part
            current = parent.get(part, _MISSING)
        elif type(parent) is list and part.isdigit() and part.isascii() and str(int(part)) == part \
                and int(part) < len(parent) and operator != "$unset":
            name = int(part)
            current = parent[name]
        else:
            return None
        if at == len(parts) - 1:
            return parent, name, current
        if current is _MISSING:
            return None
        parent = current
    return None


def _unique_fields(store) -> set:
    """The top-level fields of the collection's unique indexes but the _id's."""
    return {key.partition(".")[0] for name, index in store.indexes.items() if index.get("unique") and name != "_id_"
            for key, _ in index.get("key", ())}


def _result(self, matched: int, modified: int) -> dict:
    """What mongomock's update returns for one document matched (or none), not upserted."""
    return {"connectionId": self.database.client._id, "err": None, "n": matched, "nModified": modified, "ok": 1,
            "upserted": None, "updatedExisting": bool(matched)}


def install() -> None:
    mongomock.collection.Collection._find_and_modify = find_and_modify
    mongomock.collection.Collection._apply_update_document = apply_update_document
    store_journal.install()
    mongomock.collection.Collection._update = update
