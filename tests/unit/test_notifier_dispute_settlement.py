"""The department settles a member's dispute of what the depot recorded (ShareDisputeSettled): the member is told the
outcome in the app, by SMS (one Hindi part) and e-mail, the board's share_record_disputed alert is resolved, and an
upheld dispute that leaves the share short counts as the member's own short answer (the short-share alert, the
reports); all once, however often the event comes."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from markupsafe import Markup

from services.notifier import deliveries, handlers, messages, notifications, projections
from shared import sms
from shared.envelope import new_event
from tests.unit.test_notifier_disputes import NOTE, REQ, board, db, disputed  # noqa: F401  (fixture)

WHY = "The scale slip shows 0.2 kg of silk <b>weighed</b>."


def settled(outcome="upheld", *, silk=200):
    received = 500 if outcome == "rejected" else silk
    return new_event("ShareDisputeSettled", REQ, {
        "requisition_id": REQ, "artisan_id": "ART-1", "cooperative": "SMBSS", "depot": "VNS", "outcome": outcome,
        "note": WHY, "settled_by": "asha-admin", "settled_at": "2026-12-06T05:00:00+00:00",
        "disputed_at": "2026-12-05T05:00:00+00:00", "recorded_by": "store-vns", "short": received < 500,
        "lines": [{"sku": "YRN", "quantity": 6000, "recorded": 6000, "received": 6000},
                  {"sku": "SLK", "quantity": 500, "recorded": 500, "received": received}]}, source="requests")


def answered_all():
    """The depot's record: all of it (ShareConfirmed via depot), as the notifier keeps the share."""
    return new_event("ShareConfirmed", REQ, {
        "requisition_id": REQ, "artisan_id": "ART-1", "cooperative": "SMBSS", "depot": "VNS",
        "lines": [{"sku": "YRN", "quantity": 6000, "received": 6000}, {"sku": "SLK", "quantity": 500, "received": 500}],
        "short": False, "via": "depot", "received_at": "2026-12-04T10:00:00+00:00", "recorded_by": "store-vns"},
        source="requests")


@pytest.fixture
def member(db):
    projections.put_artisan(db, {"artisan_id": "ART-1", "name": "Kamla Devi", "name_hi": "कमला देवी",
                                 "district": "Varanasi", "language": "hi", "cooperative": "SMBSS",
                                 "phone": "+919876543210", "email": "kamla@example.org"}, "2026-01-02T00:00:00Z")
    return db


def composed(db, note_id, channel, lang):
    projections.put_artisan(db, {"artisan_id": "ART-1", "name": "Kamla Devi", "phone": "+919876543210",
                                 "email": "kamla@example.org", "language": lang},
                            datetime.now(timezone.utc).isoformat())
    [delivery] = db.deliveries.find({"source.id": note_id, "channel": channel})
    return messages.compose(db, delivery, datetime.now(timezone.utc))


