"""The embedded store's speed-ups inside mongomock give mongomock's own results.

{"_id": x} queries are answered by direct lookup; documents are copied and their dates
rounded by faster drop-ins for mongomock's deepcopy, patch_datetime_awareness_in_document and
make_datetime_timezone_aware_in_document.
"""
import copy
from collections import OrderedDict
from datetime import datetime, timedelta, timezone

import mongomock
import mongomock.helpers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mongomock import ObjectId
from pymongo import ReturnDocument

from shared.embedded_store import (_aware_dates, _copy_document, _make_dates_aware, _patch_dates,
                                   _patch_datetime_awareness)
from shared.store_reads import _compute_results, _scan
from shared.mongo import connect


@pytest.fixture
def items():
    db = connect("mongomock://fast")["rawbank_test"]
    oid = ObjectId()
    db.items.insert_many([{"_id": "a", "n": 1, "tags": ["x"]}, {"_id": 7, "n": 2}, {"_id": oid, "n": 3},
                          {"_id": {"k": 1}, "n": 4}, {"_id": 7.5, "n": 5}])
    return db.items, oid


def both(collection, query):
    """(direct lookup, mongomock's own scan) for the same filter."""
    raw = collection._target
    fast = sorted(str(d["_id"]) for d in raw._iter_documents(query))
    slow = sorted(str(d["_id"]) for d in _scan(raw, query))
    return fast, slow


@pytest.mark.parametrize("query", [
    {"_id": "a"}, {"_id": "a", "n": 1}, {"_id": "a", "n": 2}, {"_id": "nope"}, {"_id": 7}, {"_id": 7.0},
    {"_id": 7.5}, {"_id": {"k": 1}}, {"_id": {"$in": ["a", 7]}}, {"_id": "a", "tags": "x"},
    {"_id": "a", "$or": [{"n": 1}, {"n": 9}]}, {"n": {"$gt": 1}}, {},
    # `$in` plain values, decided without mongomock's matcher where the document holds a string or an integer
    {"_id": {"$in": ["a", 7]}, "n": {"$in": [1, 3]}}, {"_id": {"$in": ["a", 7]}, "n": {"$in": ["1", "2"]}},
    {"_id": {"$in": ["a", 7, 7.5]}}, {"_id": {"$in": [7]}, "n": {"$in": [True, 2]}},
    {"_id": {"$in": ["a"]}, "tags": {"$in": ["x"]}}, {"_id": {"$in": ["a"]}, "gone": {"$in": [None, 1]}},
    {"_id": {"$in": ["a", 7]}, "n": {"$in": [], "$ne": 1}}, {"_id": {"$in": ["a", 7]}, "n": {"$nin": [1]}}])
def test_lookup_by_id_gives_what_the_scan_gives(items, query):
    collection, _ = items
    fast, slow = both(collection, query)
    assert fast == slow


def test_object_ids_and_writes_by_id(items):
    collection, oid = items
    assert collection.find_one({"_id": oid})["n"] == 3
    assert collection.update_one({"_id": "a", "n": 1}, {"$set": {"n": 10}}).modified_count == 1
    assert collection.update_one({"_id": "a", "n": 1}, {"$set": {"n": 11}}).matched_count == 0
    assert collection.update_one({"_id": "b"}, {"$set": {"n": 1}}, upsert=True).upserted_id == "b"
    after = collection.find_one_and_update({"_id": "b"}, {"$inc": {"n": 1}}, return_document=ReturnDocument.AFTER)
    assert after["n"] == 2
    assert collection.delete_one({"_id": 7}).deleted_count == 1
    assert collection.count_documents({"_id": 7}) == 0


def test_collections_with_ttl_indexes_expire_before_a_direct_lookup(items):
    """Expired documents are removed before a lookup by id, as mongomock's scan would (issue 19 looks them up directly)."""
    collection, _ = items
    collection.create_index("at", expireAfterSeconds=60)
    collection.insert_one({"_id": "old", "at": datetime.now(timezone.utc) - timedelta(minutes=5)})
    collection.insert_one({"_id": "new", "at": datetime.now(timezone.utc)})
    collection._target._store._next_expiry = 0.0  # the monitor's next round is due
    assert collection.find_one({"_id": "old"}) is None
    assert collection.find_one({"_id": "new"}) is not None and collection.find_one({"_id": "a"})["n"] == 1


