"""Returns from artisans (requests' RequisitionReturned): `restock` lines go back on the depot's shelf into the lots
they were handed over from (a `taken_back` movement with StockTakenBack), `damaged` lines are recorded for the damaged
shelf and change no stock; each return is applied once per material however often it comes or wherever it died."""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta, timezone

import pytest

from services.inventory import clock, create_app, ledger
from services.inventory.consumer import make_handler
from services.inventory.errors import UnknownDepot, UnknownMaterial
from shared.auth import COOKIE, issue_token
from shared.envelope import new_event
from shared.errors import outcome
from shared.i18n import LANG_COOKIE
from shared.reconcile import check, facts_of
from tests.integration.test_inventory_support import (DyingStore, Killed, check_invariants, dated_receipt, outbox_types,
                                                      requisition)
from tests.integration.test_inventory_support import inventory_api, runtime  # noqa: F401  (fixtures)

IST = timezone(timedelta(hours=5, minutes=30))


@pytest.fixture
def api(inventory_api):
    return inventory_api


@pytest.fixture
def handle(runtime, config):
    return make_handler(runtime.db, config)


def receive(api, quantity, lot, sku="YRN", depot="VNS"):
    """A receipt into `lot`; a dye's lot without its date gives one far ahead (dated), as a label would."""
    body = dated_receipt({"type": "receipt", "sku": sku, "depot": depot, "quantity": quantity, "lot": lot})
    return api("POST", "/movements", body, status=201)


def handed_over(handle, rid, lines, depot="VNS"):
    """A requisition approved and dispatched at `depot`: lines as (sku, thousandths)."""
    handle(requisition("RequisitionApproved", rid, lines, depot=depot))
    handle(requisition("RequisitionDispatched", rid, lines, depot=depot))


