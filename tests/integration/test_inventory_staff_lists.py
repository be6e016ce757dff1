"""Issue 18 on the inventory side, without a browser: search, filters, paging and CSV of stock and the ledger, the
stock card, who collects a hand-over (inventory's copy of requests' artisans) and its slip, errors that say what is
available, depots' Hindi names and times that say their zone."""
from __future__ import annotations

import csv
import io
import re
from urllib.parse import quote
from datetime import date, timedelta

import pytest

from services.inventory import catalog, create_app, movements, spec
from services.inventory.consumer import make_handler
from shared.auth import COOKIE, issue_token
from shared.envelope import new_event
from shared.i18n import LANG_COOKIE
from shared.runtime import Runtime
from tests.integration.test_inventory_support import dated, requisition, seed_catalog

API = "/api/v1"


@pytest.fixture
def runtime(config):
    runtime = Runtime(spec(), config)
    seed_catalog(runtime.db)
    for n in range(3):
        movements.record_movement(runtime.db, {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": 10_000,
                                               "reference": f"GRN-{n}", "supplier": "Sri Ram",
                                               "lot": {"code": f"L{n}", "shade": "red"}}, by="clerk")
    movements.record_movement(runtime.db, {"type": "receipt", "sku": "DYE", "depot": "VNS", "quantity": 500,
                                           "lot": dated()}, by="clerk")  # a dye's new lot gives its date
    yield runtime
    runtime.close()


@pytest.fixture
def client(config, runtime):
    return create_app(config, runtime).test_client()


@pytest.fixture
def page(config, client):
    def get(path, role="warehouse", lang="en", status=200):
        claims = {"depot": "VNS"} if role == "warehouse" else {}
        client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub=role, role=role, **claims))
        client.set_cookie(LANG_COOKIE, lang)
        response = client.get(path)
        assert response.status_code == status, response.get_data(as_text=True)[:500]
        return response.get_data(as_text=True)
    return get


