"""Equality indexes for the embedded store: what a MongoDB index gives a query on one field, for mongomock.

mongomock answers every query by testing every document of the collection, so the notifier's
`{"requisition_id": ...}` update cost grew with every notification ever stored. For a filter with a
top-level equality on a field that a declared index begins with, the candidates are looked up in a
map value -> document keys instead, and each candidate is still tested against the whole filter, so
the answer is the scan's (tests/unit/test_store_index.py). The maps are built at the first such
query and kept up to date from the journal, which sees every change of every store call
(shared/store_journal.py); what the current call changed so far is always a candidate too, and a
call undone drops the maps it touched (built again at the next use). Production's MongoDB uses its
own indexes; this module is never loaded there.
"""
from __future__ import annotations

import math
from datetime import datetime

from sortedcontainers import SortedList

#: Values kept in the map (NaN is not: it equals nothing). The map's lookup equates True and 1 as
#: mongomock's scan does (MongoDB would not; rawbank never stores a bool where it looks one up).
KEPT = (str, int, float, bool)
_ABSENT = object()


def kept(value) -> bool:
    return type(value) in KEPT and not (type(value) is float and math.isnan(value))


def _kept_list(value) -> bool:
    """{"$in": [values each kept]}: the union of their documents, in the collection's order as the scan gives them."""
    return type(value) is dict and len(value) == 1 and type(value.get("$in")) is list and all(map(kept, value["$in"]))


class _Index:
    def forget(self, key) -> None:
        """The document is deleted (called before the call's changes settle, see `reindex`)."""


class FieldIndex(_Index):
    """Document keys by the value of one top-level field; a document holding an array there is filed under each
    of its elements (MongoDB's multikey index: {"members": x} matches an array holding x); one holding an array
    within an array may match any value."""

    def __init__(self, field: str, documents):
        self.field = field
        self.buckets: dict[object, dict] = {}
        self.arrays: dict = {}
        for key, doc in documents.items():
            self.add(key, doc)

    def _value(self, doc):
        return doc.get(self.field, _ABSENT) if isinstance(doc, dict) else _ABSENT

    def add(self, key, doc) -> None:
        value = self._value(doc)
        if kept(value):
            self.buckets.setdefault(value, {})[key] = None
        elif isinstance(value, (list, tuple)):
            if any(isinstance(element, (list, tuple)) for element in value):
                self.arrays[key] = None
            else:
                for element in value:
                    if kept(element):
                        self.buckets.setdefault(element, {})[key] = None
        # anything else (absent, null, a document, a date) never equals a kept value

    def remove(self, key, doc) -> None:
        value = self._value(doc)
        if kept(value):
            self._drop(value, key)
        elif isinstance(value, (list, tuple)):
            self.arrays.pop(key, None)
            for element in value:
                if kept(element):
                    self._drop(element, key)

    def _drop(self, value, key) -> None:
        bucket = self.buckets.get(value)
        if bucket is not None:
            bucket.pop(key, None)
            if not bucket:
                del self.buckets[value]

    def candidates(self, value) -> list:
        """Keys of the documents that may hold `value` in the field, oldest entry first."""
        return [*self.buckets.get(value, ()), *self.arrays]


class ExistsIndex(_Index):
    """Keys of the documents that hold a path (a sparse index's `{path: {"$exists": true}}`): the relay's search
    for documents with events to send (`outbox.event_id`) looked at every requisition ever stored. A document
    whose path cannot be told (an array within an array, a numbered element) is kept: the filter tests it."""

    def __init__(self, path: str, documents):
        self.parts = path.split(".")
        self.keys: dict = {}
        for key, doc in documents.items():
            self.add(key, doc)

    def add(self, key, doc) -> None:
        if _may_hold(doc, self.parts):
            self.keys[key] = None

    def remove(self, key, doc) -> None:
        self.keys.pop(key, None)

    def candidates(self) -> list:
        return list(self.keys)


def sort_kind(value):
    """The kind of a sort value Python orders as MongoDB does among values of that kind; None: any other."""
    kind = type(value)
    if kind is int or (kind is float and not math.isnan(value)):
        return "number"
    if kind is str:
        return "string"
    if kind is datetime:
        return "aware date" if value.tzinfo is not None else "date"
    return None


