"""The gate pass after the hand-over: the guard at the depot gate asks for it once the clerk has pressed Hand over,
when the page refused it ("handed over already"). It is printed from the hand-over's own records (the lots its issue
movements took, what left, who handed it over and when), marked as a copy after its first printing; a request neither
set aside nor handed over is refused with what to do next."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from services.inventory import create_app, movements, spec
from services.inventory.consumer import make_handler
from shared.auth import COOKIE, csrf_token, issue_token
from shared.envelope import new_event
from shared.i18n import LANG_COOKIE
from shared.runtime import Runtime
from tests.integration.test_inventory_support import requisition, seed_catalog


@pytest.fixture
def runtime(config):
    runtime = Runtime(spec(), config)
    seed_catalog(runtime.db)
    for n in range(3):
        movements.record_movement(runtime.db, {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": 10_000,
                                               "reference": f"GRN-{n}", "lot": {"code": f"L{n}", "shade": "red"}},
                                  by="clerk")
    movements.record_movement(runtime.db, {"type": "receipt", "sku": "YRN", "depot": "BHD", "quantity": 10_000},
                              by="clerk")
    yield runtime
    runtime.close()


@pytest.fixture
def handle(config, runtime):
    handle = make_handler(runtime.db, config)
    handle(new_event("StaffNamed", "wh-vns-2", {"login": "wh-vns-2", "role": "warehouse", "name": "Suresh Yadav",
                                                "name_hi": "सुरेश यादव", "at": datetime.now(timezone.utc)},
                     source="requests"))
    return handle


@pytest.fixture
def page(config, runtime):
    client = create_app(config, runtime).test_client()

    def get(path, role="warehouse", sub="wh-vns-1", lang="en", status=200, method="GET"):
        claims = {"depot": "VNS"} if role == "warehouse" else {}
        token = issue_token(config.jwt_secret, sub=sub, role=role, **claims)
        client.set_cookie(COOKIE, token)
        client.set_cookie(LANG_COOKIE, lang)
        response = client.open(path, method=method, data={"csrf_token": csrf_token(config.jwt_secret, token)}
                               if method == "POST" else None)
        assert response.status_code == status, response.get_data(as_text=True)[:800]
        return response.get_data(as_text=True)
    return get


def handed_over(rid: str, lines, by: str = "wh-vns-2", depot: str = "VNS"):
    event = requisition("RequisitionDispatched", rid, lines, depot=depot)
    event.payload["by"] = by
    return event


def lines_read(html: str) -> dict[str, str]:
    """Each line of the slip's table as printed (tags and runs of spaces aside), by material code."""
    body = re.search(r'id="slip-lines".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return {sku: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            for sku, row in re.findall(r'<tr data-line="([^"]+)">(.*?)</tr>', body, re.S)}


def test_the_gate_pass_of_a_handed_over_request_says_the_lots_that_left_who_handed_it_over_and_copies(page, handle):
    handle(requisition("RequisitionApproved", "R-ONE", [("YRN", 12_000)]))
    handle(requisition("RequisitionApproved", "R-TWO", [("YRN", 5_000)]))
    before = lines_read(page("/warehouse/dispatch/R-ONE/slip"))["YRN"]
    assert "lot L0 : 10 kg" in before and "lot L1 : 2 kg" in before  # the plan: first held, first from L0
    handle(handed_over("R-TWO", [("YRN", 5_000)]))  # the later one left first: it took L0's first 5 kg
    handle(handed_over("R-ONE", [("YRN", 12_000)]))
    slip = page("/warehouse/dispatch/R-ONE/slip")
    assert "Hand-over slip (gate pass)" in slip and 'data-gate-print' in slip
    told = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.search(r'id="handed-over".*?</div>', slip, re.S).group(0)))
    assert re.search(r"Handed over on \d{1,2} \w+ \d{4}, [\d:]+ [AP]M IST by Suresh Yadav \( wh-vns-2 \)", told), told
    assert "Copy" not in told and "data-copy" not in slip
    line = lines_read(slip)["YRN"]
    assert "lot L0 : 5 kg" in line and "lot L1 : 7 kg" in line and "12 kg 12 kg" in line, line  # as the ledger says
    assert "(shade red" in line and "less than approved" not in line
    assert "data-copy" not in page("/warehouse/dispatch/R-ONE/slip", sub="wh-vns-3")  # opened, not printed
    printed = page("/warehouse/dispatch/R-ONE/slip", method="POST")  # its Print (the first printing)
    assert "data-copy" not in printed and "This printing is recorded" in printed
    again = page("/warehouse/dispatch/R-ONE/slip", sub="wh-vns-3")
    assert "data-copy" in again and re.search(r"<title>Hand-over slip · R-ONE · Copy", again)
    assert "This gate pass was first printed on" in again and "wh-vns-1" in again
    assert lines_read(again)["YRN"] == line
    hindi = page("/warehouse/dispatch/R-ONE/slip", lang="hi")
    assert "सुरेश यादव" in hindi and "प्रति" in hindi and "Handed over on" not in hindi
    admin = page("/warehouse/dispatch/R-ONE/slip", role="admin", sub="admin")  # an admin too
    assert "lot L1 : 7 kg" in lines_read(admin)["YRN"]