# The embedded store also copies documents and rounds their dates with faster drop-ins for
# mongomock's own; they must give exactly what mongomock's would, for any document.
_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-2**63, 2**63 - 1), st.floats(allow_nan=False), st.text(max_size=5),
    st.binary(max_size=4), st.binary(min_size=12, max_size=12).map(ObjectId), st.decimals(allow_nan=False, places=3),
    st.datetimes(timezones=st.sampled_from([None, timezone.utc, timezone(timedelta(hours=5, minutes=30))])))
_documents = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.tuples(inner, inner),
    st.dictionaries(st.text(max_size=4), inner, max_size=4),
    st.dictionaries(st.text(max_size=4), inner, max_size=3).map(OrderedDict)), max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(_documents)
def test_document_copies_equal_deepcopy_and_share_nothing_mutable(document):
    snapshot = copy.deepcopy(document)
    copied = _copy_document(document)
    assert copied == snapshot
    assert type(copied) is type(document)
    _wreck(copied)  # empty every list and dict inside the copy: the original must not notice
    assert document == snapshot


def _wreck(value):
    children = list(value.values()) if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else []
    for child in children:
        _wreck(child)
    if isinstance(value, (dict, list)):
        value.clear()


@settings(max_examples=300, deadline=None)
@given(_documents)
def test_date_rounding_equals_mongomocks(document):
    with pytest.MonkeyPatch.context() as patch:  # mongomock's own, recursing into itself
        patch.setattr(mongomock.helpers, "patch_datetime_awareness_in_document", _patch_dates)
        expected = _patch_dates(document)
    assert _patch_datetime_awareness(document) == expected


@settings(max_examples=300, deadline=None)
@given(_documents)
def test_dates_made_aware_as_mongomock_does(document):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mongomock.helpers, "make_datetime_timezone_aware_in_document", _aware_dates)
        expected = _aware_dates(document)
    made = _make_dates_aware(document)
    assert made == expected
    assert [type(v) for v in _leaves(made)] == [type(v) for v in _leaves(expected)]


def _leaves(value):
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def test_a_stored_document_is_a_copy_both_ways(items):
    collection, _ = items
    doc = {"_id": "c", "nested": {"list": [1, {"at": datetime(2026, 1, 1, 10, 0, 0, 123456, timezone.utc)}]}}
    collection.insert_one(doc)
    doc["nested"]["list"].append(2)
    found = collection.find_one({"_id": "c"})
    assert found["nested"]["list"][1]["at"].microsecond == 123000  # rounded to milliseconds, as MongoDB does
    assert len(found["nested"]["list"]) == 2
    found["nested"]["list"].clear()
    collection.update_one({"_id": "c"}, {"$push": {"nested.list": 3}})
    assert [v for v in collection.find_one({"_id": "c"})["nested"]["list"] if not isinstance(v, dict)] == [1, 3]


def test_server_info_and_version_checks_are_mongomocks(items):
    from shared.embedded_store import _convert_version_to_list, _version_list, _versions
    client = items[0]._target.database.client
    assert mongomock.mongo_client._convert_version_to_list is _convert_version_to_list
    expected = _version_list.__wrapped__(client._server_version)  # mongomock's own parse
    assert client.server_info()["versionArray"] == expected
    client.server_info()["versionArray"].append(9)  # a caller's change stays its own
    assert client.server_info()["versionArray"] == expected
    assert mongomock.collection.version is _versions
    for a, b in (("4.0", "3.6"), ("3.12", "4.0"), ("4.2", "4.2"), ("5.0.5", "4.4")):
        assert (_versions.parse(a) < _versions.parse(b)) == (_versions.parse.__wrapped__(a) < _versions.parse.__wrapped__(b))


def test_a_database_attribute_is_not_taken_for_a_collection():
    db = connect("mongomock://fast")["rawbank_test"]
    assert db.name == "rawbank_test"
    assert db.client.server_info()["ok"] == 1
    assert db.names.name == "names"  # any other name is still a collection


_SORTABLE = st.one_of(st.integers(-3, 3), st.floats(-3, 3, allow_nan=False), st.text(max_size=2), st.none(),
                      st.booleans(), st.datetimes(datetime(2020, 1, 1), datetime(2030, 1, 1), timezones=st.just(timezone.utc)))


@settings(max_examples=150, deadline=None)
@given(values=st.one_of(st.lists(st.integers(-3, 3), max_size=25), st.lists(st.text(max_size=2), max_size=25),
                        st.lists(st.datetimes(datetime(2020, 1, 1), datetime(2030, 1, 1),
                                              timezones=st.just(timezone.utc)), max_size=25),
                        st.lists(_SORTABLE, max_size=25)),
       missing=st.booleans(), direction=st.sampled_from([1, -1]), skip=st.integers(0, 4), limit=st.integers(1, 8))
