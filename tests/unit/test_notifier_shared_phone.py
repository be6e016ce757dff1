"""A family often shares one phone: requests lets several artisans register the same number (it warns, it does not
refuse), and each one's SMS goes to it. 'REQ 1042 RESERVED: …' to a phone two weavers share did not say whose
request it was; now an SMS to a phone another active artisan is registered with starts with whose news it is
('For Sita Devi: …', in Hindi 'सीता देवी के लिए: …', the Hindi name where there is one), within the parts an SMS
may take (the name cut like a material's). A phone nobody else has, the app and e-mail are as before."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest

from services.notifier import deliveries, handlers, messages, projections, texts
from shared import sms
from shared.envelope import new_event
from shared.mongo import connect

REQ, LINES = "req-family-1", [{"sku": "YRN", "quantity": 1000}]
CANCELLED = new_event("RequisitionCancelled", REQ, {"requisition_id": REQ, "artisan_id": "ART-1", "depot": "VNS",
                                                    "lines": LINES, "by": "admin"}, source="requests")


@pytest.fixture
def db():
    return connect("mongomock://x")[f"notifier_{uuid.uuid4().hex[:8]}"]


def artisan(db, artisan_id: str, phone: str, *, name: str, name_hi: str | None = None, lang: str = "en",
            active: bool = True, at: str = "2026-01-01T00:00:00Z") -> None:
    projections.put_artisan(db, {"artisan_id": artisan_id, "name": name, "name_hi": name_hi, "phone": phone,
                                 "email": f"{artisan_id.lower()}@example.org", "language": lang, "active": active}, at)


def texted(db, config, channel: str = "sms"):
    """The message of the artisan's request cancelled (told once however often this is asked), on `channel`."""
    handlers.apply(db, config, CANCELLED)
    deliveries.expand(db, datetime.now(timezone.utc))
    [delivery] = [d for d in db.deliveries.find({"channel": channel})
                  if db.notifications.find_one({"_id": d["source"]["id"]})["artisan_id"] == "ART-1"]
    return messages.compose(db, delivery, datetime.now(timezone.utc))


def test_an_sms_to_a_phone_a_family_shares_says_whose_request_it_is(db, config):
    artisan(db, "ART-1", "+91 98765 43210", name="Sita Devi")
    artisan(db, "ART-2", "098765-43210", name="Ram Lal")  # the same phone, typed another way
    assert texted(db, config).text == "For Sita Devi: REQ family-1 CANCELLED: 1 YRN at VNS depot"


def test_in_hindi_the_member_is_named_by_their_hindi_name(db, config):
    artisan(db, "ART-1", "+919876543210", name="Sita Devi", name_hi="सीता देवी", lang="hi")
    artisan(db, "ART-2", "9876543210", name="Ram Lal")
    text = texted(db, config).text
    assert text.startswith("सीता देवी के लिए: अनुरोध family-1")
    assert sms.parts(text) <= sms.MOST_PARTS


def test_a_phone_nobody_else_has_and_a_former_members_number_name_nobody(db, config):
    """Alone on a phone, or sharing it with an artisan no longer active: as before. The e-mail is never named."""
    artisan(db, "ART-1", "+919876543210", name="Sita Devi")
    artisan(db, "ART-3", "+919876500000", name="Other phone")
    artisan(db, "ART-2", "+919876543210", name="Ram Lal", active=False)
    assert texted(db, config).text == "REQ family-1 CANCELLED: 1 YRN at VNS depot"
    assert "Sita" not in texted(db, config, "email").text.split("\n")[0]


