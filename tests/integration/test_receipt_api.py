"""The receipt endpoint: the stock and its StockReceived event in one write; bad input stores nothing."""
import pytest

from services.inventory import create_app, spec
from shared.runtime import Runtime


@pytest.fixture
def runtime(config):
    runtime = Runtime(spec(), config)
    yield runtime
    runtime.close()


@pytest.fixture
def client(config, runtime, token):
    app = create_app(config, runtime)
    client = app.test_client()
    admin = token("admin")
    assert client.post("/api/v1/depots", json={"code": "VNS", "name": "Varanasi depot",
                                               "district": "Varanasi"}, headers=admin).status_code == 201
    assert client.post("/api/v1/materials", headers=admin, json={
        "sku": "YRN-COT-40", "name": "Cotton yarn 40s", "name_hi": "सूती धागा 40s", "category": "yarn",
        "unit": "kg", "reorder_level": "50"}).status_code == 201
    return client


def receipt(**overrides):
    return {"type": "receipt", "sku": "YRN-COT-40", "depot": "VNS", "quantity": "12.5", **overrides}


def test_receipt_updates_stock_and_stores_its_event_in_the_same_document(client, runtime, token):
    response = client.post("/api/v1/movements", json=receipt(), headers={**token("warehouse"),
                                                                         "X-Request-ID": "req-42"})
    assert response.status_code == 201, response.json
    assert response.json["stock"]["on_hand"] == "12.5"
    doc = runtime.db.stock.find_one({"_id": "VNS/YRN-COT-40"})
    assert doc["on_hand"] == 12_500
    [event] = doc["outbox"]
    assert event["type"] == "StockReceived"
    assert event["correlation_id"] == "req-42"
    assert event["payload"]["quantity"] == "12.5"
    assert event["payload"]["by"] == "warehouse-user"

    stock = client.get("/api/v1/stock/VNS/YRN-COT-40", headers=token("artisan")).json
    assert (stock["on_hand"], stock["available"], stock["reserved"]) == ("12.5", "12.5", "0")


def test_numbers_are_accepted_on_input(client, token):
    response = client.post("/api/v1/movements", json=receipt(quantity=3), headers=token("admin"))
    assert response.status_code == 201
    assert response.json["quantity"] == "3"


BAD = [
    ("missing field", receipt(quantity=None) | {"quantity": None}, "warehouse", 400, "validation_error"),
    ("missing sku", {k: v for k, v in receipt().items() if k != "sku"}, "warehouse", 400, "validation_error"),
    ("negative quantity", receipt(quantity="-5"), "warehouse", 400, "validation_error"),
    ("zero quantity", receipt(quantity=0), "warehouse", 400, "validation_error"),
    ("too precise", receipt(quantity="1.0001"), "warehouse", 400, "validation_error"),
    ("wrong type", receipt(quantity=["12"]), "warehouse", 400, "validation_error"),
    ("boolean quantity", receipt(quantity=True), "warehouse", 400, "validation_error"),
    ("unknown movement type", receipt(type="gift"), "warehouse", 400, "validation_error"),
    ("unknown sku", receipt(sku="NO-SUCH"), "warehouse", 422, "unknown_material"),
    ("unknown depot", receipt(depot="XYZ"), "warehouse", 422, "unknown_depot"),
    ("no token", receipt(), None, 401, "unauthorized"),
    ("artisan token", receipt(), "artisan", 403, "forbidden"),
]


@pytest.mark.parametrize("case, body, role, status, code", BAD, ids=[b[0] for b in BAD])
def test_bad_receipts_get_a_json_error_and_store_nothing(client, runtime, token, case, body, role, status, code):
    before = list(runtime.db.stock.find({}))
    response = client.post("/api/v1/movements", json=body, headers=token(role) if role else {})
    assert response.status_code == status, response.json
    error = response.json["error"]
    assert error["code"] == code
    assert error["message"]
    assert isinstance(error["details"], dict)
    assert list(runtime.db.stock.find({})) == before


def test_invalid_json_and_forged_tokens_are_refused(client, runtime, token):
    bad_json = client.post("/api/v1/movements", data="{oops", content_type="application/json",
                           headers=token("warehouse"))
    assert bad_json.status_code == 400 and bad_json.json["error"]["code"] == "validation_error"
    forged = client.post("/api/v1/movements", json=receipt(),
                         headers={"Authorization": "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."})
    assert forged.status_code == 401 and forged.json["error"]["code"] == "token_invalid"
    assert runtime.db.stock.count_documents({}) == 0


def test_errors_speak_hindi_when_asked(client, token):
    response = client.post("/api/v1/movements", json=receipt(sku="NO-SUCH"),
                           headers={**token("warehouse"), "Accept-Language": "hi-IN,hi;q=0.9,en;q=0.5"})
    assert "SKU" in response.json["error"]["message"] and "पहले" in response.json["error"]["message"]


def test_health_metrics_and_openapi(client, token):
    assert client.get("/healthz").json["status"] == "ok"
    assert client.get("/metrics").status_code == 401  # it shows failed logins: admins only
    assert "rawbank_http_requests_total" in client.get("/metrics", headers=token("admin")).get_data(as_text=True)
    spec_doc = client.get("/api/v1/openapi.json").json
    assert "/api/v1/movements" in spec_doc["paths"]
    ready = client.get("/readyz")  # no broker in this test: not ready, and it says why
    assert ready.status_code == 503
    assert ready.json["checks"]["store"] == "ok" and ready.json["checks"]["broker"] != "ok"


def test_metrics_count_each_request_under_its_route_method_and_status(client, token):
    def count(status):
        text = client.get("/metrics", headers=token("admin")).get_data(as_text=True)
        line = [row for row in text.splitlines() if row.startswith("rawbank_http_requests_total{")
                and 'endpoint="/api/v1/movements"' in row and 'method="POST"' in row and f'status="{status}"' in row]
        return float(line[0].rsplit(" ", 1)[1]) if line else 0.0

    created, refused = count(201), count(422)
    for _ in range(3):
        assert client.post("/api/v1/movements", json=receipt(), headers=token("warehouse")).status_code == 201
    assert client.post("/api/v1/movements", json=receipt(sku="NO-SUCH"), headers=token("warehouse")).status_code == 422
    assert (count(201) - created, count(422) - refused) == (3, 1)
