"""The gate pass by the API, and its first printing by an explicit act: an API client (a depot's own app, the guard's
phone) reads what a handed-over request took from which lots and whether, when and by whom its gate pass was first
printed; opening the slip page (a preview, a browser's prefetch) or reading the API records no printing, only Print
does, once: later printings are told of the first."""
from __future__ import annotations

import pytest

from services.inventory import create_app
from shared.auth import COOKIE, csrf_token, issue_token
from shared.i18n import LANG_COOKIE
from tests.integration.test_inventory_gate_pass import handed_over, handle, runtime  # noqa: F401 (fixtures)
from tests.integration.test_inventory_support import requisition

PASS = "/api/v1/reservations/{}/gate-pass"


@pytest.fixture
def client(config, runtime):  # noqa: F811
    return create_app(config, runtime).test_client()


@pytest.fixture
def api(config, client):
    def call(method, rid, sub="wh-vns-1", role="warehouse", depot="VNS", lang="en", printings=False, status=200):
        claims = {"depot": depot} if role == "warehouse" else {"artisan_id": "ART-1"} if role == "artisan" else {}
        headers = {"Authorization": f"Bearer {issue_token(config.jwt_secret, sub=sub, role=role, **claims)}",
                   "Accept-Language": lang} if role else {}
        response = client.open(PASS.format(rid) + ("/printings" if printings else ""), method=method, headers=headers)
        assert response.status_code == status, response.get_data(as_text=True)[:600]
        return response.get_json()
    return call


@pytest.fixture
def handed(handle):  # noqa: F811
    handle(requisition("RequisitionApproved", "R-ONE", [("YRN", 12_000)]))
    handle(requisition("RequisitionApproved", "R-TWO", [("YRN", 5_000)]))
    handle(handed_over("R-TWO", [("YRN", 5_000)]))
    handle(handed_over("R-ONE", [("YRN", 12_000)]))
    return handle


def test_the_gate_pass_says_what_left_from_which_lots_who_handed_it_over_and_that_it_was_not_printed(api, handed):
    got = api("GET", "R-ONE")
    assert {k: got[k] for k in ("requisition_id", "depot", "cooperative", "first_printed", "shares")} == {
        "requisition_id": "R-ONE", "depot": "VNS", "cooperative": None, "first_printed": None, "shares": []}
    assert got["artisan"]["artisan_id"] == "ART-1"
    assert got["lines"] == [{"sku": "YRN", "approved": "12", "quantity": "12",
                             "lots": [{"lot": "L0", "quantity": "5", "shade": "red"},
                                      {"lot": "L1", "quantity": "7", "shade": "red"}]}]
    assert got["handed_over"]["by"] == "wh-vns-2" and got["handed_over"]["at"].endswith("+00:00")
    assert api("GET", "R-ONE", role="admin", sub="admin")["lines"] == got["lines"]


def test_the_gate_pass_is_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert set(spec["paths"]["/api/v1/reservations/{requisition_id}/gate-pass"]) >= {"get"}
    assert set(spec["paths"]["/api/v1/reservations/{requisition_id}/gate-pass/printings"]) >= {"post"}
    fields = spec["components"]["schemas"]["GatePass"]["properties"]
    assert {"requisition_id", "artisan", "cooperative", "depot", "lines", "handed_over", "first_printed"} <= set(fields)


