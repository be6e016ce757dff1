"""Codes people register (a depot's, a scheme's, a cooperative's): one code whatever its capital or small letters
and the spaces around it, since people read and type `VNS`, `vns` and `VNS ` as the same depot.

A code is stored as it was typed (spaces around it dropped) and looked up exactly; each one registered since this
rule also keeps its key (`code_key`, unique and sparse where the service declares its indexes), so two registered at
once cannot both pass. Those stored before have no key: a new code is compared with them one by one (at most
`OLD_CODES`), and twins stored before stay as they are, so the unique key never fails on old data.
"""
from __future__ import annotations

from marshmallow import fields

KEY = "code_key"
OLD_CODES = 5_000  # codes registered before their key was kept, looked through for the same code in other letters


def code_key(code: str) -> str:
    """The code as people mean it: 'VNS', 'vns' and ' Vns ' are 'vns'."""
    return code.strip().lower()


def taken(collection, code: str) -> str | None:
    """The code, as stored, of the document in `collection` (its `_id` the code) that is `code` in other letters or
    spacing; None when it is new."""
    key = code_key(code)
    found = collection.find_one({KEY: key}, {"_id": 1})
    if found is not None:
        return found["_id"]
    return next((doc["_id"] for doc in collection.find({KEY: {"$exists": False}}, {"_id": 1}).limit(OLD_CODES)
                 if code_key(doc["_id"]) == key), None)


class Code(fields.String):
    """A code field: the spaces and line breaks around what was typed are dropped before it is checked."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()
