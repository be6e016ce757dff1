"""Returns of handed-over materials with a credit note: POST/GET /requisitions/{id}/returns, the money, the caps,
the subsidy claim's corrections, reconcile, and a return that dies half-way and is sent again."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

import pytest

from services.requests import reconcile, reconcile_money, returns
from shared.auth import Principal
from shared.calendar import month_of
from shared.money import round_half_up
from shared.quantity import format_quantity
from tests.faults.harness import Crashed, Killable, KillSwitch
from tests.integration.test_requests_coop_support import MEMBERS, WAREHOUSE, coop  # noqa: F401
from tests.integration.test_requests_money_support import COTTON, DYE, SILK, pay, priced_catalog, ready, scheme
from tests.integration.test_requests_support import client  # noqa: F401  (fixture)

SHARE = "2172.68"  # 10 kg of 40s cotton at the scheme price: 2455.00 - 368.25 + 36.83 freight + 49.10 depot charge


def handed_over(client, lines=((COTTON, "10"),), paid=False):
    """ART-1 (one loom, RMSS, a yarn cap of 30 kg) gets `lines` on credit (or paid in full), dispatched from VNS."""
    priced_catalog(client.db)
    scheme(client)
    client.call("POST", "/quotas", client.admin(), {"category": "yarn", "limit": "30", "per_loom": True}, status=200)
    client.call("PUT", "/credit-terms", client.admin(), {"credit_limit": "10000", "credit_days": 30}, status=200)
    client.register("ART-1", looms=1)
    rid = ready(client, client.artisan("ART-1"), list(lines))
    if paid:
        pay(client, rid, client.get(rid, client.admin())["pricing"]["payable_total"])
    client.act(rid, "dispatch", client.token(**WAREHOUSE))
    return rid


def give(client, rid, lines, as_=None, status=201, key=None, **body):
    body = {"lines": [{"sku": s, "quantity": q, "condition": c} for s, q, c in lines], "reason": "wrong shade",
            **body}
    return client.call("POST", f"/requisitions/{rid}/returns", as_ or client.token(**WAREHOUSE), body,
                       headers={"Idempotency-Key": key} if key else None, status=status).get_json()


def account(client, artisan_id="ART-1"):
    return client.call("GET", f"/artisans/{artisan_id}/account", client.admin(), status=200).get_json()


def used(client, artisan_id="ART-1"):
    """(quota used of yarn, entitlement used of 40s cotton) this month."""
    usage = client.call("GET", f"/quotas/usage?artisan_id={artisan_id}", client.admin(), status=200).get_json()
    rows = client.call("GET", f"/artisans/{artisan_id}/entitlements", client.admin(), status=200).get_json()
    return (next(r["used"] for r in usage if r["category"] == "yarn"),
            next(r["used"] for r in rows if r["category"] == "cotton-hank-upto-40s"))


def clean(client):
    facts = reconcile.facts(client.db)
    return [problem for check in reconcile_money.CHECKS for problem in check(facts)]


def test_a_partial_return_credits_what_was_charged_lowers_what_is_due_and_gives_the_caps_back(client):
    rid = handed_over(client)
    assert (account(client)["balance_due"], used(client)) == (SHARE, ("10", "10"))
    made = give(client, rid, [(COTTON, "3", "restock")], reason="wrong shade of yarn")
    month = month_of(datetime.now(timezone.utc))
    assert made["return_id"] and made["artisan_id"] == "ART-1" and made["month"] == month and made["by"]
    assert (made["credit"], made["subsidy"], made["reason"]) == ("651.80", "110.48", "wrong shade of yarn")
    assert made["lines"] == [{"sku": COTTON, "quantity": "3", "condition": "restock", "subsidised_quantity": "3",
                              "credit": "651.80", "subsidy": "110.48"}]  # 2172.68 x 3/10 = 651.804; 368.25 x 0.3
    after = account(client)
    assert after["balance_due"] == "1520.88" and [d["amount"] for d in after["open_dues"]] == ["1520.88"]
    [note] = [e for e in after["entries"] if e["type"] == "credit_note"]
    assert (note["amount"], note["requisition_id"], note["return_id"]) == ("-651.80", rid, made["return_id"])
    assert used(client) == ("7", "7")
    shown = client.get(rid, client.artisan("ART-1"))
    assert [r["return_id"] for r in shown["returns"]] == [made["return_id"]]
    assert [(line["sku"], line["returned"]) for line in shown["lines"]] == [(COTTON, "3")]
    assert client.call("GET", f"/requisitions/{rid}/returns", client.artisan("ART-1"), status=200).get_json() == \
        [made]
    doc = client.db.requisitions.find_one({"_id": rid})
    [event] = [e for e in doc["outbox"] if e["type"] == "RequisitionReturned"]
    assert event["key"] == rid and event["payload"] == {
        "requisition_id": rid, "return_id": made["return_id"], "artisan_id": "ART-1", "depot": "VNS",
        "cooperative": None, "district": "Varanasi", "reason": "wrong shade of yarn", "month": month,
        "credit": "651.80", "subsidy": "110.48", "by": made["by"],
        "lines": [{"sku": COTTON, "quantity": "3", "condition": "restock", "subsidised_quantity": "3",
                   "credit": "651.80", "subsidy": "110.48", "value": "736.50"}]}  # 2455.00 x 0.3
    causes = [e["payload"]["cause"] for e in client.db.accounts.find_one({"_id": "ART-1"})["outbox"]]
    assert causes[-1] == "credit_note"
    assert clean(client) == []


def test_everything_returned_in_three_returns_credits_exactly_the_charge_and_what_was_paid_can_be_refunded(client):
    rid = handed_over(client, paid=True)
    credits = [give(client, rid, [(COTTON, q, "damaged")])["credit"] for q in ("3", "3", "4")]
    assert credits == ["651.80", "651.81", "869.07"]  # the last takes the remainder: 2172.68 in all
    after = account(client)
    assert (after["balance_due"], after["credit"], after["open_dues"]) == ("-2172.68", "2172.68", [])
    assert used(client) == ("0", "0")
    refusal = give(client, rid, [(COTTON, "0.001", "restock")], status=422)["error"]
    assert refusal["code"] == "return_above_handed_over"
    client.call("POST", "/artisans/ART-1/refunds", client.admin(), {"amount": "2172.68", "method": "cash",
                                                                     "reference": "RF-1", "reason": "returned"},
                status=201)
    assert account(client)["balance_due"] == "0.00" and clean(client) == []


def test_a_return_beyond_what_is_due_lowers_the_due_first_and_the_rest_is_credit(client):
    rid = handed_over(client)
    pay(client, rid, "1000.00", method="cash")  # 1172.68 still due
    give(client, rid, [(COTTON, "6", "restock")])  # credit 1303.61: 1172.68 of it clears the due, 130.93 is credit
    after = account(client)
    assert (after["balance_due"], after["credit"], after["open_dues"]) == ("-130.93", "130.93", [])
    assert client.get(rid, client.admin())["credited"] == "1303.61"


@pytest.mark.parametrize("lines,status,code", [
    ([(COTTON, "10.001", "restock")], 422, "return_above_handed_over"),
    ([(SILK, "1", "restock")], 422, "return_not_in_share"),
    ([(COTTON, "0", "restock")], 400, "validation_error"),
    ([(COTTON, "-1", "restock")], 400, "validation_error"),
    ([(COTTON, "1", "lost")], 400, "validation_error"),
    ([(COTTON, "1", "restock"), (COTTON, "1", "damaged")], 400, "validation_error"),
    ([], 400, "validation_error"),
])
def test_bad_returns_are_refused_in_both_languages_and_change_nothing(client, lines, status, code):
    rid = handed_over(client)
    before = (client.db.requisitions.find_one({"_id": rid}), client.db.accounts.find_one({"_id": "ART-1"}),
              list(client.db.usage.find()), list(client.db.entitlements.find()))
    english = give(client, rid, lines, status=status)["error"]
    hindi = client.call("POST", f"/requisitions/{rid}/returns", client.token(**WAREHOUSE),
                        {"lines": [{"sku": s, "quantity": q, "condition": c} for s, q, c in lines],
                         "reason": "wrong shade"}, headers={"Accept-Language": "hi"}, status=status).get_json()["error"]
    assert english["code"] == hindi["code"] == code and english["message"] != hindi["message"]
    assert after_state(client, rid) == before


def after_state(client, rid):
    return (client.db.requisitions.find_one({"_id": rid}), client.db.accounts.find_one({"_id": "ART-1"}),
            list(client.db.usage.find()), list(client.db.entitlements.find()))


def test_a_return_above_what_is_left_names_the_material_handed_over_returned_before_and_asked(client):
    rid = handed_over(client)
    give(client, rid, [(COTTON, "4", "restock")])
    error = give(client, rid, [(COTTON, "7", "restock")], status=422)["error"]
    assert error["details"] == {"sku": COTTON, "handed_over": "10", "returned_before": "4", "asked": "7",
                                "unit": "kg", "names": {"name": COTTON, "name_hi": COTTON}}
    assert COTTON in error["message"] and "10" in error["message"] and "4" in error["message"]


def test_only_a_handed_over_request_takes_returns_and_only_staff_of_its_depot_record_them(client):
    priced_catalog(client.db)
    client.register("ART-1", looms=1)
    rid = ready(client, client.artisan("ART-1"), [(DYE, "1")])  # reserved: not handed over yet
    error = give(client, rid, [(DYE, "1", "restock")], status=409)["error"]
    assert error["code"] == "requisition_not_returnable" and error["details"]["status"] == "reserved"
    # the statuses it may come back from as the pages name them, never "dispatched" (English) nor "भेजा गया" (sent)
    assert "handed over (“Handed over” or “Received”)" in error["message"]
    hindi = give(client, rid, [(DYE, "1", "restock")], as_={**client.token(**WAREHOUSE), "Accept-Language": "hi"},
                 status=409)["error"]["message"]
    assert "(“सौंप दिया गया” या “प्राप्त”)" in hindi and "भेजा" not in hindi
    client.pay_in_full(rid)
    client.act(rid, "dispatch", client.token(**WAREHOUSE))
    give(client, rid, [(DYE, "0.5", "restock")], as_=client.artisan("ART-1"), status=403)
    give(client, rid, [(DYE, "0.5", "restock")], as_=client.token("warehouse", depot="BHD"), status=404)
    give(client, rid, [(DYE, "0.5", "restock")], artisan_id="ART-2", status=400)
    give(client, rid, [(DYE, "0.5", "restock")], as_=client.admin(), artisan_id="ART-1")
    client.call("GET", f"/requisitions/{rid}/returns", client.artisan("ART-2"), status=404)
    assert len(client.call("GET", f"/requisitions/{rid}/returns", client.token(**WAREHOUSE)).get_json()) == 1


def test_the_same_idempotency_key_answers_the_same_return_and_writes_nothing(client):
    rid = handed_over(client)
    first = give(client, rid, [(COTTON, "2", "restock")], key="ret-1")
    before = after_state(client, rid)
    response = client.call("POST", f"/requisitions/{rid}/returns", client.token(**WAREHOUSE),
                           {"lines": [{"sku": COTTON, "quantity": "2", "condition": "restock"}],
                            "reason": "wrong shade"}, headers={"Idempotency-Key": "ret-1"}, status=201)
    assert response.get_json() == first and response.headers["Idempotent-Replayed"] == "true"
    assert after_state(client, rid) == before
    error = give(client, rid, [(COTTON, "3", "restock")], key="ret-1", status=409)["error"]
    assert error["code"] == "idempotency_key_reused"
    assert after_state(client, rid) == before


def killed_at_every_store_call(client, rid: str, body: dict, sent_again) -> int:
    """Record the return `body` dying at its first store call, then its second, and so on until one lives; each
    time it dies, the same return sent again (same key) finishes it (`sent_again` checks what it answers) and
    reconcile is clean. The number of calls the whole return makes, plus one."""
    staff = Principal(sub="clerk", role="warehouse", depot="VNS")
    calls, done = 1, False
    while not done:
        switch = KillSwitch()
        switch.arm(calls)
        try:
            returns.record(Killable(client.db, switch), staff, rid, body, idempotency_key=f"k-{calls}",
                           now=datetime.now(timezone.utc))
            done = True
        except Crashed:
            sent_again(returns.record(client.db, staff, rid, body, idempotency_key=f"k-{calls}",
                                      now=datetime.now(timezone.utc))[0])
            assert clean(client) == [], calls
        calls += 1
    assert calls > 5  # it died after the requisition's write, the credit note's, the quota's and the entitlement's
    return calls


def test_a_return_that_dies_at_any_store_call_completes_when_sent_again_and_credits_once(client):
    rid = handed_over(client)
    body = {"lines": [{"sku": COTTON, "quantity": 100, "condition": "restock"}], "reason": "wrong shade"}

    def sent_again(answer):
        assert answer["lines"][0]["quantity"] == 100
    calls = killed_at_every_store_call(client, rid, body, sent_again)
    stored = client.db.requisitions.find_one({"_id": rid})["returns"]
    credits = [e for e in client.db.accounts.find_one({"_id": "ART-1"})["entries"] if e["type"] == "credit_note"]
    assert len(credits) == len(stored) == calls - 1
    assert sum(-e["amount"] for e in credits) == sum(r["credit"] for r in stored) == \
        round_half_up(2172_68 * 100 * (calls - 1), 10_000)
    assert used(client) == tuple(format_quantity(10_000 - 100 * (calls - 1)) for _ in range(2))
    assert clean(client) == []


def test_two_counters_returning_the_last_kilograms_at_once_take_them_back_once(client):
    from services.requests.errors import ReturnAboveHandedOver
    from tests.integration.test_requests_support import at_once
    rid = handed_over(client)
    staff = Principal(sub="clerk", role="warehouse", depot="VNS")
    body = {"lines": [{"sku": COTTON, "quantity": 6000, "condition": "restock"}], "reason": "wrong shade"}
    done = at_once(*[lambda: returns.record(client.db, staff, rid, body, idempotency_key=None,
                                            now=datetime.now(timezone.utc)) for _ in range(3)])
    assert sorted(type(d).__name__ for d in done) == ["ReturnAboveHandedOver", "ReturnAboveHandedOver", "tuple"]
    assert all(isinstance(d, (tuple, ReturnAboveHandedOver)) for d in done)
    assert used(client) == ("4", "4") and account(client)["balance_due"] == "869.07" and clean(client) == []


class DiesCrediting:
    """The store as a return sees it: the process dies at the write of the credit note on the account."""

    def __init__(self, db):
        self._db = db

    def __getattr__(self, name):
        collection = getattr(self._db, name)
        return _Dying(collection) if name == "accounts" else collection


class _Dying:
    def __init__(self, collection):
        self._collection = collection

    def __getattr__(self, name):
        return getattr(self._collection, name)

    def update_one(self, *args, **kwargs):
        raise Crashed()


def test_a_return_left_half_done_is_finished_by_the_next_reading_of_the_request(client):
    rid = handed_over(client)
    body = {"lines": [{"sku": COTTON, "quantity": 3000, "condition": "restock"}], "reason": "wrong shade"}
    with pytest.raises(Crashed):
        returns.record(DiesCrediting(client.db), Principal(sub="clerk", role="warehouse", depot="VNS"), rid,
                       body, idempotency_key=None, now=datetime.now(timezone.utc))
    assert [p for p in clean(client) if "credit note" in p]
    assert account(client)["balance_due"] == SHARE
    assert client.get(rid, client.admin())["returns"][0]["credit"] == "651.80"
    assert account(client)["balance_due"] == "1520.88" and used(client) == ("7", "7") and clean(client) == []


def test_a_members_return_of_a_cooperatives_request_credits_that_member_and_corrects_the_claim(coop):
    client = coop.client
    rid = coop.received()["id"]
    error = give(client, rid, [(COTTON, "2", "restock")], status=400)["error"]
    assert "artisan_id" in error["details"]
    give(client, rid, [(COTTON, "2", "restock")], artisan_id="ART-9", status=400)
    made = give(client, rid, [(COTTON, "2.5", "damaged")], artisan_id="ART-2")
    assert (made["artisan_id"], made["credit"], made["subsidy"]) == ("ART-2", "543.17", "92.06")
    assert [account(client, m)["balance_due"] for m in MEMBERS] == [SHARE, "1629.51", SHARE]
    refusal = give(client, rid, [(COTTON, "8", "restock")], artisan_id="ART-2", status=422)["error"]
    assert (refusal["details"]["handed_over"], refusal["details"]["returned_before"]) == ("10", "2.5")
    give(client, rid, [(COTTON, "8", "restock")], artisan_id="ART-3")
    member = client.get(rid, client.artisan("ART-2"))
    assert [r["artisan_id"] for r in member["returns"]] == ["ART-2"]  # a member sees their own returns
    secretary = client.call("GET", f"/requisitions/{rid}/returns", coop.secretary, status=200).get_json()
    assert sorted(r["artisan_id"] for r in secretary) == ["ART-2", "ART-3"]
    month = month_of(datetime.now(timezone.utc))
    url = f"/reports/subsidy-claims?scheme=RMSS&month={month}"
    claim = client.call("GET", url, client.admin(), status=200).get_json()
    assert claim["rows"][0]["subsidy"] == "1104.75"
    assert claim["corrections"] == [{"district": "Varanasi", "returns": 2,
                                     "quantities": {"cotton-hank-upto-40s": "-10.5"},
                                     "units": {"cotton-hank-upto-40s": "kg"}, "value": "-2577.75",
                                     "subsidy": "-386.66"}]
    assert (claim["totals"]["subsidy"], claim["totals"]["quantities"], claim["totals"]["beneficiaries"]) == \
        ("718.09", {"cotton-hank-upto-40s": "19.5"}, 3)
    for lang, words in (("en", "returns (correction)"), ("hi", "वापसी (सुधार)")):
        text = client.call("GET", url + "&format=csv", {**client.admin(), "Accept-Language": lang}, status=200)
        rows = list(csv.reader(io.StringIO(text.get_data().decode("utf-8-sig"))))
        assert rows[-2][0] == f"Varanasi: {words}" and rows[-2][-1] == "-386.66" and rows[-1][-1] == "718.09"
    assert clean(client) == []


def test_reconcile_finds_a_credit_note_that_is_not_the_returns_credit(client):
    rid = handed_over(client)
    give(client, rid, [(COTTON, "3", "restock")])
    stored = client.db.accounts.find_one({"_id": "ART-1"})

    def tampered(change):
        entries = [change(dict(e)) if e["type"] == "credit_note" else e for e in stored["entries"]]
        client.db.accounts.update_one({"_id": "ART-1"}, {"$set": {"entries": entries,
                                                                  "balance": sum(e["amount"] for e in entries)}})
        return clean(client)
    problems = tampered(lambda e: {**e, "amount": e["amount"] - 100})
    assert len(problems) == 1 and "credit note" in problems[0]
    problems = tampered(lambda e: {**e, "lines": [{**e["lines"][0], "subsidy": 1}]})
    assert len(problems) == 1 and "corrections" in problems[0]
    assert tampered(lambda e: e) == []


def page(client, path, headers, lang="en"):
    """A page as the holder of `headers`' token sees it, in `lang`."""
    from shared.auth import COOKIE
    from shared.i18n import LANG_COOKIE
    browser = client.app.test_client()
    browser.set_cookie(COOKIE, headers["Authorization"].split()[1])
    browser.set_cookie(LANG_COOKIE, lang)
    shown = browser.get(path, headers={"Accept": "text/html"})
    assert shown.status_code == 200, shown.status_code
    return shown.get_data(as_text=True)


