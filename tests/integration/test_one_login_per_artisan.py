"""An artisan has one login: a second one was almost always a clerk who did not see the artisan registered already,
and two logins split who answered what. A new login (or a reactivated one) for an artisan with an active login is
refused with 409 artisan_has_login naming it, in English and Hindi, and nothing is stored; a deactivated login does
not count. Two added at once (two clerks) are never both stored."""
from __future__ import annotations

import threading

import pytest

from services.requests import user_admin, users
from services.requests.errors import ArtisanHasLogin
from shared.auth import Principal
from tests.integration.test_requests_support import at_once, client  # noqa: F401  (fixture)
from tests.integration.test_user_admin import HI, PASSWORD, admin, log_in  # noqa: F401  (fixture)


def new_login(username, **artisan):
    return {"username": username, "password": f"{username}'s passphrase", "role": "artisan", **artisan}


@pytest.fixture
def meera(client, admin):
    """ART-0001 registered, with their login `meera`."""
    client.register("ART-0001")
    client.register("ART-0002")
    client.call("POST", "/users", admin, new_login("meera", artisan_id="ART-0001"), status=201)
    return "meera"


@pytest.mark.parametrize("named", [{"artisan_id": "ART-0001"}, {"artisan": "Artisan ART-0001"},
                                   {"artisan": "Artisan ART-0001 · Varanasi · weaving · ART-0001"}])
def test_a_second_login_for_an_artisan_is_refused_naming_the_first_and_stores_nothing(client, admin, meera, named):
    before = list(client.db.users.find())
    refused = client.call("POST", "/users", admin, new_login("meera2", **named), status=409).get_json()["error"]
    assert refused["code"] == "artisan_has_login" and refused["details"] == {"artisan_id": "ART-0001",
                                                                             "login": "meera"}
    assert "ART-0001 already has a login: meera" in refused["message"]
    assert "give meera a new password on the Users page" in refused["message"]
    assert "deactivate meera there first" in refused["message"]
    in_hindi = client.call("POST", "/users", admin, new_login("meera2", **named), headers=HI,
                           status=409).get_json()["error"]["message"]
    assert "meera" in in_hindi and "नया पासवर्ड" in in_hindi and "निष्क्रिय" in in_hindi, in_hindi
    assert list(client.db.users.find()) == before
    assert log_in(client, "meera", "meera's passphrase").status_code == 200  # theirs, as it was


def test_another_artisans_login_and_staff_logins_are_added_as_before(client, admin, meera):
    client.call("POST", "/users", admin, new_login("sita", artisan_id="ART-0002"), status=201)
    client.call("POST", "/users", admin, {"username": "clerk", "password": PASSWORD, "role": "warehouse"},
                status=201)
    client.call("POST", "/users", admin, {"username": "boss", "password": PASSWORD, "role": "admin"}, status=201)


def test_a_deactivated_login_does_not_count_but_is_not_reactivated_beside_the_new_one(client, admin, meera):
    client.call("PATCH", "/users/meera", admin, {"active": False}, status=200)
    client.call("POST", "/users", admin, new_login("meera-new", artisan_id="ART-0001"), status=201)
    before = list(client.db.users.find())
    refused = client.call("PATCH", "/users/meera", admin, {"active": True}, status=409).get_json()["error"]
    assert refused["code"] == "artisan_has_login", refused
    assert refused["details"] == {"artisan_id": "ART-0001", "login": "meera-new", "username": "meera"}
    assert "deactivate meera-new first, then reactivate meera" in refused["message"]
    in_hindi = client.call("PATCH", "/users/meera", admin, {"active": True}, headers=HI,
                           status=409).get_json()["error"]["message"]
    assert "meera-new" in in_hindi and "निष्क्रिय" in in_hindi, in_hindi
    assert list(client.db.users.find()) == before
    assert log_in(client, "meera", "meera's passphrase").get_json()["error"]["code"] == "login_deactivated"
    client.call("PATCH", "/users/meera-new", admin, {"active": False}, status=200)
    assert client.call("PATCH", "/users/meera", admin, {"active": True}, status=200).get_json()["active"] is True
    client.call("PATCH", "/users/meera", admin, {"active": True}, status=200)  # active already: no change
    client.call("POST", "/users", admin, new_login("meera3", artisan_id="ART-0001"), status=409)


def test_a_login_stored_before_the_rule_still_counts(client, admin):
    """Logins stored before carry no ONE_LOGIN key: they are found by their fields, and two stored before both
    stay (each can still be deactivated)."""
    client.register("ART-0001")
    for name in ("old-1", "old-2"):
        client.db.users.insert_one({"_id": name, "role": "artisan", "artisan_id": "ART-0001", "depot": None,
                                    "cooperative": None, "password_hash": users._hasher.hash(PASSWORD)})
    refused = client.call("POST", "/users", admin, new_login("meera", artisan_id="ART-0001"), status=409)
    assert refused.get_json()["error"]["details"]["login"] == "old-1"
    client.call("PATCH", "/users/old-1", admin, {"active": False}, status=200)
    client.call("PATCH", "/users/old-1", admin, {"active": True}, status=409)  # old-2 is theirs now
    client.call("PATCH", "/users/old-2", admin, {"active": False}, status=200)
    client.call("POST", "/users", admin, new_login("meera", artisan_id="ART-0001"), status=201)


class WritesTogether:
    """The requests store, but the first two writes of logins wait for each other: each was checked (no active
    login of the artisan yet) before either is stored, as two clerks' at the same moment may be."""

    def __init__(self, db):
        self._db, self.barrier = db, threading.Barrier(2, timeout=10)

    def __getattr__(self, name):
        return _Users(self._db.users, self.barrier) if name == "users" else getattr(self._db, name)

    def __getitem__(self, name):
        return self._db[name]


class _Users:
    def __init__(self, users, barrier):
        self._users, self._barrier, self._lock, self._writes = users, barrier, threading.Lock(), 0

    def __getattr__(self, name):
        value = getattr(self._users, name)
        if name not in ("insert_one", "update_one"):
            return value

        def write(*args, **kwargs):
            with self._lock:
                self._writes += 1
                first_two = self._writes <= 2
            if first_two:
                self._barrier.wait()
            return value(*args, **kwargs)
        return write


@pytest.mark.parametrize("second", ["added", "reactivated"])
def test_two_logins_for_one_artisan_at_once_are_never_both_stored(client, admin, second):
    client.register("ART-0001")
    if second == "reactivated":
        users.add_user(client.db, username="old", password=PASSWORD, role="artisan", artisan_id="ART-0001")
        user_admin.set_active(client.db, Principal("asha", "admin"), "old", False, token_ttl=60)
    together = WritesTogether(client.db)
    results = at_once(
        lambda: user_admin.add(together, new_login("first", artisan_id="ART-0001")),
        lambda: user_admin.add(together, new_login("second", artisan_id="ART-0001")) if second == "added" else
        user_admin.set_active(together, Principal("asha", "admin"), "old", True, token_ttl=60))
    assert [isinstance(result, ArtisanHasLogin) for result in results].count(True) == 1, results
    active = client.db.users.find({"artisan_id": "ART-0001", "active": {"$ne": False}})
    assert len(list(active)) == 1
