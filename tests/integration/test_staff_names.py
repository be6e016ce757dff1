"""Inventory's staff pages and the notifier's alert board named staff by their bare login ("wh-vns-2"): requests now
tells who a staff login is (StaffNamed, on its addition, a new role or a new display name) and they keep a copy."""
from __future__ import annotations

import dataclasses
import re
import uuid
from datetime import datetime, timezone

import pytest

from services import inventory, notifier, requests as requests_service
from services.inventory import consumer as inventory_consumer
from services.inventory import counts, movements
from services.notifier import alerts, domain
from services.notifier import consumer as notifier_consumer
from shared import staff
from shared.auth import COOKIE, issue_token
from shared.config import Config
from shared.envelope import decode_event
from shared.i18n import LANG_COOKIE
from shared.runtime import Runtime
from tests.conftest import wait_until
from tests.integration.test_inventory_support import seed_catalog
from tests.integration.test_password_revokes_tokens import Running

PACKAGES = {"inventory": inventory, "requests": requests_service, "notifier": notifier}
HANDLERS = {"inventory": inventory_consumer.make_handler, "notifier": notifier_consumer.make_handler}
PASSWORD = "a long passphrase"
LEDGER = "/warehouse/ledger?depot=VNS"


@pytest.fixture
def apps(config):
    made = {}
    for name, package in PACKAGES.items():
        runtime = Runtime(package.spec(), config)
        made[name] = package.create_app(config, runtime).test_client(), runtime.db
    made["requests"][1].depots.insert_one({"_id": "VNS", "name": "Varanasi depot"})
    seed_catalog(made["inventory"][1])
    return config, made


class as_admin:
    """The API as an admin ("root", who has no login of its own here) calls it."""

    def __init__(self, config, client):
        self.client, self.headers = client, {"Authorization": "Bearer " + issue_token(config.jwt_secret, sub="root",
                                                                                      role="admin")}

    def post(self, path, **kw):
        return self.client.post(path, headers=self.headers, **kw)

    def patch(self, path, **kw):
        return self.client.patch(path, headers=self.headers, **kw)


def told(db, login):
    """The StaffNamed events about `login` requests has not published yet, in the order written."""
    return [decode_event(e) for doc in db.users.find({"_id": login}) for e in doc.get("outbox", [])
            if e["type"] == "StaffNamed"]


def deliver(made, events):
    for service, handler in HANDLERS.items():
        handle = handler(made[service][1], None)
        for event in events:
            handle(event)


def page(config, client, path, lang="en"):
    client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="boss", role="admin"))
    client.set_cookie(LANG_COOKIE, lang)
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def by_column(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r'data-label="By">(.*?)</td>', html, re.S)]


def test_inventorys_pages_name_a_staff_login_requests_told_of_and_the_others_as_before(apps):
    config, made = apps
    requests_client, requests_db = made["requests"]
    answer = as_admin(config, requests_client).post("/api/v1/users", json={
        "username": "wh-vns-2", "password": PASSWORD, "role": "warehouse", "depot": "VNS", "name": "Suresh Yadav",
        "name_hi": "सुरेश यादव"})
    assert answer.status_code == 201, answer.get_json()
    assert (answer.get_json()["name"], answer.get_json()["name_hi"]) == ("Suresh Yadav", "सुरेश यादव")
    inventory_client, inventory_db = made["inventory"]
    movements.record_movement(inventory_db, {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": 5_000,
                                             "reference": "GRN-1", "supplier": "Sri Ram", "lot": {"code": "L1"}},
                              by="wh-vns-2")
    movements.record_movement(inventory_db, {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": 1_000,
                                             "reference": "GRN-2", "supplier": "Sri Ram", "lot": {"code": "L2"}},
                              by="clerk")
    counts.start(inventory_db, "VNS", by="wh-vns-2")
    assert by_column(page(config, inventory_client, LEDGER)) == ["clerk", "wh-vns-2"]
    events = told(requests_db, "wh-vns-2")
    assert [(e.key, e.data["role"], e.data["name"]) for e in events] == [("wh-vns-2", "warehouse", "Suresh Yadav")]
    deliver(made, events + events)  # a redelivery changes nothing
    assert by_column(page(config, inventory_client, LEDGER)) == \
        ["clerk", "Suresh Yadav (wh-vns-2)"]
    assert "सुरेश यादव (wh-vns-2)" in re.sub(r"<[^>]+>", "", page(config, inventory_client, LEDGER, "hi"))
    assert by_column(page(config, inventory_client, "/warehouse/counts?depot=VNS")) == ["Suresh Yadav (wh-vns-2)"]
    assert staff.known(made["notifier"][1], ["wh-vns-2"]) == {
        "wh-vns-2": {"role": "warehouse", "name": "Suresh Yadav", "name_hi": "सुरेश यादव"}}