def test_the_pages_show_the_return_form_to_staff_and_the_credit_to_the_artisan_in_both_languages(coop):
    from tests.browser.english import english_in
    from tests.integration.test_every_page_in_hindi import texts_of
    client = coop.client
    rid = coop.received()["id"]
    staff = page(client, f"/my/requisitions/{rid}", client.token(**WAREHOUSE))
    assert 'id="return"' in staff and 'name="artisan_id"' in staff and "Yes, record it" in staff
    assert 'id="return"' not in page(client, f"/my/requisitions/{rid}", client.artisan("ART-2"))
    give(client, rid, [(COTTON, "2.5", "damaged")], artisan_id="ART-2", reason="moth-eaten hank")
    month = month_of(datetime.now(timezone.utc))
    for lang in ("en", "hi"):
        mine = page(client, f"/my/requisitions/{rid}", client.artisan("ART-2"), lang)
        assert "data-returns" in mine and "543.17" in mine and "moth-eaten hank" in mine
        book = page(client, "/my/passbook", client.artisan("ART-2"), lang)
        assert "data-credit-notes" in book and "543.17" in book
        account_page = page(client, "/my/account", client.artisan("ART-2"), lang)
        assert 'data-type="credit_note"' in account_page and "543.17" in account_page
        claims = page(client, f"/admin/claims?scheme=RMSS&month={month}", client.admin(), lang)
        assert "data-correction=" in claims and "92.06" in claims
        shown = page(client, f"/my/requisitions/{rid}", client.token(**WAREHOUSE), lang)
        assert "data-returns" in shown and 'id="return"' in shown and "data-returned" in shown
        if lang == "hi":
            for text in (mine, book, account_page, claims, shown):
                typed = ("moth-eaten", "Artisan ART-", "Cooperative SMBSS")  # what people typed: names, a reason
                assert english_in([t for t in texts_of(text) if not any(w in t for w in typed)]) == []


