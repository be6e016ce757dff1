"""All-or-nothing calls on the embedded store: what a call changed is checked, kept or undone whole.

mongomock applies an update to the stored document in place and never checks that the result
can be stored (MongoDB refuses such an update before applying anything). Here every document
a store call touches is remembered as it was before; when the call ends, each changed document
is encoded as BSON and handed to a sink (the SQLite file of the durable store, or nothing in
memory). If a document cannot be encoded or the sink fails, every document of the call is put
back as it was and the error is raised: the call changed nothing, in memory or on disk.

Where changes are seen: mongomock's collection store sets and deletes documents (inserts,
deletes, TTL expiry, drops), and `Collection._update` changes in place exactly the documents
its own scan yields, so that scan is recorded.
"""
from __future__ import annotations

import threading
import time
from typing import Callable

import bson
import mongomock.collection
import mongomock.helpers
from mongomock.store import CollectionStore, DatabaseStore, ServerStore

from shared import store_index

ABSENT = object()
TTL_MONITOR_SECONDS = 1.0

#: (database, collection, _id, BSON of the document or None when it was deleted)
Change = tuple[str, str, object, bytes | None]


def document_key(doc: dict):
    """The key mongomock files a document under: its _id (a dict _id is made hashable)."""
    key = doc["_id"]
    return mongomock.helpers.hashdict(key) if isinstance(key, dict) else key


class Journal:
    """What the current store call touched, with each document as it was before the call."""

    def __init__(self, sink: Callable[[list[Change]], None] | None = None, copy=None):
        self.sink = sink
        self.copy = copy
        self.before: dict[tuple[JournaledCollection, object], object] = {}
        self.split: dict = {}  # (collection, key) -> fields whose list alone `before` copied, for a `before` that
        # shares with the document the fields no update of this call has changed yet (`_journaling`)

    def touch(self, store: "JournaledCollection", key, before) -> None:
        self.before.setdefault((store, key), before)

    def end(self) -> None:
        """Encode and hand over what changed, or undo all of it and raise."""
        if not self.before:
            return
        try:
            changes, moved = [], []
            for (store, key), before in self.before.items():
                after = store._documents.get(key, ABSENT)
                if after is before:
                    continue
                if before is ABSENT or after is ABSENT or after != before:
                    changes.append((store.database, store.name, key, None if after is ABSENT else bson.encode(after)))
                moved.append((store, key, before, after))  # an equal one too: deleted and stored again, it moved
            if changes and self.sink is not None:
                self.sink(changes)
            for store, key, before, after in moved:  # kept, so the equality indexes follow
                store_index.reindex(store, key, before, after, ABSENT)
        except BaseException:
            self.undo()
            raise
        finally:
            self.before.clear()
            self.split.clear()

    def undo(self) -> None:
        for (store, key), before in self.before.items():
            store.field_indexes.clear()  # it may have been built within the call: built again at the next use
            if before is ABSENT:
                store._documents.pop(key, None)
            else:
                store._documents[key] = before


class StoreLock:
    """The one lock of an embedded store; when the outermost holder lets go, the call's changes settle."""

    def __init__(self, journal: Journal):
        self.journal = journal
        self._lock = threading.RLock()
        self._depth = 0

    def __enter__(self):
        self._lock.acquire()
        self._depth += 1
        return self

    def __exit__(self, *exc):
        self._depth -= 1
        try:
            if self._depth == 0:
                self.journal.end()
        finally:
            self._lock.release()


class JournaledCollection(CollectionStore):
    """A collection store that tells the journal about each document before it is set or deleted."""

    def __init__(self, name: str, database: str, journal: Journal):
        super().__init__(name)
        self.database = database
        self.journal = journal
        self.field_indexes: dict = {}  # FieldIndex by field, ExistsIndex by ("$exists", path), SortedIndex by
        # ("$sorted", field): each built at its first use
        self._next_expiry = 0.0

    def _remove_expired_documents(self):
        """mongomock removes expired documents (a scan) before every read; here at most once every
        TTL_MONITOR_SECONDS. MongoDB's own TTL monitor runs once a minute, so code never relies on more."""
        if self._ttl_indexes and time.monotonic() >= self._next_expiry:
            self._next_expiry = time.monotonic() + TTL_MONITOR_SECONDS
            super()._remove_expired_documents()

    # mongomock's store takes its own reader or writer lock around each of these: the embedded store's
    # one lock (StoreLock) already runs one call at a time, as shared/store_reads.py's scan relies on.
    def __contains__(self, key):
        self._remove_expired_documents()
        return key in self._documents

    def __setitem__(self, key, val):
        self.journal.touch(self, key, self._documents.get(key, ABSENT))
        self._documents[key] = val

    def __delitem__(self, key):
        self.journal.touch(self, key, self._documents.get(key, ABSENT))
        del self._documents[key]
        store_index.forget(self, key)

    def drop(self):
        for key, doc in self._documents.items():
            self.journal.touch(self, key, doc)
        super().drop()
        self.field_indexes.clear()

    def drop_index(self, index_name):
        super().drop_index(index_name)
        self.field_indexes.clear()  # rebuilt at the next use of an index still declared


class JournaledDatabase(DatabaseStore):
    def __init__(self, name: str, journal: Journal):
        super().__init__()
        self.name, self.journal = name, journal

    def __getitem__(self, col_name):
        found = self._collections.get(col_name)
        if found is None:
            found = self._collections[col_name] = JournaledCollection(col_name, self.name, self.journal)
        return found

    def rename(self, name, new_name):
        raise NotImplementedError("the embedded store does not rename collections")


