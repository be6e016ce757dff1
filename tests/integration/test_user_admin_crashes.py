"""A login's deactivation or change of role killed between its writes (services/requests/login_changes.py): the
next start, login or look at the Users page finishes or undoes it, never leaving the bank without an active admin
nor a changed login with its old tokens alive; sent again, it is applied once. Two admins changing each other at
once are never both let through."""
from __future__ import annotations

import threading

import pytest

from services.requests import create_app, user_admin, users
from services.requests.errors import LastAdmin
from shared.auth import COOKIE, Principal, issue_token
from tests.integration.test_requests_support import client  # noqa: F401  (fixture)
from tests.integration.test_user_admin import PASSWORD, admin, bearer, log_in, stored  # noqa: F401,F811  (fixture)

CHANGES = {"deactivated": {"active": False}, "made warehouse staff": {"role": "warehouse", "depot": "VNS"}}
#: where the process dies: before the n-th call of a method on a collection (the write of the change is the first
#: update_one of users; the tokens end with the first update_one of revoked_tokens)
AFTER_THE_WRITE = ("users", "count_documents", 1)
AFTER_THE_COUNT = ("users", "update_one", 2)  # before the undo, or before the mark goes once the tokens ended
BEFORE_THE_TOKENS_END = ("revoked_tokens", "update_one", 1)


class Killed(Exception):
    """The process died here."""


class Dying:
    """The requests store, but the process dies just before the n-th call of `method` on `collection`."""

    def __init__(self, db, collection: str, method: str, n: int):
        self._db, self._collection, self._method, self._n, self._calls = db, collection, method, n, 0

    def __getattr__(self, name):
        return self[name]

    def __getitem__(self, name):
        target = self._db[name]
        return _DyingCollection(target, self) if name == self._collection else target


class _DyingCollection:
    def __init__(self, target, dying: Dying):
        self._target, self._dying = target, dying

    def __getattr__(self, name):
        value = getattr(self._target, name)
        if name != self._dying._method:
            return value

        def call(*args, **kwargs):
            self._dying._calls += 1
            if self._dying._calls == self._dying._n:
                raise Killed()
            return value(*args, **kwargs)
        return call


def change(db, by: str, username: str, body: dict):
    """What PATCH /users/{username} does with `body`, as `by`."""
    principal, ttl = Principal(sub=by, role="admin"), 3600
    if "role" in body:
        return user_admin.change_role(db, principal, username, body["role"], body["depot"], token_ttl=ttl)
    return user_admin.set_active(db, principal, username, body["active"], token_ttl=ttl)


def killed_at(client, where, by: str, username: str, body: dict) -> None:
    with pytest.raises(Killed):
        change(Dying(client.db, *where), by, username, body)
    assert "pending" in stored(client, username)  # the change is half done


def outside(client) -> dict:
    """An admin's token from `rawbank token`: no login of theirs counts as an admin."""
    return bearer(issue_token(client.app.config["RAWBANK"].jwt_secret, sub="ops", role="admin"))


def restart(client) -> None:
    """The service starts again over the store the killed one left."""
    create_app(client.app.config["RAWBANK"], client.app.extensions["rawbank"])


@pytest.mark.parametrize("next_one", ["the service starts again", "the admin logs in", "the Users page is looked at"])
@pytest.mark.parametrize("where", [AFTER_THE_WRITE, AFTER_THE_COUNT], ids=["after the write", "after the count"])
@pytest.mark.parametrize("what", CHANGES)
def test_the_last_admin_changed_and_killed_is_an_active_admin_again_and_refused_when_sent_again(
        client, admin, what, where, next_one):
    before = told_apart(client)
    killed_at(client, where, "ops", "asha", CHANGES[what])
    if next_one == "the service starts again":
        restart(client)
    elif next_one == "the admin logs in":
        assert log_in(client, "asha", PASSWORD).status_code == 200
    else:
        client.call("GET", "/users", outside(client), status=200)
    assert told_apart(client) == before  # undone whole: no admin-less bank, no mark left
    client.call("GET", "/users", admin, status=200)  # asha's tokens did not end
    again = client.call("PATCH", "/users/asha", outside(client), CHANGES[what], status=422).get_json()["error"]
    assert again["code"] == "last_admin" and "asha is the last active admin" in again["message"]
    assert told_apart(client) == before


def told_apart(client) -> tuple[list, dict]:
    """The logins without their outboxes, and the role each staff login's events last told (StaffNamed): a role
    change undone tells the role back, so the other services end where the login is."""
    docs = list(client.db.users.find())
    return ([{k: v for k, v in doc.items() if k != "outbox"} for doc in docs],
            {doc["_id"]: doc["outbox"][-1]["payload"]["role"] for doc in docs if doc.get("outbox")})


@pytest.mark.parametrize("where", [AFTER_THE_WRITE, BEFORE_THE_TOKENS_END, AFTER_THE_COUNT],
                         ids=["after the write", "before the tokens end", "after the tokens ended"])