def reported_short(coop, artisan_id="ART-2", quantity="8"):
    """A cooperative's request received, its member `artisan_id` answering they received `quantity` of 10 kg."""
    client = coop.client
    rid = coop.received()["id"]
    client.call("POST", f"/requisitions/{rid}/confirmations", client.artisan(artisan_id),
                {"artisan_id": artisan_id, "quantity": quantity}, status=201)
    return rid


def test_a_reported_shortfall_is_settled_as_a_return_that_did_not_reach_the_member(coop):
    client = coop.client
    rid = reported_short(coop)  # ART-2: 2 kg short
    assert used(client, "ART-2") == ("10", "10")
    made = give(client, rid, [(COTTON, "1.5", "short")], artisan_id="ART-2", reason="short at the counter")
    assert (made["artisan_id"], made["credit"], made["subsidy"]) == ("ART-2", "325.90", "55.24")  # 2172.68 x 0.15
    assert made["lines"][0]["condition"] == "short"
    assert [account(client, m)["balance_due"] for m in MEMBERS] == [SHARE, "1846.78", SHARE]
    assert used(client, "ART-2") == ("8.5", "8.5")
    [event] = coop.events(rid, "RequisitionReturned")
    assert [(line["sku"], line["quantity"], line["condition"]) for line in event["lines"]] == [(COTTON, "1.5", "short")]
    shares = {s["artisan_id"]: s for s in client.get(rid, client.admin())["shares"]}
    assert shares["ART-2"]["short_settled"] == {COTTON: "1.5"} and shares["ART-1"]["short_settled"] is None
    assert client.get(rid, client.artisan("ART-2"))["shares"][0]["short_settled"] == {COTTON: "1.5"}
    give(client, rid, [(COTTON, "0.5", "short")], artisan_id="ART-2")  # the rest of what was reported
    assert client.get(rid, client.admin())["shares"][1]["short_settled"] == {COTTON: "2"}
    assert account(client, "ART-2")["balance_due"] == "1738.14" and used(client, "ART-2") == ("8", "8")
    give(client, rid, [(COTTON, "8", "restock")], artisan_id="ART-2")  # what did reach them may still come back
    assert account(client, "ART-2")["balance_due"] == "0.00"
    assert clean(client) == []


