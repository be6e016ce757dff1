"""`rawbank backup DIR` and `rawbank restore DIR`: a consistent copy of the three stores, and back.

A backup takes the three stores' write locks together (services wait for a moment, nothing is
refused), copies each with SQLite's online backup, lets go, and then checks the three copies
with reconciliation: a copy taken while an event was in flight between services does not
reconcile, and is taken again a moment later. Only a copy that reconciles clean is kept.
"""
from __future__ import annotations

import math
import os
import shutil
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path

from shared import backup_place
from shared.calendar import IST
from shared.datadir import (DataDir, DataDirError, checkout_default, damaged, is_data_directory, start_command,
                            unreadable, unusable)
from shared.console import Said, joined, say, tell
from shared.durable_store import FORMAT, check_format, read_copy
from shared.i18n import N_, translate
from shared.names import moment
from shared.runtime import database_name
from shared.spec import SERVICES

MANIFEST = "rawbank-backup.json"
ATTEMPT_SECONDS = 120
PROGRESS_SECONDS = 10  #: how often a backup that takes its copy again says so
#: {attempts}: which copy was kept; one taken while an event was between the services is taken again
BACKED_UP = N_("Backed up {stores} from {source} to {target} ({at}); the copies reconcile clean (copy {attempts}).")
NOTHING_TO_BACK_UP = N_("rawbank backup: there is nothing to back up in {data} (no stores yet). Name the data "
                        "directory rawbank runs on with --data-dir (rawbank status --data-dir DIR shows what one "
                        "holds), or start rawbank there first ({start}).")
#: a store could not be copied for a reason SQLite gives (a store locked too long, a copy's disk full, ...)
COPY_FAILED = N_("rawbank backup: could not copy the stores to {target} ({error}); nothing was kept. Check that "
                 "{target} has free space and is writable, then run it again.")
#: nothing runs, so taking the copy again cannot help: what a stop or a crash left on its way settles at the start
AT_REST_APART = N_("rawbank backup: rawbank is not running and its stores do not agree ({problem}); nothing was kept. "
                   "Events a stop or a crash left on their way reach the other services when rawbank starts: start "
                   "it ({start}), then back up again. To keep the stores exactly as they are now first, copy the "
                   "whole data directory while nothing runs: cp -a {data} {data}-as-stopped")
#: a restore would make a new data directory nobody starts rawbank on (a wrong current directory or --data-dir)
NOT_A_DATA_DIRECTORY = N_("rawbank restore: {data} is not a rawbank data directory (no stores, no token secret) and "
                          "not the one `make dev` in {checkout} uses ({default}); nothing was changed. Run it from "
                          "that checkout (cd {checkout} && .venv/bin/rawbank restore {source}) or name the data "
                          "directory rawbank runs on with --data-dir; to restore into this new directory on purpose, "
                          "add --new.")
#: the same, where rawbank is an installed package (no checkout with a ./var of its own)
NOT_A_DATA_DIRECTORY_ANYWHERE = N_("rawbank restore: {data} is not a rawbank data directory (no stores, no token "
                                   "secret); nothing was changed. Name the data directory rawbank runs on with "
                                   "--data-dir; to restore into this new directory on purpose, add --new.")
#: {start}: the command that starts rawbank on the directory restored into, from where the command was run
RESTORED = N_("Restored the copy of {at} into {data}.{aside} Start rawbank on it with: {start}")
RESTORED_ASIDE = N_(" The stores it replaced are in {aside}.")
#: a copy in the data directory is lost with its disk, and one around it would copy the copies
INSIDE_DATA = N_("rawbank backup: {target} is inside the data directory {data}; nothing was copied. A backup "
                 "belongs on another disk or machine, outside it, e.g. rawbank backup /media/usb/rawbank-$(date +%F).")
AROUND_DATA = N_("rawbank backup: the data directory {data} is inside {target}; nothing was copied. A backup "
                 "belongs on another disk or machine, outside it, e.g. rawbank backup /media/usb/rawbank-$(date +%F).")
NOT_EMPTY = N_("rawbank backup: {target} is not empty; nothing was copied. Give a new or empty directory, "
               "e.g. {target}/$(date +%F).")
#: the same DIR twice (the cron job's, then one by hand the same day): a new one beside it, never one inside a backup
HOLDS_BACKUP = N_("rawbank backup: {target} already holds a backup; nothing was copied. Give a new directory beside "
                  "it, e.g. {parent}/$(date +%F-%H%M).")
#: a store of the backup itself, not the live one: nothing was changed, an earlier backup is the way
BACKUP_DAMAGED = N_("{path} in this backup is damaged or is not a rawbank store ({error}); nothing was changed, the "
                    "data directory is as it was. This backup cannot be restored: restore an earlier one (rawbank "
                    "restore OTHER-DIR).")
