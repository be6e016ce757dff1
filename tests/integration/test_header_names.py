"""Every page's header named the login ("meena · Warehouse staff"), not the person: a login's display name (or an
artisan's own name) is read once at login into its token, and each service's header says it in the page's language,
the other language's when that is all there is, the login when there is none; the role is still said."""
from __future__ import annotations

import re
import uuid
from http.cookies import SimpleCookie

import pytest

from services import inventory, notifier, requests as requests_service
from services.requests import users
from shared.auth import COOKIE, decode_token, issue_token
from shared.i18n import LANG_COOKIE
from shared.pages import origins
from shared.runtime import Runtime

PACKAGES = {"inventory": inventory, "requests": requests_service, "notifier": notifier}
PASSWORD = "a long passphrase"
#: a page of each service each role may open (inventory has none for an artisan but its public one)
PAGES = {"warehouse": {"inventory": "/warehouse/stock", "requests": "/password", "notifier": "/admin/alerts"},
         "artisan": {"inventory": "/availability", "requests": "/my", "notifier": "/my/notifications"}}
ROLE = {("warehouse", "en"): "Warehouse staff", ("warehouse", "hi"): "गोदाम कर्मचारी",
        ("artisan", "en"): "Artisan", ("artisan", "hi"): "कारीगर"}


@pytest.fixture
def apps(config):
    made = {}
    for name, package in PACKAGES.items():
        runtime = Runtime(package.spec(), config)
        made[name] = package.create_app(config, runtime).test_client(), runtime.db
    made["requests"][1].depots.insert_one({"_id": "VNS", "name": "Varanasi depot"})
    return config, made


def log_in(made, username: str) -> str:
    """The login page's form, as a browser sends it: the login cookie it sets."""
    client = made["requests"][0]
    origin = sorted(origins(client.application.config["RAWBANK"]))[0]
    response = client.post("/login", data={"username": username, "password": PASSWORD}, headers={"Origin": origin},
                           environ_base={"REMOTE_ADDR": f"10.7.{uuid.uuid4().int % 250}.1"})
    assert response.status_code == 302, response.get_data(as_text=True)[-800:]
    cookies = SimpleCookie()
    for header in response.headers.getlist("Set-Cookie"):
        cookies.load(header)
    return cookies[COOKIE].value


