"""Cooperatives as records, and a secretary's requisition for members through the requests API."""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from services.requests import accounts, cooperatives, reconcile
from tests.faults.harness import Crashed, Killable, KillSwitch
from tests.integration.test_requests_coop_support import COOP, MEMBERS, OTHER, WAREHOUSE, coop  # noqa: F401
from tests.integration.test_requests_money_support import COTTON, SILK, reserved
from tests.integration.test_requests_support import client  # noqa: F401  (fixture)

SHARE = "2172.68"  # 10 kg of 40s cotton at the scheme price: 2455.00 - 368.25 + 36.83 freight + 49.10 depot charge


def test_a_cooperative_is_a_record_with_its_event_and_its_members_credit_limit(client):
    admin = client.admin()
    body = {"code": "KBSS", "name": "Kabir Bunkar Sahkari Samiti", "name_hi": "कबीर बुनकर सहकारी समिति",
            "kind": "shg", "district": "Bhadohi", "registration_no": "UP-BHD-2001-7", "credit_limit": "2500"}
    made = client.call("POST", "/cooperatives", admin, body, status=201).get_json()
    assert (made["code"], made["kind"], made["credit_limit"], made["members"], made["active"]) == \
        ("KBSS", "shg", "2500.00", 0, True)
    [event] = client.db.cooperatives.find_one({"_id": "KBSS"})["outbox"]
    assert event["type"] == "CooperativeRegistered" and event["payload"]["name_hi"] == "कबीर बुनकर सहकारी समिति"
    terms = client.call("GET", "/credit-terms", admin, status=200).get_json()
    assert [(t["cooperative"], t["credit_limit"], t["credit_days"]) for t in terms] == [("KBSS", "2500.00", 30)]
    changed = client.call("PATCH", "/cooperatives/KBSS", admin, {"credit_limit": "4000", "district": "Mirzapur"},
                          status=200).get_json()
    assert (changed["credit_limit"], changed["district"]) == ("4000.00", "Mirzapur")
    client.register("ART-7", cooperative="KBSS")
    assert client.call("GET", "/cooperatives/KBSS", admin, status=200).get_json()["members"] == 1
    account = client.call("GET", "/artisans/ART-7/account", admin, status=200).get_json()
    assert (account["credit_limit"], account["credit_source"]) == ("4000.00", "cooperative")
    client.call("POST", "/cooperatives", admin, body, status=409)


def test_a_change_of_the_name_leaves_the_members_credit_terms_as_they_were_set(client):
    """The cooperative page sent its credit limit with every save, and each PATCH with a limit wrote the members'
    credit terms again: a change of the name alone made them "set by" whoever saved, now. The same limit writes
    nothing (sent or not); a different one still writes the terms, by whoever changed it."""
    client.call("POST", "/cooperatives", client.admin(), {
        "code": "KBSS", "name": "Kabir Bunkar Sahkari Samiti", "name_hi": "कबीर बुनकर सहकारी समिति",
        "kind": "shg", "district": "Bhadohi", "credit_limit": "2500"}, status=201)
    set_first = client.db.credit_terms.find_one({"_id": "cooperative:KBSS"})
    assert set_first["set_by"] == "asha-admin"
    other = client.token("admin", sub="ravi-admin")
    for body in ({"name": "Kabir Bunkar Samiti", "credit_limit": "2500.00"}, {"name": "Kabir Samiti"},
                 {"name_hi": "कबीर समिति", "credit_limit": 2500}):
        changed = client.call("PATCH", "/cooperatives/KBSS", other, body, status=200).get_json()
        assert changed["credit_limit"] == "2500.00"
        assert client.db.credit_terms.find_one({"_id": "cooperative:KBSS"}) == set_first, body
    assert client.call("GET", "/cooperatives/KBSS", other, status=200).get_json()["name"] == "Kabir Samiti"
    client.call("PATCH", "/cooperatives/KBSS", other, {"name": "Kabir Samiti", "credit_limit": "4000"}, status=200)
    set_again = client.db.credit_terms.find_one({"_id": "cooperative:KBSS"})
    assert (set_again["credit_limit"], set_again["credit_days"], set_again["set_by"]) == (4000_00, 30, "ravi-admin")
    assert set_again["set_at"] >= set_first["set_at"]


def test_a_registration_that_died_before_its_credit_limit_gets_the_limit_when_sent_again(client):
    """Registering writes the cooperative, then its members' credit terms. Killed in between, the admin's second
    try is told the code exists (409): the limit they asked for must be in place, not silently lost."""
    admin = client.admin()
    body = {"code": "KBSS", "name": "Kabir Bunkar Sahkari Samiti", "name_hi": "कबीर बुनकर सहकारी समिति",
            "kind": "shg", "district": "Bhadohi", "credit_limit": "2500"}
    switch = KillSwitch()
    switch.arm(5)  # the look for its code in other letters (3 calls) and the insert go through; it dies next
    with pytest.raises(Crashed):
        cooperatives.register(Killable(client.db, switch), {**body, "credit_limit": 2500_00}, by="admin-1")
    assert client.call("GET", "/cooperatives/KBSS", admin, status=200).get_json()["credit_limit"] is None
    client.call("POST", "/cooperatives", admin, body, status=409)
    assert client.call("GET", "/cooperatives/KBSS", admin, status=200).get_json()["credit_limit"] == "2500.00"
    client.call("PATCH", "/cooperatives/KBSS", admin, {"credit_limit": "4000"}, status=200)
    client.call("POST", "/cooperatives", admin, body, status=409)  # a late repeat never undoes a newer limit
    assert client.call("GET", "/cooperatives/KBSS", admin, status=200).get_json()["credit_limit"] == "4000.00"


