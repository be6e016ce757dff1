"""Writes in the embedded store: two of mongomock's update paths that copied whole documents for nothing.

Both give exactly what mongomock gives (tests/unit/test_store_updates.py compares them with mongomock's
own); anything they do not cover goes to mongomock's code. Only `shared.embedded_store` installs them.
"""
from __future__ import annotations

import mongomock.collection
from pymongo import ReturnDocument

from shared.store_journal import changed_fields

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


def install() -> None:
    mongomock.collection.Collection._find_and_modify = find_and_modify
    mongomock.collection.Collection._apply_update_document = apply_update_document
