"""The embedded store's equality indexes give exactly what mongomock's scan gives, through any writes."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mongomock.collection
from mongomock.filtering import filter_applies
from pymongo import DeleteOne, InsertOne

from shared import embedded_store, store_index, store_reads
from shared.store_reads import _candidates, _compute_results, _scan
from shared.store_journal import Journal, JournaledServer
from shared.mongo import connect

_values = st.one_of(st.integers(-2, 2), st.sampled_from([1.0, 2.5, True, False, None, "", "a", "b"]),
                    st.lists(st.sampled_from([1, "a", None, 2.0, True, {"a": 1}, ["a"], []]), max_size=3),
                    st.just({"a": 1}))
_writes = st.lists(st.tuples(st.sampled_from(["insert", "set", "unset", "delete", "replace", "push"]),
                             st.integers(0, 6), _values), max_size=30)


def _apply(collection, kind: str, n: int, value) -> None:
    if kind == "insert" and collection.find_one({"_id": n}) is None:
        collection.insert_one({"_id": n, "f": value, "g": n % 2})
    elif kind == "set":
        collection.update_one({"_id": n}, {"$set": {"f": value}})
    elif kind == "unset":
        collection.update_many({"g": n % 2}, {"$unset": {"f": ""}})
    elif kind == "delete":
        collection.delete_one({"_id": n})
    elif kind == "replace":
        collection.replace_one({"_id": n}, {"f": value, "g": 1})
    elif kind == "push":
        collection.update_one({"_id": n, "f": {"$type": "array"}}, {"$push": {"f": value}})


@settings(max_examples=120, deadline=None)
@given(writes=_writes, asked=st.one_of(st.integers(-2, 2), st.sampled_from([1.0, 2.5, "a", "b", ""])))
def test_an_indexed_equality_finds_what_the_scan_finds(writes, asked):
    db = connect("mongomock://index")["rawbank_test"]
    collection = db.things
    collection.drop()
    collection.create_index([("f", 1), ("g", 1)])
    for number, (kind, n, value) in enumerate(writes):
        _apply(collection, kind, n, value)
        if number % 7 == 3:  # the map is built at a first query and kept up to date from then on
            collection.find_one({"f": asked})
    for query in ({"f": asked}, {"f": asked, "g": 1}, {"f": asked, "$or": [{"g": 0}, {"g": 1}]},
                  {"$or": [{"f": asked}, {"f": "a", "g": 1}]}, {"$or": [{"f": asked, "g": 0}, {"f": 2.5}]},
                  {"$and": [{"g": {"$gte": 0}}, {"$or": [{"f": asked}, {"f": "a"}]}]},
                  {"$and": [{"$or": [{"g": 1}, {"f": asked}]}, {"f": asked}]},
                  {"$and": [{"g": 1}]},  # no branch served: the scan
                  {"$or": [{"f": asked}, {"g": 1}]}):  # the last: one branch unindexed, so the scan
        found = [doc["_id"] for doc in collection.find(query)]
        scanned = [doc["_id"] for doc in _scan(collection._target, query)]
        assert sorted(found, key=str) == sorted(scanned, key=str)
    for query in ({"f": {"$in": [asked, "a"]}}, {"f": {"$in": [asked]}, "g": 1}, {"f": {"$in": []}},
                  {"g": 0, "f": {"$in": ["b", asked, 2.5]}}, {"f": {"$in": [asked, None]}}):  # the last: the scan
        found = [doc["_id"] for doc in collection.find(query)]
        assert found == [doc["_id"] for doc in _scan(collection._target, query)], query  # in the scan's order too
    assert collection._target._store.field_indexes  # the map served the queries


def test_values_in_a_list_look_up_only_their_documents():
    """An admin's first view of What to order reads the stock of every depot by {"depot": {"$in": [...]}}: the scan
    tested every stock record against each of the 75 codes."""
    collection = connect("mongomock://index-in")["rawbank_test"].stock
    collection.drop()
    collection.create_index([("depot", 1), ("_id", 1)])
    collection.insert_many([{"_id": n, "depot": f"D{n % 10}"} for n in range(100)])
    store = collection._target._store
    query = {"depot": {"$in": ["D3", "D1"]}}
    wanted = sorted([*range(1, 100, 10), *range(3, 100, 10)])  # in the collection's order
    assert [doc["_id"] for doc in store_index.candidates(store, query)] == wanted
    assert [doc["_id"] for doc in collection.find(query)] == [doc["_id"] for doc in _scan(collection._target, query)]
    assert store_index.candidates(store, {"depot": {"$in": ["D3", {"a": 1}]}}) is None  # a value not kept: the scan


def test_a_failed_write_leaves_the_map_as_the_documents():
    """A change the store file refuses is undone whole (shared/store_journal.py); the map must not keep it either."""
    refuse = []

    def sink(changes):
        if refuse:
            raise OSError("disk full")

    collection = embedded_store.connect(JournaledServer(Journal(sink)))["rawbank_test"].things
    collection.create_index("f")
    collection.insert_one({"_id": 1, "f": "a"})
    assert collection.find_one({"f": "a"})["_id"] == 1
    refuse.append(True)
    with pytest.raises(OSError):
        collection.update_one({"_id": 1}, {"$set": {"f": "b"}})
    refuse.clear()
    assert collection.find_one({"f": "a"})["_id"] == 1 and collection.find_one({"f": "b"}) is None


def test_an_or_of_indexed_equalities_looks_up_only_their_documents():
    """The dispatcher's claim ($or of two statuses) tests only the documents in those statuses."""
    collection = connect("mongomock://index-or")["rawbank_test"].deliveries
    collection.drop()
    collection.create_index([("status", 1), ("next_attempt_at", 1)])
    collection.insert_many([{"_id": n, "status": "delivered" if n % 10 else "pending", "next_attempt_at": n}
                            for n in range(100)])
    store = collection._target._store
    query = {"$or": [{"status": "pending", "next_attempt_at": {"$lte": 50}}, {"status": "sending"}]}
    assert [doc["_id"] for doc in store_index.candidates(store, query)] == list(range(0, 100, 10))
    assert [doc["_id"] for doc in collection.find(query)] == [0, 10, 20, 30, 40, 50]
    assert store_index.candidates(store, {"$or": [{"status": "pending"}, {"next_attempt_at": 3}]}) is None


