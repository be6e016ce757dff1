"""The soak's workload: an HTTP client that times every call, the mixed traffic, and the probes.

Used by bench/soak.py (and nothing else); figures, never assertions.
"""
from __future__ import annotations

import json
import os
import queue
import random
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import defaultdict, deque
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from shared.auth import issue_token
from shared.config import Config

MATERIALS = ("YRN-COT-40", "YRN-SLK-MUL", "DYE-INDIGO")
PROBE_SKU = "SOAK-PROBE"
DEPOT = "VNS"
#: the expiry date a dye's receipt gives (a new lot of a dye must give one: 422 expiry_required), three years ahead
FAR_EXPIRY = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 3 * 365 * 86400))


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


def _stat(path: Path) -> list[str]:
    """The fields of a /proc/<pid>/stat after the command name (which may hold spaces and parentheses):
    [0] state, [1] parent pid, [11] user and [12] system CPU time in clock ticks."""
    return path.read_text().rsplit(")", 1)[1].split()


def children(pid: int) -> dict[int, list[str]]:
    """The processes whose parent is `pid`: pid -> command line words."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(_stat(stat)[1]) != pid:
                continue
            words = [w.decode(errors="replace") for w in (stat.parent / "cmdline").read_bytes().split(b"\0") if w]
        except (OSError, ValueError, IndexError):
            continue
        found[int(stat.parent.name)] = words
    return found


def processes_of(pid: int) -> dict[str, int]:
    """The broker and each service's serving process (gunicorn's worker) under `rawbank dev`: name -> pid."""
    found = {}
    for child, words in children(pid).items():
        if "run" in words:
            workers = children(child)  # `rawbank run` is gunicorn's arbiter; the store and threads live in its worker
            found[words[words.index("run") + 1]] = next(iter(workers), child)
        else:
            found["broker"] = child
    return found


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the process has used so far, all its threads."""
    fields = _stat(Path(f"/proc/{pid}/stat"))
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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
            down = not down if status == 409 else down  # an earlier run left it below: cross upwards first
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
    for category in ("yarn", "dye"):  # the API's largest monthly cap, so the mix runs for hours without refusals
        expect(client.call("setup", "POST", f"{urls['requests']}/api/v1/quotas", admin,
                           {"category": category, "limit": "10000", "per_loom": False}, record=False),
               f"set the {category} quota")
    suffix = uuid.uuid4().hex[:6].upper()
    people = []
    for n in range(artisans):
        artisan_id = f"SOAK-{suffix}-{n:02d}"
        expect(client.call("setup", "POST", f"{urls['requests']}/api/v1/artisans", admin, {
            "artisan_id": artisan_id, "name": f"Soak artisan {n}", "district": "Varanasi", "craft": "weaving",
            "registration_id": f"SOAK-{suffix}-{n}"}, record=False), f"register artisan {artisan_id}")
        people.append(issue_token(config.jwt_secret, sub=f"soak-{n}", role="artisan", artisan_id=artisan_id,
                                  ttl_seconds=24 * 3600))
    expect(client.call("setup", "POST", f"{urls['inventory']}/api/v1/materials", admin, {
        "sku": PROBE_SKU, "name": "Soak probe", "name_hi": "सोक जाँच", "category": "other", "unit": "piece",
        "reorder_level": "10"}, record=False), "register the probe material", also=(409,))  # 409: an earlier run's
    expect(client.call("setup", "POST", f"{urls['inventory']}/api/v1/movements", admin,
                       {"type": "receipt", "sku": PROBE_SKU, "depot": DEPOT, "quantity": "20"}, record=False),
           "receive the probe material")
    known = lambda: client.call("setup", "GET", f"{urls['requests']}/api/v1/requisitions?limit=1", admin,
                                record=False)[0] == 200
    while not known():
        time.sleep(0.5)
    time.sleep(3)  # let the materials reach the requests service
    return tokens, people


def expect(answer: tuple[int, object], what: str, also: tuple[int, ...] = ()) -> None:
    """Stop the bench when its setup is refused: a mix built on a refused setup measures refusals."""
    status, body = answer
    if not (200 <= status < 300 or status in also):
        raise SystemExit(f"soak setup: could not {what}: {status} {body}")


@dataclass
class Saga:
    """Requisitions the mix has moved along, oldest first, each taken by one worker at a time."""

    submitted: deque = field(default_factory=deque)
    approved: deque = field(default_factory=deque)