def test_a_secretary_sees_only_their_cooperative_and_artisans_none(client):
    for code in ("KBSS", "SMBSS"):
        client.cooperative(code)
    secretary = client.secretary("KBSS")
    assert [c["code"] for c in client.call("GET", "/cooperatives", secretary, status=200).get_json()] == ["KBSS"]
    client.call("GET", "/cooperatives/SMBSS", secretary, status=404)
    client.call("PATCH", "/cooperatives/KBSS", secretary, {"name": "x"}, status=403)
    client.call("GET", "/cooperatives", client.artisan("ART-1"), status=403)


@pytest.mark.parametrize("body,field", [({"kind": "club"}, "kind"), ({"code": "a b"}, "code"),
                                        ({"credit_limit": "-1"}, "credit_limit"), ({"name": ""}, "name")])
def test_bad_cooperatives_are_refused_in_both_languages(client, body, field):
    full = {"code": "KBSS", "name": "K", "name_hi": "क", "kind": "cooperative", "district": "Bhadohi", **body}
    for lang in ("en", "hi"):
        error = client.call("POST", "/cooperatives", {**client.admin(), "Accept-Language": lang}, full,
                            status=400).get_json()["error"]
        assert field in error["details"]
    assert client.db.cooperatives.count_documents({}) == 0


def test_an_artisan_belongs_to_a_registered_cooperative_and_private_fields_are_for_admins(client):
    client.cooperative("KBSS")
    admin, secretary = client.admin(), client.secretary("KBSS")
    body = {"name": "Sita", "district": "Varanasi", "craft": "zari", "registration_id": "R-1", "cooperative": "NOPE"}
    error = client.call("POST", "/artisans", admin, body, status=422).get_json()["error"]
    assert error["code"] == "unknown_cooperative"
    hindi = client.call("POST", "/artisans", {**admin, "Accept-Language": "hi"}, body, status=422).get_json()["error"]
    assert "पंजीकृत नहीं" in hindi["message"]
    made = client.call("POST", "/artisans", admin, {**body, "cooperative": "KBSS", "social_category": "sc",
                                                     "gender": "female", "bpl": True}, status=201).get_json()
    assert (made["social_category"], made["gender"], made["bpl"]) == ("sc", "female", True)
    [event] = client.db.artisans.find_one({"_id": made["artisan_id"]})["outbox"]
    assert (event["payload"]["social_category"], event["payload"]["bpl"]) == ("sc", True)
    for who in (secretary, client.artisan(made["artisan_id"])):
        seen = client.call("GET", f"/artisans/{made['artisan_id']}", who, status=200).get_json()
        assert not {"social_category", "gender", "bpl"} & set(seen)
    assert not {"social_category", "gender", "bpl"} & set(client.call("GET", "/artisans", secretary).get_json()[0])
    refused = client.call("PATCH", f"/artisans/{made['artisan_id']}", secretary, {"gender": "male"},
                          status=403).get_json()["error"]
    assert refused["code"] == "admin_only_fields"
    client.call("PATCH", f"/artisans/{made['artisan_id']}", admin, {"social_category": "caste"}, status=400)


def test_a_secretary_requests_for_three_members_each_counted_and_priced_for_their_own_share(coop):
    client = coop.client
    made = coop.request()
    assert (made["cooperative"], made["members"], made["status"]) == (COOP, list(MEMBERS), "submitted")
    assert [(line["sku"], line["quantity"]) for line in made["lines"]] == [(COTTON, "30")]
    assert [(s["artisan_id"], s["pricing"]["payable_total"], s["confirmation"]["status"]) for s in made["shares"]] == \
        [(member, SHARE, "awaited") for member in MEMBERS]
    assert made["pricing"]["payable_total"] == "6518.04" and made["pricing"]["subsidy_total"] == "1104.75"
    for member in MEMBERS:
        usage = client.call("GET", f"/quotas/usage?artisan_id={member}", coop.secretary, status=200).get_json()
        assert [(u["category"], u["used"], u["left"]) for u in usage] == [("yarn", "10", "20")]
        [entitlement] = [e for e in client.call("GET", f"/artisans/{member}/entitlements", coop.secretary).get_json()
                         if e["category"] == "cotton-hank-upto-40s"]
        assert (entitlement["used"], entitlement["left"]) == ("10", "20")
    [submitted] = coop.events(made["id"], "RequisitionSubmitted")
    assert submitted["cooperative"] == COOP and submitted["lines"] == [{"sku": COTTON, "quantity": "30"}]
    assert [(s["artisan_id"], s["lines"]) for s in submitted["shares"]] == \
        [(m, [{"sku": COTTON, "quantity": "10"}]) for m in MEMBERS]
    mine = client.get(made["id"], client.artisan("ART-2"))
    assert [s["artisan_id"] for s in mine["shares"]] == ["ART-2"] and mine["pricing"]["payable_total"] == SHARE
    # the list shows a member the same: their own share only, not the others' lines, prices and confirmations
    listed = client.call("GET", "/requisitions", client.artisan("ART-3")).get_json()
    [listed] = [row for row in listed if row["id"] == made["id"]]
    assert [s["artisan_id"] for s in listed["shares"]] == ["ART-3"] and listed["members"] == ["ART-3"]
    assert listed["pricing"]["payable_total"] == SHARE and listed["artisan_id"] == "ART-3"


