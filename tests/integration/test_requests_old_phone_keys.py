"""Artisan records the requests service kept before it kept `phone_key` get it when the service starts."""
from __future__ import annotations

import uuid

import pytest

from services.requests import artisans, spec
from shared import backfills
from shared.mongo import connect
from shared.phones import PHONE_KEYS
from shared.runtime import Runtime
from tests.integration.test_user_admin_crashes import Dying, Killed


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


def old_record(db, artisan_id: str, phone: str | None) -> None:
    """An artisan as the service kept them before records kept `phone_key`."""
    db.artisans.insert_one({"_id": artisan_id, "registration_id": f"REG-{artisan_id}", "name": artisan_id,
                            "phone": phone, "active": True, "version": 1})


def test_once_the_backfill_is_done_a_later_start_does_not_look_for_records_without_a_key_again(config):
    """The look for records without `phone_key` is served by no index: at every start of every process it read
    every artisan, long after the one backfill was done. The finished backfill is marked in the store; a later
    start skips it (a record without a key written after the mark, as no save since writes one, stays so)."""
    runtime = Runtime(spec(), config, client=connect(f"mongomock://keys-once-{uuid.uuid4().hex[:8]}"))
    db = runtime.db
    old_record(db, "OLD-1", "+91 98765 43210")
    runtime.start()
    assert db.artisans.find_one({"_id": "OLD-1"})["phone_key"] == "9876543210"
    old_record(db, "OLD-2", "+91 98765 43211")
    runtime.start()
    assert "phone_key" not in db.artisans.find_one({"_id": "OLD-2"})  # not looked for: the backfill was done
    assert db[backfills.COLLECTION].find_one({"_id": PHONE_KEYS})["done_at"]
    runtime.close()


def test_a_backfill_killed_halfway_leaves_no_mark_and_the_next_start_finishes_it(config):
    """Killed after filling one record of three: not marked done, so the next start fills the other two, then marks
    it done."""
    runtime = Runtime(spec(), config, client=connect(f"mongomock://keys-killed-{uuid.uuid4().hex[:8]}"))
    db = runtime.db
    for n in (1, 2, 3):
        old_record(db, f"OLD-{n}", f"+91 98765 4321{n}")
    with pytest.raises(Killed):
        artisans.at_start(Dying(db, "artisans", "update_one", 2))
    assert db[backfills.COLLECTION].find_one({"_id": PHONE_KEYS}) is None
    assert ["phone_key" in doc for doc in db.artisans.find()] == [True, False, False]
    runtime.start()
    assert [doc["phone_key"] for doc in db.artisans.find()] == ["9876543211", "9876543212", "9876543213"]
    assert db[backfills.COLLECTION].find_one({"_id": PHONE_KEYS}) is not None
    runtime.close()
