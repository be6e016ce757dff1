"""`rawbank status`: what a data directory holds, read while rawbank runs or not, in English or Hindi."""
from __future__ import annotations

import os
import re
import sqlite3
import urllib.request
from pathlib import Path

import bson

from shared.backfills import COLLECTION as BACKFILLS
from shared.datadir import DataDir, damaged
from shared.i18n import N_, translate
from shared.names import moment
from shared.reconcile import service
from shared.retention import COLLECTION as KEPT
from shared.revocation import COLLECTION as REVOKED
from shared.spec import SERVICES, load_spec

TITLE = N_("rawbank data directory {path}")
SIZE = N_("size: {size} in {count} stores")
NONE = N_("no stores yet: start rawbank (make dev) to create them")
RUNNING = N_("running: yes (rawbank dev, pid {pid})")
STOPPED = N_("running: no")
BACKUP = N_("last backup: {at} to {directory}")
NEVER = N_("last backup: never (rawbank backup DIR)")
STORE = N_("{name}: {size}, {documents} documents")
OUTBOX = N_("outbox: {waiting} events not yet published; published events kept: {kept} "
            "({unsettled} not yet read by every service)")
LAG = N_("consumer lag: {lag} events")
LAG_UNKNOWN = N_("consumer lag: unknown (not running)")
NOT_NOW = N_("{name}: {size}, cannot be read now ({error}): the disk is full or failing, or this user may not read "
             "it. The store itself may be whole: do not move or replace it. Free some space or fix the disk, then "
             "look again.")
#: what a restore moved aside stays until someone deletes it: said with its size, so the disk is not filled unseen
SET_ASIDE = N_("set aside by a restore: {path}, {size}; delete it (rm -r {path}) once the restored data is checked "
               "(rawbank reconcile --via-api is clean)")
#: a collection every service that needs it keeps (shared/), named as those the services declare (their spec's
#: `collections`)
SHARED_COLLECTIONS = {KEPT: N_("events sent, kept until every service has read them"),
                      REVOKED: N_("tokens ended by logging out"),
                      BACKFILLS: N_("fields older records lacked, filled once at a start")}
COLLECTION = N_("{name} ({collection}): {count}")
UNREADABLE = N_("{name}: {size}, cannot be read ({error}): damaged, or not a rawbank store. Restore the last backup "
                "(rawbank restore DIR); keep the damaged file aside, do not delete it.")


def report(data: DataDir, config, lang: str = "en") -> tuple[str, bool]:
    """The report, and whether every store could be read (False: `rawbank status` exits 1)."""
    def say(text: str, indent: int = 0, **params) -> str:
        return " " * indent + translate(text, lang, **params)

    def named(name: str) -> str:  # a service: its code in English, its name in Hindi (as `rawbank reconcile` says it)
        return service(name).said(lang)

    lines = [say(TITLE, path=data.path)]
    stores = [name for name in SERVICES if data.store(name).exists()]
    if not stores:
        return "\n".join([*lines, say(NONE)]), True
    sizes = {name: sum(p.stat().st_size for p in data.path.glob(f"{name}.sqlite*") if not p.name.endswith("-shm"))
             for name in stores}
    lines.append(say(SIZE, size=_size(sum(sizes.values())), count=len(stores)))
    for aside in sorted(data.path.glob("before-restore-*")):
        if aside.is_dir():
            size = sum(path.stat().st_size for path in aside.rglob("*") if path.is_file())
            lines.append(say(SET_ASIDE, 2, path=aside, size=_size(size)))
    running = data.read_json("running.json")
    running = running if running and _alive(running.get("pid")) else None
    lines.append(say(RUNNING, pid=running["pid"]) if running else say(STOPPED))
    last = data.read_json("last-backup.json")
    lines.append(say(BACKUP, at=moment(last.get("at"), lang), directory=last.get("directory")) if last else say(NEVER))
    lags = _lags(running, config) if running else {}
    readable = True
    for name in stores:
        try:
            counts, waiting, kept, unsettled = _contents(data.store(name), load_spec(name).outbox_collections)
        except sqlite3.Error as exc:  # the rest of the report still helps whoever is finding out what is wrong
            lines.append(say(UNREADABLE if damaged(exc) else NOT_NOW, name=named(name), size=_size(sizes[name]),
                             error=exc))
            readable = False
            continue
        lines.append(say(STORE, name=named(name), size=_size(sizes[name]), documents=sum(counts.values())))
        names = {**SHARED_COLLECTIONS, **load_spec(name).collections}  # a collection nobody names: its name alone
        lines += [say(COLLECTION, 4, name=translate(names[coll], lang), collection=coll, count=count)
                  if coll in names else f"    {coll}: {count}" for coll, count in sorted(counts.items())]
        lines.append(say(OUTBOX, 2, waiting=waiting, kept=kept, unsettled=unsettled))
        lines.append(say(LAG, 2, lag=lags[name]) if name in lags else say(LAG_UNKNOWN, 2))
    return "\n".join(lines), readable


def _contents(path: Path, outboxes) -> tuple[dict, int, int, int]:
    """Documents per collection, events waiting in outboxes, events kept and not yet settled."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        counts = dict(connection.execute("SELECT coll, count(*) FROM documents GROUP BY coll"))
        names = [*outboxes, KEPT]
        waiting = kept = unsettled = 0
        rows = connection.execute(f"SELECT coll, doc FROM documents WHERE coll IN ({','.join('?' * len(names))})",
                                  names)
        for coll, raw in rows:
            doc = bson.decode(raw)
            if coll == KEPT:
                kept += 1
                unsettled += not doc.get("settled")
            else:
                waiting += len(doc.get("outbox") or ())
    finally:
        connection.close()
    return counts, waiting, kept, unsettled


def _lags(running: dict, config) -> dict[str, int]:
    """Each running service's consumer lag, from its /metrics (asked with an admin token)."""
    from shared.auth import issue_token
    token = issue_token(config.jwt_secret, sub="rawbank-status", role="admin", ttl_seconds=60)
    found = {}
    for name, url in running.get("urls", {}).items():
        request = urllib.request.Request(f"{url}/metrics", headers={"Authorization": f"Bearer {token}"})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                text = response.read().decode()
        except OSError:
            continue
        match = re.search(r'^rawbank_consumer_lag\{service="%s"\} (\S+)$' % re.escape(name), text, re.M)
        if match:
            found[name] = int(float(match.group(1)))
    return found


def _alive(pid) -> bool:
    try:
        os.kill(int(pid), 0)
    except (TypeError, ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def _size(count: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count} B"