NO_BACKUP_THERE = N_("{source} does not exist; nothing was changed. Give the directory `rawbank backup` wrote (its "
                     "log says where: grep Backed /backups/rawbank/log).")
BACKUP_IS_A_FILE = N_("{source} is a file, not a backup; nothing was changed. Give the directory `rawbank backup` "
                      "wrote.")
BACKUP_IS_DATA = N_("{source} is the data directory itself, not a backup of it; nothing was changed. Give the "
                    "directory `rawbank backup` wrote (rawbank status says the last one).")
#: a backup killed part way leaves store copies without the manifest written last; a failed one an empty directory
BACKUP_UNFINISHED = N_("{source} holds an unfinished backup ({manifest} is missing: the backup was stopped or failed "
                       "before it was checked and kept); nothing was changed. Restore an earlier backup, and delete "
                       "this directory (rm -r {source}).")
NOT_WHOLE = N_("{source} is not a whole rawbank backup: {name}.sqlite is missing, so nothing was changed. Give a "
               "complete copy that `rawbank backup` wrote.")
NOT_A_BACKUP = N_("{source} holds no rawbank backup ({manifest} is missing); nothing was changed. Give the directory "
                  "`rawbank backup` wrote.")
#: {attempts} copies in {seconds} s, each with an event in flight; {minutes}: a longer --wait to suggest
NEVER_AT_REST = N_("rawbank backup: the services never came to rest long enough for copies that agree: {attempts} "
                   "copies in {seconds} s, each with an event in flight between the services (the last: {problem}); "
                   "nothing was kept. Run it at a quiet hour (README's cron line runs it at 02:30), or let it try "
                   "for longer: rawbank backup --wait {minutes} {target}")
#: said while a backup takes its copy again, so a long wait is not silent
TRYING_AGAIN = N_("rawbank backup: copy {attempts} did not agree ({problem}: an event was in flight between the "
                  "services); taking it again, for up to {left} s more (--wait MINUTES for longer).")
NOT_A_DIRECTORY = N_("rawbank backup: {target} is a file, not a directory; nothing was copied. Give a new or empty "
                     "directory, e.g. {target}-copy.")


def backup(data: DataDir, config, directory: str, *, wait: float | None = None) -> int:
    """Copy the stores to `directory`; `wait`: the seconds to keep trying for copies that agree."""
    target = Path(directory).expanduser().resolve()
    stores = [name for name in SERVICES if data.store(name).exists()]
    if not stores:
        tell(NOTHING_TO_BACK_UP, None, data=data.path, start=start_command(data.path))
        return 2
    try:
        for name in stores:
            check_format(data.store(name))
    except DataDirError as exc:  # a newer rawbank's store, or not a store: copy nothing
        say(f"rawbank backup: {exc.en}", f"rawbank backup: {exc.hi}")
        return 2
    home = Path(data.path).resolve()
    if target == home or home in target.parents:
        tell(INSIDE_DATA, None, target=target, data=home)
        return 2
    if target in home.parents:
        tell(AROUND_DATA, None, target=target, data=home)
        return 2
    try:
        elsewhere = backup_place.unattached(target)  # a disk not attached: nothing made on this computer's disk
    except OSError as exc:  # a folder on the way this user may not read
        _why(target, exc, reading=True)
        return 2
    if elsewhere:
        tell(elsewhere[0], None, **elsewhere[1])
        return 2
    try:
        occupied = target.exists() and any(target.iterdir())
    except NotADirectoryError:
        tell(NOT_A_DIRECTORY, None, target=target)
        return 2
    except OSError as exc:  # a directory this user may not read
        _why(target, exc, reading=True)
        return 2
    if occupied and (target / MANIFEST).exists():
        tell(HOLDS_BACKUP, None, target=target, parent=target.parent)
        return 2
    if occupied:
        tell(NOT_EMPTY, None, target=target)  # neither it nor a directory in it is the data directory's
        return 2
    made = not target.exists()
    try:
        target.mkdir(mode=0o700, exist_ok=True)  # only the last folder: the one above it exists (see unattached)
    except OSError as exc:  # a parent this user may not write, a full disk, a file in the way
        _why(target, exc)
        return 2
    try:
        done = _take(data, stores, target, ATTEMPT_SECONDS if wait is None else wait)
    except BaseException:  # Ctrl-C, a kill that Python hears: no copies left looking like a backup
        discard(target, stores, made)
        raise
    if done:
        discard(target, stores, made)  # a failed backup leaves nothing, not an empty directory, behind
    return done


def _why(target: Path, exc: OSError, *, reading: bool = False) -> None:
    """Say why `target` cannot take the copy: the cause in plain words and what to do, the OS's words in brackets."""
    text, values = backup_place.refusal(target, exc, reading=reading)
    tell(text, None, **values)


