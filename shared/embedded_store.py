"""The in-process store of the embedded runtime: mongomock behind one lock, each call all-or-nothing, made faster.

Only `shared.mongo.connect` (for a mongomock:// URI) and the durable store (shared/durable_store.py)
import this; production never loads it.
"""
from __future__ import annotations

import copy
import functools
import types
import uuid
from collections import OrderedDict
from datetime import datetime
from decimal import Decimal

import mongomock
import mongomock.collection
import mongomock.helpers
import mongomock.mongo_client
from bson import Decimal128, Int64
from mongomock import ObjectId

from shared import store_aggregate, store_journal, store_updates
from shared.store_journal import Journal, JournaledServer, StoreLock
from shared.store_reads import _find_one as _read_one
from shared.store_reads import _iter_documents, _page_results

_WRAP = (mongomock.Database, mongomock.Collection, mongomock.collection.Cursor,
         mongomock.command_cursor.CommandCursor, mongomock.collection.BulkOperationBuilder)
_LASTING = (mongomock.MongoClient, mongomock.Database, mongomock.Collection)
_FIXED = frozenset({"name", "client"})


class Locked:
    """Proxy that runs every mongomock call behind one lock.

    mongomock is not thread-safe: without this, concurrent conditional updates oversell.
    Cursors are read whole under the lock, so iteration never races a writer.
    """

    __slots__ = ("_target", "_lock", "_cache")

    def __init__(self, target, lock: StoreLock):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_lock", lock)
        object.__setattr__(self, "_cache", {})

    def _wrap(self, value):
        return Locked(value, self._lock) if isinstance(value, _WRAP) else value

    def _collection(self, name):
        """A database's collections are made once: mongomock builds a new one per `db.name`."""
        found = self._cache.get(name)
        if found is None:
            with self._lock:
                found = self._cache[name] = self._wrap(self._target[name])
        return found

    def _locked(self, method):
        def call(*args, **kwargs):
            with self._lock:
                return self._wrap(method(*args, **kwargs))
        return call

    def __getattr__(self, name):
        found = self._cache.get(name)
        if found is not None:
            return found
        declared = getattr(type(self._target), name, None)
        if (isinstance(self._target, mongomock.Database) and declared is None and not name.startswith("_")
                and name not in vars(self._target)):
            return self._collection(name)  # not a Database method, property or attribute (`name`): a collection
        if isinstance(declared, types.FunctionType):  # a method: binding it touches no shared state
            found = self._locked(declared.__get__(self._target))
            if isinstance(self._target, _LASTING):  # collections and databases live as long as the client
                self._cache[name] = found
            return found
        with self._lock:
            value = getattr(self._target, name)
        if name in _FIXED and isinstance(self._target, mongomock.Database):
            self._cache[name] = value  # a database's name and client never change
            return value
        if callable(value) and not isinstance(value, _WRAP):
            return self._locked(value)
        return self._wrap(value)

    def __getitem__(self, key):
        if isinstance(self._target, mongomock.Database):
            return self._collection(key)
        with self._lock:
            return self._wrap(self._target[key])

    def __iter__(self):
        with self._lock:
            items = list(self._target)
        return iter(items)

    def __next__(self):
        with self._lock:
            return next(self._target)

    def __eq__(self, other):
        return self._target == getattr(other, "_target", other)

    def __hash__(self):
        return hash(self._target)

    def __repr__(self):
        return f"Locked({self._target!r})"


#: Values copied and patched as they are: immutable, and not dates mongomock has to round.
_PLAIN = frozenset({str, int, float, bool, type(None), bytes, ObjectId, Decimal, Decimal128, Int64,
                    uuid.UUID})
_ATOMIC = _PLAIN | {datetime}


def _copy_document(value, memo=None):
    """copy.deepcopy for what documents are made of (dicts, lists, scalars), several times faster.

    mongomock copies a whole document for every update and every result. Plain dicts, lists and
    OrderedDicts are rebuilt here; anything else (SON, another subclass) goes to deepcopy.
    """
    kind = type(value)
    if kind is dict:  # a value kept as it is is not passed down a call (most of a document's values)
        return {key: item if type(item) in _ATOMIC else _copy_document(item) for key, item in value.items()}
    if kind is OrderedDict:  # what mongomock makes of a document an upsert inserted (monthly counts)
        return OrderedDict((key, _copy_document(item)) for key, item in value.items())
    if kind is list:
        return [item if type(item) in _ATOMIC else _copy_document(item) for item in value]
    if kind in _ATOMIC:
        return value
    return copy.deepcopy(value, memo)


