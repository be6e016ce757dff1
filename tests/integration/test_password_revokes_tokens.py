"""A new password ends every login its user already had, on all three services, as a logout ends one."""
from __future__ import annotations

import contextlib
import threading
import time
import uuid

import jwt
import pytest

from services import requests as requests_service
from services.inventory import consumer as inventory_consumer
from services.notifier import consumer as notifier_consumer
from services.requests import user_admin, users
from services.requests.errors import BadLogin
from shared import revocation
from shared.auth import COOKIE, issue_token
from shared.config import Config
from shared.envelope import decode_event
from shared.runtime import Runtime
from tests.conftest import wait_until
from tests.integration.test_tokens import PACKAGES, PROTECTED, apps  # noqa: F401  (apps: the three services)

PAGES = {"inventory": "/warehouse/stock", "requests": "/admin/quotas", "notifier": "/admin/alerts"}
HANDLERS = {"inventory": inventory_consumer.make_handler, "notifier": notifier_consumer.make_handler}
REFUSED = {"en": "Your login token is invalid or has expired; log in again.",
           "hi": "आपका लॉग इन सही नहीं है या उसकी अवधि समाप्त हो गई है; फिर से लॉग इन करें।"}



def log_in(client, username, password):
    response = client.post("/api/v1/auth/login", json={"username": username, "password": password},
                           environ_base={"REMOTE_ADDR": f"10.1.{uuid.uuid4().int % 250}.1"})
    return response.status_code, (response.get_json() or {}).get("access_token")


def api(client, service, token, lang="en"):
    return client.get(PROTECTED[service], headers={"Authorization": f"Bearer {token}", "Accept-Language": lang})


def page(client, service, token):
    """A page with the login cookie: 200, or a redirect to the login page when the login is over."""
    client.set_cookie(COOKIE, token)
    try:
        response = client.get(PAGES[service])
    finally:
        client.delete_cookie(COOKIE)
    return response.status_code, response.headers.get("Location", "")


def assert_refused(client, service, token):
    """What a logged-out token meets: 401 token_invalid in English and Hindi from the API, the login page."""
    for lang, message in REFUSED.items():
        answer = api(client, service, token, lang)
        assert answer.status_code == 401, (service, answer.status_code)
        error = answer.get_json()["error"]
        assert (answer.status_code, error["code"], error["message"]) == (401, "token_invalid", message), service
    status, location = page(client, service, token)
    assert status == 302 and "/login" in location, (service, status)
    client.set_cookie(COOKIE, token)
    try:
        assert client.get(PROTECTED[service], headers={"Accept-Language": "hi"}).get_json()["error"]["message"] == \
            REFUSED["hi"], service
    finally:
        client.delete_cookie(COOKIE)


def assert_works(client, service, token):
    assert api(client, service, token).status_code == 200, service
    assert page(client, service, token)[0] == 200, service


def pending_events(db, name):
    """The deny-list events about `name` the requests service has not published yet, in the order written."""
    return [decode_event(e) for doc in db[revocation.COLLECTION].find({"outbox.0": {"$exists": True}})
            for e in doc["outbox"] if e["payload"].get("subject") == name]


def deliver(made, events):
    for service, handler in HANDLERS.items():
        handle = handler(made[service][1], None)
        for event in events:
            handle(event)
            handle(event)  # a redelivery changes nothing


#: what may pass between the change's deny-list write and `set_password_from_cli` returning (two small writes)
MARGIN = 0.2


@contextlib.contextmanager
def issuing(config, name):
    """Issue `name` a token every few milliseconds, as logins would, while the block runs: [(time after, token)].

    A login verifies the password (argon2, up to a second here) before it issues; what matters is the token."""
    tokens, stop = [], threading.Event()

    def issue():
        while not stop.is_set():
            token = issue_token(config.jwt_secret, sub=name, role="admin")
            tokens.append((time.time(), token))
            stop.wait(0.01)
    thread = threading.Thread(target=issue, daemon=True)
    thread.start()
    try:
        yield tokens
    finally:
        stop.set()
        thread.join(5)


def issued(token) -> int:
    return jwt.decode(token, options={"verify_signature": False})["iat"]


