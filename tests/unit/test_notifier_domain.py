"""Notifier rules and texts: pure functions, no store, no broker."""
from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta, timezone

import pytest
from flask import has_app_context
from markupsafe import Markup

from services.notifier import domain, subscribers, texts
from shared import signing, sms
from shared.pages import as_typed

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
MATERIALS = {"YRN-COT": {"name": "cotton yarn", "name_hi": "सूती धागा", "unit": "kg"},
             "DYE-IND": {"name": "indigo dye", "name_hi": "नील रंग", "unit": "kg"}}
DEPOTS = {"VNS": {"name": "Varanasi depot", "district": "Varanasi"}}


def note(status, **extra):
    return {"requisition_id": "REQ-1042", "status": status, "depot": "VNS",
            "lines": [{"sku": "YRN-COT", "quantity": 20_000}], **extra}


def test_one_condition_per_kind_depot_and_material():
    assert domain.condition_key("low_stock", "VNS", "YRN-COT") == "low_stock:VNS:YRN-COT"
    assert domain.condition_key("low_stock", "VNS", "YRN-COT") != domain.condition_key("stock_out", "VNS", "YRN-COT")


def test_level_events_open_one_kind_and_clear_the_others():
    assert domain.LEVEL_EFFECTS["StockLow"] == ("low_stock", ("stock_out",))
    opens, clears = domain.LEVEL_EFFECTS["StockReplenished"]
    assert opens is None and {"low_stock", "stock_out", "reservation_failed"} <= set(clears)


@pytest.mark.parametrize("count, age_hours, breached", [(5, 1, False), (6, 1, True), (1, 49, True), (0, None, False)])
def test_waitlist_limits(count, age_hours, breached):
    oldest = NOW - timedelta(hours=age_hours) if age_hours is not None else None
    assert domain.waitlist_breached(count, oldest, NOW, max_count=5, max_age_seconds=48 * 3600) is breached


def test_delivery_backoff_doubles_then_gives_up():
    assert [domain.retry_delay(n, 1000) for n in (1, 2, 3)] == [1.0, 2.0, 4.0]
    assert domain.retry_delay(30, 1000) == 900.0
    assert domain.after_failure(1, 3, NOW, 500) == ("pending", NOW + timedelta(seconds=0.5))
    assert domain.after_failure(3, 3, NOW, 500) == ("failed", None)


def test_signature_round_trip_and_tamper():
    signature = "sha256=" + signing.sign("s3cret-s3cret-s3cret", "1700000000", b'{"a":1}')
    assert signing.verify("s3cret-s3cret-s3cret", "1700000000", b'{"a":1}', signature)
    assert not signing.verify("s3cret-s3cret-s3cret", "1700000001", b'{"a":1}', signature)
    assert not signing.verify("s3cret-s3cret-s3cret", "1700000000", b'{"a":2}', signature)


def test_digest_is_for_yesterday_after_the_hour():
    assert domain.digest_day(NOW.replace(hour=1), 2) is None
    assert domain.digest_day(NOW, 2) == "2026-11-21"


@pytest.mark.parametrize("hour, from_hour, until_hour, inside", [
    (8, 9, 19, False), (9, 9, 19, True), (18, 9, 19, True), (19, 9, 19, False), (0, 9, 19, False),
    (23, 22, 6, True), (3, 22, 6, True), (12, 22, 6, False), (0, 0, 24, True), (23, 0, 24, True), (5, 7, 7, True)])
def test_hours_of_the_day_in_india(hour, from_hour, until_hour, inside):
    ist = timezone(timedelta(hours=5, minutes=30))
    moment = datetime(2026, 12, 1, hour, 30, tzinfo=ist).astimezone(timezone.utc)
    assert domain.in_hours(moment, from_hour, until_hour, ist) is inside


def test_district_subscriptions():
    assert subscribers.covers([], "Varanasi") and subscribers.covers(["Varanasi"], "Varanasi")
    assert not subscribers.covers(["Bhadohi"], "Varanasi") and not subscribers.covers(["Bhadohi"], None)


