"""The login limits hold under parallel guessing and slow an attacker without locking out the people
behind the same address (issue 13, findings 2 and 3)."""
from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from services import requests as requests_service
from services.requests import login_throttle, user_admin, users
from services.requests.errors import BadLogin
from shared.errors import TooManyAttempts
from shared.runtime import Runtime

PROXY = "10.1.1.1"


@pytest.fixture
def service(config):
    runtime = Runtime(requests_service.spec(), config.with_(trusted_proxies=f"{PROXY},10.2.0.0/16"))
    app = requests_service.create_app(runtime.config, runtime)
    users.add_user(runtime.db, username="admin", password="right-password", role="admin")
    yield app, runtime.db
    runtime.close()


def login(client, username, password, address="10.0.0.1", forwarded=None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post("/api/v1/auth/login", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address}, headers=headers)


def test_parallel_wrong_passwords_are_checked_exactly_up_to_the_limit(service):
    app, _ = service
    start, answered = threading.Barrier(150), []

    def guess(n):
        client = app.test_client()
        start.wait()
        answered.append(login(client, "admin", f"guess-{n}").status_code)  # one append is atomic; `+= 1` is not
    threads = [threading.Thread(target=guess, args=(n,)) for n in range(150)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counter(answered) == {401: login_throttle.PER_USER_AND_ADDRESS,
                                 429: 150 - login_throttle.PER_USER_AND_ADDRESS}


def test_failures_from_a_shared_address_do_not_lock_out_those_who_log_in_from_it(service):
    app, db = service
    client = app.test_client()
    users.add_user(db, username="weaver", password="weaver-password", role="admin")
    assert login(client, "admin", "right-password").status_code == 200  # the admin works behind this address
    for n in range(login_throttle.PER_ADDRESS):  # someone behind the same address sprays usernames
        assert login(client, f"user-{n}", "Password1").status_code == 401
    assert login(client, "user-x", "Password1").status_code == 429  # the spraying is stopped
    assert login(client, "admin", "right-password").status_code == 200  # the admin is not
    assert login(client, "weaver", "weaver-password").status_code == 429  # new here: waits out the window
    assert login(client, "weaver", "weaver-password", address="10.0.0.2").status_code == 200  # elsewhere: in
    for _ in range(login_throttle.PER_USER_AND_ADDRESS):  # the admin's own limit still holds
        assert login(client, "admin", "wrong").status_code == 401
    assert login(client, "admin", "right-password").status_code == 429


def test_a_correct_password_gives_back_the_attempt_it_counted(service):
    app, _ = service
    client = app.test_client()
    for _ in range(login_throttle.PER_ADDRESS + 5):
        assert login(client, "admin", "right-password", address="10.0.0.3").status_code == 200


def test_x_forwarded_for_counts_only_behind_a_trusted_proxy(service):
    app, _ = service
    client = app.test_client()
    for n in range(login_throttle.PER_USER_AND_ADDRESS):  # an untrusted caller cannot pick its address
        assert login(client, "admin", "wrong", address="10.0.0.4", forwarded=f"192.0.2.{n}").status_code == 401
    assert login(client, "admin", "right-password", address="10.0.0.4", forwarded="192.0.2.99").status_code == 429
    for _ in range(login_throttle.PER_USER_AND_ADDRESS):  # behind the proxies: the client's own address counts
        assert login(client, "admin", "wrong", address=PROXY, forwarded="198.51.100.7, 10.2.3.4").status_code == 401
    assert login(client, "admin", "right-password", address=PROXY, forwarded="198.51.100.7").status_code == 429
    assert login(client, "admin", "right-password", address=PROXY, forwarded="198.51.100.8").status_code == 200
    assert login(client, "admin", "right-password", address=PROXY).status_code == 200  # no header: the proxy


@pytest.fixture
def few(monkeypatch):
    """An address closes after a few failures (as after PER_ADDRESS: the same rules, without hashing 100 guesses)."""
    monkeypatch.setattr(login_throttle, "PER_ADDRESS", 4)


def _spray(client, address="10.0.0.1"):
    """Someone behind a depot's one address tries many usernames, until the address is closed to newcomers."""
    for n in range(login_throttle.PER_ADDRESS):
        assert login(client, f"user-{n}", "Password1", address=address).status_code == 401
    assert login(client, "user-x", "Password1", address=address).status_code == 429


def _new_password(client, username, password):
    token = login(client, "admin", "right-password", address="10.9.9.9").get_json()["access_token"]
    answer = client.post(f"/api/v1/users/{username}/password", json={"password": password},
                         headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.get_json()


def test_a_new_password_from_an_admin_lets_that_user_in_from_an_address_closed_to_guessing(service, few):
    """Clerks of one depot share an office address: failures there closed it to anyone who had not logged in from
    it lately. A clerk whose password an admin just reset gets in with it; the address stays closed to others."""
    app, db = service
    client = app.test_client()
    for name in ("weaver", "potter"):
        users.add_user(db, username=name, password=f"{name}'s old passphrase", role="warehouse", depot="VNS")
    _spray(client)
    assert login(client, "weaver", "weaver's old passphrase").status_code == 429  # new here: waits the window
    _new_password(client, "weaver", "weaver's new passphrase")
    assert login(client, "weaver", "weaver's new passphrase").status_code == 200
    assert login(client, "potter", "potter's old passphrase").status_code == 429  # no reset: still waits
    assert login(client, "user-y", "Password1").status_code == 429  # guessing other names: still stopped


def test_a_reset_lets_through_no_wrong_password_and_its_own_limit_holds(service, few):
    app, db = service
    client = app.test_client()
    users.add_user(db, username="weaver", password="weaver's old passphrase", role="warehouse", depot="VNS")
    _spray(client)
    _new_password(client, "weaver", "weaver's new passphrase")
    for _ in range(login_throttle.PER_USER_AND_ADDRESS):  # guessing the new password: the login's own limit
        assert login(client, "weaver", "a guess").status_code == 401
    assert login(client, "weaver", "weaver's new passphrase").status_code == 429
    assert login(client, "weaver", "weaver's new passphrase", address="10.0.0.2").status_code == 200


def test_a_reset_lets_its_user_past_a_closed_address_once_and_for_a_time_only(service, few):
    """The reset stands until its user logs in with the new password (from then on they are known where they did),
    or for RESET_FOR if they do not: a closed address then keeps them waiting as it keeps anyone new."""
    _, db = service
    for name in ("weaver", "potter"):
        users.add_user(db, username=name, password=f"{name}'s old passphrase", role="warehouse", depot="VNS")
    before = datetime.now(timezone.utc)
    for name in ("weaver", "potter"):
        user_admin.set_password_from_cli(db, username=name, password=f"{name}'s new passphrase")
    assert login_throttle.authenticate(db, "weaver", "weaver's new passphrase", "10.0.0.6")["_id"] == "weaver"
    later = before + login_throttle.RESET_FOR + timedelta(minutes=1)
    for address, when in (("10.0.0.7", datetime.now(timezone.utc)), ("10.0.0.8", later)):
        for n in range(login_throttle.PER_ADDRESS):  # the address closed to newcomers
            with pytest.raises(BadLogin):
                login_throttle.authenticate(db, f"user-{n}", "Password1", address, now=when)
    with pytest.raises(TooManyAttempts):  # weaver used the reset at 10.0.0.6: new at 10.0.0.7, waits
        login_throttle.authenticate(db, "weaver", "weaver's new passphrase", "10.0.0.7")
    with pytest.raises(TooManyAttempts):  # potter's reset, not used in RESET_FOR, has ended
        login_throttle.authenticate(db, "potter", "potter's new passphrase", "10.0.0.8", now=later)
