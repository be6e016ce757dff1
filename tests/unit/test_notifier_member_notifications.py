"""A cooperative's members hear of each status once, whichever topic the notifier reads first."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest

from services.notifier import deliveries, handlers, reconcile
from shared.envelope import new_event
from shared.mongo import connect

REQ, MEMBERS = "req-coop-1", ("ART-1", "ART-2", "ART-3")
SHARES = [{"artisan_id": member, "lines": [{"sku": "YRN", "quantity": 1000}]} for member in MEMBERS]
LINES = [{"sku": "YRN", "quantity": 3000}]


@pytest.fixture
def db():
    return connect("mongomock://x")[f"notifier_{uuid.uuid4().hex[:8]}"]


def submitted():
    return new_event("RequisitionSubmitted", REQ, {
        "requisition_id": REQ, "artisan_id": MEMBERS[0], "depot": "VNS", "lines": LINES, "by": "secretary",
        "cooperative": "SMBSS", "shares": SHARES}, source="requests")


def reserved():
    return new_event("StockReserved", REQ, {"requisition_id": REQ, "depot": "VNS", "lines": LINES},
                     source="inventory")


def told(db, status: str) -> list[str]:
    """Who holds a notification of this status, one entry per notification."""
    return sorted(doc["artisan_id"] for doc in db.notifications.find({"status": status}))


def test_an_answer_read_before_the_request_tells_every_member_once_even_when_replayed(db, config):
    answer, asked = reserved(), submitted()
    for event in (answer, asked):  # inventory's topic read first
        handlers.apply(db, config, event)
    assert told(db, "reserved") == sorted(MEMBERS)
    deliveries.expand(db, datetime.now(timezone.utc))  # the dispatcher fans out what is there now
    for event in (answer, asked):  # both topics again from the start (a relay republishing to a fresh broker)
        handlers.apply(db, config, event)
    assert told(db, "reserved") == sorted(MEMBERS)
    deliveries.expand(db, datetime.now(timezone.utc))  # one SMS of the reservation to each member, none twice
    texted = [db.notifications.find_one({"_id": d["source"]["id"]}) for d in db.deliveries.find({"channel": "sms"})]
    assert sorted(note["artisan_id"] for note in texted if note["status"] == "reserved") == sorted(MEMBERS)
    assert reconcile.facts(db)["told_twice"] == []  # what `rawbank reconcile` reports as notified twice


def test_an_answer_read_after_the_request_tells_every_member_once(db, config):
    asked, answer = submitted(), reserved()
    for event in (asked, answer, asked, answer):
        handlers.apply(db, config, event)
    assert told(db, "reserved") == sorted(MEMBERS)


def test_members_are_not_told_they_received_what_the_secretary_collected_before_they_say_so(db, config):
    """The secretary marks a cooperative's request received: each member is asked what reached them (confirm_share,
    from ShareConfirmationRequested); "You have received 2 kg ... Thank you." before that, to a member who then
    reports less, told them what was not so. A single artisan's own "received" is still theirs to hear."""
    asked = submitted()
    handlers.apply(db, config, asked)
    for kind in ("RequisitionDispatched", "RequisitionReceived"):
        handlers.apply(db, config, new_event(kind, REQ, {
            "requisition_id": REQ, "artisan_id": MEMBERS[0], "depot": "VNS", "lines": LINES, "by": "secretary",
            "cooperative": "SMBSS", "shares": SHARES}, source="requests"))
    assert told(db, "dispatched") == sorted(MEMBERS)
    assert told(db, "received") == []
    alone = "req-alone-1"
    for kind in ("RequisitionSubmitted", "RequisitionReceived"):
        handlers.apply(db, config, new_event(kind, alone, {
            "requisition_id": alone, "artisan_id": "ART-9", "depot": "VNS", "lines": LINES, "by": "ART-9"},
            source="requests"))
    assert told(db, "received") == ["ART-9"]
