"""A member disputes what the depot's staff recorded at the counter as their answer for their share: once, in their own
words, by themself only; nothing else changes (no quantity, no money), the board is told (ShareRecordDisputed)."""
from __future__ import annotations

import pytest

from tests.integration.test_requests_confirmations import SAID, kept, shares_of, silk_received
from tests.integration.test_requests_coop_support import WAREHOUSE, coop  # noqa: F401  (fixture)
from tests.integration.test_requests_money_support import COTTON, SILK
from tests.integration.test_requests_support import client  # noqa: F401  (fixture)

NOTE = "I got 0.1 kg of silk, not 0.2; the clerk wrote it without weighing."


def recorded(coop):
    """ART-1's share (6 kg cotton, 0.5 kg silk) received, and what they said at the counter recorded by the depot."""
    rid = silk_received(coop)
    coop.client.call("POST", f"/requisitions/{rid}/shares/ART-1/received", coop.client.token(**WAREHOUSE), SAID,
                     status=201)
    return rid


def dispute(coop, rid, body, *, who="ART-1", status, lang="en", key=None, member="ART-1"):
    client = coop.client
    headers = {"Accept-Language": lang, **({"Idempotency-Key": key} if key else {})}
    return client.call("POST", f"/requisitions/{rid}/shares/{member}/dispute",
                       client.artisan(who) if isinstance(who, str) else who, body, headers=headers, status=status)


def test_a_member_disputes_what_the_depot_recorded_once_and_nothing_else_changes(coop):
    client = coop.client
    rid = recorded(coop)
    before = client.db.requisitions.find_one({"_id": rid})
    first = dispute(coop, rid, {"note": f"  {NOTE} "}, status=201, key="dispute-1")
    made = first.get_json()
    assert "Idempotent-Replayed" not in first.headers
    said = made["confirmation"]
    assert said["disputed"]["note"] == NOTE and said["disputed"]["at"]
    assert (said["status"], said["via"], said["by"]) == ("short", "depot", "warehouse-user")  # the record stands
    assert [(line["sku"], line["received"]) for line in made["lines"]] == [(COTTON, "6"), (SILK, "0.2")]
    [event] = coop.events(rid, "ShareRecordDisputed")
    assert event == {"requisition_id": rid, "artisan_id": "ART-1", "cooperative": "SMBSS", "depot": "VNS",
                     "recorded_by": "warehouse-user", "recorded_at": event["recorded_at"], "short": True,
                     "recorded_by_person": None,  # a login with no user record: nobody to name
                     "note": NOTE, "disputed_at": said["disputed"]["at"],
                     "lines": [{"sku": COTTON, "quantity": "6", "received": "6"},
                               {"sku": SILK, "quantity": "0.5", "received": "0.2"}]}
    assert event["recorded_at"]
    for again in (dispute(coop, rid, {"note": NOTE}, status=201, key="dispute-1"),  # the same key: the first answer
                  dispute(coop, rid, {"note": NOTE}, status=201)):  # the same body, sent again without a key
        assert again.get_json() == made and again.headers["Idempotent-Replayed"] == "true"
    assert len(coop.events(rid, "ShareRecordDisputed")) == 1
    after = client.db.requisitions.find_one({"_id": rid})
    assert after["pricing"] == before["pricing"] and after["lines"] == before["lines"]
    assert after["shares"][0]["pricing"] == before["shares"][0]["pricing"]
    assert after["shares"][0]["confirmation"] == {**before["shares"][0]["confirmation"],
                                                   "disputed": after["shares"][0]["confirmation"]["disputed"]}
    seen = {s["artisan_id"]: s for s in client.get(rid, client.admin())["shares"]}
    assert seen["ART-1"]["confirmation"]["disputed"] == said["disputed"]
    assert seen["ART-2"]["confirmation"]["disputed"] is None
    [mine] = client.get(rid, client.artisan("ART-1"))["shares"]
    assert mine["confirmation"]["disputed"] == said["disputed"]