def test_a_page_is_the_page_mongomock_gives(values, missing, direction, skip, limit):
    """A sorted, limited read picks the page first and copies only it: same documents, same order."""
    collection = connect("mongomock://pages")["rawbank_test"].pages
    collection.delete_many({})
    collection.create_index("w")  # {"w": 1} and the $or are looked up in its map, ordered, then tested
    documents = [{"_id": n, "v": value, "w": n % 3} for n, value in enumerate(values)]
    for document in documents + ([{"_id": "no-v", "w": 1}] if missing else []):
        collection.insert_one(document)
    collection.update_many({"w": 0}, {"$set": {"w": 1}})  # moved within the map: its order is no longer the scan's
    collection.update_many({"_id": {"$in": [1, 4]}}, {"$set": {"w": 0}})
    for query, sort in (({}, [("v", direction)]), ({"w": {"$ne": 2}}, [("v", direction)]),
                        ({}, [("w", direction), ("v", 1)]), ({"w": 1}, [("v", direction)]),
                        ({"$or": [{"w": 0}, {"w": 1, "v": {"$ne": 2}}]}, [("v", direction)]),
                        ({"w": 1}, [("v", direction), ("_id", 1)]), ({"w": {"$ne": 2}}, [("v", 1), ("w", direction)]),
                        ({"$or": [{"w": 0}, {"w": 1}]}, [("w", direction), ("v", -direction)])):
        page = list(collection.find(query, {"v": 1}).sort(sort).skip(skip).limit(limit))
        whole = collection._target.find(query, {"v": 1}).sort(sort).skip(skip).limit(limit)
        assert page == _compute_results(whole, True)
        assert page == list(collection.find(query, {"v": 1}).sort(sort))[skip:skip + limit]


@settings(max_examples=100, deadline=None)
@given(values=st.lists(_SORTABLE, max_size=20), direction=st.sampled_from([1, -1]))
def test_find_one_is_the_first_of_mongomocks_results(values, direction):
    """find_one reads a page of one (pymongo's limit(-1)) and gives what mongomock's whole read gives first."""
    collection = connect("mongomock://find-one")["rawbank_test"].ones
    collection.delete_many({})
    for n, value in enumerate(values):
        collection.insert_one({"_id": n, "v": value, "w": n % 3})
    for query, sort in (({}, None), ({"w": {"$ne": 2}}, [("v", direction)]), ({"w": 1}, [("v", direction)])):
        first = collection.find_one(query, {"v": 1}, sort=sort, limit=5)
        whole = collection._target.find(query, {"v": 1}, sort=sort)
        assert first == (_compute_results(whole)[0] if values and _compute_results(whole) else None)


@pytest.mark.parametrize("skip, limit", [(0, 0), (2, 0), (0, 3), (1, 2)])
def test_a_cursor_read_whole_gives_mongomocks_documents_without_copying_its_list_for_each(items, skip, limit):
    """mongomock sliced its whole result list again for every document a cursor yielded (N^2 for N documents)."""
    cursor = items[0].find({}, sort=[("n", 1)], skip=skip, limit=limit)._target
    read = [doc["n"] for doc in cursor]
    assert read == [1, 2, 3, 4, 5][skip:][:limit or None]
    if not skip and not limit:  # the list read once is the one each document is taken from
        assert cursor._compute_results(with_limit_and_skip=True) is cursor._results


# A projection of plain field names, and a read of one document by its _id, skip mongomock's generic
# walk and its cursor (shared/embedded_store.py); they must give what mongomock gives, in the same order.
_names = st.sampled_from(["_id", "a", "b", "c", "a.b", "$x", "missing"])
_projections = st.one_of(
    st.none(), st.just({}), st.lists(st.sampled_from(["a", "b", "_id"]), max_size=3),
    st.dictionaries(_names, st.sampled_from([0, 1, True, False]), max_size=4),
    st.dictionaries(_names, st.sampled_from([0, 1, 2, "1", {"$slice": 1}]), max_size=3))
_storable = st.recursive(st.one_of(
    st.none(), st.booleans(), st.integers(-2**63, 2**63 - 1), st.floats(allow_nan=False), st.text(max_size=3),
    st.binary(min_size=12, max_size=12).map(ObjectId),
    st.datetimes(timezones=st.sampled_from([None, timezone.utc, timezone(timedelta(hours=5, minutes=30))]))),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(["b", "c", "d"]), inner, max_size=3)), max_leaves=12)
