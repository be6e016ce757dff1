"""Who recorded a member's share at the depot and who settled the member's dispute of it, as the request's page and
the passbook say it, in the words the request's history uses: a member and a secretary read "the depot clerk", "an
admin" (or the person's name), never a login name; staff read the same words with the login name after them."""
from __future__ import annotations

import re
from html import unescape

import pytest

from services.requests import users
from tests.integration.test_requests_coop_support import WAREHOUSE, coop  # noqa: F401  (fixture)
from tests.integration.test_requests_dispute_settlement import REJECTED, UPHELD, recorded_all, settle
from tests.integration.test_requests_disputes import NOTE, dispute, recorded
from tests.integration.test_requests_returns import page
from tests.integration.test_requests_support import client  # noqa: F401  (fixture)

LOGINS = ("warehouse-user", "asha-admin")
CLERK = {"en": "the depot clerk", "hi": "डिपो लिपिक"}
ADMIN = {"en": "an admin", "hi": "एडमिन"}


@pytest.fixture
def staff(coop):
    """The depot clerk and the admin who act on ART-1's share have logins without a display name."""
    users.add_user(coop.client.db, username="warehouse-user", password="pw-clerk-1", role="warehouse", depot="VNS")
    users.add_user(coop.client.db, username="asha-admin", password="pw-admin-1", role="admin")
    return coop


def read(html: str) -> str:
    """The page's main part as read: tags dropped, spaces joined, no space inside brackets or before a comma."""
    shown = " ".join(unescape(re.sub(r"<[^>]+>", " ", html.split('id="main"', 1)[1])).split())
    return re.sub(r"\( ", "(", re.sub(r" ([,)])", r"\1", shown))


def member_pages(coop, rid, lang) -> tuple[str, str]:
    """ART-1's request page and passbook, as ART-1 reads them in `lang`."""
    me = coop.client.artisan("ART-1")
    return read(page(coop.client, f"/my/requisitions/{rid}", me, lang)), read(page(coop.client, "/my/passbook", me,
                                                                                   lang))


def no_login(*shown: str) -> list[str]:
    return [login for login in LOGINS for text in shown if login in text]


@pytest.mark.parametrize("lang, request_words, passbook_words", [
    ("en", "What you received was recorded at the depot by the depot clerk,",
     "as you said at the depot: recorded by the depot clerk,"),
    ("hi", "आपको जो मिला वह आपके कहने पर डिपो पर डिपो लिपिक ने दर्ज किया,",
     "जैसा आपने डिपो पर बताया: डिपो लिपिक ने दर्ज किया,")])
def test_the_member_reads_who_recorded_their_share_at_the_depot_in_words(staff, lang, request_words, passbook_words):
    rid = recorded(staff)
    mine, book = member_pages(staff, rid, lang)
    assert request_words in mine, mine
    assert passbook_words in book, book
    assert no_login(mine, book) == []


@pytest.mark.parametrize("lang, words", [
    ("en", "recorded at the depot by the depot clerk,"), ("hi", "डिपो पर डिपो लिपिक ने दर्ज किया,")])
def test_the_passbook_says_who_recorded_a_disputed_share_in_words(staff, lang, words):
    rid = recorded(staff)
    dispute(staff, rid, {"note": NOTE}, status=201)
    _, book = member_pages(staff, rid, lang)
    assert words in book and no_login(book) == [], book


@pytest.mark.parametrize("lang, words", [
    ("en", "As the department settled your dispute (an admin,"),
    ("hi", "विभाग ने आपकी आपत्ति का निपटारा किया (एडमिन,")])
def test_the_member_reads_who_upheld_their_dispute_in_words(staff, lang, words):
    rid = recorded_all(staff)
    settle(staff, rid, UPHELD, status=201)
    mine, book = member_pages(staff, rid, lang)
    assert words in mine and words in book, (mine, book)
    assert no_login(mine, book) == []


@pytest.mark.parametrize("lang, words", [
    ("en", "The depot's record (by the depot clerk,"), ("hi", "डिपो का दर्ज (डिपो लिपिक,")])
def test_the_member_reads_whose_record_stands_after_a_rejected_dispute_in_words(staff, lang, words):
    rid = recorded_all(staff)
    settle(staff, rid, REJECTED, status=201)
    mine, book = member_pages(staff, rid, lang)
    assert words in book, book
    assert no_login(mine, book) == []


def test_the_secretary_reads_the_members_row_in_words_and_no_login(staff):
    rid = recorded_all(staff)
    for lang in ("en", "hi"):
        shown = read(page(staff.client, f"/my/requisitions/{rid}", staff.secretary, lang))
        assert f"{CLERK[lang]}" in shown and no_login(shown) == [], shown
    settle(staff, rid, REJECTED, status=201)
    shown = read(page(staff.client, f"/my/requisitions/{rid}", staff.secretary, "en"))
    assert "recorded by the depot clerk on the member's word" in shown and "Rejected by an admin on" in shown
    book = read(page(staff.client, "/passbook/ART-1", staff.secretary, "en"))
    assert "The depot's record (by the depot clerk," in book, book
    assert no_login(shown, book) == []


