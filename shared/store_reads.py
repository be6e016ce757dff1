"""How the embedded store answers reads faster than mongomock, with mongomock's results.

Lookups by _id and by indexed equalities (shared/store_index.py), a page picked before anything is
copied, and pymongo's find_one; installed into mongomock by shared/embedded_store.py.
"""
from __future__ import annotations

import collections.abc
import heapq
import itertools
import operator
from datetime import datetime

import mongomock
import mongomock.collection
import mongomock.helpers
from mongomock import ObjectId
from mongomock.filtering import filter_applies, resolve_key, resolve_sort_key

from shared import store_index

_scan = mongomock.collection.Collection._iter_documents


def _iter_documents(self, filter):
    """mongomock scans every document even for {"_id": x}; look such a document up directly, and
    a filter with an equality on an indexed field up in that field's map (shared/store_index.py).

    Only for plain str/int/ObjectId ids; expired documents are removed first (on the embedded
    store's collections at most once a second, as MongoDB's TTL monitor does once a minute); the
    document found is still checked against the whole filter, so results are those of the scan.
    The store's own reader lock is skipped: `Locked` already runs one call at a time.
    """
    found = _candidates(self, filter)
    if found is None:
        if type(filter) is dict and not filter and hasattr(self._store, "field_indexes"):
            return iter(list(self._store._documents.values()))  # all of them (count_documents({})): none to test
        return _scan(self, filter)
    return iter([doc for doc in found if _plainly_matches(filter, doc)])


def _plainly_matches(filter, doc) -> bool:
    """filter_applies, without mongomock's generic matcher when every condition is a plain equality
    (a top-level field equal to a string or an integer) and the document holds a value of the same type
    in each, or `$in` a list of strings and integers and the document holds a string or an integer there:
    then MongoDB's equality is Python's (a stock write's {"_id": ..., "version": 3}; the deny-list's
    {"_id": {"$in": [token id, subject]}} at every request). A missing field, a list, another type or any
    other condition is mongomock's to decide."""
    if type(filter) is dict:
        for field, wanted in filter.items():
            kind = type(wanted)
            if type(field) is not str or "." in field or field[:1] == "$":
                break
            held = doc.get(field, _MISSING)
            if kind is dict:
                among = wanted.get("$in") if len(wanted) == 1 else None
                if type(among) is not list or type(held) not in _PLAIN or any(type(one) not in _PLAIN for one in among):
                    break
                if held not in among:
                    return False
                continue
            if (kind is not str and kind is not int) or type(held) is not kind:
                break
            if held != wanted:
                return False
        else:
            return True
    return filter_applies(filter, doc)


_PLAIN = (str, int)  # exactly these types (not bool): equal in MongoDB when equal in Python


_MISSING = object()


def _candidates(self, filter) -> list | None:
    """The documents `filter` may match, by _id (one, or `$in` a list, or either in an `$and` branch) or an
    indexed equality, each still to be tested against it; None when only the scan can tell."""
    journaled = hasattr(self._store, "field_indexes")
    if journaled:
        self._store._remove_expired_documents()  # TTL: at most once a second (shared/store_journal.py)
    found = _by_id(self._store._documents, filter) if journaled or not self._store._ttl_indexes else None
    if found is not None:
        return found
    return store_index.candidates(self._store, filter) if journaled else None


def _by_id(documents, filter) -> list | None:
    """The documents an `_id` of `filter` names: {"_id": x}, {"_id": {"$in": [...]}} (the ledger entries reconcile
    asks after), or either as a branch of `$and` (a requisition asked for within what the caller may see)."""
    if not isinstance(filter, dict):
        return None
    key = filter.get("_id")
    if type(key) in (str, int, ObjectId):
        doc = documents.get(key)
        return [] if doc is None else [doc]
    ids = key.get("$in") if type(key) is dict and len(key) == 1 else None
    if type(ids) is list and all(type(one) in (str, int, ObjectId) for one in ids):
        return [documents[one] for one in dict.fromkeys(ids) if one in documents]
    branches = filter.get("$and")
    if isinstance(branches, list):  # every branch must match: one naming ids is enough
        return next((found for branch in branches if (found := _by_id(documents, branch)) is not None), None)
    return None