def test_one_member_over_their_cap_refuses_the_whole_request_naming_them_and_counts_nothing(coop):
    client = coop.client
    client.call("POST", "/quotas", client.admin(), {"category": "yarn", "limit": "5", "artisan_id": "ART-2"},
                status=200)
    error = coop.request(status=422)["error"]
    assert error["code"] == "quota_exceeded" and error["details"]["artisan_id"] == "ART-2"
    assert error["message"].startswith("Artisan ART-2's monthly yarn quota is 5 kg; 0 kg is already used")
    assert error["message"].endswith("Lower their quantities to at most what is left, or leave them out of this "
                                     "request, then send again.")  # said to the secretary, not to the member
    assert [found["artisan_id"] for found in error["details"]["members"]] == ["ART-2"]
    hindi = client.call("POST", "/requisitions", {**coop.secretary, "Accept-Language": "hi"}, {
        "depot": "VNS", "cooperative": COOP, "lines": [{"sku": COTTON, "quantity": "10", "artisan_id": "ART-2"}]},
        status=422).get_json()["error"]
    assert hindi["message"].startswith("Artisan ART-2 का मासिक धागा कोटा 5 किलो है")
    for member in MEMBERS:
        assert not any((client.db.usage.find_one({"artisan_id": member}) or {}).get("used", {}).values())
        assert not any((client.db.entitlements.find_one({"artisan_id": member}) or {}).get("used", {}).values())
    assert client.db.requisitions.count_documents({}) == 0


def test_a_secretary_acts_only_for_their_own_members(coop):
    client = coop.client
    body = {"depot": "VNS", "cooperative": COOP, "lines": [{"sku": COTTON, "quantity": "1", "artisan_id": "ART-9"}]}
    assert client.call("POST", "/requisitions", coop.secretary, body, status=404).get_json()["error"]["details"] == \
        {"artisan_id": "ART-9"}
    client.call("POST", "/requisitions", coop.secretary, {**body, "cooperative": OTHER}, status=404)
    client.call("POST", "/requisitions", client.artisan("ART-1"), {**body, "lines": [
        {"sku": COTTON, "quantity": "1", "artisan_id": "ART-1"}]}, status=403)
    client.call("POST", "/requisitions", client.secretary(OTHER), {**body, "lines": [
        {"sku": COTTON, "quantity": "1", "artisan_id": "ART-1"}]}, status=404)
    rid = coop.request()["id"]
    client.get(rid, client.secretary(OTHER), status=404)
    client.get(rid, client.artisan("ART-9"), status=404)
    client.act(rid, "cancel", client.artisan("ART-1"), status=403)  # the secretary moves it on, not a member
    assert client.db.requisitions.count_documents({}) == 1


@pytest.mark.parametrize("body,field", [
    ({"lines": [{"sku": COTTON, "quantity": "1"}]}, "lines"),
    ({"artisan_id": "ART-1"}, "artisan_id"),
    ({"lines": [{"sku": COTTON, "quantity": "1", "artisan_id": "ART-1"}] * 2}, "lines"),
    ({"cooperative": None}, "cooperative")])
def test_malformed_cooperative_requests_are_refused_in_both_languages(coop, body, field):
    full = {"depot": "VNS", "cooperative": COOP, "lines": [{"sku": COTTON, "quantity": "1", "artisan_id": "ART-1"}],
            **body}
    for lang in ("en", "hi"):
        error = coop.client.call("POST", "/requisitions", {**coop.secretary, "Accept-Language": lang}, full,
                                 status=400).get_json()["error"]
        assert field in error["details"], error
    assert coop.client.db.requisitions.count_documents({}) == 0
    line = {"sku": COTTON, "quantity": "1", "artisan_id": "ART-1"}
    coop.client.call("POST", "/requisitions", coop.client.artisan("ART-1"), {"depot": "VNS", "lines": [line]},
                     status=400)


def test_the_saga_moves_it_as_one_unit_and_dispatch_charges_each_member_their_share(coop):
    client, warehouse = coop.client, coop.client.token(**WAREHOUSE)
    rid = coop.request(note="for the Diwali orders")["id"]
    client.act(rid, "approve", client.admin())
    reserved(client.db, rid)
    client.call("POST", f"/requisitions/{rid}/payments", warehouse,
                {"amount": SHARE, "method": "upi", "reference": "UPI-2", "artisan_id": "ART-2"}, status=201)
    dispatched = client.act(rid, "dispatch", warehouse)
    assert dispatched["status"] == "dispatched" and dispatched["paid"] == SHARE
    for member in MEMBERS:
        account = client.call("GET", f"/artisans/{member}/account", client.admin()).get_json()
        charged = {e["type"]: e["amount"] for e in account["entries"]}
        assert (charged["charge"], charged["subsidy"]) == ("2540.93", "-368.25")
        assert account["balance_due"] == ("0.00" if member == "ART-2" else SHARE)
    [event] = coop.events(rid, "RequisitionDispatched")
    assert event["district"] == "Varanasi" and [s["lines"][0]["value"] for s in event["shares"]] == ["2455.00"] * 3
    month = client.db.requisitions.find_one({"_id": rid})["dispatch_month"]
    claim = client.call("GET", f"/reports/subsidy-claims?scheme=RMSS&month={month}", client.admin()).get_json()
    assert (claim["totals"]["beneficiaries"], claim["totals"]["subsidy"]) == (3, "1104.75")
    found = {"requests": reconcile.facts(client.db)}
    assert [p for check in reconcile.RECONCILIATION.checks for p in check(found["requests"])] == []