def rows(html: str, table: str) -> list[str]:
    body = re.search(rf'id="{table}".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return re.findall(r"<tr\b.*?</tr>", body, re.S)


def test_the_stock_page_searches_filters_and_pages_and_its_csv_has_every_matching_row(page, client, token):
    assert len(rows(page("/warehouse/stock"), "stock-table")) == 3  # BRS, never stocked at VNS, at 0
    found = page("/warehouse/stock?q=yrn")
    assert [r for r in rows(found, "stock-table") if 'data-sku="YRN"' in r] == rows(found, "stock-table")
    assert len(rows(page("/warehouse/stock?category=dye"), "stock-table")) == 1
    assert "No stock matches" in page("/warehouse/stock?q=nothing-like-it")
    assert 'href="/warehouse/stock/YRN"' in page("/warehouse/stock")

    answer = client.get(f"{API}/stock?format=csv&depot=VNS", headers=token("warehouse", depot="VNS"))
    assert answer.mimetype == "text/csv"
    table = list(csv.DictReader(io.StringIO(answer.get_data().decode("utf-8-sig"))))
    assert [(r["sku"], r["on_hand"], r["unit"], r["level"]) for r in table] == [("DYE", "0.5", "kg", "low"),
                                                                                ("YRN", "30", "kg", "ok")]
    only = client.get(f"{API}/stock?format=csv&q=yr", headers=token("admin")).get_data().decode("utf-8-sig")
    assert only.splitlines()[1].startswith("VNS,YRN,") and len(only.splitlines()) == 2
    assert [s["sku"] for s in client.get(f"{API}/stock?q=dy", headers=token("admin")).json] == ["DYE"]
    every = client.get(f"{API}/stock", headers=token("admin")).json
    for punctuation in (",", " ; ", "()"):  # no word to search for: every row, as without q (an empty $and was a 500)
        assert client.get(f"{API}/stock", query_string={"q": punctuation}, headers=token("admin")).json == every

def test_the_stock_page_lists_every_active_material_at_0_even_one_never_stocked_at_the_depot(page, client, runtime,
                                                                                               token):
    """The depot's stock page listed only materials with a stock record there: brass sheet never received at the
    depot was missing, though "what to order" showed it. Every active material is listed, at 0 and none left, with
    its stock card; the filters, paging and the CSV download take it as any other row. The API's JSON and CSV stay
    stock records unless asked for every_material."""
    catalog.register_material(runtime.db, {"sku": "SLK", "name": "Silk yarn", "name_hi": "रेशम धागा",
                                           "category": "yarn", "unit": "kg", "reorder_level": 2_000})
    catalog.register_material(runtime.db, {"sku": "OLD", "name": "Retired dye", "name_hi": "पुराना रंग",
                                           "category": "dye", "unit": "kg", "reorder_level": 0})
    catalog.update_material(runtime.db, "OLD", {"active": False})  # no longer handed out: not listed
    listed = rows(page("/warehouse/stock"), "stock-table")
    assert [re.search(r'data-sku="([^"]+)"', r).group(1) for r in listed] == ["BRS", "SLK", "DYE", "YRN"]
    brass = listed[0]  # running out first, as any stock at 0
    assert 'class="depleted"' in brass and 'href="/warehouse/stock/BRS"' in brass
    assert re.search(r'On hand">0 kg<', brass) and re.search(r'Available"><strong>0 kg<', brass)
    assert "2 kg" in listed[1] and 'class="badge depleted"' in listed[1]  # its reorder level, and none left
    assert "4 materials" not in page("/warehouse/stock") and "3 materials are running low" in page("/warehouse/stock")

    def skus(path):
        return [re.search(r'data-sku="([^"]+)"', r).group(1) for r in rows(page(path), "stock-table")]
    assert skus("/warehouse/stock?category=metal") == ["BRS"]
    assert skus("/warehouse/stock?q=silk") == ["SLK"]
    assert skus("/warehouse/stock?level=short") == ["BRS", "DYE", "SLK"]  # by code when a level is chosen
    assert skus("/warehouse/stock?category=dye") == ["DYE"]
    card = page("/warehouse/stock/BRS")
    assert "Nothing has moved yet." in card and re.search(r"On hand</dt><dd>0 kg", card)

    for n in range(55):  # a catalog longer than a page: the rows added are paged with the others, none twice
        catalog.register_material(runtime.db, {"sku": f"M{n:02}", "name": f"Material {n}", "name_hi": f"सामान {n}",
                                               "category": "yarn", "unit": "kg", "reorder_level": 0})
    first, second = page("/warehouse/stock"), page("/warehouse/stock?page=2")
    assert "59 in all" in first
    paged = skus("/warehouse/stock") + skus("/warehouse/stock?page=2")
    assert len(paged) == 59 and len(set(paged)) == 59 and paged[-2:] == ["DYE", "YRN"] and "Page 2 of 2" in second

    link = re.search(r'id="stock-csv" download\s+href="([^"]+)"', page("/warehouse/stock?category=metal")).group(1)
    answer = client.get(link.replace("&amp;", "&"), headers=token("warehouse", depot="VNS"))
    table = list(csv.DictReader(io.StringIO(answer.get_data().decode("utf-8-sig"))))
    assert [(r["sku"], r["on_hand"], r["level"], r["material"]) for r in table] == [("BRS", "0", "depleted",
                                                                                      "BRS material")]
    everything = client.get(f"{API}/stock?format=csv&depot=VNS&every_material=true", headers=token("admin"))
    assert len(list(csv.DictReader(io.StringIO(everything.get_data().decode("utf-8-sig"))))) == 59
    records = client.get(f"{API}/stock?format=csv&depot=VNS", headers=token("admin")).get_data().decode("utf-8-sig")
    assert len(records.splitlines()) == 3  # without every_material: the stock records, as before

    assert [s["sku"] for s in client.get(f"{API}/stock?depot=VNS", headers=token("admin")).json] == ["DYE", "YRN"]
    one = client.get(f"{API}/stock?depot=VNS&every_material=true&limit=30", headers=token("admin"))
    two = client.get(f"{API}/stock?depot=VNS&every_material=true&limit=30&after={one.headers['X-Next-Cursor']}",
                     headers=token("admin"))
    both = one.json + two.json
    assert [s["sku"] for s in both] == sorted(s["sku"] for s in both) and len({s["sku"] for s in both}) == 59
    assert {s["sku"]: (s["on_hand"], s["available"]) for s in both}["BRS"] == ("0", "0")
    by_page = client.get(f"{API}/stock?depot=VNS&every_material=true&limit=30&page=2", headers=token("admin")).json
    assert by_page == two.json
    refused = client.get(f"{API}/stock?every_material=true", headers=token("admin"))
    assert refused.status_code == 400 and "depot" in refused.json["error"]["details"]


def test_the_stock_csv_quotes_a_material_name_a_spreadsheet_could_run(client, token):
    """stock.csv wrote material names as they were: one starting with = ran as a formula (movements' CSV did not)."""
    admin = token("admin")
    assert client.patch(f"{API}/materials/DYE", json={"name": "=HYPERLINK(x)"}, headers=admin).status_code == 200
    exported = client.get(f"{API}/stock?format=csv", headers=admin).get_data().decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(exported)))
    assert {r["sku"]: r["material"] for r in table}["DYE"] == "'=HYPERLINK(x)"