def test_a_shortfall_settled_above_what_was_reported_is_refused_in_both_languages_and_changes_nothing(coop):
    client = coop.client
    rid = reported_short(coop)
    give(client, rid, [(COTTON, "0.5", "short")], artisan_id="ART-2")
    before = (client.db.requisitions.find_one({"_id": rid}), client.db.accounts.find_one({"_id": "ART-2"}),
              list(client.db.usage.find()), list(client.db.entitlements.find()))
    body = {"lines": [{"sku": COTTON, "quantity": "2", "condition": "short"}], "reason": "short",
            "artisan_id": "ART-2"}
    english, hindi = (client.call("POST", f"/requisitions/{rid}/returns", client.token(**WAREHOUSE), body,
                                  headers={"Accept-Language": lang}, status=422).get_json()["error"]
                      for lang in ("en", "hi"))
    assert english["code"] == hindi["code"] == "short_above_reported" and english["message"] != hindi["message"]
    assert english["details"] == {"sku": COTTON, "reported_short": "2", "settled_before": "0.5", "asked": "2",
                                  "unit": "kg", "names": {"name": COTTON, "name_hi": COTTON}}
    assert "1.5" in english["message"] and "1.5" in hindi["message"]  # at most what is left
    assert (client.db.requisitions.find_one({"_id": rid}), client.db.accounts.find_one({"_id": "ART-2"}),
            list(client.db.usage.find()), list(client.db.entitlements.find())) == before


