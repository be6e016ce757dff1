"""Soak: steady mixed traffic against `rawbank dev`, then the figures; or the highest rate it holds.

    .venv/bin/python bench/soak.py                 # starts `rawbank dev --memory` on free ports, 2 minutes at 20/s
    .venv/bin/python bench/soak.py --minutes 10 --rate 20 --json
    .venv/bin/python bench/soak.py --durable       # the store on disk, in a new temporary data directory
    .venv/bin/python bench/soak.py --minutes 10 --mix reads   # memory with the data not growing (a leak shows)
    .venv/bin/python bench/soak.py --find-capacity [--durable] [--start-rate 20 --step 20 --step-seconds 30]
    .venv/bin/python bench/soak.py --urls http://127.0.0.1:8001,http://127.0.0.1:8002,http://127.0.0.1:8003 \
        --broker 127.0.0.1:9092                    # against one that runs already (its demo users)

Traffic: artisans submit requisitions, admins approve them, warehouse staff receive stock and
dispatch what is reserved, admins and artisans read, and an admin keeps the live alert board (SSE)
open. Alongside, two probes: one moves a material below and back above its reorder level every few
seconds and times each move until its alert change arrives on the admin's stream
(alert_latency_ms); the other registers a material in inventory and times until the requests
service knows it (propagation_ms). Printed: requests/s held, errors, p50/p99 latency per endpoint,
both probes' p50/p99, consumer lag, memory of each process (sampled every 5 s) and the `rawbank
reconcile` verdict.

--find-capacity offers the same mix at rising rates, each for --step-seconds, and stops at the
first rate where the p99 of all requests passes 500 ms, any request fails (5xx or no answer), fewer
than 90% of the offered requests could be made, more than a second's worth of operations were still
waiting to be sent when the step ended, or a consumer is behind (by more than --max-lag messages at
the end of the step, or by more than a quarter of that and more than at its middle); it prints the
highest rate held (capacity_rps). The rate counts operations of the mix: a hand-over is three
requests (the requisition, the payment, the dispatch), so held_rps, the HTTP requests made per
second, is higher.
The load generator runs on the same machine and takes its share of the CPU.

Figures, not a pass/fail test. `--json` also prints them as one JSON object; charts go to bench/results/.
"""
from __future__ import annotations

import argparse
import os
import queue
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from figures import chart, emit, shown, millis, percentile  # noqa: E402
from shared.config import Config  # noqa: E402
from tests.devserver import spawn_on_free_ports  # noqa: E402
from workload import (Alerts, Client, Saga, cpu_seconds, lag, probe, processes_of, propagation, rss_mb, setup,  # noqa: E402
                      traffic)

LIMIT_P99_SECONDS = 0.5


class Dev:
    """`rawbank dev` on free ports, stopped with Ctrl-C's signal at the end."""

    def __init__(self, *options: str):
        self.log = open(Path(os.environ.get("TMPDIR", "/tmp")) / f"soak-dev-{os.getpid()}.log", "w")
        self.ports, self.process = spawn_on_free_ports(*options, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while "Ctrl-C" not in Path(self.log.name).read_text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"rawbank dev did not start; see {self.log.name}")
            time.sleep(0.5)

    @property
    def urls(self) -> dict[str, str]:
        return {name: f"http://127.0.0.1:{self.ports[name]}" for name in ("inventory", "requests", "notifier")}

    def stop(self):
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()


def reconcile(config: Config, urls, broker) -> str:
    """`rawbank reconcile --via-api`, retried while events are still settling."""
    from shared import dead_letters, reconcile as rc, reconcile_cli
    from shared.dlq_cli import letters
    from shared.events import TOPICS
    config = config.with_(kafka_bootstrap_servers=broker) if broker else config
    deadline = time.monotonic() + 60
    while True:
        found = reconcile_cli.gather(config, via_api=True, urls=urls)
        dlq = [dead_letters.shown(entry) for entry in letters(config.with_(notifier_url=urls["notifier"]), TOPICS,
                                                               command="bench/soak.py")] if broker else []
        result = rc.check(found, dlq)
        if result.ok or time.monotonic() > deadline:
            return result.text()
        time.sleep(3)


