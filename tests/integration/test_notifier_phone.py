"""An artisan hears of changes to the phone on their record: at the old number when it changes (a change they did not
make reaches them where they are), and at the phone they have when their cooperative's secretary asks for a new one."""
from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

import pytest

from services.notifier import consumer, deliveries, messages, notifications, reconcile, spec
from shared.envelope import new_event
from shared.runtime import Runtime

NOW = datetime(2026, 12, 1, 6, 0, tzinfo=timezone.utc)
OLD, NEW = "+919800000001", "+919811114321"
PROFILE = {"artisan_id": "ART-1", "name": "Ramesh Kumar", "name_hi": "रमेश कुमार", "district": "Varanasi",
           "language": "hi", "phone": OLD, "cooperative": "SMBSS"}


@pytest.fixture
def notifier(config):
    runtime = Runtime(spec(), config)
    handle = consumer.make_handler(runtime.db, runtime.config)
    handle(new_event("ArtisanRegistered", "ART-1", PROFILE, source="test"))
    yield runtime, handle
    runtime.close()


def updated(**changes):
    return new_event("ArtisanUpdated", "ART-1", {**PROFILE, **changes}, source="requests")


def sent(db) -> list[tuple[str, str, str]]:
    """(channel, to, text) of every delivery made so far."""
    deliveries.expand(db, NOW)
    out = []
    for delivery in db.deliveries.find({"channel": {"$ne": "email"}}).sort("_id", 1):  # no e-mail address here
        message = messages.compose(db, delivery, NOW)
        out.append((delivery["channel"], message.to, message.text))
    return out


def test_a_changed_phone_is_told_at_the_old_number_once(notifier):
    runtime, handle = notifier
    handle(updated(phone="098000 00001"))  # the same phone written another way is no change (and the gateway
    # gets it as +919800000001 all the same)
    assert runtime.db.notifications.count_documents({}) == 0
    event = updated(phone=NEW)
    handle(event)
    handle(event)  # the same event again (a replay) tells nothing twice
    texts = [(to, text) for channel, to, text in sent(runtime.db) if channel == "sms"]
    assert texts == [(OLD, "rawbank: आपका फ़ोन नंबर बदलकर 4321 पर ख़त्म होने वाला नंबर कर दिया गया। आपने नहीं कहा? "
                           "तुरंत डिपो को बताएँ।")]
    handle(updated(phone=NEW, looms=2))  # another change of the record, the phone as it is: nothing to tell
    assert runtime.db.notifications.count_documents({}) == 1
    [note] = notifications.render(runtime.db, list(runtime.db.notifications.find()), "en")
    assert (note["requisition_id"], note["title"]) == (None, "Phone number changed")
    assert "ending in 4321" in note["text"] and "tell your depot at once" in note["text"]


def test_a_phone_a_secretary_asks_for_is_told_at_the_phone_there_is_and_in_english_for_english_speakers(notifier):
    runtime, handle = notifier
    asked = {"ending": "4321", "at": "2026-12-01T06:00:00+00:00"}
    handle(updated(language="en", phone_asked=asked))
    handle(updated(language="en", phone_asked=asked, looms=3))  # still the same asking: told once
    handle(updated(language="en", phone_asked={"ending": "", "at": "2026-12-02T06:00:00+00:00"}))  # asked to remove
    texts = sorted((to, text) for channel, to, text in sent(runtime.db) if channel == "sms")
    assert texts == [
        (OLD, "rawbank: your secretary asked to change your phone number to one ending 4321. Not you? Tell your "
              "depot."),
        (OLD, "rawbank: your secretary asked to remove your phone number from your record. Not you? Tell your depot.")]


def test_an_older_profile_read_late_and_a_first_profile_tell_nothing(notifier):
    runtime, handle = notifier
    late = updated(phone=NEW)
    handle(updated(phone="+919822220000"))
    handle(dataclasses.replace(late, occurred_at="2026-01-01T00:00:00Z"))  # older than the copy, read late
    handle(new_event("ArtisanRegistered", "ART-2", {**PROFILE, "artisan_id": "ART-2"}, source="test"))
    assert [n["ending"] for n in runtime.db.notifications.find()] == ["0000"]


def test_phone_news_is_no_requisition_told_twice_to_reconcile(notifier):
    runtime, handle = notifier
    handle(updated(phone=NEW))
    handle(updated(phone=OLD))
    assert runtime.db.notifications.count_documents({"status": "phone_changed"}) == 2
    assert reconcile.facts(runtime.db)["told_twice"] == []