@pytest.mark.parametrize("member", ["ART-1", "ART-3"])  # confirmed in full; not answered yet
def test_a_share_not_reported_short_is_not_settled_as_short(coop, member):
    client = coop.client
    rid = reported_short(coop)
    client.call("POST", f"/requisitions/{rid}/confirmations", client.artisan("ART-1"), {"artisan_id": "ART-1"},
                status=201)
    before = client.db.requisitions.find_one({"_id": rid})
    for lang in ("en", "hi"):
        error = client.call("POST", f"/requisitions/{rid}/returns", client.token(**WAREHOUSE),
                            {"lines": [{"sku": COTTON, "quantity": "1", "condition": "short"}], "reason": "short",
                             "artisan_id": member}, headers={"Accept-Language": lang}, status=422).get_json()["error"]
        assert error["code"] == "not_reported_short" and COTTON in error["message"]
    assert client.db.requisitions.find_one({"_id": rid}) == before


def test_a_material_the_member_did_not_report_short_is_not_settled_as_short(coop):
    client = coop.client
    rid = coop.with_silk()
    client.act(rid, "receive", coop.secretary)
    client.call("POST", f"/requisitions/{rid}/confirmations", client.artisan("ART-1"),
                {"artisan_id": "ART-1", "lines": [{"sku": COTTON, "quantity": "6"}, {"sku": SILK, "quantity": "0.2"}]},
                status=201)
    error = give(client, rid, [(COTTON, "1", "short")], artisan_id="ART-1", status=422)["error"]
    assert error["code"] == "not_reported_short" and error["details"]["sku"] == COTTON
    made = give(client, rid, [(SILK, "0.3", "short")], artisan_id="ART-1")
    assert made["lines"][0]["condition"] == "short" and made["credit"] != "0.00"
    assert clean(client) == []


