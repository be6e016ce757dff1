"""Pages on the in-process store: login cookie, CSRF, CORS between the services, language, roles."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import mongomock
import pytest
from pymongo.errors import OperationFailure, ServerSelectionTimeoutError

from services import inventory, requests as requests_service
from shared.auth import COOKIE, csrf_token, issue_token
from shared.errors import Busy, Inapplicable, StoreUnavailable
from shared.i18n import LANG_COOKIE
from shared.mongo import connect
from shared.pages import quantity, when
from shared.runtime import Runtime

INVENTORY, REQUESTS = "http://127.0.0.1:8001", "http://127.0.0.1:8002"


@pytest.fixture
def apps(config):
    made = {}
    for name, module in (("inventory", inventory), ("requests", requests_service)):
        runtime = Runtime(module.spec(), config, client=connect(f"mongomock://{name}"))
        module.spec().seed(runtime.db, config)
        made[name] = module.create_app(config, runtime)
    return made


@pytest.fixture
def requests_client(apps):
    return apps["requests"].test_client()


@pytest.fixture
def inventory_client(apps):
    return apps["inventory"].test_client()


def login(client, username, password, **extra):
    return client.post("/login", data={"username": username, "password": password, **extra},
                       headers={"Origin": REQUESTS})


def test_login_sets_an_httponly_lax_cookie_and_sends_each_user_to_their_page(requests_client):
    response = login(requests_client, "warehouse", "warehouse123")
    assert response.status_code == 302 and response.location == f"{INVENTORY}/warehouse/stock"
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(COOKIE + "="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert login(requests_client, "artisan", "artisan123").location == f"{REQUESTS}/my"
    assert login(requests_client, "admin", "admin123").location == "http://127.0.0.1:8003/admin/alerts"


def test_a_wrong_password_says_what_to_do_in_the_chosen_language(requests_client):
    requests_client.set_cookie(LANG_COOKIE, "hi")
    response = login(requests_client, "artisan", "wrong")
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "उपयोगकर्ता नाम या पासवर्ड गलत है" in page and "पेज पर नया पासवर्ड रखवाएँ" in page
    assert COOKIE not in "".join(response.headers.getlist("Set-Cookie"))


def test_login_goes_on_only_to_our_own_services(requests_client):
    assert login(requests_client, "artisan", "artisan123", next=f"{INVENTORY}/x").location == f"{INVENTORY}/x"
    assert login(requests_client, "artisan", "artisan123", next="https://evil.example/").location == f"{REQUESTS}/my"


def test_a_login_form_posted_from_another_site_is_refused(requests_client):
    response = requests_client.post("/login", data={"username": "artisan", "password": "artisan123"},
                                    headers={"Origin": "https://evil.example"})
    assert response.status_code == 401 and COOKIE not in "".join(response.headers.getlist("Set-Cookie"))


def test_pages_send_strangers_to_login_and_other_roles_to_a_clear_refusal(inventory_client, config):
    response = inventory_client.get("/warehouse/stock")
    assert response.status_code == 302
    assert response.location == f"{REQUESTS}/login?next=http%3A%2F%2Flocalhost%2Fwarehouse%2Fstock"
    inventory_client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="a", role="artisan", artisan_id="ART-1"))
    response = inventory_client.get("/warehouse/stock")
    assert response.status_code == 403 and "not for your role" in response.get_data(as_text=True)


def test_the_cookie_works_for_the_api_but_a_write_needs_the_csrf_token(inventory_client, config):
    token = issue_token(config.jwt_secret, sub="warehouse", role="warehouse", depot="VNS")
    inventory_client.set_cookie(COOKIE, token)
    assert inventory_client.get("/api/v1/stock/VNS/YRN-COT-40").status_code == 200
    body = {"type": "receipt", "sku": "YRN-COT-40", "depot": "VNS", "quantity": "1"}
    refused = inventory_client.post("/api/v1/movements", json=body)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "csrf_failed"
    wrong = inventory_client.post("/api/v1/movements", json=body, headers={"X-CSRF-Token": "0" * 64})
    assert wrong.status_code == 403
    done = inventory_client.post("/api/v1/movements", json=body,
                                 headers={"X-CSRF-Token": csrf_token(config.jwt_secret, token)})
    assert done.status_code == 201, done.json


def test_a_bearer_token_needs_no_csrf_token(inventory_client, token):
    response = inventory_client.post("/api/v1/movements", headers=token("warehouse", depot="VNS"),
                                     json={"type": "receipt", "sku": "YRN-COT-40", "depot": "VNS", "quantity": "1"})
    assert response.status_code == 201


def test_cors_admits_the_sibling_services_with_credentials_and_no_one_else(inventory_client):
    preflight = {"Access-Control-Request-Method": "GET",
                 "Access-Control-Request-Headers": "accept-language, x-csrf-token"}
    allowed = inventory_client.options("/api/v1/stock", headers={"Origin": REQUESTS, **preflight})
    assert allowed.headers["Access-Control-Allow-Origin"] == REQUESTS
    assert allowed.headers["Access-Control-Allow-Credentials"] == "true"
    assert "x-csrf-token" in allowed.headers["Access-Control-Allow-Headers"].lower()
    refused = inventory_client.options("/api/v1/stock", headers={"Origin": "https://evil.example", **preflight})
    assert "Access-Control-Allow-Origin" not in refused.headers
    simple = inventory_client.get("/api/v1/depots", headers={"Origin": REQUESTS})
    assert simple.headers["Access-Control-Allow-Origin"] == REQUESTS
    assert "Origin" in simple.headers["Vary"]


def test_a_request_without_an_origin_gets_no_cors_headers(apps, inventory_client, token):
    """Not a cross-origin call, so nothing to allow (flask-cors would list every allowed origin)."""
    response = inventory_client.get("/api/v1/stock", headers=token("admin"))
    assert response.status_code == 200
    assert not [name for name in response.headers.keys() if name.startswith("Access-Control-")]
    cors = [hook for hook in apps["inventory"].after_request_funcs[None] if hook.__name__ == "cors_after_request"]
    assert len(cors) == 1 and hasattr(cors[0], "__wrapped__")  # flask-cors runs only for requests with an Origin


def test_the_language_switch_is_remembered_for_the_user(apps, requests_client, config):
    login(requests_client, "artisan", "artisan123")
    csrf = csrf_token(config.jwt_secret, requests_client.get_cookie(COOKIE).value)
    response = requests_client.post("/lang", data={"lang": "hi", "next": f"{INVENTORY}/warehouse/stock",
                                                   "csrf_token": csrf}, headers={"Origin": INVENTORY})
    assert response.location == f"{INVENTORY}/warehouse/stock"
    assert f"{LANG_COOKIE}=hi" in "".join(response.headers.getlist("Set-Cookie"))
    other_browser = apps["requests"].test_client()
    again = login(other_browser, "artisan", "artisan123")
    assert f"{LANG_COOKIE}=hi" in "".join(again.headers.getlist("Set-Cookie"))
    page = other_browser.get("/my").get_data(as_text=True)
    assert 'lang="hi"' in page and "मेरे अनुरोध" in page


def test_numbers_and_dates_follow_the_language_in_india(apps):
    app = apps["inventory"]
    moment = datetime(2026, 1, 5, 6, 30, tzinfo=timezone.utc)  # noon in India
    with app.test_request_context("/", headers={"Cookie": f"{LANG_COOKIE}=en"}):
        assert (when(moment), quantity(123_456_789, "kg")) == ("5 Jan 2026, 12:00 PM IST", "1,23,456.789 kg")
    with app.test_request_context("/", headers={"Cookie": f"{LANG_COOKIE}=hi"}):  # the part of the day, not "pm"
        assert (when(moment), quantity(123_456_789, "kg")) == ("5 जन॰ 2026, दोपहर 12:00 भारतीय समय",
                                                                "1,23,456.789 किलो")


def test_a_label_of_a_fixed_value_follows_each_page_s_language(apps):
    """Jinja folds a filter of a constant into the compiled template unless told not to: the first page's language
    would then stay for everyone (the artisan form's BPL choices read English on Hindi pages)."""
    app, drawn, template = apps["requests"], {}, None
    for lang in ("en", "hi", "en"):
        with app.test_request_context("/", headers={"Cookie": f"{LANG_COOKIE}={lang}"}):
            template = template or app.jinja_env.from_string('{{ "yes"|bpl }}')  # compiled once, as a page is
            drawn.setdefault(lang, set()).add(template.render())
    assert drawn == {"en": {"Below the poverty line"}, "hi": {"गरीबी रेखा से नीचे (बीपीएल)"}}


def test_pages_show_names_and_units_in_the_language(inventory_client, config):
    inventory_client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="w", role="warehouse", depot="VNS"))
    english = inventory_client.get("/warehouse/stock").get_data(as_text=True)
    assert "200 kg" in english and "Cotton yarn 40s" in english
    inventory_client.set_cookie(LANG_COOKIE, "hi")
    hindi = inventory_client.get("/warehouse/stock").get_data(as_text=True)
    assert "200 किलो" in hindi and "सूती धागा 40s" in hindi and "वाराणसी डिपो में स्टॉक" in hindi


