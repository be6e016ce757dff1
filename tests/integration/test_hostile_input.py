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


def test_tabs_line_breaks_and_hindi_joiners_stay_allowed_in_text(services, token):
    client, db = services["requests"]
    db.materials.insert_one({"_id": "YRN-COT-40", "category": "yarn", "unit": "kg"})
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
