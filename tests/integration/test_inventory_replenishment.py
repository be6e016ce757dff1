"""What to order next: on hand, reserved, on order, waitlisted, 90 days of issues, pack sizes, a draft order."""
import csv
import io
import itertools
import re
from datetime import datetime, timedelta, timezone

import pytest

from services.inventory import clock, create_app, ledger, replenishment
from services.inventory.consumer import make_handler
from tests.integration.test_inventory_support import dated, inventory_api, requisition, runtime  # noqa: F401


@pytest.fixture
def api(inventory_api):
    inventory_api("POST", "/suppliers", {"code": "MILL", "name": "Mill", "district": "Salem",
                                         "items": [{"sku": "YRN", "pack_size": "25", "price": "210"}]}, status=201)
    return inventory_api


def row(rows, sku):
    return next(r for r in rows if r["sku"] == sku)


def test_the_suggestion_covers_the_waitlist_in_whole_packs(api, runtime, config, monkeypatch):
    handle = make_handler(runtime.db, config)
    api("POST", "/movements", {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": "100"}, status=201)
    past = datetime.now(timezone.utc) - timedelta(days=30)
    monkeypatch.setattr(clock, "now", lambda: past)
    serial = itertools.count()
    monkeypatch.setattr(ledger, "new_movement_id", lambda: f"{int(past.timestamp() * 1e9) + next(serial):016x}abcd")
    handle(requisition("RequisitionApproved", "OLD", [("YRN", 45_000)]))
    handle(requisition("RequisitionDispatched", "OLD", []))  # 45 kg issued 30 days ago
    monkeypatch.undo()
    handle(requisition("RequisitionApproved", "R1", [("YRN", 50_000)]))  # held
    handle(requisition("RequisitionApproved", "R2", [("YRN", 30_000)]))  # waitlisted: 5 kg are free
    number = api("POST", "/purchase-orders", {"supplier": "MILL", "depot": "VNS", "expected_on": "2099-01-01",
                                              "lines": [{"sku": "YRN", "quantity": "10", "price": "1"}]})
    api("POST", f"/purchase-orders/{number['purchase_order']}/send", status=200)
    rows = api("GET", "/replenishment?depot=VNS&cover_days=60&supplier=MILL", status=200)
    yarn = row(rows, "YRN")
    assert {k: yarn[k] for k in ("on_hand", "reserved", "on_order", "waitlisted", "avg_daily_issue")} == \
        {"on_hand": "55", "reserved": "50", "on_order": "10", "waitlisted": "30", "avg_daily_issue": "0.5"}
    assert yarn["days_of_cover"] == 30.0  # (5 available + 10 on order) / 0.5 a day
    # target 60 days x 0.5 = 30 kg; need 30 + 30 waiting - 5 - 10 = 45 kg -> two packs of 25
    assert (yarn["target"], yarn["pack_size"], yarn["suggested_quantity"]) == ("30", "25", "50")
    assert float(yarn["suggested_quantity"]) + 5 + 10 >= 30  # covers everyone waiting
    plain = row(api("GET", "/replenishment?depot=VNS", status=200), "YRN")
    assert plain["pack_size"] is None and plain["suggested_quantity"] == "45"

    draft = api("POST", "/replenishment/purchase-orders", {"depot": "VNS", "supplier": "MILL", "skus": ["YRN"]},
                status=201)
    assert draft["status"] == "draft" and [(x["sku"], x["quantity"], x["price"]) for x in draft["lines"]] == \
        [("YRN", "50", "210.00")]
    assert api("POST", "/replenishment/purchase-orders", {"depot": "VNS", "supplier": "MILL", "skus": ["BRS"]},
               status=422)["error"]["code"] == "nothing_to_order"  # no reorder level, none stocked, none waited for


def test_a_material_only_waited_for_appears_and_inactive_ones_do_not(api, runtime, config):
    make_handler(runtime.db, config)(requisition("RequisitionApproved", "R1", [("DYE", 3_000)]))
    rows = api("GET", "/replenishment?depot=VNS", status=200)
    dye = row(rows, "DYE")
    assert (dye["on_hand"], dye["waitlisted"], dye["suggested_quantity"]) == ("0", "3", "4")  # up to reorder 1
    api("PATCH", "/materials/DYE", {"active": False}, status=200)
    assert [r["sku"] for r in api("GET", "/replenishment?depot=VNS", status=200)] == ["YRN"]  # kept: reorder level
    assert api("GET", "/replenishment?depot=NOPE", status=404)["error"]["code"] == "unknown_depot"
    # depot left out: warehouse staff of a depot are answered for theirs, as by the other lists; an admin is asked
    assert api("GET", "/replenishment", role="warehouse", depot="VNS", status=200) == rows_now(api)
    for lang, said in (("en", "Name the depot, such as depot=VNS"), ("hi", "डिपो बताएँ, जैसे depot=VNS")):
        error = api("GET", "/replenishment", status=400, lang=lang)["error"]
        assert error["code"] == "validation_error" and error["details"]["depot"][0].startswith(said), lang


def rows_now(api):
    return api("GET", "/replenishment?depot=VNS", status=200)


def test_the_chart_history_closes_each_day_with_the_stock_then(runtime):
    from services.inventory import movements
    movements.record_movement(runtime.db, {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": 9_000},
                              by="t")
    series = replenishment.history(runtime.db, "VNS", "YRN", on_hand=9_000)
    assert len(series["stock"]) == 90 and series["stock"][-1] == 9_000 and series["stock"][0] == 0
    assert sum(series["issues"]) == 0


def test_what_to_order_exports_to_csv_as_the_list_says_it(api, runtime, config, token):
    handle = make_handler(runtime.db, config)
    api("POST", "/movements", {"type": "receipt", "sku": "DYE", "depot": "VNS", "quantity": "0.5", "lot": dated()},
        status=201)
    api("POST", "/movements", {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": "2"}, status=201)
    handle(requisition("RequisitionApproved", "R1", [("YRN", 12_000)]))  # waits: 2 kg are there
    listed = api("GET", "/replenishment?depot=VNS&supplier=MILL", status=200)
    answer = create_app(config, runtime).test_client().get("/api/v1/replenishment?depot=VNS&supplier=MILL&format=csv"
                                                           "&limit=1", headers=token("warehouse", depot="VNS"))
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert answer.headers["Content-Disposition"] == "attachment; filename=replenishment.csv"
    rows = list(csv.DictReader(io.StringIO(answer.get_data().decode("utf-8-sig"))))
    assert len(listed) >= 2 and [r["sku"] for r in rows] == [r["sku"] for r in listed]  # every row, not a page
    for got, want in zip(rows, listed):
        assert got["depot"] == "VNS" and got["material"] == want["name"] and got["unit"] == "kg"
        for name in ("on_hand", "reserved", "available", "on_order", "waitlisted", "target", "suggested_quantity"):
            assert got[name] == want[name], name
        assert got["pack_size"] == (want["pack_size"] or "")
    yarn = row(rows, "YRN")
    assert (yarn["waitlisted"], yarn["pack_size"], yarn["suggested_quantity"]) == ("12", "25", "25")
    assert api("GET", "/replenishment?depot=VNS&format=pdf", status=400)["error"]["code"] == "validation_error"
    for path, status, code in (("depot=NOPE", 404, "unknown_depot"), ("depot=VNS&supplier=NOPE", 422,
                                                                       "unknown_supplier")):  # as JSON: not a CSV
        assert api("GET", f"/replenishment?{path}&format=csv", status=status)["error"]["code"] == code
        assert api("GET", f"/replenishment?{path}", status=status)["error"]["code"] == code


def test_a_material_never_stocked_at_the_depot_but_kept_by_a_reorder_level_is_suggested(api, runtime):
    """None on hand is as short as it gets: YRN (reorder level 5 kg) never came to BHD; BRS has no reorder level."""
    api("POST", "/movements", {"type": "receipt", "sku": "DYE", "depot": "BHD", "quantity": "0.2", "lot": dated()},
        status=201)
    api("POST", "/materials", {"sku": "JUT", "name": "Jute", "name_hi": "जूट", "category": "fibre", "unit": "kg",
                               "reorder_level": "8", "pack_size": "5"}, status=201)
    api("POST", "/materials", {"sku": "OLD", "name": "Old", "name_hi": "पुराना", "category": "other", "unit": "kg",
                               "reorder_level": "8", "active": False}, status=201)
    rows = api("GET", "/replenishment?depot=BHD", status=200, role="warehouse", depot="BHD")
    assert [r["sku"] for r in rows] == ["DYE", "JUT", "YRN"]  # not BRS (no reorder level), not OLD (inactive)
    yarn, jute = row(rows, "YRN"), row(rows, "JUT")
    assert {k: yarn[k] for k in ("on_hand", "available", "on_order", "waitlisted", "target", "suggested_quantity")} \
        == {"on_hand": "0", "available": "0", "on_order": "0", "waitlisted": "0", "target": "5",
            "suggested_quantity": "5"}
    assert (jute["target"], jute["pack_size"], jute["suggested_quantity"]) == ("8", "5", "10")  # two packs
    first = api("GET", "/replenishment?depot=BHD&limit=1&after=DYE", status=200)
    assert [r["sku"] for r in first] == ["JUT"]
    assert [r["sku"] for r in api("GET", "/replenishment?depot=BHD&limit=1&page=3", status=200)] == ["YRN"]
    draft = api("POST", "/replenishment/purchase-orders", {"depot": "BHD", "supplier": "MILL", "skus": ["YRN"]},
                status=201)
    assert [(x["sku"], x["quantity"]) for x in draft["lines"]] == [("YRN", "25")]  # the mill's packs of 25
    assert runtime.db.stock.find_one({"_id": "BHD/YRN"}) is None  # a suggestion stores nothing
    # the mill gave no price for jute: a draft with it would go out at ₹0, so it is refused and nothing is made
    orders = runtime.db.purchase_orders.count_documents({})
    for lang, said in (("en", "Mill has given no price for: Jute. Untick these, choose another supplier"),
                       ("hi", "Mill ने इनका कोई दाम नहीं दिया है: जूट। इन पर से निशान हटाएँ")):
        error = api("POST", "/replenishment/purchase-orders", {"depot": "BHD", "supplier": "MILL",
                                                               "skus": ["YRN", "JUT"]}, status=422, lang=lang)["error"]
        assert (error["code"], error["details"]["skus"]) == ("no_supplier_price", ["JUT"]), lang
        assert error["message"].startswith(said), (lang, error["message"])
        # where the price is added now, as the pages name it: the list's link in the supplier's row, then its form
        assert error["message"].endswith({
            "en": "“Prices and pack sizes” in the row of Mill, then “Add a material”. Nothing was ordered.",
            "hi": "Mill की पंक्ति में “दाम और पैक आकार”, फिर “सामान जोड़ें”। कुछ भी ऑर्डर नहीं हुआ।"}[lang]), error
    assert runtime.db.purchase_orders.count_documents({}) == orders


def test_a_maximum_level_below_the_reorder_level_never_suggests_too_little_to_leave_running_low(api, runtime):
    """Ordering what is suggested must lift the stock to at least its reorder level, whatever the maximum says."""
    api("PATCH", "/materials/YRN", {"max_level": "20"}, status=200)
    api("PATCH", "/materials/YRN", {"reorder_level": "50"}, status=200)  # raised later, on the catalog page
    api("POST", "/movements", {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": "10"}, status=201)
    yarn = row(api("GET", "/replenishment?depot=VNS", status=200), "YRN")
    assert (yarn["target"], yarn["suggested_quantity"]) == ("50", "40")  # was 20 and 10: still running low after
    assert api("GET", "/stock/VNS/YRN", status=200)["available"] == "10"
    draft = api("POST", "/replenishment/purchase-orders", {"depot": "VNS", "supplier": "MILL", "skus": ["YRN"]},
                status=201)
    assert [(x["sku"], x["quantity"]) for x in draft["lines"]] == [("YRN", "50")]  # 40 in the mill's packs of 25
    api("PATCH", "/materials/YRN", {"max_level": "80"}, status=200)  # a maximum above it still decides
    assert row(api("GET", "/replenishment?depot=VNS", status=200), "YRN")["target"] == "80"


def test_a_draft_made_from_the_suggestions_says_so_in_the_readers_language(api, runtime, config):
    """The order page said 'replenishment' (a code word, English on the Hindi page) in the note of such drafts."""
    from shared.auth import COOKIE, issue_token
    from shared.i18n import LANG_COOKIE
    draft = api("POST", "/replenishment/purchase-orders", {"depot": "VNS", "supplier": "MILL", "skus": ["YRN"]},
                status=201)
    assert (draft["note"], draft["origin"]) == ("", "replenishment")
    made_by_hand = api("POST", "/purchase-orders", {"supplier": "MILL", "depot": "VNS", "expected_on": "2099-01-01",
                                                    "lines": [{"sku": "YRN", "quantity": "5", "price": "1"}]},
                       status=201)
    assert "origin" not in made_by_hand
    client = create_app(config, runtime).test_client()
    client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="boss", role="admin"))
    pages = {}
    for lang in ("en", "hi"):
        client.set_cookie(LANG_COOKIE, lang)
        pages[lang] = client.get(f"/admin/purchase-orders/{draft['purchase_order']}").get_data(as_text=True)
    for html in pages.values():  # as text on the page (the menu's link to /admin/replenishment is no text)
        assert "replenishment" not in re.sub(r"<[^>]*>", " ", html)
    assert "Drafted from the what-to-order suggestions." in pages["en"]
    assert "सुझावों" in pages["hi"]
    client.set_cookie(LANG_COOKIE, "en")
    assert "what-to-order" not in client.get(f"/admin/purchase-orders/{made_by_hand['purchase_order']}").get_data(
        as_text=True)


def test_an_order_of_no_ticked_material_says_to_tick_one_in_both_languages(api, runtime):
    """With every box unticked the page said "Order Natural indigo dye: Length must be between 1 and 200.": the
    refusal now says to tick at least one material, and nothing is drafted."""
    body = {"depot": "VNS", "supplier": "MILL", "skus": []}
    error = api("POST", "/replenishment/purchase-orders", body, status=400)["error"]
    assert error["details"] == {"skus": ["tick at least one material to order"]}
    hindi = api("POST", "/replenishment/purchase-orders", body, status=400, lang="hi")["error"]
    assert "सामान" in hindi["details"]["skus"][0] and "Length" not in hindi["details"]["skus"][0]
    many = api("POST", "/replenishment/purchase-orders", {**body, "skus": [f"S{i}" for i in range(201)]}, status=400)
    assert many["error"]["details"] == {"skus": ["at most 200 materials in one order"]}
    assert runtime.db.purchase_orders.count_documents({}) == 0


def test_the_counts_that_pick_an_admins_depot_agree_with_each_depots_suggestions(api, runtime, config):
    """An admin's first view of What to order opens the depot with the most to order. It computed every depot's
    suggestions (75 depots: 75 of them for one page); the counts read every depot at once and must give what the
    suggestions give, whatever decides them: issues, the waitlist, orders on the way, a maximum level, packs."""
    from services.inventory import catalog, movements, pages_buying, suppliers
    db, handle = runtime.db, make_handler(runtime.db, config)
    for code in ("AGR", "JPR", "MRT"):  # after BHD and VNS in the pages' order
        catalog.register_depot(db, {"code": code, "name": code, "district": code})
    for sku, reorder, extra in (("JUT", 8_000, {"pack_size": "5"}), ("SLK", 0, {}), ("CLY", 2_000, {"max_level": "30"}),
                                ("OLD", 4_000, {})):
        api("POST", "/materials", {"sku": sku, "name": sku, "name_hi": sku, "category": "fibre", "unit": "kg",
                                   "reorder_level": str(reorder / 1000), **extra}, status=201)
    api("PATCH", "/materials/OLD", {"active": False}, status=200)
    receipts = {"VNS": {"YRN": 100_000, "DYE": 3_000, "CLY": 20_000, "SLK": 1_000},  # clay below its maximum
                "BHD": {"YRN": 2_000, "JUT": 9_000, "CLY": 10_000},  # yarn short, but on order below
                "AGR": {"YRN": 6_000, "DYE": 2_000, "JUT": 20_000, "CLY": 35_000, "OLD": 1_000},  # issues take yarn
                "JPR": {"YRN": 60_000, "JUT": 10_000, "CLY": 25_000},  # waited for beyond what is free
                "MRT": {"YRN": 1_000, "DYE": 500, "JUT": 1_000, "CLY": 1_000}}  # all short: all on order below
    for depot, stock in receipts.items():
        for sku, quantity in stock.items():
            movements.record_movement(db, {"type": "receipt", "sku": sku, "depot": depot, "quantity": quantity,
                                           "lot": {"expires_on": "2099-01-31"} if sku == "DYE" else {}}, by="t")
    for n, (depot, sku, quantity) in enumerate((("AGR", "YRN", 5_000), ("AGR", "JUT", 18_000), ("VNS", "YRN", 90_000))):
        handle(requisition("RequisitionApproved", f"ISS{n}", [(sku, quantity)], depot=depot))
        handle(requisition("RequisitionDispatched", f"ISS{n}", [], depot=depot))  # issued today: 90 days' use
    handle(requisition("RequisitionApproved", "WAIT", [("YRN", 80_000)], depot="JPR"))  # waitlisted
    handle(requisition("RequisitionApproved", "HELD", [("CLY", 1_000)], depot="JPR"))
    purchase_orders_sent(api, "BHD", [("YRN", "40")])
    purchase_orders_sent(api, "MRT", [("YRN", "10"), ("DYE", "5"), ("JUT", "10"), ("CLY", "40")])
    assert db.reservations.find_one({"_id": "WAIT"})["status"] == "waitlisted"
    depots = ["BHD", "VNS", "AGR", "JPR", "MRT"]
    seen, picked = set(), set()
    for cover_days, supplier in ((60, None), (1, None), (365, "MILL"), (30, "MILL")):
        full = {depot: sum(1 for row in replenishment.suggestions(db, depot, supplier=supplier, cover_days=cover_days)
                           if row["suggested_quantity"] > 0) for depot in depots}
        assert replenishment.to_order_counts(db, depots, supplier=supplier, cover_days=cover_days) == full, cover_days
        seen.add(tuple(full.values()))
        with create_app(config, runtime).test_request_context():
            code, rows = pages_buying.most_to_order(depots, supplier=supplier, cover_days=cover_days)
        assert code == max(depots, key=full.get)  # the first of the largest
        picked.add(code)
        assert rows == replenishment.suggestions(db, code, supplier=supplier, cover_days=cover_days)
    assert len(seen) > 1 and all(len(set(counts)) > 2 for counts in seen)  # the depots differ, and so do the days
    assert picked == {"VNS", "JPR"}  # VNS before JPR when as many; JPR when a day's use of yarn is covered at VNS
    assert suppliers.get(db, "MILL")["items"]  # packs of 25 for yarn when the mill is chosen


def purchase_orders_sent(api, depot, lines) -> None:
    number = api("POST", "/purchase-orders", {"supplier": "MILL", "depot": depot, "expected_on": "2099-01-01",
                                              "lines": [{"sku": sku, "quantity": quantity, "price": "1"}
                                                        for sku, quantity in lines]}, status=201)["purchase_order"]
    api("POST", f"/purchase-orders/{number}/send", status=200)