def test_a_movement_reason_a_clerk_typed_is_kept_as_typed_and_a_reason_code_is_in_words(inventory_client, config,
                                                                                       token):
    """The ledger and the stock card showed a transfer's reason as the clerk typed it ("Sent for the fair") inside
    the Hindi page unmarked, read as untranslated English; an adjustment's reason is a code, shown in words."""
    headers = token("warehouse", depot="VNS")
    for body in ({"type": "transfer", "to_depot": "BHD", "reason": "Sent for the fair"},
                 {"type": "adjustment", "quantity": "-1", "reason": "damage"}):
        made = inventory_client.post("/api/v1/movements", headers=headers,
                                     json={"sku": "YRN-COT-40", "depot": "VNS", "quantity": "2", **body})
        assert made.status_code == 201, made.get_json()
    inventory_client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="w", role="warehouse", depot="VNS"))
    inventory_client.set_cookie(LANG_COOKIE, "hi")
    for path in ("/warehouse/ledger", "/warehouse/stock/YRN-COT-40"):
        page = inventory_client.get(path).get_data(as_text=True)
        assert 'कारण: <bdi translate="no">Sent for the fair</bdi>' in page, path
        assert "कारण: क्षतिग्रस्त<" in page, path


def test_logout_forgets_the_login_on_every_service(requests_client):
    login(requests_client, "artisan", "artisan123")
    response = requests_client.post("/logout", headers={"Origin": REQUESTS})
    assert response.location == f"{REQUESTS}/login"
    assert any(c.startswith(f"{COOKIE}=;") for c in response.headers.getlist("Set-Cookie"))
    assert requests_client.get("/my").status_code == 302