def test_a_second_dispute_is_refused_saying_when_in_both_languages_and_changes_nothing(coop):
    rid = recorded(coop)
    dispute(coop, rid, {"note": NOTE}, status=201, key="first")
    before = kept(coop, rid)
    for lang, words in (("en", "already disputed"), ("hi", "पहले ही")):
        error = dispute(coop, rid, {"note": "Also the cotton was wet."}, status=409, lang=lang).get_json()["error"]
        assert error["code"] == "share_already_disputed" and words in error["message"], error["message"]
        assert error["details"]["at"]
    error = dispute(coop, rid, {"note": "another note"}, status=409, key="first").get_json()["error"]
    assert error["code"] == "idempotency_key_reused"  # the same key with another body, as every POST says
    assert kept(coop, rid) == before


@pytest.mark.parametrize("body", [{}, {"note": ""}, {"note": "   "}, {"note": "x" * 501}, {"note": "bad\x00text"},
                                  {"note": 5}, {"note": None}])
def test_a_note_missing_blank_long_or_unclean_is_refused_in_both_languages_and_changes_nothing(coop, body):
    rid = recorded(coop)
    before = kept(coop, rid)
    messages = set()
    for lang in ("en", "hi"):
        error = dispute(coop, rid, body, status=400, lang=lang).get_json()["error"]
        assert error["code"] == "validation_error" and "note" in error["details"], error
        messages.add(error["message"])
    assert len(messages) == 2  # said in Hindi too
    assert kept(coop, rid) == before


def test_only_a_share_the_depot_recorded_can_be_disputed_and_the_member_is_told_they_answer_themself(coop):
    client = coop.client
    rid = coop.with_silk()  # handed over, not marked received: nothing recorded yet
    for lang, words in (("en", "yourself"), ("hi", "डिपो")):
        error = dispute(coop, rid, {"note": NOTE}, status=409, lang=lang).get_json()["error"]
        assert (error["code"], error["details"]["confirmation"]) == ("share_not_recorded_by_depot", "awaited")
        assert words in error["message"], error["message"]
    client.act(rid, "receive", coop.secretary)
    for lang, words in (("en", "in the app"), ("hi", "ऐप")):  # waiting for their own answer: they answer it
        error = dispute(coop, rid, {"note": NOTE}, status=409, lang=lang).get_json()["error"]
        assert (error["code"], error["details"]["confirmation"]) == ("share_not_recorded_by_depot", "pending")
        assert words in error["message"], error["message"]
    client.call("POST", f"/requisitions/{rid}/confirmations", client.artisan("ART-2"), {"artisan_id": "ART-2"},
                status=201)
    before = kept(coop, rid)
    for lang, words in (("en", "yourself in the app"), ("hi", "ऐप में")):  # their own answer: not the depot's
        error = dispute(coop, rid, {"note": NOTE}, status=409, lang=lang, who="ART-2",
                        member="ART-2").get_json()["error"]
        assert (error["code"], error["details"]["via"]) == ("share_not_recorded_by_depot", "app")
        assert words in error["message"], error["message"]
    assert kept(coop, rid) == before
    assert coop.events(rid, "ShareRecordDisputed") == []


def test_only_the_member_themself_disputes_others_are_refused_and_nothing_changes(coop):
    client = coop.client
    rid = recorded(coop)
    before = kept(coop, rid)
    for who in (coop.secretary, client.admin(), client.token(**WAREHOUSE)):
        for lang, words in (("en", "Only the member"), ("hi", "केवल")):
            error = dispute(coop, rid, {"note": NOTE}, who=who, status=403, lang=lang).get_json()["error"]
            assert error["code"] == "forbidden" and words in error["message"], error["message"]
    dispute(coop, rid, {"note": NOTE}, who="ART-2", status=404)  # another member's share: not theirs to see
    dispute(coop, rid, {"note": NOTE}, who="ART-9", status=404)  # of another cooperative
    dispute(coop, "no-such-request", {"note": NOTE}, status=404)
    dispute(coop, rid, {"note": NOTE}, member="ART-7", status=404)
    assert client.call("POST", f"/requisitions/{rid}/shares/ART-1/dispute", {}, {"note": NOTE}).status_code == 401
    assert kept(coop, rid) == before
    assert shares_of(coop, rid)["ART-1"]["confirmation"].get("disputed") is None