_stored = st.fixed_dictionaries({"_id": st.one_of(st.text(max_size=3), st.integers(0, 9))}, optional={
    "a": _storable, "b": st.dictionaries(st.sampled_from(["b", "c"]), _storable, max_size=2), "c": _storable})
_any_document = st.fixed_dictionaries({"_id": st.one_of(st.text(max_size=3), st.integers(0, 9), _documents)}, optional={
    "a": _documents, "b": st.dictionaries(st.sampled_from(["b", "c"]), _documents, max_size=2), "c": _documents})


def _projected_as_mongomock(doc, projection):
    from shared.embedded_store import _project
    try:
        return _project(mongomock.MongoClient().db.c, copy.deepcopy(doc), copy.deepcopy(projection), dict)
    except Exception as exc:  # noqa: BLE001 - ours must refuse alike
        return type(exc)


def _ordered(value):
    """A value with every dict's keys in their order, so that equal means equal and in the same order."""
    if isinstance(value, dict):
        return [(key, _ordered(item)) for key, item in value.items()]
    if isinstance(value, (list, tuple)):
        return [_ordered(item) for item in value]
    return value


@settings(max_examples=400, deadline=None)
@given(doc=_any_document, projection=_projections)
def test_a_projection_gives_what_mongomocks_gives_in_its_order(doc, projection):
    from shared.embedded_store import _copy_only_fields, _plain_projection
    expected = _projected_as_mongomock(doc, projection)
    snapshot = copy.deepcopy(doc)
    try:
        got = _copy_only_fields(mongomock.MongoClient().db.c, doc, copy.deepcopy(projection), dict)
    except Exception as exc:  # noqa: BLE001
        got = type(exc)
    assert _ordered(got) == _ordered(expected)
    if isinstance(got, dict) and _plain_projection(projection) is not None:  # ours (mongomock's shares its _id)
        _wreck(got)  # the projection is a copy: the document must not notice
        assert doc == snapshot


@settings(max_examples=300, deadline=None)
@given(docs=st.lists(_stored, max_size=4, unique_by=lambda d: d["_id"]), key=st.one_of(st.text(max_size=3),
       st.integers(0, 9)), projection=_projections, by_keyword=st.booleans())
def test_a_read_by_id_gives_what_mongomocks_cursor_gives(docs, key, projection, by_keyword):
    """find_one({"_id": key}, projection) of the embedded store (tz-aware) equals mongomock's own read."""
    from shared import embedded_store
    collection = connect("mongomock://by-id")["rawbank_test"].by_id
    collection.delete_many({})
    if docs:
        collection.insert_many(copy.deepcopy(docs))
    asked = copy.deepcopy(projection)  # mongomock changes a projection it was given
    args, kwargs = ((), {"projection": asked}) if by_keyword else ((asked,), {})
    try:
        got = collection.find_one({"_id": key}, *args, **kwargs)
    except Exception as exc:  # noqa: BLE001
        got = type(exc)
    raw = collection._target
    with pytest.MonkeyPatch.context() as patch:  # mongomock's projection, through its cursor
        patch.setattr(mongomock.collection.Collection, "_copy_only_fields", embedded_store._project)
        try:
            expected = embedded_store._read_one(raw, {"_id": key}, copy.deepcopy(projection))
        except Exception as exc:  # noqa: BLE001
            expected = type(exc)
    assert _ordered(got) == _ordered(expected)
    assert [type(v) for v in _leaves(got)] == [type(v) for v in _leaves(expected)]  # aware dates alike
    if isinstance(got, dict):
        _wreck(got)
        assert collection.find_one({"_id": key}, copy.deepcopy(projection)) == expected


def test_a_read_by_id_takes_no_cursor_and_other_reads_still_do(items):
    """The stock read names its fields; only reads of one _id with a plain projection skip the cursor."""
    collection, _ = items
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mongomock.collection, "Cursor", None)  # any cursor made now fails
        assert collection.find_one({"_id": "a"}, {"n": 1}) == {"n": 1, "_id": "a"}
        assert collection.find_one({"_id": 7}, projection={"tags": 0}) == {"_id": 7, "n": 2}
        assert collection.find_one({"_id": "nope"}) is None
        with pytest.raises(TypeError):
            collection.find_one({"_id": "a", "n": 1})  # two conditions: the cursor's
    assert collection.find_one({"_id": "a", "n": 1}, {"n": 1}) == {"n": 1, "_id": "a"}