def returned(rid, return_id, lines, depot="VNS", artisan="ART-1", reason="wrong shade"):
    """RequisitionReturned as requests publishes it; lines as (sku, thousandths, condition)."""
    payload = {"requisition_id": rid, "return_id": return_id, "artisan_id": artisan, "depot": depot,
               "lines": [{"sku": sku, "quantity": q, "condition": c, "credit": q // 10, "subsidy": q // 100}
                         for sku, q, c in lines],
               "reason": reason, "month": "2026-12", "credit": sum(q // 10 for _, q, _ in lines),
               "subsidy": sum(q // 100 for _, q, _ in lines), "by": "clerk-vns"}
    return new_event("RequisitionReturned", rid, payload, source="requests")


def lots_of(api, sku="YRN", depot="VNS"):
    return {x["lot"]: (x["on_hand"], x["status"]) for x in api("GET", f"/stock/{depot}/{sku}")["lots"]}


def taken_back(runtime, **query):
    ledger.project_pending(runtime.db)  # entries a dead writer left in the journal, as the worker's sweep copies them
    return list(runtime.db.movements.find({"type": "taken_back", **query}))


def clean(runtime):
    return [p for p in check(facts_of({"inventory": runtime.db})).problems
            if "outbox" not in p and "not yet projected" not in p]


def test_a_restock_line_goes_back_into_the_lot_it_was_handed_over_from_and_damaged_changes_no_stock(
        api, runtime, handle):
    receive(api, "30", {"code": "A", "shade": "indigo-2"})
    receive(api, "5", "D", sku="DYE")
    handed_over(handle, "R1", [("YRN", 20_000), ("DYE", 2_000)])
    receive(api, "10", "B")  # a later lot: the return is not put there
    handle(returned("R1", "RET-1", [("YRN", 4_000, "restock"), ("DYE", 1_000, "damaged")]))
    assert lots_of(api) == {"A": ("14", "available"), "B": ("10", "available")}
    assert api("GET", "/stock/VNS/DYE")["on_hand"] == "3"  # the damaged dye is not back on the shelf
    [entry] = taken_back(runtime)
    assert (entry["sku"], entry["quantity"], entry["lot"], entry["requisition_id"], entry["return_id"],
            entry["reason"], entry["by"]) == ("YRN", 4_000, "A", "R1", "RET-1", "wrong shade", "clerk-vns")
    event = [e for e in runtime.db.stock.find_one({"_id": "VNS/YRN"})["outbox"] if e["type"] == "StockTakenBack"]
    assert [(e["payload"]["quantity"], e["payload"]["on_hand"], e["payload"]["lot"], e["payload"]["return_id"])
            for e in event] == [("4", "24", "A", "RET-1")]
    doc = runtime.db.returns.find_one({"_id": "RET-1"})
    assert doc["applied"] and [(x["sku"], x["quantity"], x["condition"]) for x in doc["lines"]] == [
        ("DYE", 1_000, "damaged"), ("YRN", 4_000, "restock")]
    check_invariants(runtime.db)
    assert clean(runtime) == []


def test_a_return_duplicated_or_replayed_is_applied_once(api, runtime, handle):
    receive(api, "30", "A")
    handed_over(handle, "R1", [("YRN", 20_000)])
    event = returned("R1", "RET-1", [("YRN", 4_000, "restock")])
    handle(event)
    handle(event)  # the same message again (a relay's republish)
    handle(returned("R1", "RET-1", [("YRN", 4_000, "restock")]))  # the same return in another envelope
    assert len(taken_back(runtime)) == 1 and api("GET", "/stock/VNS/YRN")["on_hand"] == "14"
    assert outbox_types(runtime.db, "stock", "VNS/YRN").count("StockTakenBack") == 1
    handle(returned("R1", "RET-2", [("YRN", 1_000, "restock")]))  # another return of the same request
    assert len(taken_back(runtime)) == 2 and api("GET", "/stock/VNS/YRN")["on_hand"] == "15"
    check_invariants(runtime.db)
    assert clean(runtime) == []


@pytest.mark.parametrize("writes,right_after", [(0, False), (1, False), (1, True), (2, True)])
def test_a_worker_that_dies_part_way_leaves_the_replay_to_apply_each_line_once(
        api, runtime, config, writes, right_after):
    receive(api, "30", "A")
    receive(api, "10", "D", sku="DYE")
    handle = make_handler(runtime.db, config)
    handed_over(handle, "R1", [("YRN", 20_000), ("DYE", 5_000)])
    event = returned("R1", "RET-1", [("YRN", 4_000, "restock"), ("DYE", 2_000, "restock")])
    dying = make_handler(DyingStore(runtime.db, writes, right_after), config)
    with pytest.raises(Killed):
        dying(event)
    handle(event)  # the offset was not committed: the event comes again
    assert [(e["sku"], e["quantity"]) for e in sorted(taken_back(runtime), key=lambda e: e["sku"])] == [
        ("DYE", 2_000), ("YRN", 4_000)]
    assert (api("GET", "/stock/VNS/YRN")["on_hand"], api("GET", "/stock/VNS/DYE")["on_hand"]) == ("14", "7")
    check_invariants(runtime.db)
    assert clean(runtime) == []


def test_a_line_handed_over_from_several_lots_comes_back_earliest_expiring_first_up_to_each_lots_part(
        api, runtime, handle):
    soon, later = ((clock.today() + timedelta(days=d)).isoformat() for d in (100, 400))
    receive(api, "6", {"code": "SOON", "expires_on": soon})
    receive(api, "8", {"code": "LATER", "expires_on": later})
    receive(api, "1", {"code": "KEEP", "expires_on": later})
    handed_over(handle, "R1", [("YRN", 14_000)])  # SOON 6 and LATER 8: both emptied
    assert lots_of(api) == {"KEEP": ("1", "available")}
    handle(returned("R1", "RET-1", [("YRN", 9_000, "restock")]))
    assert lots_of(api) == {"SOON": ("6", "available"), "LATER": ("3", "available"), "KEEP": ("1", "available")}
    stock = {x["lot"]: x for x in api("GET", "/stock/VNS/YRN")["lots"]}
    assert (stock["SOON"]["expires_on"], stock["LATER"]["expires_on"]) == (soon, later)  # labels kept
    handle(returned("R1", "RET-2", [("YRN", 5_000, "restock")]))  # SOON gave all it had: the rest to LATER
    assert lots_of(api) == {"SOON": ("6", "available"), "LATER": ("8", "available"), "KEEP": ("1", "available")}
    [second] = taken_back(runtime, return_id="RET-2")
    assert second["lot"] == "LATER"
    check_invariants(runtime.db)


def test_a_lot_that_went_back_to_its_supplier_comes_back_on_hold_and_an_expired_one_stays_expired(
        api, runtime, handle, monkeypatch):
    receive(api, "10", "BAD")
    handed_over(handle, "R1", [("YRN", 4_000)])
    api("POST", "/movements", {"type": "return", "sku": "YRN", "depot": "VNS", "quantity": "6", "lot": "BAD",
                               "reason": "rotten bales"}, status=201)
    handle(returned("R1", "RET-1", [("YRN", 4_000, "restock")]))
    assert lots_of(api) == {"BAD": ("4", "on_hold")}  # staff inspect it before anyone gets it
    assert api("GET", "/stock/VNS/YRN")["available"] == "0"

    receive(api, "5", {"code": "OLD", "expires_on": (clock.today() + timedelta(days=2)).isoformat()}, sku="DYE")
    handed_over(handle, "R2", [("DYE", 3_000)])
    today = clock.today() + timedelta(days=5)
    monkeypatch.setattr(clock, "today", lambda: today)
    monkeypatch.setattr(clock, "local_now", lambda: datetime.combine(today, datetime.min.time(), IST))
    handle(returned("R2", "RET-2", [("DYE", 1_000, "restock")]))
    assert lots_of(api, "DYE") == {"OLD": ("3", "expired")}  # never offered again: written off as expired
    check_invariants(runtime.db)


def test_returned_stock_serves_the_waitlist_and_raises_the_level_event(api, runtime, handle):
    receive(api, "6", "A")  # YRN's reorder level is 5
    handed_over(handle, "R1", [("YRN", 6_000)])
    handle(requisition("RequisitionApproved", "R2", [("YRN", 3_000)]))
    assert runtime.db.reservations.find_one({"_id": "R2"})["status"] == "waitlisted"
    handle(returned("R1", "RET-1", [("YRN", 6_000, "restock")]))
    assert runtime.db.reservations.find_one({"_id": "R2"})["status"] == "held"
    levels = [t for t in outbox_types(runtime.db, "stock", "VNS/YRN") if t.startswith("Stock") and t in
              ("StockLow", "StockDepleted", "StockReplenished")]
    assert "StockReplenished" in levels
    check_invariants(runtime.db)


def test_a_return_of_material_or_depot_inventory_does_not_know_is_dead_lettered_and_changes_nothing(
        api, runtime, handle):
    receive(api, "30", "A")
    handed_over(handle, "R1", [("YRN", 20_000)])
    for event, error in ((returned("R1", "RET-1", [("YRN", 1_000, "restock"), ("NOPE", 1_000, "damaged")]),
                          UnknownMaterial),
                         (returned("R1", "RET-2", [("YRN", 1_000, "restock")], depot="ZZZ"), UnknownDepot)):
        with pytest.raises(error) as raised:
            handle(event)
        assert outcome(raised.value).permanent
    assert taken_back(runtime) == [] and runtime.db.returns.count_documents({}) == 0
    assert api("GET", "/stock/VNS/YRN")["on_hand"] == "10"


def test_reconcile_finds_a_taken_back_movement_that_is_not_a_returns_restock_line(api, runtime, handle):
    receive(api, "30", "A")
    handed_over(handle, "R1", [("YRN", 20_000)])
    handle(returned("R1", "RET-1", [("YRN", 4_000, "restock")]))
    assert clean(runtime) == []
    runtime.db.returns.update_one({"_id": "RET-1"}, {"$set": {"lines.0.quantity": 3_000}})
    assert any("RET-1" in p and "taken back" in p for p in clean(runtime))
    runtime.db.returns.delete_one({"_id": "RET-1"})
    assert any("RET-1" in p for p in clean(runtime))


def test_the_returns_list_is_the_depots_for_its_staff_and_any_depots_for_admins(api, runtime, handle):
    receive(api, "30", "A")
    receive(api, "30", "A2", depot="BHD")
    handed_over(handle, "R1", [("YRN", 20_000)])
    handed_over(handle, "R2", [("YRN", 20_000)], depot="BHD")
    handle(returned("R1", "RET-1", [("YRN", 4_000, "restock"), ("YRN", 1_000, "damaged")]))
    handle(returned("R2", "RET-2", [("YRN", 2_000, "damaged")], depot="BHD", artisan="ART-2"))
    mine = api("GET", "/returns", role="warehouse", depot="VNS", status=200)
    assert [(r["return_id"], r["requisition_id"], r["artisan_id"], r["reason"]) for r in mine] == [
        ("RET-1", "R1", "ART-1", "wrong shade")]
    assert sorted((x["sku"], x["quantity"], x["condition"]) for x in mine[0]["lines"]) == [
        ("YRN", "1", "damaged"), ("YRN", "4", "restock")]
    assert [r["return_id"] for r in api("GET", "/returns", status=200)] == ["RET-2", "RET-1"]
    assert [r["return_id"] for r in api("GET", "/returns?depot=BHD", status=200)] == ["RET-2"]
    assert [r["return_id"] for r in api("GET", "/returns?limit=1&page=2", status=200)] == ["RET-1"]
    refused = api("GET", "/returns?depot=BHD", role="warehouse", depot="VNS", status=403)
    assert refused["error"]["code"] == "wrong_depot"
    api("GET", "/returns", role="artisan", artisan_id="ART-1", status=403)
    assert api("GET", "/returns?page=0", status=400)["error"]["code"] == "validation_error"


@pytest.fixture
def browse(config, runtime):
    """browse(path, role=, lang=, **claims) -> (status, html) of a page, logged in as `role` (None: nobody)."""
    def get(path, role="warehouse", lang="en", **claims):
        client = create_app(config, runtime).test_client()
        if role is not None:
            client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub=f"{role}-1", role=role, **claims))
        client.set_cookie(LANG_COOKIE, lang)
        response = client.get(path)
        return response.status_code, response.get_data(as_text=True)
    return get


def test_the_depots_returns_page_lists_each_line_in_english_and_hindi_a_page_at_a_time(api, runtime, handle, browse):
    runtime.db.artisans.insert_one({"_id": "ART-1", "name": "Ramesh Kumar", "name_hi": "रमेश कुमार"})
    receive(api, "30", "A")
    handed_over(handle, "R1", [("YRN", 20_000)])
    handle(returned("R1", "RET-1", [("YRN", 4_000, "restock"), ("YRN", 1_500, "damaged")], reason="shade off"))
    status, html = browse("/warehouse/returns", depot="VNS")
    assert status == 200
    rows = re.findall(r'<tr data-return="RET-1" data-line="YRN" data-condition="(\w+)">(.*?)</tr>', html, re.S)
    assert [condition for condition, _ in rows] == ["damaged", "restock"]
    damaged, restock = (row for _, row in rows)
    for text in ("Ramesh Kumar", "YRN material", "1.5", "Damaged: written off", "shade off"):
        assert text in damaged, text
    assert "Back on the shelf" in restock and "lot A" in restock and "4 kg" in restock
    status, hindi = browse("/warehouse/returns", lang="hi", depot="VNS")
    assert status == 200 and "कारीगरों से वापसी" in hindi and "रमेश कुमार" in hindi and "खराब: बट्टे खाते में" in hindi
    for n in range(2, 53):  # a page holds 50 returns
        handle(returned("R1", f"RET-{n}", [("YRN", 10, "damaged")]))
    first = browse("/warehouse/returns", depot="VNS")[1]
    second = browse("/warehouse/returns?page=2", depot="VNS")[1]
    assert 'data-return="RET-52"' in first and 'data-return="RET-1"' not in first
    assert 'data-return="RET-1"' in second and 'rel="prev"' in second
    ledger_page = browse("/warehouse/ledger?type=taken_back", depot="VNS")[1]
    assert "Taken back from artisan" in ledger_page and 'data-movement=' in ledger_page
    assert "Return from the artisan: <span translate=\"no\">RET-1</span>" in ledger_page or \
        re.search(r'data-detail="return_id">Return from the artisan: .*?RET-1', ledger_page), ledger_page[-3000:]
    hindi_ledger = browse("/warehouse/ledger?type=taken_back", lang="hi", depot="VNS")[1]
    assert "कारीगर से वापस लिया" in hindi_ledger and "कारीगर की वापसी" in hindi_ledger


def test_the_returns_page_is_for_a_depots_staff_at_their_own_depot_and_admins_at_any(api, runtime, handle, browse):
    receive(api, "30", "A2", depot="BHD")
    handed_over(handle, "R2", [("YRN", 20_000)], depot="BHD")
    handle(returned("R2", "RET-9", [("YRN", 2_000, "damaged")], depot="BHD"))
    assert browse("/warehouse/returns", role=None)[0] == 302  # to the login page
    assert browse("/warehouse/returns", role="artisan", artisan_id="ART-1")[0] == 403
    assert browse("/warehouse/returns?depot=BHD", depot="VNS")[0] == 403  # another depot's staff
    assert 'data-return="RET-9"' not in browse("/warehouse/returns", depot="VNS")[1]
    status, html = browse("/warehouse/returns?depot=BHD", role="admin")
    assert status == 200 and 'data-return="RET-9"' in html and 'id="depot-choice"' in html
    assert 'data-return="RET-9"' in browse("/warehouse/returns?depot=BHD", role="warehouse")[1]  # central staff


def test_the_returns_list_downloads_as_csv_every_line_for_a_spreadsheet_in_the_askers_language(
        api, runtime, handle, config, token):
    """The depot's returns list had no CSV, while every other staff list has one: ?format=csv gives every line of
    every matching return (no paging), after the BOM, no cell read as a formula, the artisan, material and shelf in
    the asker's language; the same people as the list may have it."""
    runtime.db.artisans.insert_one({"_id": "ART-1", "name": "Ramesh Kumar", "name_hi": "रमेश कुमार"})
    receive(api, "30", "A")
    receive(api, "30", "A2", depot="BHD")
    handed_over(handle, "R1", [("YRN", 20_000)])
    handed_over(handle, "R2", [("YRN", 20_000)], depot="BHD")
    handle(returned("R1", "RET-1", [("YRN", 4_000, "restock"), ("YRN", 1_500, "damaged")],
                    reason="=HYPERLINK(\"http://x\")"))
    for n in range(2, 53):  # more than a page of the list: the export has them all
        handle(returned("R1", f"RET-{n}", [("YRN", 10, "damaged")]))
    handle(returned("R2", "RET-B", [("YRN", 2_000, "damaged")], depot="BHD"))
    client = create_app(config, runtime).test_client()

    def download(path, lang="en", role="warehouse", **claims):
        return client.get(f"/api/v1{path}", headers={**token(role, **claims), "Accept-Language": lang})

    answer = download("/returns?depot=VNS&format=csv", depot="VNS")
    assert answer.status_code == 200, answer.get_data()[:300]
    assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in answer.headers["Content-Disposition"] and "returns" in answer.headers["Content-Disposition"]
    body = answer.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 53 and {r["depot"] for r in rows} == {"VNS"}  # 51 one-line returns, RET-1's two lines
    first = [r for r in rows if r["return_id"] == "RET-1"]
    assert sorted((r["condition"], r["quantity"], r["unit"], r["lot"]) for r in first) == [
        ("damaged", "1.5", "kg", ""), ("restock", "4", "kg", "A")]
    restock = next(r for r in first if r["condition"] == "restock")
    assert restock["requisition_id"] == "R1" and restock["artisan_id"] == "ART-1"
    assert restock["artisan_name"] == "Ramesh Kumar" and restock["material"] == "YRN material"
    assert restock["condition_text"] == "Back on the shelf" and restock["credit_rupees"] == "4.00"
    assert restock["reason"] == "'=HYPERLINK(\"http://x\")"  # a spreadsheet never runs it
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+05:30", restock["at_ist"]), restock["at_ist"]
    hindi = list(csv.DictReader(io.StringIO(download("/returns?format=csv", lang="hi", depot="VNS")
                                            .get_data().decode("utf-8-sig"))))
    back = next(r for r in hindi if r["return_id"] == "RET-1" and r["condition"] == "restock")
    assert (back["artisan_name"], back["material"], back["condition_text"]) == (
        "रमेश कुमार", "YRN सामान", "वापस शेल्फ पर")
    assert list(hindi[0])[:2] == ["return_id", "at_ist"]  # the columns keep their names for formulas
    everyone = list(csv.DictReader(io.StringIO(download("/returns?format=csv", role="admin")
                                               .get_data().decode("utf-8-sig"))))
    assert {r["return_id"] for r in everyone} >= {"RET-1", "RET-B"}
    assert download("/returns?depot=BHD&format=csv", depot="VNS").status_code == 403
    assert download("/returns?format=csv", role="artisan", artisan_id="ART-1").status_code == 403
    assert download("/returns?format=xls", role="admin").status_code == 400


def test_the_returns_csv_ends_with_who_recorded_it_by_name_in_english_and_hindi(api, runtime, handle, config, token):
    """returns.csv said who recorded a return by login only (`clerk-vns`): its name as inventory was told of it
    (StaffNamed) comes last in both languages (`by_name`, `by_name_hi`), every column before in its place; a login it
    knows no name of, empty cells."""
    handle(new_event("StaffNamed", "clerk-vns", {"login": "clerk-vns", "role": "warehouse", "name": "Suresh Yadav",
                                                 "name_hi": "सुरेश यादव", "at": datetime.now(timezone.utc)},
                     source="requests"))
    receive(api, "30", "A")
    handed_over(handle, "R1", [("YRN", 20_000)])
    handle(returned("R1", "RET-1", [("YRN", 4_000, "restock")]))
    unknown = returned("R1", "RET-2", [("YRN", 1_000, "damaged")])
    unknown.payload["by"] = "clerk-new"
    handle(unknown)
    answer = create_app(config, runtime).test_client().get("/api/v1/returns?depot=VNS&format=csv",
                                                           headers=token("warehouse", depot="VNS"))
    read = list(csv.reader(io.StringIO(answer.get_data().decode("utf-8-sig"))))
    assert read[0] == ["return_id", "at_ist", "requisition_id", "artisan_id", "artisan_name", "cooperative", "depot",
                       "sku", "material", "unit", "quantity", "condition", "condition_text", "lot", "credit_rupees",
                       "reason", "by", "by_name", "by_name_hi"] and {len(row) for row in read} == {19}
    assert sorted((row[0], row[16], row[17], row[18]) for row in read[1:]) == [
        ("RET-1", "clerk-vns", "Suresh Yadav", "सुरेश यादव"), ("RET-2", "clerk-new", "", "")]


def test_the_returns_page_links_its_csv_for_the_depot_shown(api, runtime, handle, browse):
    receive(api, "30", "A")
    handed_over(handle, "R1", [("YRN", 20_000)])
    handle(returned("R1", "RET-1", [("YRN", 4_000, "restock")]))
    html = browse("/warehouse/returns?depot=VNS", role="admin")[1]
    link = re.search(r'<a [^>]*id="returns-csv"[^>]*>(.*?)</a>', html, re.S)
    assert link and "Download CSV" in link.group(1), html[-3000:]
    assert re.search(r'href="/api/v1/returns\?(depot=VNS&amp;format=csv|format=csv&amp;depot=VNS)"', link.group(0))
    assert "CSV डाउनलोड करें" in browse("/warehouse/returns?depot=VNS", role="admin", lang="hi")[1]


def test_a_short_line_changes_no_stock_and_is_listed_as_not_reaching_the_member(
        api, runtime, handle, browse, config, token):
    """A shortfall a cooperative's member reported, settled by requests as a return line `short`: the material left
    the depot at hand-over and never reached the member, so nothing goes back into stock (no taken_back movement,
    reconcile clean), and the list, the page and the CSV show the line as "did not reach the member"."""
    runtime.db.artisans.insert_one({"_id": "ART-2", "name": "Sita Devi", "name_hi": "सीता देवी"})
    receive(api, "30", "A")
    handed_over(handle, "R1", [("YRN", 20_000)])
    before = (api("GET", "/stock/VNS/YRN")["on_hand"], lots_of(api))
    event = returned("R1", "RET-S", [("YRN", 2_000, "short")], artisan="ART-2", reason="member got 8 kg")
    handle(event)
    handle(event)  # again: still nothing moves
    assert (api("GET", "/stock/VNS/YRN")["on_hand"], lots_of(api)) == before == ("10", {"A": ("10", "available")})
    assert taken_back(runtime) == [] and "StockTakenBack" not in outbox_types(runtime.db, "stock", "VNS/YRN")
    doc = runtime.db.returns.find_one({"_id": "RET-S"})
    assert doc["applied"] and [(x["sku"], x["quantity"], x["condition"], x.get("movement_id")) for x in doc["lines"]] \
        == [("YRN", 2_000, "short", None)]
    [listed] = api("GET", "/returns", role="warehouse", depot="VNS", status=200)
    assert [(x["sku"], x["quantity"], x["condition"]) for x in listed["lines"]] == [("YRN", "2", "short")]
    for lang, words in (("en", "Did not reach the member"), ("hi", "सदस्य तक नहीं पहुँचा")):
        status, html = browse("/warehouse/returns", lang=lang, depot="VNS")
        [row] = re.findall(r'<tr data-return="RET-S" data-line="YRN" data-condition="short">(.*?)</tr>', html, re.S)
        assert status == 200 and words in row and ("Sita Devi" if lang == "en" else "सीता देवी") in row, row
        answer = create_app(config, runtime).test_client().get(
            "/api/v1/returns?format=csv", headers={**token("warehouse", depot="VNS"), "Accept-Language": lang})
        [line] = list(csv.DictReader(io.StringIO(answer.get_data().decode("utf-8-sig"))))
        assert (line["condition"], line["condition_text"], line["quantity"], line["lot"]) == ("short", words, "2", "")
    check_invariants(runtime.db)
    assert clean(runtime) == []
