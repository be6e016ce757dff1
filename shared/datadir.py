"""The data directory of the single-machine runtime: stores, token secret, locks and markers.

    var/inventory.sqlite, requests.sqlite, notifier.sqlite   each service's store (shared/durable_store.py)
    var/<service>.lock    held by the process serving that store
    var/rawbank.lock      held by `rawbank dev` (its pid inside) while it runs
    var/secret            the token secret generated at the first start (mode 0600)
    var/running.json      where `rawbank dev` listens, while it runs
    var/demo-seeded       demo data was seeded once; a restart never seeds again
    var/last-backup.json  when and where `rawbank backup` last wrote a copy
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import secrets
from pathlib import Path

from shared.config import SettingError
from shared.i18n import N_

DEFAULT = "var"
DEV_LOCK = "rawbank.lock"
PROBE_BYTES = 64 * 1024
STORE_UNREADABLE = N_("The store {path} cannot be read now ({error}): the disk is failing, or this user may not read "
                      "it there. The store itself may be whole: do not move or replace it. Check the disk and the "
                      "permissions of {directory}, then run it again.")


class DataDirError(SettingError):
    """A data directory rawbank cannot use; `en` and `hi` say which and what to do (exit code 2)."""


def resolve(option: str | None, config) -> Path:
    """--data-dir, else RAWBANK_DATA_DIR, else ./var, as an absolute path."""
    return Path(option or config.data_dir or DEFAULT).expanduser().resolve()


def checkout() -> Path | None:
    """The checkout rawbank runs from (where `make dev` is run), or None for an installed package (Docker)."""
    root = Path(__file__).resolve().parent.parent
    return root if (root / "Makefile").is_file() and (root / "pyproject.toml").is_file() else None


def checkout_default() -> Path | None:
    """The data directory `make dev` in that checkout uses: its ./var (made at its first start)."""
    root = checkout()
    return None if root is None else (root / DEFAULT).resolve()


def start_command(path: Path) -> str:
    """What starts rawbank again on `path`, run from where the operator is: `make dev` for the checkout's ./var,
    else the command naming the directory; `cd CHECKOUT && ` first when they are elsewhere."""
    root = checkout()
    if root is None:
        return f"rawbank dev --data-dir {path}"
    try:
        here = Path.cwd().resolve() == root
    except OSError:  # the current directory was removed
        here = False
    command = "make dev" if Path(path).resolve() == checkout_default() else f".venv/bin/rawbank dev --data-dir {path}"
    return command if here else f"cd {root} && {command}"


def is_data_directory(path: Path) -> bool:
    """Whether rawbank has kept data in `path`: a store, its token secret or its markers are there."""
    markers = ("secret", "demo-seeded", DEV_LOCK, "running.json", "last-backup.json")
    try:
        return any(Path(path).glob("*.sqlite")) or any((Path(path) / name).exists() for name in markers)
    except OSError:
        return False


DISK_FULL = N_("The disk holding the data directory {path} is full ({error}). Free some space there, or choose "
               "another directory with --data-dir.")
FILE_IN_THE_WAY = N_("{blocker} is a file, so the data directory {path} cannot be there. Give a directory (it is made "
                     "if missing) with --data-dir or RAWBANK_DATA_DIR, or move that file away.")
NOT_WRITABLE = N_("The data directory {path} is not writable ({error}). Fix its permissions, or choose another "
                  "directory with --data-dir or RAWBANK_DATA_DIR.")
#: its token secret could not be read: `rawbank status` or `rawbank token` run by a user who may not read it
NOT_READABLE = N_("The data directory {path} cannot be read ({error}): this user ({user}) may not read it. Run this "
                  "as the user rawbank runs as, fix its permissions, or choose another directory with --data-dir or "
                  "RAWBANK_DATA_DIR.")


def unusable(path: Path, exc: OSError) -> DataDirError:
    """The error for an OSError met while writing in the data directory."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DataDirError.said(DISK_FULL, path=path, error=exc.strerror)
    if (blocker := file_in_the_way(path, exc)) is not None:
        return DataDirError.said(FILE_IN_THE_WAY, blocker=blocker, path=path)
    return DataDirError.said(NOT_WRITABLE, path=path, error=exc.strerror)


def not_readable(path: Path, exc: OSError) -> DataDirError:
    """The error for an OSError met while reading in the data directory: no permission, else as `unusable`."""
    if exc.errno not in (errno.EACCES, errno.EPERM):
        return unusable(path, exc)
    return DataDirError.said(NOT_READABLE, path=path, error=exc.strerror, user=user())


def user() -> str:
    """The name of the user running the command (its number where it has none): the one a permission is for."""
    try:
        import pwd
        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError):
        return str(os.geteuid())


def file_in_the_way(path: Path, exc: OSError) -> Path | None:
    """The file (the directory's own path, or one of its parents) that kept the directory from being made or used."""
    if exc.errno not in (errno.EEXIST, errno.ENOTDIR):
        return None
    return next((p for p in (path, *path.parents) if p.exists() and not p.is_dir()), None)


STORE_DAMAGED = N_("The store {path} is damaged or is not a rawbank store ({error}). Restore the last backup "
                   "(rawbank restore DIR), then start rawbank again. Keep the damaged file aside, do not delete it: "
                   "what it still holds may yet be read from it.")
STORE_MISSING = N_("The store {path} is missing or empty, but rawbank has run on {directory} before: started like "
                   "this, {service} would begin again with nothing (its users, requests or stock gone). Put the file "
                   "back, or restore the last backup (rawbank restore DIR), then start rawbank again.")