def _find_one(self, filter=None, *args, **kwargs):
    """pymongo's find_one: the first result of `find` limited to one (mongomock's copied every match).

    With a limit the page is picked before anything is copied (`_page_results`): the dispatcher's
    sorted claim of the next due delivery copied every pending delivery, under the one store lock.
    """
    if filter is None:
        filter = {}
    if not isinstance(filter, collections.abc.Mapping):
        filter = {"_id": filter}
    kwargs.pop("limit", None)  # pymongo ignores a limit given to find_one
    for document in self.find(filter, *args, **kwargs).limit(-1):
        return document
    return None


_compute_results = mongomock.collection.Cursor._compute_results


def _page_results(self, with_limit_and_skip=False):
    """mongomock's results of a cursor, but a limited read (a page) copies only the documents it returns.

    mongomock sorts every match, copies each and makes its dates aware, then slices; a page of 50
    newest events out of 10^4 copied all 10^4. Here the page is picked first (for one sort key whose
    values are all of one plain kind by heapq.nsmallest/nlargest, documented equal to sorted(...)[:n],
    so ties keep mongomock's order) and only its documents are copied. Unlimited reads, and cursors
    already read whole, are mongomock's, but for one thing: mongomock's cursor asks for its results at
    every document it yields, and each time sliced them whole (`results[skip:]`), so reading N
    documents copied N lists of up to N: reading 10^5 requisitions for a reconcile took minutes.
    Unsliced (no skip, no limit), the results are the list read once.
    """
    whole = self._results and self._factory_last_generated_results == self._factory
    if not with_limit_and_skip or not self._limit or whole:
        if with_limit_and_skip and not self._skip and not self._limit:
            return _compute_results(self, False)  # the cached list itself: `[0:]` was the same list copied
        return _compute_results(self, with_limit_and_skip)
    key = (self._factory, self._skip, self._limit)
    page = self.__dict__.get("_page")
    if page is None or page[0] != key:
        page = self._page = (key, _page(self))
    return page[1]


#: Sort values Python compares as MongoDB does, as long as all are of one kind (bool is not a number there).
_KINDS = {int: "number", float: "number", str: "string", datetime: "date"}


def _page(cursor) -> list:
    collection, sort, wanted = cursor.collection, cursor._sort, cursor._skip + abs(cursor._limit)
    if isinstance(sort, (list, tuple)) and sort and not any(field.startswith("$") for field, _ in sort):
        chosen = _sorted_page(collection, cursor._spec, list(sort), wanted)
        documents = (collection._copy_only_fields(doc, cursor._projection, dict) for doc in chosen[cursor._skip:])
    else:
        documents = itertools.islice(cursor._factory(), cursor._skip, wanted)
    if collection.codec_options.tz_aware:
        return [mongomock.helpers.make_datetime_timezone_aware_in_document(doc) for doc in documents]
    return list(documents)


def _sorted_page(collection, spec, sort: list, wanted: int) -> list:
    """The first `wanted` matches of `spec` in the order of the sort keys, as mongomock's sort gives them.

    A declared index (equal, sort key) walks the documents of that equality in order (_walked_within).
    Documents an index gives are ordered first and tested in that order until the page is full: an artisan's
    newest requisitions (created_at, then _id) test a page of theirs, not all of them.
    """
    patched = "_iter_documents" in vars(collection)  # an update's own scan, journaled (shared/store_journal.py)
    store = collection._store
    if not patched and hasattr(store, "field_indexes") and isinstance(spec, dict) and "_id" not in spec:
        store._remove_expired_documents()  # TTL, as _candidates does first
        walked = _walked_within(store, spec, sort, wanted)
        if walked is not None:
            return walked
    pool = None if patched else _candidates(collection, spec)
    if pool is None and not patched and hasattr(collection._store, "field_indexes"):
        walked = _walked_page(collection._store, spec, sort, wanted)
        if walked is not None:
            return walked
    tested = pool is None
    if tested:
        pool = list(collection._iter_documents(spec))
    columns = [_column(field, pool) for field, _ in sort]
    plain = all(len(kinds) == 1 and None not in kinds
                for kinds in ({_KINDS.get(type(value)) for value in column} for column in columns))
    if plain:  # one kind per key, no value missing: Python orders it as BSON does
        if tested and len(sort) == 1:
            pick = heapq.nlargest if sort[0][1] < 0 else heapq.nsmallest
            return [pool[i] for i in pick(wanted, range(len(pool)), key=columns[0].__getitem__)]
        order = list(range(len(pool)))
        for (_, direction), column in reversed(list(zip(sort, columns))):  # as mongomock sorts: key by key, stable
            order.sort(key=column.__getitem__, reverse=direction < 0)
        ordered = (pool[i] for i in order)
        if tested:
            return list(itertools.islice(ordered, wanted))
        # sorting is stable with reverse too, as heapq's picks are: testing after ordering keeps ties in order
        return list(itertools.islice((doc for doc in ordered if filter_applies(spec, doc)), wanted))
    matches = pool if tested else [doc for doc in pool if filter_applies(spec, doc)]
    return _in_mongomock_order(matches, sort)[:wanted]  # its sort keys have no ==, so heapq would not keep ties


