"""The department (an admin) settles a member's dispute of what the depot recorded for their share, once: upheld, what
the member received replaces the depot's record and the share counts as reported short, so the depot's return line
`short` and its credit note settle it; rejected, the record stands. Refusals change nothing."""
from __future__ import annotations

import pytest

from tests.integration.test_requests_confirmations import kept, shares_of, silk_received
from tests.integration.test_requests_coop_support import WAREHOUSE, coop  # noqa: F401  (fixture)
from tests.integration.test_requests_disputes import NOTE, dispute
from tests.integration.test_requests_money_support import COTTON, SILK
from tests.integration.test_requests_returns import account, clean, give
from tests.integration.test_requests_support import client  # noqa: F401  (fixture)

UPHELD = {"outcome": "upheld", "note": "The depot's scale slip shows 0.2 kg of silk.",
          "lines": [{"sku": COTTON, "quantity": "6"}, {"sku": SILK, "quantity": "0.2"}]}
REJECTED = {"outcome": "rejected", "note": "The member signed the slip for all of it."}


def recorded_all(coop):
    """ART-1's share (6 kg cotton, 0.5 kg silk) recorded at the depot as received in full, and disputed by them."""
    rid = silk_received(coop)
    coop.client.call("POST", f"/requisitions/{rid}/shares/ART-1/received", coop.client.token(**WAREHOUSE), {},
                     status=201)
    dispute(coop, rid, {"note": NOTE}, status=201)
    return rid


def settle(coop, rid, body, *, who=None, status, lang="en", member="ART-1"):
    client = coop.client
    return client.call("POST", f"/requisitions/{rid}/shares/{member}/dispute/settlement",
                       {**(who if who is not None else client.admin()), "Accept-Language": lang}, body,
                       status=status)


def test_an_upheld_dispute_makes_the_share_short_as_if_the_member_said_so_and_the_return_line_credits_it(coop):
    client = coop.client
    rid = recorded_all(coop)
    assert shares_of(coop, rid)["ART-1"]["confirmation"]["status"] == "confirmed"
    give(client, rid, [(SILK, "0.3", "short")], artisan_id="ART-1", status=422)  # before: not reported short
    due_before = account(client)["balance_due"]
    priced = client.db.requisitions.find_one({"_id": rid})["pricing"]
    first = settle(coop, rid, UPHELD, status=201)
    made = first.get_json()
    assert "Idempotent-Replayed" not in first.headers
    said = made["confirmation"]
    assert (said["status"], said["short_by"], said["via"], said["by"]) == ("short", {SILK: "0.3"}, "depot",
                                                                          "warehouse-user")
    settled = said["disputed"]["settled"]
    assert (settled["outcome"], settled["note"], settled["by"]) == ("upheld", UPHELD["note"], "asha-admin")
    assert settled["recorded"] == {COTTON: "6", SILK: "0.5"} and settled["at"]
    assert said["disputed"]["note"] == NOTE
    assert [(line["sku"], line["received"]) for line in made["lines"]] == [(COTTON, "6"), (SILK, "0.2")]
    [event] = coop.events(rid, "ShareDisputeSettled")
    assert event == {"requisition_id": rid, "artisan_id": "ART-1", "cooperative": "SMBSS", "depot": "VNS",
                     "outcome": "upheld", "note": UPHELD["note"], "settled_by": "asha-admin",
                     "settled_at": settled["at"], "disputed_at": said["disputed"]["at"],
                     "recorded_by": "warehouse-user", "short": True,
                     "settled_by_person": {"role": "admin"},  # no user record: only admins settle
                     "lines": [{"sku": COTTON, "quantity": "6", "recorded": "6", "received": "6"},
                               {"sku": SILK, "quantity": "0.5", "recorded": "0.5", "received": "0.2"}]}
    again = settle(coop, rid, UPHELD, status=201)  # the same settlement again: answered as the first
    assert again.get_json() == made and again.headers["Idempotent-Replayed"] == "true"
    assert len(coop.events(rid, "ShareDisputeSettled")) == 1
    [mine] = client.get(rid, client.artisan("ART-1"))["shares"]
    assert mine["confirmation"]["disputed"]["settled"]["outcome"] == "upheld"
    assert client.db.requisitions.find_one({"_id": rid})["pricing"] == priced
    assert account(client)["balance_due"] == due_before  # no money of its own: the return line is the money path
    returned = give(client, rid, [(SILK, "0.3", "short")], artisan_id="ART-1", reason="did not reach the member")
    assert float(returned["credit"]) > 0
    assert float(account(client)["balance_due"]) < float(due_before)
    admin_sees = next(s for s in client.get(rid, client.admin())["shares"] if s["artisan_id"] == "ART-1")
    assert admin_sees["short_settled"] == {SILK: "0.3"}
    give(client, rid, [(SILK, "0.1", "short")], artisan_id="ART-1", status=422)  # never above what was short
    assert clean(client) == []