def test_another_depots_gate_pass_is_refused_naming_its_depot_with_the_way_back(page, handle, runtime):
    """Staff following a link to another depot's slip were told it did not exist (404), while its API said 403
    wrong_depot: the page says whose it is, in the reader's language, and leads back to their depot's hand-overs;
    its Print (the form) is refused alike and records nothing. An unknown request stays not found."""
    runtime.db.depots.update_one({"_id": "BHD"}, {"$set": {"name": "Bhadohi depot", "name_hi": "भदोही डिपो"}})
    runtime.db.depots.update_one({"_id": "VNS"}, {"$set": {"name": "Varanasi depot", "name_hi": "वाराणसी डिपो"}})
    handle(requisition("RequisitionApproved", "R-BHD", [("YRN", 1_000)], depot="BHD"))
    handle(requisition("RequisitionApproved", "R-BHD-HELD", [("YRN", 1_000)], depot="BHD"))
    handle(handed_over("R-BHD", [("YRN", 1_000)], depot="BHD"))
    for rid in ("R-BHD", "R-BHD-HELD"):  # handed over or set aside there: another depot's either way
        for method in ("GET", "POST"):
            refused = page(f"/warehouse/dispatch/{rid}/slip", method=method, status=403)
            said = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", refused))
            assert "Not allowed" in said and "Handed over on" not in said and "Hand-over slip (gate pass)" not in said
            assert f"The hand-over slip of request {rid} belongs to another depot, Bhadohi depot" in said, said
            assert "Ask Bhadohi depot for it" in said and "Varanasi depot" in said
            assert 'href="/warehouse/dispatch"' in refused and "Back to the hand-overs at Varanasi depot" in said
            hindi = page(f"/warehouse/dispatch/{rid}/slip", method=method, lang="hi", status=403)
            assert "भदोही डिपो" in hindi and "वाराणसी डिपो" in hindi and "Bhadohi" not in hindi
            assert "belongs to" not in hindi and "अनुमति नहीं" in hindi and 'href="/warehouse/dispatch"' in hindi
    assert runtime.db.gate_passes.count_documents({}) == 0  # the refused Print recorded nothing
    assert "Handed over on" in page("/warehouse/dispatch/R-BHD/slip", role="admin", sub="admin")
    assert "Hand-over slip (gate pass)" in page("/warehouse/dispatch/R-BHD-HELD/slip", role="admin", sub="admin")
    assert "No approved request" in page("/warehouse/dispatch/R-NOWHERE/slip", status=404)


def test_no_gate_pass_for_a_request_not_set_aside_says_what_to_do_next(page, handle):
    handle(requisition("RequisitionApproved", "R-WAIT", [("YRN", 500_000)]))  # more than there is: waitlisted
    handle(requisition("RequisitionApproved", "R-GONE", [("YRN", 1_000)]))
    handle(requisition("RequisitionCancelled", "R-GONE", [("YRN", 1_000)]))
    waiting = page("/warehouse/dispatch/R-WAIT/slip", status=409)
    assert "waiting for stock" in waiting and "appears under Ready to hand over" in waiting
    assert 'href="/warehouse/dispatch"' in waiting  # where to print it once set aside
    gone = page("/warehouse/dispatch/R-GONE/slip", status=409)
    assert "was cancelled or rejected" in gone and "Do not let material leave for it" in gone
    for rid in ("R-WAIT", "R-GONE"):
        hindi = page(f"/warehouse/dispatch/{rid}/slip", lang="hi", status=409)
        assert "सौंपने" in hindi and "Ready to hand over" not in hindi and "cancelled" not in hindi
    unknown = page("/warehouse/dispatch/R-NEW/slip", status=404)  # submitted (or rejected): inventory never held it
    assert "A slip can be printed once a request for this depot is approved" in unknown


