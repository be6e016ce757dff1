"""Projections, dead letters and the live feed's frames on the in-process store."""
from __future__ import annotations

import json
import uuid
from types import SimpleNamespace

import pytest

from services.notifier import alerts, domain, handlers, projections
from services.notifier.stream import frames
from shared.envelope import new_event
from shared.mongo import connect


@pytest.fixture
def db():
    return connect("mongomock://x")[f"notifier_{uuid.uuid4().hex[:8]}"]


def artisan_event(type_, language, phone):
    return new_event(type_, "ART-1", {"artisan_id": "ART-1", "name": "Sita", "district": "Varanasi",
                                      "language": language, "phone": phone}, source="requests")


def test_the_newest_artisan_profile_wins_whatever_the_order(db, config):
    registered = artisan_event("ArtisanRegistered", "en", None)
    updated = artisan_event("ArtisanUpdated", "hi", "+919800000001")
    for event in (registered, updated, registered, updated):
        handlers.apply(db, config, event)
    profile = projections.artisan(db, "ART-1")
    assert (profile["language"], profile["phone"]) == ("hi", "+919800000001")


def test_a_depot_registered_late_gives_earlier_alerts_their_district(db, config):
    handlers.apply(db, config, new_event("StockLow", "VNS/A", {"sku": "A", "depot": "VNS", "available": 1,
                                                               "reorder_level": 5}, source="inventory"))
    assert alerts.find(db)[0]["district"] is None
    handlers.apply(db, config, new_event("DepotRegistered", "VNS", {"code": "VNS", "name": "Varanasi depot",
                                                                    "district": "Varanasi"}, source="inventory"))
    assert alerts.find(db)[0]["district"] == "Varanasi"


def dlq_record(offset, value, topic="inventory.events.dlq", group=b"rawbank-requests", resend_id=None):
    return SimpleNamespace(topic=topic, partition=0, offset=offset, key=None, value=value, headers=[
        ("reason", b"StockReceived payload invalid: {'quantity': ['must be a decimal number']}"),
        ("original_topic", b"inventory.events"), ("consumer_group", group),
        *([("resend_id", resend_id)] if resend_id else [])])


def stock_received(event_id):
    return json.dumps({"type": "StockReceived", "event_id": event_id, "payload": {"depot": "VNS"}}).encode()


def test_dead_letters_of_one_type_share_one_alert_and_replays_count_once(db):
    bad = stock_received("e-1")
    for record in (dlq_record(5, bad), dlq_record(5, bad), dlq_record(6, stock_received("e-2")),
                   dlq_record(7, b"\x00garbage")):
        handlers.dead_letter(db, record)
    by_type = {d["details"]["type"]: d for d in alerts.find(db, kind=domain.DEAD_LETTER)}
    assert sorted(by_type) == ["StockReceived", "undecodable"]
    received = by_type["StockReceived"]
    assert (received["count"], received["depot"], received["severity"]) == (2, "VNS", "critical")
    assert received["details"]["reason"].startswith("StockReceived payload invalid")
    from services.notifier import texts
    for lang, then in (("en", "correct the record in the inventory service"),
                       ("hi", "इन्वेंटरी सेवा में वह रिकॉर्ड ठीक करें")):
        title, body = texts.alert(received, {}, {}, lang)
        assert then in body and "rawbank dlq resend e-2" in body, body  # what to do next, and with the newest id