def test_an_upheld_dispute_is_told_once_resolves_the_board_and_counts_as_short_however_often_it_comes(member, config):
    db = member
    handlers.apply(db, config, answered_all())
    handlers.apply(db, config, disputed())
    assert [a["status"] for a in board(db)] == ["open"]
    event = settled()
    for _ in range(2):  # a duplicate from the relay
        handlers.apply(db, config, event)
    [alert] = board(db)
    assert (alert["status"], alert["resolved"]["cause"]) == ("resolved", event.event_id)
    assert {k: alert["resolved"][k] for k in ("by", "outcome", "note")} == {"by": "asha-admin", "outcome": "upheld",
                                                                          "note": WHY}  # settled, not "system"
    [note] = db.notifications.find({"status": "share_dispute_settled"})
    assert (note["_id"], note["artisan_id"], note["outcome"], note["reason"]) == (event.event_id, "ART-1", "upheld",
                                                                                  WHY)
    [short] = db.alerts.find({"kind": "short_share"})
    assert short["status"] == "open" and short["count"] == 1
    share = db.shares.find_one({"_id": f"{REQ}:ART-1"})
    assert share["status"] == "short"
    assert [line["received"] for line in share["answered"]] == [6000, 200]
    deliveries.expand(db, datetime.now(timezone.utc))
    handlers.apply(db, config, event)  # a replay after it was sent: nothing more
    deliveries.expand(db, datetime.now(timezone.utc))
    assert sorted(d["channel"] for d in db.deliveries.find({"source.id": event.event_id})) == ["email", "in_app",
                                                                                               "sms"]
    assert len(list(db.notifications.find({"status": "share_dispute_settled"}))) == 1
    assert db.alerts.count_documents({"kind": "short_share"}) == 1 and len(board(db)) == 1
    [en] = notifications.render(db, [note], "en")
    assert en["title"] == "Your dispute was upheld"
    assert en["text"] == ("The department upheld your dispute of what Varanasi depot recorded for your share of "
                          "request coop-1: it now says you received 6 kg cotton yarn, 0.2 kg silk yarn. The depot "
                          f"will credit what did not reach you to your account. The department's note: “{WHY}”")
    [hi] = notifications.render(db, [note], "hi")
    assert hi["title"] != en["title"] and "आपत्ति" in hi["title"]
    assert "वाराणसी डिपो" in hi["text"] and "0.2 किलो रेशमी धागा" in hi["text"] and WHY in hi["text"]
    [page] = notifications.render(db, [note], "en", typed=lambda text: Markup("<q>{}</q>").format(text))
    assert "<q>The scale slip shows 0.2 kg of silk &lt;b&gt;weighed&lt;/b&gt;.</q>" in str(page["text"])  # as typed
    for lang in ("en", "hi"):
        text = composed(db, note["_id"], "sms", lang).text
        assert text.startswith("REQ coop-1:" if lang == "en" else "अनुरोध coop-1:"), text
        assert sms.parts(text) == 1
        if lang == "hi":
            assert len(text) <= 70, (len(text), text)
        mail = composed(db, note["_id"], "email", lang)
        assert "coop-1" in mail.subject and WHY in mail.text


def test_a_rejected_dispute_tells_the_member_the_record_stands_and_resolves_the_board_only(member, config):
    db = member
    handlers.apply(db, config, answered_all())
    handlers.apply(db, config, disputed())
    event = settled("rejected")
    handlers.apply(db, config, event)
    handlers.apply(db, config, event)
    assert [a["status"] for a in board(db)] == ["resolved"]
    assert db.alerts.count_documents({"kind": "short_share"}) == 0
    assert db.shares.find_one({"_id": f"{REQ}:ART-1"})["status"] == "confirmed"
    [note] = db.notifications.find({"status": "share_dispute_settled"})
    [en] = notifications.render(db, [note], "en")
    assert en["title"] == "Your dispute was not upheld"
    assert "the depot's record stands (6 kg cotton yarn, 0.5 kg silk yarn)" in en["text"]
    assert "credit" not in en["text"] and WHY in en["text"]
    deliveries.expand(db, datetime.now(timezone.utc))
    hindi = composed(db, note["_id"], "sms", "hi").text
    assert hindi.startswith("अनुरोध coop-1:") and len(hindi) <= 70 and sms.parts(hindi) == 1


def test_an_upheld_disputes_short_share_alert_resolves_when_the_short_return_line_credits_it(member, config):
    db = member
    handlers.apply(db, config, answered_all())
    handlers.apply(db, config, disputed())
    handlers.apply(db, config, settled())
    returned = new_event("RequisitionReturned", REQ, {
        "requisition_id": REQ, "return_id": "RET-1", "artisan_id": "ART-1", "depot": "VNS",
        "lines": [{"sku": "SLK", "quantity": 300, "condition": "short", "credit": 100_00, "subsidy": 0}],
        "month": "2026-12", "credit": 100_00, "subsidy": 0, "by": "store-vns", "reason": "did not reach the member"},
        source="requests")
    handlers.apply(db, config, returned)
    [short] = db.alerts.find({"kind": "short_share"})
    assert short["status"] == "resolved"
