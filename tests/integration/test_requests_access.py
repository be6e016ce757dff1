"""Object-level access: nobody reaches another artisan's data, and server-set fields stay server-set."""
from __future__ import annotations

import pytest

from services.requests import consumer
from shared.envelope import new_event
from tests.integration.test_requests_support import client  # noqa: F401  (fixture)

ACTIONS = ("approve", "reject", "cancel", "dispatch", "receive")


@pytest.fixture
def two(client):
    client.register("ART-A", cooperative="Coop-A")
    client.register("ART-B", cooperative="Coop-B")
    a, b = client.artisan("ART-A"), client.artisan("ART-B")
    rid = client.submit(a, [("YRN-COT-40", 1)])["id"]
    return client, a, b, rid


def snapshot(client, rid):
    return client.db.requisitions.find_one({"_id": rid})


@pytest.mark.parametrize("status", ["submitted", "approved", "reserved", "dispatched"])
def test_artisan_b_gets_404_everywhere_on_a_requisition_of_a(two, status):
    client, a, b, rid = two
    if status != "submitted":
        client.act(rid, "approve", client.admin())
    if status in ("reserved", "dispatched"):
        consumer.make_handler(client.db, None)(new_event("StockReserved", rid, {
            "requisition_id": rid, "depot": "VNS", "lines": [{"sku": "YRN-COT-40", "quantity": 1000}]},
            source="inventory"))
    if status == "dispatched":
        client.pay_in_full(rid)
        client.act(rid, "dispatch", client.token("warehouse"))
    before = snapshot(client, rid)
    assert client.get(rid, b, status=404)["error"]["code"] == "not_found"
    for action in ACTIONS:
        client.act(rid, action, b, status=404, reason="mine now")
    assert snapshot(client, rid) == before
    assert client.call("GET", "/requisitions", b, status=200).get_json() == []
    assert client.call("GET", "/requisitions?artisan_id=ART-A", b, status=200).get_json() == []
    assert [r["id"] for r in client.call("GET", "/requisitions", a, status=200).get_json()] == [rid]


def test_an_unknown_id_and_another_artisans_id_look_the_same(two):
    client, a, b, rid = two
    assert client.get(rid, b, status=404) == client.get("no-such-id", b, status=404)


def test_a_secretary_sees_only_their_cooperative(two):
    client, a, b, rid = two
    own, other = client.secretary("Coop-A"), client.secretary("Coop-B")
    assert client.get(rid, own)["id"] == rid
    client.get(rid, other, status=404)
    client.act(rid, "cancel", other, status=404)
    assert client.call("GET", "/requisitions", other, status=200).get_json() == []
    members = client.call("GET", "/artisans", other, status=200).get_json()
    assert [x["artisan_id"] for x in members] == ["ART-B"]
    client.call("GET", "/artisans/ART-A", other, status=404)
    client.call("PATCH", "/artisans/ART-A", other, {"looms": 9}, status=404)
    no_coop = client.token("secretary", sub="lost")
    assert client.call("GET", "/requisitions", no_coop, status=200).get_json() == []


def test_artisans_read_only_themselves(two):
    client, a, b, rid = two
    assert [x["artisan_id"] for x in client.call("GET", "/artisans", b, status=200).get_json()] == ["ART-B"]
    client.call("GET", "/artisans/ART-A", b, status=404)
    client.call("GET", "/artisans/ART-B", b, status=200)
    client.call("PATCH", "/artisans/ART-B", b, {"looms": 50}, status=403)
    client.call("POST", "/artisans", b, {"name": "x"}, status=403)
    client.call("GET", "/quotas/usage?artisan_id=ART-A", b, status=200)  # their own, whatever they ask
    assert client.db.artisans.find_one({"_id": "ART-B"})["looms"] == 1


@pytest.mark.parametrize("field,value", [("status", "approved"), ("approved_by", "me"), ("history", []),
                                         ("id", "chosen"), ("_id", "chosen"), ("created_by", "admin"),
                                         ("waitlist_position", 1)])
def test_server_set_fields_are_refused_on_submit(two, field, value):
    client, a, b, rid = two
    body = {"depot": "VNS", "lines": [{"sku": "YRN-COT-40", "quantity": 1}], field: value}
    error = client.call("POST", "/requisitions", b, body, status=400).get_json()["error"]
    assert field in error["details"]
    assert client.db.requisitions.count_documents({"artisan_id": "ART-B"}) == 0


def test_an_artisan_cannot_request_for_someone_else(two):
    client, a, b, rid = two
    made = client.submit(b, [("YRN-COT-40", 1)], artisan_id="ART-A")
    assert made["artisan_id"] == "ART-B" and made["cooperative"] == "Coop-B"


def test_actions_ignore_extra_fields_by_refusing_them(two):
    client, a, b, rid = two
    client.act(rid, "cancel", a, status=400, status_="x")
    client.call("POST", f"/requisitions/{rid}/approve", client.admin(), {"approved_by": "ghost"}, status=400)
    assert snapshot(client, rid)["status"] == "submitted"


def test_roles_that_may_never_act_get_403_on_what_they_can_see(two):
    client, a, b, rid = two
    client.act(rid, "approve", a, status=403)
    client.act(rid, "dispatch", a, status=403)
    client.act(rid, "cancel", client.token("warehouse"), status=403)
    client.call("POST", "/requisitions", client.token("warehouse"),
                {"depot": "VNS", "lines": [{"sku": "YRN-COT-40", "quantity": 1}]}, status=403)
    client.call("GET", "/requisitions", {}, status=401)
