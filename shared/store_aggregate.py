"""How the embedded store runs an aggregation without copying the collection, with mongomock's results.

mongomock's `aggregate` first reads the whole collection through `find()` (a copy of every document,
its dates walked), then its `$match` walks every document's dates again (another copy), and its
`$group` sorts every document by a BSON comparison to group neighbours. The reconcile facts sum the
whole ledger this way: 10^4 movements took 1.4 s, 10^5 did not finish in 20 minutes.

Here the leading `$match` stages are one filter over the stored documents themselves (looked up in an
index when one serves it, shared/store_reads.py), the remaining stages run on those
documents, and only the result is copied and its dates made aware, as a find's would be. That is
safe only for stages that never change their input documents, so pipelines with any other stage
are mongomock's. `$group` puts documents with equal keys together in a dict (one pass) and orders
the groups as mongomock does, so its results, and their order, are mongomock's.
Installed into mongomock by shared/embedded_store.py; tests/unit/test_store_aggregate.py compares both.
"""
from __future__ import annotations

import itertools

import mongomock.aggregate
import mongomock.collection
import mongomock.helpers
from mongomock import command_cursor, filtering

_original_aggregate = mongomock.collection.Collection.aggregate
_original_group = mongomock.aggregate._handle_group_stage

#: Stages that build new documents or lists and leave their input documents as they are
#: ($unwind copies each document before it sets the element; $project and $group build new ones).
_READ_ONLY = frozenset({"$match", "$group", "$project", "$unwind", "$sort", "$limit", "$skip", "$count"})


def aggregate(self, pipeline, session=None, **kwargs):
    """mongomock's aggregate over the stored documents, the collection never copied (see the module)."""
    stages = list(pipeline)
    if session or not all(isinstance(stage, dict) and len(stage) == 1 and next(iter(stage)) in _READ_ONLY
                          for stage in stages):
        return _original_aggregate(self, pipeline, session, **kwargs)
    leading = []
    while stages and "$match" in stages[0]:
        leading.append(stages.pop(0)["$match"])
    spec = leading[0] if len(leading) == 1 else ({"$and": leading} if leading else {})
    spec = mongomock.helpers.patch_datetime_awareness_in_document(spec)
    documents = list(self._iter_documents(spec))
    rows = list(mongomock.aggregate.process_pipeline(documents, self.database, stages, None)) if stages \
        else documents
    # nothing returned may be the store's own: making dates aware (as find does) rebuilds every dict and list
    copy = mongomock.helpers.make_datetime_timezone_aware_in_document if self.codec_options.tz_aware \
        else mongomock.collection.copy.deepcopy
    return command_cursor.CommandCursor([copy(row) for row in rows])


def group(in_collection, database, options):
    """mongomock's `$group`, its documents put together by key in one pass instead of sorted by BSON order.

    Documents whose keys are equal as BSON compares them (`_hashable`) are one group, in their
    input order; the groups are sorted as mongomock sorts every document (stably, by BSON order),
    and neighbours Python finds equal are then joined, as mongomock's itertools.groupby joins them.
    So the groups, their order and each group's documents are mongomock's. A key of a kind not
    listed in `_hashable` is left to mongomock.
    """
    _id = options["_id"]
    if not _id:
        return _original_group(in_collection, database, options)

    def key_of(doc):
        try:
            return mongomock.aggregate._parse_expression(_id, doc, ignore_missing_keys=True)
        except KeyError:
            return None

    groups: dict = {}
    for doc in in_collection:
        key = key_of(doc)
        frozen = _hashable(key)
        if frozen is _UNHASHABLE:
            return _original_group(in_collection, database, options)
        found = groups.get(frozen)
        if found is None:
            groups[frozen] = (key, [doc])
        else:
            found[1].append(doc)
    out = []
    ordered = sorted(groups.values(), key=lambda group: filtering.BsonComparable(group[0]))
    for key, run in itertools.groupby(ordered, key=lambda group: group[0]):  # neighbours Python finds equal
        row = mongomock.aggregate._accumulate_group(options, [doc for _, members in run for doc in members])
        row["_id"] = key
        out.append(row)
    return out


_UNHASHABLE = object()


def _hashable(value, nested: bool = False):
    """A hashable stand-in, equal exactly when BSON's order (mongomock's BsonComparable) finds the values equal:
    a dict's fields in their order, a bool apart from the numbers 0 and 1. Arrays, and bools within a document,
    are not given one (mongomock's order finds [True] equal to [1]): their groups are mongomock's to make."""
    kind = type(value)
    if kind is dict:
        items = []
        for name, item in value.items():
            frozen = _hashable(item, nested=True)
            if frozen is _UNHASHABLE:
                return _UNHASHABLE
            items.append((name, frozen))
        return ("dict", tuple(items))
    if kind is bool and nested:
        return _UNHASHABLE
    if kind in (str, int, float, bool, type(None)) or isinstance(value, mongomock.ObjectId):
        return (kind is bool, value)
    return _UNHASHABLE


def install() -> None:
    mongomock.collection.Collection.aggregate = aggregate
    mongomock.aggregate._PIPELINE_HANDLERS["$group"] = group