def test_the_alert_board_names_who_acknowledged_and_resolved_an_alert_by_hand(apps):
    """The board, the API and its script read "Acknowledged by Suresh Yadav (wh-vns-2)", not the bare login; a
    login requests told nothing of reads as before."""
    config, made = apps
    requests_client, requests_db = made["requests"]
    assert as_admin(config, requests_client).post("/api/v1/users", json={
        "username": "wh-vns-2", "password": PASSWORD, "role": "warehouse", "depot": "VNS", "name": "Suresh Yadav",
        "name_hi": "सुरेश यादव"}).status_code == 201
    client, db = made["notifier"]
    now = datetime.now(timezone.utc)
    ids = [alerts.raise_alert(db, domain.LOW_STOCK, depot="VNS", sku=sku, cause=f"c-{sku}", at=now,
                              details={"available": 1_000, "reorder_level": 5_000}) for sku in ("YRN", "DYE")]
    alerts.acknowledge(db, ids[0], by="wh-vns-2", note="ordering", at=now)
    alerts.resolve(db, ids[0], by="wh-vns-2", note="came in", at=now)
    alerts.acknowledge(db, ids[1], by="clerk", note="looking", at=now)
    def board(status, lang="en"):
        return re.sub(r"<[^>]+>", "", page(config, client, f"/admin/alerts?status={status}", lang))
    assert "Acknowledged by wh-vns-2: ordering" in board("resolved")
    deliver(made, told(requests_db, "wh-vns-2"))
    assert "Acknowledged by Suresh Yadav (wh-vns-2): ordering" in board("resolved")
    assert "Resolved by Suresh Yadav (wh-vns-2) on " in board("resolved")
    assert "Acknowledged by clerk: looking" in board("acknowledged")
    assert "सुरेश यादव (wh-vns-2)" in re.sub(r"<[^>]+>", "", page(config, client, f"/admin/alerts/{ids[0]}", "hi"))
    answer = client.get(f"/api/v1/alerts/{ids[0]}", headers={"Authorization": "Bearer " + issue_token(
        config.jwt_secret, sub="boss", role="admin")}).get_json()
    assert answer["acknowledged"]["by_words"] == answer["resolved"]["by_words"] == {
        "en": "Suresh Yadav (wh-vns-2)", "hi": "सुरेश यादव (wh-vns-2)"}


