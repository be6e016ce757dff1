"""Tokens that must be refused, the login rate limit, the body-size cap and the page-size caps."""
from __future__ import annotations

import io
import time
from datetime import datetime, timedelta, timezone

import jwt
import pytest

from services import inventory, notifier, requests as requests_service
from services.inventory import consumer as inventory_consumer
from services.notifier import consumer as notifier_consumer
from services.requests import login_throttle, users
from shared import revocation
from shared.auth import issue_token
from shared.envelope import decode_event
from shared.pages import origins
from shared.runtime import Runtime
from shared.web import MAX_BODY_BYTES

PACKAGES = {"inventory": inventory, "requests": requests_service, "notifier": notifier}
PROTECTED = {"inventory": "/api/v1/stock", "requests": "/api/v1/requisitions", "notifier": "/api/v1/alerts"}
#: GET lists without a page size: configuration admins create by hand (a few entries each), and
#: one artisan's usage in one month (one row per material category)
UNPAGED = {("requests", "/api/v1/quotas"), ("requests", "/api/v1/quotas/usage"), ("notifier", "/api/v1/webhooks"),
           ("notifier", "/api/v1/contacts"),
           # bounded by nature: one material's prices, the scheme book, credit terms, one artisan's categories
           ("inventory", "/api/v1/materials/{sku}/prices"), ("requests", "/api/v1/schemes"),
           ("requests", "/api/v1/credit-terms"), ("requests", "/api/v1/artisans/{artisan_id}/entitlements"),
           # one request's returns, kept in its document (GET /requisitions/{id} carries them whole too); each takes
           # back some of what was handed over, so they end when all of it is back
           ("requests", "/api/v1/requisitions/{req_id}/returns"),
           # the whole public picture at once, cached: at most 500 depots (availability.LIMIT_DEPOTS)
           ("inventory", "/api/v1/public/availability")}


@pytest.fixture(scope="module")
def apps():
    from shared.config import Config
    config = Config.from_env({})
    made = {}
    for name, package in PACKAGES.items():
        runtime = Runtime(package.spec(), config)
        made[name] = package.create_app(config, runtime).test_client(), runtime.db
    return config, made


def claims(**changes):
    now = int(time.time())
    return {"sub": "someone", "role": "admin", "iat": now, "exp": now + 600, **changes}


def bad_tokens(secret: str) -> dict[str, str]:
    none_header = jwt.utils.base64url_encode(b'{"alg":"none","typ":"JWT"}').decode()
    none_body = jwt.utils.base64url_encode(jwt.api_jws.json.dumps(claims()).encode()).decode()
    without = {name: {k: v for k, v in claims().items() if k != name} for name in ("exp", "sub", "role")}
    return {
        "expired": jwt.encode(claims(exp=int(time.time()) - 5), secret, algorithm="HS256"),
        "wrong_signature": jwt.encode(claims(), "another-secret-that-is-long-enough-to-sign", algorithm="HS256"),
        "alg_none": f"{none_header}.{none_body}.",
        "alg_none_signed_part": f"{none_header}.{none_body}.{jwt.encode(claims(), secret, algorithm='HS256').split('.')[2]}",
        "hs512_same_secret": jwt.encode(claims(), secret, algorithm="HS512"),
        "unknown_role": jwt.encode(claims(role="superuser"), secret, algorithm="HS256"),
        "no_exp": jwt.encode(without["exp"], secret, algorithm="HS256"),
        "no_sub": jwt.encode(without["sub"], secret, algorithm="HS256"),
        "no_role": jwt.encode(without["role"], secret, algorithm="HS256"),
        "garbage": "not.a.token",
        "empty": "",
    }


@pytest.mark.parametrize("service", sorted(PACKAGES))
def test_every_bad_token_is_refused_with_401_in_the_contracts_format(apps, service):
    config, made = apps
    client = made[service][0]
    for name, token in bad_tokens(config.jwt_secret).items():
        response = client.get(PROTECTED[service], headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, (name, response.status_code)
        error = response.get_json()["error"]
        assert set(error) == {"code", "message", "details"} and error["code"] in ("token_invalid", "unauthorized"), name
    for header in ("Basic YWRtaW46YWRtaW4xMjM=", "Bearer", "bearer  "):
        assert client.get(PROTECTED[service], headers={"Authorization": header}).status_code == 401, header
    good = jwt.encode(claims(), config.jwt_secret, algorithm="HS256")
    assert client.get(PROTECTED[service], headers={"Authorization": f"Bearer {good}"}).status_code == 200


def test_a_valid_token_of_the_wrong_role_is_forbidden(apps):
    config, made = apps
    artisan = jwt.encode(claims(role="artisan", artisan_id="ART-1"), config.jwt_secret, algorithm="HS256")
    for service, path in (("notifier", "/api/v1/events"), ("inventory", "/api/v1/movements"),
                          ("requests", "/api/v1/quotas")):
        response = made[service][0].get(path, headers={"Authorization": f"Bearer {artisan}"})
        assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden", service


def login(client, username, password, address="10.0.0.1", lang="en"):
    return client.post("/api/v1/auth/login", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address}, headers={"Accept-Language": lang})


