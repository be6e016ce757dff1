"""Requisitions over HTTP: submit, the status machine, history, idempotency, events in the outbox."""
from __future__ import annotations

from services.requests import users
from tests.integration.test_requests_support import client, know_depots  # noqa: F401  (fixture)


def test_submit_approve_and_history(client):
    client.register("ART-1")
    me = client.artisan("ART-1")
    req = client.submit(me, [("YRN-COT-40", "12.5"), ("DYE-INDIGO", 2)], note="for 2 saris")
    assert req["status"] == "submitted" and req["artisan_id"] == "ART-1"
    assert req["lines"][0] == {"sku": "YRN-COT-40", "quantity": "12.5", "category": "yarn", "unit": "kg"}
    approved = client.act(req["id"], "approve", client.admin(), reason="ok")
    assert approved["status"] == "approved" and approved["approved_by"] == "asha-admin"
    assert [(h["status"], h["by"]) for h in approved["history"]] == [
        ("submitted", "user-ART-1"), ("approved", "asha-admin")]
    doc = client.db.requisitions.find_one({"_id": req["id"]})
    assert [e["type"] for e in doc["outbox"]] == ["RequisitionSubmitted", "RequisitionApproved"]
    assert doc["outbox"][0]["payload"]["lines"] == [{"sku": "YRN-COT-40", "quantity": "12.5"},
                                                    {"sku": "DYE-INDIGO", "quantity": "2"}]


def stock_event(kind, req_id, depot="VNS", **extra):
    from shared.envelope import new_event
    return new_event(kind, req_id, {"requisition_id": req_id, "depot": depot,
                                    "lines": [{"sku": "YRN-COT-40", "quantity": 5000}], **extra},
                     source="inventory")


def inventory_says(client, kind, req_id, **extra):
    from services.requests import consumer
    event = stock_event(kind, req_id, **extra)
    consumer.make_handler(client.db, None)(event)
    return event


def test_whole_life_with_inventory_answers(client, token):
    client.register("ART-1")
    me, admin = client.artisan("ART-1"), client.admin()
    store_keeper = token("warehouse", sub="ravi-store", depot="VNS")
    req = client.submit(me, [("YRN-COT-40", 5)])
    rid = req["id"]
    client.act(rid, "dispatch", store_keeper, status=409)
    client.act(rid, "approve", admin)
    inventory_says(client, "StockWaitlisted", rid, position=2)
    assert client.get(rid, me)["waitlist_position"] == 2
    error = client.act(rid, "dispatch", store_keeper, status=409)["error"]
    assert error["code"] == "illegal_transition" and error["details"]["status"] == "waitlisted"
    assert "“Waiting for stock”" in error["message"]  # the status in words, not its code (issue 18)
    inventory_says(client, "StockReserved", rid)
    client.act(rid, "receive", me, status=409)
    client.pay_in_full(rid)
    dispatched = client.act(rid, "dispatch", store_keeper)
    assert dispatched["status"] == "dispatched"
    inventory_says(client, "StockIssued", rid)
    received = client.act(rid, "receive", me)
    assert [(h["status"], h["by"]) for h in received["history"]] == [
        ("submitted", "user-ART-1"), ("approved", "asha-admin"), ("waitlisted", "inventory"),
        ("reserved", "inventory"), ("dispatched", "ravi-store"), ("received", "user-ART-1")]
    assert received["history"][2]["reason"] == "position 2"
    client.act(rid, "cancel", admin, status=409)
    doc = client.db.requisitions.find_one({"_id": rid})
    assert [e["type"] for e in doc["outbox"]] == ["RequisitionSubmitted", "RequisitionApproved",
                                                  "RequisitionDispatched", "RequisitionReceived"]


def test_a_store_keeper_sees_only_their_depot(client, token):
    client.register("ART-1")
    rid = client.submit(client.artisan("ART-1"), [("YRN-COT-40", 1)], depot="BHD")["id"]
    client.get(rid, token("warehouse", depot="VNS"), status=404)
    client.get(rid, token("warehouse", depot="BHD"))


