"""Writing a durable store's log: group commit from one writer thread, and background checkpoints."""
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
#: a log past this size is checkpointed whole and cut back to nothing, holding the writer for that moment: under
#: steady writes a passive checkpoint copies the log into the store file but never finds a moment with no writer to
#: start it again from its beginning, and the log grew without end (500 MB in 7 minutes at 25 writes a second)
WAL_LIMIT_BYTES = 64 * 1024 * 1024


class GroupWriter:
    """Group commit: store calls are queued in order and written by one thread, many per transaction.

    `put(call)` runs under the store's lock and only queues. The writer thread takes everything
    queued, commits it in one transaction, fsyncs once, and then counts it durable; whatever
    arrived meanwhile goes in the next transaction. `wait()` returns once every call queued before
    it is durable, so an answer leaves only after what it saw is on disk, and one transaction and
    one fsync serve every request answered together. After a failed write or fsync nothing more is
    trusted to the disk: `failed(exc)` runs once, waiting and queueing raise from then on.

    `guard` is the store's lock. The failure is marked and `failed(exc)` runs while it is held (no
    store call runs while memory is put back), and waiters hear of the failure only after that:
    nobody reads memory between the failure and its being put back to what the disk holds (a store
    call refused once the writer was broken, or a `wait()` that raised, was followed by a read of
    the changes the disk had just refused).
    """

    def __init__(self, commit, fsync, failed, name: str, *, guard):
        self._commit, self._fsync, self._failed, self._guard = commit, fsync, failed, guard
        self._mutex = threading.Lock()
        self._work = threading.Condition(self._mutex)
        self._done = threading.Condition(self._mutex)
        self._queue: list = []
        self._stopping = False
        self.broken: str | None = None  # why the disk cannot be trusted any more
        self._settled = False  # after a failure: memory is what the disk holds again
        self.queued = 0  # store calls handed over
        self.durable = 0  # store calls committed and fsync'd
        self.commits = 0  # transactions (the checkpointer counts them)
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def put(self, call) -> None:
        with self._mutex:
            if self.broken:
                raise OSError(self.broken)
            self._queue.append(call)
            self.queued += 1
            self._work.notify()

    def wait(self) -> None:
        """Return once every call queued so far is durable; OSError if it never will be."""
        with self._mutex:
            target = self.queued
            while self.durable < target:
                if self._settled:
                    raise OSError(self.broken)
                self._done.wait()

    def _run(self) -> None:
        while True:
            with self._mutex:
                while not self._queue and not self._stopping:
                    self._work.wait()
                if not self._queue:
                    return
                batch, self._queue, target = self._queue, [], self.queued
            try:
                self._commit(batch)
                self._fsync()
            except Exception as exc:  # noqa: BLE001 - whatever it was, the disk holds less than memory
                with self._guard:  # no store call runs until memory is put back
                    with self._mutex:
                        self.broken = f"{type(exc).__name__}: {exc}"
                        self._queue.clear()  # undone with the rest: memory is read back from the disk
                    self._failed(exc)
                with self._mutex:
                    self.queued = self.durable  # memory is what the disk holds again: answers may leave
                    self._settled = True
                    self._done.notify_all()  # whoever waits for what was lost is told it failed
                return
            with self._mutex:
                self.durable, self.commits = target, self.commits + 1
                self._done.notify_all()

    def stop(self) -> None:
        """Write what is queued, then end the thread."""
        with self._mutex:
            self._stopping = True
            self._work.notify()
        self._thread.join()


class Checkpointer:
    """Copies the log into the store file from a thread and connection of its own.

    SQLite would otherwise checkpoint inside a commit every 1,000 pages, with the store's lock
    held: two fsyncs and a page copy that every other request would wait for. A PASSIVE
    checkpoint here waits for no writer and holds none up; once the log has grown past
    WAL_LIMIT_BYTES all the same, a TRUNCATE checkpoint (most of it copied already) waits for the
    writer's transaction to end and empties the log, the writer waiting for that moment.
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
                        if self._log_size() > WAL_LIMIT_BYTES:
                            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    except sqlite3.Error:
                        log.warning("store %s: checkpoint failed; will try again", self.path, exc_info=True)
                        continue
                    done, at = commits, now
        finally:
            connection.close()

    def _log_size(self) -> int:
        try:
            return self.path.with_name(self.path.name + "-wal").stat().st_size
        except FileNotFoundError:
            return 0

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(30)