class JournaledServer(ServerStore):
    """mongomock's server store, made of journaled collections."""

    def __init__(self, journal: Journal):
        super().__init__()
        self.journal = journal

    def __getitem__(self, db_name):
        found = self._databases.get(db_name)
        if found is None:
            found = self._databases[db_name] = JournaledDatabase(db_name, self.journal)
        return found

    def load(self, database: str, collection: str, doc: dict) -> None:
        """Put a stored document back at start, without journaling it."""
        store = self[database][collection]
        store._documents[document_key(doc)] = doc
        store.field_indexes.clear()  # built again, with this document, at the next use


_update = mongomock.collection.Collection._update


def _journaled_update(self, spec, document, *args, **kwargs):
    """mongomock's update, with each document its scan yields (and it may change) journaled first."""
    store = self._store
    journal = getattr(store, "journal", None)
    if journal is None:
        return _update(self, spec, document, *args, **kwargs)
    scan = self._iter_documents
    fields = changed_fields(document)

    def recorded(filter):
        del self._iter_documents  # only the update's own scan: its uniqueness checks only read
        return _journaling(scan(filter), store, journal, fields)

    self._iter_documents = recorded
    try:
        return _update(self, spec, document, *args, **kwargs)
    finally:
        self.__dict__.pop("_iter_documents", None)


#: The document `_journaling` last handed to mongomock's update, with the copy the journal keeps of it:
#: mongomock's update copies it again at once (its snapshot, to compare and roll back), and that copy is
#: this one (`snapshot`). One slot: anything but that next copy of that document empties it.
_last_copied: list = [None]


#: Operators that change an array's list only (what it holds, in which order), never its elements.
_ON_THE_LIST = frozenset({"$push", "$pull", "$pullAll", "$addToSet", "$pop"})


def changed_fields(document) -> dict | None:
    """The top-level fields an update document can change, in place or not, each with how much of it
    can change: "list" (an array operator on the field itself: its list, not the elements) or "all";
    None when that is not known (a replacement, a pipeline, anything but operators on named paths).

    Every update operator changes only what its paths name (`$rename` also its target), and a path's
    first part is the top-level field it lies in: the rest of the document is left as it is.
    """
    if type(document) is not dict or not document:
        return None
    fields = {}
    for operator, paths in document.items():
        if type(operator) is not str or not operator.startswith("$") or type(paths) is not dict:
            return None
        for path, value in paths.items():
            if type(path) is not str:
                return None
            field, dotted, _ = path.partition(".")
            fields[field] = "list" if (operator in _ON_THE_LIST and not dotted
                                       and fields.get(field, "list") == "list") else "all"
            if operator == "$rename":
                if type(value) is not str:
                    return None
                fields[value.partition(".")[0]] = "all"
    return fields


def _journaling(documents, store, journal: Journal, fields: dict | None):
    """Journal each document an update is about to change: as it was, so the call can be undone.

    When the update names the fields it changes, `before` copies those fields only; the others are
    the document's own objects, which nothing changes in place (the relay's lease of an outbox of
    80 events copied all of them to set one field). A later update of the same call that may change
    one still shared copies it first (`_separate`), so `before` stays as the call found the document.
    """
    for doc in documents:
        key = document_key(doc)
        entry = (store, key)
        if entry not in journal.before:
            if fields is None:
                before = journal.copy(doc)
            else:
                before = doc.copy()  # a dict, or the OrderedDict of an upsert, as it is
                journal.split[entry] = _separate(before, doc, fields, journal.copy, set())
            journal.touch(store, key, before)
            _last_copied[0] = (doc, before)
        elif entry in journal.split:
            before = journal.before[entry]
            if fields is None:  # not known what it changes: nothing shared any more
                _separate(before, doc, dict.fromkeys(before, "all"), journal.copy, journal.split.pop(entry))
            else:
                _separate(before, doc, fields, journal.copy, journal.split[entry])
        yield doc


def journal_one(doc: dict, store, journal: Journal, update: dict) -> None:
    """Journal `doc` before an update applied outside mongomock's (shared/store_updates.py) changes it, as
    `_journaling` journals what mongomock's scan yields; no snapshot of it follows, so none is kept for one."""
    for _ in _journaling([doc], store, journal, changed_fields(update)):
        pass
    _last_copied[0] = None


def _separate(before: dict, doc: dict, fields: dict, copy, listed: set) -> set:
    """Give `before` its own copy of each of `fields` that the next update may change in place.

    A field still shared with `doc` is copied whole, or only its list when only the list can change
    (then its elements stay shared, and the field is added to `listed`). A field of `listed` that may
    now change whole is copied whole: its elements are as the call found them until this update.
    Returns `listed`.
    """
    for field, change in fields.items():
        value = before.get(field, ABSENT)
        if value is ABSENT:
            continue
        if value is doc.get(field, ABSENT):
            if change == "list" and type(value) is list:
                before[field] = list(value)
                listed.add(field)
            else:
                before[field] = copy(value)
                listed.discard(field)
        elif change != "list" and field in listed:
            before[field] = copy(value)
            listed.discard(field)
    return listed


def journaled_copy(value):
    """The journal's copy of `value` if it was the last one made, else None. Neither copy is ever changed:
    the journal keeps its own to undo with, mongomock its own to compare with and to put back on a refused
    update, so one copy serves both."""
    last, _last_copied[0] = _last_copied[0], None
    return last[1] if last is not None and last[0] is value else None


def install() -> None:
    """Journal mongomock's in-place updates (idempotent; plain mongomock stores are left alone)."""
    mongomock.collection.Collection._update = _journaled_update

