"""The embedded store's aggregation (shared/store_aggregate.py) gives mongomock's results, in mongomock's order,
and leaves the stored documents as they were."""
from __future__ import annotations

import copy
from datetime import datetime, timezone
from unittest import mock

import mongomock.aggregate
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared import store_aggregate
from shared.mongo import connect

_values = st.one_of(st.integers(-2, 2), st.sampled_from([1.0, 2.5, True, False, None, "", "a", "b"]),
                    st.lists(st.sampled_from([1, "a", None, 2.0, True]), max_size=3),
                    st.fixed_dictionaries({"x": st.sampled_from([1, "a"])}),
                    st.just({"y": 1, "x": 1}), st.just({"x": 1, "y": 1}))
_documents = st.lists(st.fixed_dictionaries(
    {"k": _values, "depot": st.sampled_from(["VNS", "BHU"]), "sku": st.sampled_from(["A", "B", "C"]),
     "q": st.integers(-5, 5), "lines": st.lists(st.fixed_dictionaries({"sku": st.sampled_from(["A", "B"]),
                                                                        "quantity": st.integers(0, 3)}), max_size=2)},
    optional={"outbox": st.lists(st.just({"id": "e"}), max_size=2), "rid": st.sampled_from(["r1", "r2"])}),
    max_size=25)

#: Every pipeline the services run (services/*/reconcile.py, replenishment.py, ledger.py, shared/reconcile.py),
#: and groups on keys of every kind: numbers and bools, dicts in either field order, arrays, missing fields.
PIPELINES = [
    [{"$group": {"_id": {"depot": "$depot", "sku": "$sku"}, "on_hand": {"$sum": "$q"}, "entries": {"$sum": 1}}}],
    [{"$match": {"rid": {"$exists": True}}},
     {"$group": {"_id": {"rid": "$rid", "sku": "$sku"}, "count": {"$sum": 1}, "quantity": {"$sum": "$q"}}}],
    [{"$match": {"outbox.0": {"$exists": True}}}, {"$project": {"n": {"$size": "$outbox"}}},
     {"$group": {"_id": None, "n": {"$sum": "$n"}}}],
    [{"$match": {"depot": "VNS"}}, {"$unwind": "$lines"},
     {"$group": {"_id": "$lines.sku", "quantity": {"$sum": "$lines.quantity"}}}],
    [{"$match": {"depot": "VNS"}}, {"$match": {"q": {"$gte": 0}}}, {"$group": {"_id": "$sku", "q": {"$sum": "$q"}}}],
    [{"$group": {"_id": {"k": "$k", "d": "$depot"}, "n": {"$sum": 1}}}, {"$match": {"n": {"$gt": 1}}}],
    [{"$group": {"_id": "$k", "n": {"$sum": 1}, "docs": {"$push": "$q"}}}],
    [{"$match": {"sku": "A"}}, {"$sort": {"q": -1}}, {"$limit": 3}],
    [{"$match": {"sku": "B"}}, {"$count": "n"}],
]


def _stored(collection) -> dict:
    return {doc["_id"]: copy.deepcopy(doc) for doc in collection._target._store.documents}


@settings(max_examples=150, deadline=None)
@given(documents=_documents)
def test_each_pipeline_gives_mongomocks_rows_in_mongomocks_order(documents):
    collection = connect("mongomock://aggregate")["rawbank_test"].things
    collection.drop()
    collection.create_index([("depot", 1), ("sku", 1)])  # a $match on depot is then looked up in the index
    if documents:
        collection.insert_many([{"_id": n, **doc} for n, doc in enumerate(documents)])
    before = _stored(collection)
    for pipeline in PIPELINES:
        ours = list(collection.aggregate(pipeline))
        with mock.patch.dict(mongomock.aggregate._PIPELINE_HANDLERS, {"$group": store_aggregate._original_group}):
            theirs = list(store_aggregate._original_aggregate(collection._target, pipeline))
        assert ours == theirs, pipeline
        assert [list(row) for row in ours] == [list(row) for row in theirs]  # field order too
    assert _stored(collection) == before


@pytest.mark.parametrize("keys", [[1, 2, True], [1, True], [True, 1.0, 1], [0, False, "a"], [2, 1.0, 1, 2.0],
                                  [{"x": 1, "y": 1}, {"y": 1, "x": 1}], [{"x": 1, "y": 1}, 1, {"y": 1, "x": 1}],
                                  [["a"], "a", None, [], None], [[1], [True], [1]], [{"x": 1}, {"x": True}, {"x": 1}]])
def test_keys_python_and_bson_compare_differently_are_grouped_as_mongomock_groups_them(keys):
    """True == 1 in Python but not in BSON's order; mongomock joins them only when its sort puts them side by side
    (and its order finds [True] equal to [1], so it keeps those in the order they came)."""
    collection = connect("mongomock://aggregate")["rawbank_test"].things
    collection.drop()
    collection.insert_many([{"_id": n, "k": key} for n, key in enumerate(keys)])
    pipeline = [{"$group": {"_id": "$k", "n": {"$sum": 1}, "ids": {"$push": "$_id"}}}]
    with mock.patch.dict(mongomock.aggregate._PIPELINE_HANDLERS, {"$group": store_aggregate._original_group}):
        theirs = list(store_aggregate._original_aggregate(collection._target, pipeline))
    assert list(collection.aggregate(pipeline)) == theirs


def test_a_result_is_a_copy_and_dates_come_back_aware():
    collection = connect("mongomock://aggregate")["rawbank_test"].things
    collection.drop()
    at = datetime(2026, 12, 1, 10, 30, tzinfo=timezone.utc)
    collection.insert_one({"_id": 1, "sku": "A", "lines": [{"q": 1}], "at": at})
    [row] = collection.aggregate([{"$match": {"sku": "A"}}])
    row["lines"].append({"q": 2})
    [first] = collection.aggregate([{"$group": {"_id": "$sku", "lines": {"$first": "$lines"}, "at": {"$max": "$at"}}}])
    first["lines"].clear()
    assert collection.find_one({"_id": 1})["lines"] == [{"q": 1}]
    assert first["at"] == at and first["at"].tzinfo is not None


def test_a_pipeline_with_a_stage_that_may_change_documents_is_mongomocks():
    collection = connect("mongomock://aggregate")["rawbank_test"].things
    collection.drop()
    collection.insert_one({"_id": 1, "sku": "A", "q": 2})
    with mock.patch.object(store_aggregate, "_original_aggregate", wraps=store_aggregate._original_aggregate) as seen:
        rows = list(collection.aggregate([{"$addFields": {"twice": {"$multiply": ["$q", 2]}}}]))
    assert seen.called and rows == [{"_id": 1, "sku": "A", "q": 2, "twice": 4}]
    assert collection.find_one({"_id": 1}) == {"_id": 1, "sku": "A", "q": 2}