def test_an_artisans_own_request_has_no_reported_shortfall_to_settle(client):
    rid = handed_over(client)
    before = after_state(client, rid)
    error = give(client, rid, [(COTTON, "1", "short")], status=422)["error"]
    assert error["code"] == "not_reported_short"
    assert after_state(client, rid) == before
    assert client.get(rid, client.artisan("ART-1")).get("shares") in (None, [])


def test_a_shortfall_settled_again_with_the_same_idempotency_key_is_answered_once(coop):
    client = coop.client
    rid = reported_short(coop)
    first = give(client, rid, [(COTTON, "2", "short")], artisan_id="ART-2", key="short-1")
    response = client.call("POST", f"/requisitions/{rid}/returns", client.token(**WAREHOUSE),
                           {"lines": [{"sku": COTTON, "quantity": "2", "condition": "short"}], "reason": "wrong shade",
                            "artisan_id": "ART-2"}, headers={"Idempotency-Key": "short-1"}, status=201)
    assert response.get_json() == first and response.headers["Idempotent-Replayed"] == "true"
    assert account(client, "ART-2")["balance_due"] == "1738.14"  # 2172.68 less 434.54, credited once
    assert len(client.db.requisitions.find_one({"_id": rid})["returns"]) == 1
    assert used(client, "ART-2") == ("8", "8") and clean(client) == []


def test_a_shortfall_settled_that_dies_at_any_store_call_completes_when_sent_again_and_credits_once(coop):
    client = coop.client
    rid = reported_short(coop)
    body = {"lines": [{"sku": COTTON, "quantity": 100, "condition": "short"}], "reason": "short",
            "artisan_id": "ART-2"}

    def sent_again(answer):
        assert answer["lines"][0]["condition"] == "short"
    calls = killed_at_every_store_call(client, rid, body, sent_again)
    stored = client.db.requisitions.find_one({"_id": rid})["returns"]
    credits = [e for e in client.db.accounts.find_one({"_id": "ART-2"})["entries"] if e["type"] == "credit_note"]
    assert len(credits) == len(stored) == calls - 1
    assert used(client, "ART-2") == tuple(format_quantity(10_000 - 100 * (calls - 1)) for _ in range(2))


def test_the_pages_show_a_reported_shortfall_to_staff_and_what_was_settled_to_the_member_in_both_languages(coop):
    client = coop.client
    rid = reported_short(coop)
    for lang, words, option in (("en", "reported short: 2 kg", "Did not reach the member"),
                                ("hi", "कम मिलने की सूचना: 2 किलो", "सदस्य तक नहीं पहुँचा")):
        staff = page(client, f"/my/requisitions/{rid}", client.token(**WAREHOUSE), lang)
        assert 'data-reported-short' in staff and words in staff, staff[-4000:]
        assert '<option value="short">' + option in staff
    give(client, rid, [(COTTON, "1.5", "short")], artisan_id="ART-2", reason="short at hand-over")
    for lang, words in (("en", "1.5 kg that did not reach the member is credited"),
                        ("hi", "1.5 किलो जो सदस्य तक नहीं पहुँचा, जमा किया गया")):
        mine = page(client, f"/my/requisitions/{rid}", client.artisan("ART-2"), lang)
        assert "data-short-settled" in mine and words in mine and "data-returned" not in mine
        shown = page(client, f"/my/requisitions/{rid}", client.token(**WAREHOUSE), lang)
        assert ("settled before: 1.5 kg" if lang == "en" else "पहले निपटाया: 1.5 किलो") in shown


