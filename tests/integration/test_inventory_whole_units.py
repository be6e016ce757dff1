"""A material counted in pieces takes whole numbers only, wherever a quantity becomes stock or is asked for:
movements, its levels, purchase order lines and counted figures. 422 whole_units_only, nothing changed; kg stays
fractional (shared.quantity.WHOLE_UNITS)."""
import pytest

from tests.integration.test_inventory_procurement import MILL
from tests.integration.test_inventory_support import inventory_api, check_invariants, runtime  # noqa: F401

PLANK = {"sku": "WD-SHEESHAM-PLANK", "name": "Sheesham plank", "name_hi": "शीशम तख़्ता", "category": "wood",
         "unit": "piece", "reorder_level": "10"}


@pytest.fixture
def api(inventory_api):
    inventory_api("POST", "/materials", PLANK, status=201)
    inventory_api("POST", "/suppliers", MILL, status=201)
    return inventory_api


def refused(answer: dict, sku="WD-SHEESHAM-PLANK", quantity="2.5") -> dict:
    error = answer["error"]
    assert (error["code"], error["details"]["sku"], error["details"]["unit"], error["details"]["quantity"]) == \
        ("whole_units_only", sku, "piece", quantity)
    return error


def snapshot(db) -> tuple:
    """Everything a refused request might have changed."""
    return (list(db.stock.find({}, {"_id": 1, "on_hand": 1, "version": 1})), db.movements.count_documents({}),
            db.materials.find_one({"_id": "WD-SHEESHAM-PLANK"}, {"outbox": 0}), db.purchase_orders.count_documents({}),
            [c.get("lines") for c in db.counts.find()])


def test_a_receipt_of_half_a_plank_is_refused_in_both_languages_and_changes_nothing(api, runtime):
    receipt = {"type": "receipt", "sku": "WD-SHEESHAM-PLANK", "depot": "VNS", "quantity": "2.5"}
    before = snapshot(runtime.db)
    error = refused(api("POST", "/movements", receipt, status=422))
    assert error["message"] == ("Sheesham plank is counted in whole pieces: 2.5 is not a whole number. "
                                "Nothing was changed.")
    hindi = refused(api("POST", "/movements", receipt, status=422, lang="hi"))["message"]
    assert hindi == "शीशम तख़्ता पूरे नग में गिना जाता है: 2.5 पूर्ण संख्या नहीं है। कुछ नहीं बदला गया।"
    assert refused(api("POST", "/movements", {**receipt, "quantity": "२.५"}, status=422))  # Devanagari digits too
    assert snapshot(runtime.db) == before
    assert api("POST", "/movements", {**receipt, "quantity": "3"}, status=201)["stock"]["on_hand"] == "3"
    check_invariants(runtime.db)


def test_adjustments_transfers_and_returns_of_part_of_a_piece_are_refused(api, runtime):
    api("POST", "/movements", {"type": "receipt", "sku": "WD-SHEESHAM-PLANK", "depot": "VNS", "quantity": "6",
                               "lot": "P1"}, status=201)
    before = snapshot(runtime.db)
    for body in ({"type": "adjustment", "quantity": "-0.5", "reason": "damage"},
                 {"type": "adjustment", "quantity": "1.25", "reason": "correction"},
                 {"type": "transfer", "quantity": "0.5", "to_depot": "BHD"},
                 {"type": "return", "quantity": "1.5", "lot": "P1", "reason": "split"}):
        refused(api("POST", "/movements", {"sku": "WD-SHEESHAM-PLANK", "depot": "VNS", **body}, status=422),
                quantity=body["quantity"])
    assert snapshot(runtime.db) == before
    moved = api("POST", "/movements", {"type": "transfer", "sku": "WD-SHEESHAM-PLANK", "depot": "VNS",
                                       "to_depot": "BHD", "quantity": "2"}, status=201)
    assert moved["stock"]["on_hand"] == "4"
    check_invariants(runtime.db)


def test_a_reorder_level_of_part_of_a_piece_is_refused_on_create_and_on_change(api, runtime):
    error = refused(api("POST", "/materials", {**PLANK, "sku": "WD-TEAK", "reorder_level": "2.5"}, status=422),
                    sku="WD-TEAK")
    assert error["details"]["field"] == "reorder_level"
    assert runtime.db.materials.find_one({"_id": "WD-TEAK"}) is None
    before = snapshot(runtime.db)
    for change in ({"reorder_level": "2.5"}, {"pack_size": "0.5"}, {"max_level": "20.5"}):
        error = refused(api("PATCH", "/materials/WD-SHEESHAM-PLANK", change, status=422, lang="hi"),
                        quantity=next(iter(change.values())))
        assert error["details"]["field"] == next(iter(change))
    assert snapshot(runtime.db) == before
    assert api("PATCH", "/materials/WD-SHEESHAM-PLANK", {"reorder_level": "12"}, status=200)["reorder_level"] == "12"


def test_an_order_line_and_a_counted_figure_of_part_of_a_piece_are_refused(api, runtime):
    api("POST", "/movements", {"type": "receipt", "sku": "WD-SHEESHAM-PLANK", "depot": "VNS", "quantity": "6"},
        status=201)
    count_id = api("POST", "/counts", {"depot": "VNS"}, status=201)["count_id"]
    before = snapshot(runtime.db)
    order = {"supplier": "MILL-SRM", "depot": "VNS", "expected_on": "2099-01-31",
             "lines": [{"sku": "YRN", "quantity": "2.5", "price": "10"},
                       {"sku": "WD-SHEESHAM-PLANK", "quantity": "2.5", "price": "900"}]}
    assert refused(api("POST", "/purchase-orders", order, status=422))["details"]["field"] == "lines.1.quantity"
    line = {"sku": "WD-SHEESHAM-PLANK", "counted": "5.5"}
    refused(api("PUT", f"/counts/{count_id}/lines", line, status=422), quantity="5.5")
    assert snapshot(runtime.db) == before
    api("PUT", f"/counts/{count_id}/lines", {**line, "counted": "5"}, status=200)
    order["lines"][1]["quantity"] = "3"
    api("POST", "/purchase-orders", order, status=201)


def test_a_material_in_kg_still_takes_fractions(api, runtime):
    api("POST", "/materials", {**PLANK, "sku": "YRN-FINE", "unit": "kg", "category": "yarn", "reorder_level": "2.5"},
        status=201)
    receipt = api("POST", "/movements", {"type": "receipt", "sku": "YRN-FINE", "depot": "VNS", "quantity": "2.5"},
                  status=201)
    assert receipt["stock"]["on_hand"] == "2.5"
    count_id = api("POST", "/counts", {"depot": "VNS"}, status=201)["count_id"]
    api("PUT", f"/counts/{count_id}/lines", {"sku": "YRN-FINE", "counted": "2.25"}, status=200)
    api("POST", "/purchase-orders", {"supplier": "MILL-SRM", "depot": "VNS", "expected_on": "2099-01-31",
                                     "lines": [{"sku": "YRN-FINE", "quantity": "0.5", "price": "10"}]}, status=201)
    check_invariants(runtime.db)
