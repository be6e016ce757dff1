"""What the pages send browsers to protect people: security headers, Secure cookies, forms only from our pages
(issue 13, findings 7 and 9)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from services import inventory, notifier, requests as requests_service
from shared.auth import COOKIE, csrf_token, issue_token
from shared.mongo import connect
from shared.runtime import Runtime

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {"inventory": inventory, "requests": requests_service, "notifier": notifier}
ORIGINS = ("http://127.0.0.1:8001", "http://127.0.0.1:8002", "http://127.0.0.1:8003")
PAGES = {"inventory": "/warehouse/stock", "requests": "/login", "notifier": "/admin/alerts"}


def make_apps(config):
    made = {}
    for name, package in PACKAGES.items():
        runtime = Runtime(package.spec(), config, client=connect(f"mongomock://{name}"))
        if runtime.spec.seed:
            runtime.spec.seed(runtime.db, config)
        made[name] = package.create_app(config, runtime).test_client()
    return made


@pytest.fixture
def apps(config):
    return make_apps(config)


@pytest.mark.parametrize("service", sorted(PACKAGES))
def test_every_page_and_api_answer_carries_the_security_headers(apps, config, service):
    client = apps[service]
    client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="a", role="admin"))
    for path in (PAGES[service], "/api/v1/openapi.json", "/healthz"):
        headers = client.get(path).headers
        policy = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
        assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'", path
        assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'", path
        assert set(ORIGINS) <= set(policy["connect-src"].split()) and set(ORIGINS) <= set(policy["form-action"].split())
        assert (headers["X-Frame-Options"], headers["X-Content-Type-Options"], headers["Referrer-Policy"]) == \
            ("DENY", "nosniff", "same-origin"), path
        assert "Strict-Transport-Security" not in headers  # plain http in dev


API = {"inventory": "/api/v1/stock", "requests": "/api/v1/requisitions", "notifier": "/api/v1/alerts"}
SCRIPTS = {"inventory": "/static/inventory/inventory.js", "requests": "/static/requests/approvals.js",
           "notifier": "/static/notifier/alerts.js"}


@pytest.mark.parametrize("service", sorted(PACKAGES))
def test_what_is_made_for_a_logged_in_person_is_never_stored_by_the_browser(apps, config, service):
    """A shared computer: after a logout, Back must not bring the last person's page out of the browser's cache."""
    client = apps[service]
    token = issue_token(config.jwt_secret, sub="admin", role="admin")
    answer = client.get(API[service], headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store", API[service]
    client.set_cookie(COOKIE, token)
    page = client.get(PAGES[service] if service != "requests" else "/admin/approvals")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    # a script is the same for everyone: Flask's own revalidation, not no-store, though the cookie came with it
    script = client.get(SCRIPTS[service])
    assert script.status_code == 200 and "no-store" not in script.headers.get("Cache-Control", "")
    client.delete_cookie(COOKIE)
    for path in ("/healthz", "/login" if service == "requests" else "/api/v1/openapi.json"):
        assert "Cache-Control" not in client.get(path).headers, path  # no one logged in: nothing personal


def test_a_views_own_caching_stays_for_a_logged_in_caller(apps, config):
    """Public availability is the same for everyone and says so (public, max-age) even when a login came with it."""
    token = issue_token(config.jwt_secret, sub="admin", role="admin")
    headers = apps["inventory"].get("/api/v1/public/availability", headers={"Authorization": f"Bearer {token}"}).headers
    assert headers["Cache-Control"].startswith("public, max-age=")


def test_templates_have_no_inline_script_handler_or_style():
    """The policy refuses them, so a page that had one would silently stop working."""
    templates = sorted(ROOT.glob("shared/templates/**/*.html")) + sorted(ROOT.glob("services/*/templates/**/*.html"))
    assert len(templates) >= 10
    for path in templates:
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag or 'type="application/json"' in tag, (path.name, tag)
        assert not re.search(r"\son[a-z]+\s*=", text), path.name
        assert not re.search(r"\sstyle\s*=|<style\b", text), path.name


def test_cookies_are_secure_and_hsts_sent_when_the_public_address_is_https(config):
    https = config.with_(inventory_url="https://stock.example.in", requests_url="https://rawbank.example.in",
                         notifier_url="https://alerts.example.in")
    client = make_apps(https)["requests"]
    response = client.post("/login", data={"username": "admin", "password": "admin123"},
                           headers={"Origin": "https://rawbank.example.in"})
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all("Secure" in cookie and "SameSite=Lax" in cookie for cookie in cookies), cookies
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "https://stock.example.in" in response.headers["Content-Security-Policy"]


def test_the_language_switch_needs_our_origin_or_the_logins_csrf_token(apps, config):
    """It used to accept a post with no Origin, Referer or CSRF token (issue 13, finding 9)."""
    client, db = apps["requests"], apps["requests"].application.extensions["rawbank"].db
    login = client.post("/login", data={"username": "artisan", "password": "artisan123"},
                        headers={"Origin": ORIGINS[1]})
    assert login.status_code == 302
    cookie = client.get_cookie(COOKIE).value

    def switch(lang, headers=None, **form):
        response = client.post("/lang", data={"lang": lang, **form}, headers=headers or {})
        return "rawbank_lang=" in "".join(response.headers.getlist("Set-Cookie"))
    assert not switch("en")  # nothing says where it came from
    assert not switch("en", {"Origin": "null"})
    assert not switch("en", {"Origin": "https://evil.example"}, csrf_token=csrf_token(config.jwt_secret, cookie))
    assert not switch("en", csrf_token="0" * 64)
    assert db.users.find_one({"_id": "artisan"}).get("language") is None
    assert switch("en", {"Referer": f"{ORIGINS[0]}/warehouse/stock"})  # this browser only: no CSRF token
    assert switch("hi", {"Origin": "null"}, csrf_token=csrf_token(config.jwt_secret, cookie))  # from a sibling page
    assert db.users.find_one({"_id": "artisan"})["language"] == "hi"


def test_logging_out_revokes_the_token_for_the_api_and_the_pages(apps, config):
    client = apps["requests"]
    token = issue_token(config.jwt_secret, sub="admin", role="admin")
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/artisans", headers=bearer).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=bearer).status_code == 204
    refused = client.get("/api/v1/artisans", headers=bearer)
    assert refused.status_code == 401 and refused.get_json()["error"]["code"] == "token_invalid"
    assert client.post("/api/v1/auth/logout", headers=bearer).status_code == 401

    client.post("/login", data={"username": "artisan", "password": "artisan123"}, headers={"Origin": ORIGINS[1]})
    cookie = client.get_cookie(COOKIE).value
    assert client.get("/my").status_code == 200
    out = client.post("/logout", data={"csrf_token": csrf_token(config.jwt_secret, cookie)}, headers={"Origin": "null"})
    assert out.status_code == 302 and f"{COOKIE}=;" in "".join(out.headers.getlist("Set-Cookie"))
    client.set_cookie(COOKIE, cookie)  # a copy of the cookie kept elsewhere is worth nothing now
    assert client.get("/my").status_code == 302
    assert client.get("/api/v1/requisitions").status_code == 401


@pytest.mark.parametrize("service", sorted(PACKAGES))
def test_metrics_are_for_admins_only(apps, config, service):
    """They show failed logins: once anyone's to read (issue 13, finding 9)."""
    client = apps[service]
    assert client.get("/metrics").status_code == 401
    warehouse = issue_token(config.jwt_secret, sub="w", role="warehouse", depot="VNS")
    assert client.get("/metrics", headers={"Authorization": f"Bearer {warehouse}"}).status_code == 403
    admin = issue_token(config.jwt_secret, sub="a", role="admin")
    answer = client.get("/metrics", headers={"Authorization": f"Bearer {admin}"})
    assert answer.status_code == 200 and "rawbank_http_requests_total" in answer.get_data(as_text=True)