def _in_mongomock_order(documents: list, sort: list) -> list:
    """`documents` sorted as mongomock sorts them: key by key from the last, stably, by its BSON sort keys."""
    for field, direction in reversed(sort):
        documents = sorted(documents, key=lambda doc, field=field: resolve_sort_key(field, doc), reverse=direction < 0)
    return documents


def _walked_within(store, spec: dict, sort: list, wanted: int) -> list | None:
    """The page read in the order of a declared index (equal, first sort key) for a filter with an equality on
    `equal` (store_index.GroupedSortedIndex): the dispatcher's claim of the earliest due delivery tests the first
    pending ones, however many wait. A range on the sort key that the walk's order passes ends the walk (pending
    and due by now: the first one not due yet ends it). Ties as in _walked_page; None: no such index serves it."""
    field, direction = sort[0]
    descending = direction < 0
    for equal, value in spec.items():
        groups = None if equal.startswith("$") or "." in equal else store_index.ordered_within(
            store, equal, value, field, descending)
        if groups is not None:
            break
    else:
        return None
    past = _past_bound(spec.get(field), descending)
    page = []
    for group in groups:
        if past(group[0].get(field)):
            break
        matched = (doc for doc in group if filter_applies(spec, doc))
        if len(sort) == 1:  # equals in the collection's order: test only until the page is full
            page.extend(itertools.islice(matched, wanted - len(page)))
        else:
            page.extend(_in_mongomock_order(list(matched), sort[1:]))
        if len(page) >= wanted:
            break
    return page[:wanted]


_PAST = {False: {"$lt": operator.ge, "$lte": operator.gt}, True: {"$gt": operator.le, "$gte": operator.lt}}


def _past_bound(condition, descending: bool):
    """value -> whether a value of the sort key, and so every one after it in the walk's order, is past a bound
    of `condition` ({"$lte": now}) that the walk's direction runs into; only a bound of the values' own kind
    (Python orders it as MongoDB does) ends a walk."""
    ops = _PAST[descending]
    checks = [] if type(condition) is not dict else [
        (ops[op], bound, store_index.sort_kind(bound)) for op, bound in condition.items()
        if op in ops and store_index.sort_kind(bound) is not None]
    return lambda value: any(store_index.sort_kind(value) == kind and past(value, bound)
                             for past, bound, kind in checks)


def _walked_page(store, spec, sort: list, wanted: int) -> list | None:
    """The page read in the order of a declared index on the first sort key (store_index.SortedIndex): the
    newest events, or an admin's first requisitions, test a page's worth of documents, not all of them. Ties
    on that key are ordered by the other keys as mongomock's sort orders them; None: no such index serves it.
    Only for a filter no index looks up: mongomock's sort of the scan keeps the collection's order in ties,
    the index's order too."""
    field, direction = sort[0]
    groups = store_index.ordered(store, field, descending=direction < 0)
    if groups is None:
        return None
    page = []
    for group in groups:
        matched = group if not spec else [doc for doc in group if filter_applies(spec, doc)]
        page.extend(_in_mongomock_order(matched, sort[1:]))  # equal on the first key: ordered by the others
        if len(page) >= wanted:
            break
    return page[:wanted]


_MISSING = object()


def _column(field: str, pool: list) -> list:
    """Each document's sort value of `field`. A top-level field is read with dict.get (mongomock's resolve_key,
    25 times slower, gives the same for a value of a plain kind; a missing field or any other value is not of
    a plain kind, so the page is then ordered by mongomock's own sort keys)."""
    if "." in field:
        return [resolve_key(field, doc) for doc in pool]
    return [doc.get(field, _MISSING) for doc in pool]