def header(made, service: str, path: str, token: str, lang: str) -> str:
    """The header's "who is logged in" as the reader reads it."""
    client = made[service][0]
    client.set_cookie(COOKIE, token)
    client.set_cookie(LANG_COOKIE, lang)
    response = client.get(path)
    html = response.get_data(as_text=True)
    assert response.status_code == 200, (service, path, html[-800:])
    [who] = re.findall(r'<span class="who">(.*?)</span>', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", who)).strip()


def headers(made, role: str, token: str) -> dict:
    return {(service, lang): header(made, service, path, token, lang)
            for service, path in PAGES[role].items() for lang in ("en", "hi")}


def expected(role: str, en: str, hi: str) -> dict:
    return {(service, lang): f"{en if lang == 'en' else hi} · {ROLE[role, lang]}"
            for service in PAGES[role] for lang in ("en", "hi")}


def test_a_clerk_reads_their_own_name_in_each_language_on_every_service(apps):
    _, made = apps
    users.add_user(made["requests"][1], username="meena", password=PASSWORD, role="warehouse", depot="VNS",
                   name="Meena Devi", name_hi="मीना देवी")
    assert headers(made, "warehouse", log_in(made, "meena")) == expected("warehouse", "Meena Devi", "मीना देवी")


@pytest.mark.parametrize(("name", "name_hi", "en", "hi"), [
    (None, None, "clerk-7", "clerk-7"),  # no display name: the login, as before
    ("Suresh Yadav", None, "Suresh Yadav", "Suresh Yadav"),  # the Hindi page says the English name
    (None, "सुरेश यादव", "सुरेश यादव", "सुरेश यादव"),  # and the English page the Hindi one
], ids=["no-name", "english-only", "hindi-only"])
def test_a_clerk_with_a_name_in_one_language_or_none(apps, name, name_hi, en, hi):
    _, made = apps
    users.add_user(made["requests"][1], username="clerk-7", password=PASSWORD, role="warehouse", depot="VNS",
                   name=name, name_hi=name_hi)
    assert headers(made, "warehouse", log_in(made, "clerk-7")) == expected("warehouse", en, hi)


def test_an_artisan_reads_the_name_of_their_artisan_record_or_their_login(apps):
    _, made = apps
    db = made["requests"][1]
    db.artisans.insert_one({"_id": "ART-0001", "name": "Ramesh Kumar", "name_hi": "रमेश कुमार", "district": "Varanasi",
                            "active": True})
    users.add_user(db, username="ramesh", password=PASSWORD, role="artisan", artisan_id="ART-0001")
    assert headers(made, "artisan", log_in(made, "ramesh")) == expected("artisan", "Ramesh Kumar", "रमेश कुमार")
    users.add_user(db, username="nameless", password=PASSWORD, role="artisan", artisan_id="ART-0404")  # no record
    assert headers(made, "artisan", log_in(made, "nameless")) == expected("artisan", "nameless", "nameless")


def test_a_new_name_is_read_from_the_next_login_on(apps):
    _, made = apps
    db = made["requests"][1]
    users.add_user(db, username="meena", password=PASSWORD, role="warehouse", depot="VNS", name="Meena Devi",
                   name_hi="मीना देवी")
    users.add_user(db, username="boss", password=PASSWORD, role="admin")
    before = log_in(made, "meena")
    boss = {"Authorization": f"Bearer {log_in(made, 'boss')}"}
    renamed = made["requests"][0].patch("/api/v1/users/meena", headers=boss,
                                        json={"name": "Meena Kumari", "name_hi": "मीना कुमारी"})
    assert renamed.status_code == 200, renamed.get_json()
    assert header(made, "inventory", "/warehouse/stock", before, "hi") == "मीना देवी · गोदाम कर्मचारी"  # the token's
    assert headers(made, "warehouse", log_in(made, "meena")) == expected("warehouse", "Meena Kumari", "मीना कुमारी")


def test_a_token_without_names_shows_the_login(apps):
    """A token from `rawbank token` (or from before names were carried) names no one: the header says the login."""
    config, made = apps
    token = issue_token(config.jwt_secret, sub="wh-cli", role="warehouse", depot="VNS")
    assert header(made, "inventory", "/warehouse/stock", token, "hi") == "wh-cli · गोदाम कर्मचारी"
    named = decode_token(config.jwt_secret, issue_token(config.jwt_secret, sub="x", role="admin", name="A",
                                                        name_hi="अ"))
    assert (named.name, named.name_hi) == ("A", "अ")


def _cli_token(capsys, *args) -> str:
    """`rawbank token ...` as a person runs it: the token it prints."""
    from shared.cli import main
    capsys.readouterr()
    assert main(["token", *args]) == 0, capsys.readouterr().err
    return capsys.readouterr().out.strip()


def test_a_cli_token_for_a_known_user_names_them_while_rawbank_is_stopped(apps, capsys, monkeypatch, tmp_path):
    """Before, a token from `rawbank token` carried no name: its pages said the bare login ("meena"). With rawbank
    stopped on the data directory, its requests store is read as a login reads it: the user's display name, an
    artisan's record's name; a login nobody added is still signed with none."""
    config, made = apps
    from services.requests import spec
    from shared.config import Config
    data = tmp_path / "var"
    data.mkdir()
    runtime = Runtime(spec(), Config.from_env({}, data_dir=str(data)))
    users.add_user(runtime.db, username="meena", password=PASSWORD, role="warehouse", name="Meena Devi",
                   name_hi="मीना देवी")
    runtime.db.artisans.insert_one({"_id": "ART-0001", "name": "Ramesh Kumar", "name_hi": "रमेश कुमार"})
    users.add_user(runtime.db, username="ramesh", password=PASSWORD, role="artisan", artisan_id="ART-0001")
    runtime.close()
    for name in ("MONGO_URI", "RAWBANK_JWT_SECRET", "RAWBANK_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    secret = config.jwt_secret  # no secret file in ./var: the CLI signs with the built-in one, as these apps check
    meena = _cli_token(capsys, "--role", "warehouse", "--sub", "meena")
    assert decode_token(secret, meena).name == "Meena Devi"
    assert header(made, "inventory", "/warehouse/stock", meena, "hi") == "मीना देवी · गोदाम कर्मचारी"
    assert header(made, "requests", "/password", meena, "en") == "Meena Devi · Warehouse staff"
    ramesh = decode_token(secret, _cli_token(capsys, "--role", "artisan", "--sub", "ramesh", "--artisan-id",
                                             "ART-0001"))
    assert (ramesh.name, ramesh.name_hi) == ("Ramesh Kumar", "रमेश कुमार")
    nobody = decode_token(secret, _cli_token(capsys, "--role", "admin", "--sub", "ops"))
    assert (nobody.name, nobody.name_hi) == (None, None)


def test_a_cli_token_for_a_known_user_names_them_while_rawbank_runs(apps, capsys, monkeypatch, tmp_path):
    """While `rawbank dev` runs on the data directory (its store is its own then), the requests service is asked."""
    import json
    import threading

    from werkzeug.serving import make_server

    from tests.conftest import free_port
    config, made = apps
    users.add_user(made["requests"][1], username="meena", password=PASSWORD, role="warehouse", depot="VNS",
                   name="Meena Devi", name_hi="मीना देवी")
    port = free_port()
    server = make_server("127.0.0.1", port, made["requests"][0].application, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    data = tmp_path / "var"
    data.mkdir()
    (data / "running.json").write_text(json.dumps({"urls": {"requests": f"http://127.0.0.1:{port}"}}))
    for name in ("MONGO_URI", "RAWBANK_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RAWBANK_JWT_SECRET", config.jwt_secret)
    monkeypatch.chdir(tmp_path)
    try:
        token = _cli_token(capsys, "--role", "warehouse", "--sub", "meena", "--depot", "VNS")
        nobody = decode_token(config.jwt_secret, _cli_token(capsys, "--role", "admin", "--sub", "ops"))
    finally:
        server.shutdown()
    assert header(made, "inventory", "/warehouse/stock", token, "hi") == "मीना देवी · गोदाम कर्मचारी"
    assert header(made, "notifier", "/admin/alerts", token, "en") == "Meena Devi · Warehouse staff"
    assert (nobody.name, nobody.name_hi) == (None, None)


def test_the_name_a_token_carries_over_the_api(apps):
    """GET /api/v1/users/<login>/name, what `rawbank token` asks while rawbank runs: as a login reads it; 404 for a
    login nobody has."""
    config, made = apps
    client, db = made["requests"]
    db.artisans.insert_one({"_id": "ART-0001", "name": "Ramesh Kumar", "name_hi": "रमेश कुमार"})
    users.add_user(db, username="ramesh", password=PASSWORD, role="artisan", artisan_id="ART-0001")
    boss = {"Authorization": f"Bearer {issue_token(config.jwt_secret, sub='boss', role='admin')}"}
    assert client.get("/api/v1/users/ramesh/name", headers=boss).get_json() == {"name": "Ramesh Kumar",
                                                                                "name_hi": "रमेश कुमार"}
    missing = client.get("/api/v1/users/nobody/name", headers=boss)
    assert (missing.status_code, missing.get_json()["error"]["code"]) == (404, "not_found")
