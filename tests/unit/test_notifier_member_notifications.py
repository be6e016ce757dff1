"""A cooperative's members hear of each status once, whichever topic the notifier reads first."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest

from services.notifier import deliveries, handlers, messages, notifications, projections, reconcile
from shared import sms
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


def depot_recorded(db, *, via: str = "depot", received: dict | None = None, artisan_id: str = MEMBERS[1],
                   lines: list | None = None):
    """A member's answer for their share (ShareConfirmed), recorded by the depot's staff at the counter (`via`
    depot) or the member's own (app, SMS); `received` {sku: quantity}, else all of it."""
    lines = lines or [{"sku": "YRN", "quantity": 1000}]
    got = {line["sku"]: (received or {}).get(line["sku"], line["quantity"]) for line in lines}
    return new_event("ShareConfirmed", REQ, {
        "requisition_id": REQ, "artisan_id": artisan_id, "cooperative": "SMBSS", "depot": "VNS",
        "lines": [{**line, "received": got[line["sku"]]} for line in lines],
        "short": any(got[line["sku"]] < line["quantity"] for line in lines), "via": via,
        "received_at": "2026-12-01T10:00:00+00:00", **({"recorded_by": "store-vns"} if via == "depot" else {})},
        source="requests")


@pytest.fixture
def known(db):
    """The materials, the depot and the members (ART-2 reads Hindi), as the notifier keeps them."""
    projections.put_material(db, {"sku": "YRN", "name": "cotton yarn", "name_hi": "सूती धागा", "unit": "kg"})
    projections.put_material(db, {"sku": "DYE", "name": "indigo dye", "name_hi": "नील रंग", "unit": "kg"})
    projections.put_depot(db, {"code": "VNS", "name": "Varanasi depot", "name_hi": "वाराणसी डिपो",
                               "district": "Varanasi"})
    for member, lang in zip(MEMBERS, ("en", "hi", "en")):
        projections.put_artisan(db, {"artisan_id": member, "name": member, "phone": f"+9198765432{member[-1]}0",
                                     "language": lang}, "2026-01-01T00:00:00Z")
    return db


def recorded_sms(db, lang: str) -> list[str]:
    """The SMS of each share_recorded notification, composed as the dispatcher sends them, in `lang`."""
    deliveries.expand(db, datetime.now(timezone.utc))
    out = []
    for delivery in db.deliveries.find({"channel": "sms"}):
        note = db.notifications.find_one({"_id": delivery["source"]["id"]})
        if note["status"] == "share_recorded":
            projections.put_artisan(db, {"artisan_id": note["artisan_id"], "name": note["artisan_id"],  # reads `lang`
                                         "phone": "+919876543299", "language": lang},
                                    datetime.now(timezone.utc).isoformat())
            out.append(messages.compose(db, delivery, datetime.now(timezone.utc)).text)
    return out


def test_a_member_hears_what_the_depot_recorded_for_them_once_and_not_of_their_own_answer(known, config):
    """Depot staff record at the counter what a member says they received (ShareConfirmed via depot): the member was
    not told, so a record made falsely in their name went unnoticed by the one person who could say so. Now they are
    told (in-app, SMS, e-mail) what was recorded and what to do if it is not so; once,
    however often the event comes. Their own answer (app, SMS) is not told back to them."""
    db, event = known, depot_recorded(known)
    for _ in range(3):  # replayed, duplicated
        handlers.apply(db, config, event)
    assert told(db, "share_recorded") == [MEMBERS[1]]
    [note] = db.notifications.find({"status": "share_recorded"})
    assert note["_id"] == event.event_id and note["requisition_id"] == REQ
    [en] = notifications.render(db, [note], "en")
    assert en["title"] == "Receipt recorded at the depot"
    assert en["text"] == ("Staff at Varanasi depot recorded that you received all of your share of request "
                          "coop-1: 1 kg cotton yarn. If that is not what you received, open the request in the app "
                          "and press 'This is not what I received', or tell your depot.")
    [hi] = notifications.render(db, [note], "hi")
    assert hi["title"] == "डिपो पर प्राप्ति दर्ज"
    assert "वाराणसी डिपो" in hi["text"] and "पूरा" in hi["text"] and "1 किलो सूती धागा" in hi["text"]
    assert "'मुझे यह नहीं मिला'" in hi["text"] and "ऐप" in hi["text"]  # the request page's button, as it reads
    for own in ("app", "sms"):  # the member's own word: nothing told back
        handlers.apply(db, config, depot_recorded(db, via=own, artisan_id=MEMBERS[2]))
    assert told(db, "share_recorded") == [MEMBERS[1]]
    deliveries.expand(db, datetime.now(timezone.utc))
    channels = sorted(d["channel"] for d in db.deliveries.find({"source.id": event.event_id}))
    assert channels == ["email", "in_app", "sms"]  # one of each, however often the event came


