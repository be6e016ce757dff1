"""Input an attacker sends on purpose: broken Unicode, control characters, deep or huge JSON.

Each is refused with 400 `validation_error` before anything is stored (issue 13, findings 1 and 5).
"""
from __future__ import annotations

import json

import pytest

from services import inventory, notifier, requests as requests_service
from shared.runtime import Runtime

PACKAGES = {"inventory": inventory, "requests": requests_service, "notifier": notifier}
STOCK = "VNS/YRN-COT-40"


@pytest.fixture
def services(config):
    """The three services with their demo data, each on its own in-process store."""
    made = {}
    for name, package in PACKAGES.items():
        runtime = Runtime(package.spec(), config)
        if runtime.spec.seed:
            runtime.spec.seed(runtime.db, config)
        made[name] = package.create_app(config, runtime).test_client(), runtime.db
    yield made


def raw(client, path, body: bytes, headers=None, method="POST"):
    """Send `body` exactly as given: a lone surrogate cannot pass through a JSON encoder unescaped."""
    return client.open(path, method=method, data=body, content_type="application/json", headers=headers or {})


def refused(response, *fields):
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    error = response.get_json()["error"]
    assert error["code"] == "validation_error", error
    for field in fields:
        assert field in error["details"], error
    return error


def outboxes(db) -> int:
    return sum(len(doc.get("outbox", [])) for name in db.list_collection_names() for doc in db[name].find())


def test_a_lone_surrogate_in_a_movement_reference_is_refused_and_nothing_is_stored(services, token):
    client, db = services["inventory"]
    stock, ledger, events = db.stock.find_one({"_id": STOCK}), db.movements.count_documents({}), outboxes(db)
    body = b'{"type":"receipt","sku":"YRN-COT-40","depot":"VNS","quantity":"1","reference":"\\ud800"}'
    refused(raw(client, "/api/v1/movements", body, token("warehouse", depot="VNS")), "reference")
    assert db.stock.find_one({"_id": STOCK}) == stock  # on hand, journal and outbox as they were
    assert db.movements.count_documents({}) == ledger and outboxes(db) == events
    shown = client.get(f"/api/v1/stock/{STOCK}", headers=token("admin")).get_json()
    assert shown["on_hand"] == "200"


def test_a_lone_surrogate_in_a_requisition_note_is_refused_before_the_quota_is_taken(services, token):
    client, db = services["requests"]
    db.materials.insert_one({"_id": "YRN-COT-40", "category": "yarn", "unit": "kg"})
    db.depots.insert_one({"_id": "VNS", "zone": "plain"})
    usage = list(db.usage.find())
    body = json.dumps({"depot": "VNS", "lines": [{"sku": "YRN-COT-40", "quantity": "1"}], "note": "x"})
    body = body.replace('"x"', '"a\\udc00b"').encode()
    refused(raw(client, "/api/v1/requisitions", body, token("artisan")), "note")
    assert list(db.usage.find()) == usage and db.requisitions.count_documents({}) == 0


@pytest.mark.parametrize("text", ["\\u0000", "a\\u0007b", "\\u001b[31m", "\\u009b", "\\ufffe", "\\udbff\\udbff"])
def test_control_characters_and_broken_unicode_are_refused_in_nested_fields_and_keys(services, token, text):
    client, db = services["requests"]
    body = f'{{"depot": "VNS", "lines": [{{"sku": "YRN{text}", "quantity": "1"}}]}}'.encode()
    error = refused(raw(client, "/api/v1/requisitions", body, token("admin")), "lines")
    assert "sku" in error["details"]["lines"]["0"]
    refused(raw(client, "/api/v1/auth/login", f'{{"username": "admin", "pass{text}": 1}}'.encode()))
    assert db.requisitions.count_documents({}) == 0


def test_a_body_sent_as_a_form_or_text_is_refused_and_changes_nothing(services, token):
    """A form-encoded body was read as no body at all: an alert was acknowledged and its note silently lost."""
    from datetime import datetime, timezone
    from services.notifier import alerts, domain
    client, db = services["notifier"]
    alert_id = alerts.raise_alert(db, domain.LOW_STOCK, depot="VNS", sku="YRN-COT-40", cause="c-1",
                                  at=datetime.now(timezone.utc), details={"available": 1_000})
    before = db.alerts.find_one({"_id": alert_id})
    for lang, says in (("en", "Send the body as JSON"), ("hi", "अनुरोध का डेटा JSON में भेजें")):
        sent = client.post(f"/api/v1/alerts/{alert_id}/acknowledge", data={"note": "seen, ordering"},
                           headers={**token("admin"), "Accept-Language": lang})
        assert refused(sent, "_schema")["details"]["_schema"][0].startswith(says)
    assert db.alerts.find_one({"_id": alert_id}) == before
    inventory, stock_db = services["inventory"]
    stock = stock_db.stock.find_one({"_id": STOCK})
    text = inventory.post("/api/v1/movements", data=b'{"type": "receipt", "sku": "YRN-COT-40", "depot": "VNS"}',
                          content_type="text/plain", headers=token("admin"))
    assert refused(text)["details"] == {"_schema": [
        "Send the body as JSON, with the header Content-Type: application/json."]}
    assert stock_db.stock.find_one({"_id": STOCK}) == stock
    assert inventory.post("/api/v1/purchase-orders/NONE/send", headers=token("admin")).status_code == 404  # no body