def test_another_artisans_request_is_a_not_found_page(apps, config):
    client = apps["requests"].test_client()
    mine = issue_token(config.jwt_secret, sub="artisan", role="artisan", artisan_id="ART-0001")
    client.set_cookie(COOKIE, mine)
    apps["requests"].extensions["rawbank"].db.materials.insert_one(
        {"_id": "YRN-COT-40", "name": "Cotton yarn 40s", "name_hi": "सूती धागा 40s", "category": "yarn", "unit": "kg"})
    apps["requests"].extensions["rawbank"].db.depots.insert_one(
        {"_id": "VNS", "name": "Varanasi depot", "district": "Varanasi", "zone": "plain"})
    made = client.post("/api/v1/requisitions", json={"depot": "VNS", "lines": [{"sku": "YRN-COT-40", "quantity": "2"}]},
                       headers={"X-CSRF-Token": csrf_token(config.jwt_secret, mine)})
    assert made.status_code == 201, made.json
    assert "Cotton yarn 40s" in client.get(f"/my/requisitions/{made.json['id']}").get_data(as_text=True)
    client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="other", role="artisan", artisan_id="ART-0002"))
    response = client.get(f"/my/requisitions/{made.json['id']}")
    assert response.status_code == 404 and "Cotton yarn" not in response.get_data(as_text=True)