def test_a_district_typed_in_another_case_or_with_extra_spaces_is_the_same_district():
    """An admin who typed "varanasi" or "Sant  Ravidas Nagar" never heard of escalations there: they matched exactly."""
    assert subscribers.covers(["varanasi"], "Varanasi") and subscribers.covers([" VARANASI "], "Varanasi")
    assert subscribers.covers(["sant  ravidas nagar"], "Sant Ravidas Nagar")
    assert not subscribers.covers(["Varanasi Rural"], "Varanasi")


def test_sms_reads_like_the_issue_in_english_and_hindi():
    assert texts.sms(note("reserved"), MATERIALS, DEPOTS, "en") == \
        "REQ 1042 RESERVED: 20 kg cotton yarn at Varanasi depot"
    assert texts.sms(note("reserved"), MATERIALS, DEPOTS, "hi") == \
        "अनुरोध 1042 आरक्षित: Varanasi depot में 20 किलो सूती धागा"


def test_a_worker_thread_without_an_app_context_renders_hindi():
    """The dispatcher sends from its own thread, where Flask-Babel's force_locale would change nothing."""
    rendered = {}

    def worker():
        rendered["app"] = has_app_context()
        rendered["sms"] = texts.sms(note("waitlisted", position=3), MATERIALS, DEPOTS, "hi")
        rendered["mail"] = texts.email(note("rejected", reason="quota used up"), MATERIALS, DEPOTS, "hi")
    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(10)
    assert rendered["app"] is False
    assert rendered["sms"] == "अनुरोध 1042 प्रतीक्षा #3: Varanasi depot में 20 किलो सूती धागा"
    subject, body = rendered["mail"]
    assert subject == "अनुरोध स्वीकृत नहीं: 1042"
    assert body.startswith("Varanasi depot के लिए आपका अनुरोध 1042 (20 किलो सूती धागा) स्वीकृत नहीं हुआ। quota used up")
    assert body.endswith("— राजकीय कच्चा माल बैंक (rawbank)\n")


def test_sms_stays_short_with_many_lines_and_long_ids():
    long = note("waitlisted", position=3, requisition_id="0f0e7c1a-9d4b-4b6e-8a57-2f7d3f0e9c11",
                lines=[{"sku": "YRN-COT", "quantity": 12_500}, {"sku": "DYE-IND", "quantity": 1_000}])
    text = texts.sms(long, MATERIALS, DEPOTS, "en")
    assert text == "REQ 0f0e7c1a WAITLIST #3: 12.5 kg cotton yarn +1 more at Varanasi depot"
    assert len(texts.sms(long, MATERIALS, DEPOTS, "hi")) <= 160


LONG_NAME = ("Zari thread, gold-coloured, 0.5 mm twisted, for Banarasi brocade borders and pallus, bright finish, "
             "wound on cones of one kilogram each, from the board's rate contract lot of this winter, (Surat make)")
LONG = {"ZRI": {"name": LONG_NAME,
                "name_hi": "ज़री धागा, सुनहरा, 0.5 मिमी बटा हुआ, बनारसी ब्रोकेड के बॉर्डर और पल्लू के लिए,"
                " चमकदार, एक-एक किलो की कोन पर लिपटा, इस जाड़े का बोर्ड की दर-संविदा का लॉट (सूरत का बना)",
                "unit": "kg"}}


@pytest.mark.parametrize("lang, instruction", [
    ("en", ": reply RCV 698192 if you got it all, RCV 698192 <quantity> if less"),
    ("hi", ": पूरा मिला तो हाँ 698192 भेजें, कम मिला तो हाँ 698192 <मात्रा>")])
def test_a_members_confirm_sms_keeps_its_code_and_instruction_whatever_the_materials_name(lang, instruction):
    """A 200-character material name cut the end off at 160 characters: the code, or the instruction, was lost.
    The name is cut now ('…', '...' in GSM-7), in one part where that fits, two at most in Hindi (UCS-2)."""
    assert len(LONG_NAME) == 200
    text = texts.sms(note("confirm_share", lines=[{"sku": "ZRI", "quantity": 4_000}]), LONG, DEPOTS, lang, "698192")
    assert text.endswith(instruction)
    assert text.startswith({"en": "REQ 1042 4 kg Zari", "hi": "अनुरोध 1042 4 किलो ज़री"}[lang])
    assert sms.parts(text) == {"en": 1, "hi": 2}[lang]
    assert {"en": "...:", "hi": "…:"}[lang] in text
    assert texts.sms(note("confirm_share"), MATERIALS, DEPOTS, "en", "698192") == \
        "REQ 1042 20 kg cotton yarn: reply RCV 698192 if you got it all, RCV 698192 <quantity> if less"


