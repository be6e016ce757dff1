"""Housekeeping of a durable store's write-ahead log: the fsync barrier and background checkpoints."""
from __future__ import annotations

import logging
import sqlite3
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)

CHECK_SECONDS = 0.25
CHECKPOINT_COMMITS = 200  # or whatever was committed once this long has passed:
CHECKPOINT_SECONDS = 5.0


class SyncBarrier:
    """Group commit: `wait(n)` returns once commit n is fsync'd; one fsync serves all waiting."""

    def __init__(self, fsync):
        self._fsync = fsync
        self._cond = threading.Condition()
        self._syncing = False
        self.written = 0
        self.synced = 0

    def wait(self, seq: int) -> None:
        with self._cond:
            while self.synced < seq:
                if self._syncing:
                    self._cond.wait()
                    continue
                self._syncing, target = True, self.written
                self._cond.release()
                try:
                    self._fsync()
                finally:
                    self._cond.acquire()
                    self._syncing = False
                    self._cond.notify_all()
                self.synced = max(self.synced, target)


class Checkpointer:
    """Copies the log into the store file from a thread and connection of its own.

    SQLite would otherwise checkpoint inside a commit every 1,000 pages, with the store's lock
    held: two fsyncs and a page copy that every other request would wait for. A PASSIVE
    checkpoint here waits for no writer and holds none up.
    """

    def __init__(self, path: Path, synchronous: str, commits):
        self.path, self.synchronous, self.commits = path, synchronous, commits
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"checkpoint-{path.stem}", daemon=True)

    def start(self) -> "Checkpointer":
        self.thread.start()
        return self

    def _run(self) -> None:
        connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        connection.execute("PRAGMA busy_timeout = 30000")
        connection.execute(f"PRAGMA synchronous = {self.synchronous}")
        done, at = self.commits(), time.monotonic()
        try:
            while not self.stopping.wait(CHECK_SECONDS):
                now, commits = time.monotonic(), self.commits()
                if commits - done >= CHECKPOINT_COMMITS or (commits > done and now - at >= CHECKPOINT_SECONDS):
                    try:
                        connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
                    except sqlite3.Error:
                        log.warning("store %s: checkpoint failed; will try again", self.path, exc_info=True)
                        continue
                    done, at = commits, now
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(30)