def test_who_did_a_thing_is_rawbanks_own_part_in_words_or_a_persons_name_kept_as_typed(apps, requests_client, config):
    from shared.pages import person
    with apps["requests"].test_request_context("/", headers={"Cookie": f"{LANG_COOKIE}=hi"}):
        assert (str(person("seed")), str(person("inventory"))) == ("डेमो डेटा", "डिपो की स्टॉक प्रणाली")
        assert str(person("meera<b>")) == '<bdi translate="no">meera&lt;b&gt;</bdi>'
    requests_client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="a", role="admin"))
    requests_client.set_cookie(LANG_COOKIE, "hi")
    page = requests_client.get("/admin/quotas").get_data(as_text=True)
    assert "डेमो डेटा ·" in page and ">seed " not in page  # the demo's caps, set by the seed


@pytest.mark.parametrize("lang, words", [("en", "Meena Devi (warehouse)"), ("hi", "मीना देवी (warehouse)")])
def test_the_quotas_page_names_who_set_each_cap_in_words_with_the_login(apps, requests_client, config, lang, words):
    """The caps' "Set by" and the changes' "By" showed the bare login; the admin reads the person's display name or
    role in words, the login after it, as a request's history says it."""
    from services.requests import quotas
    db = apps["requests"].extensions["rawbank"].db
    quotas.set_cap(db, category="dye", limit=5_000, per_loom=False, artisan_id=None, by="warehouse",
                   now=datetime(2026, 12, 1, tzinfo=timezone.utc))
    requests_client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="a", role="admin"))
    requests_client.set_cookie(LANG_COOKIE, lang)
    page = re.sub(r"<[^>]+>", "", requests_client.get("/admin/quotas").get_data(as_text=True))
    assert f"{words} ·" in page and page.count(words) == 2, page


BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_a_wrong_address_in_a_browser_is_a_page_in_its_language_with_the_way_home(inventory_client, config):
    """A mistyped or outdated link (an old bookmark, a cut-off SMS link) showed a browser the API's raw JSON error, in
    no page, with no menu and no way on; scripts and the API keep the JSON."""
    inventory_client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="w", role="warehouse", depot="VNS"))
    inventory_client.set_cookie(LANG_COOKIE, "hi")
    response = inventory_client.get("/warehouse/stok", headers=BROWSER)
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert '<html lang="hi">' in page and "<title>नहीं मिला · rawbank</title>" in page
    assert "इस पते पर कुछ नहीं मिला" in page and 'href="http://127.0.0.1:8001/warehouse/stock"' in page
    assert "मुख्य मेनू" in page  # the menu, to go on from here
    for path, headers in (("/api/v1/nope", BROWSER), ("/warehouse/stok", {"Accept": "*/*"}), ("/warehouse/stok", {})):
        answer = inventory_client.get(path, headers=headers)
        assert answer.status_code == 404 and answer.json["error"]["code"] == "not_found", path


def test_a_page_for_a_code_that_does_not_exist_says_where_to_look_not_which_api_to_call(apps, inventory_client,
                                                                                       requests_client, config):
    """A stale link to a stock card or a scheme told a clerk to 'register it first (POST /api/v1/materials)' or to
    'see GET /api/v1/schemes': an API call, where a person needs the page to go to. The API keeps its words."""
    inventory_client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="w", role="warehouse", depot="VNS"))
    requests_client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="a", role="admin"))
    for client in (inventory_client, requests_client):
        client.set_cookie(LANG_COOKIE, "hi")
    for client, path, words in ((inventory_client, "/warehouse/stock/YRN-NOPE", ("स्टॉक सूची", "सामान सूची और डिपो")),
                                (requests_client, "/admin/schemes/NOPE", ("योजनाएँ",)),
                                (requests_client, "/admin/claims?scheme=NOPE", ("योजनाएँ",))):
        page = client.get(path).get_data(as_text=True)
        said = re.search(r'<p class="notice error"[^>]*>(.*?)</p>|<div class="card narrow">.*?<p>(.*?)</p>', page, re.S)
        message = next(group for group in said.groups() if group)
        assert "/api/" not in message and all(word in message for word in words), (path, message)
    api = inventory_client.get("/api/v1/stock/VNS/YRN-NOPE").json["error"]["message"]
    assert "POST /api/v1/materials" in api


