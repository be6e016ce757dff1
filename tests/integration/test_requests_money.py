"""Money through the requests API: the issue's scenario, estimates, locked prices, payments and credit."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from services.requests import accounts, entitlements, monthly
from shared.calendar import add_days, day_of, month_of
from tests.integration.test_requests_money_support import (COTTON, DYE, RMSS, SILK, inventory_says, pay,
                                                           priced_catalog, ready, reserved, scheme)
from tests.integration.test_requests_support import client, price_payload  # noqa: F401  (fixture)

WAREHOUSE = {"role": "warehouse", "depot": "VNS"}


def lines_of(pricing):
    return {line["sku"]: line for line in pricing["lines"]}


def test_seventy_kg_with_ten_already_subsidised_splits_fifty_at_the_scheme_price_and_twenty_at_full(client):
    """The issue's 'Done when', through the API: estimate, approve, pay by UPI, dispatch, account, claim."""
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=2)
    me, admin, warehouse = client.artisan("ART-1"), client.admin(), client.token(**WAREHOUSE)
    first = ready(client, me, [(COTTON, "10")])
    pay(client, first, "2172.68")  # 10 kg: 2455.00 - 368.25 + 36.83 (36.825 half up) + 49.10
    client.act(first, "dispatch", warehouse)

    body = {"depot": "VNS", "lines": [{"sku": COTTON, "quantity": "70"}]}
    estimate = client.call("POST", "/requisitions/estimate", me, body, status=200).get_json()
    month = estimate["entitlements"][0]["month"]
    assert estimate["entitlements"] == [
        {"category": "cotton-hank-upto-40s", "month": month, "cap": "60", "used": "10", "left": "50", "unit": "kg",
         "this_request": "50", "left_after": "0", "scheme": "RMSS"},
        {"category": "silk-domestic", "month": month, "cap": "8", "used": "0", "left": "8", "unit": "kg",
         "this_request": "0", "left_after": "8", "scheme": "RMSS"}]
    line = lines_of(estimate["pricing"])[COTTON]
    assert (line["quantity"], line["subsidised_quantity"], line["unit_price"], line["scheme_unit_price"]) == \
        ("70", "50", "245.50", "208.67")
    assert (line["subsidised_value"], line["full_value"], line["value"]) == ("12275.00", "4910.00", "17185.00")
    assert (line["subsidy"], line["freight"], line["depot_charge"], line["amount"]) == \
        ("1841.25", "257.78", "343.70", "15945.23")  # 1.5% of 17,185.00 is 257.775: half up
    assert (estimate["pricing"]["payable_total"], estimate["pricing"]["scheme"]) == ("15945.23", "RMSS")

    rid = client.submit(me, [(COTTON, "70")])["id"]
    approved = client.act(rid, "approve", admin)
    assert approved["pricing"]["payable_total"] == "15945.23" and not approved["pricing"]["locked"]
    [event] = [e for e in client.db.requisitions.find_one({"_id": rid})["outbox"] if e["type"] == "RequisitionApproved"]
    assert (event["payload"]["payable_total"], event["payload"]["subsidy_total"]) == ("15945.23", "1841.25")
    reserved(client.db, rid)
    paid = pay(client, rid, "15945.23", method="upi", reference="UPI-412345678901")
    assert (paid["paid"], paid["balance_due"]) == ("15945.23", "-15945.23")
    dispatched = client.act(rid, "dispatch", warehouse)
    assert dispatched["status"] == "dispatched" and dispatched["paid"] == "15945.23"

    account = client.call("GET", "/artisans/ART-1/account", me, status=200).get_json()
    assert (account["balance_due"], account["overdue"], account["open_dues"]) == ("0.00", "0.00", [])
    assert sorted((e["type"], e["amount"]) for e in account["entries"] if e.get("requisition_id") == rid) == \
        [("charge", "17786.48"), ("payment", "-15945.23"), ("subsidy", "-1841.25")]
    month = month_of(datetime.now(timezone.utc))
    claim = client.call("GET", f"/reports/subsidy-claims?scheme=RMSS&month={month}", admin, status=200).get_json()
    assert claim["rows"] == [{"district": "Varanasi", "beneficiaries": 1, "quantities": {"cotton-hank-upto-40s": "60"},
                              "units": {"cotton-hank-upto-40s": "kg"}, "value": "14730.00", "subsidy": "2209.50"}]
    assert claim["totals"]["subsidy"] == "2209.50"


def test_an_estimate_gives_each_entitlement_its_unit_and_leaves_out_one_no_material_counts_against(client):
    """Wool has a cap in the scheme but no material yet: its figures would have no unit to be read in."""
    priced_catalog(client.db)
    scheme(client, caps=[*RMSS["caps"], {"category": "wool-below-10s-nm", "per_loom_per_month": "50"}])
    client.register("ART-1", looms=1)
    me, body = client.artisan("ART-1"), {"depot": "VNS", "lines": [{"sku": COTTON, "quantity": "5"}]}
    rows = client.call("POST", "/requisitions/estimate", me, body, status=200).get_json()["entitlements"]
    assert [(r["category"], r["cap"], r["unit"]) for r in rows] == [("cotton-hank-upto-40s", "30", "kg"),
                                                                     ("silk-domestic", "4", "kg")]
    rows = client.call("GET", "/artisans/ART-1/entitlements", me, status=200).get_json()
    assert [(r["category"], r["cap"], r["unit"]) for r in rows] == [
        ("cotton-hank-upto-40s", "30", "kg"), ("silk-domestic", "4", "kg"), ("wool-below-10s-nm", "50", None)]
    inventory_says(client.db, "MaterialRegistered", "WOL-9", {"sku": "WOL-9", "name": "wool", "name_hi": "ऊन",
                                                              "unit": "kg", "category": "fibre", "reorder_level": 0,
                                                              "entitlement_class": "wool-below-10s-nm"})
    rows = client.call("POST", "/requisitions/estimate", me, body, status=200).get_json()["entitlements"]
    assert ("wool-below-10s-nm", "50", "kg") in [(r["category"], r["cap"], r["unit"]) for r in rows]


def test_an_artisan_who_names_another_artisan_in_an_estimate_is_estimated_as_themselves(client):
    """An artisan may estimate only for themselves: another's number in the body is never read, so the answer is the
    caller's own entitlement (two looms: 60 kg, 10 taken), never the other's (one loom: 30 kg, none taken)."""
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=2)
    client.register("ART-2", looms=1)
    me = client.artisan("ART-1")
    dispatched = ready(client, me, [(COTTON, "10")])
    pay(client, dispatched, "2172.68")
    client.act(dispatched, "dispatch", client.token(**WAREHOUSE))
    body = {"artisan_id": "ART-2", "depot": "VNS", "lines": [{"sku": COTTON, "quantity": "5"}]}
    found = client.call("POST", "/requisitions/estimate", me, body, status=200).get_json()
    own = client.call("POST", "/requisitions/estimate", me, {**body, "artisan_id": "ART-1"}, status=200).get_json()
    cotton = next(r for r in found["entitlements"] if r["category"] == "cotton-hank-upto-40s")
    assert (cotton["cap"], cotton["used"], cotton["left"], cotton["this_request"]) == ("60", "10", "50", "5")
    assert (found["entitlements"], found["quotas"], found["pricing"]["payable_total"]) == \
        (own["entitlements"], own["quotas"], own["pricing"]["payable_total"])


def test_the_price_is_locked_when_stock_is_reserved(client):
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=1)
    rid = client.submit(client.artisan("ART-1"), [(DYE, "2")])["id"]
    assert client.get(rid, client.admin())["pricing"]["payable_total"] == "5796.00"  # 5600 + 1.5% + 2%
    inventory_says(client.db, "MaterialPriced", DYE, {"sku": DYE, "price": 3_00_000, "effective_from": "2021-01-01",
                                                      "set_at": "2021-01-01T00:00:00.000Z", "by": "admin"})
    client.act(rid, "approve", client.admin())
    assert client.get(rid, client.admin())["pricing"]["payable_total"] == "6210.00"  # approval prices it again
    reserved(client.db, rid)
    locked = client.get(rid, client.admin())["pricing"]
    assert locked["locked"] and locked["payable_total"] == "6210.00"
    inventory_says(client.db, "MaterialPriced", DYE, {"sku": DYE, "price": 1_00_000, "effective_from": "2022-01-01",
                                                      "set_at": "2022-01-01T00:00:00.000Z", "by": "admin"})
    pay(client, rid, "6210.00")
    assert client.act(rid, "dispatch", client.token(**WAREHOUSE))["pricing"]["payable_total"] == "6210.00"