def test_a_new_name_or_role_is_told_and_the_newest_wins_whatever_order_and_repeats(apps):
    config, made = apps
    requests_client, requests_db = made["requests"]
    requests_client = as_admin(config, requests_client)
    for login in ("root", "asha"):  # root: an admin left when asha steps back
        assert requests_client.post("/api/v1/users", json={"username": login, "password": PASSWORD,
                                                           "role": "admin"}).status_code == 201
    first = told(requests_db, "asha")
    renamed = requests_client.patch("/api/v1/users/asha", json={"name": "Asha Rai", "name_hi": "आशा राय"})
    assert renamed.status_code == 200 and renamed.get_json()["name"] == "Asha Rai"
    moved = requests_client.patch("/api/v1/users/asha", json={"role": "warehouse", "depot": "VNS"})
    assert moved.status_code == 200, moved.get_json()
    events = told(requests_db, "asha")
    assert [(e.data["role"], e.data["name"]) for e in events] == [("admin", None), ("admin", "Asha Rai"),
                                                                  ("warehouse", "Asha Rai")]
    assert first == events[:1]
    deliver(made, list(reversed(events)) + events[:2])  # the newest first, the older ones late and again
    for service in HANDLERS:
        assert staff.known(made[service][1], ["asha"])["asha"] == {"role": "warehouse", "name": "Asha Rai",
                                                                   "name_hi": "आशा राय"}, service
    unnamed = requests_client.patch("/api/v1/users/asha", json={"name": "", "name_hi": None})
    assert unnamed.status_code == 200 and unnamed.get_json()["name"] is None
    deliver(made, told(requests_db, "asha")[-1:])
    assert staff.known(made["inventory"][1], ["asha"])["asha"] == {"role": "warehouse", "name": None, "name_hi": None}


def test_an_admins_role_change_undone_as_the_last_admin_tells_the_role_back(apps):
    config, made = apps
    requests_client, requests_db = made["requests"]
    requests_client = as_admin(config, requests_client)
    assert requests_client.post("/api/v1/users", json={"username": "only", "password": PASSWORD, "role": "admin",
                                                       "name": "Meena Singh"}).status_code == 201
    refused = requests_client.patch("/api/v1/users/only", json={"role": "warehouse"})
    assert refused.status_code == 422 and refused.get_json()["error"]["code"] == "last_admin"
    events = told(requests_db, "only")
    assert [(e.data["role"], e.data["name"]) for e in events] == [
        ("admin", "Meena Singh"), ("warehouse", "Meena Singh"), ("admin", "Meena Singh")]  # told, then told back
    deliver(made, events)
    assert staff.known(made["inventory"][1], ["only"])["only"]["role"] == "admin"


def test_the_users_page_shows_and_asks_the_display_name(apps):
    config, made = apps
    requests_client, requests_db = made["requests"]
    assert as_admin(config, requests_client).post("/api/v1/users", json={
        "username": "wh-vns-2", "password": PASSWORD, "role": "warehouse", "depot": "VNS", "name": "Suresh Yadav",
        "name_hi": "सुरेश यादव"}).status_code == 201
    html = page(config, requests_client, "/admin/users")
    row = re.search(r'<tr data-user="wh-vns-2">.*?</tr>', html, re.S).group(0)
    assert "Suresh Yadav</span>" in row and 'name="name" maxlength="200" autocomplete="off" value="Suresh Yadav"' in row
    assert 'value="सुरेश यादव"' in row and "Change the display name" in row
    assert 'id="new-name" name="name"' in html  # the form that adds a login asks it too
    assert "सुरेश यादव</span>" in page(config, requests_client, "/admin/users", "hi")


def test_a_bad_display_name_is_refused_and_changes_nothing(apps):
    config, made = apps
    requests_client, requests_db = made["requests"]
    requests_client = as_admin(config, requests_client)
    assert requests_client.post("/api/v1/users", json={"username": "ravi", "password": PASSWORD,
                                                       "role": "admin"}).status_code == 201
    before = requests_db.users.find_one({"_id": "ravi"})
    for body in ({"name": "x" * 201}, {"name_hi": "a\x00b"}):
        answer = requests_client.patch("/api/v1/users/ravi", json=body)
        assert answer.status_code == 400 and answer.get_json()["error"]["code"] == "validation_error", body
    assert requests_db.users.find_one({"_id": "ravi"}) == before