def test_someone_not_logged_in_switches_the_language_on_a_sibling_services_page(inventory_client):
    """The public availability page (no login: artisans check stock there) posted हिन्दी to the requests service;
    a browser sends such a post with Origin: null and, logged out, there is no CSRF token, so the switch was refused
    and the page stayed English. Its own service now takes the switch, for this browser only."""
    page = inventory_client.get("/availability").get_data(as_text=True)
    action = re.search(r'<form class="lang" method="post" action="([^"]+)"', page).group(1)
    assert action.startswith(INVENTORY + "/"), action
    path = action[len(INVENTORY):]
    switched = inventory_client.post(path, data={"lang": "hi", "next": f"{INVENTORY}/availability"},
                                     headers={"Origin": INVENTORY})
    assert switched.status_code == 302 and switched.location == f"{INVENTORY}/availability"
    assert f"{LANG_COOKIE}=hi" in "".join(switched.headers.getlist("Set-Cookie"))
    assert 'lang="hi"' in inventory_client.get("/availability").get_data(as_text=True)
    for headers in ({"Origin": "null"}, {"Origin": "https://evil.example"}, {}):  # as /lang: our origin only
        refused = inventory_client.post(path, data={"lang": "en"}, headers=headers)
        assert LANG_COOKIE not in "".join(refused.headers.getlist("Set-Cookie")), headers


def _refused(*args, **kwargs):
    raise OperationFailure("not authorized on inventory to execute command { count: 'stock' }", code=13)


FAILED_PAGE = {  # language -> the title, what to do next, and what to tell the administrator
    "en": ("<title>Something went wrong · rawbank</title>",
           "Something went wrong on our side; try again, and tell an admin if it keeps happening.",
           "Give the admin this reference: <code>{}</code>"),
    "hi": ("<title>कुछ गड़बड़ हुई · rawbank</title>",
           "हमारी ओर से कुछ गड़बड़ हुई; फिर से प्रयास करें, और बार-बार हो तो एडमिन को बताएँ।",
           "एडमिन को यह संदर्भ बताएँ: <code>{}</code>"),
}


def test_a_page_that_fails_is_a_page_in_its_language_that_says_what_to_do_next(inventory_client, config, monkeypatch):
    """A page that failed on our side (a store refusing a read, a bug) showed a browser the API's raw JSON 500 in no
    page, with no way on; the page says to try again and what to tell the admin. The API and scripts keep the JSON."""
    monkeypatch.setattr(mongomock.collection.Collection, "count_documents", _refused)
    inventory_client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="w", role="warehouse", depot="VNS"))
    for lang in FAILED_PAGE:
        inventory_client.set_cookie(LANG_COOKIE, lang)
        response = inventory_client.get("/warehouse/stock?q=cotton", headers=BROWSER)
        page = _is_failed_page(response, lang)
        assert 'href="http://127.0.0.1:8001/warehouse/stock?q=cotton"' in page  # try again
        assert 'href="http://127.0.0.1:8001/warehouse/stock"' in page and "not authorized" not in page
    monkeypatch.setattr(mongomock.collection.Collection, "find", _refused)  # the API's reads fail as well
    for path, headers in (("/warehouse/stock", {"Accept": "*/*"}), ("/warehouse/stock", {}),
                          ("/api/v1/stock?depot=VNS", BROWSER)):
        answer = inventory_client.get(path, headers=headers)
        assert answer.status_code == 500 and answer.json["error"]["code"] == "internal_error", path


def _is_failed_page(response, lang: str) -> str:
    page = response.get_data(as_text=True)
    title, advice, reference = FAILED_PAGE[lang]
    assert response.status_code == 500 and response.mimetype == "text/html", page
    assert f'<html lang="{lang}">' in page and title in page and advice in page
    assert reference.format(response.headers["X-Request-ID"]) in page  # the id its log line carries
    return page