@pytest.mark.parametrize("what", CHANGES)
def test_an_admin_changed_and_killed_is_changed_once_with_their_tokens_ended(client, admin, what, where):
    users.add_user(client.db, username="bina", password=PASSWORD, role="admin")
    earlier = bearer(log_in(client, "bina", PASSWORD, address="10.9.0.7").get_json()["access_token"])
    killed_at(client, where, "asha", "bina", CHANGES[what])
    restart(client)
    done = stored(client, "bina")
    assert "pending" not in done
    assert done["active"] is False if what == "deactivated" else (done["role"], done["depot"]) == ("warehouse", "VNS")
    client.call("GET", "/users", earlier, status=401)  # the tokens bina had ended
    client.call("GET", "/users", admin, status=200)
    client.call("PATCH", "/users/bina", admin, CHANGES[what], status=200)  # sent again: applied once
    assert stored(client, "bina") == done


def test_a_change_left_half_done_is_finished_before_the_next_is_counted(client, admin):
    """bina's deactivation, killed, stands once counted (asha is active); asha's then finds no admin after it."""
    users.add_user(client.db, username="bina", password=PASSWORD, role="admin")
    killed_at(client, AFTER_THE_WRITE, "asha", "bina", CHANGES["deactivated"])
    refused = client.call("PATCH", "/users/asha", outside(client), {"active": False}, status=422).get_json()
    assert refused["error"]["code"] == "last_admin"
    assert stored(client, "bina")["active"] is False and "pending" not in stored(client, "bina")
    assert "active" not in stored(client, "asha") and "pending" not in stored(client, "asha")


class CountingTogether(Dying):
    """The store, but the first two counts of active admins wait for each other: both changes (or one, and a look at
    the other's half-done change) have written before either counts."""

    def __init__(self, db):
        super().__init__(db, "users", "count_documents", 0)
        self.barrier, self.lock = threading.Barrier(2), threading.Lock()

    def __getitem__(self, name):
        target = self._db[name]
        return _CountingTogether(target, self) if name == "users" else target


class _CountingTogether(_DyingCollection):
    def __getattr__(self, name):
        value = getattr(self._target, name)
        if name != "count_documents":
            return value

        def count(*args, **kwargs):
            with self._dying.lock:
                self._dying._calls += 1
                first_two = self._dying._calls <= 2
            if first_two:
                self._dying.barrier.wait()
            return value(*args, **kwargs)
        return count


@pytest.mark.parametrize("what", CHANGES)
def test_two_admins_changing_each_other_at_once_are_never_both_let_through(client, admin, what):
    users.add_user(client.db, username="bina", password=PASSWORD, role="admin")
    together, results = CountingTogether(client.db), [None, None]

    def run(i, by, username):
        try:
            results[i] = change(together, by, username, CHANGES[what])
        except LastAdmin as refused:
            results[i] = refused
    threads = [threading.Thread(target=run, args=(0, "asha", "bina")),
               threading.Thread(target=run, args=(1, "bina", "asha"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [type(result) for result in results].count(LastAdmin) >= 1, results  # never both let through
    assert client.db.users.count_documents({"role": "admin", "active": {"$ne": False}}) >= 1
    assert client.db.users.count_documents({"pending": {"$exists": True}}) == 0
    for result, username in zip(results, ("bina", "asha")):
        if isinstance(result, LastAdmin):  # refused: as it was
            assert (stored(client, username)["role"], "active" in stored(client, username)) == ("admin", False)


class LookingForPending:
    """The requests store, counting the look-ups for changes of a login left pending (login_changes.settle)."""

    def __init__(self, db):
        self._db, self.lookups = db, 0

    def __getattr__(self, name):
        return self[name]

    def __getitem__(self, name):
        target = self._db[name]
        return _LookingForPending(target, self) if name == "users" else target


class _LookingForPending:
    def __init__(self, target, looking: LookingForPending):
        self._target, self._looking = target, looking

    def __getattr__(self, name):
        return getattr(self._target, name)

    def find(self, query=None, *args, **kwargs):
        if "pending.id" in (query or {}):
            self._looking.lookups += 1
        return self._target.find(query, *args, **kwargs)


@pytest.mark.parametrize("request_", ["the Users page", "GET /users", "a role given again with a depot",
                                      "a role and active at once"])
def test_a_request_settles_the_changes_left_pending_once(client, admin, request_):
    """The Users page counts the logins, then reads a page of them; the API the other way round; a role given again
    with a depot is a move to it; a PATCH may change the role and deactivate. Each looked for the changes left
    pending more than once in one request; now once, before it reads, and a change a crash left is still settled."""
    users.add_user(client.db, username="bina", password=PASSWORD, role="admin")
    killed_at(client, AFTER_THE_WRITE, "asha", "bina", CHANGES["deactivated"])
    runtime = client.app.extensions["rawbank"]
    real, runtime.db = runtime.db, LookingForPending(runtime.db)
    try:
        if request_ == "the Users page":
            client.http.set_cookie(COOKIE, admin["Authorization"].split()[1])
            assert client.http.get("/admin/users").status_code == 200
        elif request_ == "GET /users":
            client.call("GET", "/users", admin, status=200)
        elif request_ == "a role given again with a depot":
            client.call("PATCH", "/users/ravi", admin, {"role": "warehouse", "depot": "BHD"}, status=200)
        else:
            client.call("PATCH", "/users/ravi", admin, {"role": "admin", "active": False}, status=200)
        looked = runtime.db.lookups
    finally:
        runtime.db = real
    assert looked == 1
    assert stored(client, "bina")["active"] is False and "pending" not in stored(client, "bina")