@pytest.mark.broker
def test_a_staff_name_reaches_inventory_through_the_broker(broker, tmp_path, monkeypatch):
    """The event goes out by requests' relay and inventory's consumer keeps it, as the artisans' copies do."""
    monkeypatch.delenv("MONGO_URI", raising=False)
    config = Config.from_env({}, data_dir=str(tmp_path), kafka_bootstrap_servers=broker, consumer_backoff_ms=10,
                             relay_interval_ms=20, kafka_max_poll_interval_ms=10000)
    suffix = uuid.uuid4().hex[:8]
    running = {"requests": Running(requests_service.spec(), requests_service, config).start_worker(),
               "inventory": Running(dataclasses.replace(inventory.spec(), name=f"inventory-{suffix}"), inventory,
                                    config).start_worker()}
    try:
        login = f"wh-{suffix}"
        running["requests"].runtime.db.depots.insert_one({"_id": "VNS"})
        answer = as_admin(config, running["requests"].client).post("/api/v1/users", json={
            "username": login, "password": PASSWORD, "role": "warehouse", "depot": "VNS", "name": "Suresh Yadav"})
        assert answer.status_code == 201, answer.get_json()
        db = running["inventory"].runtime.db
        wait_until(lambda: staff.known(db, [login]).get(login, {}).get("name") == "Suresh Yadav", 60,
                   message="inventory hears who the login is")
        wait_until(lambda: not told(running["requests"].runtime.db, login), 30, message="the outbox drained")
    finally:
        for one in running.values():
            one.stop()


def _unnamed_login(db, login, **fields):
    """A staff login as one stored before StaffNamed was: no event told, no mark."""
    db.users.insert_one({"_id": login, "role": "warehouse", "depot": "VNS", "password_hash": "x", **fields})


@pytest.mark.broker
def test_a_staff_login_never_told_is_told_once_at_start_and_reaches_inventory(broker, tmp_path, monkeypatch):
    """Logins from before StaffNamed (or never told) are told when requests starts: its event reaches inventory's
    copy; a second start tells nothing more."""
    monkeypatch.delenv("MONGO_URI", raising=False)
    config = Config.from_env({}, data_dir=str(tmp_path), kafka_bootstrap_servers=broker, consumer_backoff_ms=10,
                             relay_interval_ms=20, kafka_max_poll_interval_ms=10000)
    suffix = uuid.uuid4().hex[:8]
    login = f"old-{suffix}"
    before = Runtime(requests_service.spec(), config)
    _unnamed_login(before.db, login, name="Meena Devi", name_hi="मीना देवी")
    before.close()
    running = {"requests": Running(requests_service.spec(), requests_service, config).start_worker(),
               "inventory": Running(dataclasses.replace(inventory.spec(), name=f"inventory-{suffix}"), inventory,
                                    config).start_worker()}
    try:
        db = running["inventory"].runtime.db
        wait_until(lambda: staff.known(db, [login]).get(login, {}).get("name") == "Meena Devi", 60,
                   message="inventory hears who the old login is")
        wait_until(lambda: not told(running["requests"].runtime.db, login), 30, message="the outbox drained")
    finally:
        running.pop("requests").stop()
    try:
        running["requests"] = Running(requests_service.spec(), requests_service, config)  # the second start
        assert running["requests"].runtime.db.users.find_one({"_id": login})["staff_told"] is True
        assert told(running["requests"].runtime.db, login) == []  # not told again
    finally:
        for one in running.values():
            one.stop()