def test_an_artisans_requisitions_look_up_only_theirs_and_the_shares_they_hold():
    """{"members": x} finds the arrays holding x through the map (MongoDB's multikey index), so the
    requisitions list of one artisan tests their requisitions, not every requisition."""
    collection = connect("mongomock://index-and")["rawbank_test"].requisitions
    collection.drop()
    collection.create_index([("artisan_id", 1), ("created_at", -1)])
    collection.create_index([("members", 1), ("created_at", -1)])
    collection.insert_many([{"_id": n, "artisan_id": f"A{n % 50}", "members": [f"A{(n + 1) % 50}", f"A{(n + 2) % 50}"]
                             if n % 5 == 0 else [], "created_at": n} for n in range(1000)])
    mine = {"$or": [{"artisan_id": "A7"}, {"members": "A7"}]}
    query = {"$and": [{"$and": [mine]}, mine]}
    store = collection._target._store
    candidates = {doc["_id"] for doc in store_index.candidates(store, query)}
    expected = {doc["_id"] for doc in _scan(collection._target, query)}
    assert candidates == expected and len(candidates) == 40  # 20 their own and 20 shares, of 1,000
    collection.update_one({"_id": 3}, {"$push": {"members": "A7"}})
    assert 3 in {doc["_id"] for doc in collection.find(query)}


