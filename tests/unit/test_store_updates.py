"""The embedded store's own update paths (shared/store_updates.py) give exactly what mongomock's give,
and a document that cannot be stored is refused whole now that only the journal encodes it."""
from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from unittest import mock

import bson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mongomock.collection
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from shared import store_journal, store_updates
from shared.envelope import Event, new_event, wire_bytes
from shared.mongo import connect
from shared.relay import outbox_push

_ids = st.sampled_from(["a", "b", "c", ""])
_held = st.one_of(_ids, st.integers(0, 2), st.none(), st.lists(_ids, max_size=2), st.just({"x": "a"}))
_element = st.one_of(
    st.fixed_dictionaries({"e": _held, "n": st.integers(0, 3)}),  # the field holds something
    st.fixed_dictionaries({"n": st.integers(0, 3)}),  # no such field
    _ids, st.integers(0, 2))  # not a document
_condition = st.one_of(
    st.fixed_dictionaries({"e": st.fixed_dictionaries({"$in": st.lists(_ids, max_size=4)})}),  # the relay's shape
    st.fixed_dictionaries({"e": st.fixed_dictionaries({"$in": st.lists(st.one_of(_ids, st.integers(0, 2)),
                                                                        max_size=3)})}),
    st.fixed_dictionaries({"e": _ids}), st.fixed_dictionaries({"n": st.fixed_dictionaries({"$gt": st.integers(0, 3)})}),
    _ids)
_path = st.sampled_from(["box", "box", "other", "nested.box", "n"])


_outbox = st.lists(st.one_of(st.fixed_dictionaries({"e": _ids, "n": st.integers(0, 3)}),
                             st.fixed_dictionaries({"n": st.integers(0, 3)})), max_size=8)  # what the fast path takes
_relays_pull = st.fixed_dictionaries({"box": st.fixed_dictionaries(
    {"e": st.fixed_dictionaries({"$in": st.lists(_ids, max_size=4)})})})


@settings(max_examples=300, deadline=None)
@given(box=st.one_of(_outbox, st.lists(_element, max_size=8)),
       pulls=st.one_of(_relays_pull, st.dictionaries(_path, _condition, min_size=1, max_size=2)),
       unset=st.booleans(), push=st.sampled_from([None, "before", "after"]), pushed=_element)
def test_a_pull_leaves_what_mongomocks_pull_leaves(box, pulls, unset, push, pushed):
    document = {"_id": 1, "box": box, "other": list(box), "nested": {"box": list(box)}, "n": 3}
    update = {"$pull": pulls, **({"$unset": {"lease": ""}} if unset else {})}
    if push:  # another operator on the same array, before or after the pull: applied in that order
        update = {"$push": {"box": pushed}, **update} if push == "before" else {**update, "$push": {"box": pushed}}
    collection = mongomock.MongoClient().db.c
    ours, theirs = copy.deepcopy(document), copy.deepcopy(document)
    outcome = []
    for apply, target in ((store_updates.apply_update_document, ours),
                          (store_updates._apply_update_document, theirs)):  # mongomock's own
        try:
            apply(collection, target, {"_id": 1}, copy.deepcopy(update), False)
            outcome.append(None)
        except Exception as exc:  # noqa: BLE001 - both must fail alike
            outcome.append(type(exc))
    assert outcome[0] == outcome[1]
    assert ours == theirs


def test_the_relays_pull_is_served_in_one_pass_and_keeps_the_order():
    box = [{"event_id": name, "n": n} for n, name in enumerate("abcabd")] + [{"n": 9}]
    kept = store_updates._without(box, "box", {"event_id": {"$in": ["a", "d"]}})
    assert kept == [box[1], box[2], box[4], box[6]]
    assert store_updates._without(box + [1], "box", {"event_id": {"$in": ["a"]}}) is None  # not a document
    assert store_updates._without(box, "box", {"event_id": {"$in": [1]}}) is None  # not strings
    assert store_updates._without(box, "x.box", {"event_id": {"$in": ["a"]}}) is None  # a dotted path


_docs = st.lists(st.fixed_dictionaries({"k": st.integers(0, 2), "v": st.integers(0, 5),
                                        "box": st.lists(st.integers(0, 3), max_size=3)}), max_size=5)
