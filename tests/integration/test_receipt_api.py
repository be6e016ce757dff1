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


HUGE = "999999999999"  # 10^12 - 1 kg: the most one quantity may be, so one receipt of it passes


def test_a_stock_its_events_could_not_carry_is_refused_with_what_to_do_and_can_be_corrected(client, runtime, token):
    """A receipt of 999999999999 kg made every later receipt there a 500 (the StockReceived event could not carry
    the new on hand). Now any movement that would leave more than a depot may hold is 422 stock_too_large, naming
    the largest stock and the way out, and changes nothing; an adjustment down still corrects the stock."""
    clerk = token("warehouse")
    assert client.post("/api/v1/depots", json={"code": "BHD", "name": "Bhadohi depot", "district": "Bhadohi"},
                       headers=token("admin")).status_code == 201
    assert client.post("/api/v1/movements", json=receipt(quantity=HUGE), headers=clerk).status_code == 201
    before = runtime.db.stock.find_one({"_id": "VNS/YRN-COT-40"})
    for body in (receipt(quantity="2"), receipt(type="adjustment", quantity="5", reason="count"),
                 {**receipt(quantity=HUGE), "depot": "BHD"} | {"type": "transfer", "depot": "BHD", "to_depot": "VNS"}):
        if body["depot"] == "BHD":  # a transfer in from another depot
            assert client.post("/api/v1/movements", json={**receipt(quantity="10"), "depot": "BHD"},
                               headers=token("admin")).status_code == 201
            body["quantity"] = "10"
        refused = client.post("/api/v1/movements", json=body, headers=token("admin"))
        assert refused.status_code == 422, refused.json
        error = refused.json["error"]
        assert error["code"] == "stock_too_large"
        assert error["details"]["largest"] == "1000000000000" and error["details"]["depot"] == "VNS"
        assert "Varanasi depot can hold at most 10,00,00,00,00,000 kg of Cotton yarn 40s" in error["message"]
        assert "adjustment that takes stock off" in error["message"]
        assert runtime.db.stock.find_one({"_id": "VNS/YRN-COT-40"})["version"] == before["version"]
    assert runtime.db.stock.find_one({"_id": "BHD/YRN-COT-40"})["on_hand"] == 10_000  # nothing left in transit
    hindi = client.post("/api/v1/movements", json=receipt(quantity="2"),
                        headers={**clerk, "Accept-Language": "hi"}).json["error"]["message"]
    assert "सूती धागा 40s" in hindi and "10,00,00,00,00,000 किलो" in hindi

    corrected = client.post("/api/v1/movements", json=receipt(type="adjustment", quantity="-999999999000",
                                                             reason="correction"), headers=clerk)
    assert corrected.status_code == 201 and corrected.json["stock"]["on_hand"] == "999"
    assert client.post("/api/v1/movements", json=receipt(quantity="1"), headers=clerk).status_code == 201


def test_a_stock_stored_past_the_limit_before_is_corrected_by_one_adjustment_down(client, runtime, token):
    """A stock stored past the limit (a transfer's arriving leg, which carries no event, could do that before) is
    refused a change that leaves it past the limit (422, not 500) and is corrected by one adjustment down."""
    clerk = token("warehouse")
    assert client.post("/api/v1/movements", json=receipt(quantity=HUGE), headers=clerk).status_code == 201
    too_much = 1_500_000_000_000_000
    runtime.db.stock.update_one({"_id": "VNS/YRN-COT-40"}, {"$set": {"on_hand": too_much, "available": too_much,
                                                                      "lots.0.on_hand": too_much}})
    still_past = client.post("/api/v1/movements", json=receipt(type="adjustment", quantity="-1", reason="correction"),
                             headers=clerk)
    assert still_past.status_code == 422 and still_past.json["error"]["code"] == "stock_too_large"
    corrected = client.post("/api/v1/movements", json=receipt(type="adjustment", quantity="-1000000000000",
                                                             reason="correction"), headers=clerk)
    assert corrected.status_code == 201, corrected.json
    assert corrected.json["stock"]["on_hand"] == "500000000000"