def test_the_stock_csv_ends_with_the_materials_and_depots_hindi_names_its_other_columns_in_place(client, runtime,
                                                                                                 token):
    """stock.csv named materials (and depots, by code) in English only, though the catalog stores their Hindi names:
    an officer who reads Hindi had none. They come last (`material_hi`, `depot_hi`), so a workbook reading the
    columns by position reads the same figures; empty where the catalog has no Hindi name."""
    admin = token("admin")
    assert client.patch(f"{API}/depots/VNS", json={"name_hi": "वाराणसी डिपो"}, headers=admin).status_code == 200
    runtime.db.materials.update_one({"_id": "DYE"}, {"$unset": {"name_hi": ""}})  # one stored before Hindi names
    for ask in ("/stock?format=csv", "/stock?format=csv&depot=VNS&every_material=true"):
        exported = client.get(f"{API}{ask}", headers={**admin, "Accept-Language": "en"}).get_data().decode("utf-8-sig")
        read = list(csv.reader(io.StringIO(exported)))
        assert read[0][:14] == ["depot", "sku", "material", "unit", "category", "on_hand", "reserved", "available",
                                "blocked", "on_order", "reorder_level", "level", "material_hi", "depot_hi"], ask
        by_sku = {(row[0], row[1]): row for row in read[1:]}
        assert by_sku["VNS", "YRN"][2:4] + by_sku["VNS", "YRN"][12:14] == ["YRN material", "kg", "YRN सामान",
                                                                           "वाराणसी डिपो"], ask
        assert by_sku["VNS", "DYE"][12:14] == ["", "वाराणसी डिपो"], ask
        assert len({len(row) for row in read}) == 1, ask
        assert {row[13] for row in read[1:] if row[0] != "VNS"} <= {""}, ask


def test_the_stock_csv_ends_with_the_categorys_hindi_name_as_the_pages_say_it(client, token):
    """stock.csv gave a material's category as its code (`yarn`, `dye`): an officer who reads Hindi read English
    codes where the pages say "धागा", "रंग". The category's Hindi name comes last (`category_hi`), after the Hindi
    names, so every column before it keeps its place, whatever the language asked in."""
    for lang in ("en", "hi"):
        exported = client.get(f"{API}/stock?format=csv", headers={**token("admin"), "Accept-Language": lang})
        read = list(csv.reader(io.StringIO(exported.get_data().decode("utf-8-sig"))))
        assert read[0] == ["depot", "sku", "material", "unit", "category", "on_hand", "reserved", "available",
                           "blocked", "on_order", "reorder_level", "level", "material_hi", "depot_hi",
                           "category_hi"], lang
        hindi = {row[4]: row[14] for row in read[1:]}
        assert hindi["yarn"] == "धागा" and hindi["dye"] == "रंग", (lang, hindi)
        assert all(len(row) == 15 for row in read), lang