_projection = st.sampled_from([None, {"box": 1}, {"v": True, "k": 1}, {"_id": 0, "v": 1}, {"box": 0},
                               {"v": 1, "box": 0}, {"_id": 1}, ["v"]])
_returned = st.sampled_from([ReturnDocument.AFTER, ReturnDocument.BEFORE])


@settings(max_examples=200, deadline=None)
@given(docs=_docs, k=st.integers(0, 3), projection=_projection, returned=_returned, upsert=st.booleans(),
       by=st.sampled_from([None, [("v", 1)], [("v", -1)]]), lease=st.booleans())
def test_find_one_and_update_gives_and_leaves_what_mongomocks_gives(docs, k, projection, returned, upsert, by, lease):
    update = {"$set": {"lease": "me"}, "$inc": {"v": 1}} if lease else {"$push": {"box": 7}}
    results, contents = [], []
    for name, own in (("ours", True), ("theirs", False)):
        db = connect(f"mongomock://fam-{name}")["rawbank_test"]
        db.c.drop()
        if docs:
            db.c.insert_many([{"_id": n, **doc} for n, doc in enumerate(docs)])
        patch = mock.patch.object(mongomock.collection.Collection, "_find_and_modify",
                                  store_updates.find_and_modify if own else store_updates._find_and_modify)
        with patch:
            try:
                results.append(db.c.find_one_and_update({"k": k, "lease": {"$exists": False}}, update,
                                                        projection=projection, sort=by, upsert=upsert,
                                                        return_document=returned))
            except Exception as exc:  # noqa: BLE001 - both must fail alike
                results.append(type(exc))
        contents.append([{key: value for key, value in doc.items() if key != "_id" or type(value) is int}
                         for doc in db.c.find()])  # an upsert's new ObjectId differs between the two
    if isinstance(results[0], dict) and type(results[0].get("_id")) is not int:
        results = [{key: value for key, value in r.items() if key != "_id"} for r in results]
    assert results[0] == results[1]
    assert contents[0] == contents[1]


def test_the_relays_claim_reads_the_outbox_once_after_the_lease():
    db = connect("mongomock://fam-claim")["rawbank_test"]
    db.c.drop()
    db.c.insert_one({"_id": "VNS/YRN", "outbox": [{"event_id": str(n)} for n in range(3)]})
    with mock.patch.object(store_updates, "_find_and_modify", side_effect=AssertionError("mongomock's path")):
        found = db.c.find_one_and_update({"_id": "VNS/YRN", "_relay": {"$exists": False}},
                                         {"$set": {"_relay": {"owner": "me"}}}, projection={"outbox": 1},
                                         return_document=ReturnDocument.AFTER)
    assert found == {"_id": "VNS/YRN", "outbox": [{"event_id": "0"}, {"event_id": "1"}, {"event_id": "2"}]}
    assert db.c.find_one({"_id": "VNS/YRN"})["_relay"] == {"owner": "me"}


@pytest.mark.parametrize("write", ["insert", "insert_many", "replace", "set", "upsert"])
def test_a_document_that_cannot_be_stored_is_refused_and_changes_nothing(write):
    """mongomock's own BSON check is gone (the journal's encoding of the whole document is the one check);
    a value BSON cannot hold still raises what it raised, and nothing of the call stays."""
    db = connect("mongomock://unstorable")["rawbank_test"]
    db.c.drop()
    db.c.insert_one({"_id": 1, "v": "kept"})
    bad = object()
    calls = {"insert": lambda: db.c.insert_one({"_id": 2, "v": bad}),
             "insert_many": lambda: db.c.insert_many([{"_id": 2, "v": "fine"}, {"_id": 3, "v": {"deep": [bad]}}]),
             "replace": lambda: db.c.replace_one({"_id": 1}, {"v": bad}),
             "set": lambda: db.c.update_one({"_id": 1}, {"$set": {"v": bad, "w": 1}}),
             "upsert": lambda: db.c.update_one({"_id": 4}, {"$set": {"v": bad}}, upsert=True)}
    with pytest.raises(bson.errors.InvalidDocument):
        calls[write]()
    assert list(db.c.find()) == [{"_id": 1, "v": "kept"}]


