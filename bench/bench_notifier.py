"""Notifier throughput in process: events applied per second by its consumer's handler, with its dispatcher running.

    .venv/bin/python bench/bench_notifier.py [--events 3000] [--rounds 3] [--json]
    .venv/bin/python bench/bench_notifier.py --backlog [--json]   # one claim with 100 ... 30,000 deliveries waiting

Each round starts an empty embedded store, applies requisitions' events (submitted, approved, reserved:
each a notification with three deliveries, as the soak's mix makes) through the notifier's handler while
the dispatcher delivers in its own thread, as `rawbank run notifier` does; then prints events/s, how long
one dispatcher claim holds the store with that history stored, and the deliveries left undelivered.
No broker: this is the cost of the notifier's own work on the store (the blocker of `soak.py --find-capacity`).
`--backlog` instead times the dispatcher's claim of the next due delivery with 100, 1,000, 10,000 and 30,000
pending (a backlog: an SMS gateway down for an hour, a burst): with the index walked it stays flat.
"""
from __future__ import annotations

import argparse
import logging
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.figures import emit, percentile  # noqa: E402
from services.notifier import consumer, deliveries, spec  # noqa: E402
from services.notifier.dispatcher import Dispatcher  # noqa: E402
from shared.config import Config  # noqa: E402
from shared.envelope import new_event  # noqa: E402
from shared.runtime import Runtime  # noqa: E402

STEPS = ("RequisitionSubmitted", "RequisitionApproved", "StockReserved")


def events(n: int):
    """50 artisans registered, then n events: their requisitions at one depot, each submitted, approved, reserved."""
    for number in range(50):
        yield new_event("ArtisanRegistered", f"A{number}", {
            "artisan_id": f"A{number}", "name": f"Artisan {number}", "district": "Varanasi", "language": "hi",
            "phone": "+919800000000"}, source="bench")
    for i in range(n):
        step, number = STEPS[i % 3], i // 3
        payload = {"requisition_id": f"R{number}", "artisan_id": f"A{number % 50}", "depot": "VNS",
                   "lines": [{"sku": "YRN-COT", "quantity": 2_000}], "by": "bench"}
        if step == "StockReserved":
            payload = {k: payload[k] for k in ("requisition_id", "depot", "lines")}
        yield new_event(step, f"R{number}", payload, source="bench")


def round_(count: int) -> dict:
    config = Config.from_env().with_(mongo_uri=f"mongomock://bench-notifier-{time.monotonic_ns()}", data_dir="")
    runtime = Runtime(spec(), config)
    db, handle = runtime.db, consumer.make_handler(runtime.db, config)
    stream = list(events(count))
    stop = threading.Event()
    dispatcher = threading.Thread(target=Dispatcher(db, config).run, args=(stop,), daemon=True)
    dispatcher.start()
    started = time.perf_counter()
    for event in stream:
        handle(event)
    seconds = time.perf_counter() - started
    stop.set()
    dispatcher.join()
    claims = []
    for _ in range(20):
        began = time.perf_counter()
        deliveries.claim(db, datetime.now(timezone.utc))
        claims.append((time.perf_counter() - began) * 1000)
    left = db.deliveries.count_documents({"status": deliveries.PENDING})
    stored = db.deliveries.count_documents({})
    runtime.close()
    return {"events_per_s": len(stream) / seconds, "claim_ms": percentile(claims, 50), "deliveries": stored,
            "pending_left": left}


def backlog(pending: int) -> float:
    """The median of 30 claims (ms) with `pending` deliveries due (three per story), in an otherwise empty store."""
    config = Config.from_env().with_(mongo_uri=f"mongomock://bench-backlog-{time.monotonic_ns()}", data_dir="")
    runtime = Runtime(spec(), config)
    start = datetime.now(timezone.utc) - timedelta(hours=1)
    runtime.db.deliveries.insert_many([
        {"_id": f"d{n}", "status": deliveries.PENDING, "next_attempt_at": start + timedelta(milliseconds=n),
         "order_at": start + timedelta(milliseconds=n), "story": f"requisition:R{n // 3}",
         "channel": ("in_app", "email", "sms")[n % 3], "target": "artisan", "attempts": 0, "created_at": start}
        for n in range(pending)])
    now, claims = datetime.now(timezone.utc), []
    for _ in range(30):
        began = time.perf_counter()
        deliveries.claim(runtime.db, now, 5)
        claims.append((time.perf_counter() - began) * 1000)
    runtime.close()
    return percentile(claims, 50)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--backlog", action="store_true", help="time one claim with 100 ... 30,000 waiting instead")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # the dispatcher's failed attempts are not the figures
    if args.backlog:
        figures = {}
        for pending in (100, 1_000, 10_000, 30_000):
            figures[f"claim_ms_{pending}_pending"] = backlog(pending)
            print(f"one claim with {pending:,} deliveries waiting: {figures[f'claim_ms_{pending}_pending']:.2f} ms",
                  flush=True)
        emit(figures, args.json)
        return
    rounds = []
    for number in range(args.rounds):
        rounds.append(round_(args.events))
        print(f"round {number + 1}: " + ", ".join(f"{k} {v:,.1f}" for k, v in rounds[-1].items()), flush=True)
    figures = {key: percentile([r[key] for r in rounds], 50) for key in rounds[0]}
    print(f"median: {figures['events_per_s']:,.0f} events/s with the dispatcher running; one claim "
          f"{figures['claim_ms']:.2f} ms with {figures['deliveries']:,.0f} deliveries stored")
    emit({"events": args.events, **figures}, args.json)


if __name__ == "__main__":
    main()