def test_a_line_above_the_entitlement_is_never_refused_for_that_and_other_schemes_lines_go_on(client):
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=1)
    me = client.artisan("ART-1")
    first = client.submit(me, [(COTTON, "25"), (SILK, "5")])["pricing"]
    assert {s: (l["subsidised_quantity"], l["scheme"]) for s, l in lines_of(first).items()} == \
        {COTTON: ("25", "RMSS"), SILK: ("4", "RMSS")}
    second = lines_of(client.submit(me, [(COTTON, "25")])["pricing"])[COTTON]
    assert (second["subsidised_quantity"], second["subsidy"]) == ("5", "184.13")  # 5 kg x 245.50 x 15% = 184.125
    rows = client.call("GET", "/artisans/ART-1/entitlements", me, status=200).get_json()
    assert [(r["category"], r["cap"], r["used"], r["left"]) for r in rows] == [
        ("cotton-hank-upto-40s", "30", "30", "0"), ("silk-domestic", "4", "4", "0")]


def test_cancelling_gives_the_entitlement_back_and_reject_too(client):
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=1)
    me = client.artisan("ART-1")
    rid = client.submit(me, [(COTTON, "30")])["id"]
    client.act(rid, "cancel", me)
    rid = client.submit(me, [(COTTON, "20")])["id"]
    client.act(rid, "reject", client.admin(), reason="no stock this season")
    again = lines_of(client.submit(me, [(COTTON, "30")])["pricing"])[COTTON]
    assert again["subsidised_quantity"] == "30"



def test_an_artisan_who_moves_district_before_approval_keeps_the_subsidy_their_entitlement_paid_for(client):
    """Approval priced the request again with the schemes covering the artisan as they are now: one who moved out of
    the scheme's districts lost the subsidy, while the entitlement it took at submit stayed used up for the month."""
    from services.requests import reconcile, reconcile_money
    priced_catalog(client.db)
    scheme(client, covers={"crafts": [], "districts": ["Varanasi"]})
    client.register("ART-1", looms=1)
    rid = client.submit(client.artisan("ART-1"), [(COTTON, "10")])["id"]
    client.call("PATCH", "/artisans/ART-1", client.admin(), {"district": "Chandauli"}, status=200)
    approved = lines_of(client.act(rid, "approve", client.admin())["pricing"])[COTTON]
    assert (approved["subsidised_quantity"], approved["subsidy"], approved["scheme"]) == ("10", "368.25", "RMSS")
    rows = client.call("GET", "/artisans/ART-1/entitlements", client.admin(), status=200).get_json()
    assert rows == []  # in Chandauli now: no entitlement for a new request, and none given twice
    assert reconcile_money.entitlements_add_up(reconcile.facts(client.db)) == []

def test_an_entitlement_taken_by_a_submit_that_crashed_is_given_back(client):
    """A process that died between counting the entitlement and writing the requisition costs the artisan nothing."""
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=1)
    artisan = client.db.artisans.find_one({"_id": "ART-1"})
    now = datetime.now(timezone.utc)
    caps = entitlements.caps_for(client.db, artisan, day_of(now))
    taken = entitlements.take(client.db, artisan, month_of(now), "never-written",
                              [(COTTON, "cotton-hank-upto-40s", 30_000)], caps,
                              now - monthly.GRACE - timedelta(seconds=1))
    assert taken == {COTTON: 30_000}  # the whole month's 30 kg, counted
    again = lines_of(client.submit(client.artisan("ART-1"), [(COTTON, "30")])["pricing"])[COTTON]
    assert again["subsidised_quantity"] == "30"
    assert "never-written" not in client.db.entitlements.find_one({"artisan_id": "ART-1"})["entries"]


def test_no_scheme_covers_an_artisan_outside_its_crafts_and_nothing_is_subsidised(client):
    priced_catalog(client.db)
    scheme(client, covers={"crafts": ["weaving"], "districts": ["Varanasi"]})
    client.register("ART-1", looms=2)
    client.call("PATCH", "/artisans/ART-1", client.admin(), {"craft": "brass work"}, status=200)
    priced = client.submit(client.artisan("ART-1"), [(COTTON, "10")])["pricing"]
    assert (priced["scheme"], priced["subsidy_total"], priced["payable_total"]) == (None, "0.00", "2455.00")
    assert client.call("GET", "/artisans/ART-1/entitlements", client.admin(), status=200).get_json() == []



def test_a_district_or_craft_typed_with_other_spacing_or_case_is_still_covered_by_its_scheme(client):
    """'Sant  Ravidas Nagar ' (two spaces, one after) was not 'Sant Ravidas Nagar': the artisan got no subsidy at all,
    silently, and no entitlement."""
    priced_catalog(client.db)
    scheme(client, covers={"crafts": ["Banarasi silk weaving"], "districts": ["Sant Ravidas Nagar"]})
    client.register("ART-1", looms=1)
    client.call("PATCH", "/artisans/ART-1", client.admin(),
                {"district": "Sant  Ravidas nagar ", "craft": " banarasi silk  weaving"}, status=200)
    priced = client.submit(client.artisan("ART-1"), [(COTTON, "10")])["pricing"]
    assert (priced["scheme"], priced["subsidy_total"]) == ("RMSS", "368.25")
    rows = client.call("GET", "/artisans/ART-1/entitlements", client.admin(), status=200).get_json()
    assert [(row["category"], row["cap"], row["used"]) for row in rows] == [
        ("cotton-hank-upto-40s", "30", "10"), ("silk-domestic", "4", "0")]
    other = {**RMSS, "code": "OTHER", "covers": {"crafts": [], "districts": ["sant ravidas  NAGAR"]}}
    refused = client.call("POST", "/schemes", client.admin(), other, status=409).get_json()
    assert refused["error"]["code"] == "schemes_overlap"  # the same district, so the same artisans
    assert "for Cotton hank yarn up to 40s in these dates" in refused["error"]["message"]  # named, not its code
    hindi = client.call("POST", "/schemes", client.admin(), other, headers={"Accept-Language": "hi"},
                        status=409).get_json()["error"]
    assert "40s तक का सूती हैंक धागा" in hindi["message"] and hindi["details"]["category"] == "cotton-hank-upto-40s"

def test_a_repeated_payment_reference_is_the_same_payment(client):
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=1)
    rid = ready(client, client.artisan("ART-1"), [(DYE, "1")])  # 2898.00 to pay
    first = pay(client, rid, "1000.00", reference="RCPT/VNS/0001")
    again = pay(client, rid, "1000.00", reference="RCPT/VNS/0001", status=200)
    assert again == first and client.get(rid, client.admin())["paid"] == "1000.00"
    error = pay(client, rid, "900.00", reference="RCPT/VNS/0001", status=409)["error"]
    assert error["code"] == "payment_reference_reused"
    error = pay(client, rid, "1898.01", method="cash", status=422)["error"]
    assert error["code"] == "payment_above_due" and error["details"] == {"due": "1898.00", "amount": "1898.01"}
    hindi = client.call("POST", f"/requisitions/{rid}/payments", {**client.token(**WAREHOUSE), "Accept-Language": "hi"},
                        {"amount": "1898.01", "method": "cash", "reference": "R2"}, status=422).get_json()
    assert "₹1,898.00" in hindi["error"]["message"] and "अग्रिम" in hindi["error"]["message"]
    assert "₹₹" not in hindi["error"]["message"] and "₹1,898.01" in hindi["error"]["message"]
    assert pay(client, rid, "5000.00", method="advance")["balance_due"] == "-6000.00"
    account = client.call("GET", "/artisans/ART-1/account", client.admin(), status=200).get_json()
    assert [e["amount"] for e in account["entries"] if e["type"] == "payment"] == ["-5000.00", "-1000.00"]