def test_hand_over_without_script_comes_back_saying_to_whom_with_the_gate_pass_link(config):
    """The Hand over button did nothing without script (the script called the API); after it, with script, the clerk
    got a badge and a greyed button. Now it is a form: requests hands the request over and sends the clerk back to
    the page, which says to whom it went and links its gate pass; that waits a moment for the depot's records."""
    from shared.names import ref
    from tests.integration.test_inventory_pages import approved
    world, rid, _ = approved(config)
    clerk = issue_token(config.jwt_secret, sub="warehouse", role="warehouse", depot="VNS")
    inventory, requests = world.http["inventory"], world.http["requests"]
    inventory.set_cookie(COOKIE, clerk)
    ready = inventory.get("/warehouse/dispatch").get_data(as_text=True)
    card = re.search(rf'data-requisition="{rid}".*?</form>', ready, re.S).group(0)
    assert re.search(rf'<form class="actions" method="post" action="[^"]*/my/requisitions/{rid}/hand-over">', card)
    assert 'name="csrf_token"' in card and re.search(r'<button type="submit" data-action=', card)
    hidden = re.search(r'<div class="notice ok handed" data-handed hidden>(.*?)</div>', card, re.S).group(1)
    assert "is handed over to" in hidden and f"/warehouse/dispatch/{rid}/slip?after=hand-over" in hidden

    for who, token, form in (("artisan", issue_token(config.jwt_secret, sub="artisan", role="artisan",
                                                     artisan_id="ART-0001"), True),
                             ("no csrf", clerk, False)):
        requests.set_cookie(COOKIE, token)
        refused = requests.post(f"/my/requisitions/{rid}/hand-over",
                                data={"csrf_token": csrf_token(config.jwt_secret, token)} if form else {})
        assert refused.status_code == 403, who
    requests.set_cookie(COOKIE, clerk)
    assert requests.get(f"/api/v1/requisitions/{rid}").json["status"] == "reserved"  # nothing changed
    sent = requests.post(f"/my/requisitions/{rid}/hand-over", data={"csrf_token": csrf_token(config.jwt_secret, clerk)})
    assert sent.status_code == 303 and sent.headers["Location"].endswith(f"/warehouse/dispatch?handed={rid}")
    assert requests.get(f"/api/v1/requisitions/{rid}").json["status"] == "dispatched"

    back = inventory.get(f"/warehouse/dispatch?handed={rid}").get_data(as_text=True)  # before inventory heard of it
    notice = re.search(r'<div class="notice ok handed" id="handed-over"[^>]*>(.*?)</div>', back, re.S).group(1)
    assert f"Request {ref(rid)} is handed over to" in notice and "Ramesh Kumar" in notice and "ART-0001" in notice
    assert f'href="/warehouse/dispatch/{rid}/slip?after=hand-over"' in notice and "Print the gate pass" in notice
    assert f'data-requisition="{rid}"' not in back  # no second Hand over for it
    waiting = inventory.get(f"/warehouse/dispatch/{rid}/slip?after=hand-over")
    assert waiting.status_code == 200 and "recording the hand-over" in waiting.get_data(as_text=True)
    assert waiting.headers["Refresh"].startswith("1; url=") and "waited=1" in waiting.headers["Refresh"]
    world.settle()
    slip = inventory.get(f"/warehouse/dispatch/{rid}/slip?after=hand-over&waited=1").get_data(as_text=True)
    assert "Handed over on" in slip and "lot " in lines_read(slip)["YRN-COT-40"] and "2 kg" in lines_read(slip)[
        "YRN-COT-40"]
    inventory.set_cookie(LANG_COOKIE, "hi")
    hindi = inventory.get(f"/warehouse/dispatch?handed={rid}").get_data(as_text=True)
    assert "रमेश कुमार" in hindi and "is handed over" not in hindi and "Print the gate pass" not in hindi