def test_the_ledger_is_searched_filtered_by_india_days_paged_and_its_csv_says_both_zones(page, client, runtime,
                                                                                         token):
    for n in range(60):
        movements.record_movement(runtime.db, {"type": "adjustment", "sku": "YRN", "depot": "VNS", "quantity": -1,
                                               "reason": "count", "reference": f"C-{n}"}, by="clerk")
    first = page("/warehouse/ledger")
    assert len(rows(first, "ledger")) == 50 and "Page 1 of 2" in first and "64 in all" in first
    assert len(rows(page("/warehouse/ledger?page=2"), "ledger")) == 14
    assert len(rows(page("/warehouse/ledger?page=२"), "ledger")) == 14  # Devanagari digits too
    assert len(rows(page("/warehouse/ledger?q=grn-1"), "ledger")) == 1
    today, yesterday = date.today(), date.today() - timedelta(days=1)
    assert "No movements match" in page(f"/warehouse/ledger?to={yesterday - timedelta(days=1)}")
    assert len(rows(page(f"/warehouse/ledger?from={yesterday}&q=GRN"), "ledger")) == 3
    wrong = page("/warehouse/ledger?from=2026-02-30")
    assert 'aria-invalid="true"' in wrong and "Write a date such as 2026-04-30." in wrong

    entry = rows(page("/warehouse/ledger?q=GRN-2"), "ledger")[0]
    assert 'data-detail="supplier">Supplier: <bdi translate="no">Sri Ram</bdi><' in entry  # as typed, not a word
    assert 'data-detail="reference">Reference: <bdi translate="no">GRN-2</bdi><' in entry
    assert 'data-detail="lot">Lot: L2<' in entry
    assert re.search(r"\d{1,2}:\d\d [AP]M IST</td>", entry)

    answer = client.get(f"{API}/movements?format=csv&depot=VNS&q=GRN&from={today}", headers=token("admin"))
    table = list(csv.DictReader(io.StringIO(answer.get_data().decode("utf-8-sig"))))
    assert sorted(r["reference"] for r in table) == ["GRN-0", "GRN-1", "GRN-2"]
    assert all(r["at"].endswith("+00:00") and r["at_ist"].endswith("+05:30") for r in table)
    assert client.get(f"{API}/movements?from={today}&to={yesterday}", headers=token("admin")).status_code == 400


def test_a_stock_card_shows_figures_lots_holds_waiting_and_movements_with_names(page, runtime, config):
    handle = make_handler(runtime.db, config)
    handle(new_event("ArtisanRegistered", "ART-1", {"artisan_id": "ART-1", "name": "Ramesh Kumar", "district": "V",
                                                    "language": "hi", "phone": "+919800000001",
                                                    "gender": "male"}, source="requests"))
    handle(requisition("RequisitionApproved", "R-HELD", [("YRN", 4_000)]))
    handle(requisition("RequisitionApproved", "R-WAIT", [("YRN", 40_000)], artisan="ART-2"))
    card = page("/warehouse/stock/YRN")
    assert "Stock card: YRN material at VNS depot" in card
    assert re.search(r"Set aside</dt><dd>4 kg", card) and re.search(r"Available</dt><dd>26 kg", card)
    assert [lot for lot in ("L0", "L1", "L2") if f'data-lot="{lot}"' in card] == ["L0", "L1", "L2"]
    holds, waiting = rows(card, "holds"), rows(card, "waitlist")
    assert len(holds) == 1 and "Ramesh Kumar" in holds[0] and "4 kg" in holds[0]
    assert len(waiting) == 1 and "ART-2" in waiting[0] and "40 kg" in waiting[0]
    assert len(rows(card, "movements")) == 4
    assert "gender" not in str(runtime.db.artisans.find_one({"_id": "ART-1"}))  # admin-only facts are not copied
    page("/warehouse/stock/NOPE", status=404)


