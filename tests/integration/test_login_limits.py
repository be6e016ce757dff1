"""The login limits hold under parallel guessing and slow an attacker without locking out the people
behind the same address (issue 13, findings 2 and 3)."""
from __future__ import annotations

import threading
from collections import Counter

import pytest

from services import requests as requests_service
from services.requests import login_throttle, users
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
    start, statuses = threading.Barrier(150), Counter()

    def guess(n):
        client = app.test_client()
        start.wait()
        statuses[login(client, "admin", f"guess-{n}").status_code] += 1
    threads = [threading.Thread(target=guess, args=(n,)) for n in range(150)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == {401: login_throttle.PER_USER_AND_ADDRESS, 429: 150 - login_throttle.PER_USER_AND_ADDRESS}


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
