"""What an artisan is told follows the order things happened, not the order the notifier read them: requests' and
inventory's events come on two topics, not ordered with each other, so "reserved" can be read before "approved"."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from services.notifier import deliveries, messages, notifications, reconcile
from shared.envelope import new_event
from tests.integration.test_notifier_dues import started

NOW = datetime(2026, 12, 1, 6, 0, tzinfo=timezone.utc)
RID, LINES = "f1b5d214-9a2c-4e1b-8d3f-0a1b2c3d4e5f", [{"sku": "YRN-COT-40", "quantity": 70_000}]


@pytest.fixture
def notifier(config):
    runtime, handle = started(config, "en")
    yield runtime, handle
    runtime.close()


def at(event, moment: datetime):
    return replace(event, occurred_at=moment.isoformat().replace("+00:00", "Z"))


def submitted():
    return at(new_event("RequisitionSubmitted", RID, {"requisition_id": RID, "artisan_id": "ART-1", "depot": "VNS",
                                                      "lines": LINES, "by": "ART-1"}, source="requests"), NOW)


def approved():
    return at(new_event("RequisitionApproved", RID, {
        "requisition_id": RID, "artisan_id": "ART-1", "depot": "VNS", "lines": LINES, "by": "admin",
        "payable_total": 41_690_25, "subsidy_total": 1_000_00}, source="requests"), NOW + timedelta(seconds=1))


def reserved():
    return at(new_event("StockReserved", RID, {"requisition_id": RID, "depot": "VNS", "lines": LINES},
                        source="inventory"), NOW + timedelta(seconds=2))


def texted_in_order(db, now=NOW + timedelta(minutes=1)) -> list[str]:
    """The SMS texts, in the order the dispatcher takes them."""
    deliveries.expand(db, now)
    sent = []
    while (delivery := deliveries.claim(db, now)) is not None:
        if delivery["channel"] == "sms":
            sent.append(messages.compose(db, delivery, now).text)
        deliveries.succeeded(db, delivery, now)
    return sent


def test_an_approval_read_after_the_reservation_was_texted_tells_the_amount_not_old_news(notifier):
    runtime, handle = notifier
    events = {"submitted": submitted(), "approved": approved(), "reserved": reserved()}
    handle(events["submitted"])
    handle(events["reserved"])
    assert texted_in_order(runtime.db) == ["REQ f1b5d214 SUBMITTED: 70 kg Cotton yarn 40s at Varanasi depot",
                                           "REQ f1b5d214 RESERVED: 70 kg Cotton yarn 40s at Varanasi depot"]
    for name in ("approved", "submitted", "reserved", "approved"):  # requests' topic came later, then all again
        event = events[name]
        handle(event)
    assert texted_in_order(runtime.db) == ["REQ f1b5d214: to pay Rs 41,690.25 for 70 kg Cotton yarn 40s"]
    [note] = notifications.render(runtime.db, list(runtime.db.notifications.find({"status": "approved"})), "hi")
    assert (note["title"], note["text"]) == (
        "भुगतान की राशि", "Varanasi depot के लिए आपका अनुरोध f1b5d214 (70 किलो सूती धागा) स्वीकृत हुआ था। भुगतान की "
                          "राशि: ₹41,690.25।")
    assert reconcile.facts(runtime.db)["told_twice"] == []


def test_news_read_in_the_wrong_order_is_sent_in_the_order_it_happened(notifier):
    """Both still waiting to be sent when the approval is read: the amount to pay goes first."""
    runtime, handle = notifier
    handle(reserved())  # before anything of requests: whose it is is not known yet
    deliveries.expand(runtime.db, NOW)  # its deliveries wait (the gateway was slow)
    handle(approved())
    assert texted_in_order(runtime.db) == ["REQ f1b5d214: to pay Rs 41,690.25 for 70 kg Cotton yarn 40s",
                                           "REQ f1b5d214 RESERVED: 70 kg Cotton yarn 40s at Varanasi depot"]


def test_a_submission_read_after_the_answer_tells_nothing(notifier):
    """Auto-approved at submission: inventory's answer can come before both of requests' events."""
    runtime, handle = notifier
    for event in (reserved(), submitted(), approved()):
        handle(event)
    assert sorted(n["status"] for n in runtime.db.notifications.find()) == ["approved", "reserved"]


def test_news_read_in_its_own_order_is_told_as_it_always_was(notifier):
    runtime, handle = notifier
    for event in (submitted(), approved(), reserved()):
        handle(event)
    assert texted_in_order(runtime.db) == [
        "REQ f1b5d214 SUBMITTED: 70 kg Cotton yarn 40s at Varanasi depot",
        "REQ f1b5d214 APPROVED: 70 kg Cotton yarn 40s. To pay: Rs 41,690.25",
        "REQ f1b5d214 RESERVED: 70 kg Cotton yarn 40s at Varanasi depot"]