def test_tabs_line_breaks_and_hindi_joiners_stay_allowed_in_text(services, token):
    client, db = services["requests"]
    db.materials.insert_one({"_id": "YRN-COT-40", "category": "yarn", "unit": "kg"})
    db.depots.insert_one({"_id": "VNS", "zone": "plain"})
    body = {"depot": "VNS", "lines": [{"sku": "YRN-COT-40", "quantity": "1"}], "note": "पहली\n\tक्\u200dष\r\n"}
    created = client.post("/api/v1/requisitions", json=body, headers=token("artisan"))
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["note"] == body["note"]


@pytest.mark.parametrize("service", sorted(PACKAGES))
def test_control_characters_in_a_query_string_are_refused(services, token, service):
    path = {"inventory": "/api/v1/stock?depot=VN%00S", "requests": "/api/v1/requisitions?depot=VN%1bS",
            "notifier": "/api/v1/alerts?depot=V%00"}[service]
    refused(services[service][0].get(path, headers=token("admin")), "depot")


@pytest.mark.parametrize("body", [
    b"[" * 1000 + b"]" * 1000,
    b'{"username": ' + b"[" * 5000 + b"]" * 5000 + b', "password": "x"}',
    b'{"username": "a", "password": ' + b"1" * 5000 + b"}",
    b'{"username": "a", "password": -' + b"9" * 400 + b"}",
    b'{"username": "a", "password": 1.' + b"5" * 400 + b"}",
], ids=["1000-deep", "deep-value", "5000-digit-int", "long-negative", "long-fraction"])
def test_deep_or_huge_json_at_login_is_a_validation_error(services, body):
    response = raw(services["requests"][0], "/api/v1/auth/login", body)
    assert refused(response)["details"] == {"_schema": ["Invalid JSON body."]}


def test_json_within_the_limits_still_parses(services, token):
    client, db = services["requests"]
    db.materials.insert_one({"_id": "YRN-COT-40", "category": "yarn", "unit": "kg"})
    db.depots.insert_one({"_id": "VNS", "zone": "plain"})
    body = {"depot": "VNS", "lines": [{"sku": "YRN-COT-40", "quantity": 12.5}], "note": "[[[{{\"]]]"}
    created = client.post("/api/v1/requisitions", json=body, headers=token("artisan"))
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["lines"][0]["quantity"] == "12.5"


def test_quantities_as_people_write_them_and_not_as_programs_do(services, token):
    """Devanagari digits are read as ASCII ones; '1_000', '+5' and '1E3' are refused (issue 13, finding 9)."""
    client, db = services["inventory"]
    warehouse = token("warehouse", depot="VNS")
    for text in ("1_000", "+5", "1E3"):
        body = {"type": "receipt", "sku": "YRN-COT-40", "depot": "VNS", "quantity": text}
        refused(client.post("/api/v1/movements", json=body, headers=warehouse), "quantity")
    body = {"type": "receipt", "sku": "YRN-COT-40", "depot": "VNS", "quantity": "१२.५"}
    made = client.post("/api/v1/movements", json=body, headers=warehouse)
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["stock"]["on_hand"] == "212.5"


BLANK_LABELS = [
    ("inventory", "POST", "/api/v1/materials", {"sku": "NEW-1", "name": "   ", "name_hi": "नया", "category": "yarn",
                                                 "unit": "kg", "reorder_level": "1"}, "name"),
    ("inventory", "PATCH", "/api/v1/depots/VNS", {"name_hi": " \t "}, "name_hi"),
    ("inventory", "POST", "/api/v1/suppliers", {"code": "MILL-9", "name": "Mill", "district": "  "}, "district"),
    ("requests", "PATCH", "/api/v1/artisans/ART-0001", {"name": "\n "}, "name"),
]