def test_a_payment_ahead_of_dispatch_says_what_is_still_to_pay_on_its_request(client):
    """A request approved for ₹2,898.00, ₹1,000.00 paid in cash: the account is ₹1,000.00 in credit (nothing charged
    before dispatch) and the artisan was texted "Nothing is owed now", then dispatch wanted the rest first. The
    payment's event says what is still to pay of the request (`to_pay`), and so does a reversal; once it is charged
    at dispatch, its due says it and `to_pay` is not given."""
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=1)
    rid = ready(client, client.artisan("ART-1"), [(DYE, "1")])  # 2898.00 to pay
    first = pay(client, rid, "1000.00", method="cash", reference="CASH-1")
    path = f"/requisitions/{rid}/payments/{first['payment_id']}/reversal"
    client.call("POST", path, client.admin(), {"reason": "counted twice"}, status=201)
    pay(client, rid, "2898.00", method="upi", reference="UTR-2")
    client.act(rid, "dispatch", client.token(**WAREHOUSE))
    pay(client, rid, "100.00", method="advance", reference="ADV-3")
    events = [e for e in client.db.accounts.find_one({"_id": "ART-1"})["outbox"] if e["payload"]["cause"] != "charge"]
    assert [(e["type"], e["payload"]["cause"], e["payload"].get("to_pay")) for e in events] == [
        ("PaymentRecorded", "payment", "1898.00"), ("AccountUpdated", "payment_reversal", "2898.00"),
        ("PaymentRecorded", "payment", "0.00"), ("PaymentRecorded", "payment", None)]


def test_a_payment_typed_wrong_is_reversed_by_an_admin_with_a_reason_and_taken_again(client):
    """A counter clerk typed ₹2,000 for a ₹200 UPI payment. Nothing could take it back: the account said the
    artisan had paid ₹2,000 for good. An admin reverses it with a reason; the account, what is due and the
    payments on the requisition say so, once however often it is sent, and the right payment is taken under a
    new reference (the old one says it was reversed)."""
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=1)
    rid = ready(client, client.artisan("ART-1"), [(DYE, "1")])  # 2898.00 to pay
    wrong = pay(client, rid, "2000.00", reference="UTR-111")
    assert wrong["balance_due"] == "-2000.00"
    path = f"/requisitions/{rid}/payments/{wrong['payment_id']}/reversal"
    body = {"reason": "typed 2000 for 200"}
    for refused, status in ((client.token(**WAREHOUSE), 403), (client.artisan("ART-1"), 403)):
        client.call("POST", path, refused, body, status=status)
    assert client.call("POST", path, client.admin(), {"reason": " "}, status=400).get_json()["error"]["details"]["reason"]
    unknown = client.call("POST", f"/requisitions/{rid}/payments/payment:nope/reversal", client.admin(), body,
                          status=404).get_json()
    assert unknown["error"]["code"] == "not_found"
    assert client.db.accounts.find_one({"_id": "ART-1"})["balance"] == -200000  # nothing changed by the refusals
    back = client.call("POST", path, client.admin(), body, status=201).get_json()
    assert (back["payment_id"], back["amount"], back["reversed"], back["reason"]) == \
        (wrong["payment_id"], "2000.00", True, "typed 2000 for 200")
    assert (back["paid"], back["balance_due"]) == ("0.00", "0.00")
    assert client.call("POST", path, client.admin(), body, status=200).get_json() == back  # sent again: the same
    account = client.call("GET", "/artisans/ART-1/account", client.admin(), status=200).get_json()
    assert [(e["type"], e["amount"]) for e in account["entries"]] == [("payment_reversal", "2000.00"),
                                                                      ("payment", "-2000.00")]
    assert account["balance_due"] == "0.00"
    got = client.get(rid, client.admin())
    assert got["paid"] == "0.00"
    assert [(p["amount"], p.get("reversed"), p.get("reason")) for p in got["payments"]] == \
        [("2000.00", True, "typed 2000 for 200")]
    again = pay(client, rid, "200.00", reference="UTR-111", status=409)["error"]
    today = day_of(datetime.now(timezone.utc))
    assert again["code"] == "payment_reference_reversed" and again["details"] == \
        {"reference": "UTR-111", "reversed_on": today, "reversed_by": "asha-admin"}
    hindi = client.call("POST", f"/requisitions/{rid}/payments", {**client.token(**WAREHOUSE), "Accept-Language": "hi"},
                        {"amount": "200.00", "method": "upi", "reference": "UTR-111"}, status=409).get_json()
    assert "UTR-111" in hindi["error"]["message"] and any("\u0900" <= ch <= "\u097f" for ch in hindi["error"]["message"])
    assert pay(client, rid, "200.00", reference="UTR-111-B")["balance_due"] == "-200.00"
    events = [e for doc in client.db.accounts.find({"_id": "ART-1"}) for e in doc["outbox"]]
    assert [e["payload"]["cause"] for e in events if e["type"] == "AccountUpdated"][-1:] == ["payment_reversal"]
    from shared.reconcile import check, facts_of
    assert [p for p in check(facts_of({"requests": client.db})).problems if "account " in p] == []


def test_a_reversed_payment_sent_again_exactly_is_refused_not_answered_as_recorded(client):
    """₹100 cash R-9 taken, an admin reversed it, the clerk sends R-9 again as it was: the answer was 200 with paid
    "0.00" and no word of the reversal, and the page said "Payment recorded." while nothing was. Now 409
    payment_reference_reversed, saying when and by whom, in both languages, and nothing changes; a payment that
    stands, sent again, is still the same payment (200)."""
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=1)
    rid = ready(client, client.artisan("ART-1"), [(DYE, "1")])
    kept = pay(client, rid, "50.00", method="cash", reference="R-8")
    assert pay(client, rid, "50.00", method="cash", reference="R-8", status=200) == kept
    wrong = pay(client, rid, "100.00", method="cash", reference="R-9")
    client.call("POST", f"/requisitions/{rid}/payments/{wrong['payment_id']}/reversal", client.admin(),
                {"reason": "not taken"}, status=201)
    before = client.db.accounts.find_one({"_id": "ART-1"})
    refused = pay(client, rid, "100.00", method="cash", reference="R-9", status=409)["error"]
    today = day_of(datetime.now(timezone.utc))
    assert (refused["code"], refused["details"]) == \
        ("payment_reference_reversed", {"reference": "R-9", "reversed_on": today, "reversed_by": "asha-admin"})
    assert f"reversed on {today} by asha-admin" in refused["message"] and "new reference" in refused["message"]
    hindi = client.call("POST", f"/requisitions/{rid}/payments", {**client.token(**WAREHOUSE), "Accept-Language": "hi"},
                        {"amount": "100.00", "method": "cash", "reference": "R-9"}, status=409).get_json()["error"]
    assert today in hindi["message"] and "asha-admin" in hindi["message"]
    assert any("\u0900" <= ch <= "\u097f" for ch in hindi["message"])
    assert client.db.accounts.find_one({"_id": "ART-1"}) == before  # nothing recorded, no event
    assert pay(client, rid, "50.00", method="cash", reference="R-8", status=200) == kept


def _refund_world(client):
    """ART-1 paid ₹3,000 on a ₹2,898 request handed over (₹102 over) and a ₹1,000 advance on one then cancelled:
    ₹1,102 to their credit."""
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=1)
    me = client.artisan("ART-1")
    handed = ready(client, me, [(DYE, "1")])  # 2898.00 to pay
    pay(client, handed, "3000.00", method="advance", reference="UTR-1")
    client.act(handed, "dispatch", client.token(**WAREHOUSE))
    cancelled = ready(client, me, [(DYE, "1")])
    pay(client, cancelled, "1000.00", method="advance", reference="UTR-2")
    client.act(cancelled, "cancel", me)
    return handed, cancelled


def cancelled_event(client, rid):
    [event] = [e["payload"] for e in client.db.requisitions.find_one({"_id": rid})["outbox"]
               if e["type"] == "RequisitionCancelled"]
    return event