def test_mongomocks_field_name_checks_still_refuse():
    db = connect("mongomock://names")["rawbank_test"]
    db.c.drop()
    with pytest.raises(bson.errors.InvalidDocument):
        db.c.insert_one({"_id": 1, "$bad": 1})
    with pytest.raises(bson.errors.InvalidDocument):
        db.c.insert_one({"_id": 1, "a": {"b\0c": 1}})
    assert db.c.count_documents({}) == 0


def test_the_relay_sends_an_outbox_entry_as_the_event_itself_would_be_sent():
    event = new_event("StockReceived", "VNS/YRN", {
        "movement_id": "m1", "sku": "YRN", "depot": "VNS", "quantity": 1500, "on_hand": 1500,
        "available": 1500, "by": "कारीगर"}, source="test", correlation_id="c1")
    entry = outbox_push(event)["outbox"]["$each"][0]
    assert wire_bytes({**entry, "_extra": 1}) == event.to_bytes()
    assert event.to_bytes() == json.dumps(event.to_dict(), separators=(",", ":"), ensure_ascii=False).encode()
    assert Event(**json.loads(wire_bytes(entry))) == event


_path_in = st.sampled_from(["a", "b", "box", "a.x", "box.0.n", "c"])
_update = st.one_of(
    st.builds(lambda p, v: {"$set": {p: v}}, _path_in, st.one_of(st.integers(0, 3), st.lists(st.integers(0, 3),
                                                                                            max_size=2))),
    st.builds(lambda p: {"$unset": {p: ""}}, _path_in),
    st.builds(lambda p: {"$inc": {p: 1}}, st.sampled_from(["n", "a.x", "box.0.n"])),
    st.builds(lambda v: {"$push": {"box": {"n": v}}}, st.integers(0, 3)),
    st.builds(lambda v: {"$pull": {"box": {"n": v}}}, st.integers(0, 3)),
    st.builds(lambda v: {"$addToSet": {"box": {"n": v}}}, st.integers(0, 3)),
    st.just({"$pop": {"box": 1}}),
    st.just({"$rename": {"c": "d"}}),
    st.builds(lambda v: {"$push": {"box": {"n": v}}, "$set": {"box.0.n": 9}}, st.integers(0, 3)),
    st.builds(lambda v: {"$push": {"box.0.tags": v}}, st.integers(0, 3)),  # into an element: not the list alone
    st.builds(lambda v: {"keep": v, "box": [{"n": v}]}, st.integers(0, 3)),  # a replacement
    st.builds(lambda v: [{"$set": {"a.x": v}}], st.integers(0, 3)),  # a pipeline
)


@settings(max_examples=250, deadline=None)
@given(updates=st.lists(_update, min_size=1, max_size=6), refused=st.booleans())
def test_a_call_of_several_updates_is_undone_to_what_it_found_and_otherwise_applies_as_mongomock_does(updates,
                                                                                                       refused):
    """The journal copies only the fields an update names, sharing the rest with the document; a later
    update of the same call (one lock held) that may change a shared field in place copies it first."""
    db = connect("mongomock://shared-fields")["rawbank_test"]
    db.c.drop()
    start = {"_id": 1, "a": {"x": 1, "y": [1, 2]}, "b": [{"n": 1}], "box": [{"n": 1}, {"n": 2}], "c": {"z": 1},
             "n": 0}
    db.c.insert_one(copy.deepcopy(start))
    plain = mongomock.MongoClient().db.c  # mongomock's own answer, applied one update at a time
    plain.insert_one(copy.deepcopy(start))
    answers = []  # each update's modified count, or what refused it
    try:
        with db.c._lock:  # one store call: the journal ends when the lock is let go
            for update in updates:
                for collection in (db.c, plain):
                    try:
                        answers.append(collection.update_one({"_id": 1}, copy.deepcopy(update)).modified_count)
                    except Exception as exc:  # noqa: BLE001 - both must refuse alike
                        answers.append(type(exc))
            if refused:
                db.c.update_one({"_id": 1}, {"$set": {"bad": object()}})  # cannot be stored: the call is undone
    except bson.errors.InvalidDocument:
        assert refused
    assert answers[0::2] == answers[1::2]
    assert db.c.find_one({"_id": 1}) == (start if refused else plain.find_one({"_id": 1}))


