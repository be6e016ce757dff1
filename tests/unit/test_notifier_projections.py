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


def dlq_record(offset, value, topic="inventory.events.dlq"):
    return SimpleNamespace(topic=topic, partition=0, offset=offset, value=value, headers=[
        ("reason", b"StockReceived payload invalid: {'quantity': ['must be a decimal number']}"),
        ("original_topic", b"inventory.events"), ("consumer_group", b"rawbank-requests")])


def test_dead_letters_of_one_type_share_one_alert_and_replays_count_once(db):
    bad = json.dumps({"type": "StockReceived", "event_id": "e-1", "payload": {"depot": "VNS"}}).encode()
    for record in (dlq_record(5, bad), dlq_record(5, bad), dlq_record(6, bad), dlq_record(7, b"\x00garbage")):
        handlers.dead_letter(db, record)
    by_type = {d["details"]["type"]: d for d in alerts.find(db, kind=domain.DEAD_LETTER)}
    assert sorted(by_type) == ["StockReceived", "undecodable"]
    received = by_type["StockReceived"]
    assert (received["count"], received["depot"], received["severity"]) == (2, "VNS", "critical")
    assert received["details"]["reason"].startswith("StockReceived payload invalid")
    from services.notifier import texts
    for lang, then in (("en", "Once the cause is fixed"), ("hi", "कारण ठीक होने पर")):
        title, body = texts.alert(received, {}, {}, lang)
        assert then in body and "rawbank dlq resend e-1" in body, body  # what to do next, and with which id


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