@pytest.mark.parametrize("service,method,path,body,field", BLANK_LABELS)
def test_a_name_or_district_of_only_spaces_is_refused_in_both_languages(services, token, service, method, path,
                                                                         body, field):
    """A name of only spaces was stored, and showed as an empty cell on every page and list."""
    client, db = services[service]
    before = {name: list(db[name].find()) for name in db.list_collection_names()}
    error = refused(client.open(path, method=method, json=body, headers=token("admin")), field)
    assert error["details"][field] == ["must not be only spaces"]
    hindi = client.open(path, method=method, json=body, headers={**token("admin"), "Accept-Language": "hi"})
    assert hindi.get_json()["error"]["details"][field] == ["केवल खाली जगह नहीं हो सकती"]
    assert {name: list(db[name].find()) for name in db.list_collection_names()} == before


DAY_EDGES = ["from=0001-01-01", "to=9999-12-31", "from=0001-01-01&to=9999-12-31"]
API_DAYS = [("inventory", "/api/v1/movements"), ("requests", "/api/v1/requisitions"), ("notifier", "/api/v1/alerts")]
MONTH_EDGES = ["0000-01", "0001-01", "9999-12"]
API_MONTHS = [("requests", "/api/v1/artisans/ART-0001/entitlements"),
              ("requests", "/api/v1/artisans/ART-0001/passbook"), ("notifier", "/api/v1/reports/distribution"), ("requests", "/api/v1/reports/subsidy-claims?scheme=RMSS&")]


@pytest.mark.parametrize("query", DAY_EDGES)
@pytest.mark.parametrize("service,path", API_DAYS)
def test_a_day_at_the_calendars_ends_is_a_validation_error_in_the_api(services, token, service, path, query):
    client, _ = services[service]
    refused(client.get(f"{path}?{query}", headers=token("admin")))


@pytest.mark.parametrize("month", MONTH_EDGES)
@pytest.mark.parametrize("service,path", API_MONTHS)
def test_a_month_the_calendar_cannot_take_is_a_validation_error_in_the_api(services, token, service, path, month):
    client, _ = services[service]
    joined = path if path.endswith("&") else f"{path}?"
    refused(client.get(f"{joined}month={month}", headers=token("admin")), "month")


@pytest.mark.parametrize("service,path,query", [
    *[(service, path, query) for service, path in (("inventory", "/warehouse/ledger"), ("requests", "/admin/approvals"),
                                                    ("requests", "/my"), ("notifier", "/admin/alerts"))
      for query in DAY_EDGES],
    *[(service, path, f"month={month}") for service, path in (("requests", "/admin/claims"),
                                                              ("notifier", "/admin/reports/distribution"),
                                                              ("notifier", "/admin/reports/cooperatives"),
                                                              ("requests", "/passbook/ART-0001"))
      for month in MONTH_EDGES]])
def test_a_page_given_a_day_or_month_at_the_calendars_ends_says_what_to_write(services, token, service, path, query):
    from shared.auth import COOKIE
    client, _ = services[service]
    role = "artisan" if path == "/my" else "admin"
    client.set_cookie(COOKIE, token(role)["Authorization"].split()[1])
    shown = client.get(f"{path}?{query}", headers={"Accept-Language": "en"})
    assert shown.status_code in (200, 400), shown.get_data(as_text=True)[:300]
    text = shown.get_data(as_text=True)
    assert "Something went wrong" not in text
    if path != "/passbook/ART-0001":  # the passbook shows this month instead
        assert "such as 20" in text or "जैसा" in text, text[:2000]


def test_the_claims_page_says_in_hindi_how_to_write_a_month(services, token):
    from shared.auth import COOKIE
    from shared.i18n import LANG_COOKIE
    client, _ = services["requests"]
    client.set_cookie(COOKIE, token("admin")["Authorization"].split()[1])
    client.set_cookie(LANG_COOKIE, "hi")
    assert "2026-11 जैसा महीना लिखें।" in client.get("/admin/claims?month=0000-01").get_data(as_text=True)