def discard(target: Path, stores, made: bool) -> None:
    """Remove the copies a backup that did not finish left in `target`, and `target` if it made it and it is empty."""
    for name in stores:
        for path in (target / f"{name}.sqlite", target / f"{name}.sqlite-journal"):
            path.unlink(missing_ok=True)
    if made:
        try:
            target.rmdir()
        except OSError:  # something else was put there meanwhile: it stays
            pass


def _take(data: DataDir, stores, target: Path, wait: float) -> int:
    """Copy until the copies reconcile, and keep them with their manifest (0); else say why (1, 2)."""
    began = time.monotonic()
    deadline, problems, attempts, said = began + wait, [], 0, None
    running = _running(data, stores)
    while True:
        attempts += 1
        try:
            copy(data, stores, target)
            problems = reconcile_copies(target, stores)
        except OSError as exc:  # a directory this user may list but not write in, the copy's disk full, ...
            _why(target, exc)
            return 2
        except sqlite3.Error as exc:  # a store locked too long, ...
            tell(COPY_FAILED, None, target=target, error=exc)
            return 2
        now = time.monotonic()
        if not problems or now > deadline or not running:
            break
        if said is None or now - said >= PROGRESS_SECONDS:
            said, left = now, max(0, round(deadline - now))
            tell(TRYING_AGAIN, None, attempts=attempts, problem=problems[0], left=left)
        time.sleep(0.5)  # something was in flight between the services: take the copy again
    if problems:  # no copy that disagrees is kept
        if not running:
            start = start_command(data.path)
            tell(AT_REST_APART, None, problem=problems[0], data=data.path, start=start)
            return 1
        seconds, minutes = round(time.monotonic() - began), max(10, math.ceil(wait / 60) * 3)
        tell(NEVER_AT_REST, None, attempts=attempts, seconds=seconds, minutes=minutes, target=target,
             problem=problems[0])
        return 1
    at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    DataDir(target).write_json(MANIFEST, {"format": FORMAT, "at": at, "from": str(data.path), "stores": stores})
    data.write_json("last-backup.json", {"at": at, "directory": str(target)})
    from shared.reconcile import service  # its code in English, its name in Hindi, as `rawbank status` says it
    tell(BACKED_UP, None, stores=joined(service(name) for name in stores), source=data.path, target=target,
         at=Said(lambda lang: moment(at, lang)), attempts=attempts)  # the files keep the ISO time in UTC
    return 0


def _running(data: DataDir, stores) -> bool:
    """Whether a rawbank (`rawbank dev`, or a service of it) holds the data directory now."""
    try:
        data.check_free(stores)
    except DataDirError:
        return True
    return False


def copy(data: DataDir, stores, target: Path) -> None:
    """Copy the stores as of one moment: every store's write lock is held while any is copied."""
    writers = [sqlite3.connect(data.store(name), timeout=30, isolation_level=None) for name in stores]
    try:
        for writer in writers:
            writer.execute("BEGIN IMMEDIATE")  # the services' next writes wait until all copies are made
        for name in stores:
            private(target / f"{name}.sqlite")
            destination = sqlite3.connect(target / f"{name}.sqlite")
            reader = sqlite3.connect(f"file:{data.store(name)}?mode=ro", uri=True)
            try:
                reader.backup(destination)
                destination.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            finally:
                reader.close()
                destination.close()
    finally:
        for writer in writers:
            writer.execute("ROLLBACK")
            writer.close()


def private(path: Path) -> None:
    """Create `path` empty and readable by its owner only: a copy holds password hashes and artisans' details,
    and SQLite keeps the mode of the file it opens (its journal too), whatever the directory or umask."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    os.chmod(path, 0o600)


def reconcile_copies(target: Path, stores) -> list[str]:
    """Reconciliation's problems with the copies in `target` (none: they agree)."""
    from shared.reconcile import check, facts_of
    if len(stores) < len(SERVICES):
        return []  # a store not made yet (an installation that never started fully): nothing to compare
    copies = {name: read_copy(target / f"{name}.sqlite")[database_name(name)] for name in stores}
    return check(facts_of(copies)).problems


