"""The OpenAPI documents say what the services' errors really are: each real refusal (no token, a role that may
not, a body that breaks its schema, an id nobody has) is documented on its operation under its status, and its
body fits the schema the document gives there."""
from __future__ import annotations

import re

import jsonschema_rs
import pytest

from services import inventory, notifier, requests as requests_service
from shared.runtime import Runtime

PACKAGES = {"inventory": inventory, "requests": requests_service, "notifier": notifier}
#: service -> (method, path, who calls, JSON body, the status it answers); a 2xx only prepares the next
REFUSALS = {
    "inventory": [
        ("GET", "/api/v1/materials", None, None, 401),
        ("POST", "/api/v1/materials", "artisan", {"sku": "X"}, 403),
        ("POST", "/api/v1/materials", "admin", {"sku": 7}, 400),
        ("GET", "/api/v1/materials/NO-SUCH-SKU", "admin", None, 404),
        ("POST", "/api/v1/movements", "artisan", {}, 403),
        ("POST", "/api/v1/depots", "admin", {"code": "ERR", "name": "Err", "district": "Varanasi"}, 201),
        ("POST", "/api/v1/depots", "admin", {"code": "ERR", "name": "Err", "district": "Varanasi"}, 409),
        ("POST", "/api/v1/materials", "admin", {"sku": "ERR-YARN", "name": "Err yarn", "name_hi": "सूत",
                                                "category": "yarn", "unit": "kg", "reorder_level": "1"}, 201),
        ("POST", "/api/v1/suppliers", "admin", {"code": "ERRSUP", "name": "Err", "district": "Varanasi"}, 201),
        ("POST", "/api/v1/suppliers/ERRSUP/items", "admin", {"sku": "NO-SUCH-SKU", "price": "10"}, 422),
        ("POST", "/api/v1/suppliers/ERRSUP/items", "admin", {"sku": "ERR-YARN", "price": "10"}, 201),
        ("POST", "/api/v1/suppliers/ERRSUP/items", "admin", {"sku": "ERR-YARN", "price": "11"}, 409),
    ],
    "requests": [
        ("GET", "/api/v1/requisitions", None, None, 401),
        ("POST", "/api/v1/schemes", "artisan", {"code": "X"}, 403),
        ("POST", "/api/v1/schemes", "admin", {"code": 7}, 400),
        ("GET", "/api/v1/requisitions/NO-SUCH-REQ", "admin", None, 404),
        ("GET", "/api/v1/users", "warehouse", None, 403),
        ("POST", "/api/v1/auth/login", None, {"username": "nobody", "password": "not-this-one"}, 401),
        ("POST", "/api/v1/artisans", "admin", {"name": "Err", "district": "Varanasi", "craft": "weaving",
                                               "registration_id": "ERR-1", "cooperative": "NO-SUCH-COOP"}, 422),
    ],
    "notifier": [
        ("GET", "/api/v1/alerts", None, None, 401),
        ("POST", "/api/v1/webhooks", "artisan", {}, 403),
        ("POST", "/api/v1/webhooks", "admin", {"url": 7}, 400),
        ("GET", "/api/v1/alerts/NO-SUCH-ALERT", "admin", None, 404),
        ("POST", "/api/v1/alerts/NO-SUCH-ALERT/acknowledge", "admin", {}, 404),
        ("GET", "/api/v1/reports/distribution?month=2999-01", "admin", None, 422),
    ],
}


def operation_of(document: dict, method: str, path: str) -> dict:
    """The operation of `document` whose path template matches `path`."""
    path = path.split("?")[0]
    for template, operations in document["paths"].items():
        if re.fullmatch(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)), path) \
                and method.lower() in operations:
            return operations[method.lower()]
    raise AssertionError(f"{method} {path} is not in the document")


def resolved(document: dict, item: dict) -> dict:
    while "$ref" in item:
        *_, kind, name = item["$ref"].split("/")
        item = document["components"][kind][name]
    return item


@pytest.mark.parametrize("service", sorted(PACKAGES))
def test_each_refusal_is_documented_and_fits_its_schema(config, token, service):
    package = PACKAGES[service]
    runtime = Runtime(package.spec(), config)
    try:
        client = package.create_app(config, runtime).test_client()
        document = client.get("/api/v1/openapi.json").get_json()
        for method, path, role, body, status in REFUSALS[service]:
            response = client.open(path, method=method, json=body, headers=token(role) if role else {})
            assert response.status_code == status, (method, path, response.get_json())
            if status < 300:
                continue
            documented = operation_of(document, method, path)["responses"]
            assert str(status) in documented, f"{method} {path} does not document its {status}"
            schema = resolved(document, documented[str(status)])["content"]["application/json"]["schema"]
            validator = jsonschema_rs.Draft4Validator({**schema, "components": document["components"]})
            errors = [error.message for error in validator.iter_errors(response.get_json())]
            assert not errors, f"{method} {path} {status}: {response.get_json()} breaks its schema: {errors}"
    finally:
        runtime.close()