def test_a_cooperative_pays_for_its_members_at_once_share_by_share(coop):
    """POST /requisitions/{id}/payments {amount, method, reference}, as DESIGN.md names it, was refused on a
    cooperative's requisition until a member was named (400 artisan_id): the secretary who pays for all at the
    depot had to split it by hand. Named no member, it pays the shares in their order, each up to what is due on
    it; sent again, or again after a crash between two shares, it records none twice."""
    client, warehouse = coop.client, coop.client.token(**WAREHOUSE)
    rid = coop.request()["id"]
    client.act(rid, "approve", client.admin())
    reserved(client.db, rid)
    body = {"amount": "2272.68", "method": "cash", "reference": "SOC-7"}  # one share (2172.68) and 100 of the next
    doc = client.db.requisitions.find_one({"_id": rid})  # a process that died after the first member's part:
    accounts.pay(client.db, {**doc, "artisan_id": "ART-1", "pricing": doc["shares"][0]["pricing"]},
                 {"amount": 2172_68, "method": "cash", "reference": "SOC-7/ART-1"}, by="warehouse",
                 now=datetime.now(timezone.utc), of={"reference": "SOC-7", "amount": 2272_68})
    made = client.call("POST", f"/requisitions/{rid}/payments", warehouse, body, status=201).get_json()
    assert [(p["artisan_id"], p["amount"]) for p in made["parts"]] == [("ART-1", SHARE), ("ART-2", "100.00")]
    assert (made["amount"], made["reference"], made["paid"]) == ("2272.68", "SOC-7", "2272.68")
    entries = {m: len(client.db.accounts.find_one({"_id": m})["entries"]) for m in ("ART-1", "ART-2")}
    again = client.call("POST", f"/requisitions/{rid}/payments", warehouse, body, status=200).get_json()
    assert again["parts"] == made["parts"]
    assert {m: len(client.db.accounts.find_one({"_id": m})["entries"]) for m in entries} == entries
    shown = client.get(rid, client.admin())
    assert shown["paid"] == "2272.68" and {p["reference"] for p in shown["payments"]} == {"SOC-7/ART-1", "SOC-7/ART-2"}
    from shared.auth import COOKIE
    clerk = client.app.test_client()  # the page's payment form: who is paid in full says so, not "still to pay ₹0.00"
    clerk.set_cookie(COOKIE, warehouse["Authorization"].split()[1])
    form = clerk.get(f"/my/requisitions/{rid}").get_data(as_text=True)
    assert re.search(r'<option value="ART-1">[^<]*paid in full</option>', form), form
    assert re.search(r'<option value="ART-2">[^<]*still to pay ₹2,072.68</option>', form)
    assert re.search(r'<option value="">The cooperative for all: [^<]* · still to pay ₹4,245.36<', form)

    before = {doc["_id"]: doc for doc in client.db.accounts.find()}
    reused = client.call("POST", f"/requisitions/{rid}/payments", warehouse, {**body, "amount": "2500.00"},
                         status=409).get_json()  # the same reference for another amount is not this payment
    assert reused["error"]["code"] == "payment_reference_reused"
    too_much = client.call("POST", f"/requisitions/{rid}/payments", {**warehouse, "Accept-Language": "hi"},
                           {"amount": "5000.00", "method": "upi", "reference": "SOC-8"}, status=422).get_json()
    assert too_much["error"]["code"] == "payment_above_due" and too_much["error"]["details"]["due"] == "4245.36"
    assert "एक सदस्य" in too_much["error"]["message"]  # an advance is one member's: choose them
    advance = client.call("POST", f"/requisitions/{rid}/payments", warehouse,
                          {"amount": "10.00", "method": "advance", "reference": "SOC-9"}, status=400).get_json()
    assert "names the member" in advance["error"]["details"]["artisan_id"][0]
    assert {doc["_id"]: doc for doc in client.db.accounts.find()} == before


def test_a_cooperative_payment_for_all_sent_again_after_a_part_was_reversed_is_refused(coop):
    """The secretary's SOC-7 for all paid ART-1's share and part of ART-2's; an admin reversed ART-2's part. Sent
    again as it was, it answered 200 with both parts as if recorded. Now 409 payment_reference_reversed naming the
    member, the day and who reversed it, in both languages; nothing is recorded."""
    client, warehouse = coop.client, coop.client.token(**WAREHOUSE)
    rid = coop.request()["id"]
    client.act(rid, "approve", client.admin())
    reserved(client.db, rid)
    body = {"amount": "2272.68", "method": "cash", "reference": "SOC-7"}
    made = client.call("POST", f"/requisitions/{rid}/payments", warehouse, body, status=201).get_json()
    part = made["parts"][1]
    client.call("POST", f"/requisitions/{rid}/payments/{part['payment_id']}/reversal", client.admin(),
                {"reason": "counted twice", "artisan_id": "ART-2"}, status=201)
    before = {doc["_id"]: doc for doc in client.db.accounts.find()}
    refused = client.call("POST", f"/requisitions/{rid}/payments", warehouse, body, status=409).get_json()["error"]
    today = accounts.day_of(datetime.now(timezone.utc))
    assert (refused["code"], refused["details"]) == ("payment_reference_reversed", {
        "reference": "SOC-7", "artisan_id": "ART-2", "reversed_on": today, "reversed_by": "asha-admin"})
    assert f"ART-2's part of payment reference SOC-7 was reversed on {today} by asha-admin" in refused["message"]
    hindi = client.call("POST", f"/requisitions/{rid}/payments", {**warehouse, "Accept-Language": "hi"}, body,
                        status=409).get_json()["error"]["message"]
    assert "ART-2" in hindi and today in hindi and any("\u0900" <= ch <= "\u097f" for ch in hindi)
    assert {doc["_id"]: doc for doc in client.db.accounts.find()} == before