def restore(data: DataDir, directory: str, *, new: bool = False) -> int:
    """Put the backup in `directory` in place of the stores of `data`; `new`: `data` may be a new directory."""
    source = Path(directory).expanduser().resolve()
    default = checkout_default()
    if not new and not is_data_directory(data.path) and Path(data.path).resolve() != default:
        if default is None:
            tell(NOT_A_DATA_DIRECTORY_ANYWHERE, None, data=data.path)
        else:
            tell(NOT_A_DATA_DIRECTORY, None, data=data.path, checkout=default.parent, default=default, source=source)
        return 2
    try:
        manifest = read_manifest(source, data)
        for name in manifest["stores"]:
            if not (source / f"{name}.sqlite").is_file():
                raise DataDirError.said(NOT_WHOLE, source=source, name=name)
            check_copy(source / f"{name}.sqlite")
        data.prepare()
        lock = data.dev_lock().acquire()
    except DataDirError as exc:
        say(f"rawbank restore: {exc.en}", f"rawbank restore: {exc.hi}")
        return 2
    try:
        data.check_free(SERVICES, dev=False)
        aside = set_aside(data)
        try:
            for name in manifest["stores"]:
                place(source / f"{name}.sqlite", data.store(name))
        except DataDirError:
            put_back(data, aside)  # half a restore would start as a depot with stores that disagree
            raise
        data.mark_seeded()  # the restored data is what the depot had: never add demo data to it
    except DataDirError as exc:
        say(f"rawbank restore: {exc.en}", f"rawbank restore: {exc.hi}")
        return 2
    finally:
        lock.release()
    start = start_command(data.path)
    tell(RESTORED, None, at=Said(lambda lang: moment(manifest.get("at"), lang)), data=data.path, start=start,
         aside=Said(lambda lang: translate(RESTORED_ASIDE, lang, aside=aside)) if aside else "")
    return 0


def read_manifest(source: Path, data: DataDir) -> dict:
    """The manifest of the backup in `source`; raise saying what `source` is instead when it has none."""
    if source == Path(data.path).resolve():
        raise DataDirError.said(BACKUP_IS_DATA, source=source)
    if not source.exists():
        raise DataDirError.said(NO_BACKUP_THERE, source=source)
    if not source.is_dir():
        raise DataDirError.said(BACKUP_IS_A_FILE, source=source)
    manifest = DataDir(source).read_json(MANIFEST)
    if manifest is not None:
        return manifest
    try:
        left = {path.name for path in source.iterdir()}
    except OSError as exc:
        raise unreadable(source, exc) from None
    if left <= {f"{name}.sqlite{end}" for name in SERVICES for end in ("", "-journal")}:
        raise DataDirError.said(BACKUP_UNFINISHED, source=source, manifest=MANIFEST)  # empty, or copies only
    if is_data_directory(source):  # another data directory: its secret, its markers
        raise DataDirError.said(BACKUP_IS_DATA, source=source)
    raise DataDirError.said(NOT_A_BACKUP, source=source, manifest=MANIFEST)


def check_copy(path: Path) -> None:
    """Raise unless the store copy at `path` is whole (every page, not only its header) and a rawbank store this
    rawbank reads: a damaged one restored would be the live store's damage, found only when a service reads it."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            found = connection.execute("PRAGMA quick_check").fetchone()[0]
            if found == "ok" and not connection.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'documents'").fetchone():
                found = "no rawbank documents in it"
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        if not damaged(exc):  # a full or failing disk, permissions: the copy may be whole
            raise unreadable(path, exc) from None
        found = str(exc)
    if found != "ok":
        raise DataDirError.said(BACKUP_DAMAGED, path=path, error=found)
    check_format(path)


def set_aside(data: DataDir) -> Path | None:
    """Move the current stores (with their logs) to before-restore-<time>/, or None if there are none; the time is
    India's, as a person reads it, and sorts: before-restore-20261206-023003-IST (an older rawbank's were UTC,
    before-restore-20261205T210003Z; nothing reads the time out of the name, `rawbank status` lists both)."""
    current = [path for name in SERVICES for path in data.path.glob(f"{name}.sqlite*")]
    if not current:
        return None
    aside = data.path / f"before-restore-{datetime.now(IST):%Y%m%d-%H%M%S}-IST"
    for again in range(2, 100):  # a second restore in the same second: its own directory
        if not aside.exists():
            break
        aside = aside.with_name(f"{aside.name.split('.')[0]}.{again}")
    aside.mkdir(mode=0o700)
    for path in current:
        path.rename(aside / path.name)
    return aside


def put_back(data: DataDir, aside: Path | None) -> None:
    """Undo a restore that failed part way: the stores set aside go back where they were."""
    for name in SERVICES:
        for path in [*data.path.glob(f"{name}.sqlite*"), data.path / f".{name}.sqlite.partial"]:
            if path.is_file():
                path.unlink()
    if aside is not None:
        for path in aside.iterdir():
            path.rename(data.path / path.name)
        aside.rmdir()


def place(source: Path, destination: Path) -> None:
    """Copy a store file in whole: written aside, synced, then renamed into place."""
    partial = destination.with_name(f".{destination.name}.partial")
    try:
        private(partial)  # readable by its owner only, as the stores rawbank makes: copyfile keeps the mode
        shutil.copyfile(source, partial)
        with open(partial, "rb") as file:
            os.fsync(file.fileno())
        os.replace(partial, destination)
        fd = os.open(destination.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise unusable(destination.parent, exc) from None