@pytest.mark.parametrize("lang, sms_end, app_words", [
    ("en", ": reply RCV 698192 if you got it all; if less, say what you got in the app or at the depot",
     "if you got less, say here (or at the depot) what you got of each"),
    ("hi", ": पूरा मिला तो हाँ 698192 भेजें; कम मिला तो ऐप में या डिपो पर बताएँ कि क्या मिला",
     "कम मिला तो यहाँ (या डिपो पर) बताएँ कि हर सामान कितना मिला")])
@pytest.mark.parametrize("materials", [MATERIALS, {**LONG, **MATERIALS}])
def test_a_member_with_several_materials_is_not_asked_for_one_quantity_by_sms(lang, sms_end, app_words, materials):
    """A share of cotton and dye was asked to reply "RCV <code> <quantity>" if less: one figure cannot say what came
    of each (requests refuses it). The code is for all of it; less is said in the app or at the depot."""
    lines = [{"sku": "ZRI" if len(materials) > 2 else "YRN-COT", "quantity": 4_000},
             {"sku": "DYE-IND", "quantity": 1_000}]
    asked = note("confirm_share", lines=lines, due_on="2026-12-07")
    text = texts.sms(asked, materials, DEPOTS, lang, "698192")
    assert text.endswith(sms_end) and "<" not in text and sms.parts(text) <= 2, text
    assert sms.parts(text) == 1 or lang == "hi" or len(materials) > 2
    _, body = texts.notification(asked, materials, DEPOTS, lang)
    assert app_words in body and "698192" not in body
    one = texts.sms(note("confirm_share"), MATERIALS, DEPOTS, lang, "698192")
    assert one.endswith({"en": "RCV 698192 <quantity> if less", "hi": "हाँ 698192 <मात्रा>"}[lang])


@pytest.mark.parametrize("status", sorted(set(texts.STATUS_TEXT) - {"payment_due", "payment_overdue"}))
@pytest.mark.parametrize("lang", ["en", "hi"])
def test_every_sms_with_a_long_name_fits_two_parts_and_keeps_its_amount_and_date(status, lang):
    """Hindi SMS are UCS-2 (70 characters a part, 67 of several): cut at 160 characters they ran to 3 parts."""
    long_depots = {"VNS": {"name": "Varanasi (Chowkaghat) regional raw-material depot of the board, ward 12",
                           "name_hi": "वाराणसी (चौकाघाट) क्षेत्रीय कच्चा माल डिपो, बोर्ड का, वार्ड 12"}}
    lines = [{"sku": "ZRI", "quantity": 4_000}, {"sku": "YRN-COT", "quantity": 1_000}]
    text = texts.sms(note(status, lines=lines, position=12, amount=6_338_35, due_on="2026-12-07"),
                     {**LONG, **MATERIALS}, long_depots, lang, "698192")
    assert sms.parts(text) <= 2 and ("…" in text or "..." in text)
    assert {"en": "+1 more", "hi": "+1 अन्य"}[lang] in text
    if status == "approved":
        assert text.endswith({"en": "To pay: Rs 6,338.35", "hi": "भुगतान: ₹6,338.35"}[lang])
    if status == "waitlisted":
        assert "#12" in text


BRASS = {"BRS-22": {"name": "brass sheet 22 gauge", "name_hi": "पीतल की चादर 22 गेज", "unit": "kg"}}
VARANASI = {"VNS": {"name": "Varanasi depot", "name_hi": "वाराणसी डिपो"}}