@pytest.mark.parametrize("service", sorted(PACKAGES))
def test_the_error_schema_is_the_contracts_envelope(config, service):
    package = PACKAGES[service]
    runtime = Runtime(package.spec(), config)
    try:
        document = package.create_app(config, runtime).test_client().get("/api/v1/openapi.json").get_json()
    finally:
        runtime.close()
    schemas = document["components"]["schemas"]
    envelope = schemas["Error"]
    assert envelope["required"] == ["error"]
    inner = resolved(document, envelope["properties"]["error"])
    assert set(inner["required"]) == {"code", "message", "details"}
    assert inner["properties"]["code"]["type"] == "string"
    for operation in (op for ops in document["paths"].values() for op in ops.values() if "responses" in op):
        for status, response in operation["responses"].items():
            if status == "default" or status.startswith(("4", "5")):
                schema = resolved(document, response)["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}, (operation.get("summary"), status)


def document_of(config, service: str) -> dict:
    package = PACKAGES[service]
    runtime = Runtime(package.spec(), config)
    try:
        return package.create_app(config, runtime).test_client().get("/api/v1/openapi.json").get_json()
    finally:
        runtime.close()


@pytest.mark.parametrize("service", sorted(PACKAGES))
def test_every_response_documents_its_request_id_and_a_429_or_503_its_retry_after(config, service):
    document = document_of(config, service)
    headers = document["components"]["headers"]
    assert headers["X-Request-ID"]["schema"] == {"type": "string"} and "log" in headers["X-Request-ID"]["description"]
    assert headers["Retry-After"]["schema"]["type"] == "integer"
    retry_statuses = set()
    for path, operations in document["paths"].items():
        for method, operation in ((m, o) for m, o in operations.items() if "responses" in o):
            for status, response in operation["responses"].items():
                said = resolved(document, response).get("headers", {})
                assert said.get("X-Request-ID") == {"$ref": "#/components/headers/X-Request-ID"}, \
                    (method, path, status)
                if status in ("429", "503", "default"):
                    assert said.get("Retry-After") == {"$ref": "#/components/headers/Retry-After"}, \
                        (method, path, status)
                    retry_statuses.add(status)
                elif status.startswith("4"):
                    assert "Retry-After" not in said, (method, path, status)
    assert {"default", "503"} <= retry_statuses


def test_a_real_429_and_error_carry_the_headers_their_documents_name(config, token):
    """Login refused until the throttle's wait is over: a 429 with Retry-After and X-Request-ID, as documented."""
    package = PACKAGES["requests"]
    runtime = Runtime(package.spec(), config)
    try:
        client = package.create_app(config, runtime).test_client()
        document = client.get("/api/v1/openapi.json").get_json()
        response = None
        for _ in range(50):
            response = client.post("/api/v1/auth/login", json={"username": "admin", "password": "wrong-one"})
            if response.status_code == 429:
                break
        assert response.status_code == 429, response.get_json()
        said = resolved(document, operation_of(document, "POST", "/api/v1/auth/login")["responses"]["429"])["headers"]
        assert set(said) == {"X-Request-ID", "Retry-After"}
        assert response.headers["X-Request-ID"] and int(response.headers["Retry-After"]) > 0
    finally:
        runtime.close()


def documented(document: dict, method: str, path: str, status: int) -> tuple[dict, dict]:
    """The body schema and the headers the operation documents for `status` (AssertionError if it does not)."""
    responses = operation_of(document, method, path)["responses"]
    assert str(status) in responses, f"{method} {path} does not document its {status}"
    response = resolved(document, responses[str(status)])
    return response["content"]["application/json"]["schema"], response.get("headers", {})


def fits(document: dict, method: str, path: str, response) -> None:
    """A real error answer is documented under its status, its body fits that schema and it carries the headers
    documented there."""
    schema, headers = documented(document, method, path, response.status_code)
    validator = jsonschema_rs.Draft4Validator({**schema, "components": document["components"]})
    errors = [error.message for error in validator.iter_errors(response.get_json())]
    assert not errors, f"{method} {path}: {response.get_json()} breaks its schema: {errors}"
    assert set(headers) == {"X-Request-ID", "Retry-After"}, (method, path, headers)
    assert response.headers["X-Request-ID"] and int(response.headers["Retry-After"]) > 0, (method, path)


@pytest.mark.parametrize("service", sorted(PACKAGES))
def test_every_operation_documents_the_503_of_a_store_not_answering(config, service):
    """Every operation touches the store (the login's deny-list at every request behind require_role; the login, the
    public availability and the SMS gateway's callback read or write it themselves), so each can answer 503
    store_unavailable: each documents it, with its Retry-After, not only those that retry a busy write."""
    document = document_of(config, service)
    unsaid = []
    for path, operations in document["paths"].items():
        for method, operation in ((m, o) for m, o in operations.items() if "responses" in o):
            said = resolved(document, operation["responses"]["503"]) if "503" in operation["responses"] else {}
            if said.get("headers", {}).get("Retry-After") != {"$ref": "#/components/headers/Retry-After"}:
                unsaid.append(f"{method.upper()} {path}")
    assert not unsaid, "\n".join(unsaid)
    headers = document["components"]["headers"]
    assert "busy" in headers["Retry-After"]["description"] and "store_unavailable" in headers["Retry-After"][
        "description"]


def test_a_real_503_of_the_single_machine_store_refusing_writes_is_documented_with_retry_after(tmp_path, token):
    """The disk refuses a write: that write and every later one answer 503 store_unavailable until rawbank restarts,
    with Retry-After, as the operation documents it (POST /depots declares no busy 503 of its own)."""
    from services.inventory import create_app, spec
    from shared.config import Config
    from shared.durable_store import DurableStore
    store = DurableStore(tmp_path / "inventory.sqlite")
    config = Config.from_env({})
    runtime = Runtime(spec(), config, client=store.client)
    runtime.store = store
    try:
        client = create_app(config, runtime).test_client()
        document = client.get("/api/v1/openapi.json").get_json()
        store.sqlite.execute("PRAGMA query_only = 1")  # the disk takes no more
        for _ in range(2):  # the write the disk refuses, then one refused before its view runs
            response = client.post("/api/v1/depots", json={"code": "ERR", "name": "Err", "district": "Varanasi"},
                                   headers=token("admin"))
            assert response.status_code == 503 and response.get_json()["error"]["code"] == "store_unavailable"
            assert response.headers["Retry-After"] == "60"  # back only once rawbank restarts: not in a few seconds
            fits(document, "POST", "/api/v1/depots", response)
    finally:
        runtime.close()


def test_a_real_503_of_the_store_not_answering_is_documented_with_retry_after(config, token, monkeypatch):
    """MongoDB not answering (pymongo's ServerSelectionTimeoutError, as while a replica set elects a new primary): a
    read answers 503 store_unavailable with Retry-After, as documented on that read."""
    import mongomock
    from pymongo.errors import ServerSelectionTimeoutError
    package = PACKAGES["inventory"]
    runtime = Runtime(package.spec(), config)
    try:
        client = package.create_app(config, runtime).test_client()
        document = client.get("/api/v1/openapi.json").get_json()

        def not_answering(*args, **kwargs):
            raise ServerSelectionTimeoutError("mongodb:27017: [Errno 111] Connection refused")
        for method in ("find", "find_one", "count_documents", "aggregate"):
            monkeypatch.setattr(mongomock.collection.Collection, method, not_answering)
        for path in ("/api/v1/materials", "/api/v1/public/availability"):
            response = client.get(path, headers=token("admin"))
            assert response.status_code == 503 and response.get_json()["error"]["code"] == "store_unavailable"
            assert response.headers["Retry-After"] == "5", path
            fits(document, "GET", path, response)
    finally:
        runtime.close()


def test_a_real_busy_503_is_documented_with_retry_after(config, token, monkeypatch):
    """Another admin saves the scheme book between each read of it and the write conditional on its version, every
    time: adding a scheme gives up, 503 busy, and says when to try again (Retry-After), as documented."""
    import mongomock
    package = PACKAGES["requests"]
    runtime = Runtime(package.spec(), config)
    try:
        client = package.create_app(config, runtime).test_client()
        document = client.get("/api/v1/openapi.json").get_json()
        read = mongomock.collection.Collection.find_one

        def read_then_another_writes(self, filter=None, *args, **kwargs):
            found = read(self, filter, *args, **kwargs)
            if self.name == "schemes" and filter == {"_id": "schemes"}:
                self.update_one({"_id": "schemes"}, {"$inc": {"version": 1}})  # the other admin's save
            return found
        monkeypatch.setattr(mongomock.collection.Collection, "find_one", read_then_another_writes)
        response = client.post("/api/v1/schemes", headers=token("admin"), json={
            "code": "BUSY", "name": "Busy", "name_hi": "व्यस्त", "subsidy_percent": "10", "caps": [],
            "valid_from": "2020-01-01"})
        assert response.status_code == 503 and response.get_json()["error"]["code"] == "busy", response.get_json()
        assert response.headers.get("Retry-After") == "1"
        fits(document, "POST", "/api/v1/schemes", response)
    finally:
        runtime.close()