def test_login_is_rate_limited_per_user_and_address_with_retry_after(apps):
    _, made = apps
    client, db = made["requests"]
    users.add_user(db, username="limited", password="right-password", role="admin")
    for _ in range(login_throttle.PER_USER_AND_ADDRESS):
        assert login(client, "limited", "wrong").status_code == 401
    refused = login(client, "limited", "right-password", lang="hi")  # even the right password, for now
    assert refused.status_code == 429
    error = refused.get_json()["error"]
    assert error["code"] == "too_many_attempts" and "प्रयास" in error["message"]
    assert 0 < int(refused.headers["Retry-After"]) <= login_throttle.WINDOW.total_seconds()
    # the login page says how long to wait, in minutes, and no "check both" (the password may well be right)
    origin = sorted(origins(client.application.config["RAWBANK"]))[0]
    for lang, said in (("en", "Too many failed attempts to log in with this name. Try again in 15 minutes, or ask"),
                       ("hi", "इस नाम से लॉग इन के बहुत अधिक असफल प्रयास हुए। 15 मिनट बाद फिर प्रयास करें")):
        page = client.post("/login", data={"username": "limited", "password": "right-password"},
                           headers={"Origin": origin, "Accept-Language": lang},
                           environ_base={"REMOTE_ADDR": "10.0.0.1"})
        text = page.get_data(as_text=True)
        assert page.status_code == 401 and said in text, (lang, text[-1500:])
        assert "Retry-After" not in text and "Check both" not in text and "दोनों जाँचकर" not in text, lang
    assert login(client, "limited", "right-password", address="10.0.0.2").status_code == 200  # someone else
    later = datetime.now(timezone.utc) + login_throttle.WINDOW + timedelta(seconds=1)
    assert login_throttle.authenticate(db, "limited", "right-password", "10.0.0.1", now=later)["_id"] == "limited"
    assert login(client, "limited", "right-password").status_code == 200  # a success starts afresh


def test_one_address_trying_many_usernames_is_limited_too(apps):
    _, made = apps
    client, _ = made["requests"]
    for n in range(login_throttle.PER_ADDRESS):
        assert login(client, f"nobody-{n}", "guess", address="10.9.9.9").status_code == 401
    assert login(client, "nobody-else", "guess", address="10.9.9.9").status_code == 429


@pytest.mark.parametrize("service", sorted(PACKAGES))
def test_a_body_over_the_cap_is_refused_with_413_json(apps, service):
    config, made = apps
    client = made[service][0]
    admin = jwt.encode(claims(), config.jwt_secret, algorithm="HS256")
    path = {"inventory": "/api/v1/movements", "requests": "/api/v1/requisitions", "notifier": "/api/v1/webhooks"}[service]
    body = b'{"note": "' + b"x" * MAX_BODY_BYTES + b'"}'
    response = client.post(path, data=body, content_type="application/json",
                           headers={"Authorization": f"Bearer {admin}"})
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"


