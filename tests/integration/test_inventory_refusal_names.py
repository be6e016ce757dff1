"""Refusals people read name materials and depots as people know them (their Hindi names in Hindi), quantities in
the material's unit, never by their codes ("YRN", "VNS"); the codes stay in the JSON details, as they were."""
import re

import pytest

from tests.integration.test_inventory_support import dated, inventory_api, runtime  # noqa: F401

NAMES = {"YRN": ("Cotton yarn 40s", "सूती धागा 40s"), "DYE": ("Indigo dye", "नील रंग")}
DEPOT_NAMES = {"VNS": ("Varanasi depot", "वाराणसी डिपो"), "BHD": ("Bhadohi depot", "भदोही डिपो")}
MILL = {"code": "MILL-SRM", "name": "Sri Ram Mills", "district": "Salem", "gstin": "33AAACS1234F1Z5",
        "tolerance_percent": 5}


@pytest.fixture
def api(inventory_api):
    for sku, (name, name_hi) in NAMES.items():
        inventory_api("PATCH", f"/materials/{sku}", {"name": name, "name_hi": name_hi}, status=200)
    for code, (name, name_hi) in DEPOT_NAMES.items():
        inventory_api("PATCH", f"/depots/{code}", {"name": name, "name_hi": name_hi}, status=200)
    inventory_api("POST", "/suppliers", MILL, status=201)
    return inventory_api


def refused_in_both(call, code: str, details: dict) -> tuple[str, str]:
    """The refusal's English and Hindi messages, after checking its code and that its details keep the codes."""
    messages = []
    for lang in ("en", "hi"):
        error = call(lang)["error"]
        assert error["code"] == code, error
        assert {k: error["details"].get(k) for k in details} == details, error["details"]
        for named in ("YRN", "DYE", "VNS", "BHD"):
            assert named not in error["message"], error["message"]
        messages.append(error["message"])
    english, hindi = messages
    assert not any("\u0900" <= ch <= "\u097f" for ch in english), english
    assert "Cotton yarn" not in hindi and "Indigo" not in hindi and "Varanasi" not in hindi, hindi
    assert not re.search("[A-Za-z]{3,}", re.sub(r"PO-\d+|SHARED-7", "", hindi)), hindi  # said in Hindi
    return english, hindi


def order(api, depot="VNS", sku="YRN"):
    number = api("POST", "/purchase-orders", {"supplier": "MILL-SRM", "depot": depot, "expected_on": "2099-01-31",
                                              "lines": [{"sku": sku, "quantity": "100", "price": "245.50"}]},
                 status=201)["purchase_order"]
    api("POST", f"/purchase-orders/{number}/send", status=200)
    return number


