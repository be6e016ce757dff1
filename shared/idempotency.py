"""Idempotency-Key: a creating POST sent again with the same key applies once and answers with the first result.

A key belongs to the caller who sent it (`record_id`). What a key was first sent with is kept as a
fingerprint of its body, beside the record it made and in the same write; the same key with
another body is refused (IdempotencyKeyReused, 409). Where the record's id cannot be derived from
the key (a number from a series, a movement id that sorts by time), a claim pins it first
(`claim`): a retry finds the same id, and the write with that id is applied once.
"""
from __future__ import annotations

import hashlib
import json
import re
import uuid
from datetime import datetime, timezone
from typing import Callable

from flask import request
from pymongo.errors import DuplicateKeyError

from shared.errors import Invalid
from shared.i18n import F_

HEADER = "Idempotency-Key"
REPLAYED = {"Idempotent-Replayed": "true"}
#: how the OpenAPI describes the header (`@blp.doc(parameters=[PARAMETER])`)
PARAMETER = {"in": "header", "name": HEADER, "required": False, "schema": {"type": "string"},
             "description": "send the same key when retrying; the first result comes back"}
NAMESPACE = uuid.UUID("6f0d3c1e-5a43-4d7e-9a51-2b8f0c7e4d10")
_KEY = re.compile(r"^[A-Za-z0-9._:-]{1,200}\Z")


def request_key() -> str | None:
    """The request's Idempotency-Key, if it sent one; a malformed key is refused (400)."""
    key = request.headers.get(HEADER)
    if key is not None and not _KEY.match(key):
        raise Invalid({HEADER: [F_("1-200 letters, digits, '.', '_', ':' or '-'")]})
    return key


def record_id(sub: str, key: str) -> str:
    """The id one caller's key stands for: the same for every retry, another caller's key never meets it."""
    return uuid.uuid5(NAMESPACE, f"{sub}\n{key}").hex


def fingerprint(canonical) -> str:
    """What a body asked for, in a few characters: equal bodies, equal fingerprints."""
    return hashlib.sha256(json.dumps(canonical, sort_keys=True, default=str).encode()).hexdigest()


def claim(collection, claim_id: str, pins: Callable[[], dict]) -> dict:
    """The claim of a key, made at its first use with what `pins()` gives (the id its write will use)."""
    found = collection.find_one({"_id": claim_id})
    if found is None:
        try:
            collection.insert_one({"_id": claim_id, **pins(), "at": datetime.now(timezone.utc)})
        except DuplicateKeyError:  # the same key, sent twice at once: the first claim stands
            pass
        found = collection.find_one({"_id": claim_id})
    return found


def answer(result, created: bool) -> tuple:
    """A view's answer: 201 with the record, and `Idempotent-Replayed: true` when it was made before."""
    return result, 201, ({} if created else REPLAYED)