def test_a_failed_page_still_shows_when_the_store_refuses_every_read(inventory_client, config, monkeypatch):
    """Who is logged in is asked of the store too (the deny-list): the failure page cannot need it."""
    monkeypatch.setattr(mongomock.collection.Collection, "find", _refused)
    inventory_client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="w", role="warehouse", depot="VNS"))
    inventory_client.set_cookie(LANG_COOKIE, "hi")
    response = inventory_client.get("/warehouse/stock", headers=BROWSER)
    page = response.get_data(as_text=True)
    title, advice, reference = FAILED_PAGE["hi"]
    assert response.status_code == 500 and title in page and advice in page, page
    assert reference.format(response.headers["X-Request-ID"]) in page


def _not_answering(*args, **kwargs):
    raise ServerSelectionTimeoutError("127.0.0.1:27017: [Errno 111] Connection refused")


def _store_down(monkeypatch, *methods: str) -> None:
    """The store answers none of `methods` (all its reads and writes by default): pymongo's outage, a 503."""
    for method in methods or ("find", "find_one", "count_documents", "aggregate", "distinct", "insert_one",
                              "update_one", "update_many", "find_one_and_update", "replace_one", "delete_one"):
        monkeypatch.setattr(mongomock.collection.Collection, method, _not_answering)


STORE_DOWN_PAGE = {  # language -> the title, what to do next, and what to tell the administrator
    "en": ("<title>Not available just now · rawbank</title>",
           "The data store is not answering just now. Try again in a minute, and tell an admin if it keeps happening.",
           "Give the admin this reference: <code>{}</code>"),
    "hi": ("<title>अभी उपलब्ध नहीं · rawbank</title>",
           "डेटा भंडार अभी जवाब नहीं दे रहा है। एक मिनट बाद फिर से प्रयास करें, और बार-बार हो तो एडमिन को बताएँ।",
           "एडमिन को यह संदर्भ बताएँ: <code>{}</code>"),
}


def _is_store_down_page(response, lang: str, retry_after: str = "5") -> str:
    page = response.get_data(as_text=True)
    title, advice, reference = STORE_DOWN_PAGE[lang]
    assert response.status_code == 503 and response.mimetype == "text/html", page
    assert f'<html lang="{lang}">' in page and title in page and advice in page, page
    assert reference.format(response.headers["X-Request-ID"]) in page  # the id its log line carries
    assert response.headers["Retry-After"] == retry_after  # as the API's 503 says it
    return page


def test_a_page_when_the_store_is_not_answering_says_so_in_its_language_and_to_try_again(inventory_client, config,
                                                                                          monkeypatch):
    """The store not answering (MongoDB down: pymongo's ConnectionFailure) showed a browser the API's raw JSON 503 in
    no page; the page says the store is not answering, to try again in a minute and to tell an admin if it lasts,
    with the request id. The API and scripts keep the JSON 503 and its Retry-After."""
    _store_down(monkeypatch, "count_documents")
    inventory_client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="w", role="warehouse", depot="VNS"))
    for lang in STORE_DOWN_PAGE:
        inventory_client.set_cookie(LANG_COOKIE, lang)
        page = _is_store_down_page(inventory_client.get("/warehouse/stock?q=cotton", headers=BROWSER), lang)
        assert 'href="http://127.0.0.1:8001/warehouse/stock?q=cotton"' in page  # try again
        assert 'href="http://127.0.0.1:8001/warehouse/stock"' in page  # the menu, drawn though the store is down
    _store_down(monkeypatch)  # every read: the login's deny-list too, and the API's reads
    _is_store_down_page(inventory_client.get("/warehouse/stock", headers=BROWSER), "hi")
    for path, headers in (("/warehouse/stock", {"Accept": "*/*"}), ("/warehouse/stock", {}),
                          ("/api/v1/stock?depot=VNS", BROWSER)):
        answer = inventory_client.get(path, headers=headers)
        assert answer.status_code == 503 and answer.json["error"]["code"] == "store_unavailable", path
        assert answer.headers["Retry-After"] == "5" and "सहेजा" in answer.json["error"]["message"], path