def test_not_enough_stock_names_the_material_the_depot_and_the_quantities_in_its_unit(api):
    api("POST", "/movements", {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": "1250.5"}, status=201)
    body = {"type": "adjustment", "sku": "YRN", "depot": "VNS", "quantity": "-2000", "reason": "damage"}
    english, hindi = refused_in_both(lambda lang: api("POST", "/movements", body, status=409, lang=lang),
                                     "insufficient_stock", {"sku": "YRN", "depot": "VNS", "unit": "kg",
                                                            "available": "1250.5", "wanted": "2000"})
    assert english == ("Only 1,250.5 kg of Cotton yarn 40s is available at Varanasi depot; 2,000 kg was asked for. "
                       "Nothing was changed.")
    assert "सूती धागा 40s" in hindi and "वाराणसी" in hindi and "1,250.5 किलो" in hindi and "2,000 किलो" in hindi


def test_a_material_no_longer_in_use_is_named_when_it_cannot_be_ordered(api):
    api("PATCH", "/materials/DYE", {"active": False}, status=200)
    body = {"supplier": "MILL-SRM", "depot": "VNS", "expected_on": "2099-01-01",
            "lines": [{"sku": "DYE", "quantity": "1", "price": "1"}]}
    english, hindi = refused_in_both(lambda lang: api("POST", "/purchase-orders", body, status=422, lang=lang),
                                     "inactive_material", {"sku": "DYE"})
    assert "Indigo dye" in english and "नील रंग" in hindi


def test_a_material_not_on_the_order_is_named_with_what_the_order_is_for_and_what_to_do(api):
    number = order(api)
    body = {"type": "receipt", "sku": "DYE", "depot": "VNS", "quantity": "1", "purchase_order": number}
    english, hindi = refused_in_both(lambda lang: api("POST", "/movements", body, status=422, lang=lang),
                                     "not_on_order", {"sku": "DYE", "purchase_order": number, "on_order": ["YRN"]})
    assert english == (f"Indigo dye is not on purchase order {number}, which is for Cotton yarn 40s. Choose the "
                       "order it came on, or receive it not against an order.")
    assert "नील रंग" in hindi and number in hindi and "सूती धागा 40s" in hindi


def test_an_order_for_another_depot_names_both_depots(api):
    number = order(api, depot="BHD")
    body = {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": "1", "purchase_order": number}
    english, hindi = refused_in_both(lambda lang: api("POST", "/movements", body, status=422, lang=lang),
                                     "purchase_order_depot", {"order_depot": "BHD", "depot": "VNS"})
    assert english == (f"Purchase order {number} is for Bhadohi depot, not Varanasi depot. Check the order number on "
                       "the delivery note: this order is received at Bhadohi depot.")
    assert "भदोही डिपो" in hindi and "वाराणसी डिपो" in hindi


def test_a_depot_that_does_not_stock_a_material_names_both_on_a_count(api):
    api("POST", "/movements", {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": "5", "lot": "A"},
        status=201)
    count_id = api("POST", "/counts", {"depot": "VNS"}, status=201)["count_id"]
    line = {"sku": "DYE", "lot": "A", "counted": "1"}
    english, hindi = refused_in_both(
        lambda lang: api("PUT", f"/counts/{count_id}/lines", line, status=422, lang=lang),
        "not_stocked", {"sku": "DYE", "depot": "VNS"})
    assert english == "Varanasi depot does not stock Indigo dye; it cannot be counted there."
    assert "वाराणसी डिपो" in hindi and "नील रंग" in hindi


def test_a_lot_code_taken_names_the_material_that_has_it(api):
    api("POST", "/movements", {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": "5",
                               "lot": "SHARED-7"}, status=201)
    body = {"type": "receipt", "sku": "DYE", "depot": "VNS", "quantity": "5", "lot": dated("SHARED-7")}  # dated:
    # else expiry_required (a new lot of a dye) would answer before lot_code_taken, which this tests
    english, hindi = refused_in_both(lambda lang: api("POST", "/movements", body, status=409, lang=lang),
                                     "lot_code_taken", {"sku": "YRN", "lot": "SHARED-7"})
    assert "Cotton yarn 40s" in english and "सूती धागा 40s" in hindi


def test_an_inactive_supplier_is_named_as_people_know_it(api):
    """'Supplier MILL-SRM is not active': staff know the mill as Sri Ram Mills. The message names it (in the reader's
    language around it); the details keep its code, as they were."""
    number = api("POST", "/purchase-orders", {"supplier": "MILL-SRM", "depot": "VNS", "expected_on": "2099-01-31",
                                              "lines": [{"sku": "YRN", "quantity": "1", "price": "1"}]},
                 status=201)["purchase_order"]
    api("PATCH", "/suppliers/MILL-SRM", {"active": False}, status=200)
    body = {"supplier": "MILL-SRM", "depot": "VNS", "expected_on": "2099-01-01",
            "lines": [{"sku": "YRN", "quantity": "1", "price": "1"}]}
    for call in (lambda lang: api("POST", "/purchase-orders", body, status=422, lang=lang),
                 lambda lang: api("POST", f"/purchase-orders/{number}/send", status=422, lang=lang),
                 lambda lang: api("POST", "/replenishment/purchase-orders",
                                  {"supplier": "MILL-SRM", "depot": "VNS", "skus": ["YRN"]}, status=422, lang=lang)):
        said = {}
        for lang in ("en", "hi"):
            error = call(lang)["error"]
            assert error["code"] == "supplier_inactive" and error["details"] == {"supplier": "MILL-SRM"}, error
            assert "MILL-SRM" not in error["message"], error["message"]
            said[lang] = error["message"]
        assert said["en"] == "Supplier Sri Ram Mills is not active; orders cannot go to it."
        assert "Sri Ram Mills" in said["hi"] and "आपूर्तिकर्ता" in said["hi"], said["hi"]
