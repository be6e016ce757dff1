"""`rawbank status`: what a data directory holds, read while rawbank runs or not, in English or Hindi."""
from __future__ import annotations

import os
import re
import sqlite3
import urllib.request
from pathlib import Path

import bson

from shared.datadir import DataDir
from shared.retention import COLLECTION as KEPT
from shared.runner import SERVICES, load_spec

TEXT = {
    "en": {"title": "rawbank data directory {path}", "size": "size: {size} in {count} stores",
           "none": "no stores yet: start rawbank (make dev) to create them",
           "running": "running: yes (rawbank dev, pid {pid})", "stopped": "running: no",
           "backup": "last backup: {at} to {directory}", "never": "last backup: never (rawbank backup DIR)",
           "store": "{name}: {size}, {documents} documents", "collection": "    {name}: {count}",
           "outbox": "  outbox: {waiting} events not yet published; published events kept: {kept} "
                     "({unsettled} not yet read by every service)",
           "lag": "  consumer lag: {lag} events", "lag_unknown": "  consumer lag: unknown (not running)"},
    "hi": {"title": "rawbank डेटा डायरेक्टरी {path}", "size": "आकार: {size}, {count} स्टोर",
           "none": "अभी कोई स्टोर नहीं: उन्हें बनाने के लिए rawbank शुरू करें (make dev)",
           "running": "चल रहा है: हाँ (rawbank dev, pid {pid})", "stopped": "चल रहा है: नहीं",
           "backup": "पिछला बैकअप: {at}, {directory} में", "never": "पिछला बैकअप: कभी नहीं (rawbank backup DIR)",
           "store": "{name}: {size}, {documents} दस्तावेज़", "collection": "    {name}: {count}",
           "outbox": "  आउटबॉक्स: {waiting} घटनाएँ अभी प्रकाशित नहीं हुईं; प्रकाशित घटनाएँ रखी गईं: {kept} "
                     "({unsettled} अभी हर सेवा ने नहीं पढ़ीं)",
           "lag": "  उपभोक्ता पिछड़ाव (consumer lag): {lag} घटनाएँ",
           "lag_unknown": "  उपभोक्ता पिछड़ाव (consumer lag): पता नहीं (नहीं चल रहा)"},
}


def report(data: DataDir, config, lang: str = "en") -> str:
    say = TEXT[lang]
    lines = [say["title"].format(path=data.path)]
    stores = [name for name in SERVICES if data.store(name).exists()]
    if not stores:
        return "\n".join([*lines, say["none"]])
    sizes = {name: sum(p.stat().st_size for p in data.path.glob(f"{name}.sqlite*") if not p.name.endswith("-shm"))
             for name in stores}
    lines.append(say["size"].format(size=_size(sum(sizes.values())), count=len(stores)))
    running = data.read_json("running.json")
    running = running if running and _alive(running.get("pid")) else None
    lines.append(say["running"].format(pid=running["pid"]) if running else say["stopped"])
    last = data.read_json("last-backup.json")
    lines.append(say["backup"].format(**last) if last else say["never"])
    lags = _lags(running, config) if running else {}
    for name in stores:
        counts, waiting, kept, unsettled = _contents(data.store(name), load_spec(name).outbox_collections)
        lines.append(say["store"].format(name=name, size=_size(sizes[name]), documents=sum(counts.values())))
        lines += [say["collection"].format(name=coll, count=count) for coll, count in sorted(counts.items())]
        lines.append(say["outbox"].format(waiting=waiting, kept=kept, unsettled=unsettled))
        lines.append(say["lag"].format(lag=lags[name]) if name in lags else say["lag_unknown"])
    return "\n".join(lines)


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