def test_a_page_reads_all_the_logins_it_names_in_one_query(staff, monkeypatch):
    """The request's page names the clerk and the admin in its history, the member's row and the settlement; the
    passbook the clerk and the admin: each asks the users' records once for all of them."""
    rid = recorded_all(staff)
    settle(staff, rid, UPHELD, status=201)
    asked, users_of = [], staff.client.db.users
    find = users_of.find  # the store's locked find, kept per collection: counted where it is kept

    def counted(*args, **kwargs):
        asked.append(args[0] if args else kwargs.get("filter"))
        return find(*args, **kwargs)
    monkeypatch.setitem(object.__getattribute__(users_of, "_cache"), "find", counted)
    for path in (f"/my/requisitions/{rid}", "/my/passbook"):
        asked.clear()
        assert "an admin" in read(page(staff.client, path, staff.client.artisan("ART-1"), "en"))
        assert len(asked) == 1 and set(LOGINS) <= set(asked[0]["_id"]["$in"]), (path, asked)


@pytest.mark.parametrize("lang, words", [
    ("en", ["what the depot clerk (warehouse-user) recorded at the depot on", "Upheld by an admin (asha-admin) on"]),
    ("hi", ["डिपो लिपिक (warehouse-user) ने", "एडमिन (asha-admin) ने"])])
def test_staff_read_the_same_words_with_the_login_name(staff, lang, words):
    rid = recorded_all(staff)
    settle(staff, rid, UPHELD, status=201)
    for reader in (staff.client.admin(), staff.client.token(**WAREHOUSE)):
        shown = read(page(staff.client, f"/my/requisitions/{rid}", reader, lang))
        assert all(w in shown for w in words), shown
    book = read(page(staff.client, "/passbook/ART-1", staff.client.admin(), lang))
    assert f"({ADMIN[lang]} (asha-admin)," in book, book


def test_a_login_with_a_display_name_is_named_by_it_in_the_page_language(staff):
    rid = recorded_all(staff)
    settle(staff, rid, REJECTED, status=201)
    staff.client.db.users.update_one({"_id": "warehouse-user"}, {"$set": {"name": "Ravi Kumar",
                                                                        "name_hi": "रवि कुमार"}})
    assert "The depot's record (by Ravi Kumar," in member_pages(staff, rid, "en")[1]
    assert "डिपो का दर्ज (रवि कुमार," in member_pages(staff, rid, "hi")[1]
    shown = read(page(staff.client, f"/my/requisitions/{rid}", staff.client.admin(), "en"))
    assert "recorded by Ravi Kumar (warehouse-user) on the member's word" in shown, shown


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_a_refusal_names_who_recorded_the_share_in_words(staff, lang):
    """Recording at the depot (staff) or asking a new code (the secretary) for a share the depot recorded: the refusal
    says who recorded it as the pages do, the login after the words to staff only; the details keep the login."""
    rid = recorded(staff)
    for reader, login in ((staff.client.admin(), " (warehouse-user)"), (staff.secretary, "")):
        error = staff.client.call("POST", f"/requisitions/{rid}/shares/ART-1/received" if login else
                                  f"/requisitions/{rid}/shares/ART-1/code", {**reader, "Accept-Language": lang},
                                  {}, status=409).get_json()["error"]
        said = {"en": f"recorded at the depot by {CLERK['en']}{login} on",
                "hi": f"डिपो पर {CLERK['hi']}{login} द्वारा"}[lang]
        assert said in error["message"] and no_login(error["message"]) == ([LOGINS[0]] if login else []), error
        assert (error["details"]["by"], error["details"]["recorded_by"]["role"]) == ("warehouse-user", "warehouse")


def test_the_dispute_events_say_who_recorded_and_who_settled_for_the_notifiers_board(staff):
    """The notifier keeps no users: its board named the clerk and the admin by login. ShareRecordDisputed and
    ShareDisputeSettled say who they are (their role and display name), the board says it in words."""
    staff.client.db.users.update_one({"_id": "asha-admin"}, {"$set": {"name": "Asha Rai", "name_hi": "आशा राय"}})
    rid = recorded_all(staff)
    settle(staff, rid, UPHELD, who=staff.client.token("admin", sub="asha-admin"), status=201)
    [disputed], [settled] = staff.events(rid, "ShareRecordDisputed"), staff.events(rid, "ShareDisputeSettled")
    assert (disputed["recorded_by"], disputed["recorded_by_person"]) == ("warehouse-user", {
        "role": "warehouse", "name": None, "name_hi": None})
    assert (settled["settled_by"], settled["settled_by_person"]) == ("asha-admin", {
        "role": "admin", "name": "Asha Rai", "name_hi": "आशा राय"})
