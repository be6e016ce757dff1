"""Every inventory endpoint over HTTP (Flask test client, embedded store): results and errors."""
import csv
import io
from datetime import datetime, timezone

import pytest

from services.inventory import create_app, ledger, movements, spec
from services.inventory.consumer import make_handler
from shared.envelope import new_event
from shared.runtime import Runtime
from tests.integration.test_inventory_support import check_invariants, dated, requisition, seed_catalog

API = "/api/v1"


@pytest.fixture
def runtime(config):
    runtime = Runtime(spec(), config)
    seed_catalog(runtime.db)
    yield runtime
    runtime.close()


@pytest.fixture
def client(config, runtime):
    return create_app(config, runtime).test_client()


@pytest.fixture
def admin(token):
    return token("admin")


def move(client, headers, **body):
    return client.post(f"{API}/movements", json=body, headers=headers)


def error_of(response, status, code):
    assert response.status_code == status, response.json
    error = response.json["error"]
    assert error["code"] == code and error["message"] and isinstance(error["details"], dict)
    return error


def test_materials_create_search_filter_page_and_update(client, admin, token):
    body = {"sku": "YRN-SLK-MUL", "name": "Mulberry silk yarn", "name_hi": "शहतूत रेशम धागा",
            "category": "yarn", "unit": "kg", "reorder_level": "5", "pack_size": "0.5"}
    created = client.post(f"{API}/materials", json=body, headers=admin)
    assert created.status_code == 201 and created.json["pack_size"] == "0.5"
    error_of(client.post(f"{API}/materials", json=body, headers=admin), 409, "already_exists")
    reader = token("artisan")
    assert [m["sku"] for m in client.get(f"{API}/materials?q=silk", headers=reader).json] == ["YRN-SLK-MUL"]
    assert [m["sku"] for m in client.get(f"{API}/materials?q=रेशम", headers=reader).json] == ["YRN-SLK-MUL"]
    assert [m["sku"] for m in client.get(f"{API}/materials?q=mul%20yar", headers=reader).json] == ["YRN-SLK-MUL"]
    assert [m["sku"] for m in client.get(f"{API}/materials?category=dye", headers=reader).json] == ["DYE"]
    first = client.get(f"{API}/materials?limit=2", headers=reader)
    assert [m["sku"] for m in first.json] == ["BRS", "DYE"]
    rest = client.get(f"{API}/materials?limit=2&after={first.headers['X-Next-Cursor']}", headers=reader)
    assert [m["sku"] for m in rest.json] == ["YRN", "YRN-SLK-MUL"] and "X-Next-Cursor" not in rest.headers

    patched = client.patch(f"{API}/materials/YRN-SLK-MUL", json={"name": "Silk yarn", "reorder_level": 8},
                           headers=admin)
    assert patched.status_code == 200 and patched.json["reorder_level"] == "8"
    assert client.get(f"{API}/materials/YRN-SLK-MUL", headers=reader).json["name"] == "Silk yarn"
    error_of(client.patch(f"{API}/materials/YRN-SLK-MUL", json={"unit": "g"}, headers=admin), 400,
             "validation_error")
    error_of(client.patch(f"{API}/materials/YRN-SLK-MUL", json={}, headers=admin), 400, "validation_error")
    error_of(client.patch(f"{API}/materials/NOPE", json={"name": "x"}, headers=admin), 404, "unknown_material")
    error_of(client.patch(f"{API}/materials/YRN", json={"name": "x"}, headers=token("warehouse")), 403,
             "forbidden")
    error_of(client.get(f"{API}/materials/NOPE", headers=reader), 404, "unknown_material")


def test_reorder_level_change_moves_stock_into_the_below_reorder_filter(client, admin):
    assert move(client, admin, type="receipt", sku="BRS", depot="VNS", quantity="10").status_code == 201
    assert client.get(f"{API}/stock?below_reorder=true", headers=admin).json == []
    client.patch(f"{API}/materials/BRS", json={"reorder_level": "20", "category": "other"}, headers=admin)
    [row] = client.get(f"{API}/stock?below_reorder=true", headers=admin).json
    assert (row["sku"], row["level"], row["reorder_level"], row["category"]) == ("BRS", "low", "20", "other")