@pytest.mark.parametrize("refused, code", [("ART-3", "credit_limit_exceeded"), ("ART-2", "advance_required")])
def test_a_dispatch_one_members_credit_refuses_charges_no_member(coop, refused, code):
    """The members before the refused one (in the order of the shares) were charged and the charge taken back: two
    account events and two writes on each of their accounts for a dispatch that never happened. Their credit is
    asked first now, so the refusal names the member and leaves every account as it was (found by the money machine,
    tests/integration/test_requests_money_stateful.py)."""
    client = coop.client
    terms = {"credit_limit": "0", "credit_days": 0} if code == "credit_limit_exceeded" else \
        {"credit_limit": "5000", "credit_days": 30, "advance_percent": "50"}
    client.call("PUT", "/credit-terms", client.admin(), {"artisan_id": refused, **terms}, status=200)
    rid = coop.request()["id"]
    client.act(rid, "approve", client.admin())
    reserved(client.db, rid)
    before = {member: client.db.accounts.find_one({"_id": member}) for member in MEMBERS}
    error = client.act(rid, "dispatch", client.token(**WAREHOUSE), status=422)["error"]
    assert (error["code"], error["details"]["artisan_id"]) == (code, refused)
    assert {member: client.db.accounts.find_one({"_id": member}) for member in MEMBERS} == before
    assert client.get(rid, client.admin())["status"] == "reserved"
    client.call("PUT", "/credit-terms", client.admin(), {"artisan_id": refused, "credit_limit": "5000",
                                                           "credit_days": 30}, status=200)
    assert client.act(rid, "dispatch", client.token(**WAREHOUSE))["status"] == "dispatched"
    for member in MEMBERS:
        account = client.call("GET", f"/artisans/{member}/account", client.admin()).get_json()
        assert (account["balance_due"], sorted(e["type"] for e in account["entries"])) == (SHARE, ["charge", "subsidy"])
    assert [p for check in reconcile.RECONCILIATION.checks for p in check(reconcile.facts(client.db))] == []


def test_cancelling_gives_every_member_their_quota_back(coop):
    client = coop.client
    rid = coop.request()["id"]
    client.act(rid, "cancel", coop.secretary)
    for member in MEMBERS:
        usage = client.call("GET", f"/quotas/usage?artisan_id={member}", coop.secretary).get_json()
        assert usage[0]["used"] == "0"
    assert coop.events(rid, "RequisitionCancelled")[0]["shares"][0]["artisan_id"] == "ART-1"


def test_a_cancel_tells_each_member_what_stays_paid_on_their_own_share(coop):
    """Each member's account keeps what is paid on their share, and stays their credit: the cancel's event says each
    member's in their share (`paid`), and all of it in `paid`, so the notifier tells each member their own."""
    client, warehouse = coop.client, coop.client.token(**WAREHOUSE)
    rid = coop.request()["id"]
    client.act(rid, "approve", client.admin())
    reserved(client.db, rid)
    made = client.call("POST", f"/requisitions/{rid}/payments", warehouse,  # ART-1's share and 100.00 of ART-2's
                       {"amount": "2272.68", "method": "cash", "reference": "SOC-7"}, status=201).get_json()
    client.call("POST", f"/requisitions/{rid}/payments/{made['parts'][1]['payment_id']}/reversal", client.admin(),
                {"reason": "counted twice", "artisan_id": "ART-2"}, status=201)
    client.call("POST", f"/requisitions/{rid}/payments", warehouse,
                {"amount": "50.00", "method": "advance", "reference": "ADV-3", "artisan_id": "ART-3"}, status=201)
    client.act(rid, "cancel", coop.secretary)
    [event] = coop.events(rid, "RequisitionCancelled")
    assert [(share["artisan_id"], share["paid"]) for share in event["shares"]] == \
        [("ART-1", SHARE), ("ART-2", "0.00"), ("ART-3", "50.00")]
    assert event["paid"] == "2222.68" == client.get(rid, client.admin())["paid"]


def test_an_estimate_for_members_prices_each_share(coop):
    body = {"depot": "VNS", "cooperative": COOP, "lines": [{"sku": COTTON, "quantity": "10", "artisan_id": "ART-1"},
                                                          {"sku": SILK, "quantity": "1", "artisan_id": "ART-2"}]}
    found = coop.client.call("POST", "/requisitions/estimate", coop.secretary, body, status=200).get_json()
    assert [(line["artisan_id"], line["sku"]) for line in found["pricing"]["lines"]] == \
        [("ART-1", COTTON), ("ART-2", SILK)]
    assert {row["artisan_id"] for row in found["entitlements"]} == {"ART-1", "ART-2"}
    assert coop.client.db.requisitions.count_documents({}) == 0


def test_a_members_passbook_shows_their_share_its_price_confirmation_and_dues(coop):
    client = coop.client
    rid = coop.received()["id"]
    client.call("POST", f"/requisitions/{rid}/confirmations", client.artisan("ART-3"),
                {"artisan_id": "ART-3", "quantity": "8"}, status=201)
    book = client.call("GET", "/artisans/ART-3/passbook", client.artisan("ART-3"), status=200).get_json()
    assert (book["artisan"]["looms"], book["cooperative"]["code"]) == (1, COOP)
    [cotton] = [e for e in book["entitlements"] if e["category"] == "cotton-hank-upto-40s"]
    assert (cotton["cap"], cotton["used"], cotton["left"]) == ("30", "10", "20")
    [entry] = book["requisitions"]
    assert (entry["id"], entry["status"], entry["cooperative"]) == (rid, "received", COOP)
    assert [(line["sku"], line["quantity"]) for line in entry["lines"]] == [(COTTON, "10")]
    assert (entry["pricing"]["payable_total"], entry["confirmation"]["status"]) == (SHARE, "short")
    assert (book["account"]["balance_due"], book["account"]["open_dues"][0]["amount"]) == (SHARE, SHARE)
    assert client.call("GET", "/artisans/ART-3/passbook", coop.secretary, status=200).get_json()["requisitions"]
    client.call("GET", "/artisans/ART-3/passbook", client.artisan("ART-9"), status=404)
    client.call("GET", "/artisans/ART-3/passbook", client.secretary(OTHER), status=404)
    error = client.call("GET", "/artisans/ART-3/passbook?month=2026-13", coop.secretary, status=400).get_json()
    assert "month" in error["error"]["details"]