@settings(max_examples=60, deadline=None)
@given(writes=_writes, ids=st.lists(st.one_of(st.integers(-1, 7), st.sampled_from(["1", "x"])), max_size=6))
def test_ids_in_a_list_are_looked_up_and_find_what_the_scan_finds(writes, ids):
    db = connect("mongomock://index")["rawbank_test"]
    collection = db.things
    collection.drop()
    for kind, n, value in writes:
        _apply(collection, kind, n, value)
    for query in ({"_id": {"$in": ids}}, {"_id": {"$in": ids}, "g": 1}):
        found = [doc["_id"] for doc in collection.find(query)]
        scanned = [doc["_id"] for doc in _scan(collection._target, query)]
        assert sorted(found, key=str) == sorted(scanned, key=str)
    looked_up = _candidates(collection._target, {"_id": {"$in": ids}})  # not the scan: each id looked up once
    assert looked_up is not None and len(looked_up) == len({n for n in ids if collection.find_one({"_id": n})})


_outbox_writes = st.lists(st.tuples(
    st.sampled_from(["insert", "push", "pull_all", "set_list", "set_doc", "set_scalar", "unset", "delete", "nested"]),
    st.integers(0, 6)), max_size=30)


@settings(max_examples=120, deadline=None)
@given(writes=_outbox_writes, asked=st.integers(0, 6))
def test_a_path_that_exists_is_found_as_the_scan_finds_it_through_any_writes(writes, asked):
    """{"outbox.event_id": {"$exists": true}} (the relay's search for events to send) on a sparse index's path."""
    db = connect("mongomock://index")["rawbank_test"]
    collection = db.boxes
    collection.drop()
    collection.create_index([("outbox.event_id", 1)], sparse=True)
    for number, (kind, n) in enumerate(writes):
        if kind == "insert" and collection.find_one({"_id": n}) is None:
            collection.insert_one({"_id": n, "outbox": [{"event_id": f"e{n}"}] if n % 2 else [], "g": n % 3})
        elif kind == "push":
            collection.update_one({"_id": n, "outbox": {"$type": "array"}}, {"$push": {"outbox": {"event_id": f"p{number}"}}})
        elif kind == "pull_all":
            collection.update_many({"g": n % 3}, {"$set": {"outbox": []}})
        elif kind == "set_list":
            collection.update_one({"_id": n}, {"$set": {"outbox": [{"other": 1}, {"event_id": None}]}})
        elif kind == "set_doc":
            collection.update_one({"_id": n}, {"$set": {"outbox": {"event_id": "lone"}}})
        elif kind == "set_scalar":
            collection.update_one({"_id": n}, {"$set": {"outbox": "event_id"}})
        elif kind == "unset":
            collection.update_one({"_id": n}, {"$unset": {"outbox": ""}})
        elif kind == "delete":
            collection.delete_one({"_id": n})
        elif kind == "nested":
            collection.update_one({"_id": n}, {"$set": {"outbox": [[{"event_id": "deep"}]]}})
        if number % 5 == 2:  # the map is built at a first query and kept up to date from then on
            collection.find_one({"outbox.event_id": {"$exists": True}})
    for query in ({"outbox.event_id": {"$exists": True}},
                  {"outbox.event_id": {"$exists": True}, "$or": [{"g": 0}, {"g": {"$gt": 1}}]},
                  {"$and": [{"_id": asked}, {"g": {"$ne": 1}}]}, {"$and": [{"g": {"$gte": 0}}, {"_id": {"$in": [asked, 1]}}]}):
        found = [doc["_id"] for doc in collection.find(query)]
        scanned = [doc["_id"] for doc in _scan(collection._target, query)]
        assert sorted(found, key=str) == sorted(scanned, key=str), query
    assert _candidates(collection._target, {"outbox.event_id": {"$exists": True}}) is not None  # not the scan
    assert _candidates(collection._target, {"$and": [{"g": 1}, {"_id": asked}]}) is not None


_sort_values = st.one_of(st.integers(-2, 2), st.sampled_from([1.0, 0.5, "a", "b", None, True]),
                         st.datetimes(datetime(2026, 1, 1), datetime(2026, 1, 2), timezones=st.just(timezone.utc)),
                         st.just(["a"]))
