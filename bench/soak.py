"""Soak: steady mixed traffic against `rawbank dev` for N minutes, then the figures.

    .venv/bin/python bench/soak.py                 # starts `rawbank dev` on free ports, 2 minutes
    .venv/bin/python bench/soak.py --minutes 1 --rate 25
    .venv/bin/python bench/soak.py --urls http://127.0.0.1:8001,http://127.0.0.1:8002,http://127.0.0.1:8003 \
        --broker 127.0.0.1:9092                    # against one that runs already (its demo users)

Traffic: artisans submit requisitions, admins approve them, warehouse staff receive stock and
dispatch what is reserved, admins and artisans read. Alongside, a probe moves one material below
and back above its reorder level every few seconds and times each move until its alert change
arrives on the admin's SSE stream. Printed: requests/s held, errors, p50/p99 latency per
endpoint, p50/p99 movement-to-alert time, consumer lag at the end, memory of each process at
start and end, and the `rawbank reconcile` verdict. Figures, not a pass/fail test.
"""
from __future__ import annotations

import argparse
import json
import os
import queue
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shared.auth import issue_token  # noqa: E402
from tests.devserver import spawn_on_free_ports  # noqa: E402
from shared.config import Config  # noqa: E402

MATERIALS = ("YRN-COT-40", "YRN-SLK-MUL", "DYE-INDIGO")
PROBE_SKU = "SOAK-PROBE"
DEPOT = "VNS"


class Client:
    """JSON over HTTP; records every call's latency and status by endpoint name."""

    def __init__(self):
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.status: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.codes: dict[str, int] = defaultdict(int)
        self.lock = threading.Lock()

    def call(self, name: str, method: str, url: str, token: str | None = None, body=None, record=True):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, method=method, data=data, headers={"Content-Type": "application/json"})
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, payload = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, payload = error.code, error.read()
        except OSError:
            status, payload = 0, b""  # connection refused, reset or timed out
        elapsed = time.perf_counter() - started
        try:
            decoded = json.loads(payload or b"null")
        except ValueError:
            decoded = None
        if record:
            with self.lock:
                self.latency[name].append(elapsed)
                self.status[name][status] += 1
                if status >= 400 and isinstance(decoded, dict) and isinstance(decoded.get("error"), dict):
                    self.codes[f"{status} {decoded['error'].get('code')}"] += 1
        return status, decoded


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")