def test_a_secretarys_looms_wait_for_an_admin_and_keep_the_private_fields_in_every_event(client):
    """Both admin-only rules on one update path: what a secretary cannot see is never lost by their edit."""
    client.cooperative("KBSS")
    admin, secretary = client.admin(), client.secretary("KBSS")
    body = {"name": "Sita", "district": "Varanasi", "craft": "zari", "registration_id": "R-1", "cooperative": "KBSS",
            "looms": 2, "social_category": "st", "gender": "female", "bpl": True}
    artisan_id = client.call("POST", "/artisans", admin, body, status=201).get_json()["artisan_id"]
    refused = client.call("PATCH", f"/artisans/{artisan_id}", secretary, {"looms": 9, "bpl": False},
                          status=403).get_json()["error"]
    assert refused["code"] == "admin_only_fields"
    asked = client.call("PATCH", f"/artisans/{artisan_id}", secretary, {"looms": 9, "craft": "jamdani"},
                        status=200).get_json()
    assert (asked["looms"], asked["looms_change"]["looms"], asked["craft"]) == (2, 9, "jamdani")
    assert not {"social_category", "gender", "bpl"} & set(asked)
    approved = client.call("POST", f"/artisans/{artisan_id}/looms/approve", admin, status=200).get_json()
    assert (approved["looms"], approved["social_category"], approved["gender"], approved["bpl"]) == \
        (9, "st", "female", True)
    events = client.db.artisans.find_one({"_id": artisan_id})["outbox"]
    assert [(e["payload"]["looms"], e["payload"]["social_category"], e["payload"]["bpl"]) for e in events] == \
        [(2, "st", True), (2, "st", True), (9, "st", True)]


def test_the_approval_tells_each_member_what_their_own_share_costs(coop):
    client = coop.client
    rid = coop.request(quantities=("12", "10", "8"))["id"]
    client.act(rid, "approve", client.admin())
    [event] = coop.events(rid, "RequisitionApproved")
    shown = client.call("GET", f"/requisitions/{rid}", client.admin()).get_json()
    priced = {share["artisan_id"]: share["pricing"]["payable_total"] for share in shown["shares"]}
    assert {share["artisan_id"]: share["payable_total"] for share in event["shares"]} == priced
    assert len(set(priced.values())) == 3 and event["payable_total"] == shown["pricing"]["payable_total"]


def test_credit_terms_for_a_cooperative_no_one_registered_are_refused_and_nothing_is_kept(client):
    admin = client.admin()
    client.cooperative("KBSS")
    for lang in ("en", "hi"):
        error = client.call("PUT", "/credit-terms", {**admin, "Accept-Language": lang},
                            {"cooperative": "KBSS-TYPO", "credit_limit": "5000", "credit_days": 30},
                            status=422).get_json()["error"]
        assert error["code"] == "unknown_cooperative" and "KBSS-TYPO" in error["message"]
    assert [t["cooperative"] for t in client.call("GET", "/credit-terms", admin, status=200).get_json()] == []
    client.call("PUT", "/credit-terms", admin, {"cooperative": "KBSS", "credit_limit": "5000", "credit_days": 30},
                status=200)


def test_a_member_is_not_told_to_press_a_button_only_the_secretary_has(coop):
    """A member's page of their cooperative's request says what happens next for them: the secretary collects it
    and marks it received, then the member confirms their share."""
    from shared.auth import COOKIE
    from shared.i18n import LANG_COOKIE
    client = coop.client
    rid = coop.request()["id"]
    client.act(rid, "approve", client.admin())
    reserved(client.db, rid)
    client.act(rid, "dispatch", client.token(**WAREHOUSE))
    member = client.app.test_client()
    member.set_cookie(COOKIE, client.artisan("ART-2")["Authorization"].split()[1])
    member.set_cookie(LANG_COOKIE, "en")
    page = member.get(f"/my/requisitions/{rid}").get_data(as_text=True)
    assert "I have received it" not in page and "Press “I have received it”" not in page
    assert "The depot has handed the material to your cooperative. Once the secretary marks it received, you are " \
           "asked to confirm your share." in page
    member.set_cookie(LANG_COOKIE, "hi")
    hindi = member.get(f"/my/requisitions/{rid}").get_data(as_text=True)
    assert "सचिव के इसे प्राप्त चिह्नित करने पर आपसे अपना हिस्सा पुष्ट करने" in hindi
    secretary = client.app.test_client()
    secretary.set_cookie(COOKIE, coop.secretary["Authorization"].split()[1])
    secretary.set_cookie(LANG_COOKIE, "en")
    page = secretary.get(f"/my/requisitions/{rid}").get_data(as_text=True)
    assert "Press “I have received it” once you have it." in page  # the secretary has the button
    admin = client.app.test_client()  # an admin marks it for them: the button does not speak as the admin
    admin.set_cookie(COOKIE, client.admin()["Authorization"].split()[1])
    for lang, button, not_theirs in (("en", "Mark as received", "I have received it"),
                                     ("hi", "प्राप्त चिह्नित करें", "मुझे मिल गया")):
        admin.set_cookie(LANG_COOKIE, lang)
        page = admin.get(f"/my/requisitions/{rid}").get_data(as_text=True)
        assert button in page and not_theirs not in page
    client.act(rid, "receive", coop.secretary)
    member.set_cookie(LANG_COOKIE, "en")
    page = member.get(f"/my/requisitions/{rid}").get_data(as_text=True)
    assert "Done. You received this material." not in page
    assert "Your cooperative's secretary marked it received." in page