def test_depots_and_stock_lists_filter_and_page(client, runtime, admin, token):
    created = client.post(f"{API}/depots", json={"code": "MRZ", "name": "Mirzapur depot", "district": "Mirzapur"},
                          headers=admin)
    assert created.status_code == 201 and created.json == {"code": "MRZ", "name": "Mirzapur depot", "name_hi": None,
                                                          "district": "Mirzapur", "district_hi": None, "zone": "plain",
                                                          "address": None,
                                                          "address_hi": None, "opening_hours": None}
    [event] = runtime.db.depots.find_one({"_id": "MRZ"})["outbox"]
    assert (event["type"], event["payload"]["district"]) == ("DepotRegistered", "Mirzapur")
    error_of(client.post(f"{API}/depots", json={"code": "VNS", "name": "x", "district": "y"}, headers=admin),
             409, "already_exists")
    error_of(client.post(f"{API}/depots", json={"code": "N/A", "name": "x", "district": "y"}, headers=admin),
             400, "validation_error")
    assert [d["code"] for d in client.get(f"{API}/depots?district=BHD", headers=admin).json] == ["BHD"]
    page = client.get(f"{API}/depots?limit=2", headers=admin)
    assert [d["code"] for d in page.json] == ["BHD", "MRZ"] and page.headers["X-Next-Cursor"] == "MRZ"
    assert [d["code"] for d in client.get(f"{API}/depots?after=MRZ", headers=admin).json] == ["VNS"]
    error_of(client.get(f"{API}/depots/NOPE", headers=admin), 404, "unknown_depot")
    for depot, sku, quantity, lot in (("VNS", "YRN", "10", {}), ("VNS", "DYE", "0.5", {"lot": dated()}),
                                      ("BHD", "YRN", "2", {})):
        assert move(client, admin, type="receipt", sku=sku, depot=depot, quantity=quantity, **lot).status_code == 201
    reader = token("artisan")
    rows = client.get(f"{API}/stock", headers=reader).json
    assert [(r["depot"], r["sku"]) for r in rows] == [("BHD", "YRN"), ("VNS", "DYE"), ("VNS", "YRN")]
    assert [r["sku"] for r in client.get(f"{API}/stock?depot=VNS", headers=reader).json] == ["DYE", "YRN"]
    assert [r["depot"] for r in client.get(f"{API}/stock?sku=YRN", headers=reader).json] == ["BHD", "VNS"]
    assert [r["sku"] for r in client.get(f"{API}/stock?category=dye", headers=reader).json] == ["DYE"]
    below = client.get(f"{API}/stock?below_reorder=true", headers=reader).json
    assert [(r["depot"], r["sku"]) for r in below] == [("BHD", "YRN"), ("VNS", "DYE")]
    first = client.get(f"{API}/stock?limit=2", headers=reader)
    rest = client.get(f"{API}/stock?limit=2&after={first.headers['X-Next-Cursor']}", headers=reader)
    assert [r["sku"] for r in rest.json] == ["YRN"]
    assert [r["sku"] for r in client.get(f"{API}/depots/VNS/stock", headers=reader).json] == ["DYE", "YRN"]
    error_of(client.get(f"{API}/depots/NOPE/stock", headers=reader), 404, "unknown_depot")
    zero = client.get(f"{API}/stock/BHD/BRS", headers=reader).json
    assert (zero["on_hand"], zero["available"]) == ("0", "0")
    error_of(client.get(f"{API}/stock/VNS/NOPE", headers=reader), 404, "unknown_material")
    error_of(client.get(f"{API}/stock/NOPE/YRN", headers=reader), 404, "unknown_depot")
    error_of(client.get(f"{API}/stock?limit=0", headers=reader), 400, "validation_error")
    error_of(client.get(f"{API}/stock?below_reorder=perhaps", headers=reader), 400, "validation_error")