def test_a_rejected_dispute_leaves_the_depots_record_standing(coop):
    client = coop.client
    rid = recorded_all(coop)
    before = shares_of(coop, rid)["ART-1"]["confirmation"]
    made = settle(coop, rid, REJECTED, status=201).get_json()
    said = made["confirmation"]
    assert (said["status"], said["short_by"]) == ("confirmed", before["short_by"])
    assert said["disputed"]["settled"]["outcome"] == "rejected" and said["disputed"]["settled"]["recorded"] is None
    [event] = coop.events(rid, "ShareDisputeSettled")
    assert (event["outcome"], event["short"]) == ("rejected", False)
    assert event["lines"] == [{"sku": COTTON, "quantity": "6", "recorded": "6", "received": "6"},
                              {"sku": SILK, "quantity": "0.5", "recorded": "0.5", "received": "0.5"}]
    give(client, rid, [(SILK, "0.3", "short")], artisan_id="ART-1", status=422)  # still nothing reported short
    assert clean(client) == []


def test_only_an_admin_settles_and_nobody_else_changes_anything(coop):
    client = coop.client
    rid = recorded_all(coop)
    before = kept(coop, rid)
    for who in (client.token(**WAREHOUSE), client.artisan("ART-1"), coop.secretary):
        for lang, words in (("en", "Only the department"), ("hi", "केवल")):
            error = settle(coop, rid, UPHELD, who=who, status=403, lang=lang).get_json()["error"]
            assert error["code"] == "forbidden" and words in error["message"], error["message"]
    assert client.call("POST", f"/requisitions/{rid}/shares/ART-1/dispute/settlement", {}, UPHELD).status_code == 401
    settle(coop, "no-such-request", UPHELD, status=404)
    settle(coop, rid, UPHELD, member="ART-7", status=404)
    assert kept(coop, rid) == before
    assert coop.events(rid, "ShareDisputeSettled") == []


def test_a_share_not_disputed_or_already_settled_otherwise_is_refused_with_409(coop):
    rid = recorded_all(coop)
    for lang, words in (("en", "has not disputed"), ("hi", "आपत्ति")):
        error = settle(coop, rid, REJECTED, member="ART-2", status=409, lang=lang).get_json()["error"]
        assert error["code"] == "share_not_disputed" and words in error["message"], error["message"]
    settle(coop, rid, UPHELD, status=201)
    before = kept(coop, rid)
    for body in (REJECTED, {**UPHELD, "note": "another reason"},
                 {**UPHELD, "lines": [{"sku": COTTON, "quantity": "6"}, {"sku": SILK, "quantity": "0.1"}]}):
        for lang, words in (("en", "already settled"), ("hi", "पहले ही")):
            error = settle(coop, rid, body, status=409, lang=lang).get_json()["error"]
            assert error["code"] == "dispute_already_settled" and words in error["message"], error["message"]
            assert (error["details"]["outcome"], error["details"]["by"]) == ("upheld", "asha-admin")
    assert kept(coop, rid) == before
    assert len(coop.events(rid, "ShareDisputeSettled")) == 1


