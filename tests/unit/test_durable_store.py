"""The embedded store: each call all-or-nothing, every change on disk, the file read back exactly."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading

import mongomock
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from pymongo.errors import DuplicateKeyError, PyMongoError

from shared import durable_store
from shared.datadir import DataDir, DataDirError
from shared.durable_store import FORMAT, DurableStore, StoreWriteError
from shared.mongo import connect
from tests.devserver import ROOT


def stock_on_disk(path) -> list[dict]:
    """The stock documents a store opened anew on `path` holds; closed again (its writer threads too)."""
    opened = DurableStore(path)
    try:
        return list(opened.client.rawbank_test.stock.find())
    finally:
        opened.client.close()
        opened.close()


@pytest.fixture(params=["memory", "durable"])
def store(request, tmp_path):
    """(database, reopen) for the in-memory and the durable embedded store."""
    if request.param == "memory":
        yield connect("mongomock://localhost").rawbank_test, None
        return
    opened = [DurableStore(tmp_path / "test.sqlite")]

    def reopen():
        opened[-1].client.close()
        opened[-1].close()
        opened.append(DurableStore(tmp_path / "test.sqlite"))
        return opened[-1].client.rawbank_test

    yield opened[0].client.rawbank_test, reopen
    opened[-1].close()


def test_an_update_that_cannot_be_stored_raises_and_changes_nothing(store):
    db, reopen = store
    db.stock.insert_one({"_id": "VNS:YRN", "on_hand": 1000, "ledger": [{"qty": 1000}]})
    with pytest.raises(UnicodeEncodeError):
        db.stock.update_one({"_id": "VNS:YRN"}, {"$inc": {"on_hand": 1000},
                                                 "$push": {"ledger": {"qty": 1000, "reference": "\ud800"}}})
    expected = {"_id": "VNS:YRN", "on_hand": 1000, "ledger": [{"qty": 1000}]}
    assert db.stock.find_one({"_id": "VNS:YRN"}) == expected
    if reopen:
        assert reopen().stock.find_one({"_id": "VNS:YRN"}) == expected


def test_a_multi_document_update_is_undone_whole_when_one_document_cannot_be_stored(store):
    db, reopen = store
    db.counters.insert_many([{"_id": n, "n": 2 ** 62 if n == 3 else n} for n in range(5)])
    with pytest.raises(OverflowError):  # only document 3 leaves the 8-byte range
        db.counters.update_many({}, {"$inc": {"n": 2 ** 62}})
    expected = [{"_id": n, "n": 2 ** 62 if n == 3 else n} for n in range(5)]
    assert list(db.counters.find().sort("_id")) == expected
    if reopen:
        assert list(reopen().counters.find().sort("_id")) == expected


def test_mongomocks_own_errors_keep_mongodbs_partial_effects(store):
    db, reopen = store
    db.users.create_index("name", unique=True)
    with pytest.raises(Exception):
        db.users.insert_many([{"_id": 1, "name": "a"}, {"_id": 2, "name": "a"}, {"_id": 3, "name": "c"}])
    assert [d["_id"] for d in db.users.find()] == [1]  # ordered insert: MongoDB keeps what came before
    with pytest.raises(DuplicateKeyError):
        db.users.insert_one({"_id": 1, "name": "z"})
    if reopen:
        assert list(reopen().users.find()) == [{"_id": 1, "name": "a"}]


def test_an_update_mongomock_rolls_back_leaves_the_document_as_it_was_and_the_next_one_applies(store):
    """mongomock puts back its snapshot when an update breaks a unique index or changes the _id; that snapshot is
    the journal's copy (one copy of the document per update, not two), so neither may be the changed document."""
    db, reopen = store
    db.users.create_index("name", unique=True)
    db.users.insert_many([{"_id": 1, "name": "a", "tags": ["x"]}, {"_id": 2, "name": "b", "tags": []}])
    with pytest.raises(DuplicateKeyError):
        db.users.update_one({"_id": 2}, {"$set": {"name": "a"}, "$push": {"tags": "y"}})
    with pytest.raises(PyMongoError):
        db.users.update_one({"_id": 1}, {"$set": {"_id": 9}, "$push": {"tags": "y"}})
    assert list(db.users.find().sort("_id")) == [{"_id": 1, "name": "a", "tags": ["x"]},
                                                 {"_id": 2, "name": "b", "tags": []}]
    db.users.update_one({"_id": 2}, {"$push": {"tags": "z"}})
    db.users.update_one({"_id": 1}, {"$set": {"name": "d"}})
    expected = [{"_id": 1, "name": "d", "tags": ["x"]}, {"_id": 2, "name": "b", "tags": ["z"]}]
    assert list(db.users.find().sort("_id")) == expected
    assert db.users.find_one({"name": "a"}) is None and db.users.find_one({"name": "b"})["_id"] == 2
    if reopen:
        assert list(reopen().users.find().sort("_id")) == expected


