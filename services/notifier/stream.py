"""GET /stream: new and changed alerts as server-sent events, read from the store.

The stream looks again as soon as this process applies an event or answers a write (the
runtime's wake-up, shared/wakeup.py), and at least every POLL_SECONDS: reading the store, not
the signal, keeps it right when the API and the consumer run in different processes.
"""
from __future__ import annotations

import json
import threading
import time
from datetime import datetime, timedelta, timezone

import marshmallow as ma
from flask import Response, request, stream_with_context
from marshmallow import fields as f, validate as v

from services.notifier import alerts, messages
from services.notifier.api import asked_depot
from shared.auth import require_role
from shared.calendar import Day, Moment, instants, moment_or_none
from shared.wakeup import Wakeup
from shared.web import Blueprint, db, runtime

blp = Blueprint("notifier_stream", __name__, url_prefix="/api/v1", description="Live alert feed")

POLL_SECONDS = 0.25
MIN_GAP_SECONDS = 0.005  # under a stream of writes, one look per gap serves them all
LAG = timedelta(seconds=5)  # look back this far, so a write that lands late is still seen
HEARTBEAT_SECONDS = 15.0


class StreamQuery(ma.Schema):
    max_seconds = f.Integer(load_default=300, validate=v.Range(min=1, max=3600))
    limit = f.Integer(load_default=None, validate=v.Range(min=1, max=10000))
    since = Moment(load_default=None)
    depot = f.String(load_default=None, validate=v.Length(min=1, max=100),
                     metadata={"description": "only this depot's alerts; a depot's warehouse staff get only their own "
                                              "(another: 403 wrong_depot, details.your_depot)"})
    q = f.String(load_default=None, validate=v.Length(max=100),
                 metadata={"description": "a board narrowed by words (as GET /alerts?q=): each alert sent says "
                                          "whether the words find it (`matches`)"})
    first_day = Day(load_default=None, data_key="from",
                    metadata={"description": "a board narrowed by the days alerts were first seen (India's, both "
                                             "included): each alert sent says whether it is of them (`matches`)"})
    last_day = Day(load_default=None, data_key="to")


def _since(query) -> datetime | None:
    """Where a reconnecting client left off (Last-Event-ID) or asked to start; None: from now.

    Last-Event-ID is what the client sends back, so anything: only an aware time within the
    calendar's years (shared.calendar.Moment) that is not in the future is a place to resume from;
    any other value, or a `since` in the future (a client whose clock is ahead), means from now.
    """
    last = request.headers.get("Last-Event-ID", "")
    since = moment_or_none(last.split("|", 1)[0]) if last else query["since"]
    if since is None or since > datetime.now(timezone.utc):
        return None
    return since


def frames(store, *, since: datetime | None, depot: str | None, max_seconds: int, limit: int | None,
           stopping: threading.Event | None = None, wake: Wakeup | None = None, narrowed: dict | None = None):
    """SSE frames for alerts changed from `since` (or from this call) on, each (id, version) once;
    they end after `max_seconds` or when the service is `stopping`. `narrowed`: the board's words and days
    (alerts.find's q, since, until): each alert sent then says whether they find it (`matches`)."""
    sent: dict[str, tuple[int, datetime]] = {}
    if since is None:  # a fresh client: what changed just before it came is not news
        since = datetime.now(timezone.utc)
        sent = {d["_id"]: (d["version"], d["updated_at"]) for page in _pages(store, since - LAG, depot, {})
                for d in page}
    return _frames(store, since, sent, depot, max_seconds, limit, stopping or threading.Event(), wake or Wakeup(),
                   {k: v for k, v in (narrowed or {}).items() if v})


def narrowing(query: dict) -> dict:
    """The board's words and days (?q=, ?from=, ?to=) as alerts.find takes them: the days as the instants
    [start, end) they cover (shared.calendar.instants), as the board's own list reads them (shared.lists.day_range)."""
    first, last = query.get("first_day"), query.get("last_day")
    if first and last and last < first:  # the board says so and is not narrowed by day
        first = last = None
    since, until = instants(first, last)
    return {"q": (query.get("q") or "").strip() or None, "since": since, "until": until}


def _frames(store, since: datetime, sent: dict, depot: str | None, max_seconds: int, limit: int | None,
            stopping: threading.Event, wake: Wakeup, narrowed: dict):
    yield "retry: 2000\n: connected\n\n"
    deadline = time.monotonic() + max_seconds
    next_beat = time.monotonic() + HEARTBEAT_SECONDS
    count = 0
    while time.monotonic() < deadline and not stopping.is_set():
        seen, looked = wake.seen(), time.monotonic()
        now = datetime.now(timezone.utc)
        for changed in _pages(store, since - LAG, depot, sent):
            found = alerts.matching(store, [d["_id"] for d in changed], **narrowed) if narrowed and changed else None
            for doc, item in zip(changed, messages.describe_alerts(store, changed, dump=True)):
                if found is not None:
                    item["matches"] = doc["_id"] in found
                sent[doc["_id"]] = (doc["version"], doc["updated_at"])
                event_id = f"{doc['updated_at'].isoformat()}|{doc['_id']}|{doc['version']}"
                yield f"id: {event_id}\nevent: alert\ndata: {json.dumps(item, ensure_ascii=False)}\n\n"
                count += 1
                if limit and count >= limit:
                    return
        since = max(since, now)
        sent = {k: s for k, s in sent.items() if s[1] >= since - LAG}
        if time.monotonic() >= next_beat:
            next_beat = time.monotonic() + HEARTBEAT_SECONDS
            yield ": keep-alive\n\n"
        if wake.wait(seen, POLL_SECONDS):
            stopping.wait(max(0.0, looked + MIN_GAP_SECONDS - time.monotonic()))


def _pages(store, start: datetime, depot: str | None, sent: dict):
    """The alerts changed from `start` on that `sent` lacks at their version, a page at a time, each page
    read once the one before is sent: a board back after a long gap gets every change, not the first page's.
    A full page goes on from its last change (the same moment again: `sent` skips what it holds)."""
    while True:
        page = alerts.changed_since(store, start, depot)
        yield [d for d in page if sent.get(d["_id"], (0,))[0] < d["version"]]
        if len(page) < alerts.CHANGED_PAGE or page[-1]["updated_at"] <= start:
            return  # the last page (or a page of one moment: more than a page never change at once)
        start = page[-1]["updated_at"]


@blp.route("/stream", methods=["GET"])
@require_role("admin", "warehouse")
@blp.arguments(StreamQuery, location="query")
def stream(query):
    """Server-sent events: `event: alert` with the alert as JSON, whenever one opens or changes (of one depot, asked);
    with `q`, `from` or `to` (a board narrowed by them), each says whether they find it (`matches`).

    Reconnects resume from Last-Event-ID; `max_seconds` ends the stream (clients reconnect).
    """
    generator = frames(db(), since=_since(query), depot=asked_depot(query["depot"]), max_seconds=query["max_seconds"],
                       limit=query["limit"], stopping=runtime().stopping, wake=runtime().written,
                       narrowed=narrowing(query))
    return Response(stream_with_context(generator), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