def test_the_store_not_answering_is_a_page_on_the_login_and_public_pages_too(requests_client, inventory_client,
                                                                           monkeypatch):
    """The login form and the public availability page are no @page: there the store not answering was the JSON
    503 for a browser as well. Their APIs keep it."""
    _store_down(monkeypatch)
    requests_client.set_cookie(LANG_COOKIE, "en")
    _is_store_down_page(requests_client.post("/login", data={"username": "artisan", "password": "artisan123"},
                                             headers={**BROWSER, "Origin": REQUESTS}), "en")
    inventory_client.set_cookie(LANG_COOKIE, "hi")
    page = _is_store_down_page(inventory_client.get("/availability?district=Varanasi", headers=BROWSER), "hi")
    assert 'href="http://127.0.0.1:8001/availability?district=Varanasi"' in page  # try again
    for client, method, path in ((requests_client, "post", "/api/v1/auth/login"),
                                 (inventory_client, "get", "/api/v1/public/availability")):
        answer = getattr(client, method)(path, json={"username": "artisan", "password": "artisan123"},
                                         headers=BROWSER) if method == "post" else client.get(path, headers=BROWSER)
        assert answer.status_code == 503 and answer.json["error"]["code"] == "store_unavailable", path
        assert answer.headers["Retry-After"] == "5", path


OUR_SIDE = {  # a failure on our side during a login: the page for it (status, title in English and Hindi)
    "busy": (Busy, 503, ("Not available just now", "अभी उपलब्ध नहीं")),
    "store": (lambda: StoreUnavailable(reason="disk full"), 503, ("Not available just now", "अभी उपलब्ध नहीं")),
    "bug": (lambda: Inapplicable("no requisition R-1"), 500, ("Something went wrong", "कुछ गड़बड़ हुई")),
}


@pytest.mark.parametrize("kind", OUR_SIDE)
def test_a_login_that_fails_on_our_side_is_the_page_for_that_not_a_wrong_password(requests_client, monkeypatch,
                                                                                    kind):
    """The login form showed every project error as a form error with 401: the store busy or not answering (a 5xx)
    read as a wrong password, "check both and try again, or ask your admin to reset your password". It is the app's
    page for a failure on our side, with when to try again and the request id; the 4xx stay on the form."""
    make, status, titles = OUR_SIDE[kind]

    def failing(*args, **kwargs):
        raise make()
    monkeypatch.setattr(mongomock.collection.Collection, "find_one_and_update", failing)  # the login's first write
    for lang, title in zip(("en", "hi"), titles):
        requests_client.set_cookie(LANG_COOKIE, lang)
        response = requests_client.post("/login", data={"username": "artisan", "password": "artisan123"},
                                        headers={**BROWSER, "Origin": REQUESTS})
        page = response.get_data(as_text=True)
        assert response.status_code == status and response.mimetype == "text/html", page
        assert f'<html lang="{lang}">' in page and f"<title>{title} · rawbank</title>" in page, page
        assert make().describe_on_page(lang) in page if status == 503 else FAILED_PAGE[lang][1] in page
        assert FAILED_PAGE[lang][2].format(response.headers["X-Request-ID"]) in page  # for the admin
        assert response.headers.get("Retry-After") == (str(make().retry_after) if make().retry_after else None)
        assert "set a new password" not in page and "नया पासवर्ड" not in page and 'name="password"' not in page
        assert COOKIE not in "".join(response.headers.getlist("Set-Cookie"))
    answer = requests_client.post("/login", data={"username": "artisan", "password": "artisan123"},
                                  headers={"Accept": "application/json", "Origin": REQUESTS})
    assert answer.status_code == status and answer.json["error"]["code"] in (make().code, "internal_error")