class Stack:
    """The running rawbank the load goes to, its users, and the admin's live board, open throughout."""

    def __init__(self, args, config: Config):
        where = ("--data-dir", tempfile.mkdtemp(prefix="rawbank-soak-")) if args.durable else ()
        self.dev = None if args.urls else Dev(*where)
        self.urls = (dict(zip(("inventory", "requests", "notifier"), args.urls.split(","))) if args.urls
                     else self.dev.urls)
        self.broker = args.broker or (f"127.0.0.1:{self.dev.ports['broker']}" if self.dev else None)
        self.store = "durable" if args.durable else ("memory" if self.dev else "running")
        if args.durable:  # a data directory has a token secret of its own
            from shared.datadir import DataDir
            config = config.with_(jwt_secret=DataDir(where[1]).secret(create=False))
        self.config = config  # what the bench signs its own tokens with (the reconcile's admin token too)
        self.tokens, self.people = setup(Client(), self.urls, config, args.artisans)
        self.pids = processes_of(self.dev.process.pid) if self.dev else {}
        self.alerts = Alerts(self.urls["notifier"], self.tokens["admin"])
        self.alerts.start()
        self.alerts.connected.wait(30)
        self.saga = Saga()
        self.rng = random.Random(args.seed)

    def stop(self):
        if self.dev:
            self.dev.stop()


@dataclass
class Step:
    """What one stretch of load at one offered rate measured."""

    rate: float
    client: Client = field(default_factory=Client)
    sent: int = 0
    elapsed: float = 0.0
    backlog: int = 0
    backlog_end: int = 0  # operations offered but not yet begun when the offering stopped
    alert_times: list = field(default_factory=list)
    missed: list = field(default_factory=lambda: [0])
    propagation_times: list = field(default_factory=list)
    lags: list = field(default_factory=list)  # (seconds into the step, {service: lag})
    memory: list = field(default_factory=list)  # (seconds into the step, {process: RSS MB})
    cpu: list = field(default_factory=list)  # (seconds into the step, {process: CPU seconds used so far})


def watch(stack: Stack, step: Step, stop: threading.Event, started: float) -> None:
    """Every 5 s: each consumer group's lag and each process's memory."""
    while not stop.wait(5):
        if stack.broker:
            step.lags.append((time.perf_counter() - started, lag(stack.broker)))
        if stack.pids:
            step.memory.append((time.perf_counter() - started, {n: rss_mb(p) for n, p in stack.pids.items()}))
        step.cpu.append((time.perf_counter() - started, {"load generator": cpu_seconds(os.getpid()),
                                                         **{n: cpu_seconds(p) for n, p in stack.pids.items()}}))


def run_load(stack: Stack, rate: float, seconds: float, args) -> Step:
    """Offer the mixed traffic at `rate` requests/s for `seconds`, with both probes and the watcher running."""
    step, stop = Step(rate), threading.Event()
    while not stack.alerts.arrivals.empty():  # frames of an earlier step are not this one's
        stack.alerts.arrivals.get_nowait()
    started = time.perf_counter()
    helpers = [threading.Thread(target=probe, args=(step.client, stack.urls, stack.tokens["warehouse"], stack.alerts,
                                                    stop, args.probe_every, step.alert_times, step.missed)),
               threading.Thread(target=propagation, args=(step.client, stack.urls, stack.tokens["admin"],
                                                          stack.people[0], stop, args.probe_every * 2,
                                                          step.propagation_times)),
               threading.Thread(target=watch, args=(stack, step, stop, started))]
    work: "queue.Queue[int | None]" = queue.Queue()

    def worker():
        while work.get() is not None:
            traffic(step.client, stack.urls, stack.tokens, stack.people, stack.rng, stack.saga, args.mix == "reads")

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(args.threads)]
    for thread in pool + helpers:
        thread.daemon = True
        thread.start()
    while (now := time.perf_counter() - started) < seconds:
        while step.sent < int(now * rate):
            work.put(step.sent)
            step.sent += 1
        step.backlog = max(step.backlog, work.qsize())
        time.sleep(0.01)
    step.backlog_end = work.qsize()
    for _ in pool:
        work.put(None)
    for thread in pool:
        thread.join(60)
    step.elapsed = time.perf_counter() - started
    stop.set()
    for thread in helpers:
        thread.join(40)
    return step


