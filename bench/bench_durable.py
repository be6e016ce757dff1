"""Durable embedded store benchmark: the receipt endpoint with the store on disk beside the store in
memory, in alternating rounds, and the start-up time of inventory with 10^5 movements stored.

    .venv/bin/python bench/bench_durable.py [--seconds 3] [--rounds 7] [--clients 4] [--movements 100000] [--json]

Each round measures the memory store, the durable store as rawbank runs it ("normal": SQLite
group commit: one writer thread commits what is queued and fsyncs the log once, answers wait for
it) and the same with SQLite synchronous=FULL (SQLite's own fsync inside each commit), each served as
`rawbank run` serves it (gunicorn, one worker, 8 threads). The median round's ratio counts.
Prints figures; asserts nothing. Targets: durable >= 70% of memory; start-up < 10 s.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "bench")]

from bench_inventory import RECEIPT, http_rps, start_gunicorn  # noqa: E402
from shared.auth import issue_token  # noqa: E402
from shared.broker import start_broker, stop_process, wait_for_broker  # noqa: E402
from shared.config import Config  # noqa: E402
from tests.conftest import free_ports  # noqa: E402

KINDS = ("memory", "normal", "full")


def receipt_rounds(rounds: int, seconds: float, clients: int, token: str) -> list[dict[str, float]]:
    """Requests per second of each store kind, measured one after the other in every round."""
    servers = {kind: start_gunicorn(f"apps:receipt_app('{kind}')", workers=1, threads=8) for kind in KINDS}
    try:
        figures = []
        for number in range(1, rounds + 1):
            row = {}
            for kind, (_, port) in servers.items():
                row[kind], errors = http_rps(port, "/api/v1/movements", RECEIPT,
                                             {"Authorization": f"Bearer {token}"}, seconds, clients)
                if errors:
                    raise RuntimeError(f"{errors} failed receipts on the {kind} store")
            print(f"round {number}/{rounds}: " + ", ".join(f"{k} {v:.0f} req/s" for k, v in row.items())
                  + f"; normal = {row['normal'] / row['memory']:.0%}, full = {row['full'] / row['memory']:.0%} of memory",
                  flush=True)
            figures.append(row)
        return figures
    finally:
        for server, _ in servers.values():
            stop_process(server)


def fill(directory: str, movements: int) -> float:
    """An inventory store holding `movements` receipts spread over 200 materials; seconds taken."""
    from services.inventory import spec
    from shared.runtime import Runtime
    started = time.perf_counter()
    config = Config.from_env({}, data_dir=directory)
    runtime = Runtime(spec(), config)
    record_receipts(runtime.db, movements)
    count = runtime.db.movements.count_documents({})
    runtime.close()
    if count < movements:
        raise RuntimeError(f"only {count} movements stored")
    return time.perf_counter() - started


def record_receipts(db, movements: int, materials: int = 200, first: int = 0) -> None:
    """Receipts at depot VNS spread over `materials` materials (registered on the first call), each
    through the inventory's own write; outboxes emptied as the relay would, the ledger projected."""
    from services.inventory import catalog, ledger, movements as moves
    skus = [f"MAT-{n:03}" for n in range(materials)]
    if first == 0:
        catalog.register_depot(db, {"code": "VNS", "name": "Varanasi", "district": "Varanasi"})
        for sku in skus:
            catalog.register_material(db, {"sku": sku, "name": sku, "name_hi": sku, "category": "yarn",
                                           "unit": "kg", "reorder_level": 1_000})
    for n in range(first, first + movements):
        moves.record_movement(db, {"type": "receipt", "sku": skus[n % len(skus)], "depot": "VNS",
                                   "quantity": 1_000, "reference": f"bench {n}"}, by="bench")
        if n % 1000 == 999:
            for doc in db.stock.find({"outbox.0": {"$exists": True}}, {"_id": 1}):  # as the relay would
                db.stock.update_one({"_id": doc["_id"]}, {"$set": {"outbox": []}})
            ledger.project_pending(db)
    ledger.project_pending(db)


def start_up(directory: str) -> tuple[float, float]:
    """Seconds from `rawbank run inventory` to a ready answer, and the worker's memory then (MB)."""
    broker_port, port = free_ports(2)
    broker = start_broker(broker_port)
    try:
        wait_for_broker(broker_port, process=broker)
        env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{broker_port}", "RAWBANK_PORT": str(port),
               "RAWBANK_LOG_LEVEL": "WARNING"}
        started = time.perf_counter()
        server = subprocess.Popen([sys.executable, "-m", "shared.cli", "run", "inventory", "--data-dir", directory],
                                  cwd=ROOT, env=env)
        try:
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if server.poll() is not None or time.perf_counter() - started > 300:
                    raise RuntimeError("inventory did not start")
                time.sleep(0.05)
            elapsed = time.perf_counter() - started
            return elapsed, _worker_memory(server.pid)
        finally:
            stop_process(server, timeout=60)
    finally:
        stop_process(broker)


def _worker_memory(arbiter: int) -> float:
    """Resident memory of gunicorn's worker (the arbiter's child), in MB."""
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as stat:
                if int(stat.read().rsplit(")", 1)[1].split()[1]) != arbiter:
                    continue
            with open(f"/proc/{entry}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
        except (OSError, ValueError, IndexError):
            continue
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each measurement")
    parser.add_argument("--rounds", type=int, default=7, help="rounds of the three stores; the median ratio counts")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--movements", type=int, default=100_000, help="movements in the store at start-up")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    token = issue_token(Config.from_env().jwt_secret, sub="bench", role="warehouse")

    figures = receipt_rounds(args.rounds, args.seconds, args.clients, token)
    ratios = {kind: statistics.median(row[kind] / row["memory"] for row in figures) for kind in ("normal", "full")}
    rates = {kind: statistics.median(row[kind] for row in figures) for kind in KINDS}
    with tempfile.TemporaryDirectory(prefix="rawbank-startup-") as directory:
        fill_seconds = fill(directory, args.movements)
        size = sum(os.path.getsize(os.path.join(directory, name)) for name in os.listdir(directory))
        startup, memory = start_up(directory)
    result = {"rounds": args.rounds, "seconds": args.seconds, "clients": args.clients, "cpus": os.cpu_count(),
              "receipt_rps_median": rates, "durable_vs_memory_median": ratios,
              "per_round": figures, "movements": args.movements, "store_mb": size / 2 ** 20,
              "fill_seconds": fill_seconds, "startup_seconds": startup, "worker_rss_mb": memory}
    if args.json:
        print(json.dumps(result))
        return
    print(f"\nreceipt endpoint ({os.cpu_count()} CPUs, {args.rounds} rounds of {args.seconds:.0f} s each, "
          f"{args.clients} client processes, gunicorn 1 worker x 8 threads)")
    for kind in KINDS:
        share = "" if kind == "memory" else f"  = {ratios[kind]:.0%} of memory (median of per-round ratios)"
        print(f"  {kind:8} {rates[kind]:8.0f} req/s (median){share}")
    verdict = "meets" if ratios["normal"] >= 0.7 else "MISSES"
    print(f"durable store as rawbank runs it: {verdict} the >= 70% target")
    print(f"\nstart-up with {args.movements} movements ({size / 2 ** 20:.0f} MB store, filled in {fill_seconds:.0f} s): "
          f"{startup:.1f} s to ready, worker {memory:.0f} MB: {'meets' if startup < 10 else 'MISSES'} the < 10 s target")


if __name__ == "__main__":
    main()