def test_a_new_password_refuses_every_earlier_token_of_that_user_in_every_service(apps):
    """Before, `rawbank user password` changed the hash only: a stolen token of that user kept working on every
    service until it expired (an hour)."""
    config, made = apps
    requests_client, requests_db = made["requests"]
    name = f"clerk-{uuid.uuid4().hex[:6]}"
    users.add_user(requests_db, username=name, password="the old passphrase", role="admin")
    other = issue_token(config.jwt_secret, sub="someone-else", role="admin")
    earlier = log_in(requests_client, name, "the old passphrase")[1]
    old = "the old passphrase"
    for attempt in range(5):
        new = f"new passphrase {attempt}"
        while time.time() % 1 > 0.05:  # begin at the top of a second: tokens of the change's second come first
            time.sleep(0.005)
        with issuing(config, name) as issued_meanwhile:  # logins' tokens all through the change
            time.sleep(MARGIN + 0.1)  # a busy machine may not run the issuing thread at once
            user_admin.set_password_from_cli(requests_db, username=name, password=new)
            changed = time.time()
        before = [token for at, token in issued_meanwhile if at < changed - MARGIN]
        if before and int(changed - MARGIN) == int(changed) and issued(before[-1]) == int(changed):
            break  # the last token before the change has the change's second as its iat
        old = new
    else:
        pytest.fail("no token was issued in the second of the password change in five tries")
    after = log_in(requests_client, name, new)[1]
    assert log_in(requests_client, name, old)[0] == 401
    assert_refused(requests_client, "requests", earlier)
    for token in before:
        assert api(requests_client, "requests", token).status_code == 401
    assert_works(requests_client, "requests", after)
    for service in HANDLERS:
        assert api(made[service][0], service, earlier).status_code == 200  # not heard of the change yet
    deliver(made, pending_events(requests_db, name))
    for service, (client, _) in made.items():
        assert_refused(client, service, earlier)
        assert_refused(client, service, before[-1])
        assert_works(client, service, after)
        assert_works(client, service, other)  # only that user's tokens


def test_a_login_in_the_second_of_the_change_waits_for_the_next_and_works(apps):
    """A token of the change's own second is refused (it may be from before the change), so a login then must not
    hand one out: it waits for the next second. One that checked the old password meanwhile is refused."""
    config, made = apps
    requests_client, requests_db = made["requests"]
    name = f"clerk-{uuid.uuid4().hex[:6]}"
    users.add_user(requests_db, username=name, password="the old passphrase", role="admin")
    for attempt in range(5):
        checked_old = requests_db.users.find_one({"_id": name})  # what a login that verified the old password holds
        user_admin.set_password_from_cli(requests_db, username=name, password=f"new passphrase {attempt}")
        checked_new = requests_db.users.find_one({"_id": name})  # what `authenticate` hands a login now
        started = time.time()
        first = revocation.subject_not_before(requests_db, name)
        if started < first:
            break
    else:
        pytest.fail("no login began in the second of the password change in five tries")
    token = users.login_token(requests_db, checked_new, config)
    assert time.time() >= first and issued(token) == first
    assert api(requests_client, "requests", token).status_code == 200
    with pytest.raises(BadLogin):
        users.login_token(requests_db, checked_old, config)