def test_a_hold_in_the_stock_card_and_ledger_says_what_was_set_aside_not_a_gain_on_hand(page, runtime, config):
    """The stock card showed a hold as "Set aside +4 kg" in the Change column beside an unchanged "On hand after",
    which reads as stock arriving. A hold and its release say what was set aside, unsigned, in both languages; a
    receipt still shows what on hand gained."""
    handle = make_handler(runtime.db, config)
    handle(requisition("RequisitionApproved", "R-HELD", [("YRN", 4_000)]))
    handle(requisition("RequisitionCancelled", "R-HELD", [("YRN", 4_000)]))

    def changes(html, table):
        return [re.sub(r"<[^>]+>|\s+", " ", re.findall(r'data-label="(?:Change|बदलाव)">(.*?)</td>', r, re.S)[0]).strip()
                for r in rows(html, table)]
    for html, table in ((page("/warehouse/stock/YRN"), "movements"), (page("/warehouse/ledger?sku=YRN"), "ledger")):
        assert changes(html, table) == ["4 kg no longer set aside", "4 kg set aside", "+10 kg", "+10 kg", "+10 kg"]
        assert "+4 kg" not in html and "-4 kg" not in html
    hindi = changes(page("/warehouse/stock/YRN", lang="hi"), "movements")
    assert hindi[:2] == ["4 किलो अब अलग नहीं रखा", "4 किलो अलग रखा गया"], hindi


def test_the_dispatch_page_and_slip_say_who_collects_and_what_from_which_lot(page, runtime, config):
    handle = make_handler(runtime.db, config)
    handle(new_event("CooperativeRegistered", "SMB", {"code": "SMB", "name": "Sarai Mohana Samiti",
                                                      "name_hi": "सराय मोहना समिति", "kind": "cooperative",
                                                      "district": "V"}, source="requests"))
    for name in ("Old Name", "Ramesh Kumar"):  # the newest profile wins
        handle(new_event("ArtisanUpdated", "ART-1", {"artisan_id": "ART-1", "name": name, "district": "V",
                                                     "language": "hi", "phone": "+919800000001",
                                                     "cooperative": "SMB"}, source="requests"))
    handle(requisition("RequisitionApproved", "R-ONE", [("YRN", 12_000)]))
    ready = page("/warehouse/dispatch")
    assert '<bdi translate="no">Ramesh Kumar</bdi> (ART-1)' in ready and "+919800000001" in ready and "Sarai Mohana Samiti" in ready
    assert "Approved: 12 kg" in ready and "Old Name" not in ready
    slip = page("/warehouse/dispatch/R-ONE/slip")
    assert "Hand-over slip (gate pass)" in slip and "R-ONE" in slip and "data-print" in slip
    read = re.sub(r"<[^>]+>", "", slip)  # as printed: a lot's code is in its own one-line span
    assert "lot L0: 10 kg" in read and "lot L1: 2 kg" in read  # one line from two lots
    assert "Handed over by" in slip and "Received by" in slip and "Checked at the gate by" in slip
    assert "सराय मोहना समिति" in page("/warehouse/dispatch/R-ONE/slip", lang="hi")
    page("/warehouse/dispatch/R-NONE/slip", status=404)
    handle(requisition("RequisitionApproved", "R-BHD", [("YRN", 1_000)], depot="BHD"))
    refused = page("/warehouse/dispatch/R-BHD/slip", status=403)  # another depot's: said whose, as its gate pass API
    assert "Hand-over slip (gate pass)" not in refused and "belongs to another depot" in refused  # no slip of it


def test_too_little_stock_says_what_is_available_in_its_unit_and_depots_have_hindi_names(client, token, page):
    headers = token("admin")
    answer = client.post(f"{API}/movements", json={"type": "adjustment", "sku": "DYE", "depot": "VNS",
                                                   "quantity": "-7", "reason": "damage"}, headers=headers)
    assert answer.status_code == 409
    assert answer.json["error"]["message"] == ("Only 0.5 kg of DYE material is available at VNS depot; 7 kg was "
                                               "asked for. Nothing was changed.")
    hindi = client.post(f"{API}/movements", json={"type": "adjustment", "sku": "DYE", "depot": "VNS",
                                                  "quantity": "-7", "reason": "damage"},
                        headers={**headers, "Accept-Language": "hi"})
    assert "0.5 किलो" in hindi.json["error"]["message"] and "7 किलो" in hindi.json["error"]["message"]

    changed = client.patch(f"{API}/depots/VNS", json={"name_hi": "वाराणसी डिपो"}, headers=headers)
    assert changed.status_code == 200 and changed.json["name_hi"] == "वाराणसी डिपो"
    assert "वाराणसी डिपो में स्टॉक" in page("/warehouse/stock", lang="hi")
    assert "Stock at VNS depot" in page("/warehouse/stock")