def test_a_sharer_who_changes_their_number_no_longer_makes_the_phone_shared(db, config):
    artisan(db, "ART-1", "+919876543210", name="Sita Devi")
    artisan(db, "ART-2", "+919876543210", name="Ram Lal")
    artisan(db, "ART-2", "+919800000002", name="Ram Lal", at="2026-02-01T00:00:00Z")
    assert texted(db, config).text == "REQ family-1 CANCELLED: 1 YRN at VNS depot"


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_a_long_name_is_cut_and_the_sms_keeps_within_its_parts_with_every_figure(lang):
    """The name is cut as a material's is; what the SMS says of the request is never cut for it."""
    note = {"status": "cancelled", "requisition_id": REQ, "artisan_id": "ART-1", "depot": "VNS", "lines": LINES}
    plain = texts.sms(note, {}, {}, lang)
    named = texts.sms(note, {}, {}, lang, for_name="Shrimati Kamla Devi Vishwakarma Prajapati " * 6)
    assert sms.parts(named) <= sms.MOST_PARTS
    assert named.endswith(plain) and named != plain


def test_a_money_sms_its_parts_hold_only_without_the_name_is_sent_whole_without_it():
    """A refund drawn from several requests names each one's amount: no figure is cut to make room for the name.
    With two requests the name fits within the SMS's parts; with four (in Hindi) it does not, and is left out."""
    def refund(requests: int) -> dict:
        return {"status": "refunded", "requisition_id": "req-1", "amount": 4000,
                "requisitions": {f"req-{n}": 1000 for n in range(requests)}, "account": {}}
    two = texts.sms(refund(2), {}, {}, "hi", for_name="सीता देवी")
    assert two == f"सीता देवी के लिए: {texts.sms(refund(2), {}, {}, 'hi')}" and sms.parts(two) <= sms.MOST_PARTS
    plain = texts.sms(refund(4), {}, {}, "hi")
    assert texts.sms(refund(4), {}, {}, "hi", for_name="सीता देवी") == plain


def test_copies_kept_before_the_phone_key_are_recognised_as_sharing_once_the_notifier_starts(config):
    """The notifier kept no `phone_key` in its copies before: a phone two such copies share was not recognised
    until a profile changed. Its start fills the key once (twice changes nothing)."""
    from services.notifier import spec
    from shared.runtime import Runtime
    runtime = Runtime(spec(), config, client=connect(f"mongomock://old-copies-{uuid.uuid4().hex[:8]}"))
    db = runtime.db
    for artisan_id, phone, name in (("ART-1", "+91 98765 43210", "Sita Devi"), ("ART-2", "098765-43210", "Ram Lal"),
                                    ("ART-3", None, "No phone")):  # as an older notifier kept them
        db.artisans.insert_one({"_id": artisan_id, "name": name, "phone": phone, "language": "en", "active": True,
                                "email": f"{artisan_id.lower()}@example.org", "as_of": "2026-01-01T00:00:00Z"})
    assert texted(db, config).text == "REQ family-1 CANCELLED: 1 YRN at VNS depot"  # not recognised yet
    runtime.start()
    started = list(db.artisans.find())
    assert [(doc["_id"], doc["phone_key"]) for doc in started] == [
        ("ART-1", "9876543210"), ("ART-2", "9876543210"), ("ART-3", None)]
    assert texted(db, config).text == "For Sita Devi: REQ family-1 CANCELLED: 1 YRN at VNS depot"
    runtime.start()  # started again: nothing changes
    assert list(db.artisans.find()) == started
    runtime.close()


def test_the_notifier_marks_its_backfill_done_and_a_later_start_does_not_look_again(config):
    """The look for copies without `phone_key` is served by no index: once a start has run it whole, it is marked
    done and later starts skip it (a copy without a key written after the mark, as no event since writes one,
    stays so)."""
    from services.notifier import spec
    from shared.runtime import Runtime
    runtime = Runtime(spec(), config, client=connect(f"mongomock://copies-once-{uuid.uuid4().hex[:8]}"))
    db = runtime.db
    runtime.start()
    db.artisans.insert_one({"_id": "ART-9", "name": "Late", "phone": "+91 98765 43210", "language": "en"})
    runtime.start()
    assert "phone_key" not in db.artisans.find_one({"_id": "ART-9"})
    assert db.backfills.find_one({"_id": "artisans.phone_key"})["done_at"]
    runtime.close()