def test_a_write_the_disk_refuses_puts_memory_back_to_the_disk_and_the_store_takes_no_more_writes(tmp_path):
    store = DurableStore(tmp_path / "test.sqlite")
    db = store.client.rawbank_test
    db.stock.insert_one({"_id": "a", "on_hand": 1})
    store.sync()
    store.sqlite.execute("PRAGMA query_only = 1")  # SQLite now refuses every write, as a failing disk would
    db.stock.update_one({"_id": "a"}, {"$inc": {"on_hand": 5}})  # made in memory, queued for the disk
    with pytest.raises(StoreWriteError, match="restart rawbank"):
        store.sync()  # the disk refused it: nobody hears it was done
    assert list(db.stock.find()) == [{"_id": "a", "on_hand": 1}]  # memory holds what the disk holds, as after a crash
    store.sqlite.execute("PRAGMA query_only = 0")
    with pytest.raises(StoreWriteError):  # a request's later calls cannot land without its earlier ones
        db.stock.insert_one({"_id": "b"})
    assert list(db.stock.find()) == [{"_id": "a", "on_hand": 1}]
    store.client.close()
    store.close()
    again = DurableStore(tmp_path / "test.sqlite")  # a restart trusts the disk again
    assert list(again.client.rawbank_test.stock.find()) == [{"_id": "a", "on_hand": 1}]
    again.client.rawbank_test.stock.insert_one({"_id": "b"})
    again.sync()
    again.client.close()
    again.close()
    assert [d["_id"] for d in stock_on_disk(tmp_path / "test.sqlite")] == ["a", "b"]


def test_a_store_of_a_newer_format_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "test.sqlite"
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {FORMAT + 1}")
    connection.close()
    before = path.read_bytes()
    with pytest.raises(DataDirError, match="newer rawbank"):
        DurableStore(path)
    assert path.read_bytes() == before


def test_a_store_in_use_by_another_process_is_refused(tmp_path):
    first = DurableStore(tmp_path / "test.sqlite")
    with pytest.raises(DataDirError, match="in use by another running rawbank"):
        DurableStore(tmp_path / "test.sqlite")
    first.close()