def test_a_cancel_says_what_stays_paid_on_the_request_as_the_account_counts_it(client):
    """The notifier told the artisan where the money paid on a cancelled request went by adding up its own copies of
    their payments, reversals and refunds: a second copy of the money rules, and it left the amount out when the
    payment's event was read after the cancel's. The cancel's event now says it (`paid`), from the account: payments
    and advances on the request, less those reversed, less what refunds drew from it; the request says the same."""
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=1)
    me, admin = client.artisan("ART-1"), client.admin()
    refunded = ready(client, me, [(DYE, "1")])  # 2898.00 to pay on each
    pay(client, refunded, "800.00", method="advance", reference="ADV-1")
    drawn = client.call("POST", "/artisans/ART-1/refunds", admin, {"amount": "300.00", "method": "cash",
                                                                   "reference": "RF-1", "reason": "school fees"},
                        status=201).get_json()["requisitions"]
    assert drawn == {refunded: "300.00"}  # the only request with money on it: its advance, in part
    paid = ready(client, me, [(DYE, "1")])
    pay(client, paid, "1000.00", method="advance", reference="ADV-2")
    reversed_ = ready(client, me, [(DYE, "1")])
    pay(client, reversed_, "500.00", method="cash", reference="CASH-1")
    wrong = pay(client, reversed_, "2000.00", method="upi", reference="UTR-1")
    client.call("POST", f"/requisitions/{reversed_}/payments/{wrong['payment_id']}/reversal", admin,
                {"reason": "typed 2000 for 200"}, status=201)
    all_reversed = client.submit(me, [(DYE, "1")])["id"]  # not approved yet: an advance may come first
    back = pay(client, all_reversed, "100.00", method="advance", reference="ADV-3")
    client.call("POST", f"/requisitions/{all_reversed}/payments/{back['payment_id']}/reversal", admin,
                {"reason": "bounced"}, status=201)
    nothing = client.submit(me, [(DYE, "1")])["id"]
    expected = {refunded: "500.00", paid: "1000.00", reversed_: "500.00", all_reversed: "0.00", nothing: "0.00"}
    for rid in expected:
        client.act(rid, "cancel", me)
    assert {rid: cancelled_event(client, rid)["paid"] for rid in expected} == expected
    assert {rid: client.get(rid, admin)["paid"] for rid in expected} == expected
    assert all(cancelled_event(client, rid)["shares"] == [] for rid in expected)  # one artisan's: no shares


def test_an_admin_refunds_an_artisans_credit_once_and_the_account_says_so(client):
    """An artisan's advance on a cancelled request and what they paid beyond a price stayed to their credit for
    good: nothing handed money back. An admin records the cash the cashier hands back; the account, its credit,
    what is paid per request and the event say so, once however often it is sent."""
    handed, cancelled = _refund_world(client)
    account = client.call("GET", "/artisans/ART-1/account", client.admin(), status=200).get_json()
    assert (account["balance_due"], account["credit"], account["refunds"]) == ("-1102.00", "1102.00", [])
    body = {"amount": "1102.00", "method": "cash", "reference": "RF/VNS/1", "reason": "request cancelled"}
    done = client.call("POST", "/artisans/ART-1/refunds", client.admin(), body, status=201).get_json()
    assert {k: done[k] for k in ("amount", "method", "reference", "reason", "by", "balance_due", "credit")} == \
        {**body, "by": "asha-admin", "balance_due": "0.00", "credit": "0.00"}
    assert done["refund_id"].startswith("refund:") and done["at"]
    assert done["requisitions"] == {cancelled: "1000.00", handed: "102.00"}  # the cancelled request's money first
    assert client.call("POST", "/artisans/ART-1/refunds", client.admin(), body, status=200).get_json() == done
    account = client.call("GET", "/artisans/ART-1/account", client.token(**WAREHOUSE), status=200).get_json()
    assert (account["balance_due"], account["credit"], account["open_dues"]) == ("0.00", "0.00", [])
    assert [{k: r[k] for k in ("refund_id", "amount", "method", "reference", "reason")} for r in account["refunds"]] \
        == [{k: done[k] for k in ("refund_id", "amount", "method", "reference", "reason")}]
    assert [(e["type"], e["amount"], e.get("reason")) for e in account["entries"] if e["type"] == "refund"] == \
        [("refund", "1102.00", "request cancelled")]
    assert (client.get(cancelled, client.admin())["paid"], client.get(handed, client.admin())["paid"]) == \
        ("0.00", "2898.00")
    for rid, amount in ((cancelled, "1000.00"), (handed, "102.00")):  # each request says what of it was handed back
        [back] = client.get(rid, client.artisan("ART-1"))["refunds"]
        assert {k: back[k] for k in ("refund_id", "artisan_id", "amount", "method", "reference", "reason")} == \
            {"refund_id": done["refund_id"], "artisan_id": "ART-1", "amount": amount, "method": "cash",
             "reference": "RF/VNS/1", "reason": "request cancelled"}
    again = client.call("POST", "/artisans/ART-1/refunds", client.admin(), {**body, "amount": "1.00"},
                        status=409).get_json()["error"]
    assert again["code"] == "refund_reference_reused" and again["details"] == {"reference": "RF/VNS/1"}
    doc = client.db.accounts.find_one({"_id": "ART-1"})
    events = [e for e in doc["outbox"] if e["type"] == "AccountUpdated"]
    assert [(e["payload"]["cause"], e["payload"]["balance_due"]) for e in events][-1:] == [("refund", "0.00")]
    assert sum(1 for e in doc["outbox"] if e["payload"].get("cause") == "refund") == 1
    [told] = [e["payload"] for e in doc["outbox"] if e["payload"].get("cause") == "refund"]
    assert (told["amount"], told["requisitions"]) == ("1102.00", done["requisitions"])  # each request's part
    from shared.reconcile import check, facts_of
    assert [p for p in check(facts_of({"requests": client.db})).problems if "account " in p] == []


def test_a_refund_refused_changes_nothing_and_says_why_in_hindi_too(client):
    """Above the credit (422 refund_above_credit, naming what can be refunded), bad input (400), an unknown artisan
    (404), anyone but an admin (403): the account is as it was."""
    _refund_world(client)
    client.register("ART-2", looms=1)
    before = client.db.accounts.find_one({"_id": "ART-1"})
    body = {"amount": "1102.00", "method": "cash", "reference": "RF-1", "reason": "leaving the scheme"}
    for refused, status in ((client.token(**WAREHOUSE), 403), (client.artisan("ART-1"), 403),
                            (client.secretary("Coop-A"), 403)):
        assert client.call("POST", "/artisans/ART-1/refunds", refused, body, status=status).get_json()["error"]
    for bad, field in (({"reason": " "}, "reason"), ({"amount": "0"}, "amount"), ({"amount": "-5"}, "amount"),
                       ({"amount": "abc"}, "amount"), ({"method": "advance"}, "method"),
                       ({"reference": ""}, "reference")):
        error = client.call("POST", "/artisans/ART-1/refunds", client.admin(), {**body, **bad}, status=400).get_json()
        assert field in error["error"]["details"], bad
    unknown = client.call("POST", "/artisans/ART-9/refunds", client.admin(), body, status=404).get_json()["error"]
    assert unknown["code"] in ("not_found", "unknown_artisan")
    above = client.call("POST", "/artisans/ART-1/refunds", client.admin(), {**body, "amount": "1102.01"},
                        status=422).get_json()["error"]
    assert above["code"] == "refund_above_credit" and above["details"] == {"amount": "1102.01", "credit": "1102.00"}
    assert "₹1,102.00" in above["message"] and "₹1,102.01" in above["message"] and "₹₹" not in above["message"]
    hindi = client.call("POST", "/artisans/ART-1/refunds", {**client.admin(), "Accept-Language": "hi"},
                        {**body, "amount": "1102.01"}, status=422).get_json()["error"]["message"]
    assert "₹1,102.00" in hindi and any("\u0900" <= ch <= "\u097f" for ch in hindi)
    nothing = client.call("POST", "/artisans/ART-2/refunds", client.admin(), body, status=422).get_json()["error"]
    assert nothing["details"]["credit"] == "0.00"
    assert client.db.accounts.find_one({"_id": "ART-1"}) == before
    assert client.db.accounts.find_one({"_id": "ART-2"}) is None