@pytest.mark.parametrize("body", [{}, {"outcome": "upheld"}, {"outcome": "maybe", "note": "x"},
                                  {"outcome": "upheld", "note": "no figures"}, {**UPHELD, "note": ""},
                                  {**UPHELD, "note": "x" * 501}, {**REJECTED, "lines": UPHELD["lines"]},
                                  {**UPHELD, "quantity": "1"}])
def test_malformed_settlements_are_refused_as_validation_and_change_nothing(coop, body):
    rid = recorded_all(coop)
    before = kept(coop, rid)
    messages = set()
    for lang in ("en", "hi"):
        error = settle(coop, rid, body, status=400, lang=lang).get_json()["error"]
        assert error["code"] == "validation_error", error
        messages.add(error["message"])
    assert len(messages) == 2
    assert kept(coop, rid) == before


@pytest.mark.parametrize("lines, code", [
    ([{"sku": COTTON, "quantity": "6"}, {"sku": SILK, "quantity": "0.6"}], "share_not_receivable"),  # above handed
    ([{"sku": SILK, "quantity": "0.2"}], "share_not_receivable"),  # a material left out
    ([{"sku": COTTON, "quantity": "6"}, {"sku": SILK, "quantity": "0.2"}, {"sku": "NOPE", "quantity": "1"}],
     "share_not_receivable"),
    ([{"sku": COTTON, "quantity": "6"}, {"sku": SILK, "quantity": "0.5"}], "settlement_same_as_record"),
])
def test_what_the_member_received_must_fit_the_share_and_differ_from_the_record_else_422(coop, lines, code):
    rid = recorded_all(coop)
    before = kept(coop, rid)
    for lang in ("en", "hi"):
        error = settle(coop, rid, {**UPHELD, "lines": lines}, status=422, lang=lang).get_json()["error"]
        assert error["code"] == code, error
    assert kept(coop, rid) == before
    assert coop.events(rid, "ShareDisputeSettled") == []


def test_an_upheld_record_may_not_go_below_what_was_already_credited_as_short(coop):
    """The depot recorded 0.2 kg of silk (0.3 short) and credited the 0.3 kg with a `short` return line; the member
    disputes (they got 0.1 kg). Upheld at 0.1 kg stands; upheld at 0.4 kg would undo a credit note: 422."""
    from tests.integration.test_requests_confirmations import SAID
    client = coop.client
    rid = silk_received(coop)
    client.call("POST", f"/requisitions/{rid}/shares/ART-1/received", client.token(**WAREHOUSE), SAID, status=201)
    give(client, rid, [(SILK, "0.3", "short")], artisan_id="ART-1", reason="did not reach the member")
    dispute(coop, rid, {"note": NOTE}, status=201)
    before = kept(coop, rid)
    error = settle(coop, rid, {**UPHELD, "lines": [{"sku": COTTON, "quantity": "6"}, {"sku": SILK, "quantity": "0.4"}]},
                   status=422).get_json()["error"]
    assert (error["code"], error["details"]["sku"]) == ("settlement_below_settled_short", SILK)
    assert kept(coop, rid) == before
    settle(coop, rid, {**UPHELD, "lines": [{"sku": COTTON, "quantity": "6"}, {"sku": SILK, "quantity": "0.1"}]},
           status=201)
    give(client, rid, [(SILK, "0.1", "short")], artisan_id="ART-1", reason="did not reach the member")
    admin_sees = next(s for s in client.get(rid, client.admin())["shares"] if s["artisan_id"] == "ART-1")
    assert admin_sees["short_settled"] == {SILK: "0.4"}
    assert clean(client) == []