_sort_writes = st.lists(st.tuples(st.sampled_from(["insert", "set", "unset", "delete", "replace", "reinsert",
                                                   "same", "push"]),
                                  st.integers(0, 7), _sort_values), max_size=40)


@settings(max_examples=200, deadline=None)
@given(writes=_sort_writes, plain=st.sampled_from(["number", "string", "date", "any"]),
       direction=st.sampled_from([1, -1]), skip=st.integers(0, 3), limit=st.integers(1, 6))
def test_a_page_read_in_the_order_of_an_index_is_mongomocks_page_through_any_writes(writes, plain, direction, skip,
                                                                                     limit):
    """A sort on a field a declared index begins with walks that index (store_index.SortedIndex) for a filter no
    index looks up: the page, its order and its ties are those of mongomock's sort of the whole scan, through
    inserts, updates, deletes and a document deleted and stored again (it then comes last among equals)."""
    def value_of(value, n):  # most runs keep one kind, so the index serves; "any" mixes kinds, so it does not
        if plain == "number":
            return n % 3 if not isinstance(value, (int, float)) or isinstance(value, bool) else value
        if plain == "string":
            return "ab"[n % 2] if not isinstance(value, str) else value
        if plain == "date":
            return value if isinstance(value, datetime) else datetime(2026, 1, 1, n % 2, tzinfo=timezone.utc)
        return value
    db = connect("mongomock://sorted")["rawbank_test"]
    collection = db.sorted
    collection.drop()
    collection.create_index([("v", -1)])
    for number, (kind, n, value) in enumerate(writes):
        value = value_of(value, n)
        if kind == "insert" and collection.find_one({"_id": n}) is None:
            collection.insert_one({"_id": n, "v": value, "g": n % 3})
        elif kind == "set":
            collection.update_one({"_id": n}, {"$set": {"v": value}})
        elif kind == "unset" and plain == "any":
            collection.update_one({"_id": n}, {"$unset": {"v": ""}})
        elif kind == "delete":
            collection.delete_one({"_id": n})
        elif kind == "replace":
            collection.replace_one({"_id": n}, {"v": value, "g": 2})
        elif kind == "reinsert" and collection.find_one({"_id": n}) is not None:
            collection.delete_one({"_id": n})
            collection.insert_one({"_id": n, "v": value, "g": n % 3})
        elif kind == "same":  # touched, nothing changed
            collection.update_one({"_id": n}, {"$set": {"g": n % 3}})
        elif kind == "push" and plain == "any":
            collection.update_one({"_id": n}, {"$set": {"v": [value]}})
        if number % 6 == 2:  # the index is built at a first sorted read and kept up to date from then on
            collection.find_one({}, sort=[("v", 1)])
    for query, sort in (({}, [("v", direction)]), ({"g": {"$ne": 1}}, [("v", direction)]),
                        ({}, [("v", direction), ("g", -direction)]), ({"g": {"$gte": 1}}, [("v", direction), ("_id", 1)])):
        page = [doc["_id"] for doc in collection.find(query).sort(sort).skip(skip).limit(limit)]
        whole = collection._target.find(query).sort(sort).skip(skip).limit(limit)
        assert page == [doc["_id"] for doc in _compute_results(whole, True)], (query, sort)
    walked = store_index.ordered(collection._target._store, "v", descending=True)
    if plain != "any" and collection.count_documents({}):
        assert walked is not None  # one kind everywhere: the index served those pages


def test_a_sorted_page_reads_a_page_not_the_whole_collection():
    """The newest events (the notifier's `GET /events`) read through the index: a page of 3 out of 2,000 tests a
    handful of documents, not 2,000 (counted through the filter mongomock tests each document with)."""
    db = connect("mongomock://sorted-count")["rawbank_test"]
    db.events.drop()
    db.events.create_index([("received_at", -1)])
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    db.events.insert_many([{"_id": n, "received_at": start + timedelta(seconds=n), "type": "T" if n % 2 else "U"}
                           for n in range(2000)])
    tested = []

    def counted(spec, doc):
        tested.append(doc)
        return filter_applies(spec, doc)
    with mock.patch.object(store_reads, "filter_applies", counted), \
            mock.patch.object(mongomock.collection, "filter_applies", counted):  # the scan's
        page = [doc["_id"] for doc in db.events.find({"type": {"$ne": "U"}}).sort("received_at", -1).limit(3)]
    assert page == [1999, 1997, 1995]
    assert len(tested) < 10
    assert db.events.count_documents({}) == 2000