def damaged(exc: Exception) -> bool:
    """Whether SQLite found a store file itself to be no database or corrupt, not unreadable where it lies."""
    name = getattr(exc, "sqlite_errorname", None) or "SQLITE_NOTADB"
    return name == "SQLITE_NOTADB" or name.startswith("SQLITE_CORRUPT")


def unreadable(store: Path, exc: Exception) -> DataDirError:
    """The error for a store SQLite could not read for a reason outside the file (space, disk, permissions)."""
    try:
        space = os.statvfs(store.parent)
        full = space.f_bavail * space.f_frsize < PROBE_BYTES
    except OSError:
        full = False
    if full:  # SQLite says "disk I/O error" when it cannot make its shared-memory index on a full disk
        return unusable(store.parent, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    return DataDirError.said(STORE_UNREADABLE, path=store, error=exc, directory=store.parent)


class DataDirInUse(DataDirError):
    """The data directory is held by a running rawbank: a command can say what to use instead while it runs."""


IN_USE = N_("The data directory {path} is in use by another running rawbank. Stop it first (Ctrl-C where it runs), "
            "then run this again; a second rawbank beside it needs another directory (--data-dir).")
IN_USE_BY = N_("The data directory {path} is in use by another running rawbank (pid {pid}). Stop it first (Ctrl-C "
               "where it runs), then run this again; a second rawbank beside it needs another directory (--data-dir).")


def in_use(path: Path, holder: str) -> DataDirError:
    return DataDirInUse.said(IN_USE_BY, path=path, pid=holder) if holder else DataDirInUse.said(IN_USE, path=path)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


class DirLock:
    """An exclusive lock on a file in the data directory, held until released or the process ends."""

    def __init__(self, directory: Path, name: str):
        self.directory, self.path = directory, directory / name
        self.fd: int | None = None

    def acquire(self) -> "DirLock":
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise unusable(self.directory, exc) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
            os.close(fd)
            raise in_use(self.directory, self._dev_holder() or holder) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self.fd = fd
        return self

    def _dev_holder(self) -> str:
        """The pid of the `rawbank dev` holding this directory, if one does (a store's lock is held by one of its
        service processes; the one to stop is `rawbank dev`), else ""."""
        dev = self.directory / DEV_LOCK
        if self.path == dev or not dev.exists():
            return ""
        try:
            fd = os.open(dev, os.O_RDONLY)
        except OSError:
            return ""
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            return ""  # no rawbank dev holds it
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
            return "" if holder == str(os.getpid()) else holder
        finally:
            os.close(fd)

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class DataDir:
    """One data directory and what rawbank keeps in it besides the stores."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def store(self, service: str) -> Path:
        return self.path / f"{service}.sqlite"

    def store_lock(self, service: str) -> DirLock:
        return DirLock(self.path, f"{service}.lock")

    def dev_lock(self) -> DirLock:
        return DirLock(self.path, DEV_LOCK)

    def is_new(self) -> bool:
        return not any(self.path.glob("*.sqlite"))

    def prepare(self) -> None:
        """Create the directory if missing and prove a file can be written and synced there."""
        probe = self.path / f".probe-{os.getpid()}"
        try:
            self.path.mkdir(mode=0o700, parents=True, exist_ok=True)  # it holds password hashes
            fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                os.write(fd, b"\0" * PROBE_BYTES)
                os.fsync(fd)
            finally:
                os.close(fd)
                probe.unlink()
        except OSError as exc:
            raise unusable(self.path, exc) from None

    def check_free(self, services, *, dev: bool = True) -> None:
        """Raise if a process serving one of `services` (or `rawbank dev`, with `dev`) uses this directory."""
        for lock in ((self.dev_lock(),) if dev else ()) + tuple(self.store_lock(name) for name in services):
            if lock.path.exists():
                lock.acquire().release()

    def secret(self, create: bool) -> str | None:
        """The generated token secret: read, or made once (0600) when `create`; None if there is none."""
        path = self.path / "secret"
        try:
            return path.read_text().strip() or None
        except (FileNotFoundError, NotADirectoryError):
            if not create:
                return None
        except OSError as exc:
            raise not_readable(self.path, exc) from None
        value = secrets.token_urlsafe(48)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        except OSError as exc:
            raise unusable(self.path, exc) from None
        with os.fdopen(fd, "w") as file:
            file.write(value + "\n")
            file.flush()
            os.fsync(file.fileno())
        return value

    def seeded(self) -> bool:
        return (self.path / "demo-seeded").exists()

    def check_present(self, service: str) -> None:
        """Raise if the store of `service` is missing or empty where every service has run before (demo-seeded is
        written once all of them were ready): SQLite would make a new, empty one and the service start with nothing.
        A store whose file is empty while its log holds what was written (before a first checkpoint) is present."""
        store = self.store(service)
        log = store.with_name(store.name + "-wal")
        if not self.seeded() or _size(store) or _size(log):
            return
        raise DataDirError.said(STORE_MISSING, path=store, directory=self.path, service=service)

    def mark_seeded(self) -> None:
        (self.path / "demo-seeded").write_text("demo users and data were added once; a restart never adds them again\n")

    def read_json(self, name: str) -> dict | None:
        try:
            return json.loads((self.path / name).read_text())
        except (FileNotFoundError, ValueError):
            return None

    def write_json(self, name: str, value: dict) -> None:
        """Replace the file whole (written aside, synced, renamed), so a crash leaves old or new."""
        target, aside = self.path / name, self.path / f".{name}.tmp"
        aside.write_text(json.dumps(value, indent=2, ensure_ascii=False))
        with open(aside, "rb") as file:
            os.fsync(file.fileno())
        os.replace(aside, target)

    def remove(self, name: str) -> None:
        (self.path / name).unlink(missing_ok=True)