def test_a_dead_letter_after_the_acknowledgement_opens_a_new_alert_and_tells_as_the_first_did(db, config):
    """Someone looked at the dead letters so far; a later one is news: a new open alert, its webhook call."""
    from services.notifier import deliveries, subscribers
    from services.notifier.consumer import make_dead_letter_handler
    handle = make_dead_letter_handler(db, config)
    hook = subscribers.add_webhook(db, {"url": "http://127.0.0.1:9/hook"}, by="admin",
                                   allow=frozenset({"127.0.0.1"}))

    def told():  # alert ids the webhook is told were opened
        deliveries.expand(db, _now())
        return sorted(d["source"]["id"] for d in db.deliveries.find({"target": hook["_id"], "topic": "alert.opened"}))

    def dead_letter_alerts():
        return {d["_id"]: (d["status"], d["count"]) for d in alerts.find(db, kind=domain.DEAD_LETTER)}

    handle(dlq_record(5, stock_received("e-1")))
    [first] = told()
    alerts.acknowledge(db, first, by="ravi", note="resent it", at=_now())
    handle(dlq_record(5, stock_received("e-1")))  # the same dead letter read again
    handle(dlq_record(6, stock_received("e-1")))  # the same event dead-lettered twice (its consumer replayed it)
    assert dead_letter_alerts() == {first: ("acknowledged", 1)} and told() == [first]

    handle(dlq_record(7, stock_received("e-2")))  # a new failure after someone looked at the first
    [second] = set(told()) - {first}
    assert dead_letter_alerts() == {first: ("acknowledged", 1), second: ("open", 1)}
    for replay in (dlq_record(7, stock_received("e-2")), dlq_record(8, stock_received("e-2")),
                   dlq_record(6, stock_received("e-1"))):
        handle(replay)
    handle(dlq_record(9, stock_received("e-3")))  # while it is open, a repeat counts on it and tells nobody again
    assert dead_letter_alerts() == {first: ("acknowledged", 1), second: ("open", 2)}
    assert sorted(told()) == sorted([first, second])
    assert alerts.get(db, second)["details"]["event_id"] == "e-3"


def test_an_event_sent_again_that_fails_again_is_a_new_failure_and_its_replays_count_once(db, config):
    """`rawbank dlq resend` says to watch the alerts for a new dead letter: the same event failing again after it
    was sent again (its copy carries the run's resend_id) is news, even after the acknowledgement."""
    from services.notifier.consumer import make_dead_letter_handler
    handle = make_dead_letter_handler(db, config)
    handle(dlq_record(5, stock_received("e-1")))
    [first] = alerts.find(db, kind=domain.DEAD_LETTER)
    alerts.acknowledge(db, first["_id"], by="ravi", note="sent it again", at=_now())
    for record in (dlq_record(9, stock_received("e-1"), resend_id=b"r1"),
                   dlq_record(10, stock_received("e-1"), resend_id=b"r1")):  # dead-lettered twice by a replay
        handle(record)
    [second] = alerts.find(db, kind=domain.DEAD_LETTER, status="open")
    assert second["_id"] != first["_id"] and second["count"] == 1
    handle(dlq_record(11, stock_received("e-1"), resend_id=b"r2"))  # sent again once more, failed once more
    assert alerts.get(db, second["_id"])["count"] == 2


def test_the_feed_sends_new_and_changed_alerts_each_once(db):
    before = alerts.raise_alert(db, domain.LOW_STOCK, depot="VNS", sku="OLD", cause="e0",
                                at=_now(), details={})
    feed = frames(db, since=None, depot=None, max_seconds=10, limit=2)
    assert next(feed).startswith("retry:")
    alert_id = alerts.raise_alert(db, domain.STOCK_OUT, depot="VNS", sku="NEW", cause="e1", at=_now(), details={})
    opened = _data(next(feed))
    alerts.acknowledge(db, alert_id, by="ravi", note="", at=_now())
    changed = _data(next(feed))
    assert (opened["id"], opened["status"]) == (alert_id, "open")
    assert (changed["id"], changed["status"], changed["version"]) == (alert_id, "acknowledged", 2)
    assert before != alert_id


def test_a_warehouse_feed_carries_only_its_depot(db):
    feed = frames(db, since=None, depot="BHD", max_seconds=3, limit=1)
    next(feed)
    alerts.raise_alert(db, domain.LOW_STOCK, depot="VNS", sku="A", cause="e1", at=_now(), details={})
    alerts.raise_alert(db, domain.LOW_STOCK, depot="BHD", sku="A", cause="e2", at=_now(), details={})
    assert _data(next(feed))["depot"] == "BHD"


def _now():
    from datetime import datetime, timezone
    return datetime.now(timezone.utc)


def _data(frame: str) -> dict:
    line = next(line for line in frame.splitlines() if line.startswith("data: "))
    return json.loads(line[6:])