def _snapshot(value, memo=None):
    """mongomock's deepcopy: the journal's copy when it has just made one of this document (an update's
    snapshot), else `_copy_document`."""
    kept = store_journal.journaled_copy(value)
    return _copy_document(value, memo) if kept is None else kept


def _copy_field(value, container):
    """mongomock's copy of a projected field, by `_copy_document` when documents are plain dicts."""
    return _copy_document(value) if container is dict else _copy_projected(value, container)


_copy_projected = mongomock.collection._copy_field
_project = mongomock.collection.Collection._copy_only_fields


def _copy_only_fields(self, doc, fields, container):
    """mongomock's projection of a document, for plain field names to include or exclude without its
    generic walk (a stock read of 14 named fields cost more than copying the whole document).

    Only a dict projection of top-level names (no dot, no `$`), each 0 or 1 (or False or True) and all
    alike apart from `_id`, over a plain dict: the fields in the document's order, the `_id` last when
    fields are included (where mongomock puts it), in place when they are excluded. Anything else,
    including what mongomock refuses (mixed includes and excludes), is mongomock's.
    """
    chosen = _plain_projection(fields) if container is dict and type(doc) is dict else None
    if chosen is None:
        return _project(self, doc, fields, container)
    return _projected(doc, *chosen, _copy_document)


def _projected(doc: dict, names: frozenset, include: bool, keep_id: bool, copy) -> dict:
    """`doc`'s fields `names` (or all but them), each copied by `copy`, as mongomock projects them."""
    if include:
        copied = {key: copy(value) for key, value in doc.items() if key in names and key != "_id"}
        if keep_id and "_id" in doc:
            copied["_id"] = copy(doc["_id"])
        return copied
    return {key: copy(value) for key, value in doc.items() if key not in names and (keep_id or key != "_id")}


def _find_one(self, filter=None, *args, **kwargs):
    """pymongo's find_one; of one document by its `_id`, with no projection or a plain one, without a cursor.

    Expired documents are removed first and the document under that key is the one the filter
    matches, as mongomock's scan would find; it is copied, projected and its dates made aware in
    one walk (a stock read walked the document twice, once to copy it and once for its dates).
    Any other read is shared/store_reads.py's.
    """
    if len(args) + len(kwargs) > 1 or kwargs.keys() - {"projection"}:  # a sort, a skip ...: the cursor's
        return _read_one(self, filter, *args, **kwargs)
    projection = args[0] if args else kwargs.get("projection")
    key = filter.get("_id") if type(filter) is dict and len(filter) == 1 else None
    chosen = _plain_projection(projection) if projection is not None else (frozenset(), False, True)
    if type(key) not in (str, int, ObjectId) or chosen is None or not hasattr(self._store, "field_indexes"):
        return _read_one(self, filter, *args, **kwargs)
    self._store._remove_expired_documents()
    found = self._store._documents.get(key)
    if found is None:
        return None
    if type(found) is not dict:
        return _read_one(self, filter, *args, **kwargs)
    return _projected(found, *chosen, _copy_aware if self.codec_options.tz_aware else _copy_document)


def _copy_aware(value):
    """_make_dates_aware(_copy_document(value)) in one walk."""
    kind = type(value)
    if kind is dict:
        return {key: item if type(item) in _PLAIN else _copy_aware(item) for key, item in value.items()}
    if kind is list:
        return [item if type(item) in _PLAIN else _copy_aware(item) for item in value]
    if kind in _PLAIN:
        return value
    return _aware_dates(_copy_document(value))


