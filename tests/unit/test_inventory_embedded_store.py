"""The embedded store answers {"_id": x} queries by direct lookup with the same results as a scan."""
import mongomock
import pytest
from mongomock import ObjectId
from pymongo import ReturnDocument

from shared.mongo import _scan, connect


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
    {"_id": "a", "$or": [{"n": 1}, {"n": 9}]}, {"n": {"$gt": 1}}, {}])
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


def test_collections_with_ttl_indexes_keep_mongomock_scan(items):
    collection, _ = items
    collection.create_index("at", expireAfterSeconds=60)
    assert collection.find_one({"_id": "a"})["n"] == 1
    assert isinstance(mongomock.collection.Collection._iter_documents(collection._target, {"_id": "a"}),
                      type(x for x in ()))