def test_who_may_read_it_and_what_is_said_when_there_is_none(api, handed, runtime):  # noqa: F811
    handed(requisition("RequisitionApproved", "R-HELD", [("YRN", 1_000)]))
    handed(requisition("RequisitionApproved", "R-WAIT", [("YRN", 500_000)]))
    handed(requisition("RequisitionApproved", "R-BHD", [("YRN", 1_000)], depot="BHD"))
    handed(handed_over("R-BHD", [("YRN", 1_000)], depot="BHD"))
    for method, printings in (("GET", False), ("POST", True)):
        other = api(method, "R-BHD", printings=printings, status=403)["error"]
        assert other["code"] == "wrong_depot" and other["details"] == {"your_depot": "VNS", "depot": "BHD",
                                                                        "requisition_id": "R-BHD"}
        assert other["message"].startswith("Request R-BHD is at another depot, BHD depot, not at yours (VNS depot)")
        hindi = api(method, "R-BHD", lang="hi", printings=printings, status=403)["error"]["message"]
        assert "R-BHD" in hindi and "BHD depot" in hindi and "another depot" not in hindi
        assert api(method, "R-BHD", role="admin", sub="admin", printings=printings, status=200)
        assert api(method, "R-NONE", printings=printings, status=404)["error"]["code"] == "not_found"
        api(method, "R-ONE", role="artisan", sub="art", printings=printings, status=403)
        api(method, "R-ONE", role=None, printings=printings, status=401)
        held = api(method, "R-HELD", printings=printings, status=409)["error"]
        assert held["code"] == "not_handed_over" and "Hand it over first" in held["message"]
        assert "/api/v1/requisitions/R-HELD/dispatch" in held["message"]
        assert "सौंप" in api(method, "R-HELD", lang="hi", printings=printings, status=409)["error"]["message"]
        waiting = api(method, "R-WAIT", printings=printings, status=409)["error"]
        assert waiting["code"] == "not_ready_to_hand_over" and "waiting for stock" in waiting["message"]
    assert [doc["_id"] for doc in runtime.db.gate_passes.find()] == ["R-BHD"]  # only the admin's printing of it


def test_opening_the_slip_or_reading_the_api_records_no_printing(api, handed, client, config, runtime):  # noqa: F811
    client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="wh-vns-1", role="warehouse", depot="VNS"))
    for _ in range(2):  # a preview, then a browser's prefetch
        slip = client.get("/warehouse/dispatch/R-ONE/slip").get_data(as_text=True)
        assert "Handed over on" in slip and "data-copy" not in slip
    assert runtime.db.gate_passes.count_documents({}) == 0
    assert "data-gate-print" in slip  # its Print records it
    for _ in range(2):
        assert api("GET", "R-ONE")["first_printed"] is None
    assert runtime.db.gate_passes.count_documents({}) == 0


def test_printing_records_the_first_once_and_a_later_one_is_told_of_it(api, handed, runtime):  # noqa: F811
    first = api("POST", "R-ONE", printings=True)
    assert first["first"] is True and first["first_printed"]["by"] == "wh-vns-1"
    later = api("POST", "R-ONE", sub="wh-vns-3", printings=True)
    assert later == {"first": False, "first_printed": first["first_printed"]}
    assert api("GET", "R-ONE", sub="wh-vns-3")["first_printed"] == first["first_printed"]
    assert runtime.db.gate_passes.count_documents({}) == 1


def test_the_slip_pages_print_without_script_records_with_its_csrf_token(handed, client, config, runtime):  # noqa
    token = issue_token(config.jwt_secret, sub="wh-vns-1", role="warehouse", depot="VNS")
    client.set_cookie(COOKIE, token)
    forged = client.post("/warehouse/dispatch/R-ONE/slip", data={})
    assert forged.status_code == 403 and runtime.db.gate_passes.count_documents({}) == 0
    sent = {"csrf_token": csrf_token(config.jwt_secret, token)}
    printed = client.post("/warehouse/dispatch/R-ONE/slip", data=sent).get_data(as_text=True)
    assert "This printing is recorded as the first" in printed and "data-print-now" in printed
    assert "data-copy" not in printed and runtime.db.gate_passes.find_one({"_id": "R-ONE"})["by"] == "wh-vns-1"
    again = client.post("/warehouse/dispatch/R-ONE/slip", data=sent).get_data(as_text=True)
    assert "data-copy" in again and "wh-vns-1" in again and "this printing is marked as a copy" in again
    client.set_cookie(LANG_COOKIE, "hi")
    hindi = client.post("/warehouse/dispatch/R-ONE/slip", data=sent).get_data(as_text=True)
    assert "data-copy" in hindi and "प्रति" in hindi and "printing is marked" not in hindi
    assert "प्रति के रूप में चिह्नित" in hindi
    assert runtime.db.gate_passes.count_documents({}) == 1