def test_wrong_credentials_and_too_many_attempts_stay_on_the_login_form(requests_client):
    """What the person can put right is said on the form with 401, as before a failure on our side became a page."""
    requests_client.set_cookie(LANG_COOKIE, "en")
    for attempt in range(10):
        wrong = requests_client.post("/login", data={"username": "artisan", "password": "wrong"},
                                     headers={**BROWSER, "Origin": REQUESTS})
        said = wrong.get_data(as_text=True)
        assert wrong.status_code == 401 and "set a new password on the Users page" in said, attempt
    throttled = requests_client.post("/login", data={"username": "artisan", "password": "artisan123"},
                                     headers={**BROWSER, "Origin": REQUESTS})
    page = throttled.get_data(as_text=True)
    assert throttled.status_code == 401 and "Too many failed attempts" in page and 'name="password"' in page, page
    assert COOKIE not in "".join(throttled.headers.getlist("Set-Cookie"))


def test_a_project_error_on_our_side_from_a_route_without_page_is_the_failed_page(apps, config):
    """A project error mapped to 500 (a bug: an event's refusal reached a request) from a route that is no @page
    answered a browser with the JSON 500; it is the page that says to try again, with the request id."""
    app = apps["requests"]

    @app.get("/probe-our-fault")  # a route without @page, as /login and /availability are
    def probe():
        raise Inapplicable("no requisition R-1")
    client = app.test_client()
    for lang in FAILED_PAGE:
        client.set_cookie(LANG_COOKIE, lang)
        _is_failed_page(client.get("/probe-our-fault", headers=BROWSER), lang)
    for headers in ({"Accept": "*/*"}, {}):
        answer = client.get("/probe-our-fault", headers=headers)
        assert answer.status_code == 500 and answer.json["error"]["code"] == "internal_error"


def test_a_form_posted_to_a_store_that_takes_no_more_writes_is_a_page(tmp_path, token, monkeypatch):
    """A store whose disk failed answers every write 503 before its view runs: the language switch a browser posts
    (no @page) got the JSON; it is the page, and the API keeps the JSON."""
    from services.inventory import create_app, seed, spec
    from shared import durable_store
    from shared.config import Config
    store = durable_store.DurableStore(tmp_path / "inventory.sqlite")
    config = Config.from_env({})
    runtime = Runtime(spec(), config, client=store.client)
    runtime.store = store
    seed.seed(runtime.db, config)
    http = create_app(config, runtime).test_client()

    def failing(fd):
        raise OSError(5, "Input/output error")
    monkeypatch.setattr(durable_store.os, "fdatasync", failing)
    receipt = {"type": "receipt", "sku": "YRN-COT-40", "depot": "VNS", "quantity": "5"}
    assert http.post("/api/v1/movements", json=receipt, headers=token("warehouse", depot="VNS")).status_code == 503
    monkeypatch.undo()
    http.set_cookie(LANG_COOKIE, "hi")
    _is_store_down_page(http.post("/language", data={"lang": "en", "next": f"{INVENTORY}/availability"},
                                  headers={**BROWSER, "Origin": INVENTORY}), "hi", retry_after="60")  # till restart
    answer = http.post("/api/v1/movements", json=receipt, headers={**token("warehouse", depot="VNS"), **BROWSER})
    assert answer.status_code == 503 and answer.json["error"]["code"] == "store_unavailable"
    assert answer.headers["Retry-After"] == "60"
    store.close()


def test_a_logout_the_store_cannot_record_keeps_the_login_and_says_to_try_again(requests_client, monkeypatch):
    """Logging out revokes the token in the store. When the store was busy or not answering, the error was swallowed
    and the cookie forgotten: the person believed they had logged out while the token, if copied, still worked. The
    page says the store is not answering and to try again, and the login stays so that the next try revokes it."""
    login(requests_client, "artisan", "artisan123")

    def busy(*args, **kwargs):
        raise Busy()
    monkeypatch.setattr(mongomock.collection.Collection, "insert_one", busy)  # the revocation's write
    requests_client.set_cookie(LANG_COOKIE, "hi")
    response = requests_client.post("/logout", headers={**BROWSER, "Origin": REQUESTS})
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and response.mimetype == "text/html", page
    assert "<title>अभी उपलब्ध नहीं · rawbank</title>" in page and Busy().describe_on_page("hi") in page
    assert not any(c.startswith(f"{COOKIE}=") for c in response.headers.getlist("Set-Cookie"))