def test_no_gate_pass_is_printed_for_a_request_that_is_not_set_aside_for_hand_over(page, runtime, config):
    handle = make_handler(runtime.db, config)
    handle(requisition("RequisitionApproved", "R-GONE", [("YRN", 12_000)]))
    assert "Hand-over slip (gate pass)" in page("/warehouse/dispatch/R-GONE/slip")  # held: ready to hand over
    handle(requisition("RequisitionCancelled", "R-GONE", [("YRN", 12_000)]))
    handle(requisition("RequisitionApproved", "R-WAIT", [("YRN", 500_000)]))  # more than there is: waitlisted
    handle(requisition("RequisitionApproved", "R-DONE", [("DYE", 100)]))
    handle(requisition("RequisitionDispatched", "R-DONE", [("DYE", 100)]))
    assert [runtime.db.reservations.find_one({"_id": rid})["status"] for rid in ("R-GONE", "R-WAIT", "R-DONE")] == \
        ["released", "waitlisted", "issued"]
    for rid, why in (("R-GONE", "was cancelled or rejected"), ("R-WAIT", "is waiting for stock")):
        refused = page(f"/warehouse/dispatch/{rid}/slip", status=409)
        assert "gate pass" not in refused.lower() and "Handed over by" not in refused
        assert f"{rid} {why}" in refused and "no hand-over slip can be printed" in refused
        assert "सौंपने" in page(f"/warehouse/dispatch/{rid}/slip", lang="hi", status=409)
    assert "Handed over on" in page("/warehouse/dispatch/R-DONE/slip")  # handed over: its gate pass, from the records


def test_central_warehouse_staff_choose_the_depot_and_stay_on_it_from_page_to_page(client, config, runtime):
    """Warehouse staff without a depot of their own (central staff) may work at any depot: the pages let them choose
    it, as admins do, and links keep it (a material's card at BHD is BHD's, not the first depot's)."""
    movements.record_movement(runtime.db, {"type": "receipt", "sku": "YRN", "depot": "BHD", "quantity": 7_000},
                              by="clerk")
    client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="central", role="warehouse"))
    stock = client.get("/warehouse/stock?depot=BHD").get_data(as_text=True)
    assert 'id="depot-choice"' in stock and '<option value="BHD" selected>' in stock
    assert 'href="/warehouse/stock/YRN?depot=BHD"' in stock
    card = client.get("/warehouse/stock/YRN?depot=BHD").get_data(as_text=True)
    assert 'href="/warehouse/stock?depot=BHD"' in card and "/warehouse/ledger?depot=BHD&amp;sku=YRN" in card
    ledger_page = client.get("/warehouse/ledger?depot=BHD").get_data(as_text=True)
    assert 'id="f-depot"' in ledger_page and '<option value="BHD" selected>' in ledger_page
    for path in ("/warehouse/movements", "/warehouse/lots", "/warehouse/dispatch", "/warehouse/counts",
                 "/admin/purchase-orders", "/admin/replenishment"):
        assert 'id="depot-choice"' in client.get(f"{path}?depot=BHD").get_data(as_text=True), path
    client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="clerk", role="warehouse", depot="VNS"))
    own = client.get("/warehouse/stock").get_data(as_text=True)  # staff of a depot: theirs only
    assert client.get("/warehouse/stock?depot=BHD").status_code == 403  # told so, never theirs under BHD's code
    assert 'id="depot-choice"' not in own and 'href="/warehouse/stock/YRN"' in own