@pytest.mark.parametrize("lang, expected", [
    ("en", "REQ 827b5928 REJECTED: 4 kg brass sheet 22 gauge at Varanasi depot. Quota for brass used up this month; "
           "ask again in January"),
    ("hi", "अनुरोध 827b5928 अस्वीकृत: वाराणसी डिपो में 4 किलो पीतल की चादर 22 गेज। Quota for brass used up this month; "
           "ask again in January")])
def test_a_rejected_requests_sms_says_why(lang, expected):
    """The reason was only in the e-mail and the app, which a feature-phone artisan never sees."""
    rejected = note("rejected", requisition_id="827b5928-1c", lines=[{"sku": "BRS-22", "quantity": 4_000}],
                    reason="Quota for brass used up this month;\n ask again in January")
    text = texts.sms(rejected, BRASS, VARANASI, lang)
    assert text == expected and sms.parts(text) == {"en": 1, "hi": 2}[lang]  # the reason whole, in a second part
    cancelled = texts.sms({**rejected, "status": "cancelled", "reason": "unknown_material: BRS-22"}, BRASS, VARANASI,
                          lang)
    assert cancelled.endswith({"en": "brass sheet 22 gauge is not supplied from this depot; please ask your depot "
                                     "officer, then send a new request.",
                               "hi": "इस डिपो से नहीं मिलता; कृपया अपने डिपो अधिकारी…"}[lang])  # cut to two parts
    assert sms.parts(cancelled) == 2  # a reason is not cut to save the second part
    assert texts.sms({**rejected, "reason": ""}, BRASS, VARANASI, lang).endswith(
        {"en": "at Varanasi depot", "hi": "22 गेज"}[lang])


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_a_long_reason_is_cut_to_two_parts_and_the_rest_of_the_sms_is_kept(lang):
    reason = "The quota of brass sheet for the Varanasi district is used up for this month and the next " * 4
    text = texts.sms(note("rejected", reason=reason, lines=[{"sku": "BRS-22", "quantity": 4_000}]), BRASS, VARANASI,
                     lang)
    assert sms.parts(text) == 2 and text.endswith({"en": "...", "hi": "…"}[lang]) and "The quota of brass" in text
    assert text.startswith({"en": "REQ 1042 REJECTED: 4 kg brass sheet 22 gauge at Varanasi depot. ",
                            "hi": "अनुरोध 1042 अस्वीकृत: वाराणसी डिपो में 4 किलो पीतल की चादर 22 गेज। "}[lang])


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_money_moved_with_what_is_still_to_pay_and_dues_elsewhere_fits_two_parts_and_keeps_the_request_figure(lang):
    dues = [{"requisition_id": "REQ-9", "due_on": "2026-12-07", "amount": 1_23_456_78},
            {"requisition_id": "REQ-8", "due_on": "2027-01-07", "amount": 1_23_456_78}]
    for status in texts.MONEY_MOVED:
        text = texts.sms({"status": status, "requisition_id": "REQ-875b39a2", "amount": 1_23_456_78, "method": "upi",
                          "account": {"open_dues": dues, "balance_due": 1, "to_pay": 5_338_35}}, {}, {}, lang)
        assert sms.parts(text) <= 2 and {"en": "Rs 5,338.35 is still to pay on this request.",
                                         "hi": "इस अनुरोध पर ₹5,338.35 अभी देना बाकी है।"}[lang] in text


@pytest.mark.parametrize("status", sorted(texts.STATUS_TEXT))
@pytest.mark.parametrize("lang", ["en", "hi"])
def test_every_status_has_a_full_text_in_both_languages(status, lang):
    money = status in ("payment_due", "payment_overdue")
    extra = {"lines": [], "depot": "", "amount": 1_594_523, "due_on": "2026-12-04"} if money else {}
    title, body = texts.notification(note(status, position=2, reason="", **extra), MATERIALS, DEPOTS, lang)
    assert title and "{" not in body and "1042" in body
    if money:
        assert "₹15,945.23" in body and ("दिस" in body) is (lang == "hi")
    else:
        assert ("सूती धागा" in body) is (lang == "hi")