def test_a_refund_takes_an_open_requests_advance_last_and_that_request_then_needs_paying_again(client):
    """An artisan leaving the scheme takes back everything, even the advance on a request not handed over yet: that
    request then counts nothing as paid, so it is not handed over unpaid, and what is owed stays its price."""
    handed, cancelled = _refund_world(client)
    open_ = ready(client, client.artisan("ART-1"), [(DYE, "1")])  # 2898.00 to pay
    pay(client, open_, "500.00", method="advance", reference="UTR-3")
    partly = client.call("POST", "/artisans/ART-1/refunds", client.admin(), {
        "amount": "1200.00", "method": "cash", "reference": "RF-1", "reason": "leaving"}, status=201).get_json()
    assert partly["requisitions"] == {cancelled: "1000.00", handed: "102.00", open_: "98.00"}
    rest = client.call("POST", "/artisans/ART-1/refunds", client.admin(), {
        "amount": "402.00", "method": "upi", "reference": "RF-2", "reason": "leaving"}, status=201).get_json()
    assert (rest["requisitions"], rest["balance_due"], rest["credit"]) == ({open_: "402.00"}, "0.00", "0.00")
    assert client.get(open_, client.admin())["paid"] == "0.00"
    refused = client.call("POST", f"/requisitions/{open_}/dispatch", client.token(**WAREHOUSE), {}, status=422)
    assert refused.get_json()["error"]["code"] in ("credit_limit_exceeded", "advance_required")
    pay(client, open_, "2898.00", method="cash", reference="UTR-4")
    client.act(open_, "dispatch", client.token(**WAREHOUSE))
    account = client.call("GET", "/artisans/ART-1/account", client.admin(), status=200).get_json()
    assert (account["balance_due"], account["open_dues"], account["credit"]) == ("0.00", [], "0.00")


def test_reconcile_nets_refunds_from_what_is_paid_and_catches_a_refund_whose_figures_are_wrong(client):
    """What is paid per requisition is its payments less reversals and what refunds handed back of it; a refund
    whose requisitions do not add up to its amount, or a paid figure off by a paisa, is reported."""
    from shared.reconcile import check, facts_of
    handed, cancelled = _refund_world(client)
    client.call("POST", "/artisans/ART-1/refunds", client.admin(), {"amount": "1102.00", "method": "upi",
                                                                    "reference": "RF/VNS/1", "reason": "cancelled"},
                status=201)

    def problems():
        return [p for p in check(facts_of({"requests": client.db})).problems if "account " in p]
    assert problems() == []
    client.db.accounts.update_one({"_id": "ART-1", "entries.type": "refund"},
                                  {"$set": {"entries.$.requisitions": {cancelled: 100000}}})
    found = problems()
    assert any("refund RF/VNS/1 of 1102.00 returns 1000.00 of payments" in p for p in found), found
    assert any("paid per requisition" in p for p in found), found
    client.db.accounts.update_one({"_id": "ART-1", "entries.type": "refund"},
                                  {"$set": {"entries.$.requisitions": {cancelled: 100000, handed: 10200}}})
    assert problems() == []
    client.db.accounts.update_one({"_id": "ART-1"}, {"$inc": {f"paid.{handed}": 1}})
    assert [p for p in problems() if "paid per requisition" in p], problems()


def test_money_refunded_and_then_its_payment_reversed_is_a_due_by_the_reversal_day_plus_credit_days(client, config):
    """ART-1's ₹1,000 advance on a request they cancelled was handed back; then the UPI payment bounced and an admin
    reversed it. The request said "Amount paid: -₹1,000.00" and nothing more: no due, no due day, no reminder. The
    board's rule: it is to be repaid on the same terms as any charge, a due on that request by the reversal's day plus
    the artisan's credit days, overdue after it, in the accounts list, and reminded by the notifier as any due is."""
    from services.notifier import consumer as notifier_consumer, dues as notifier_dues, spec as notifier_spec
    from shared.auth import Principal
    from shared.envelope import Event
    from shared.runtime import Runtime
    handed, cancelled = _refund_world(client)
    client.call("PUT", "/credit-terms", client.admin(), {"artisan_id": "ART-1", "credit_limit": "5000",
                                                         "credit_days": 15}, status=200)
    client.call("POST", "/artisans/ART-1/refunds", client.admin(), {"amount": "1102.00", "method": "cash",
                                                                    "reference": "RF-1", "reason": "cancelled"},
                status=201)
    today = day_of(datetime.now(timezone.utc))
    path = f"/requisitions/{cancelled}/payments/{accounts.payment_id('UTR-2')}/reversal"
    client.call("POST", path, client.admin(), {"reason": "UPI bounced"}, status=201)
    due_on = add_days(today, 15)
    account = client.call("GET", "/artisans/ART-1/account", client.admin(), status=200).get_json()
    assert (account["balance_due"], account["overdue"]) == ("1000.00", "0.00")
    assert [(d["requisition_id"], d["due_on"], d["amount"]) for d in account["open_dues"]] == \
        [(cancelled, due_on, "1000.00")]
    got = client.get(cancelled, client.artisan("ART-1"))
    assert got["paid"] == "-1000.00"
    assert got["repay"] == [{"artisan_id": "ART-1", "due_on": due_on, "amount": "1000.00"}]
    artisan = client.db.artisans.find_one({"_id": "ART-1"})
    on_the_day = datetime.fromisoformat(f"{due_on}T12:00:00+05:30")
    after = on_the_day + timedelta(days=1)
    assert accounts.view(client.db, artisan, on_the_day)["overdue"] == 0
    assert accounts.view(client.db, artisan, after)["overdue"] == 1_000_00
    [row] = [r for r in accounts.listing(client.db, Principal("asha-admin", "admin"), after)
             if r["artisan_id"] == "ART-1"]
    assert (row["balance_due"], row["overdue"]) == (1_000_00, 1_000_00)
    events = client.db.accounts.find_one({"_id": "ART-1"})["outbox"]
    [reversed_] = [e for e in events if e["payload"]["cause"] == "payment_reversal"]
    [refunded] = [e for e in events if e["payload"]["cause"] == "refund"]  # how much, for the artisan's SMS
    assert (refunded["payload"]["amount"], reversed_["payload"]["amount"]) == ("1102.00", "1000.00")
    assert reversed_["payload"]["open_dues"] == [{"requisition_id": cancelled, "due_on": due_on, "amount": "1000.00",
                                                  "kind": "refund_reversed"}]
    runtime = Runtime(notifier_spec(), config.with_(notifier_reminder_days_before=3))
    try:
        notifier_consumer.make_handler(runtime.db, runtime.config)(Event(**reversed_))
        assert notifier_dues.check(runtime.db, runtime.config, on_the_day - timedelta(days=1)) == 1
        assert notifier_dues.check(runtime.db, runtime.config, after) == 1
        notes = [(n["status"], n["requisition_id"], n["amount"], n["due_on"])
                 for n in runtime.db.notifications.find().sort("created_at", 1)]
        assert notes == [("payment_reversed", cancelled, 1_000_00, None),  # the artisan is texted the reversal
                         ("payment_due", cancelled, 1_000_00, due_on), ("payment_overdue", cancelled, 1_000_00, due_on)]
    finally:
        runtime.close()
    from shared.reconcile import check, facts_of

    def problems():
        found = check(facts_of({"requests": client.db}))
        return [p for p in found.problems if "account " in p], found

    assert problems()[0] == []
    assert any("1000.00" in str(value) for name, value in problems()[1].counts.items() if "repay" in str(name))
    client.db.accounts.update_one({"_id": "ART-1", "entries.type": "payment_reversal"},
                                  {"$set": {"entries.$.repay": 500_00}})
    assert any(f"leaves 1000.00 to repay on requisition {cancelled}, it says 500.00" in p for p in problems()[0]), \
        problems()[0]
    # a reversal stored before reversals kept what they left to repay (neither figure nor day) is not a mismatch:
    # the account dates its due on the reversal's own day
    client.db.accounts.update_one({"_id": "ART-1", "entries.type": "payment_reversal"},
                                  {"$unset": {"entries.$.repay": "", "entries.$.due_on": ""}})
    assert problems()[0] == []
    client.db.accounts.update_one({"_id": "ART-1", "entries.type": "payment_reversal"},
                                  {"$set": {"entries.$.due_on": due_on}})   # a day kept, the figure lost: caught
    assert any(f"leaves 1000.00 to repay on requisition {cancelled}, it says 0.00" in p for p in problems()[0]), \
        problems()[0]