class SortedIndex(_Index):
    """Document keys in the order of one top-level field's values, and within equal values in the order of the
    collection's documents (mongomock sorts stably what its scan yields): what a MongoDB index beginning with
    the field gives a sort on it. The newest 50 of 10^5 events, or an admin's first page of requisitions,
    sorted and copied every record. Served only while every document holds a value of one kind
    (`sort_kind`): anything else (a value missing, null, an array, numbers beside strings) is left to
    mongomock's own sort."""

    def __init__(self, field: str, documents):
        self.field = field
        self.lists: dict[str, SortedList] = {}  # kind -> (value, place, key), each of one kind
        self.entries: dict = {}  # key -> (kind, entry) as filed
        self.odd: dict = {}  # keys of the documents whose value is of no plain kind
        self.place: dict = {}  # key -> its place among the collection's documents (kept through updates)
        self.next = 0
        for key, doc in documents.items():
            self.add(key, doc)

    def add(self, key, doc) -> None:
        self.remove(key, doc)  # filed already when the index was built within the call that stored it
        place = self.place.get(key)
        if place is None:
            place = self.place[key] = self.next
            self.next += 1
        value = doc.get(self.field) if isinstance(doc, dict) else None
        kind = sort_kind(value)
        if kind is None:
            self.odd[key] = None
            return
        entry = self.entries[key] = (kind, (value, place, key))
        self.lists.setdefault(kind, SortedList()).add(entry[1])

    def remove(self, key, doc) -> None:
        self.odd.pop(key, None)
        kind, entry = self.entries.pop(key, (None, None))
        if kind is not None:
            self.lists[kind].remove(entry)
            if not self.lists[kind]:
                del self.lists[kind]

    def forget(self, key) -> None:
        self.place.pop(key, None)  # stored again, it comes last, as in the collection's documents

    def groups(self, descending: bool):
        """Lists of keys of equal value, in the order asked; None when the values are not all of one kind."""
        if self.odd or len(self.lists) > 1:
            return None
        return _grouped(next(iter(self.lists.values()), ()), descending)


class GroupedSortedIndex(_Index):
    """Per value of one top-level field, the documents holding it in the order of another (SortedIndex's order:
    by value, then the collection's order): what MongoDB's compound index (equal, field) gives a sort on `field`
    of the documents with one value of `equal`. The dispatcher's claim of the next due delivery (status
    "pending", earliest `next_attempt_at`) sorted every pending delivery, so a backlog made each claim slower
    and the backlog longer. Served for a value while every document holding it has a `field` of one plain kind
    and no document holds an array in `equal` (it may hold the value among others)."""

    def __init__(self, equal: str, field: str, documents):
        self.equal, self.field = equal, field
        self.buckets: dict = {}  # value of `equal` -> {kind: SortedList of (value of `field`, place, key)}
        self.entries: dict = {}  # key -> (its value of `equal`, kind, entry) as filed
        self.odd: dict = {}  # value of `equal` -> keys of its documents whose `field` is of no plain kind
        self.arrays: dict = {}  # keys of the documents holding an array in `equal`
        self.place: dict = {}  # key -> its place among the collection's documents (kept through updates)
        self.next = 0
        for key, doc in documents.items():
            self.add(key, doc)

    def add(self, key, doc) -> None:
        self.remove(key, doc)
        place = self.place.get(key)
        if place is None:
            place = self.place[key] = self.next
            self.next += 1
        held = doc.get(self.equal, _ABSENT) if isinstance(doc, dict) else _ABSENT
        if isinstance(held, (list, tuple)):
            self.arrays[key] = None
            return
        if not kept(held):  # absent, null, a document, a date: equals no value looked up here
            return
        value = doc.get(self.field)
        kind = sort_kind(value)
        entry = self.entries[key] = (held, kind, (value, place, key))
        if kind is None:
            self.odd.setdefault(held, {})[key] = None
        else:
            self.buckets.setdefault(held, {}).setdefault(kind, SortedList()).add(entry[2])

    def remove(self, key, doc) -> None:
        self.arrays.pop(key, None)
        if key not in self.entries:
            return
        held, kind, entry = self.entries.pop(key)
        filed = self.odd if kind is None else self.buckets[held]
        if kind is None:
            filed[held].pop(key)
            if not filed[held]:
                del filed[held]
            return
        filed[kind].remove(entry)
        if not filed[kind]:
            del filed[kind]
            if not filed:
                del self.buckets[held]

    def forget(self, key) -> None:
        self.place.pop(key, None)

    def groups(self, value, descending: bool):
        """Lists of keys of equal `field` among the documents holding `value`, in the order asked; None when
        the index cannot tell them (see the class)."""
        if self.arrays or value in self.odd:
            return None
        lists = self.buckets.get(value, {})
        if len(lists) > 1:
            return None
        return _grouped(next(iter(lists.values()), ()), descending)


def _grouped(entries: SortedList, descending: bool):
    group, last = [], _ABSENT
    for value, _, key in (reversed(entries) if descending else entries):
        if group and value != last:
            yield group[::-1] if descending else group
            group = []
        group.append(key)
        last = value
    if group:
        yield group[::-1] if descending else group


def _may_hold(value, parts: list[str]) -> bool:
    if not parts:
        return True
    if isinstance(value, dict):
        return parts[0] in value and _may_hold(value[parts[0]], parts[1:])
    if isinstance(value, (list, tuple)):
        return parts[0].isdigit() or any(_may_hold(item, parts) for item in value
                                         if isinstance(item, (dict, list, tuple)))
    return False