def test_telling_the_untold_is_once_per_login_whatever_crashes_and_repeats(apps):
    """Each login's mark and event are one write: a pass run again (a crash before the pass was marked done, two
    processes at once) tells no login twice, nor one told when it was added or renamed, nor an artisan."""
    from services.requests import staff_names
    config, made = apps
    requests_client, db = made["requests"]
    _unnamed_login(db, "old-1", name="Meena Devi")
    _unnamed_login(db, "old-2")
    db.users.insert_one({"_id": "art", "role": "artisan", "artisan_id": "ART-1", "password_hash": "x"})
    assert as_admin(config, requests_client).post("/api/v1/users", json={
        "username": "new", "password": PASSWORD, "role": "admin"}).status_code == 201
    assert staff_names.tell_untold(db) == 2
    assert staff_names.tell_untold(db) == 0
    assert [(e.data["login"], e.data["role"], e.data["name"]) for login in ("old-1", "old-2", "new", "art")
            for e in told(db, login)] == [("old-1", "warehouse", "Meena Devi"), ("old-2", "warehouse", None),
                                         ("new", "admin", None)]
    db.backfills.delete_many({})
    assert staff_names.at_start(db) == 0 and staff_names.at_start(db) == 0
    assert len(told(db, "old-1")) == 1


def test_the_demos_staff_are_named_on_inventorys_pages_in_both_languages(apps):
    """`rawbank dev --demo`: the ledger reads "Meena Devi (warehouse)", not "the depot clerk (warehouse)"."""
    from services.requests import seed
    config, made = apps
    requests_db = made["requests"][1]
    seed.seed(requests_db, config)
    events = [e for login in ("admin", "warehouse") for e in told(requests_db, login)]
    assert [(e.data["login"], e.data["name"], e.data["name_hi"]) for e in events] == [
        ("admin", "Kavita Rao", "कविता राव"), ("warehouse", "Meena Devi", "मीना देवी")]
    deliver(made, events)
    inventory_client, inventory_db = made["inventory"]
    movements.record_movement(inventory_db, {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": 5_000,
                                             "reference": "GRN-1", "supplier": "Sri Ram", "lot": {"code": "L1"}},
                              by="warehouse")
    assert by_column(page(config, inventory_client, LEDGER)) == ["Meena Devi (warehouse)"]
    assert "मीना देवी (warehouse)" in re.sub(r"<[^>]+>", "", page(config, inventory_client, LEDGER, "hi"))


def test_a_list_page_looks_its_staff_up_in_one_query(apps, monkeypatch):
    """The ledger and the counts name every staff login they show from one query of the copies, not one per login."""
    import mongomock.collection
    config, made = apps
    requests_client = as_admin(config, made["requests"][0])
    for login, name in (("wh-1", "Suresh Yadav"), ("wh-2", "Meena Devi")):
        assert requests_client.post("/api/v1/users", json={"username": login, "password": PASSWORD,
                                                           "role": "warehouse", "depot": "VNS",
                                                           "name": name}).status_code == 201
        deliver(made, told(made["requests"][1], login))
    inventory_client, inventory_db = made["inventory"]
    for number, login in enumerate(("wh-1", "wh-2", "clerk", "wh-1", "seed")):
        movements.record_movement(inventory_db, {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": 1_000,
                                                 "reference": f"GRN-{number}", "supplier": "Sri Ram",
                                                 "lot": {"code": f"L{number}"}}, by=login)
        if login.startswith("wh-"):
            counts.start(inventory_db, "VNS", by=login)
    asked = []
    real_find = mongomock.collection.Collection.find

    def find(self, *args, **kwargs):
        if self.name == staff.COLLECTION:
            asked.append(args[0] if args else kwargs.get("filter"))
        return real_find(self, *args, **kwargs)

    monkeypatch.setattr(mongomock.collection.Collection, "find", find)
    assert by_column(page(config, inventory_client, LEDGER)) == [
        "the demo data", "Suresh Yadav (wh-1)", "clerk", "Meena Devi (wh-2)", "Suresh Yadav (wh-1)"]
    assert asked == [{"_id": {"$in": ["clerk", "wh-1", "wh-2"]}}]
    asked.clear()
    assert by_column(page(config, inventory_client, "/warehouse/counts?depot=VNS")) == [
        "Suresh Yadav (wh-1)", "Meena Devi (wh-2)", "Suresh Yadav (wh-1)"]
    assert asked == [{"_id": {"$in": ["wh-1", "wh-2"]}}]