def test_money_to_repay_on_a_cancelled_request_is_taken_there_and_nothing_more(client):
    """The artisan repays at the counter on the cancelled request itself: at most what is to be repaid, never as an
    advance (the request takes nothing else); once repaid, nothing is due."""
    handed, cancelled = _refund_world(client)
    client.call("POST", "/artisans/ART-1/refunds", client.admin(), {"amount": "1102.00", "method": "cash",
                                                                    "reference": "RF-1", "reason": "cancelled"},
                status=201)
    client.call("POST", f"/requisitions/{cancelled}/payments/{accounts.payment_id('UTR-2')}/reversal",
                client.admin(), {"reason": "UPI bounced"}, status=201)
    assert pay(client, cancelled, "1000.00", method="advance", status=409)["error"]["code"] == "requisition_not_payable"
    above = pay(client, cancelled, "1000.01", method="cash", status=422)["error"]
    assert (above["code"], above["details"]) == ("payment_above_due", {"due": "1000.00", "amount": "1000.01"})
    assert "₹1,000.00" in above["message"] and "advance" not in above["message"]
    hindi = client.call("POST", f"/requisitions/{cancelled}/payments", {**client.token(**WAREHOUSE),
                                                                       "Accept-Language": "hi"},
                        {"amount": "5.00", "method": "advance", "reference": "R-5"}, status=409).get_json()["error"]
    assert "₹1,000.00" in hindi["message"] and "अग्रिम" in hindi["message"] and "{" not in hindi["message"]
    pay(client, cancelled, "400.00", method="cash", reference="CASH-1")
    account = client.call("GET", "/artisans/ART-1/account", client.admin(), status=200).get_json()
    assert (account["balance_due"], [d["amount"] for d in account["open_dues"]]) == ("600.00", ["600.00"])
    pay(client, cancelled, "600.00", method="upi", reference="UTR-9")
    account = client.call("GET", "/artisans/ART-1/account", client.admin(), status=200).get_json()
    assert (account["balance_due"], account["open_dues"]) == ("0.00", [])
    assert client.get(cancelled, client.admin())["paid"] == "0.00"
    from shared.reconcile import check, facts_of
    assert [p for p in check(facts_of({"requests": client.db})).problems if "account " in p] == []


def test_bad_payments_are_refused_and_change_nothing(client):
    priced_catalog(client.db)
    client.register("ART-1", looms=1)
    rid = client.submit(client.artisan("ART-1"), [(DYE, "1")])["id"]
    cash = {"method": "cash", "reference": "x"}
    for bad in ({**cash, "amount": "0"}, {**cash, "amount": "-5"}, {**cash, "amount": "1.001"},
                {**cash, "amount": "1", "method": "cheque"}, {**cash, "amount": "1", "reference": ""},
                {"amount": "1", "method": "cash"}):
        client.call("POST", f"/requisitions/{rid}/payments", client.admin(), bad, status=400)
    client.act(rid, "cancel", client.artisan("ART-1"))
    error = pay(client, rid, "10.00", status=409)["error"]
    assert error["code"] == "requisition_not_payable" and error["details"] == {"status": "cancelled"}
    assert client.db.accounts.find_one({"_id": "ART-1"}) is None
    pay(client, rid, "1.00", as_=client.artisan("ART-1"), status=403)
    pay(client, rid, "1.00", as_=client.token("warehouse", depot="BHD"), status=404)


def test_a_payment_reference_of_only_blanks_is_refused_and_blanks_around_one_are_dropped(client):
    priced_catalog(client.db)
    client.register("ART-1", looms=1)
    rid = client.submit(client.artisan("ART-1"), [(DYE, "1")])["id"]
    for blank in ("   ", " \u00a0\u3000", "\u200b"):
        for lang, said in (("en", "not only spaces"), ("hi", "खाली जगह")):
            error = client.call("POST", f"/requisitions/{rid}/payments", {**client.admin(), "Accept-Language": lang},
                                {"amount": "10", "method": "cash", "reference": blank}, status=400).get_json()["error"]
            assert error["code"] == "validation_error" and said in error["details"]["reference"][0]
    assert client.db.accounts.find_one({"_id": "ART-1"}) is None
    first = pay(client, rid, "10.00", method="cash", reference="  RCPT/VNS/0007 ")
    assert first["reference"] == "RCPT/VNS/0007"
    assert pay(client, rid, "10.00", method="cash", reference="RCPT/VNS/0007", status=200) == first


def test_dispatch_beyond_the_credit_limit_is_refused_and_an_advance_comes_first(client):
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=1, cooperative="Coop-A")
    warehouse = client.token(**WAREHOUSE)
    rid = ready(client, client.artisan("ART-1"), [(DYE, "1")])  # 2898.00
    error = client.act(rid, "dispatch", warehouse, status=422)["error"]
    assert error["code"] == "credit_limit_exceeded"
    assert error["details"] == {"balance_after": "2898.00", "credit_limit": "0.00", "to_pay": "2898.00"}
    assert client.get(rid, warehouse)["status"] == "reserved" and client.db.accounts.find_one({"_id": "ART-1"}) is None
    terms = {"cooperative": "Coop-A", "credit_limit": "3000", "credit_days": 45, "advance_percent": "10"}
    client.call("PUT", "/credit-terms", client.admin(), terms, status=200)
    error = client.act(rid, "dispatch", warehouse, status=422)["error"]
    assert (error["code"], error["details"]) == ("advance_required", {"advance": "289.80", "paid": "0.00"})
    pay(client, rid, "289.80", method="cash")
    dispatched = client.act(rid, "dispatch", warehouse)
    today = day_of(datetime.now(timezone.utc))
    assert dispatched["due_on"] == add_days(today, 45)
    account = client.call("GET", "/artisans/ART-1/account", client.artisan("ART-1"), status=200).get_json()
    assert (account["balance_due"], account["overdue"], account["credit_limit"], account["credit_source"]) == \
        ("2608.20", "0.00", "3000.00", "cooperative")
    assert account["open_dues"] == [{"requisition_id": rid, "due_on": add_days(today, 45), "amount": "2608.20"}]
    later = accounts.view(client.db, {"_id": "ART-1", "cooperative": "Coop-A"},
                          datetime.now(timezone.utc) + timedelta(days=46))
    assert later["overdue"] == 2_608_20
    second = ready(client, client.artisan("ART-1"), [(DYE, "1")])
    pay(client, second, "289.80")
    error = client.act(second, "dispatch", warehouse, status=422)["error"]
    assert (error["code"], error["details"]["balance_after"]) == ("credit_limit_exceeded", "5216.40")


def test_a_credit_refusal_says_its_money_as_people_read_it_in_their_language_and_details_keep_the_figures(client):
    """The message groups rupees the Indian way (₹1,44,900.00), once with its ₹ sign, in English and in Hindi; the
    details stay the decimal strings callers compute with ("144900.00")."""
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=1, cooperative="Coop-A")
    warehouse, hindi = client.token(**WAREHOUSE), {**client.token(**WAREHOUSE), "Accept-Language": "hi"}
    rid = ready(client, client.artisan("ART-1"), [(DYE, "50")])  # 50 x 2898.00 = 144900.00
    terms = {"cooperative": "Coop-A", "credit_limit": "100000", "credit_days": 45, "advance_percent": "10"}
    client.call("PUT", "/credit-terms", client.admin(), terms, status=200)
    english, in_hindi = (client.act(rid, "dispatch", who, status=422)["error"] for who in (warehouse, hindi))
    for error in (english, in_hindi):
        assert (error["code"], error["details"]) == ("credit_limit_exceeded", {
            "balance_after": "144900.00", "credit_limit": "100000.00", "to_pay": "44900.00"})
    assert english["message"] == ("This would take the artisan's dues to ₹1,44,900.00, above their credit limit of "
                                  "₹1,00,000.00; take a payment of at least ₹44,900.00 first.")
    assert all(f in in_hindi["message"] for f in ("₹1,44,900.00", "₹1,00,000.00", "₹44,900.00", "उधार सीमा"))
    assert "₹₹" not in in_hindi["message"]

    client.call("PUT", "/credit-terms", client.admin(), {**terms, "credit_limit": "200000"}, status=200)
    english, in_hindi = (client.act(rid, "dispatch", who, status=422)["error"] for who in (warehouse, hindi))
    for error in (english, in_hindi):
        assert (error["code"], error["details"]) == ("advance_required", {"advance": "14490.00", "paid": "0.00"})
    assert english["message"] == ("To take this on credit the artisan pays an advance of ₹14,490.00 first; ₹0.00 is "
                                  "paid so far.")
    assert "₹14,490.00" in in_hindi["message"] and "अग्रिम" in in_hindi["message"] and "₹₹" not in in_hindi["message"]
    assert client.get(rid, warehouse)["status"] == "reserved" and client.db.accounts.find_one({"_id": "ART-1"}) is None