def indexed_paths(store) -> set[str]:
    """Every path a declared index of the collection begins with, dotted ones too (not `_id`: looked up
    directly). An equality is served on a top-level one; `$exists` on any."""
    paths = set()
    for index in store.indexes.values():
        keys = list(index.get("key") or ())
        first = keys[0][0] if keys and isinstance(keys[0], (list, tuple)) else None
        if isinstance(first, str) and first != "_id" and not first.startswith("$"):
            paths.add(first)
    return paths


def candidates(store, filter) -> list | None:
    """The documents a filter with an indexed equality may match, or None when no index serves it."""
    keys = _keys(store, filter, indexed_paths(store))
    if keys is None:
        return None
    keys.update((key, None) for touched, key in store.journal.before if touched is store)  # this call's
    documents = store._documents
    return [documents[key] for key in keys if key in documents]


def _index(store, name, make):
    """The collection's map kept under `name`, built by `make()` at its first use."""
    index = store.field_indexes.get(name)
    if index is None:
        index = store.field_indexes[name] = make()
    return index


def _keys(store, filter, paths: set[str]) -> dict | None:
    """Keys of the documents an indexed equality (or `$in` a list of values, or an indexed path's `$exists`) of
    `filter` allows (an admin's first view of What to order reads every depot's stock by `$in`), or of each of its
    `$or` branches (the dispatcher's claim: pending and due, or sending with a lapsed lease), or
    of one of its `$and` branches (an artisan's requisitions: theirs or a share, within what they may see);
    None: no index serves it. `paths`: the collection's `indexed_paths`."""
    if not isinstance(filter, dict):
        return None
    for field, value in filter.items():
        if field in paths and "." not in field and kept(value):
            index = _index(store, field, lambda: FieldIndex(field, store._documents))
            return dict.fromkeys(index.candidates(value))
    for field, value in filter.items():
        if field in paths and "." not in field and _kept_list(value):  # an equality served first: fewer to test
            index = _index(store, field, lambda: FieldIndex(field, store._documents))
            found = {key: None for one in value["$in"] for key in index.candidates(one)}
            return found if len(value["$in"]) < 2 else {key: None for key in store._documents if key in found}
    for field, value in filter.items():
        if type(value) is dict and value == {"$exists": True} and field in paths:
            index = _index(store, ("$exists", field), lambda: ExistsIndex(field, store._documents))
            return dict.fromkeys(index.candidates())
    branches = filter.get("$or")
    if isinstance(branches, list) and branches:
        served = [_keys(store, branch, paths) for branch in branches]
        if None not in served:  # one branch unserved: it may match any document
            return {key: None for keys in served for key in keys}
    branches = filter.get("$and")
    if isinstance(branches, list):  # every branch must match: one served is enough
        return next((keys for branch in branches if (keys := _keys(store, branch, paths)) is not None), None)
    return None


def ordered(store, field: str, descending: bool):
    """The documents in the order of `field`, as lists of equal values (see SortedIndex), when a declared index
    begins with that top-level field and every document holds a value of one plain kind; else None."""
    if "." in field or field not in indexed_paths(store):
        return None
    groups = _index(store, ("$sorted", field), lambda: SortedIndex(field, store._documents)).groups(descending)
    if groups is None:
        return None
    documents = store._documents
    return ([documents[key] for key in group] for group in groups)


def grouped_paths(store) -> set[tuple[str, str]]:
    """(first, second) top-level fields of every declared index with at least two keys (not `_id` first)."""
    pairs = set()
    for index in store.indexes.values():
        keys = [key[0] if isinstance(key, (list, tuple)) else None for key in index.get("key") or ()]
        if len(keys) >= 2 and all(isinstance(k, str) and "." not in k and not k.startswith("$") for k in keys[:2]) \
                and keys[0] != "_id":
            pairs.add((keys[0], keys[1]))
    return pairs


def ordered_within(store, equal: str, value, field: str, descending: bool):
    """The documents holding `value` in `equal`, in the order of `field` as lists of equal values (see
    GroupedSortedIndex), when a declared index begins with (equal, field); else None."""
    if not kept(value) or (equal, field) not in grouped_paths(store):
        return None
    index = _index(store, ("$grouped", equal, field), lambda: GroupedSortedIndex(equal, field, store._documents))
    groups = index.groups(value, descending)
    if groups is None:
        return None
    documents = store._documents
    return ([documents[key] for key in group] for group in groups)


def forget(store, key) -> None:
    """A document is deleted: stored again under its key, it comes last among the documents."""
    for index in store.field_indexes.values():
        index.forget(key)


def reindex(store, key, before, after, absent) -> None:
    """Move one changed document within the collection's maps (`absent`: it did not exist, or no longer does)."""
    for index in store.field_indexes.values():
        if before is not absent:
            index.remove(key, before)
        if after is not absent:
            index.add(key, after)