def test_the_secretary_of_an_inactive_cooperative_asks_for_no_member(coop):
    """Deactivating a cooperative stops its secretary asking for members, one at a time as much as all together;
    members still ask for themselves."""
    client = coop.client
    client.call("PATCH", f"/cooperatives/{COOP}", client.admin(), {"active": False}, status=200)
    error = coop.request(status=422)["error"]
    assert error["code"] == "cooperative_inactive"
    for path in ("/requisitions", "/requisitions/estimate"):
        alone = client.call("POST", path, coop.secretary, {"depot": "VNS", "artisan_id": "ART-1",
                                                            "lines": [{"sku": COTTON, "quantity": "1"}]}, status=422)
        assert alone.get_json()["error"]["code"] == "cooperative_inactive"
        assert "reactivate" in alone.get_json()["error"]["message"]
    assert client.db.requisitions.count_documents({}) == 0
    assert client.db.usage.count_documents({"used.yarn": {"$gt": 0}}) == 0
    client.submit(client.artisan("ART-1"), [(COTTON, "1")])
    client.call("PATCH", f"/cooperatives/{COOP}", client.admin(), {"active": True}, status=200)
    client.submit(coop.secretary, [(COTTON, "1")], artisan_id="ART-1")


def test_a_member_who_moves_to_another_cooperative_takes_their_requests_to_its_secretary(coop):
    """The old cooperative's secretary no longer sees or cancels the requests of someone who is not their member;
    the new one acts for them; a request the old cooperative made for its members stays the old one's."""
    client = coop.client
    own = client.submit(client.artisan("ART-1"), [(COTTON, "1")])["id"]
    together = coop.request()["id"]
    client.call("PATCH", "/artisans/ART-1", client.admin(), {"cooperative": OTHER}, status=200)
    old, new = coop.secretary, client.secretary(OTHER)
    client.get(own, old, status=404)
    client.act(own, "cancel", old, status=404)
    assert own not in {r["id"] for r in client.call("GET", "/requisitions", old, status=200).get_json()}
    assert client.get(together, old)["cooperative"] == COOP
    assert {r["id"] for r in client.call("GET", "/requisitions", new, status=200).get_json()} == {own}
    client.get(together, new, status=404)
    assert client.act(own, "cancel", new)["status"] == "cancelled"


def exported(client, who) -> list[dict]:
    """The requisitions CSV as a spreadsheet reads it (a BOM, if any, is not part of the first column's name)."""
    answer = client.call("GET", "/requisitions?format=csv", who, status=200)
    return list(csv.DictReader(io.StringIO(answer.get_data().decode("utf-8-sig"))))


def test_the_requisitions_csv_gives_each_member_a_row_for_each_line_of_their_own_share(coop):
    """A secretary's request (6 kg of cotton for each of three members, and half a kg of silk for the first) came out as
    one row per material under the first member with every member's quantity and money: a sum by artisan credited
    ART-1 with all 18 kg. Each member's share line is a row of its own now, under the cooperative, so sums by artisan
    and by requisition are both right; a member still gets only their own."""
    client = coop.client
    rid = coop.with_silk()
    doc = client.db.requisitions.find_one({"_id": rid})

    def rupees(paise: int) -> str:
        return f"{paise // 100}.{paise % 100:02d}"

    owed = {(share["artisan_id"], line["sku"]): rupees(line["amount"])
            for share in doc["shares"] for line in share["pricing"]["lines"]}
    expected = [("ART-1", "Artisan ART-1", COTTON, "6"), ("ART-1", "Artisan ART-1", SILK, "0.5"),
                ("ART-2", "Artisan ART-2", COTTON, "6"), ("ART-3", "Artisan ART-3", COTTON, "6")]
    for who in (client.admin(), coop.secretary):
        rows = [row for row in exported(client, who) if row["requisition_id"] == rid]
        assert [(r["artisan_id"], r["artisan_name"], r["sku"], r["quantity"]) for r in rows] == expected
        assert {r["cooperative"] for r in rows} == {COOP}
        assert [r["amount_rupees"] for r in rows] == [owed[(r["artisan_id"], r["sku"])] for r in rows]
        whole = {line["sku"]: 0 for line in doc["pricing"]["lines"]}
        for line in doc["pricing"]["lines"]:
            whole[line["sku"]] += line["amount"]
        for sku, paise in whole.items():  # the rows of a material add up to the requisition's
            assert sum(Decimal(r["amount_rupees"]) for r in rows if r["sku"] == sku) == Decimal(rupees(paise))
    for member in MEMBERS:
        mine = [row for row in exported(client, client.artisan(member)) if row["requisition_id"] == rid]
        assert [(r["artisan_id"], r["sku"], r["quantity"], r["amount_rupees"]) for r in mine] == \
            [(a, sku, q, owed[(a, sku)]) for a, _, sku, q in expected if a == member]