def summary(step: Step, max_lag: int) -> dict:
    """The step's figures, named as issue 19 names them."""
    client = step.client
    every = [v for values in client.latency.values() for v in values]
    made = sum(sum(codes.values()) for codes in client.status.values())
    errors = sum(n for codes in client.status.values() for code, n in codes.items() if code == 0 or code >= 500)
    refused = defaultdict(int)
    for codes in client.status.values():
        for code, n in codes.items():
            if 400 <= code < 500:
                refused[code] += n
    growing = False
    if step.lags:  # behind by more than --max-lag at the end, or more than at the middle and still above a quarter
        middle, end = step.lags[len(step.lags) // 2][1], step.lags[-1][1]
        growing = any(end[s] > max_lag or (end[s] > max_lag / 4 and end[s] > middle.get(s, 0)) for s in end)
    return {"offered_rps": step.rate, "held_rps": round(made / step.elapsed, 1) if step.elapsed else 0.0,
            "made": made, "scheduled": step.sent, "largest_backlog": step.backlog, "backlog_end": step.backlog_end,
            "errors": errors,
            "refused": dict(sorted(refused.items())), "http_ms": millis(every),
            "alert_latency_ms": {**millis(step.alert_times), "missed": step.missed[0]},
            "propagation_ms": millis(step.propagation_times),
            "lag_end": step.lags[-1][1] if step.lags else {}, "lag_growing": growing,
            "memory_mb": _memory(step), "cpu_percent": _cpu(step)}


def _cpu(step: Step) -> dict:
    """Each process's share of one CPU over the step (100: one core busy all the time; this machine has
    os.cpu_count() of them), from its first to its last sample."""
    if len(step.cpu) < 2:
        return {}
    (t0, first), (t1, last) = step.cpu[0], step.cpu[-1]
    return {name: round((last[name] - first[name]) / (t1 - t0) * 100) for name in first}


def _memory(step: Step) -> dict:
    """Each process's RSS after warm-up (the first fifth of the samples left out): first, last, min, max."""
    samples = step.memory[len(step.memory) // 5:]
    if not samples:
        return {}
    out = {}
    for name in samples[0][1]:
        first, low, high = samples[0][1][name], min(s[1][name] for s in samples), max(s[1][name] for s in samples)
        out[name] = {"first": round(first), "last": round(samples[-1][1][name]), "min": round(low),
                     "max": round(high), "flat_10_percent": low >= first * 0.9 and high <= first * 1.1}
    return out


def limits(figures: dict) -> list[str]:
    """Why a step was not held (nothing: held)."""
    why = []
    if figures["http_ms"]["p99"] > LIMIT_P99_SECONDS * 1000:
        why.append(f"p99 {figures['http_ms']['p99']:.0f} ms > {LIMIT_P99_SECONDS * 1000:.0f} ms")
    if figures["errors"]:
        why.append(f"{figures['errors']} failed requests")
    if figures["made"] < 0.9 * figures["scheduled"]:
        why.append(f"only {figures['made']} of {figures['scheduled']} requests made")
    if figures["lag_growing"]:
        why.append(f"consumer lag growing: {figures['lag_end']}")
    if figures["backlog_end"] > figures["offered_rps"]:
        why.append(f"{figures['backlog_end']} operations still waiting to be sent when the step ended (over 1 s of them)")
    return why


def find_capacity(stack: Stack, args) -> dict:
    """Step the offered rate up until a step is not held; the highest rate held is the capacity."""
    steps, held, rate = [], None, args.start_rate
    print(f"capacity ({stack.store} store): steps of {args.step_seconds:g} s from {rate:g} requests/s, +{args.step:g}")
    print(f"{'offered':>8} {'held':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'alert p50/p99 ms':>17}  lag at end")
    while rate <= args.max_rate:
        figures = summary(run_load(stack, rate, args.step_seconds, args), args.max_lag)
        why = limits(figures)
        steps.append({**figures, "held": not why, "why_not": why})
        alert = figures["alert_latency_ms"]
        print(f"{rate:>8g} {figures['held_rps']:>7.1f} {figures['http_ms']['p50']:>7.1f} {figures['http_ms']['p99']:>7.1f} "
              f"{figures['errors']:>6} {alert['p50']:>8.0f}/{alert['p99']:<8.0f}  {figures['lag_end']}  CPU% "
              f"{' '.join(f'{name} {share}' for name, share in figures['cpu_percent'].items())}"
              + (f"  NOT HELD: {'; '.join(why)}" if why else ""), flush=True)
        if why:
            break
        held, rate = rate, rate + args.step
    print(f"\ncapacity_rps ({stack.store} store): {held if held is not None else 'below the first step'}")
    path = chart(f"capacity-{stack.store}", f"Latency vs offered load ({stack.store} store)",
                 "offered operations/s (a hand-over is 3 requests)", "ms",
                 {"HTTP p50": [(s["offered_rps"], s["http_ms"]["p50"]) for s in steps],
                  "HTTP p99": [(s["offered_rps"], s["http_ms"]["p99"]) for s in steps],
                  "movement -> alert p50": [(s["offered_rps"], s["alert_latency_ms"]["p50"]) for s in steps]})
    if path:
        print(f"chart: {shown(path)}")
    return {"capacity_rps": held, "store": stack.store, "step_seconds": args.step_seconds, "steps": steps}


def soak(stack: Stack, args) -> dict:
    """The default: one rate for --minutes, then lag settling and the reconcile verdict."""
    print(f"soak: {args.minutes:g} min at {args.rate:g} requests/s against {stack.urls['inventory']} "
          f"({stack.store} store) ...", flush=True)
    step = run_load(stack, args.rate, args.minutes * 60, args)
    figures = summary(step, args.max_lag)
    lag_end = lag(stack.broker) if stack.broker else {}
    settled, deadline = lag_end, time.monotonic() + 120
    while stack.broker and any(settled.values()) and time.monotonic() < deadline:
        time.sleep(2)
        settled = lag(stack.broker)
    verdict = reconcile(stack.config, stack.urls, stack.broker)
    report(step, figures, lag_end, settled, verdict)
    path = chart(f"soak-{stack.store}" + ("-reads" if args.mix == "reads" else ""),
                 f"Memory during the soak ({stack.store} store, {args.mix} mix)", "seconds", "RSS MB",
                 {name: [(t, sample[name]) for t, sample in step.memory] for name in stack.pids})
    if path:
        print(f"chart: {shown(path)}")
    return {**figures, "store": stack.store, "mix": args.mix, "minutes": args.minutes, "lag_settled": settled,
            "reconcile_clean": "CLEAN" in verdict}


def report(step: Step, figures: dict, lag_end, lag_settled, verdict: str) -> None:
    client = step.client
    print(f"\n=== soak: {step.elapsed / 60:.1f} min, target {step.rate:g} requests/s ===")
    print(f"operations scheduled {step.sent}, HTTP requests made {figures['made']} ({figures['held_rps']:.1f}/s held; "
          f"largest backlog {step.backlog})")
    print(f"errors (5xx or no answer): {figures['errors']};  refused by the rules (4xx): {figures['refused']} "
          f"{dict(sorted(client.codes.items()))}")
    print(f"\n{'endpoint':44} {'count':>6} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    for name in sorted(client.latency):
        values = client.latency[name]
        print(f"{name:44} {len(values):>6} {percentile(values, 50) * 1000:>8.1f} {percentile(values, 99) * 1000:>8.1f}  "
              f"{dict(sorted(client.status[name].items()))}")
    alert, known = figures["alert_latency_ms"], figures["propagation_ms"]
    print(f"\nstock movement -> alert on the SSE stream: {alert['count']} crossings, p50 {alert['p50']:.0f} ms, "
          f"p99 {alert['p99']:.0f} ms, missed {alert['missed']}")
    print(f"material created -> known to requests: {known['count']} materials, p50 {known['p50']:.0f} ms, "
          f"p99 {known['p99']:.0f} ms")
    print(f"consumer lag when the load stopped: {lag_end}; after settling: {lag_settled}")
    if figures["memory_mb"]:
        print("memory after warm-up (RSS MB, first -> last, min..max; flat: within 10% of the first): " + ", ".join(
            f"{name} {m['first']} -> {m['last']} ({m['min']}..{m['max']}{'' if m['flat_10_percent'] else ', NOT flat'})"
            for name, m in sorted(figures["memory_mb"].items())))
    if figures["cpu_percent"]:
        print("CPU, % of one core: " + ", ".join(f"{name} {share}" for name, share in figures["cpu_percent"].items())
              + f" ({os.cpu_count()} cores)")
    print("\n" + verdict)
    print(f"\n(overall p50 {figures['http_ms']['p50']:.1f} ms, p99 {figures['http_ms']['p99']:.1f} ms)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--rate", type=float, default=20.0, help="requests per second (default 20)")
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--artisans", type=int, default=300,
                        help="artisans who submit (default 300: each files a few a month, as a board's do; with 30, "
                             "each filed hundreds within minutes at capacity, and their monthly counts grew with it)")
    parser.add_argument("--probe-every", type=float, default=3.0, help="seconds between level crossings")
    parser.add_argument("--durable", action="store_true", help="keep the store on disk (default: --memory)")
    parser.add_argument("--mix", choices=("full", "reads"), default="full",
                        help="reads: only the mix's reads (and the probes), so the data stays the size it was; "
                             "what memory does then is the services' own, not the store growing")
    parser.add_argument("--find-capacity", action="store_true", help="step the rate up; print the highest held")
    parser.add_argument("--start-rate", type=float, default=20.0)
    parser.add_argument("--step", type=float, default=20.0, help="requests/s added each step")
    parser.add_argument("--step-seconds", type=float, default=30.0)
    parser.add_argument("--max-rate", type=float, default=400.0)
    parser.add_argument("--max-lag", type=int, default=200, help="messages behind a consumer may end a step with")
    parser.add_argument("--urls", help="inventory,requests,notifier base URLs of a running rawbank (else starts one)")
    parser.add_argument("--broker", help="with --urls: the broker host:port, for the lag figure")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON object")
    args = parser.parse_args(argv)

    config = Config.from_env({})
    stack = Stack(args, config)
    try:
        figures = find_capacity(stack, args) if args.find_capacity else soak(stack, args)
    finally:
        stack.stop()
    emit(figures, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