@pytest.mark.parametrize("lang, told", [
    ("en", "20 kg cotton yarn is set aside for you at Varanasi depot (request 1042), ready to be collected there."),
    ("hi", "Varanasi depot में आपके लिए 20 किलो सूती धागा रख दिया गया है (अनुरोध 1042); यह वहीं से ले जाना है।")])
def test_material_set_aside_is_to_be_collected_at_the_depot_not_waited_for(lang, told):
    """Walk in Hindi on a phone, finding 2: "भेजे जाने पर आपको सूचना मिलेगी" (you will hear when it is dispatched) told
    the artisan to wait at home, while the request's page says to collect it and the depot hands over only at its
    counter (a cooperative's share too: the secretary collects it there)."""
    title, body = texts.notification(note("reserved"), MATERIALS, DEPOTS, lang)
    assert body == told
    assert "dispatched" not in body and "भेजे जाने" not in body


def test_a_hand_over_is_told_in_hindi_as_the_pages_call_it_never_as_sent():
    """Walk in Hindi on a phone, finding 11: the hand-over at the counter was told "सामग्री भेजी गई … से भेज दिया गया है"
    and its SMS "भेजा गया", the pages' word for a request just sent (submitted); the pages say "सौंप दिया गया"."""
    title, body = texts.notification(note("dispatched"), MATERIALS, DEPOTS, "hi")
    assert title == "सामग्री सौंप दी गई"
    assert body == "आपके अनुरोध 1042 का 20 किलो सूती धागा Varanasi depot पर सौंप दिया गया है। मिलने पर पुष्टि करें।"
    assert texts.sms(note("dispatched"), MATERIALS, DEPOTS, "hi") == \
        "अनुरोध 1042 सौंपा गया: Varanasi depot में 20 किलो सूती धागा"
    assert "भेज" not in title + body


def test_a_hand_over_is_told_in_english_as_the_act_the_hindi_and_the_pages_name():
    """The English told "Material dispatched ... has left Varanasi depot" (sent away) and texted "DISPATCHED", while
    the Hindi, the pages and the depot's button say it was handed over at the depot's counter, where the artisan
    collects it."""
    title, body = texts.notification(note("dispatched"), MATERIALS, DEPOTS, "en")
    assert title == "Material handed over"
    assert body == ("20 kg cotton yarn for your request 1042 was handed over at Varanasi depot. Please confirm when "
                    "you have it.")
    sms = texts.sms(note("dispatched"), MATERIALS, DEPOTS, "en")
    assert sms == "REQ 1042 HANDED OVER: 20 kg cotton yarn at Varanasi depot"
    assert not re.search("(?i)dispatch|has left", title + body + sms)


@pytest.mark.parametrize("status", ["rejected", "cancelled"])
def test_a_page_shows_an_admins_reason_as_typed_and_inventorys_reason_in_words(status):
    """The notifications page read an admin's reason ("Duplicate request") inside the Hindi sentence as if it were
    untranslated English; a page marks it as typed (translate="no"), escaped, and leaves inventory's reasons, which
    are words of the catalog, unmarked. Without `typed` (the API, SMS, e-mail) the text is plain as before."""
    _, body = texts.notification(note(status, reason="Duplicate <request>"), MATERIALS, DEPOTS, "hi", typed=as_typed)
    assert isinstance(body, Markup) and "सूती धागा" in body
    assert body.endswith('<bdi translate="no">Duplicate &lt;request&gt;</bdi>')
    _, plain = texts.notification(note(status, reason="Duplicate <request>"), MATERIALS, DEPOTS, "hi")
    assert not isinstance(plain, Markup) and plain.endswith("Duplicate <request>")
    _, worded = texts.notification(note(status, reason="unknown_depot: XYZ"), MATERIALS, DEPOTS, "hi", typed=as_typed)
    assert "translate" not in worded and "यह डिपो अभी सामग्री नहीं देता" in worded


def test_unknown_material_and_depot_fall_back_to_codes():
    title, body = texts.notification(note("approved", depot="XYZ", lines=[{"sku": "NEW", "quantity": 1000}]),
                                     {}, {}, "en")
    assert "1 NEW" in body and "XYZ depot" in body