@pytest.mark.parametrize("odd", ["²", "①", "¹²", "9" * 5000])
def test_a_page_number_or_cover_in_digits_python_cannot_count_is_the_first_page_not_an_error(page, odd):
    """'²' or '①' count as digits to str.isdigit() but int() refuses them (as it does 5,000 digits): the pages
    answered 500 where anything else that is not a page number shows the first page."""
    odd = quote(odd)
    for path in ("/warehouse/stock", "/warehouse/ledger", "/admin/catalog"):
        page(f"{path}?page={odd}", role="admin")  # 200, not 500
    assert 'data-sku="YRN"' in page(f"/warehouse/stock?page={odd}")  # the first page
    assert "these figures are for 60 days" in page(f"/admin/replenishment?cover_days={odd}")  # the default cover
    assert 'value="45"' in page(f"/admin/replenishment?cover_days={quote('४५')}")  # Devanagari digits count


def test_every_purchase_order_and_count_of_a_depot_can_be_reached_a_page_at_a_time(page, runtime):
    """The pages listed the newest 200 orders and 100 counts and no more: older ones could not be found there."""
    from services.inventory import counts, purchase_orders, suppliers
    suppliers.register(runtime.db, {"code": "MILL", "name": "Mill", "district": "Salem"})
    for _ in range(205):
        purchase_orders.create(runtime.db, {"supplier": "MILL", "depot": "VNS", "expected_on": "2099-01-01",
                                            "lines": [{"sku": "YRN", "quantity": 1_000, "price": 100}]}, by="boss")
    for _ in range(105):
        counts.start(runtime.db, "VNS", by="clerk")
    first = page("/admin/purchase-orders")
    assert len(rows(first, "orders")) == 50 and "205 in all" in first and "PO-00205" in first
    last = page("/admin/purchase-orders?page=5")
    assert [re.search(r'data-order="([^"]+)"', r).group(1) for r in rows(last, "orders")] == \
        ["PO-00005", "PO-00004", "PO-00003", "PO-00002", "PO-00001"]
    assert "PO-00001" in page("/admin/purchase-orders?status=draft&page=5")  # the filter stays on every page
    listed = page("/warehouse/counts?page=3")
    assert len(rows(listed, "counts")) == 5 and "105 in all" in listed and 'data-count="CNT-00001"' in listed


def test_a_count_and_an_order_name_their_depot_in_the_readers_language(page, client, token, runtime):
    """The count, its printed sheet and the order page named the depot by its code ('VNS'), where every other
    page names it ('वाराणसी डिपो' on Hindi pages)."""
    from services.inventory import counts, purchase_orders, suppliers
    assert client.patch(f"{API}/depots/VNS", json={"name_hi": "वाराणसी डिपो"}, headers=token("admin")).status_code == 200
    suppliers.register(runtime.db, {"code": "MILL", "name": "Mill", "district": "Salem"})
    number = purchase_orders.create(runtime.db, {"supplier": "MILL", "depot": "VNS", "expected_on": "2099-01-01",
                                                 "lines": [{"sku": "YRN", "quantity": 1_000, "price": 100}]},
                                    by="boss")["purchase_order"]
    count_id = counts.start(runtime.db, "VNS", by="clerk")["count_id"]
    for path in (f"/warehouse/counts/{count_id}", f"/warehouse/counts/{count_id}/sheet",
                 f"/admin/purchase-orders/{number}"):
        assert "वाराणसी डिपो" in page(path, lang="hi"), path
        assert "VNS depot" in page(path), path


def test_the_adjustment_form_says_where_an_expired_lot_is_written_off(page):
    """Its reason "Expired" takes from lots still in use; staff writing off an expired lot chose it and left the
    expired lot on the books while good stock went down. The form says where that is done, in both languages."""
    for lang, words in (("en", "Lots page"), ("hi", "लॉट पेज")):
        html = page("/warehouse/movements", lang=lang)
        hint = re.search(r'<p class="hint" id="adjust-reason-hint">(.*?)</p>', html, re.S)
        assert hint and words in hint.group(1) and 'href="/warehouse/lots"' in hint.group(1), lang
        assert 'aria-describedby="adjust-reason-hint"' in html