_DAY = datetime(2026, 12, 5, 9, 30, 15, 123456)
_value = st.one_of(st.integers(-3, 3), st.floats(-2, 2, allow_nan=False), st.sampled_from(["", "x", "कपास"]),
                   st.none(), st.booleans(), st.just(_DAY), st.just(_DAY.replace(tzinfo=timezone.utc)),
                   st.lists(st.integers(0, 3), max_size=2), st.tuples(st.integers(0, 3)),
                   st.fixed_dictionaries({"k": st.integers(0, 3)}), st.just({"at": _DAY}))
_direct_path = st.sampled_from(["n", "s", "new", "d", "d.k", "d.new", "d.deep.k", "l", "l.0", "l.1", "l.5", "l.01",
                                "l.0.k", "l.1.k", "box", "box.0", "missing.k", "_id", "f", "n.k", "s.0"])
_pushed = st.one_of(_value, st.fixed_dictionaries({"$each": st.lists(_value, max_size=2)}),
                    st.just({"$each": [1], "$slice": 1}), st.just({"$slice": 1}))
_any_update = st.dictionaries(st.sampled_from(["$set", "$inc", "$unset", "$push", "$max"]),
                              st.dictionaries(_direct_path, _pushed, min_size=0, max_size=3), min_size=1, max_size=3)
# what the direct path is for: its four operators on places that exist, or one step past them
_places = st.sampled_from(["n", "f", "new", "d.k", "d.new", "l.0.k", "l.1", "box", "s"])
_plain_update = st.lists(st.one_of(
    st.tuples(st.just("$set"), _places, _value),
    st.tuples(st.just("$inc"), _places, st.one_of(st.integers(-3, 3), st.floats(-2, 2, allow_nan=False), _value)),
    st.tuples(st.just("$unset"), _places, st.just("")),
    st.tuples(st.just("$push"), st.sampled_from(["box", "box", "new", "d.new", "l.1", "n"]), _pushed)),
    min_size=1, max_size=4, unique_by=lambda change: change[1]).map(
    lambda changes: {operator: {path: value for op, path, value in changes if op == operator}
                     for operator, _, _ in changes})
_direct_update = st.one_of(_plain_update, _plain_update, _plain_update, _any_update)
_direct_filter = st.sampled_from([{"_id": "s1"}, {"_id": "s1"}, {"_id": "s1"}, {"_id": "s1", "v": 3},
                                  {"_id": "s1", "v": 4}, {"_id": "gone"}, {"_id": "s1", "s": "a"}, {"_id": 7},
                                  {"_id": "s1", "v": {"$gt": 1}}, {"v": 3},
                                  {"_id": "s1", "at": {"$lt": _DAY.replace(hour=10, tzinfo=timezone.utc)}},
                                  {"_id": "s1", "at": {"$gt": _DAY.replace(hour=10)}}])


@settings(max_examples=400, deadline=None)
@given(update=_direct_update, spec=_direct_filter, extra=st.booleans())
def test_an_update_of_one_document_applies_exactly_what_mongomocks_applies(update, spec, extra):
    """The direct path of `update_one` (store_updates.update) against mongomock's own update: the same refusal,
    the same counts, the same document stored, on any mix of operators, paths that exist or not, arrays,
    dates, conflicts and what only mongomock serves."""
    start = {"_id": "s1", "v": 3, "n": 1, "s": "a", "f": 1.5, "d": {"k": 1, "deep": {"k": [1]}},
             "l": [{"k": 1}, {"k": 2}], "box": [1, 2], **({"at": _DAY} if extra else {})}
    outcomes = []
    for ours in (True, False):  # the embedded store, then mongomock's own (no journal: never the direct path)
        db = connect(f"mongomock://direct-{ours}")["rawbank_test"] if ours else mongomock.MongoClient(
            tz_aware=True).db
        db.c.drop()
        db.c.insert_one(copy.deepcopy(start))
        db.c.insert_one({"_id": 7, "v": 3})
        try:
            result = db.c.update_one(copy.deepcopy(spec), copy.deepcopy(update))
            outcome = (result.matched_count, result.modified_count)
        except Exception as exc:  # noqa: BLE001 - both must refuse alike
            outcome = type(exc)
        outcomes.append((outcome, list(db.c.find(sort=[("_id", 1)])) if spec != {"v": 3} else
                         sorted(map(repr, db.c.find()))))
    assert outcomes[0] == outcomes[1]


