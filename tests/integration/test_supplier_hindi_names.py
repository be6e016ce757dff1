"""A supplier's name and district in Hindi (`name_hi`, `district_hi`, optional): kept by the API, refused when bad
with nothing changed, and read on Hindi pages where the supplier is named (the English ones where it gave none)."""
import re
from datetime import datetime, timezone

import pytest

from services.inventory import clock, create_app, purchase_orders, seed
from shared.auth import COOKIE, issue_token
from shared.envelope import decode_event
from shared.i18n import LANG_COOKIE
from tests.integration.test_inventory_support import inventory_api, runtime  # noqa: F401

MILL = {"code": "MILL-SRM", "name": "Sri Ram Spinning Mills", "district": "Salem",
        "name_hi": "श्री राम स्पिनिंग मिल्स", "district_hi": "सेलम"}
PLAIN = {"code": "MILL-OLD", "name": "Old Weavers Supply", "district": "Mau"}


@pytest.fixture
def page(config, runtime):
    client = create_app(config, runtime).test_client()

    def get(path, lang="en"):
        client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="admin", role="admin"))
        client.set_cookie(LANG_COOKIE, lang)
        response = client.get(path)
        assert response.status_code == 200
        return response.get_data(as_text=True)
    return get


def test_a_supplier_keeps_its_hindi_name_and_district_and_changes_them(inventory_api):
    made = inventory_api("POST", "/suppliers", MILL, status=201)
    assert (made["name_hi"], made["district_hi"]) == ("श्री राम स्पिनिंग मिल्स", "सेलम")
    old = inventory_api("POST", "/suppliers", PLAIN, status=201)
    assert old["name_hi"] is None and old["district_hi"] is None  # optional: old clients send neither
    changed = inventory_api("PATCH", "/suppliers/MILL-SRM", {"name_hi": "श्रीराम मिल्स"}, status=200)
    assert (changed["name_hi"], changed["name"], changed["district_hi"]) == ("श्रीराम मिल्स", MILL["name"], "सेलम")
    cleared = inventory_api("PATCH", "/suppliers/MILL-SRM", {"district_hi": None}, status=200)
    assert cleared["district_hi"] is None
    assert inventory_api("GET", "/suppliers/MILL-SRM", role="warehouse")["name_hi"] == "श्रीराम मिल्स"


@pytest.mark.parametrize("field, value", [("name_hi", "म" * 201), ("name_hi", "   "), ("name_hi", "मिल\x07"),
                                          ("district_hi", "स" * 101), ("district_hi", "")])
def test_a_bad_hindi_name_or_district_is_refused_and_nothing_changes(inventory_api, runtime, field, value):
    inventory_api("POST", "/suppliers", MILL, status=201)
    before = runtime.db.suppliers.find_one({"_id": "MILL-SRM"})
    patched = inventory_api("PATCH", "/suppliers/MILL-SRM", {field: value})["error"]
    created = inventory_api("POST", "/suppliers", {**MILL, "code": "MILL-NEW", field: value})["error"]
    for error in (patched, created):
        assert error["code"] == "validation_error" and field in error["details"], error
    assert runtime.db.suppliers.find_one({"_id": "MILL-SRM"}) == before
    assert runtime.db.suppliers.find_one({"_id": "MILL-NEW"}) is None


def test_hindi_pages_name_the_supplier_in_hindi_and_english_pages_in_english(inventory_api, page):
    inventory_api("POST", "/suppliers", MILL, status=201)
    inventory_api("POST", "/suppliers", PLAIN, status=201)
    number = inventory_api("POST", "/purchase-orders", {
        "supplier": "MILL-SRM", "depot": "VNS", "expected_on": "2099-01-31",
        "lines": [{"sku": "YRN", "quantity": "100", "price": "245.50"}]}, status=201)["purchase_order"]
    hindi, english = page("/admin/suppliers", lang="hi"), page("/admin/suppliers")
    assert "श्री राम स्पिनिंग मिल्स" in hindi and "सेलम" in hindi and "Sri Ram Spinning Mills" not in hindi
    assert "Sri Ram Spinning Mills" in english and "श्री राम स्पिनिंग मिल्स" not in english
    assert "Old Weavers Supply" in hindi and "Mau" in hindi  # no Hindi name given: the English one
    assert "श्री राम स्पिनिंग मिल्स" in page("/admin/suppliers/MILL-SRM", lang="hi")
    for path in (f"/admin/purchase-orders/{number}", "/admin/purchase-orders", "/admin/replenishment?depot=VNS"):
        hindi, english = page(path, lang="hi"), page(path)
        assert "श्री राम स्पिनिंग मिल्स" in hindi and "Sri Ram Spinning Mills" not in hindi, path
        assert "Sri Ram Spinning Mills" in english and "श्री राम स्पिनिंग मिल्स" not in english, path