def test_replayed_duplicate_and_late_events_change_nothing(apps):
    """Two changes of one password, their events delivered twice and the older one last: the later change holds."""
    config, made = apps
    _, requests_db = made["requests"]
    name = f"clerk-{uuid.uuid4().hex[:6]}"
    users.add_user(requests_db, username=name, password="the first passphrase", role="admin")
    user_admin.set_password_from_cli(requests_db, username=name, password="the second passphrase")
    first = pending_events(requests_db, name)
    time.sleep(1.05)  # the next change in a later second
    between = issue_token(config.jwt_secret, sub=name, role="admin")
    time.sleep(1.05)
    user_admin.set_password_from_cli(requests_db, username=name, password="the third passphrase")
    changed = int(time.time())
    second = [event for event in pending_events(requests_db, name) if event.event_id not in {e.event_id for e in first}]
    assert first and second and {event.type for event in first + second} == {"TokenRevoked"}
    wait_until(lambda: time.time() >= changed + 1, timeout=3, message="the second after the change")
    later = issue_token(config.jwt_secret, sub=name, role="admin")
    deliver(made, second + first + second + first)
    key = revocation.subject_key(name)
    kept = {service: made[service][1][revocation.COLLECTION].find_one({"_id": key}, {"outbox": 0})
            for service in PACKAGES}
    assert kept["inventory"] == kept["notifier"] == {
        "_id": key, "not_before": kept["requests"]["not_before"], "until": kept["requests"]["until"]}
    assert made["inventory"][1][revocation.COLLECTION].count_documents({"_id": key}) == 1
    for service, (client, _) in made.items():
        assert api(client, service, between).status_code == 401, service
        assert api(client, service, later).status_code == 200, service


class Running:
    """One service on the data directory: its store, its app and, once started, its worker (consumer and relay)."""

    def __init__(self, spec, package, config):
        self.runtime = Runtime(spec, config)
        self.client = package.create_app(config, self.runtime).test_client()
        self.worker = None

    def start_worker(self) -> "Running":
        from shared.worker import Worker
        self.worker = Worker(self.runtime).start()
        return self

    def joined(self) -> bool:
        """Its consumer has its partitions: stopped now, it leaves its group cleanly, its offsets kept."""
        return self.worker.consumer is not None and self.worker.consumer.ready.is_set()

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()
        self.runtime.close()


@pytest.mark.broker
def test_the_change_outlives_restarts_and_reaches_services_that_were_down(broker, tmp_path, monkeypatch):
    """`rawbank user password` while rawbank is stopped (as the README says): the requests service refuses the old
    tokens when it starts again, and inventory and notifier, down during the change, once its event reaches them."""
    import dataclasses
    import io
    from shared.cli import main
    monkeypatch.delenv("MONGO_URI", raising=False)
    data = tmp_path / "var"
    data.mkdir()
    config = Config.from_env({}, data_dir=str(data), kafka_bootstrap_servers=broker, consumer_backoff_ms=10,
                             relay_interval_ms=20, kafka_max_poll_interval_ms=10000)
    suffix = uuid.uuid4().hex[:8]
    specs = {"requests": requests_service.spec(),  # the name `rawbank user password` writes to
             **{name: dataclasses.replace(PACKAGES[name].spec(), name=f"{name}-{suffix}") for name in HANDLERS}}

    def up(service, worker=True):
        running = Running(specs[service], PACKAGES[service], config)
        return running.start_worker() if worker else running

    running = {service: up(service) for service in PACKAGES}
    name = f"clerk-{suffix}"
    users.add_user(running["requests"].runtime.db, username=name, password="the old passphrase", role="admin")
    earlier = log_in(running["requests"].client, name, "the old passphrase")[1]
    for service, one in running.items():
        assert_works(one.client, service, earlier)
    for service, one in running.items():
        wait_until(one.joined, 60, message=f"{service}'s consumer has its partitions")
    for one in running.values():  # rawbank stopped
        one.stop()

    monkeypatch.setattr("sys.stdin", io.StringIO("a new passphrase\n"))
    assert main(["user", "password", name, "--password-stdin", "--data-dir", str(data)]) == 0

    requests_up = up("requests", worker=False)
    try:
        assert_refused(requests_up.client, "requests", earlier)  # kept on disk, before any event went out
        requests_up.start_worker()  # its relay publishes what the command left in the outbox
        after = log_in(requests_up.client, name, "a new passphrase")[1]
        for service in HANDLERS:
            one = up(service)
            try:
                wait_until(lambda: api(one.client, service, earlier).status_code == 401, 60,
                           message=f"{service} hears of the new password")
                assert_refused(one.client, service, earlier)
                assert_works(one.client, service, after)
            finally:
                one.stop()
            again = up(service, worker=False)  # started again, with no broker work yet: still refused
            try:
                assert_refused(again.client, service, earlier)
                assert_works(again.client, service, after)
            finally:
                again.stop()
    finally:
        requests_up.stop()