def test_a_cooperative_code_in_other_capital_letters_or_spacing_is_refused_as_the_same_code(client, monkeypatch):
    """"kbss" beside "KBSS" was a second cooperative nobody could tell from the first: now 409 already_exists naming
    the code there is (one stored before codes kept their key included), in both languages, nothing added; two
    registered at once are kept apart by the unique key; a new code is stored without the spaces around it."""
    admin = client.admin()
    body = {"code": "KBSS", "name": "Kabir Bunkar Sahkari Samiti", "name_hi": "कबीर बुनकर सहकारी समिति",
            "kind": "shg", "district": "Bhadohi"}
    client.call("POST", "/cooperatives", admin, body, status=201)
    taken = client.call("POST", "/cooperatives", admin, {**body, "code": "kbss"}, status=409).get_json()["error"]
    assert (taken["code"], taken["details"]) == ("already_exists", {"code": "kbss", "existing": "KBSS"})
    assert taken["message"].startswith("The code KBSS already exists; a code in other capital or small letters")
    hindi = client.call("POST", "/cooperatives", admin, {**body, "code": " Kbss "}, headers={"Accept-Language": "hi"},
                        status=409).get_json()["error"]
    assert hindi["details"] == {"code": "Kbss", "existing": "KBSS"} and "कोड KBSS पहले से है" in hindi["message"]
    client.db.cooperatives.insert_one({**body, "_id": "Old-Coop", "code": "Old-Coop", "version": 1})  # no key
    old = client.call("POST", "/cooperatives", admin, {**body, "code": "OLD-COOP"}, status=409).get_json()["error"]
    assert old["details"]["existing"] == "Old-Coop"
    assert sorted(d["_id"] for d in client.db.cooperatives.find({}, {"_id": 1})) == ["KBSS", "Old-Coop"]
    made = client.call("POST", "/cooperatives", admin, {**body, "code": " SMBSS\n"}, status=201).get_json()
    assert made["code"] == "SMBSS" and "code_key" not in made
    assert "code_key" not in client.call("GET", "/cooperatives/SMBSS", admin, status=200).get_json()
    monkeypatch.setattr(cooperatives.codes, "taken", lambda collection, code: None)  # both looked before either wrote
    assert client.call("POST", "/cooperatives", admin, {**body, "code": "smbss"},
                       status=409).get_json()["error"]["code"] == "already_exists"
    assert client.db.cooperatives.find_one({"_id": "smbss"}) is None


def test_starting_over_old_data_holding_twin_cooperatives_works_and_refuses_a_third(config, token, tmp_path,
                                                                                    monkeypatch):
    """Cooperatives registered before codes kept their key may be twins (KBSS and kbss): the unique key covers only
    codes registered since, so the service still starts on such data; both stay, and a third is refused."""
    from services.requests import spec
    from shared.runtime import Runtime
    from tests.integration.test_requests_support import Client
    from services.requests import create_app
    monkeypatch.delenv("MONGO_URI", raising=False)
    on_disk = config.with_(data_dir=str(tmp_path))
    first = Runtime(spec(), on_disk)
    first.db.cooperatives.insert_many([{"_id": code, "code": code, "name": "Kabir", "name_hi": "कबीर", "kind": "shg",
                                        "district": "Bhadohi", "active": True, "version": 1}
                                       for code in ("KBSS", "kbss")])  # as an older rawbank stored them
    first.close()
    app = create_app(on_disk)  # start-up: the indexes are made again over the twins
    try:
        client = Client(app, token)
        admin = client.admin()
        assert [c["code"] for c in client.call("GET", "/cooperatives", admin, status=200).get_json()] == \
            ["KBSS", "kbss"]
        third = client.call("POST", "/cooperatives", admin, {"code": "Kbss", "name": "K", "name_hi": "क",
                                                             "kind": "shg", "district": "B"}, status=409).get_json()
        assert third["error"]["details"]["existing"] in ("KBSS", "kbss")
    finally:
        app.extensions["rawbank"].close()


def test_a_cooperative_saved_unchanged_keeps_its_version_and_emits_no_event(client):
    """The cooperative page sends every field back: a save with nothing changed bumped the version and put one more
    CooperativeUpdated in the outbox each time (the event log filled with updates that change nothing). Now it is
    answered with the cooperative as it is; a real change still makes one event and one version more."""
    admin = client.admin()
    body = {"code": "KBSS", "name": "Kabir Bunkar Sahkari Samiti", "name_hi": "कबीर बुनकर सहकारी समिति",
            "kind": "shg", "district": "Bhadohi", "credit_limit": "2500"}
    client.call("POST", "/cooperatives", admin, body, status=201)

    def outbox():
        return [e["type"] for e in client.db.cooperatives.find_one({"_id": "KBSS"})["outbox"]]

    def version():
        return client.db.cooperatives.find_one({"_id": "KBSS"})["version"]
    assert outbox() == ["CooperativeRegistered"]
    as_it_is = {k: v for k, v in body.items() if k != "code"}
    for same in (as_it_is, {"name": body["name"]}, {"active": True, "registration_no": None}):
        again = client.call("PATCH", "/cooperatives/KBSS", admin, same, status=200).get_json()
        assert (again["name"], again["credit_limit"]) == (body["name"], "2500.00")
        assert (version(), outbox()) == (1, ["CooperativeRegistered"]), same
    changed = client.call("PATCH", "/cooperatives/KBSS", admin, {**as_it_is, "district": "Mirzapur"},
                          status=200).get_json()
    assert (changed["district"], version()) == ("Mirzapur", 2)
    assert outbox() == ["CooperativeRegistered", "CooperativeUpdated"]
    assert client.db.cooperatives.find_one({"_id": "KBSS"})["outbox"][-1]["payload"]["district"] == "Mirzapur"
    client.call("PATCH", "/cooperatives/NONE", admin, {"name": "Nobody"}, status=404)
