"""The embedded store kept on disk: mongomock answers queries in memory, SQLite keeps every change.

Each store call's changed documents go to SQLite (WAL mode) in one transaction before the call
returns (shared/store_journal.py); at start the file is read back into mongomock. Transactions
are committed with synchronous=NORMAL, which survives a killed process; `sync()` then makes them
survive a power cut too: it fsyncs the write-ahead log once for every commit made so far, so
requests answered together share one fsync. The API calls it before it sends an answer and the
consumer before it commits an offset (see bench/bench_durable.py for why not FULL per call).
"""
from __future__ import annotations

import logging
import os
import sqlite3
import threading
from pathlib import Path

import bson
from pymongo.errors import ConnectionFailure

from shared.datadir import DataDirError, DirLock, unusable
from shared.store_journal import Change, Journal, JournaledServer
from shared.wal import Checkpointer, SyncBarrier

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


def encode_key(key) -> bytes:
    return bson.encode({"k": key})


def newer_format(path: Path) -> DataDirError:
    return DataDirError(
        f"The store {path} was written by a newer rawbank (store format newer than {FORMAT}). "
        "Run that newer rawbank, or restore a backup made by this version (rawbank restore DIR).",
        f"स्टोर {path} rawbank के नए संस्करण ने लिखा है। वही नया rawbank चलाएँ, "
        "या इस संस्करण का बैकअप वापस लाएँ (rawbank restore DIR)।")


def check_format(path: Path) -> None:
    """Raise if the store file at `path` is of a newer format than this rawbank reads."""
    if not path.exists():
        return
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise DataDirError(
            f"{path} is not a rawbank store ({exc}). Move it out of the data directory, "
            "or restore a backup (rawbank restore DIR).",
            f"{path} rawbank का स्टोर नहीं है। उसे डेटा डायरेक्टरी से हटाएँ, या बैकअप वापस लाएँ (rawbank restore DIR)।") from None
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
    """One service's store file, loaded into mongomock and written through on every change."""

    def __init__(self, path: Path, *, synchronous: str = "NORMAL"):
        from shared import embedded_store
        self.path = Path(path)
        self.lock = DirLock(self.path.parent, self.path.stem + ".lock").acquire()
        try:
            check_format(self.path)
            self.sqlite = open_sqlite(self.path, synchronous)
            self.sqlite.executescript(SCHEMA)
            self.sqlite.execute(f"PRAGMA user_version = {FORMAT}")
        except sqlite3.OperationalError as exc:
            self.lock.release()
            raise unusable(self.path.parent, OSError(0, str(exc))) from None
        self.full = synchronous.upper() == "FULL"  # every commit fsync'd by SQLite itself: nothing left to sync
        self._wal = None
        self.broken: str | None = None  # why the disk cannot be trusted any more (a failed fsync)
        self._local = threading.local()
        self.barrier = SyncBarrier(self._fsync)
        self.server = JournaledServer(Journal(sink=self._write))
        self.loaded = self._load()
        self._fsync_directory()
        self.client = embedded_store.connect(self.server)
        self.checkpointer = Checkpointer(self.path, synchronous, lambda: self.barrier.written).start()

    def _load(self) -> int:
        return load(self.sqlite, self.server)

    def _write(self, changes: list[Change]) -> None:
        """One SQLite transaction for one store call's changes (called under the store's lock)."""
        if self.broken:
            raise StoreWriteError(f"the store {self.path} takes no more writes: {self.broken}; restart rawbank")
        upserts = [(db, coll, encode_key(key), doc) for db, coll, key, doc in changes if doc is not None]
        deletes = [(db, coll, encode_key(key)) for db, coll, key, doc in changes if doc is None]
        try:
            self.sqlite.execute("BEGIN IMMEDIATE")
            self.sqlite.executemany(UPSERT, upserts)
            self.sqlite.executemany(DELETE, deletes)
            self.sqlite.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.sqlite.in_transaction:  # SQLite rolls some failures back itself (a full disk)
                self.sqlite.execute("ROLLBACK")
            log.error("store %s: a change could not be written (%s); it was undone", self.path, exc)
            raise StoreWriteError(f"the store {self.path} could not be written: {exc}") from exc
        self.barrier.written += 1
        if self.full:
            self.barrier.synced = self.barrier.written
        self._local.seq = self.barrier.written

    def sync(self) -> None:
        """Return once every change this thread made is on disk (fsync'd)."""
        seq = getattr(self._local, "seq", 0)
        if seq <= self.barrier.synced:
            return
        try:
            self.barrier.wait(seq)
        except OSError as exc:  # after a failed fsync the kernel may have dropped what it held: stop writing
            self.broken = f"fsync failed ({exc})"
            log.critical("store %s: %s; it takes no more writes until rawbank restarts", self.path, self.broken)
            raise StoreWriteError(f"the store {self.path} could not be forced to disk: {exc}") from exc

    def _fsync(self) -> None:
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
        """Checkpoint the log into the store file and let go of it (after the client is closed)."""
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