class Dev:
    """`rawbank dev` on free ports, stopped with Ctrl-C's signal at the end."""

    def __init__(self):
        self.log = open(Path(os.environ.get("TMPDIR", "/tmp")) / f"soak-dev-{os.getpid()}.log", "w")
        self.ports, self.process = spawn_on_free_ports(cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
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


def processes_of(pid: int) -> dict[str, int]:
    """The broker and the three services under a `rawbank dev` process: name -> pid."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) != pid:
                continue
            cmdline = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError, IndexError):
            continue
        words = [w.decode(errors="replace") for w in cmdline if w]
        name = words[-1] if "run" in words else "broker"
        found[name] = int(stat.parent.name)
    return found


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Alerts(threading.Thread):
    """Reads the admin's SSE stream; remembers when each probe alert change arrived."""

    def __init__(self, url: str, token: str):
        super().__init__(daemon=True, name="sse")
        self.url, self.token = url, token
        self.arrivals: "queue.Queue[tuple[float, str]]" = queue.Queue()
        self.connected = threading.Event()

    def run(self):
        while True:
            request = urllib.request.Request(f"{self.url}/api/v1/stream?max_seconds=3600",
                                             headers={"Authorization": f"Bearer {self.token}"})
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    self.connected.set()
                    for raw in response:
                        line = raw.decode("utf-8", "replace").strip()
                        if line.startswith("data: "):
                            alert = json.loads(line[6:])
                            if alert.get("sku") == PROBE_SKU and alert.get("kind") == "low_stock":
                                self.arrivals.put((time.perf_counter(), alert["status"]))
            except OSError:
                time.sleep(1)


def probe(client: Client, urls, warehouse: str, alerts: Alerts, stop: threading.Event, every: float,
          results: list[float], missed: list[int]):
    """Cross the probe material's reorder level down and up; time each until its alert frame."""
    down = True
    while not stop.wait(every):
        quantity, kind, want = ("-15", "adjustment", "open") if down else ("15", "receipt", "resolved")
        body = {"type": kind, "sku": PROBE_SKU, "depot": DEPOT, "quantity": quantity}
        if kind == "adjustment":
            body["reason"] = "count"
        status, _ = client.call("POST /movements (probe)", "POST", f"{urls['inventory']}/api/v1/movements",
                                warehouse, body)
        moved = time.perf_counter()
        if status != 201:
            continue
        down = not down
        deadline = moved + 30
        while time.perf_counter() < deadline:
            try:
                at, status_ = alerts.arrivals.get(timeout=max(0.01, deadline - time.perf_counter()))
            except queue.Empty:
                break
            if status_ == want:
                results.append(at - moved)
                break
        else:
            missed[0] += 1


def setup(client: Client, urls, config: Config, artisans: int):
    """Log in as the demo users, raise the caps, add artisans and the probe material."""
    tokens = {}
    for user, password in (("admin", "admin123"), ("warehouse", "warehouse123")):
        status, body = client.call("POST /auth/login", "POST", f"{urls['requests']}/api/v1/auth/login", None,
                                   {"username": user, "password": password})
        if status != 200:
            raise SystemExit(f"cannot log in as {user}: {status} {body}")
        tokens[user] = body["access_token"]
    admin = tokens["admin"]
    for category in ("yarn", "dye"):
        client.call("setup", "POST", f"{urls['requests']}/api/v1/quotas", admin,
                    {"category": category, "limit": "1000000", "per_loom": False}, record=False)
    suffix = uuid.uuid4().hex[:6].upper()
    people = []
    for n in range(artisans):
        artisan_id = f"SOAK-{suffix}-{n:02d}"
        client.call("setup", "POST", f"{urls['requests']}/api/v1/artisans", admin, {
            "artisan_id": artisan_id, "name": f"Soak artisan {n}", "district": "Varanasi", "craft": "weaving",
            "registration_id": f"SOAK-{suffix}-{n}"}, record=False)
        people.append(issue_token(config.jwt_secret, sub=f"soak-{n}", role="artisan", artisan_id=artisan_id,
                                  ttl_seconds=24 * 3600))
    client.call("setup", "POST", f"{urls['inventory']}/api/v1/materials", admin, {
        "sku": PROBE_SKU, "name": "Soak probe", "name_hi": "सोक जाँच", "category": "other", "unit": "piece",
        "reorder_level": "10"}, record=False)
    client.call("setup", "POST", f"{urls['inventory']}/api/v1/movements", admin,
                {"type": "receipt", "sku": PROBE_SKU, "depot": DEPOT, "quantity": "20"}, record=False)
    known = lambda: client.call("setup", "GET", f"{urls['requests']}/api/v1/requisitions?limit=1", admin,
                                record=False)[0] == 200
    while not known():
        time.sleep(0.5)
    time.sleep(3)  # let the materials reach the requests service
    return tokens, people


def traffic(client: Client, urls, tokens, people, rng: random.Random, submitted: list[str]):
    """One operation of the mix, chosen by weight."""
    admin, warehouse = tokens["admin"], tokens["warehouse"]
    inv, req, note = urls["inventory"], urls["requests"], urls["notifier"]
    roll = rng.random()
    if roll < 0.30:
        lines = [{"sku": sku, "quantity": str(rng.randint(1, 4))} for sku in rng.sample(MATERIALS, rng.choice((1, 2)))]
        status, body = client.call("POST /requisitions", "POST", f"{req}/api/v1/requisitions", rng.choice(people),
                                   {"depot": DEPOT, "lines": lines})
        if status == 201:
            submitted.append(body["id"])
    elif roll < 0.45:
        if submitted:
            rid = submitted.pop(0)
            client.call("POST /requisitions/{id}/approve", "POST", f"{req}/api/v1/requisitions/{rid}/approve", admin, {})
    elif roll < 0.55:
        client.call("POST /movements (receipt)", "POST", f"{inv}/api/v1/movements", warehouse, {
            "type": "receipt", "sku": rng.choice(MATERIALS), "depot": DEPOT, "quantity": str(rng.randint(5, 20))})
    elif roll < 0.60:
        status, body = client.call("GET /requisitions?status=reserved", "GET",
                                   f"{req}/api/v1/requisitions?status=reserved&limit=3", warehouse)
        for item in (body or [])[:1] if status == 200 else []:
            client.call("POST /requisitions/{id}/dispatch", "POST", f"{req}/api/v1/requisitions/{item['id']}/dispatch",
                        warehouse, {})
    elif roll < 0.72:
        client.call("GET /stock", "GET", f"{inv}/api/v1/stock?depot={DEPOT}", admin)
    elif roll < 0.82:
        client.call("GET /alerts", "GET", f"{note}/api/v1/alerts?status=open", admin)
    elif roll < 0.90:
        client.call("GET /requisitions", "GET", f"{req}/api/v1/requisitions?limit=50", admin)
    elif roll < 0.95:
        client.call("GET /events", "GET", f"{note}/api/v1/events?limit=50", admin)
    else:
        client.call("GET /requisitions (own)", "GET", f"{req}/api/v1/requisitions", rng.choice(people))


def lag(broker: str) -> dict[str, int]:
    """Messages each service's consumer group has not yet committed, over all its partitions."""
    from kafka import KafkaConsumer, TopicPartition
    from shared.events import TOPICS, dlq_topic
    reads = {"inventory": TOPICS, "requests": ("inventory.events",),
             "notifier": TOPICS + tuple(dlq_topic(t) for t in TOPICS)}
    out = {}
    probe_ = KafkaConsumer(bootstrap_servers=[broker])
    try:
        for service, topics in reads.items():
            group = KafkaConsumer(bootstrap_servers=[broker], group_id=f"rawbank-{service}", enable_auto_commit=False)
            try:
                partitions = [TopicPartition(t, p) for t in topics for p in (probe_.partitions_for_topic(t) or ())]
                ends = probe_.end_offsets(partitions)
                out[service] = sum(max(0, ends[tp] - (group.committed(tp) or 0)) for tp in partitions)
            finally:
                group.close()
    finally:
        probe_.close()
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--rate", type=float, default=20.0, help="requests per second (default 20)")
    parser.add_argument("--threads", type=int, default=12)
    parser.add_argument("--artisans", type=int, default=30)
    parser.add_argument("--probe-every", type=float, default=3.0, help="seconds between level crossings")
    parser.add_argument("--urls", help="inventory,requests,notifier base URLs of a running rawbank (else starts one)")
    parser.add_argument("--broker", help="with --urls: the broker host:port, for the lag figure")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    config = Config.from_env({})
    dev = None if args.urls else Dev()
    urls = dict(zip(("inventory", "requests", "notifier"), args.urls.split(","))) if args.urls else dev.urls
    broker = args.broker or (f"127.0.0.1:{dev.ports['broker']}" if dev else None)
    try:
        client = Client()
        tokens, people = setup(client, urls, config, args.artisans)
        pids = processes_of(dev.process.pid) if dev else {}
        memory_start = {name: rss_mb(pid) for name, pid in pids.items()}
        alerts = Alerts(urls["notifier"], tokens["admin"])
        alerts.start()
        alerts.connected.wait(30)
        stop, probe_times, missed = threading.Event(), [], [0]
        prober = threading.Thread(target=probe, args=(client, urls, tokens["warehouse"], alerts, stop,
                                                      args.probe_every, probe_times, missed), daemon=True)
        prober.start()

        work: "queue.Queue[int | None]" = queue.Queue()
        submitted: list[str] = []
        rng = random.Random(args.seed)
        behind = [0]

        def worker():
            while work.get() is not None:
                traffic(client, urls, tokens, people, rng, submitted)

        pool = [threading.Thread(target=worker, daemon=True) for _ in range(args.threads)]
        for thread in pool:
            thread.start()
        duration = args.minutes * 60
        print(f"soak: {args.minutes:g} min at {args.rate:g} requests/s against {urls['inventory']} ...", flush=True)
        started = time.perf_counter()
        sent = 0
        while (now := time.perf_counter() - started) < duration:
            due = int(now * args.rate)
            while sent < due:
                work.put(sent)
                sent += 1
            behind[0] = max(behind[0], work.qsize())
            time.sleep(0.01)
        for _ in pool:
            work.put(None)
        for thread in pool:
            thread.join(60)
        elapsed = time.perf_counter() - started
        stop.set()
        prober.join(40)
        lag_end = lag(broker) if broker else {}
        memory_end = {name: rss_mb(pid) for name, pid in pids.items()}
        settle_deadline = time.monotonic() + 120
        lag_settled = lag_end
        while broker and any(lag_settled.values()) and time.monotonic() < settle_deadline:
            time.sleep(2)
            lag_settled = lag(broker)
        verdict = reconcile(config, urls, broker)
        report(client, args, sent, elapsed, behind[0], probe_times, missed[0], lag_end, lag_settled,
               memory_start, memory_end, verdict)
        return 0
    finally:
        if dev:
            dev.stop()


def reconcile(config: Config, urls, broker) -> str:
    """`rawbank reconcile --via-api`, retried while events are still settling."""
    from shared import reconcile as rc, reconcile_cli
    from shared.events import TOPICS, dlq_topic
    config = config.with_(kafka_bootstrap_servers=broker) if broker else config
    deadline = time.monotonic() + 60
    while True:
        found = reconcile_cli.gather(config, via_api=True, urls=urls)
        dlq = reconcile_cli.read_dlq(config, [dlq_topic(t) for t in TOPICS]) if broker else []
        result = rc.check(found, dlq)
        if result.ok or time.monotonic() > deadline:
            return result.text()
        time.sleep(3)


def report(client, args, sent, elapsed, backlog, probe_times, missed, lag_end, lag_settled, memory_start,
           memory_end, verdict):
    total = sum(sum(codes.values()) for codes in client.status.values())
    errors = sum(n for codes in client.status.values() for code, n in codes.items() if code == 0 or code >= 500)
    rejected = defaultdict(int)
    for codes in client.status.values():
        for code, n in codes.items():
            if 400 <= code < 500:
                rejected[code] += n
    print(f"\n=== soak: {elapsed / 60:.1f} min, target {args.rate:g} requests/s ===")
    print(f"operations scheduled {sent}, HTTP requests made {total} ({total / elapsed:.1f}/s held; "
          f"largest backlog {backlog})")
    print(f"errors (5xx or no answer): {errors};  refused by the rules (4xx): {dict(sorted(rejected.items()))} "
          f"{dict(sorted(client.codes.items()))}")
    print(f"\n{'endpoint':44} {'count':>6} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    for name in sorted(client.latency):
        values = client.latency[name]
        print(f"{name:44} {len(values):>6} {percentile(values, 50) * 1000:>8.1f} {percentile(values, 99) * 1000:>8.1f}  "
              f"{dict(sorted(client.status[name].items()))}")
    if probe_times:
        print(f"\nstock movement -> alert on the SSE stream: {len(probe_times)} crossings, "
              f"p50 {percentile(probe_times, 50) * 1000:.0f} ms, p99 {percentile(probe_times, 99) * 1000:.0f} ms, "
              f"max {max(probe_times) * 1000:.0f} ms, missed {missed}")
    else:
        print(f"\nstock movement -> alert: no crossing measured (missed {missed})")
    print(f"consumer lag when the load stopped: {lag_end}; after settling: {lag_settled}")
    if memory_start:
        print("memory (RSS, MB) start -> end: " + ", ".join(
            f"{name} {memory_start[name]:.0f} -> {memory_end.get(name, float('nan')):.0f}" for name in sorted(memory_start)))
    print("\n" + verdict)
    if client.latency:
        print(f"\n(overall p50 {statistics.median([v for vs in client.latency.values() for v in vs]) * 1000:.1f} ms)")


if __name__ == "__main__":
    sys.exit(main())