def test_a_body_that_is_not_utf8_is_refused_not_read_as_no_body(services, token):
    """A cancel whose reason held a byte that is not UTF-8 was read as no body: the request was cancelled, its reason
    lost; a receipt said every field was missing."""
    client, db = services["requests"]
    db.materials.insert_one({"_id": "YRN-COT-40", "category": "yarn", "unit": "kg"})
    db.depots.insert_one({"_id": "VNS", "zone": "plain"})
    asked = {"depot": "VNS", "lines": [{"sku": "YRN-COT-40", "quantity": "1"}]}
    made = client.post("/api/v1/requisitions", json=asked, headers=token("artisan"))
    assert made.status_code == 201, made.get_json()
    rid = made.get_json()["id"]
    before = db.requisitions.find_one({"_id": rid})
    for lang, says in (("en", "The body is not UTF-8 text"), ("hi", "अनुरोध का डेटा UTF-8 पाठ नहीं है")):
        sent = raw(client, f"/api/v1/requisitions/{rid}/cancel", b'{"reason": "changed my mind \xff"}',
                   {**token("artisan"), "Accept-Language": lang})
        assert refused(sent, "_schema")["details"]["_schema"][0].startswith(says)
    assert db.requisitions.find_one({"_id": rid}) == before
    inventory, stock_db = services["inventory"]
    stock = stock_db.stock.find_one({"_id": STOCK})
    body = b'{"type": "receipt", "sku": "YRN-COT-40", "depot": "VNS", "quantity": "1", "reference": "\xe0\xa4"}'
    assert refused(raw(inventory, "/api/v1/movements", body, token("admin")))["details"] == {"_schema": [
        "The body is not UTF-8 text: send the JSON encoded as UTF-8."]}
    assert stock_db.stock.find_one({"_id": STOCK}) == stock


@pytest.mark.parametrize("body", [
    b'{"type": "receipt", "sku": "YRN-COT-40", "depot": "BHD", "depot": "VNS", "quantity": "1"}',
    b'{"type": "receipt", "sku": "YRN-COT-40", "depot": "VNS", "quantity": "1", "lot": {"code": "A", "code": "B"}}',
], ids=["top-level", "nested"])
def test_a_field_named_twice_is_refused_and_changes_nothing(services, token, body):
    """Which of the two values was meant cannot be known (Python keeps the last, other readers the first), so what a
    proxy or an audit log in front of rawbank reads could differ from what it stores."""
    inventory, db = services["inventory"]
    stock, ledger = list(db.stock.find()), db.movements.count_documents({})
    for lang, says in (("en", "A field is named twice"), ("hi", "एक ही फ़ील्ड दो बार")):
        sent = raw(inventory, "/api/v1/movements", body, {**token("admin"), "Accept-Language": lang})
        assert says in refused(sent, "_schema")["details"]["_schema"][0]
    assert list(db.stock.find()) == stock and db.movements.count_documents({}) == ledger


@pytest.mark.parametrize("field, body, path", [
    ("sku", {"sku": "YRN-NEW\n", "name": "New yarn", "name_hi": "नया धागा", "category": "yarn", "unit": "kg",
             "reorder_level": "5"}, "/api/v1/materials"),
    ("entitlement_class", {"sku": "YRN-NEW", "name": "New yarn", "name_hi": "नया धागा", "category": "yarn",
                           "unit": "kg", "reorder_level": "5", "entitlement_class": "cotton-hank-upto-40s\n"},
     "/api/v1/materials"),
    ("lot", {"type": "receipt", "sku": "YRN-COT-40", "depot": "VNS", "quantity": "1", "lot": "L-7\n"},
     "/api/v1/movements"),
], ids=["sku", "entitlement-class", "lot"])
def test_a_code_with_a_line_break_after_it_is_refused_and_nothing_is_stored(services, token, field, body, path):
    """A code's pattern ended in `$`, which also matches before a final line break: "YRN-NEW\\n" became a material
    nobody could find by its code, a class "...\\n" matched no scheme's entitlement, a lot "L-7\\n" stood beside L-7."""
    client, db = services["inventory"]
    before = {name: db[name].count_documents({}) for name in ("materials", "movements", "lots")}
    events = outboxes(db)
    refused(client.post(path, json=body, headers=token("admin")), field)
    assert {name: db[name].count_documents({}) for name in before} == before and outboxes(db) == events


def test_every_pattern_a_field_is_checked_with_ends_at_the_text_s_end():
    """`$` matches before a final line break, so a pattern ending in it lets "CODE\\n" through; `\\Z` does not."""
    import marshmallow as ma
    from services.inventory import schemas as a, schemas_procurement as b
    from services.notifier import schemas as c
    from services.requests import money_schemas as d, schemas as e
    from shared import events
    found = [(module.__name__, name, check.regex.pattern)
             for module in (a, b, c, d, e, events) for name, value in vars(module).items()
             if isinstance(value, type) and issubclass(value, ma.Schema)
             for field in value._declared_fields.values()
             for check in getattr(field, "validators", ()) if isinstance(check, ma.validate.Regexp)]
    found += [(module.__name__, name, value.regex.pattern) for module in (a, b, c, d, e)
              for name, value in vars(module).items() if isinstance(value, ma.validate.Regexp)]
    assert len(found) >= 10 and [f for f in found if not f[2].endswith("\\Z")] == []