def test_cancel_while_waitlisted_or_reserved_emits_cancelled_and_stays_cancelled(client):
    client.register("ART-1")
    me, admin = client.artisan("ART-1"), client.admin()
    for answer in ("StockWaitlisted", "StockReserved"):
        rid = client.submit(me, [("YRN-COT-40", 1)])["id"]
        client.act(rid, "approve", admin)
        inventory_says(client, answer, rid, **({"position": 1} if answer == "StockWaitlisted" else {}))
        cancelled = client.act(rid, "cancel", me, reason="not needed")
        assert cancelled["status"] == "cancelled" and cancelled["history"][-1]["reason"] == "not needed"
        inventory_says(client, "StockReserved", rid)  # a late answer
        inventory_says(client, "StockReleased", rid)
        assert client.get(rid, me)["status"] == "cancelled"
        doc = client.db.requisitions.find_one({"_id": rid})
        assert doc["outbox"][-1]["type"] == "RequisitionCancelled" and doc["stock"] == "released"


def test_reject_with_reason(client):
    client.register("ART-1")
    rid = client.submit(client.artisan("ART-1"), [("DYE-INDIGO", 1)])["id"]
    rejected = client.act(rid, "reject", client.admin(), reason="duplicate request")
    assert rejected["status"] == "rejected"
    doc = client.db.requisitions.find_one({"_id": rid})
    assert doc["outbox"][-1]["payload"]["reason"] == "duplicate request"
    client.act(rid, "approve", client.admin(), status=409)


def test_idempotency_key_returns_the_first_result(client):
    client.register("ART-1")
    me = client.artisan("ART-1")
    body = {"depot": "VNS", "lines": [{"sku": "YRN-COT-40", "quantity": "3"}]}
    first = client.call("POST", "/requisitions", me, body, headers={"Idempotency-Key": "k-1"}, status=201)
    again = client.call("POST", "/requisitions", me, body, headers={"Idempotency-Key": "k-1"}, status=201)
    assert again.get_json() == first.get_json() and again.headers["Idempotent-Replayed"] == "true"
    assert client.db.requisitions.count_documents({}) == 1
    assert client.db.usage.find_one({})["used"] == {"yarn": 3000}
    other = {**body, "lines": [{"sku": "YRN-COT-40", "quantity": "4"}]}
    error = client.call("POST", "/requisitions", me, other, headers={"Idempotency-Key": "k-1"}, status=409)
    assert error.get_json()["error"]["code"] == "idempotency_key_reused"
    client.call("POST", "/requisitions", me, body, headers={"Idempotency-Key": "k-2"}, status=201)
    assert client.db.requisitions.count_documents({}) == 2


def test_auto_approve_below_the_size_admins_set(client):
    client.register("ART-1")
    me, admin = client.artisan("ART-1"), client.admin()
    client.call("PUT", "/settings/auto-approve", me, {"max_quantity": "2"}, status=403)
    client.call("PUT", "/settings/auto-approve", admin, {"max_quantity": "2"}, status=200)
    small = client.submit(me, [("YRN-COT-40", 2), ("DYE-INDIGO", "0.5")])
    assert small["status"] == "approved" and small["approved_by"] == "auto-approve"
    assert client.submit(me, [("YRN-COT-40", "2.001")])["status"] == "submitted"
    doc = client.db.requisitions.find_one({"_id": small["id"]})
    assert [e["type"] for e in doc["outbox"]] == ["RequisitionSubmitted", "RequisitionApproved"]


def test_a_negative_auto_approve_size_is_refused_and_the_one_set_stays(client):
    admin = client.admin()
    client.call("PUT", "/settings/auto-approve", admin, {"max_quantity": "2"}, status=200)
    error = client.call("PUT", "/settings/auto-approve", admin, {"max_quantity": "-5"}, status=400).get_json()["error"]
    assert error["code"] == "validation_error" and error["details"] == {"max_quantity": ["must not be negative"]}
    assert client.call("GET", "/settings/auto-approve", admin, status=200).get_json() == {"max_quantity": "2"}


