"""A member disputes what the depot's staff recorded for their share: the board (admins, and that depot's staff) gets
one alert saying in words who disputes what was recorded for which request and their note, however often the event
comes, resolved by hand."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest

from services.notifier import alerts, deliveries, handlers, messages, projections
from shared.envelope import new_event
from shared.mongo import connect

REQ = "req-coop-1"
NOTE = "I got 0.1 kg of silk, not 0.2; the clerk wrote it without weighing."


@pytest.fixture
def db():
    db = connect("mongomock://x")[f"notifier_{uuid.uuid4().hex[:8]}"]
    projections.put_material(db, {"sku": "YRN", "name": "cotton yarn", "name_hi": "सूती धागा", "unit": "kg"})
    projections.put_material(db, {"sku": "SLK", "name": "silk yarn", "name_hi": "रेशमी धागा", "unit": "kg"})
    for code, name, name_hi in (("VNS", "Varanasi depot", "वाराणसी डिपो"), ("BHD", "Bhadohi depot", "भदोही डिपो")):
        projections.put_depot(db, {"code": code, "name": name, "name_hi": name_hi, "district": name.split()[0]})
    projections.put_artisan(db, {"artisan_id": "ART-1", "name": "Kamla Devi", "name_hi": "कमला देवी",
                                 "district": "Varanasi", "language": "hi", "cooperative": "SMBSS"},
                            "2026-01-01T00:00:00Z")
    projections.put_cooperative(db, {"code": "SMBSS", "name": "Sant Mat Bunkar Sahkari Samiti",
                                     "name_hi": "संत मत बुनकर सहकारी समिति", "district": "Varanasi"},
                                "2026-01-01T00:00:00Z")
    return db


def disputed():
    return new_event("ShareRecordDisputed", REQ, {
        "requisition_id": REQ, "artisan_id": "ART-1", "cooperative": "SMBSS", "depot": "VNS",
        "lines": [{"sku": "YRN", "quantity": 6000, "received": 6000}, {"sku": "SLK", "quantity": 500, "received": 200}],
        "short": True, "recorded_by": "store-vns", "recorded_at": "2026-12-04T18:40:00+00:00", "note": NOTE,
        "disputed_at": "2026-12-05T05:00:00+00:00"}, source="requests")


def board(db, **filters):
    return list(db.alerts.find({"kind": "share_record_disputed", **filters}))


def test_a_disputed_depot_record_opens_one_alert_saying_who_what_and_the_note_however_often_it_comes(db, config):
    event = disputed()
    for _ in range(3):  # a replay from the start, a duplicate from the relay
        handlers.apply(db, config, event)
    [alert] = board(db)
    assert (alert["status"], alert["severity"], alert["depot"], alert["count"], alert["district"]) == \
        ("open", "critical", "VNS", 1, "Varanasi")
    assert (alert["details"]["cooperative"], alert["details"]["note"], alert["details"]["recorded_by"]) == \
        ("SMBSS", NOTE, "store-vns")
    [described] = messages.describe_alerts(db, [alert])
    assert described["title"]["en"] == "Depot record disputed: Kamla Devi (Sant Mat Bunkar Sahkari Samiti)"
    english = described["text"]["en"]
    for words in ("Kamla Devi says what store-vns recorded at Varanasi depot on 5 Dec 2026 is not what they received",
                  "recorded 6 kg cotton yarn, 0.2 kg silk yarn of their share of 6 kg cotton yarn, 0.5 kg silk yarn",
                  "(request coop-1)", f"“{NOTE}”"):
        assert words in english, english
    hindi = described["text"]["hi"]
    assert described["title"]["hi"] == "डिपो के दर्ज पर आपत्ति: कमला देवी (संत मत बुनकर सहकारी समिति)"
    for words in ("कमला देवी", "store-vns", "वाराणसी डिपो", "0.2 किलो रेशमी धागा", "अनुरोध coop-1", NOTE):
        assert words in hindi, hindi
    deliveries.expand(db, datetime.now(timezone.utc))
    handlers.apply(db, config, event)
    assert len(board(db)) == 1 and board(db)[0]["count"] == 1


def test_the_depots_staff_see_it_on_their_board_and_another_depots_do_not(db, config):
    handlers.apply(db, config, disputed())
    assert [a["kind"] for a in alerts.find(db, depot="VNS")] == ["share_record_disputed"]
    assert alerts.find(db, depot="BHD") == []


def test_resolved_by_hand_it_stays_resolved_when_the_event_comes_again(db, config):
    event = disputed()
    handlers.apply(db, config, event)
    [alert] = board(db)
    done = alerts.resolve(db, alert["_id"], by="asha-admin", note="weighed again with the member: 0.1 kg, credited",
                          at=datetime.now(timezone.utc))
    assert done["status"] == "resolved"
    handlers.apply(db, config, event)
    assert [(a["status"], a["count"]) for a in board(db)] == [("resolved", 1)]