def test_what_the_depot_recorded_of_each_material_is_said_in_both_languages_and_fits_the_sms(known, config):
    db = known
    lines = [{"sku": "YRN", "quantity": 2000}, {"sku": "DYE", "quantity": 500}]
    handlers.apply(db, config, depot_recorded(db, lines=lines, received={"YRN": 1500, "DYE": 0}))
    [note] = db.notifications.find({"status": "share_recorded"})
    en, hi = (notifications.render(db, [note], lang)[0]["text"] for lang in ("en", "hi"))
    assert en.startswith("Staff at Varanasi depot recorded that you received 1.5 kg cotton yarn, 0 kg indigo dye of "
                         "your share of request coop-1 (2 kg cotton yarn, 0.5 kg indigo dye). If that is not")
    assert "1.5 किलो सूती धागा, 0 किलो नील रंग" in hi and "'मुझे यह नहीं मिला'" in hi
    [en_sms] = recorded_sms(db, "en")
    assert en_sms == ("REQ coop-1: depot recorded you got 1.5 kg cotton yarn, 0 kg indigo dye. Wrong? Tell the "
                      "department or your depot")
    assert sms.parts(en_sms) == 1
    [hi_sms] = recorded_sms(db, "hi")
    assert hi_sms.startswith("अनुरोध coop-1:") and "1.5 किलो सूती धागा, 0 किलो नील रंग" in hi_sms
    assert sms.parts(hi_sms) <= sms.MOST_PARTS


def test_a_long_share_recorded_at_the_depot_is_texted_as_the_request_and_that_it_was_recorded(known, config):
    """Names the SMS cannot hold even cut short: only the request and that its receipt was recorded at the depot, in
    one part in both languages (Hindi: 70 characters), never a figure cut off."""
    db = known
    skus = [f"MAT-{n}" for n in range(9)]
    for sku in skus:
        projections.put_material(db, {"sku": sku, "name": f"silk yarn of a long description {sku}",
                                      "name_hi": f"रेशमी धागा लंबे विवरण वाला {sku}", "unit": "kg"})
    lines = [{"sku": sku, "quantity": 1000} for sku in skus]
    handlers.apply(db, config, depot_recorded(db, lines=lines, received={skus[0]: 500}))
    assert recorded_sms(db, "en") == ["REQ coop-1: receipt recorded at depot. Wrong? Tell the department or your "
                                      "depot"]
    [hi_sms] = recorded_sms(db, "hi")
    assert hi_sms.startswith("अनुरोध coop-1:") and "डिपो" in hi_sms and "विभाग" in hi_sms
    assert sms.parts(hi_sms) == 1 and len(hi_sms) <= 70


def test_the_member_is_pointed_to_the_dispute_in_the_app_by_e_mail_and_in_the_app_not_by_sms(known, config):
    """A member can dispute in the app what the depot recorded for them ('This is not what I received' on the
    request's page), but the notification and the e-mail of the record still said only to tell the department or the
    depot. Now both say to open the request in the app and press that button (as the button reads, in the member's
    language), or tell the depot; the in-app notification leads to the request's page. The SMS is left as it was:
    the dispute's words do not fit one Hindi part."""
    db = known
    handlers.apply(db, config, depot_recorded(db))
    deliveries.expand(db, datetime.now(timezone.utc))
    [note] = db.notifications.find({"status": "share_recorded"})
    mails = {}
    for lang in ("en", "hi"):
        projections.put_artisan(db, {"artisan_id": note["artisan_id"], "name": note["artisan_id"],
                                     "phone": "+919876543299", "email": "member@example.org", "language": lang},
                                datetime.now(timezone.utc).isoformat())
        [delivery] = db.deliveries.find({"source.id": note["_id"], "channel": "email"})
        mails[lang] = messages.compose(db, delivery, datetime.now(timezone.utc))
    assert mails["en"].subject == "Receipt recorded at the depot: coop-1"
    assert ("If that is not what you received, open the request in the app and press 'This is not what I "
            "received', or tell your depot.") in mails["en"].text
    assert "department" not in mails["en"].text
    assert "ऐप में यह अनुरोध खोलकर 'मुझे यह नहीं मिला' दबाएँ, या अपने डिपो को बताएँ" in mails["hi"].text
    assert "विभाग" not in mails["hi"].text
    [en] = notifications.render(db, [note], "en")
    assert "press 'This is not what I received'" in en["text"]
    assert "Tell the department or your depot" in recorded_sms(db, "en")[0]  # the SMS as it was