def test_secretary_submits_for_a_member(client):
    client.register("ART-1", cooperative="Coop-A")
    client.register("ART-2", cooperative="Coop-B")
    secretary = client.secretary("Coop-A")
    req = client.submit(secretary, [("YRN-COT-40", 1)], artisan_id="ART-1")
    assert req["artisan_id"] == "ART-1" and req["created_by"] == "sec-Coop-A"
    client.submit(secretary, [("YRN-COT-40", 1)], artisan_id="ART-2", status=404)
    client.submit(secretary, [("YRN-COT-40", 1)], status=400)
    client.act(req["id"], "cancel", secretary)


def test_inactive_artisans_and_unknown_skus_are_refused(client):
    client.register("ART-9", active=False)
    error = client.submit(client.artisan("ART-9"), [("YRN-COT-40", 1)], status=422)["error"]
    assert error["code"] == "artisan_inactive"
    client.register("ART-1")
    error = client.submit(client.artisan("ART-1"), [("NO-SUCH", 1)], status=422)["error"]
    assert error["code"] == "material_not_known" and error["details"]["skus"] == ["NO-SUCH"]
    assert client.db.requisitions.count_documents({}) == 0


def test_a_depot_inventory_has_not_announced_is_refused_at_estimate_and_submit_until_it_has(client):
    """Before, both were priced at plain freight and the requisition failed later at inventory."""
    client.register("ART-1")
    me, body = client.artisan("ART-1"), {"depot": "KNP", "lines": [{"sku": "YRN-COT-40", "quantity": "1"}]}
    for path in ("/requisitions/estimate", "/requisitions"):
        for lang, said in (("en", "does not know depot KNP"), ("hi", "डिपो KNP")):
            error = client.call("POST", path, {**me, "Accept-Language": lang}, body, status=422).get_json()["error"]
            assert (error["code"], error["details"]) == ("unknown_depot", {"depot": "KNP"})
            assert said in error["message"]
    assert client.db.requisitions.count_documents({}) == 0 and client.db.usage.count_documents({}) == 0
    know_depots(client.db, [("KNP", "Kanpur")])  # inventory's DepotRegistered has come
    client.call("POST", "/requisitions/estimate", me, body, status=200)
    assert client.submit(me, [("YRN-COT-40", "1")], depot="KNP")["depot"] == "KNP"


def test_an_approval_says_who_the_approver_is_for_the_depots_slip(client):
    """Inventory keeps no users: the hand-over slip named the approver by their login. RequisitionApproved says who
    they are (`by_person`: their role, display name in English and Hindi); a login with no record, its role
    from the token."""
    client.register("ART-1")
    users.add_user(client.db, username="asha-admin", password="pw-admin-1", role="admin")
    client.db.users.update_one({"_id": "asha-admin"}, {"$set": {"name": "Asha Rai", "name_hi": "आशा राय"}})
    named = client.submit(client.artisan("ART-1"), [("YRN-COT-40", 1)])["id"]
    client.act(named, "approve", client.admin())
    client.db.users.delete_one({"_id": "asha-admin"})
    unnamed = client.submit(client.artisan("ART-1"), [("YRN-COT-40", 1)])["id"]
    client.act(unnamed, "approve", client.admin())
    said = {rid: [e for e in client.db.requisitions.find_one({"_id": rid})["outbox"]
                  if e["type"] == "RequisitionApproved"][0]["payload"] for rid in (named, unnamed)}
    assert said[named]["by_person"] == {"role": "admin", "name": "Asha Rai", "name_hi": "आशा राय"}
    assert (said[unnamed]["by"], said[unnamed]["by_person"]) == ("asha-admin", {"role": "admin"})