def test_adjustments_and_transfers_refuse_negative_stock_and_change_nothing(client, runtime, admin):
    move(client, admin, type="receipt", sku="YRN", depot="VNS", quantity="10", supplier="Mill", lot="L7",
         unit_cost="212.50", reference="GRN-1")
    handle = make_handler(runtime.db, None)
    handle(requisition("RequisitionApproved", "R1", [("YRN", 6_000)]))
    before = list(runtime.db.stock.find({})), runtime.db.movements.count_documents({})
    too_much = move(client, admin, type="adjustment", sku="YRN", depot="VNS", quantity="-4.5", reason="damage")
    details = error_of(too_much, 409, "insufficient_stock")["details"]
    assert (details["available"], details["wanted"]) == ("4", "4.5")  # decimal strings, as every quantity
    error_of(move(client, admin, type="transfer", sku="YRN", depot="VNS", to_depot="BHD", quantity="4.001"),
             409, "insufficient_stock")
    assert (list(runtime.db.stock.find({})), runtime.db.movements.count_documents({})) == before

    ok = move(client, admin, type="adjustment", sku="YRN", depot="VNS", quantity="-1", reason="count")
    assert ok.status_code == 201 and ok.json["stock"]["available"] == "3"
    moved = move(client, admin, type="transfer", sku="YRN", depot="VNS", to_depot="BHD", quantity="2.5",
                 reference="TR-9")
    assert moved.status_code == 201 and moved.json["stock"]["on_hand"] == "6.5"
    assert client.get(f"{API}/stock/BHD/YRN", headers=admin).json["on_hand"] == "2.5"
    legs = client.get(f"{API}/movements?type=transfer", headers=admin).json
    assert sorted((m["depot"], m["quantity"]) for m in legs) == [("BHD", "2.5"), ("VNS", "-2.5")]
    assert {(m["from_depot"], m["to_depot"], m["reference"]) for m in legs} == {("VNS", "BHD", "TR-9")}
    [receipt] = client.get(f"{API}/movements?type=receipt", headers=admin).json
    assert (receipt["supplier"], receipt["lot"], receipt["unit_cost"], receipt["by"]) == \
        ("Mill", "L7", "212.50", "admin-user")
    check_invariants(runtime.db)


BAD_MOVES = [
    ("adjustment without reason", dict(type="adjustment", quantity="-1"), 400, "validation_error"),
    ("adjustment with unknown reason", dict(type="adjustment", quantity="-1", reason="gift"), 400,
     "validation_error"),
    ("zero adjustment", dict(type="adjustment", quantity="0", reason="count"), 400, "validation_error"),
    ("transfer without destination", dict(type="transfer", quantity="1"), 400, "validation_error"),
    ("negative transfer", dict(type="transfer", quantity="-1", to_depot="BHD"), 400, "validation_error"),
    ("transfer to itself", dict(type="transfer", quantity="1", to_depot="VNS"), 422, "same_depot"),
    ("transfer to unknown depot", dict(type="transfer", quantity="1", to_depot="ZZZ"), 422, "unknown_depot"),
    ("negative unit cost", dict(type="receipt", quantity="1", unit_cost="-2"), 400, "validation_error"),
    ("unknown field", dict(type="receipt", quantity="1", colour="red"), 400, "validation_error"),
]


@pytest.mark.parametrize("case, body, status, code", BAD_MOVES, ids=[b[0] for b in BAD_MOVES])
def test_bad_movements_get_the_contract_error_and_store_nothing(client, runtime, admin, case, body, status,
                                                                code):
    move(client, admin, type="receipt", sku="YRN", depot="VNS", quantity="5")
    before = list(runtime.db.stock.find({}))
    error_of(move(client, admin, sku="YRN", depot="VNS", **body), status, code)
    assert list(runtime.db.stock.find({})) == before


def test_warehouse_staff_record_movements_only_at_their_own_depot(client, token):
    own = token("warehouse", depot="VNS")
    assert move(client, own, type="receipt", sku="YRN", depot="VNS", quantity="5").status_code == 201
    assert move(client, own, type="transfer", sku="YRN", depot="VNS", to_depot="BHD", quantity="1").status_code == 201
    error_of(move(client, own, type="receipt", sku="YRN", depot="BHD", quantity="5"), 403, "wrong_depot")
    error_of(move(client, own, type="transfer", sku="YRN", depot="BHD", to_depot="VNS", quantity="1"), 403,
             "wrong_depot")
    assert client.get(f"{API}/stock?depot=BHD", headers=own).status_code == 200   # reading is not limited
    error_of(move(client, token("artisan"), type="receipt", sku="YRN", depot="VNS", quantity="5"), 403,
             "forbidden")