def test_a_charge_whose_dispatch_never_happened_is_taken_back(client):
    priced_catalog(client.db)
    client.register("ART-1", looms=1)
    client.call("PUT", "/credit-terms", client.admin(), {"credit_limit": "10000", "credit_days": 30}, status=200)
    rid = ready(client, client.artisan("ART-1"), [(DYE, "1")])  # no scheme: 2800.00
    doc = client.db.requisitions.find_one({"_id": rid})
    past = datetime.now(timezone.utc) - timedelta(hours=1)
    accounts.charge(client.db, doc, doc["pricing"], {"_id": "ART-1"}, past)  # the worker died right after this
    assert client.db.accounts.find_one({"_id": "ART-1"})["balance"] == 2_800_00
    account = client.call("GET", "/artisans/ART-1/account", client.admin(), status=200).get_json()
    assert (account["balance_due"], account["entries"]) == ("0.00", [])
    accounts.charge(client.db, doc, doc["pricing"], {"_id": "ART-1"}, datetime.now(timezone.utc))
    client.act(rid, "cancel", client.artisan("ART-1"))  # a cancel takes back a fresh one at once
    assert client.db.accounts.find_one({"_id": "ART-1"})["balance"] == 0
    rid = ready(client, client.artisan("ART-1"), [(DYE, "1")])
    client.act(rid, "dispatch", client.token(**WAREHOUSE))
    client.act(rid, "dispatch", client.token(**WAREHOUSE), status=409)
    assert client.db.accounts.find_one({"_id": "ART-1"})["balance"] == 2_800_00



def test_a_charge_whose_dispatch_died_never_refuses_credit_to_the_next_dispatch(client):
    """A dispatch charged and died; nobody opened the account since. Its charge must not count against the
    artisan's credit limit when another requisition leaves the depot (it is taken back first, as quota is)."""
    priced_catalog(client.db)
    client.register("ART-1", looms=1)
    client.call("PUT", "/credit-terms", client.admin(), {"credit_limit": "5000", "credit_days": 30}, status=200)
    died = ready(client, client.artisan("ART-1"), [(DYE, "1")])  # no scheme: 2800.00 on credit
    doc = client.db.requisitions.find_one({"_id": died})
    past = datetime.now(timezone.utc) - monthly.GRACE - timedelta(minutes=1)
    accounts.charge(client.db, doc, doc["pricing"], {"_id": "ART-1"}, past)  # the worker died right after this
    rid = ready(client, client.artisan("ART-1"), [(DYE, "1")])
    assert client.act(rid, "dispatch", client.token(**WAREHOUSE))["status"] == "dispatched"
    account = client.db.accounts.find_one({"_id": "ART-1"})
    assert (account["balance"], [e["requisition_id"] for e in account["entries"] if e["type"] == "charge"]) == \
        (2_800_00, [rid])
    assert client.get(died, client.admin())["status"] == "reserved"  # it can still leave, charged then
    client.act(died, "dispatch", client.token(**WAREHOUSE), status=422)  # now it would pass the limit


def test_a_dispatch_retried_after_midnight_keeps_the_month_and_day_of_its_charge(client):
    """The worker charged at 23:59 on the month's last day and died; the retried dispatch dated itself in the new
    month, so the claim counted it in one month and the account's subsidy in the other (reconcile never clean)."""
    from services.requests import reconcile, reconcile_money
    from shared.calendar import IST, day_start
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=1)
    rid = ready(client, client.artisan("ART-1"), [(COTTON, "5")])
    pay(client, rid, client.get(rid, client.admin())["pricing"]["payable_total"])
    doc = client.db.requisitions.find_one({"_id": rid})
    before_midnight = day_start(f"{month_of(datetime.now(timezone.utc))}-01") - timedelta(minutes=1)
    accounts.charge(client.db, doc, doc["pricing"], {"_id": "ART-1", "district": "Varanasi"}, before_midnight)
    client.act(rid, "dispatch", client.token(**WAREHOUSE))
    dispatched = client.db.requisitions.find_one({"_id": rid})
    assert dispatched["dispatch_month"] == before_midnight.astimezone(IST).strftime("%Y-%m")
    assert datetime.fromisoformat(dispatched["dispatched_at"]) == before_midnight
    assert [check(reconcile.facts(client.db)) for check in reconcile_money.CHECKS] == [[]] * len(reconcile_money.CHECKS)
    claim = client.call("GET", f"/reports/subsidy-claims?scheme=RMSS&month={month_of(before_midnight)}",
                        client.admin(), status=200).get_json()
    assert claim["totals"]["beneficiaries"] == 1

def test_a_material_without_a_price_is_estimated_at_nothing_and_not_approved_until_it_has_one(client):
    """The estimate says the material has no price yet; approved like that it would be handed over for nothing, so
    approval (and auto-approval) waits for a price, and says so in the caller's language, changing nothing."""
    client.db.prices.delete_many({"sku": DYE})  # the test catalog prices every material
    priced_catalog(client.db, prices={COTTON: 24_550})
    client.register("ART-1", looms=1)
    client.call("PUT", "/settings/auto-approve", client.admin(), {"max_quantity": "100"}, status=200)
    rid = client.submit(client.artisan("ART-1"), [(DYE, "3"), (COTTON, "1")])["id"]
    doc = client.get(rid, client.admin())
    priced = lines_of(doc["pricing"])
    assert (priced[DYE]["priced"], priced[DYE]["amount"], priced[COTTON]["priced"]) == (False, "0.00", True)
    assert doc["status"] == "submitted"  # not auto-approved
    before = client.db.requisitions.find_one({"_id": rid})
    for lang, words in (("en", "No price is set yet for DYE-INDIGO: approved now, it would be handed over for "
                                "nothing."), ("hi", "DYE-INDIGO का अभी कोई मूल्य तय नहीं है")):
        refused = client.call("POST", f"/requisitions/{rid}/approve", {**client.admin(), "Accept-Language": lang},
                              {}, status=409).get_json()["error"]
        assert refused["code"] == "material_unpriced" and refused["details"]["skus"] == [DYE], refused
        assert refused["message"].startswith(words), refused["message"]
    assert client.db.requisitions.find_one({"_id": rid}) == before  # nothing changed, no event in the outbox

    inventory_says(client.db, "MaterialPriced", DYE, price_payload(DYE, 2_80_000, set_at="2026-01-01T00:00:00.000Z"))
    approved = client.act(rid, "approve", client.admin())
    assert approved["status"] == "approved"
    assert lines_of(approved["pricing"])[DYE]["priced"] and lines_of(approved["pricing"])[DYE]["amount"] == "8400.00"


def test_every_refusal_the_issue_names_is_clear_in_english_and_hindi(client):
    """Each bad input: its code, an English message, a Hindi one, and nothing stored."""
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=1)
    rid = client.submit(client.artisan("ART-1"), [(DYE, "1")])["id"]
    cancelled = client.submit(client.artisan("ART-1"), [(DYE, "1")])["id"]
    client.act(cancelled, "cancel", client.admin())
    admin, warehouse = client.admin(), client.token(**WAREHOUSE)
    before = (client.db.schemes.find_one({})["version"], client.db.accounts.count_documents({}))
    cases = [
        ("POST", "/schemes", admin, {**RMSS_LIKE, "subsidy_percent": "100.01"}, 400, "validation_error"),
        ("POST", "/schemes", admin, {**RMSS_LIKE, "caps": [{"category": "yarn", "per_loom_per_month": "-1"}]}, 400,
         "validation_error"),
        ("POST", "/schemes", admin, {**RMSS_LIKE, "code": "OTHER"}, 409, "schemes_overlap"),
        ("PATCH", "/schemes/NOPE", admin, {"name": "x"}, 404, "unknown_scheme"),
        ("POST", f"/requisitions/{rid}/payments", warehouse, {"amount": "5000", "method": "cash", "reference": "A"},
         422, "payment_above_due"),
        ("POST", f"/requisitions/{cancelled}/payments", warehouse, {"amount": "1", "method": "cash", "reference": "B"},
         409, "requisition_not_payable"),
        ("GET", "/reports/subsidy-claims?scheme=RMSS&month=2999-12", admin, None, 422, "month_in_future"),
        ("GET", f"/reports/subsidy-claims?scheme=NOPE&month={month_of(datetime.now(timezone.utc))}", admin, None, 404,
         "unknown_scheme"),
    ]
    for method, path, who, body, status, code in cases:
        english = client.call(method, path, who, body, status=status).get_json()["error"]
        hindi = client.call(method, path, {**who, "Accept-Language": "hi"}, body, status=status).get_json()["error"]
        assert english["code"] == hindi["code"] == code, path
        assert english["message"] != hindi["message"] and DEVANAGARI.search(hindi["message"]), (path, hindi)
        if status == 400:
            assert any(DEVANAGARI.search(" ".join(v if isinstance(v, list) else [str(v)]))
                       for v in _messages(hindi["details"])), hindi["details"]
    assert (client.db.schemes.find_one({})["version"], client.db.accounts.count_documents({})) == before