@pytest.mark.parametrize("service", sorted(PACKAGES))
def test_a_chunked_body_over_the_cap_is_refused_with_413_json_too(apps, service):
    """Without a Content-Length (Transfer-Encoding: chunked) werkzeug stopped at the cap: a 400 for the JSON cut short.

    wsgi.input_terminated: the server ends the body stream, as gunicorn does (tests/e2e/test_security_probes.py)."""
    config, made = apps
    client = made[service][0]
    admin = jwt.encode(claims(), config.jwt_secret, algorithm="HS256")
    path = {"inventory": "/api/v1/movements", "requests": "/api/v1/requisitions", "notifier": "/api/v1/webhooks"}[service]

    def send(size):
        body = b'{"note": "' + b"x" * (size - 12) + b'"}'
        assert len(body) == size
        return client.post(path, input_stream=io.BytesIO(body), environ_overrides={"wsgi.input_terminated": True},
                           headers={"Authorization": f"Bearer {admin}", "Content-Type": "application/json",
                                    "Transfer-Encoding": "chunked"})
    response = send(MAX_BODY_BYTES + 1)
    assert (response.status_code, response.get_json()["error"]["code"]) == (413, "payload_too_large")
    response = send(MAX_BODY_BYTES)  # at the cap: read whole, refused for what it says, not for its size
    assert (response.status_code, response.get_json()["error"]["code"]) == (400, "validation_error")
    assert "note" in response.get_json()["error"]["details"]


@pytest.mark.parametrize("service", sorted(PACKAGES))
def test_every_list_caps_its_page_size(apps, service):
    config, made = apps
    client = made[service][0]
    admin = jwt.encode(claims(), config.jwt_secret, algorithm="HS256")
    warehouse = jwt.encode(claims(role="warehouse"), config.jwt_secret, algorithm="HS256")
    artisan = jwt.encode(claims(role="artisan", artisan_id="ART-1"), config.jwt_secret, algorithm="HS256")
    spec = client.get("/api/v1/openapi.json").get_json()
    checked = 0
    for path, operations in spec["paths"].items():
        get = operations.get("get")
        if not get:
            continue
        schema = get["responses"].get("200", {}).get("content", {}).get("application/json", {}).get("schema", {})
        limit = next((p for p in get.get("parameters", []) if p["name"] == "limit" and p["in"] == "query"), None)
        if schema.get("type") != "array" and limit is None:
            continue
        if limit is None:
            assert (service, path) in UNPAGED, f"{path} lists without a page size"
            continue
        maximum = limit["schema"]["maximum"]
        required = "".join(f"&{p['name']}=none" for p in get.get("parameters", [])  # e.g. a report's depot, and
                           if p["in"] == "query" and (p.get("required") or p["name"] == "depot"))  # any list's
        url = path.replace("{webhook_id}", "none")
        token = artisan if path.endswith("/notifications") else admin
        for who in (token, warehouse) if path.endswith("/stream") else (token,):
            headers = {"Authorization": f"Bearer {who}"}
            over = client.get(f"{url}?limit={maximum + 1}{required}", headers=headers)
            assert over.status_code == 400, (path, over.status_code)
            assert "limit" in over.get_json()["error"]["details"], path
        if not path.endswith("/stream"):
            answer = client.get(f"{url}?limit={maximum}{required}", headers={"Authorization": f"Bearer {token}"})
            assert answer.status_code in (200, 404), path
        checked += 1
    assert checked >= {"inventory": 4, "requests": 2, "notifier": 5}[service]


def test_a_logout_reaches_every_service_by_its_event(apps):
    """The deny-list of logged-out tokens is kept by all three services (issue 13, finding 9)."""
    config, made = apps
    token = issue_token(config.jwt_secret, sub="someone", role="admin")
    bearer = {"Authorization": f"Bearer {token}"}
    for service in PACKAGES:  # verified, and remembered by the verification cache
        assert made[service][0].get(PROTECTED[service], headers=bearer).status_code == 200
    assert made["requests"][0].post("/api/v1/auth/logout", headers=bearer).status_code == 204
    assert made["requests"][0].get(PROTECTED["requests"], headers=bearer).status_code == 401  # here at once
    [event] = [decode_event(e) for doc in made["requests"][1][revocation.COLLECTION].find() for e in doc["outbox"]]
    assert event.type == "TokenRevoked" and event.data["expires_at"] > datetime.now(timezone.utc)
    for service, handler in (("inventory", inventory_consumer.make_handler), ("notifier", notifier_consumer.make_handler)):
        assert made[service][0].get(PROTECTED[service], headers=bearer).status_code == 200  # not heard of it yet
        handle = handler(made[service][1], config)
        handle(event)
        handle(event)  # a redelivery changes nothing
        answer = made[service][0].get(PROTECTED[service], headers=bearer)
        assert answer.status_code == 401 and answer.get_json()["error"]["code"] == "token_invalid", service
    other = issue_token(config.jwt_secret, sub="someone", role="admin")  # the same person's next login works
    assert made["inventory"][0].get(PROTECTED["inventory"], headers={"Authorization": f"Bearer {other}"}).status_code == 200