def test_depot_staff_asking_the_stock_list_for_another_depot_are_answered_with_that_depots_stock(client, admin, token):
    """Every depot's stock is readable, to find where stock is: a depot's staff asking the list for another depot
    (?depot=BHD) get that depot's rows, as a list or CSV, never their own answered as if they were BHD's (their
    pages, which hold their depot's forms, refuse another depot's code instead)."""
    move(client, admin, type="receipt", sku="YRN", depot="VNS", quantity="5")
    move(client, admin, type="receipt", sku="DYE", depot="BHD", quantity="1", lot=dated())
    own = token("warehouse", depot="VNS")
    assert [(r["depot"], r["sku"]) for r in client.get(f"{API}/stock?depot=BHD", headers=own).json] == [("BHD", "DYE")]
    rows = list(csv.DictReader(io.StringIO(client.get(f"{API}/stock?depot=BHD&format=csv", headers=own)
                                           .get_data().decode("utf-8-sig"))))
    assert [r["depot"] for r in rows] == ["BHD"]
    assert [r["depot"] for r in client.get(f"{API}/stock?depot=VNS", headers=own).json] == ["VNS"]


def test_warehouse_staff_read_the_ledger_of_their_own_depot_only(client, admin, token):
    """Orders, counts and alerts were already their own depot's; the ledger (who received what from whom, at what
    cost) let a Varanasi clerk read Bhadohi's through the API. A central warehouse user (no depot) reads all."""
    move(client, admin, type="receipt", sku="YRN", depot="VNS", quantity="5")
    move(client, admin, type="receipt", sku="DYE", depot="BHD", quantity="1", unit_cost="99.00", lot=dated())
    clerk = token("warehouse", depot="VNS")
    assert {m["depot"] for m in client.get(f"{API}/movements", headers=clerk).json} == {"VNS"}
    assert {m["depot"] for m in client.get(f"{API}/movements?depot=VNS", headers=clerk).json} == {"VNS"}
    rows = list(csv.DictReader(io.StringIO(client.get(f"{API}/movements?format=csv", headers=clerk)
                                           .get_data().decode("utf-8-sig"))))
    assert rows and {r["depot"] for r in rows} == {"VNS"}
    for path in ("/movements?depot=BHD", "/movements?depot=BHD&format=csv"):
        error = error_of(client.get(f"{API}{path}", headers={**clerk, "Accept-Language": "hi"}), 403, "wrong_depot")
        assert error["details"] == {"your_depot": "VNS"} and any("\u0900" <= ch <= "\u097f" for ch in error["message"])
    assert "ledger" in error_of(client.get(f"{API}/movements?depot=BHD", headers=clerk), 403, "wrong_depot")["message"]
    central = token("warehouse")
    assert {m["depot"] for m in client.get(f"{API}/movements", headers=central).json} == {"VNS", "BHD"}


def test_movement_list_filters_pages_and_exports_csv(client, admin, token):
    for n in range(1, 6):
        move(client, admin, type="receipt", sku="YRN", depot="VNS", quantity=str(n), supplier="=HYPERLINK(x)")
    move(client, admin, type="receipt", sku="DYE", depot="BHD", quantity="1", lot=dated())
    first = client.get(f"{API}/movements?sku=YRN&limit=2", headers=admin)
    assert [m["quantity"] for m in first.json] == ["5", "4"]                       # newest first
    rest = client.get(f"{API}/movements?sku=YRN&limit=10&after={first.headers['X-Next-Cursor']}", headers=admin)
    assert [m["quantity"] for m in rest.json] == ["3", "2", "1"]
    assert [m["sku"] for m in client.get(f"{API}/movements?depot=BHD", headers=admin).json] == ["DYE"]
    exported = client.get(f"{API}/movements?format=csv&depot=VNS", headers=admin)
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(exported.get_data().decode("utf-8-sig"))))
    assert [r["quantity"] for r in rows] == ["5", "4", "3", "2", "1"]
    assert rows[0]["supplier"] == "'=HYPERLINK(x)" and rows[0]["on_hand_after"] == "15"
    error_of(client.get(f"{API}/movements", headers=token("artisan")), 403, "forbidden")
    error_of(client.get(f"{API}/movements?format=xml", headers=admin), 400, "validation_error")
    error_of(client.get(f"{API}/movements?type=gift", headers=admin), 400, "validation_error")