def hand_over(client: Client, req: str, warehouse: str, saga: Saga) -> None:
    """At the counter: the artisan pays what is due in cash, then the staff dispatch (today's rules: no credit
    is set, so what is payable is paid before the goods leave). One still being reserved waits its turn."""
    try:
        rid = saga.approved.popleft()
    except IndexError:
        return
    status, body = client.call("GET /requisitions/{id}", "GET", f"{req}/api/v1/requisitions/{rid}", warehouse)
    if status != 200 or body.get("status") != "reserved":
        if status == 200 and body.get("status") in ("approved", "submitted"):
            saga.approved.append(rid)  # the reservation has not come back yet
        return
    due = (body.get("pricing") or {}).get("payable_total") or "0"
    if Decimal(due) > Decimal(body.get("paid") or "0"):
        client.call("POST /requisitions/{id}/payments", "POST", f"{req}/api/v1/requisitions/{rid}/payments",
                    warehouse, {"amount": due, "method": "cash", "reference": f"SOAK-{uuid.uuid4().hex[:12]}"})
    client.call("POST /requisitions/{id}/dispatch", "POST", f"{req}/api/v1/requisitions/{rid}/dispatch",
                warehouse, {})


#: Where the reads begin in the mix's weights: `reads_only` draws from here on.
READS = 0.58


def traffic(client: Client, urls, tokens, people, rng: random.Random, saga: Saga, reads_only: bool = False):
    """One operation of the mix, chosen by weight (with `reads_only`, among the reads alone)."""
    admin, warehouse = tokens["admin"], tokens["warehouse"]
    inv, req, note = urls["inventory"], urls["requests"], urls["notifier"]
    roll = READS + rng.random() * (1 - READS) if reads_only else rng.random()
    if roll < 0.25:
        lines = [{"sku": sku, "quantity": str(rng.randint(1, 4))} for sku in rng.sample(MATERIALS, rng.choice((1, 2)))]
        status, body = client.call("POST /requisitions", "POST", f"{req}/api/v1/requisitions", rng.choice(people),
                                   {"depot": DEPOT, "lines": lines})
        if status == 201:
            saga.submitted.append(body["id"])
    elif roll < 0.37:
        try:
            rid = saga.submitted.popleft()
        except IndexError:
            return
        status, _ = client.call("POST /requisitions/{id}/approve", "POST", f"{req}/api/v1/requisitions/{rid}/approve",
                                admin, {})
        if status == 200:
            saga.approved.append(rid)
    elif roll < 0.48:
        sku = rng.choice(MATERIALS)
        dated = {"lot": {"expires_on": FAR_EXPIRY}} if sku.startswith("DYE-") else {}  # a dye's new lot: its date
        client.call("POST /movements (receipt)", "POST", f"{inv}/api/v1/movements", warehouse, {
            "type": "receipt", "sku": sku, "depot": DEPOT, "quantity": str(rng.randint(5, 20)), **dated})
    elif roll < READS:
        hand_over(client, req, warehouse, saga)
    elif roll < 0.70:
        client.call("GET /stock", "GET", f"{inv}/api/v1/stock?depot={DEPOT}", admin)
    elif roll < 0.80:
        client.call("GET /alerts", "GET", f"{note}/api/v1/alerts?status=open", admin)
    elif roll < 0.88:
        client.call("GET /requisitions", "GET", f"{req}/api/v1/requisitions?limit=50", admin)
    elif roll < 0.94:
        client.call("GET /events", "GET", f"{note}/api/v1/events?limit=50", admin)
    else:
        client.call("GET /requisitions (own)", "GET", f"{req}/api/v1/requisitions", rng.choice(people))


def propagation(client: Client, urls, admin: str, artisan: str, stop: threading.Event, every: float,
                results: list[float]) -> None:
    """Register a material in inventory, then ask requests for an estimate of it until it knows the material."""
    while not stop.wait(every):
        sku = f"SOAK-NEW-{uuid.uuid4().hex[:8].upper()}"
        status, _ = client.call("POST /materials (probe)", "POST", f"{urls['inventory']}/api/v1/materials", admin, {
            "sku": sku, "name": "Soak new material", "name_hi": "सोक नई सामग्री", "category": "other",
            "unit": "piece", "reorder_level": "1"})
        created = time.perf_counter()
        if status != 201:
            continue
        while time.perf_counter() - created < 30 and not stop.is_set():
            status, body = client.call("estimate (probe)", "POST", f"{urls['requests']}/api/v1/requisitions/estimate",
                                       artisan, {"depot": DEPOT, "lines": [{"sku": sku, "quantity": "1"}]}, record=False)
            if not (status == 422 and (body or {}).get("error", {}).get("code") == "material_not_known"):
                results.append(time.perf_counter() - created)
                break
            time.sleep(0.005)


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
