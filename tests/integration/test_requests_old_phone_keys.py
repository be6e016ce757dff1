"""Artisan records the requests service kept before it kept `phone_key` get it when the service starts."""
from __future__ import annotations

import uuid

from services.requests import artisans, spec
from shared.mongo import connect
from shared.runtime import Runtime


def test_artisans_saved_before_the_phone_key_are_found_by_their_phone_once_the_service_starts(config):
    """An SMS from a phone is matched to its artisans by `phone_key`; a record saved before records kept it was not
    found (nor warned of as shared) until saved again. The start fills it once; twice changes nothing."""
    runtime = Runtime(spec(), config, client=connect(f"mongomock://old-keys-{uuid.uuid4().hex[:8]}"))
    db = runtime.db
    for artisan_id, phone in (("OLD-1", "+91 98765 43210"), ("OLD-2", "098765-43210"), ("OLD-3", None)):
        db.artisans.insert_one({"_id": artisan_id, "registration_id": f"REG-{artisan_id}", "name": artisan_id,
                                "phone": phone, "active": True, "version": 1})
    assert artisans.by_phone(db, "9876543210") == []  # as before the start: not found
    runtime.start()
    assert [doc["_id"] for doc in artisans.by_phone(db, "+919876543210")] == ["OLD-1", "OLD-2"]
    started = list(db.artisans.find({"_id": {"$regex": "^OLD-"}}))
    assert [doc["phone_key"] for doc in started] == ["9876543210", "9876543210", None]
    assert [doc["version"] for doc in started] == [1, 1, 1]  # no new version, no event: nothing about them changed
    runtime.start()
    assert list(db.artisans.find({"_id": {"$regex": "^OLD-"}})) == started
    runtime.close()