@pytest.mark.parametrize("how", ["two calls", "one call, the same document"])
def test_a_document_deleted_and_stored_again_comes_last_among_equals_as_in_mongomock(how):
    collection = connect("mongomock://sorted-again")["rawbank_test"].again
    collection.drop()
    collection.create_index([("v", 1)])
    collection.insert_many([{"_id": n, "v": n % 2} for n in range(6)])
    assert [doc["_id"] for doc in collection.find({}).sort("v", 1).limit(3)] == [0, 2, 4]  # the index is built
    if how == "two calls":
        collection.delete_one({"_id": 0})
        collection.insert_one({"_id": 0, "v": 0})
    else:  # nothing in the document changed, but its place among the documents did
        collection.bulk_write([DeleteOne({"_id": 0}), InsertOne({"_id": 0, "v": 0})])
    for direction in (1, -1):
        page = [doc["_id"] for doc in collection.find({}).sort("v", direction).limit(6)]
        whole = collection._target.find({}).sort("v", direction).limit(6)
        assert page == [doc["_id"] for doc in _compute_results(whole, True)]
    assert page == [1, 3, 5, 2, 4, 0]


_group_values = st.one_of(st.sampled_from(["a", "b", 1, True, None]), st.just(["a", "b"]))


@settings(max_examples=200, deadline=None)
@given(writes=_sort_writes, groups=st.lists(_group_values, min_size=8, max_size=8),
       plain=st.sampled_from(["number", "date", "any"]), direction=st.sampled_from([1, -1]),
       asked=st.sampled_from(["a", "b", 1]), bound=st.integers(-2, 2), limit=st.integers(1, 4))
def test_a_page_of_one_equality_read_in_the_order_of_a_compound_index_is_mongomocks_page(writes, groups, plain,
                                                                                       direction, asked, bound,
                                                                                       limit):
    """An equality on the first key of a declared index and a sort on its second walk that index
    (store_index.GroupedSortedIndex; the dispatcher's claim: status "pending", earliest next_attempt_at), and a
    range on the sort key ends the walk past its bound: the page, its order and its ties are mongomock's sort of
    the whole scan, through inserts, updates, deletes, a document stored again, and arrays in the equality's field
    (then the scan)."""
    def value_of(value, n):
        if plain == "number":
            return n % 3 if not isinstance(value, (int, float)) or isinstance(value, bool) else value
        if plain == "date":
            return value if isinstance(value, datetime) else datetime(2026, 1, 1, n % 2, tzinfo=timezone.utc)
        return value
    collection = connect("mongomock://grouped")["rawbank_test"].grouped
    collection.drop()
    collection.create_index([("s", 1), ("v", 1)])
    for number, (kind, n, value) in enumerate(writes):
        value, group = value_of(value, n), groups[n]
        if kind == "insert" and collection.find_one({"_id": n}) is None:
            collection.insert_one({"_id": n, "s": group, "v": value, "g": n % 3})
        elif kind == "set":
            collection.update_one({"_id": n}, {"$set": {"v": value, "s": groups[(n + number) % 8]}})
        elif kind == "unset":
            collection.update_one({"_id": n}, {"$unset": {"v" if plain == "any" else "s": ""}})
        elif kind == "delete":
            collection.delete_one({"_id": n})
        elif kind == "replace":
            collection.replace_one({"_id": n}, {"s": group, "v": value, "g": 2})
        elif kind == "reinsert" and collection.find_one({"_id": n}) is not None:
            collection.delete_one({"_id": n})
            collection.insert_one({"_id": n, "s": group, "v": value, "g": n % 3})
        elif kind == "same":
            collection.update_one({"_id": n}, {"$set": {"g": n % 3}})
        elif kind == "push" and plain == "any":
            collection.update_one({"_id": n}, {"$set": {"v": [value]}})
        if number % 6 == 2:  # the index is built at a first read and kept up to date from then on
            collection.find_one({"s": asked}, sort=[("v", 1)])
    edge = datetime(2026, 1, 1, 12, tzinfo=timezone.utc) if plain == "date" else bound
    for query, sort in (({"s": asked}, [("v", direction)]), ({"s": asked, "g": {"$ne": 1}}, [("v", direction)]),
                        ({"s": asked, "v": {"$lte": edge}}, [("v", 1)]),
                        ({"s": asked, "v": {"$lt": edge}}, [("v", 1)]),
                        ({"s": asked, "v": {"$gte": edge}}, [("v", -1)]),
                        ({"s": asked, "v": {"$gt": edge}}, [("v", -1)]),
                        ({"s": asked, "v": {"$lte": edge}}, [("v", -1)]),
                        ({"s": asked}, [("v", direction), ("g", -direction)]),
                        ({"s": asked, "g": {"$gte": 1}}, [("v", direction), ("_id", 1)])):
        page = [doc["_id"] for doc in collection.find(query).sort(sort).limit(limit)]
        whole = collection._target.find(query).sort(sort).limit(limit)
        assert page == [doc["_id"] for doc in _compute_results(whole, True)], (query, sort)
    served = store_index.ordered_within(collection._target._store, "s", asked, "v", descending=False)
    docs = list(collection.find({}))
    if plain != "any" and not any(isinstance(doc.get("s"), list) for doc in docs) and \
            all(isinstance(doc.get("v"), (int, float, datetime)) for doc in docs if doc.get("s") == asked):
        assert served is not None  # one kind, no arrays: the index served those pages