def refused_payment(client, rid, body):
    """A payment refused (422), in English and in Hindi: (English error, Hindi error)."""
    return tuple(client.call("POST", f"/requisitions/{rid}/payments", client.token(**WAREHOUSE), body,
                             headers={"Accept-Language": lang}, status=422).get_json()["error"]
                 for lang in ("en", "hi"))


def test_a_payment_after_a_return_takes_what_is_still_to_pay_less_the_credit_note_and_no_more(client):
    """What is due for a payment is the page's "Still to pay" and the account's open due: the price less what is paid
    less what the credit notes took off. Above it is refused with that figure, in both languages, changing nothing."""
    rid = handed_over(client)
    give(client, rid, [(COTTON, "3", "restock")])  # credit 651.80: 1520.88 still to pay
    assert [d["amount"] for d in account(client)["open_dues"]] == ["1520.88"]
    assert "1,520.88" in page(client, f"/my/requisitions/{rid}", client.admin())
    before = after_state(client, rid)
    for amount in (SHARE, "1520.89"):
        english, hindi = refused_payment(client, rid, {"amount": amount, "method": "cash", "reference": "RCPT-1"})
        assert english["code"] == hindi["code"] == "payment_above_due" and english["message"] != hindi["message"]
        assert english["details"] == {"due": "1520.88", "amount": amount}
        assert "₹1,520.88" in english["message"] and "₹1,520.88" in hindi["message"]
    assert after_state(client, rid) == before
    pay(client, rid, "1520.88", method="cash", reference="RCPT-1")
    after = account(client)
    assert (after["balance_due"], after["credit"], after["open_dues"]) == ("0.00", "0.00", [])
    assert clean(client) == []


def test_a_cooperatives_payment_after_a_settled_shortfall_takes_what_the_shares_still_owe_and_no_more(coop):
    """The secretary's payment for all, and one for a named member: each member's share owes its price less what
    is paid less what its credit notes took off, as the page and the member's account say; never a balance below
    zero from cash above what is due."""
    client = coop.client
    rid = reported_short(coop)  # ART-2: 2 kg short
    give(client, rid, [(COTTON, "2", "short")], artisan_id="ART-2")  # credit 434.54: ART-2 owes 1738.14
    assert account(client, "ART-2")["balance_due"] == "1738.14"
    owed = "6,083.50"  # 2172.68 + 1738.14 + 2172.68
    assert owed in page(client, f"/my/requisitions/{rid}", client.token(**WAREHOUSE))
    accounts_before = [client.db.accounts.find_one({"_id": m}) for m in MEMBERS]
    english, hindi = refused_payment(client, rid, {"amount": "6083.51", "method": "cash", "reference": "KBSS-1"})
    assert english["code"] == hindi["code"] == "payment_above_due" and english["message"] != hindi["message"]
    assert english["details"] == {"due": "6083.50", "amount": "6083.51"}
    assert f"₹{owed}" in english["message"] and f"₹{owed}" in hindi["message"]
    english, hindi = refused_payment(client, rid, {"amount": "1738.15", "method": "cash", "reference": "KBSS-2",
                                                   "artisan_id": "ART-2"})
    assert english["details"] == {"due": "1738.14", "amount": "1738.15"}
    assert "₹1,738.14" in english["message"] and "₹1,738.14" in hindi["message"]
    assert [client.db.accounts.find_one({"_id": m}) for m in MEMBERS] == accounts_before
    pay(client, rid, "3910.82", method="cash", reference="KBSS-3")  # ART-1's 2172.68, then ART-2's 1738.14
    assert [account(client, m)["balance_due"] for m in MEMBERS] == ["0.00", "0.00", SHARE]
    english, _ = refused_payment(client, rid, {"amount": "2172.69", "method": "cash", "reference": "KBSS-4"})
    assert english["details"] == {"due": SHARE, "amount": "2172.69"}
    pay(client, rid, SHARE, method="cash", reference="KBSS-4")
    assert [account(client, m)["balance_due"] for m in MEMBERS] == ["0.00", "0.00", "0.00"]
    assert clean(client) == []


def shown_figures(html):
    """The receipt's figures by their data-f name (the first of each), as printed."""
    import re
    return {name: value for name, value in reversed(re.findall(r'data-f="([\w-]+)">([^<]*)<', html))}


def test_the_receipt_shows_the_credit_notes_so_its_figures_add_up_and_no_due_date_once_nothing_is_due(client):
    """To pay less the credit notes less what is paid is what is still to pay, on the receipt as on the request's
    page, in both languages; and nothing due prints no day it is due by."""
    rid = handed_over(client)
    pay(client, rid, "1000.00", method="cash", reference="RCPT-1")
    give(client, rid, [(COTTON, "3", "restock")])  # credit 651.80: 2172.68 - 651.80 - 1000.00 = 520.88 to pay
    due_by = {}
    for lang, label in (("en", "Credit notes"), ("hi", "क्रेडिट नोट")):
        shown = page(client, f"/requisitions/{rid}/receipt", client.admin(), lang)
        figures = shown_figures(shown)
        assert (figures["payable"], figures["credited"], figures["paid"], figures["due"]) == \
            ("₹2,172.68", "₹651.80", "₹1,000.00", "₹520.88")
        assert label in shown
        due_by[lang] = figures["due-on"]  # "by 5 Jan 2027"
    pay(client, rid, "520.88", method="cash", reference="RCPT-2")
    for lang in ("en", "hi"):
        shown = page(client, f"/requisitions/{rid}/receipt", client.admin(), lang)
        figures = shown_figures(shown)
        assert (figures["credited"], figures["paid"], figures["due"]) == ("₹651.80", "₹1,520.88", "₹0.00")
        assert "due-on" not in figures and due_by[lang] not in shown