def _plain_projection(fields) -> tuple[frozenset, bool, bool] | None:
    """(the names other than _id, whether they are included, whether the _id is kept) of a projection
    `_copy_only_fields` serves; None for any other (None, {}, a list, dotted or operator fields)."""
    if type(fields) is not dict or not fields:
        return None
    include = None
    for name, value in fields.items():
        if type(name) is not str or "." in name or name.startswith("$") or type(value) not in (int, bool) \
                or value not in (0, 1):
            return None
        if name != "_id":
            if include is None:
                include = bool(value)
            elif include is not bool(value):
                return None
    keep_id = bool(fields.get("_id", 1))
    if include is None:  # only the _id named: {"_id": 1} keeps it alone, {"_id": 0} all but it
        return frozenset(), keep_id, keep_id
    return frozenset(fields).difference(("_id",)), include, keep_id


def _walking_plain_values(mongomocks):
    """A drop-in for one of mongomock's whole-document walks over dates, skipping what it keeps.

    Plain dicts, lists and tuples are walked here and plain values returned as they are (as
    mongomock's would); dates and everything else go to `mongomocks`.
    """
    def walk(value):
        kind = type(value)
        if kind is dict:
            return {key: item if type(item) in _PLAIN else walk(item) for key, item in value.items()}
        if kind is list or kind is tuple:
            return [item if type(item) in _PLAIN else walk(item) for item in value]
        if kind in _PLAIN:
            return value
        return mongomocks(value)
    return walk


#: Rounds dates to milliseconds (every filter, update and document written) ...
_patch_dates = mongomock.helpers.patch_datetime_awareness_in_document
_patch_datetime_awareness = _walking_plain_values(_patch_dates)
#: ... and makes them tz-aware again in every result of a tz-aware client.
_aware_dates = mongomock.helpers.make_datetime_timezone_aware_in_document
_make_dates_aware = _walking_plain_values(_aware_dates)


#: mongomock compares version strings on every insert, update and projection: parse each once.
_versions = types.SimpleNamespace(parse=functools.lru_cache(maxsize=64)(mongomock.collection.version.parse))
_version_list = functools.lru_cache(maxsize=64)(mongomock.mongo_client._convert_version_to_list)


def _convert_version_to_list(version: str) -> list[int]:
    """mongomock's, for server_info (asked on every update): parsed once, a new list each time."""
    return list(_version_list(version))


class _CHECKED_WHOLE_AT_THE_END:  # noqa: N801 (it stands in for mongomock's `BSON`)
    """mongomock encodes each document it inserts or replaces, and each value a `$set` sets, as BSON only
    to see that it can be stored, then drops the bytes. The journal encodes every document a store call
    changed when the call ends, undoes the whole call and raises the same error if one cannot be stored
    (shared/store_journal.py): the second encoding checked nothing more. mongomock's checks of field
    names (no "$" at the top, no NUL) stay; they run only while this is true."""

    @staticmethod
    def encode(document, check_keys=False) -> None:
        return None


def _speed_up_mongomock() -> None:
    """Drop-in replacements inside mongomock, same results (tests/unit/test_inventory_embedded_store.py)."""
    mongomock.collection.version = _versions
    mongomock.mongo_client._convert_version_to_list = _convert_version_to_list
    mongomock.collection.Collection._iter_documents = _iter_documents  # shared/store_reads.py
    mongomock.collection.Collection.find_one = _find_one
    mongomock.collection.BSON = _CHECKED_WHOLE_AT_THE_END
    mongomock.collection.Cursor._compute_results = _page_results
    mongomock.collection.copy = types.SimpleNamespace(deepcopy=_snapshot, copy=copy.copy)
    mongomock.collection._copy_field = _copy_field
    mongomock.collection.Collection._copy_only_fields = _copy_only_fields
    mongomock.helpers.patch_datetime_awareness_in_document = _patch_datetime_awareness
    mongomock.helpers.make_datetime_timezone_aware_in_document = _make_dates_aware
    store_updates.install()  # shared/store_updates.py: journaled updates (shared/store_journal.py), a plain
    # update of one document applied in place, find_one_and_update and $pull without copying
    store_aggregate.install()  # shared/store_aggregate.py: no copy of the collection, $group in one pass


def connect(server: JournaledServer | None = None) -> Locked:
    """An in-process store over `server`'s data (a new empty one by default), serialised by one lock,
    each call all-or-nothing (shared/store_journal.py)."""
    _speed_up_mongomock()
    server = server or JournaledServer(Journal())
    server.journal.copy = _copy_document
    return Locked(mongomock.MongoClient(tz_aware=True, _store=server), StoreLock(server.journal))