def test_the_demo_suppliers_have_hindi_names_and_districts(runtime, config):
    seed.seed(runtime.db, config)
    for supplier in runtime.db.suppliers.find():
        assert supplier.get("name_hi") and supplier.get("district_hi"), supplier["_id"]
    assert runtime.db.suppliers.find_one({"_id": "SRM"})["name_hi"] == "श्री राम स्पिनिंग मिल्स"


def test_a_draft_refused_for_want_of_a_price_names_the_supplier_in_the_readers_language(inventory_api):
    inventory_api("POST", "/suppliers", MILL, status=201)  # it prices nothing
    for lang, name, other in (("hi", "श्री राम स्पिनिंग मिल्स", "Sri Ram"), ("en", "Sri Ram Spinning Mills", "श्री")):
        error = inventory_api("POST", "/replenishment/purchase-orders", {"depot": "VNS", "supplier": "MILL-SRM",
                                                                         "skus": ["YRN"]}, status=422, lang=lang)
        message = error["error"]["message"]
        assert error["error"]["code"] == "no_supplier_price" and message.startswith(name) and other not in message


def test_a_late_orders_event_carries_its_suppliers_hindi_name_if_it_had_one(inventory_api, runtime, monkeypatch):
    inventory_api("POST", "/suppliers", MILL, status=201)
    inventory_api("POST", "/suppliers", PLAIN, status=201)
    monkeypatch.setattr(clock, "now", lambda: datetime(2030, 1, 5, 6, tzinfo=timezone.utc))
    numbers = {}
    for supplier in ("MILL-SRM", "MILL-OLD"):
        numbers[supplier] = number = inventory_api("POST", "/purchase-orders", {
            "supplier": supplier, "depot": "VNS", "expected_on": "2030-01-10",
            "lines": [{"sku": "YRN", "quantity": "100", "price": "245.50"}]}, status=201)["purchase_order"]
        inventory_api("POST", f"/purchase-orders/{number}/send", status=200)
    monkeypatch.setattr(clock, "now", lambda: datetime(2030, 1, 12, 6, tzinfo=timezone.utc))
    assert purchase_orders.raise_overdue(runtime.db) == 2
    said = {}
    for supplier, number in numbers.items():
        events = [decode_event(e) for e in runtime.db.purchase_orders.find_one({"_id": number})["outbox"]]
        [said[supplier]] = [e.data for e in events if e.type == "PurchaseOrderOverdue"]
    assert said["MILL-SRM"]["supplier_name_hi"] == "श्री राम स्पिनिंग मिल्स"
    assert not said["MILL-OLD"].get("supplier_name_hi") and said["MILL-OLD"]["supplier_name"] == PLAIN["name"]


def test_the_suppliers_page_has_a_form_for_its_names_in_both_languages_that_the_api_takes(inventory_api, page):
    inventory_api("POST", "/suppliers", PLAIN, status=201)
    html = page("/admin/suppliers/MILL-OLD", lang="hi")
    form = re.search(r'<form[^>]*id="supplier-names".*?</form>', html, re.S).group(0)
    assert 'data-api="/api/v1/suppliers/MILL-OLD"' in form and 'data-method="PATCH"' in form
    fields = dict(re.findall(r'<input id="[^"]+" name="([a-z_]+)"[^>]*?value="([^"]*)"', form))
    assert fields == {"name": PLAIN["name"], "name_hi": "", "district": "Mau", "district_hi": ""}
    assert "हिन्दी में नाम" in form and "हिन्दी में ज़िला" in form  # its labels in the page's language
    # what the form sends (rawbank.js: an empty field with data-null as null) is what the API takes
    inventory_api("PATCH", "/suppliers/MILL-OLD", {**fields, "name_hi": "पुराना बुनकर सप्लाई", "district_hi": None},
                  status=200)
    assert "पुराना बुनकर सप्लाई" in page("/admin/suppliers/MILL-OLD", lang="hi")


def test_the_openapi_says_the_hindi_fields_are_optional_and_what_they_are(config, runtime):
    schemas = create_app(config, runtime).test_client().get("/api/v1/openapi.json").json["components"]["schemas"]
    for schema in ("Supplier", "SupplierPatch"):
        fields = schemas[schema]["properties"]
        assert {"name_hi", "district_hi"} <= set(fields) and "Hindi pages" in fields["name_hi"]["description"]
        assert not {"name_hi", "district_hi"} & set(schemas[schema].get("required", []))
    assert "supplier_name_hi" in schemas["PurchaseOrder"]["properties"]