@pytest.mark.parametrize("kind", domain.KINDS)
def test_alert_titles_in_both_languages(kind):
    doc = {"kind": kind, "status": "open", "depot": "VNS", "sku": "YRN-COT",
           "details": {"available": 4000, "reorder_level": 10000, "waiting": 7, "reason": "x"}}
    en, _ = texts.alert(doc, MATERIALS, DEPOTS, "en")
    hi, _ = texts.alert(doc, MATERIALS, DEPOTS, "hi")
    assert en != hi and "{" not in en + hi


def test_digest_counts_each_section():
    subject, body = texts.digest("2026-11-21", {"opened": ["a", "b"], "escalated": [], "resolved": ["c"]}, "en")
    assert subject.endswith("2 opened, 0 escalated, 1 resolved") and "  - a" in body
    subject_hi, _ = texts.digest("2026-11-21", {"opened": [], "escalated": [], "resolved": []}, "hi")
    assert "दैनिक सारांश" in subject_hi


def test_the_hindi_digest_says_its_alerts_in_the_feminine_of_chetavani():
    """An alert (चेतावनी) is feminine: the digest's counts and headlines agree with it (no खुले, हल हुए, भेजा गया)."""
    doc = {"kind": "low_stock", "status": "open", "depot": "VNS", "sku": "YRN-COT",
           "details": {"available": 4000, "reorder_level": 10000}}
    title, _ = texts.alert(doc, MATERIALS, DEPOTS, "hi")
    lines = {status: texts.alert_headline({**doc, "status": status}, MATERIALS, DEPOTS, "hi")
             for status in ("open", "acknowledged", "resolved")}
    lines["escalated"] = texts.alert_headline({**doc, "escalated": True}, MATERIALS, DEPOTS, "hi")
    assert lines == {"open": f"[खुली] {title}", "acknowledged": f"[स्वीकार की गई] {title}",
                     "resolved": f"[हल] {title}", "escalated": f"[आगे भेजी गई] {title}"}
    subject, body = texts.digest("2026-11-21", {"opened": ["a", "b"], "escalated": ["c"], "resolved": ["d"]}, "hi")
    assert subject.endswith("2 खुलीं, 1 आगे भेजी गईं, 1 हल हुईं")
    assert [line for line in body.splitlines() if not line.startswith(" ")] == [
        "खुलीं (2):", "आगे भेजी गईं (1):", "हल हुईं (1):"]


def test_a_waiting_note_names_what_is_short_of_the_members_own_lines_else_of_the_request():
    """StockWaitlisted's short (the request's lines the depot had too little of): a member hears of their own share
    of it; one whose share is all in stock hears what the request waits for; no `short` (an old event): every line."""
    note = {"status": "waitlisted", "requisition_id": "REQ-5", "depot": "VNS", "position": 2,
            "lines": [{"sku": "YRN-COT", "quantity": 4_000}, {"sku": "YRN-SLK", "quantity": 8_000}]}
    short = [{"sku": "YRN-SLK", "quantity": 20_000}]
    materials = {**MATERIALS, "YRN-SLK": {"name": "silk yarn", "unit": "kg"}}
    assert texts.notification({**note, "short": short}, materials, DEPOTS, "en")[1].startswith(
        "8 kg silk yarn is not in stock at Varanasi depot right now.")
    assert texts.notification({**note, "lines": note["lines"][:1], "short": short}, materials, DEPOTS, "en")[1] \
        .startswith("20 kg silk yarn is not in stock")
    assert texts.notification(note, materials, DEPOTS, "en")[1].startswith("4 kg cotton yarn, 8 kg silk yarn is not")
    assert "is in stock at Varanasi depot, but earlier requests" in \
        texts.notification({**note, "short": []}, materials, DEPOTS, "en")[1]
    # and the SMS names the same: only what is short, else the request's lines (it says nothing of stock)
    assert texts.sms({**note, "short": short}, materials, DEPOTS, "en") == \
        "REQ 5 WAITLIST #2: 8 kg silk yarn at Varanasi depot"
    assert "4 kg cotton yarn" in texts.sms({**note, "short": []}, materials, DEPOTS, "en")