RMSS_LIKE = {"code": "RMSS2", "name": "R", "name_hi": "आर", "subsidy_percent": "15", "valid_from": "2024-01-01",
             "caps": [{"category": "cotton-hank-upto-40s", "per_loom_per_month": "30"}]}
DEVANAGARI = re.compile("[\u0900-\u097F]")


def _messages(details):
    """Every message list in a validation error's (nested) details."""
    for value in details.values():
        if isinstance(value, dict):
            yield from _messages(value)
        else:
            yield value


def test_the_accounts_list_past_its_limit_keeps_those_who_owe_most(client):
    """The list read the first accounts ever written, up to its limit, and sorted those: a big overdue debt in an
    account written later never reached the admins' list."""
    from shared.auth import Principal
    client.call("PUT", "/credit-terms", client.admin(), {"credit_limit": "100000", "credit_days": 30}, status=200)
    long_ago = datetime.now(timezone.utc) - timedelta(days=40)
    for n, rupees in ((1, 10), (2, 20), (3, 5_000), (4, 30)):
        client.register(f"ART-{n}", looms=1)
        priced = {"payable_total": rupees * 100, "value_total": rupees * 100, "freight_total": 0,
                  "depot_charge_total": 0, "subsidy_total": 0, "lines": []}
        accounts.charge(client.db, {"_id": f"R-{n}", "artisan_id": f"ART-{n}"}, priced, {"_id": f"ART-{n}"}, long_ago)
    admin = Principal("asha-admin", "admin")
    rows = accounts.listing(client.db, admin, datetime.now(timezone.utc), limit=2)
    assert [(row["artisan_id"], row["overdue"]) for row in rows] == [("ART-3", 5_000_00), ("ART-4", 30_00)]


def test_an_account_with_many_entries_is_read_a_page_at_a_time_when_asked_and_whole_as_before(client):
    """GET /artisans/{id}/account gave every entry of the account at once (1,723 of them on one artisan's): `page`
    and `limit` now ask for a page of them, newest first, with the figures of the whole account and how many entries
    there are; without them it is every entry, as before. A bad page or limit is refused (400) and changes nothing."""
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=1)
    rid = ready(client, client.artisan("ART-1"), [(DYE, "1")])
    for n in range(1, 8):
        pay(client, rid, f"{n}.00", method="advance", reference=f"ADV-{n}")
    me = client.artisan("ART-1")
    whole = client.call("GET", "/artisans/ART-1/account", me, status=200)
    everything = whole.get_json()
    assert len(everything["entries"]) == everything["entries_total"] == 7 and "X-Total-Count" not in whole.headers

    first = client.call("GET", "/artisans/ART-1/account?limit=3", me, status=200)
    assert first.headers["X-Total-Count"] == "7" and first.get_json()["entries_total"] == 7
    assert [e["reference"] for e in first.get_json()["entries"]] == ["ADV-7", "ADV-6", "ADV-5"]
    last = client.call("GET", "/artisans/ART-1/account?limit=3&page=3", me, status=200).get_json()
    assert [e["reference"] for e in last["entries"]] == ["ADV-1"]
    assert {k: last[k] for k in ("balance_due", "credit", "overdue")} == \
        {k: everything[k] for k in ("balance_due", "credit", "overdue")}  # of the whole account, on every page
    paged = client.call("GET", "/artisans/ART-1/account?page=1", me, status=200).get_json()
    assert len(paged["entries"]) == 7  # a page of 50 when only the page is asked
    assert client.call("GET", "/artisans/ART-1/account?page=9", me, status=200).get_json()["entries"] == []
    for bad in ("page=0", "limit=0", "limit=501", "page=x"):
        error = client.call("GET", f"/artisans/ART-1/account?{bad}", me, status=400).get_json()["error"]
        assert error["code"] == "validation_error", (bad, error)


def test_a_scheme_code_in_other_capital_letters_or_spacing_is_refused_as_the_same_code(client):
    """"rmss" beside "RMSS" was a second scheme nobody could tell from the first: now 409 already_exists naming the
    code there is, in both languages, with nothing added (the scheme book's version keeps two registered at once
    apart); a twin stored before stays as it is, and a new code is stored without the spaces around it."""
    scheme(client)
    later = {**RMSS, "caps": []}  # no overlap (no cap in common): only the code is in the way
    taken = client.call("POST", "/schemes", client.admin(), {**later, "code": "rmss"}, status=409).get_json()["error"]
    assert (taken["code"], taken["details"]) == ("already_exists", {"code": "rmss", "existing": "RMSS"})
    assert taken["message"].startswith("The code RMSS already exists; a code in other capital or small letters")
    hindi = client.call("POST", "/schemes", client.admin(), {**later, "code": " Rmss "},
                        headers={"Accept-Language": "hi"}, status=409).get_json()["error"]
    assert hindi["details"] == {"code": "Rmss", "existing": "RMSS"} and "कोड RMSS पहले से है" in hindi["message"]
    assert [s["code"] for s in client.call("GET", "/schemes", client.admin(), status=200).get_json()] == ["RMSS"]
    made = client.call("POST", "/schemes", client.admin(), {**later, "code": " NEW-2099\n"}, status=201).get_json()
    assert made["code"] == "NEW-2099"


def test_a_rejection_says_what_stays_paid_on_the_request_as_a_cancel_does(client):
    """An advance may be paid before approval; an admin who then rejects the request leaves it on the artisan's
    account as credit, and the rejection's event said nothing of it (only a cancel's did), so the artisan's message
    did not say where their money went. RequisitionRejected carries `paid` now, as RequisitionCancelled does."""
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=1)
    me, admin = client.artisan("ART-1"), client.admin()
    advanced = client.submit(me, [(DYE, "1")])["id"]
    pay(client, advanced, "400.00", method="advance", reference="ADV-R1")
    nothing = client.submit(me, [(DYE, "1")])["id"]
    for rid in (advanced, nothing):
        client.act(rid, "reject", admin)
    [first], [second] = ([e["payload"] for e in client.db.requisitions.find_one({"_id": rid})["outbox"]
                          if e["type"] == "RequisitionRejected"] for rid in (advanced, nothing))
    assert (first["paid"], second["paid"]) == ("400.00", "0.00")
    assert client.get(advanced, admin)["paid"] == "400.00"


def test_a_scheme_saved_unchanged_keeps_its_version_and_writes_nothing(client):
    """The scheme page sends every field back: a save with nothing changed wrote a new version of the scheme (and of
    the scheme book) and a new updated_at each time. Now it is answered 200 with the scheme as it is; a real change
    still makes one version more."""
    made = scheme(client)
    book = client.db.schemes.find_one({"_id": "schemes"})
    shown = client.call("GET", "/schemes/RMSS", client.admin(), status=200).get_json()
    as_it_is = {k: v for k, v in shown.items() if k not in ("code", "version", "created_at", "updated_at")}
    for same in (as_it_is, {**RMSS, "covers": {"crafts": [], "districts": []}}, {"subsidy_percent": 15},
                 {"name": RMSS["name"]}):
        same = {k: v for k, v in same.items() if k != "code"}
        answer = client.call("PATCH", "/schemes/RMSS", client.admin(), same, status=200).get_json()
        assert answer == shown, same
        assert client.db.schemes.find_one({"_id": "schemes"}) == book, same
    assert made["version"] == shown["version"] == 1
    changed = client.call("PATCH", "/schemes/RMSS", client.admin(), {**as_it_is, "subsidy_percent": "20"},
                          status=200).get_json()
    assert (changed["version"], changed["subsidy_percent"]) == (2, "20")
    assert client.db.schemes.find_one({"_id": "schemes"})["version"] == book["version"] + 1