def test_the_ledger_csv_ends_with_each_movements_kind_and_reason_in_hindi(client, admin):
    """movements.csv gave the kind of a movement and an adjustment's reason as codes (`adjustment`, `damage`), which
    the ledger page says in words ("सुधार", "क्षतिग्रस्त"): an officer who reads Hindi read English codes. They come
    last, `type_hi` and `reason_hi`, so the columns before keep their places; a reason written in words (a return's)
    has none."""
    move(client, admin, type="receipt", sku="YRN", depot="VNS", quantity="5")
    move(client, admin, type="adjustment", sku="YRN", depot="VNS", quantity="-1", reason="damage")
    exported = client.get(f"{API}/movements?format=csv&depot=VNS", headers={**admin, "Accept-Language": "en"})
    read = list(csv.reader(io.StringIO(exported.get_data().decode("utf-8-sig"))))
    assert read[0][:20] == ["movement_id", "at", "type", "sku", "depot", "quantity", "reserved_change",
                            "on_hand_after", "reserved_after", "from_depot", "to_depot", "reason", "reference",
                            "supplier", "lot", "unit_cost", "requisition_id", "by", "at_ist", "purchase_order"]
    assert read[0][20:22] == ["type_hi", "reason_hi"] and {len(row) for row in read} == {len(read[0])}
    assert [(row[2], row[11], row[20], row[21]) for row in read[1:]] == [
        ("adjustment", "damage", "सुधार", "क्षतिग्रस्त"), ("receipt", "", "प्राप्त", "")]


def test_the_ledger_csv_ends_with_the_materials_and_depots_hindi_names(client, runtime, admin):
    """movements.csv named a material and a depot by code only (`YRN`, `VNS`), where the stock CSV also gives the
    catalog's Hindi names: they come after every column before (`material_hi`, `depot_hi`), empty where the catalog
    has none, each row its own material's and depot's."""
    runtime.db.depots.update_one({"_id": "VNS"}, {"$set": {"name_hi": "वाराणसी डिपो"}})
    move(client, admin, type="receipt", sku="YRN", depot="VNS", quantity="5")
    move(client, admin, type="receipt", sku="BRS", depot="VNS", quantity="2")
    move(client, admin, type="receipt", sku="YRN", depot="BHD", quantity="1")
    read = list(csv.reader(io.StringIO(client.get(f"{API}/movements?format=csv", headers=admin).get_data()
                                       .decode("utf-8-sig"))))
    assert read[0][20:24] == ["type_hi", "reason_hi", "material_hi", "depot_hi"] and {len(r) for r in read} == {26}
    assert [(row[3], row[4], row[22], row[23]) for row in read[1:]] == [
        ("YRN", "BHD", "YRN सामान", ""), ("BRS", "VNS", "BRS सामान", "वाराणसी डिपो"),
        ("YRN", "VNS", "YRN सामान", "वाराणसी डिपो")]