def test_a_cooperatives_hand_over_card_names_the_cooperative_in_the_readers_language(page, runtime, config):
    """The card said "For the members of SMB": the code, in English and Hindi alike."""
    handle = make_handler(runtime.db, config)
    handle(new_event("CooperativeRegistered", "SMB", {"code": "SMB", "name": "Sarai Mohana Samiti",
                                                      "name_hi": "सराय मोहना समिति", "kind": "cooperative",
                                                      "district": "V"}, source="requests"))
    event = requisition("RequisitionApproved", "R-COOP", [("YRN", 2_000)])
    handle(new_event("RequisitionApproved", "R-COOP", {**event.data, "cooperative": "SMB", "shares": [
        {"artisan_id": "ART-1", "lines": [{"sku": "YRN", "quantity": 2_000}]}]}, source="requests"))
    heading = re.compile(r'<div class="spread"><strong>(.*?)</strong>', re.S)
    assert heading.search(page("/warehouse/dispatch")).group(1) == \
        "For the members of Sarai Mohana Samiti"
    assert "सराय मोहना समिति" in heading.search(page("/warehouse/dispatch", lang="hi")).group(1)


@pytest.mark.parametrize("asked", ["400", "0", "many"])
def test_days_of_stock_out_of_range_say_so_and_what_is_shown_instead(page, asked):
    """400 days silently became 60: the figures changed and nobody said why. Now it is said, and what was typed
    stays in the field to be put right (the figures are for 60 days)."""
    for lang, words in (("en", "between 1 and 365"), ("hi", "1 से 365")):
        html = page(f"/admin/replenishment?cover_days={asked}", lang=lang)
        notice = re.search(r'<p class="notice error" role="alert" id="r-days-error">(.*?)</p>', html, re.S)
        assert notice and words in notice.group(1) and "60" in notice.group(1), lang
        field = re.search(r'<input id="r-days"[^>]*>', html).group(0)  # what was typed stays, said wrong
        assert f'value="{asked}"' in field and 'aria-invalid="true"' in field, field
    assert 'id="r-days-error"' not in page("/admin/replenishment?cover_days=90")


def test_the_what_to_order_charts_description_says_its_first_day_as_pages_do(page):
    """Screen readers heard the chart's first day as an ISO date ("From 2026-09-07: ..."); it is now written as pages
    write dates ("From 7 Sep 2026: ...", "7 सित॰ 2026 से: ...")."""
    from services.inventory import clock, replenish_rules
    start = clock.today() - timedelta(days=replenish_rules.HISTORY_DAYS - 1)
    for lang, before, after in (("en", f"From {start.day} ", f" {start.year}: "),
                                ("hi", f"{start.day} ", f" {start.year} से: ")):
        html = page("/admin/replenishment?depot=VNS", role="admin", lang=lang)
        said = re.findall(r'<svg class="spark"[^>]*aria-label="([^"]+)"', html)
        assert said, html[:1000]
        for text in said:
            assert not re.search(r"\d{4}-\d{2}-\d{2}", text) and text.startswith(before) and after in text, text


def test_the_slip_gives_the_requests_short_reference_as_the_artisans_page_and_sms_do(page, runtime, config):
    """The slip's title was "Hand-over slip · 2b4ff5a5", the id's LAST 8 characters, while the artisan's page says
    "Request number: 00433294" and SMS "REQ 00433294": one number for a gate checker to match."""
    rid = "00433294" + "9c1e4f7a0d3b6e85" + "2b4ff5a5"
    make_handler(runtime.db, config)(requisition("RequisitionApproved", rid, [("YRN", 1_000)]))
    slip = page(f"/warehouse/dispatch/{rid}/slip")
    assert re.search(r"<title>Hand-over slip · 00433294\b", slip), slip[:400]
    assert '<strong data-f="ref">00433294</strong>' in slip and rid in slip
    assert "2b4ff5a5 ·" not in slip and "· 2b4ff5a5" not in slip