def test_the_earliest_due_delivery_is_claimed_without_reading_every_one_waiting():
    """The dispatcher's claim among 3,000 pending deliveries (a backlog: an outage of the SMS gateway, a burst)
    looks at a handful of them, not all: each claim sorting every waiting one made the backlog grow faster
    than it was delivered (bench/bench_notifier.py). Counted through the filter each document is tested with and
    the sort values read for ordering; each claim takes the earliest due, and with none due (the rest wait for
    later) the walk stops at the first not due instead of testing them all."""
    from services.notifier import deliveries
    db = connect("mongomock://claims")["rawbank_test"]
    db.deliveries.drop()
    for model in deliveries.INDEXES["deliveries"]:
        db.deliveries.create_indexes([model])
    now = datetime(2026, 12, 7, 12, tzinfo=timezone.utc)
    db.deliveries.insert_many([{"_id": f"d{n}", "status": "pending", "next_attempt_at": now + timedelta(seconds=n - 2),
                                "channel": "sms", "target": "artisan", "attempts": 0, "created_at": now}
                               for n in range(3000)])
    db.deliveries.insert_one({"_id": "late", "status": "sending", "next_attempt_at": now - timedelta(hours=1),
                              "lease_until": now + timedelta(minutes=1), "attempts": 1, "channel": "sms"})
    db.deliveries.find_one({"status": "pending"}, sort=[("next_attempt_at", 1)])  # the index is built
    looked_at = []

    def counted(spec, doc):
        looked_at.append(doc)
        return filter_applies(spec, doc)

    def column(field, pool):
        looked_at.extend(pool)
        return [doc.get(field) for doc in pool]
    with mock.patch.object(store_reads, "filter_applies", counted), mock.patch.object(store_reads, "_column", column), \
            mock.patch.object(mongomock.collection, "filter_applies", counted):
        claimed = [deliveries.claim(db, now) for _ in range(4)]
    assert [doc and doc["_id"] for doc in claimed] == ["d0", "d1", "d2", None]  # the rest are not due yet
    assert len(looked_at) < 40, len(looked_at)
    assert db.deliveries.count_documents({"status": "pending"}) == 2997
