"""Webhooks cannot reach what only the server can reach (issue 13, finding 4).

Internal addresses are refused when a webhook is registered and again at every delivery, redirects
are never followed, and the delivery log keeps no raw network error. The local receivers here are
only reachable because a test sets RAWBANK_WEBHOOK_ALLOW_HOSTS.
"""
from __future__ import annotations

import socket
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from services.notifier import create_app, spec
from services.notifier.dispatcher import Dispatcher
from shared.runtime import Runtime
from tests.conftest import free_port
from tests.integration.test_notifier_webhooks import Receiver, open_alert

HOST = "hooks.example.org"  # resolved by the test's own DNS answers below
INTERNAL = ["http://127.0.0.1:{port}/hook", "http://localhost:{port}/", "http://10.0.0.5/", "http://192.168.1.1/",
            "http://169.254.169.254/latest/meta-data/", "http://[::1]:{port}/", "http://[::ffff:127.0.0.1]/",
            "http://224.0.0.1/", "http://0.0.0.0:{port}/", "http://100.64.0.1/", "http://[fe80::1]/",
            "http://2130706433/", "http://0x7f.1/"]


@pytest.fixture
def dns(monkeypatch):
    """Answers for HOST the way a DNS server would, changeable between two lookups (DNS rebinding)."""
    answers = {HOST: "93.184.216.34"}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], port))]
        return real(host, port, *args, **kwargs)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


@pytest.fixture
def notifier(config):
    def make(allow=""):
        runtime = Runtime(spec(), config.with_(webhook_allow_hosts=allow, notifier_delivery_max_attempts=1))
        made.append(runtime)
        return create_app(runtime.config, runtime).test_client(), runtime.db, Dispatcher(runtime.db, runtime.config)
    made = []
    yield make
    for runtime in made:
        runtime.close()


def register(client, token, url):
    return client.post("/api/v1/webhooks", json={"url": url}, headers={**token("admin"), "Accept-Language": "hi"})


def deliver_all(db, dispatcher):
    dispatcher.run_once(datetime.now(timezone.utc))
    return list(db.deliveries.find({"channel": "webhook"}))


def test_registering_an_internal_or_credentialed_url_is_refused(notifier, token, dns):
    client, db, _ = notifier()
    port = free_port()
    for url in [u.format(port=port) for u in INTERNAL] + ["http://user:secret@example.org/hook"]:
        response = register(client, token, url)
        assert response.status_code == 400, (url, response.get_json())
        assert response.get_json()["error"]["details"]["url"], url
    dns[HOST] = "10.1.2.3"  # a public-looking name that points inside
    assert register(client, token, f"http://{HOST}/hook").status_code == 400
    assert db.webhooks.count_documents({}) == 0
    dns[HOST] = "93.184.216.34"
    assert register(client, token, f"https://{HOST}/hook").status_code == 201


def test_an_allowed_host_is_delivered_to_and_others_stay_refused(notifier, token, config):
    hook = Receiver((200,))
    try:
        client, db, dispatcher = notifier(allow="127.0.0.1")
        assert register(client, token, f"{hook.url}/in").status_code == 201
        assert register(client, token, f"http://localhost:{hook.url.rsplit(':', 1)[1]}/").status_code == 400
        open_alert(SimpleNamespace(db=db), config)
        [delivery] = deliver_all(db, dispatcher)
        assert delivery["status"] == "delivered" and len(hook.requests) == 1
    finally:
        hook.close()


def test_a_host_that_turns_internal_after_registration_is_refused_at_delivery(notifier, token, config, dns):
    hook = Receiver((200,))
    try:
        client, db, dispatcher = notifier()
        port = hook.url.rsplit(":", 1)[1]
        assert register(client, token, f"http://{HOST}:{port}/hook").status_code == 201
        dns[HOST] = "127.0.0.1"  # DNS rebinding: the same name now points at the server itself
        open_alert(SimpleNamespace(db=db), config)
        [delivery] = deliver_all(db, dispatcher)
        assert delivery["status"] == "failed" and hook.requests == []
        assert delivery["last_error"].startswith("refused: ")
    finally:
        hook.close()


def test_the_connection_goes_to_the_checked_address_with_the_hosts_name(notifier, token, config, dns):
    hook = Receiver((200,))
    try:
        client, db, dispatcher = notifier(allow=HOST)
        port = hook.url.rsplit(":", 1)[1]
        dns[HOST] = "127.0.0.1"
        assert register(client, token, f"http://{HOST}:{port}/hook").status_code == 201
        open_alert(SimpleNamespace(db=db), config)
        [delivery] = deliver_all(db, dispatcher)
        assert delivery["status"] == "delivered"
        assert hook.requests[0]["headers"]["Host"] == f"{HOST}:{port}" and hook.requests[0]["path"] == "/hook"
    finally:
        hook.close()


def test_redirects_are_not_followed_and_errors_are_not_stored_raw(notifier, token, config):
    hook = Receiver((200,))
    redirector = Receiver((307,), headers={"Location": f"{hook.url}/elsewhere"})
    try:
        client, db, dispatcher = notifier(allow="127.0.0.1")
        assert register(client, token, redirector.url).status_code == 201
        assert register(client, token, f"http://127.0.0.1:{free_port()}/closed").status_code == 201
        open_alert(SimpleNamespace(db=db), config)
        errors = sorted(d["last_error"] for d in deliver_all(db, dispatcher))
        assert hook.requests == []
        assert errors == ["HTTP 307 from " + redirector.url + " (redirects are not followed)",
                          "could not connect or no valid HTTP answer"]
        assert len(redirector.requests) == 1
    finally:
        hook.close()
        redirector.close()


@pytest.mark.parametrize("lang, says", [("en", "the operator can allow it by adding it (host or host:port) to "
                                               "RAWBANK_WEBHOOK_ALLOW_HOSTS"),
                                        ("hi", "संचालक इसे RAWBANK_WEBHOOK_ALLOW_HOSTS में (host या host:port) जोड़कर")])
def test_a_refused_internal_address_names_the_setting_that_allows_it(notifier, token, lang, says):
    """A webhook to 127.0.0.1 was refused with "ask the operator to allow this host if it is yours": the operator
    (the district's IT person) was not told how. The refusal names the setting, RAWBANK_WEBHOOK_ALLOW_HOSTS."""
    client, db, _ = notifier()
    response = client.post("/api/v1/webhooks", json={"url": f"http://127.0.0.1:{free_port()}/ok"},
                           headers={**token("admin"), "Accept-Language": lang})
    assert response.status_code == 400 and db.webhooks.count_documents({}) == 0
    [said] = response.get_json()["error"]["details"]["url"]
    assert says in said, said