def test_the_ledger_csv_ends_with_who_did_it_by_name_in_english_and_hindi(client, runtime, config, token):
    """movements.csv said who did it by login only (`wh-vns-2`), where the pages say "Suresh Yadav (wh-vns-2)": the
    name inventory was told (StaffNamed) comes last, in English and Hindi (`by_name`, `by_name_hi`; the name where no
    Hindi one was given), every column before in its place; a login with no name, empty cells; rawbank's own actors
    in words."""
    handle = make_handler(runtime.db, config)
    at = datetime.now(timezone.utc)
    handle(new_event("StaffNamed", "wh-vns-2", {"login": "wh-vns-2", "role": "warehouse", "name": "Suresh Yadav",
                                                "name_hi": "सुरेश यादव", "at": at}, source="requests"))
    handle(new_event("StaffNamed", "asha", {"login": "asha", "role": "admin", "name": "=Asha Devi", "name_hi": None,
                                            "at": at}, source="requests"))
    move(client, token("warehouse", sub="wh-vns-2", depot="VNS"), type="receipt", sku="YRN", depot="VNS", quantity="5")
    move(client, token("admin", sub="asha"), type="receipt", sku="YRN", depot="VNS", quantity="2")
    move(client, token("admin", sub="nobody-told"), type="receipt", sku="YRN", depot="VNS", quantity="1")
    movements.record_movement(runtime.db, {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": 1_000},
                              by="system")
    read = list(csv.reader(io.StringIO(client.get(f"{API}/movements?format=csv", headers=token("admin"))
                                       .get_data().decode("utf-8-sig"))))
    assert tuple(read[0]) == ledger.CSV_COLUMNS and read[0][17] == "by" and read[0][20:24] == [
        "type_hi", "reason_hi", "material_hi", "depot_hi"] and read[0][24:] == ["by_name", "by_name_hi"]
    assert {len(row) for row in read} == {26}
    assert [(row[17], row[24], row[25]) for row in read[1:]] == [
        ("system", "rawbank", "rawbank"), ("nobody-told", "", ""), ("asha", "'=Asha Devi", "'=Asha Devi"),
        ("wh-vns-2", "Suresh Yadav", "सुरेश यादव")]


@pytest.mark.parametrize("text", ["\n=1+2", " =1+2", "\t@SUM(A1)", "＝HYPERLINK(x)", "＋1", "－1", "＠x", "-1", "\u00a0=1"])
def test_csv_cells_a_spreadsheet_could_run_are_quoted(client, admin, text):
    """Line feeds, spaces and full-width signs before a formula were let through (issue 13, finding 9)."""
    move(client, admin, type="receipt", sku="YRN", depot="VNS", quantity="1", reference=text)
    exported = client.get(f"{API}/movements?format=csv&depot=VNS", headers=admin).get_data().decode("utf-8-sig")
    [row] = list(csv.DictReader(io.StringIO(exported)))
    assert row["reference"] == "'" + text


def test_csv_cells_of_plain_text_stay_as_they_are(client, admin):
    move(client, admin, type="receipt", sku="YRN", depot="VNS", quantity="1", reference="चालान 12 = ठीक")
    exported = client.get(f"{API}/movements?format=csv&depot=VNS", headers=admin).get_data().decode("utf-8-sig")
    assert list(csv.DictReader(io.StringIO(exported)))[0]["reference"] == "चालान 12 = ठीक"


def test_reservation_view_shows_holds_and_hides_other_artisans(client, runtime, admin, token):
    move(client, admin, type="receipt", sku="YRN", depot="VNS", quantity="5")
    make_handler(runtime.db, None)(requisition("RequisitionApproved", "R1", [("YRN", 2_000)], artisan="ART-1"))
    view = client.get(f"{API}/reservations/R1", headers=token("warehouse")).json
    assert view["status"] == "held" and view["lines"] == [{"sku": "YRN", "quantity": "2", "held": "2"}]
    assert client.get(f"{API}/reservations/R1", headers=token("artisan", artisan_id="ART-1")).status_code == 200
    error_of(client.get(f"{API}/reservations/R1", headers=token("artisan", artisan_id="ART-2")), 404, "not_found")
    error_of(client.get(f"{API}/reservations/R404", headers=admin), 404, "not_found")


MATERIAL = {"sku": "CLY-RED", "name": "Red clay", "name_hi": "लाल मिट्टी", "category": "clay", "unit": "kg",
            "reorder_level": "100"}
BAD_REQUESTS = [
    ("post", "/materials", MATERIAL | {"category": "plastic"}),
    ("post", "/materials", MATERIAL | {"unit": "tonne"}),
    ("post", "/materials", MATERIAL | {"reorder_level": "-1"}),
    ("post", "/materials", MATERIAL | {"pack_size": "0"}),
    ("post", "/materials", MATERIAL | {"sku": "has space"}),
    ("post", "/materials", {k: v for k, v in MATERIAL.items() if k != "name_hi"}),
    ("post", "/depots", {"code": "X1", "name": "", "district": "D"}),
    ("post", "/depots", {"code": "X1", "name": "N"}),
    ("get", "/materials?limit=201", None),
    ("get", "/materials?category=plastic", None),
    ("get", "/depots?limit=abc", None),
    ("get", "/depots/VNS/stock?below_reorder=maybe", None),
    ("get", "/movements?limit=-1", None),
    ("patch", "/materials/YRN", {"reorder_level": "1.0001"}),
    ("patch", "/materials/YRN", {"sku": "NEW"}),
]


@pytest.mark.parametrize("method, path, body", BAD_REQUESTS)
def test_bad_input_everywhere_is_a_400_with_field_details(client, runtime, admin, method, path, body):
    before = [list(runtime.db[c].find({})) for c in ("materials", "depots")]
    error = error_of(getattr(client, method)(API + path, json=body, headers=admin), 400, "validation_error")
    assert error["details"]
    assert [list(runtime.db[c].find({})) for c in ("materials", "depots")] == before


ENDPOINTS = [("get", "/materials"), ("post", "/materials"), ("get", "/materials/YRN"),
             ("patch", "/materials/YRN"), ("get", "/depots"), ("post", "/depots"), ("get", "/depots/VNS"),
             ("get", "/depots/VNS/stock"), ("get", "/stock"), ("get", "/stock/VNS/YRN"),
             ("get", "/movements"), ("post", "/movements"), ("get", "/reservations/R1")]


@pytest.mark.parametrize("method, path", ENDPOINTS)
def test_every_endpoint_needs_a_valid_token(client, method, path):
    error_of(getattr(client, method)(API + path, json={}), 401, "unauthorized")
    forged = {"Authorization": "Bearer not.a.token"}
    error_of(getattr(client, method)(API + path, json={}, headers=forged), 401, "token_invalid")


@pytest.mark.parametrize("method, path", [m for m in ENDPOINTS if m[0] != "get"] + [("get", "/movements")])
def test_writes_and_the_ledger_are_closed_to_artisans(client, token, method, path):
    error_of(getattr(client, method)(API + path, json={}, headers=token("artisan")), 403, "forbidden")


def test_errors_speak_hindi_when_asked(client, admin):
    response = move(client, {**admin, "Accept-Language": "hi"}, type="adjustment", sku="YRN", depot="VNS",
                    quantity="-1", reason="theft")
    assert response.status_code == 409 and "स्टॉक" in response.json["error"]["message"]


def test_a_depot_code_in_other_capital_letters_or_spacing_is_refused_as_the_same_code(client, runtime, admin):
    """"vns" beside "VNS" was a second depot nobody could tell from the first: now 409 already_exists naming the
    code there is (one stored before codes kept their key included), in both languages; nothing is added; a new code
    is stored without the spaces around it."""
    body = {"name": "Varanasi again", "district": "Varanasi"}
    before = runtime.db.depots.count_documents({})
    taken = client.post(f"{API}/depots", json={**body, "code": "vns"}, headers=admin)
    error_of(taken, 409, "already_exists")
    assert taken.json["error"]["details"] == {"code": "vns", "existing": "VNS"}
    assert taken.json["error"]["message"].startswith("The code VNS already exists; a code in other capital or small")
    hindi = client.post(f"{API}/depots", json={**body, "code": " Vns\n"}, headers={**admin, "Accept-Language": "hi"})
    error_of(hindi, 409, "already_exists")
    assert hindi.json["error"]["details"] == {"code": "Vns", "existing": "VNS"}
    assert "कोड VNS पहले से है" in hindi.json["error"]["message"]
    runtime.db.depots.insert_one({"_id": "Old-Dep", "code": "Old-Dep", "name": "Old", "district": "D"})  # no key
    old = client.post(f"{API}/depots", json={**body, "code": "OLD-DEP"}, headers=admin)
    error_of(old, 409, "already_exists")
    assert old.json["error"]["details"]["existing"] == "Old-Dep"
    assert runtime.db.depots.count_documents({}) == before + 1
    assert client.post(f"{API}/depots", json={**body, "code": " MZP "}, headers=admin).json["code"] == "MZP"
    assert client.get(f"{API}/depots/MZP", headers=admin).json["code"] == "MZP"
    assert "code_key" not in client.get(f"{API}/depots/MZP", headers=admin).json


def test_two_depot_codes_differing_in_case_registered_at_once_cannot_both_pass(client, runtime, admin, monkeypatch):
    """The look through the stored codes and the insert are two steps: the unique key keeps the second out."""
    from services.inventory import catalog
    monkeypatch.setattr(catalog, "_refuse_taken_depot", lambda db, code: None)
    runtime.db.depots.insert_one({"_id": "NEW", "code": "NEW", "name": "N", "district": "D", "code_key": "new"})
    error_of(client.post(f"{API}/depots", json={"code": "new", "name": "n", "district": "D"}, headers=admin),
             409, "already_exists")
    assert runtime.db.depots.find_one({"_id": "new"}) is None


def test_starting_over_old_data_holding_twin_depots_works_and_refuses_a_third(config, token, tmp_path, monkeypatch):
    """Depots registered before codes kept their key may be twins (VNS and vns): the unique key covers only codes
    registered since, so the service still starts on such data; both stay as they are, and a third is refused."""
    monkeypatch.delenv("MONGO_URI", raising=False)
    on_disk = config.with_(data_dir=str(tmp_path))
    first = Runtime(spec(), on_disk)
    first.db.depots.insert_many([{"_id": code, "code": code, "name": f"{code} depot", "district": "Varanasi"}
                                 for code in ("VNS", "vns")])  # as an older rawbank stored them
    first.close()
    again = Runtime(spec(), on_disk)  # start-up: the indexes are made again over the twins
    try:
        client, admin = create_app(on_disk, again).test_client(), token("admin")
        assert [d["code"] for d in client.get(f"{API}/depots", headers=admin).json] == ["VNS", "vns"]
        third = client.post(f"{API}/depots", json={"code": "Vns", "name": "x", "district": "y"}, headers=admin)
        error_of(third, 409, "already_exists")
        assert third.json["error"]["details"]["existing"] in ("VNS", "vns")
        assert client.post(f"{API}/depots", json={"code": "BHD", "name": "x", "district": "y"},
                           headers=admin).status_code == 201
    finally:
        again.close()


def test_a_material_saved_unchanged_keeps_its_version_and_emits_no_event(client, runtime, admin):
    """The material page sends every field back: a save with nothing changed wrote a new version and a
    MaterialUpdated each time, events the other services apply to nothing. Now it is answered with the material as
    it is; a real change still makes one event and one version more."""
    def material():
        doc = runtime.db.materials.find_one({"_id": "BRS"})
        return doc["version"], [e["type"] for e in doc.get("outbox", []) if e["type"] == "MaterialUpdated"]
    version, events = material()
    shown = client.get(f"{API}/materials/BRS", headers=admin).json
    as_it_is = {k: shown[k] for k in ("name", "name_hi", "category", "reorder_level", "pack_size", "active")}
    for same in (as_it_is, {"name": shown["name"]}, {"active": True}):
        answer = client.patch(f"{API}/materials/BRS", json=same, headers=admin)
        assert answer.status_code == 200 and answer.json["name"] == shown["name"], answer.json
        assert material() == (version, events), same
    changed = client.patch(f"{API}/materials/BRS", json={**as_it_is, "name": "Brass sheet 1mm"}, headers=admin)
    assert changed.status_code == 200 and changed.json["name"] == "Brass sheet 1mm"
    assert material() == (version + 1, [*events, "MaterialUpdated"])


def test_a_depot_saved_unchanged_emits_no_event(client, runtime, admin):
    """The same for a depot (its page sends every field back): no DepotUpdated for a save that changes nothing (a
    freight zone never set is `plain`, an address never given null); a real change still makes one."""
    def depot_events():
        doc = runtime.db.depots.find_one({"_id": "VNS"})
        return [e["type"] for e in doc.get("outbox", []) if e["type"] == "DepotUpdated"]
    shown = client.get(f"{API}/depots/VNS", headers=admin).json
    as_it_is = {k: shown[k] for k in ("name", "name_hi", "zone") if shown.get(k) is not None}
    for same in (as_it_is, {"zone": "plain"}, {"address": None}):
        answer = client.patch(f"{API}/depots/VNS", json=same, headers=admin)
        assert answer.status_code == 200 and answer.json["name"] == shown["name"], answer.json
        assert depot_events() == [], same
    changed = client.patch(f"{API}/depots/VNS", json={**as_it_is, "name": "Varanasi central"}, headers=admin)
    assert changed.status_code == 200 and changed.json["name"] == "Varanasi central"
    assert depot_events() == ["DepotUpdated"]