def test_a_stock_write_is_applied_directly_and_its_undo_puts_back_what_was_there():
    """The receipt's update (scalars, one lot's figure by index, journal and outbox pushed) takes the direct
    path, not mongomock's; a value that cannot be stored undoes it whole, the pushed lists included."""
    db = connect("mongomock://direct-stock")["rawbank_test"]
    db.stock.drop()
    db.stock.create_index("sku")
    stored = {"_id": "VNS/YRN", "sku": "YRN", "version": 3, "on_hand": 5, "lots": [{"lot": "A", "on_hand": 5}],
              "holds": {"R1": 2}, "journal": [{"_id": "m0"}], "outbox": []}
    db.stock.insert_one(copy.deepcopy(stored))
    update = {"$set": {"on_hand": 6, "lots.0.on_hand": 6, "holds.R2": 1, "version": 4},
              "$unset": {"holds.R1": ""}, "$push": {"journal": {"$each": [{"_id": "m1", "at": _DAY}]},
                                                    "outbox": {"$each": [{"event_id": "e1"}]}}}
    with mock.patch.object(store_journal, "_journaled_update", side_effect=AssertionError("mongomock's path")):
        assert db.stock.update_one({"_id": "VNS/YRN", "version": 3}, update).modified_count == 1
        assert db.stock.update_one({"_id": "VNS/YRN", "version": 3}, update).matched_count == 0  # a lost race
        with pytest.raises(bson.errors.InvalidDocument):
            db.stock.update_one({"_id": "VNS/YRN"}, {"$set": {"on_hand": 7, "bad": object()},
                                                     "$push": {"journal": {"_id": "m2"}}})
    assert db.stock.find_one({"_id": "VNS/YRN"}) == {
        **stored, "version": 4, "on_hand": 6, "lots": [{"lot": "A", "on_hand": 6}], "holds": {"R2": 1},
        "journal": [{"_id": "m0"}, {"_id": "m1", "at": _DAY.replace(microsecond=123000, tzinfo=timezone.utc)}],
        "outbox": [{"event_id": "e1"}]}
    assert [doc["_id"] for doc in db.stock.find({"sku": "YRN"})] == ["VNS/YRN"]  # the index follows


def test_mongomocks_update_after_a_direct_one_in_the_same_call_starts_from_what_the_direct_one_left():
    """mongomock's update compares the document with its snapshot; after a direct update of the same call, that
    snapshot is the document as the direct update left it, not the journal's copy from before the call."""
    db = connect("mongomock://direct-then-mongomock")["rawbank_test"]
    db.c.drop()
    db.c.insert_one({"_id": 1, "n": 1})
    with db.c._lock:
        assert db.c.update_one({"_id": 1}, {"$set": {"n": 2}}).modified_count == 1  # the direct path
        assert db.c.update_one({"_id": 1}, {"$max": {"n": 0}}).modified_count == 0  # mongomock's: nothing to do
    assert db.c.find_one({"_id": 1}) == {"_id": 1, "n": 2}


def test_an_update_naming_a_unique_indexes_field_is_left_to_mongomock():
    db = connect("mongomock://direct-unique")["rawbank_test"]
    db.c.drop()
    db.c.create_index("code", unique=True)
    db.c.insert_many([{"_id": 1, "code": "a"}, {"_id": 2, "code": "b"}])
    with pytest.raises(DuplicateKeyError):
        db.c.update_one({"_id": 2}, {"$set": {"code": "a"}})
    assert db.c.find_one({"_id": 2}) == {"_id": 2, "code": "b"}
