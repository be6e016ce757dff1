"""The embedded store kept on disk: mongomock answers queries in memory, SQLite keeps every change.

Each store call is all-or-nothing in memory (shared/store_journal.py) and its changed documents
are queued, in order, for one writer thread (shared/wal.GroupWriter), which commits whatever is
queued in one SQLite transaction (WAL mode) and fsyncs the log once. `sync()` returns once every
change made so far is committed and fsync'd: the API calls it before it sends any answer, the
consumer before it commits an offset, the relay before it publishes, the notifier before it
sends a message. So nothing anyone hears about can be lost by a kill or a power cut, and
requests answered together share one transaction and one fsync (bench/bench_durable.py). At
start the file is read back into mongomock.
"""
from __future__ import annotations

import itertools
import logging
import os
import sqlite3
from pathlib import Path

import bson
from pymongo.errors import ConnectionFailure

from shared.datadir import STORE_DAMAGED, DataDirError, DirLock, damaged, unreadable, unusable
from shared.store_journal import Change, Journal, JournaledServer
from shared.wal import Checkpointer, GroupWriter

log = logging.getLogger(__name__)

FORMAT = 1  # PRAGMA user_version of a store file this rawbank writes; a newer one is refused
SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    seq INTEGER PRIMARY KEY,
    db TEXT NOT NULL, coll TEXT NOT NULL, key BLOB NOT NULL, doc BLOB NOT NULL,
    UNIQUE (db, coll, key));