def test_a_store_held_under_a_running_rawbank_dev_names_that_one_to_stop(tmp_path):
    """`rawbank user add` while `rawbank dev` ran named the requests service's process (a gunicorn worker) as the one
    to stop; the one to stop is `rawbank dev`, which holds the directory's own lock."""
    data = DataDir(tmp_path)
    data.prepare()
    dev = subprocess.Popen([sys.executable, "-c", "import sys, time; from shared.datadir import DataDir; "
                            "DataDir(sys.argv[1]).dev_lock().acquire(); print('held', flush=True); time.sleep(60)",
                            str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert dev.stdout.readline().strip() == "held"
        service = data.store_lock("requests").acquire()  # as the requests service under it holds its store
        try:
            with pytest.raises(DataDirError) as refused:
                data.store_lock("requests").acquire()
            assert f"in use by another running rawbank (pid {dev.pid}). Stop it first" in refused.value.en
        finally:
            service.release()
    finally:
        dev.kill()
        dev.wait()


# A random sequence of store calls, run on the durable store and on plain mongomock.
ids = st.integers(0, 6)
values = st.one_of(st.integers(-5, 5), st.text(max_size=3), st.none(), st.booleans(),
                   st.lists(st.integers(0, 3), max_size=3))
fields_ = st.sampled_from(["a", "b", "c"])
collections = st.sampled_from(["one", "two"])
calls = st.one_of(
    st.tuples(st.just("insert"), collections, ids, st.dictionaries(fields_, values, max_size=3)),
    st.tuples(st.just("set"), collections, ids, st.dictionaries(fields_, values, min_size=1, max_size=2)),
    st.tuples(st.just("inc_many"), collections, fields_, st.integers(-3, 3)),
    st.tuples(st.just("push"), collections, ids, values),
    st.tuples(st.just("unset"), collections, ids, fields_),
    st.tuples(st.just("replace"), collections, ids, st.dictionaries(fields_, values, max_size=2)),
    st.tuples(st.just("upsert"), collections, ids, st.integers(0, 9)),
    st.tuples(st.just("delete"), collections, ids),
    st.tuples(st.just("delete_many"), collections, fields_),
    st.tuples(st.just("bad"), collections, ids),
    st.tuples(st.just("drop"), collections),
)


def _apply(db, call) -> None:
    kind, coll = call[0], db[call[1]]
    try:
        if kind == "insert":
            coll.insert_one({"_id": call[2], **call[3]})
        elif kind == "set":
            coll.update_one({"_id": call[2]}, {"$set": call[3]})
        elif kind == "inc_many":
            coll.update_many({call[2]: {"$type": "int"}}, {"$inc": {call[2]: call[3]}})
        elif kind == "push":
            coll.update_one({"_id": call[2]}, {"$push": {"log": call[3]}})
        elif kind == "unset":
            coll.update_one({"_id": call[2]}, {"$unset": {call[3]: ""}})
        elif kind == "replace":
            coll.replace_one({"_id": call[2]}, call[3])
        elif kind == "upsert":
            coll.find_one_and_update({"_id": call[2]}, {"$inc": {"n": call[3]}}, upsert=True)
        elif kind == "delete":
            coll.delete_one({"_id": call[2]})
        elif kind == "delete_many":
            coll.delete_many({call[2]: {"$exists": True}})
        elif kind == "bad":
            coll.update_one({"_id": call[2]}, {"$set": {"a": "\udfff"}, "$inc": {"n": 1}})
        elif kind == "drop":
            coll.drop()
    except (PyMongoError, TypeError, ValueError):  # mongomock's own refusals, left as they leave things
        pass


def _contents(db) -> dict:
    return {name: {d["_id"]: d for d in db[name].find()} for name in ("one", "two")}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(calls, max_size=40))
def test_a_reload_from_disk_gives_exactly_what_memory_holds(tmp_path_factory, sequence):
    path = tmp_path_factory.mktemp("store") / "test.sqlite"
    durable = DurableStore(path)
    plain = mongomock.MongoClient(tz_aware=True).rawbank_test
    for call in sequence:
        _apply(durable.client.rawbank_test, call)
        if call[0] != "bad":  # plain mongomock half-applies it: the journal undoes it whole
            _apply(plain, call)
    in_memory = _contents(durable.client.rawbank_test)
    assert in_memory == _contents(plain)  # journaling changes no result, only what failed
    durable.client.close()
    durable.close()
    reloaded = DurableStore(path)
    try:
        assert _contents(reloaded.client.rawbank_test) == in_memory
    finally:
        reloaded.close()


def test_calls_made_while_the_disk_is_busy_share_one_transaction_and_one_fsync(tmp_path, monkeypatch):
    synced, entered, release = [], threading.Event(), threading.Event()
    real = os.fdatasync

    def fdatasync(fd):
        entered.set()
        release.wait(10)
        synced.append(fd)
        real(fd)
    monkeypatch.setattr(durable_store.os, "fdatasync", fdatasync)
    store = DurableStore(tmp_path / "test.sqlite")
    db = store.client.rawbank_test
    db.stock.insert_one({"_id": "a"})
    assert entered.wait(10)  # the writer is forcing the first call to the disk
    for n in range(1, 4):
        db.stock.update_one({"_id": "a"}, {"$set": {"n": n}})
    db.stock.delete_one({"_id": "a"})
    db.stock.insert_one({"_id": "a", "n": 4})  # deleted and stored again in one transaction: stored
    commits = store.writer.commits
    release.set()
    store.sync()
    assert len(synced) == 2 and store.writer.commits == commits + 2  # the first call, then the five others together
    store.sync()
    db.stock.find_one({"_id": "a"})
    store.sync()
    assert len(synced) == 2  # nothing new written: nothing to wait for
    store.client.close()
    store.close()
    assert stock_on_disk(tmp_path / "test.sqlite") == [{"_id": "a", "n": 4}]


RECEIPT = {"type": "receipt", "sku": "YRN-COT-40", "depot": "VNS", "quantity": "5"}


def inventory_on(store: DurableStore):
    """The inventory API, with its demo data, over `store`."""
    from services.inventory import create_app, seed, spec
    from shared.config import Config
    from shared.runtime import Runtime
    config = Config.from_env({})
    runtime = Runtime(spec(), config, client=store.client)
    runtime.store = store
    seed.seed(runtime.db, config)
    return create_app(config, runtime).test_client()


def test_a_write_the_disk_refuses_is_answered_503_in_both_languages_and_changes_nothing(tmp_path, token):
    store = DurableStore(tmp_path / "inventory.sqlite")
    http = inventory_on(store)
    before = http.get("/api/v1/stock/VNS/YRN-COT-40", headers=token("warehouse", depot="VNS")).get_json()
    store.sqlite.execute("PRAGMA query_only = 1")
    for language, words in (("en", "could not be saved"), ("hi", "सहेजा")):
        answer = http.post("/api/v1/movements", json=RECEIPT,
                           headers={**token("warehouse", depot="VNS"), "Accept-Language": language})
        assert answer.status_code == 503 and answer.headers["Retry-After"] == "60"  # until a restart
        assert answer.get_json()["error"]["code"] == "store_unavailable"
        assert words in answer.get_json()["error"]["message"]
    assert http.get("/api/v1/stock/VNS/YRN-COT-40", headers=token("warehouse", depot="VNS")).get_json() == before
    store.close()


def test_a_failed_fsync_answers_503_with_every_header_and_the_store_takes_no_more_writes(tmp_path, token,
                                                                                         monkeypatch):
    store = DurableStore(tmp_path / "inventory.sqlite")
    http = inventory_on(store)

    def failing(fd):
        raise OSError(5, "Input/output error")
    monkeypatch.setattr(durable_store.os, "fdatasync", failing)
    answer = http.post("/api/v1/movements", json=RECEIPT, headers=token("warehouse", depot="VNS"))
    assert answer.status_code == 503 and answer.get_json()["error"]["code"] == "store_unavailable"
    assert answer.headers["X-Content-Type-Options"] == "nosniff" and "Content-Security-Policy" in answer.headers
    assert answer.headers["X-Request-ID"]
    monkeypatch.undo()  # the disk answers again, but what the kernel held may be gone: no write is trusted to it
    again = http.post("/api/v1/movements", json=RECEIPT, headers=token("warehouse", depot="VNS"))
    assert again.status_code == 503 and again.get_json()["error"]["code"] == "store_unavailable"
    # before its view reads what the disk kept: not a 422 for a material it does not (or no longer) know
    unknown = http.post("/api/v1/movements", json={**RECEIPT, "sku": "NO-SUCH-SKU"},
                        headers=token("warehouse", depot="VNS"))
    assert unknown.status_code == 503 and unknown.get_json()["error"]["code"] == "store_unavailable"
    assert http.get("/api/v1/stock", headers=token("warehouse", depot="VNS")).status_code == 200  # reads go on
    store.close()


def test_sync_writes_waits_for_the_durable_store_and_never_for_memory(tmp_path, monkeypatch):
    from shared.mongo import sync_writes
    release, real = threading.Event(), os.fdatasync
    monkeypatch.setattr(durable_store.os, "fdatasync", lambda fd: (release.wait(10), real(fd)))
    store = DurableStore(tmp_path / "test.sqlite")
    db = store.client.rawbank_test
    db.deliveries.insert_one({"_id": "d1", "status": "sending"})
    waiter = threading.Thread(target=sync_writes, args=(db,))
    waiter.start()
    waiter.join(0.3)
    assert waiter.is_alive()  # the claim is not on disk yet: nothing may be sent on its strength
    release.set()
    waiter.join(10)
    assert not waiter.is_alive() and store.writer.durable == store.writer.queued
    sync_writes(connect("mongomock://localhost").rawbank_test)  # memory only: nothing to wait for
    store.client.close()
    store.close()



def test_a_log_past_its_limit_is_emptied_not_left_at_its_largest(tmp_path, monkeypatch):
    """Under steady writes the passive checkpoint copied the log into the store file but never cut it back: it grew
    to 500 MB in 7 minutes at 25 writes a second (a depot computer's disk fills). Past its limit it is emptied."""
    from shared import wal
    from tests.conftest import wait_until
    monkeypatch.setattr(wal, "WAL_LIMIT_BYTES", 1024 * 1024)
    opened = DurableStore(tmp_path / "test.sqlite")
    db, log = opened.client.rawbank_test, tmp_path / "test.sqlite-wal"
    try:
        largest = 0
        for n in range(300):  # 300 x 20 KB, each its own transaction: the checkpointer's turn comes after 200
            db.stock.insert_one({"_id": n, "pad": "x" * 20_000})
            opened.sync()
            largest = max(largest, log.stat().st_size)
        assert largest > 2 * 1024 * 1024  # it did grow past its limit (by as much as was written between looks)
        wait_until(lambda: log.stat().st_size < 1024 * 1024, timeout=20, message="the log to be cut back")
        db.stock.insert_one({"_id": "after", "pad": "y"})  # and writing goes on into the emptied log
        opened.sync()
    finally:
        opened.client.close()
        opened.close()
    assert len(stock_on_disk(tmp_path / "test.sqlite")) == 301