def test_a_cooperatives_receipt_shows_each_members_credit_notes_and_no_due_date_on_a_share_paid(coop):
    client = coop.client
    rid = reported_short(coop)
    give(client, rid, [(COTTON, "2", "short")], artisan_id="ART-2")  # credit 434.54: ART-2 owes 1738.14
    pay(client, rid, "3910.82", method="cash", reference="KBSS-1")  # ART-1's 2172.68, then ART-2's 1738.14
    for lang, label in (("en", "Credit notes"), ("hi", "क्रेडिट नोट")):
        shown = page(client, f"/requisitions/{rid}/receipt", client.token(**WAREHOUSE), lang)
        figures = shown_figures(shown)
        assert (figures["credited"], figures["paid"], figures["due"]) == ("₹434.54", "₹3,910.82", "₹2,172.68")
        row = shown.rsplit('data-member="ART-2"', 1)[1].split("</tr>")[0]
        assert "₹434.54" in row and label in shown and "data-due-on" not in row
        mine = shown_figures(page(client, f"/requisitions/{rid}/receipt", client.artisan("ART-2"), lang))
        assert (mine["credited"], mine["paid"], mine["due"]) == ("₹434.54", "₹1,738.14", "₹0.00")
        assert "due-on" not in mine


def test_a_credit_note_says_whether_it_is_for_material_returned_or_for_material_that_did_not_reach_the_member(coop):
    """A `short` return line's credit note is for material that never reached the member: the passbook and the
    account say so by each credit note's lines, not "credit notes for what you returned" / "Credit note (return)"."""
    client = coop.client
    rid = reported_short(coop)  # ART-2: 2 kg short of 10
    give(client, rid, [(COTTON, "1.5", "short")], artisan_id="ART-2", reason="short at hand-over")
    give(client, rid, [(COTTON, "1", "restock")], artisan_id="ART-2", reason="wrong shade")
    words = {"en": ("Credit note: material that did not reach you", "Credit note: material you returned",
                    "Credit note: material that did not reach the member", "Credit note: material returned",
                    ("Credit notes for what you returned", "Credit note (return)")),
             "hi": ("क्रेडिट नोट: जो सामग्री आप तक नहीं पहुँची", "क्रेडिट नोट: आपकी लौटाई सामग्री",
                    "क्रेडिट नोट: जो सामग्री सदस्य तक नहीं पहुँची", "क्रेडिट नोट: लौटाई गई सामग्री",
                    ("आपकी लौटाई सामग्री के क्रेडिट नोट", "क्रेडिट नोट (वापसी)"))}
    for lang, (short, back, staff_short, staff_back, old) in words.items():
        for path, headers, said in (("/my/passbook", client.artisan("ART-2"), (short, back)),
                                    ("/my/account", client.artisan("ART-2"), (short, back)),
                                    ("/accounts/ART-2", client.admin(), (staff_short, staff_back))):
            shown = page(client, path, headers, lang)
            assert all(shown.count(text) == 1 for text in said), (path, lang)
            assert not any(text in shown for text in old), (path, lang)
    assert [returns.credit_for({"lines": [{"condition": c} for c in conditions]}) for conditions in
            (("restock",), ("damaged", "restock"), ("short",), ("short", "damaged"))] == \
        ["returned", "returned", "short", "both"]


def test_the_return_form_shows_the_chosen_members_own_share_handed_over_not_the_whole_requests(coop):
    """A cooperative's request of 18 kg, 6 kg each: the return form said "Handed over 18 kg" next to the member
    chosen. Each row says the whole only while no member is chosen, and each member's own share handed over and
    returned before (returns.js shows the chosen member's)."""
    client = coop.client
    rid = coop.received(("6", "6", "6"))["id"]
    give(client, rid, [(COTTON, "1", "restock")], artisan_id="ART-2")
    for lang, kg in (("en", "kg"), ("hi", "किलो")):
        staff = page(client, f"/my/requisitions/{rid}", client.token(**WAREHOUSE), lang)
        form = staff[staff.index('id="return"'):]
        row = form[form.index("data-return-line"):]
        row = row[:row.index("</tr>")]
        assert f"<span data-whole>18 {kg}</span>" in row and f"<span data-whole>1 {kg}</span>" in row
        for member, handed, before in (("ART-1", "6", "0"), ("ART-2", "6", "1"), ("ART-3", "6", "0")):
            assert row.count(f'<span data-member="{member}" hidden>') == 2, row
            assert f'<span data-member="{member}" hidden>{handed} {kg}</span>' in row
            assert f'<span data-member="{member}" hidden>{before} {kg}</span>' in row