"""
UPSERT = ("INSERT INTO documents (db, coll, key, doc) VALUES (?, ?, ?, ?) "
          "ON CONFLICT (db, coll, key) DO UPDATE SET doc = excluded.doc")
DELETE = "DELETE FROM documents WHERE db = ? AND coll = ? AND key = ?"


class StoreWriteError(ConnectionFailure):
    """The store file could not take a change (disk full, I/O error); the change was undone."""

    # seconds a 503 tells the caller to wait: the store takes no writes until someone frees space or fixes the disk
    # and restarts rawbank, minutes rather than seconds (the page says "try again in a minute")
    retry_after = 60


def encode_key(key) -> bytes:
    return bson.encode({"k": key})


def newer_format(path: Path) -> DataDirError:
    return DataDirError(
        f"The store {path} was written by a newer rawbank (store format newer than {FORMAT}). "
        "Run that newer rawbank, or restore a backup made by this version (rawbank restore DIR).",
        f"डेटा फ़ाइल {path} rawbank के नए संस्करण ने लिखी है। वही नया rawbank चलाएँ, "
        "या इस संस्करण का बैकअप वापस लाएँ (rawbank restore DIR)।")


def check_format(path: Path) -> None:
    """Raise if the store file at `path` is of a newer format than this rawbank reads."""
    if not path.exists():
        return
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if not damaged(exc):  # a full or failing disk, permissions: the file may be whole, never say to move it
            raise unreadable(path, exc) from None
        raise DataDirError.said(STORE_DAMAGED, path=path, error=exc) from None
    finally:
        connection.close()
    if version > FORMAT:
        raise newer_format(path)


def open_sqlite(path: Path, synchronous: str = "NORMAL") -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA busy_timeout = 30000")  # a backup may hold the write lock briefly
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute(f"PRAGMA synchronous = {synchronous}")
    connection.execute("PRAGMA wal_autocheckpoint = 0")  # shared/wal.py checkpoints, away from the writers
    return connection


def load(connection: sqlite3.Connection, server: JournaledServer) -> int:
    """Read every stored document into `server`, in the order they were first stored."""
    count = 0
    for database, collection, doc in connection.execute("SELECT db, coll, doc FROM documents ORDER BY seq"):
        server.load(database, collection, bson.decode(doc))
        count += 1
    return count


def read_copy(path: Path):
    """A client over a store file read into memory, for reading (backups): no lock, nothing written back."""
    from shared import embedded_store
    check_format(path)
    server = JournaledServer(Journal())
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        load(connection, server)
    finally:
        connection.close()
    return embedded_store.connect(server)


class DurableStore:
    """One service's store file, loaded into mongomock; every change queued for the file as it is made."""

    def __init__(self, path: Path, *, synchronous: str = "NORMAL"):
        from shared import embedded_store
        self.path = Path(path)
        self.lock = DirLock(self.path.parent, self.path.stem + ".lock").acquire()
        try:
            check_format(self.path)
            if not self.path.exists():  # it holds password hashes: its owner's only (SQLite gives its log the same)
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            for path in (self.path, self.path.with_name(self.path.name + "-wal")):
                try:
                    if path.stat().st_mode & 0o077:  # one made before (0644): its owner's only too
                        os.chmod(path, 0o600)
                except OSError:  # gone, or on a disk that takes no change: the checks below say what matters
                    pass
            self.sqlite = open_sqlite(self.path, synchronous)
            self.sqlite.executescript(SCHEMA)
            self.sqlite.execute(f"PRAGMA user_version = {FORMAT}")
        except sqlite3.OperationalError as exc:
            self.lock.release()
            raise unusable(self.path.parent, OSError(0, str(exc))) from None
        self.full = synchronous.upper() == "FULL"  # every commit fsync'd by SQLite itself: nothing left to sync
        self._wal = None
        self.server = JournaledServer(Journal(sink=self._queue))
        self.server.journal.sync = self.sync  # found by shared.mongo.sync_writes(db)
        try:
            self.loaded = self._load()
        except (sqlite3.DatabaseError, bson.errors.BSONError) as exc:  # damaged inside, past the header's check
            self.sqlite.close()
            self.lock.release()
            if isinstance(exc, sqlite3.DatabaseError) and not damaged(exc):
                raise unreadable(self.path, exc) from None
            raise DataDirError.said(STORE_DAMAGED, path=self.path, error=exc) from None
        self._fsync_directory()
        self.client = embedded_store.connect(self.server)
        self.writer = GroupWriter(self._commit, self._fsync, self._failed, f"store-writer-{self.path.stem}",
                                  guard=self.client._lock)
        self.checkpointer = Checkpointer(self.path, synchronous, lambda: self.writer.commits).start()

    @property
    def broken(self) -> str | None:
        return self.writer.broken

    def _load(self) -> int:
        return load(self.sqlite, self.server)

    def _queue(self, changes: list[Change]) -> None:
        """Hand one store call's changes to the writer (called under the store's lock); refused once broken."""
        try:
            self.writer.put([(db, coll, encode_key(key), doc) for db, coll, key, doc in changes])
        except OSError:
            raise self.refused() from None

    def _commit(self, calls: list[list[tuple]]) -> None:
        """One SQLite transaction for every call queued meanwhile, their changes in the order they were made."""
        try:
            self.sqlite.execute("BEGIN IMMEDIATE")
            for (upsert, rows) in _runs(change for call in calls for change in call):
                self.sqlite.executemany(UPSERT if upsert else DELETE, rows)
            self.sqlite.execute("COMMIT")
        except sqlite3.Error:
            if self.sqlite.in_transaction:  # SQLite rolls some failures back itself (a full disk)
                self.sqlite.execute("ROLLBACK")
            raise

    def _failed(self, exc: Exception) -> None:
        """The disk refused a write or an fsync: memory goes back to what the disk holds, and stays there.

        Calls that were made but not written are gone, as after a crash; a request that made some
        of its calls gets no more (every write is refused from now on), so none is half applied.
        What the kernel held may be gone after a failed fsync, so nothing is trusted to the disk
        again until rawbank restarts. The writer calls it holding the store's lock (its `guard`).
        """
        log.critical("store %s: %s; it takes no more writes until rawbank restarts", self.path, self.broken)
        for database in self.server._databases.values():
            for collection in database._collections.values():
                collection._documents.clear()
                collection.field_indexes.clear()
        try:
            load(self.sqlite, self.server)
        except sqlite3.Error:
            log.critical("store %s: could not be read back after the failure", self.path, exc_info=True)

    def refused(self) -> StoreWriteError:
        return StoreWriteError(f"the store {self.path} takes no more writes: {self.broken}. "
                               f"Free space on {self.path.parent} or fix the disk, then restart rawbank")

    def sync(self) -> None:
        """Return once every change made so far is on disk (committed and fsync'd)."""
        try:
            self.writer.wait()
        except OSError:
            raise self.refused() from None

    def _fsync(self) -> None:
        if self.full:
            return
        wal = self.path.with_name(self.path.name + "-wal")
        if self._wal is None or os.fstat(self._wal).st_ino != os.stat(wal).st_ino:
            if self._wal is not None:
                os.close(self._wal)
            self._wal = os.open(wal, os.O_RDONLY)
        os.fdatasync(self._wal)  # what SQLite itself calls for synchronous=FULL on Linux

    def _fsync_directory(self) -> None:
        """The store file and its log must themselves survive a power cut."""
        fd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def close(self) -> None:
        """Write what is queued, checkpoint the log into the store file and let go of it (after the client is closed)."""
        self.writer.stop()
        self.checkpointer.stop()
        try:
            self.sqlite.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            log.warning("store %s: checkpoint at close failed", self.path, exc_info=True)
        self.sqlite.close()
        if self._wal is not None:
            os.close(self._wal)
            self._wal = None
        self.lock.release()


def _runs(changes):
    """(is_upsert, rows) for each run of upserts or deletes, in order: a document deleted and stored
    again within one transaction ends up stored."""
    for upsert, run in itertools.groupby(changes, key=lambda change: change[3] is not None):
        yield upsert, [change if upsert else change[:3] for change in run]
