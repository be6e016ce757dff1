"""Inventory benchmark: reservation throughput (one hot material, 1,000 materials) and the receipt
endpoint under gunicorn, each beside a bare Flask JSON endpoint measured in the same run.

    .venv/bin/python bench/bench_inventory.py [--seconds 3] [--rounds 9] [--requisitions 2000] [--clients 4] [--json]

Prints figures; asserts nothing. Target (issue 19): receipt endpoint >= 50% of bare Flask requests/s.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "bench")]

from figures import emit  # noqa: E402
from workload import children, cpu_seconds  # noqa: E402
from shared.auth import issue_token  # noqa: E402
from shared.broker import stop_process  # noqa: E402
from shared.config import Config  # noqa: E402
from tests.conftest import free_port  # noqa: E402

RECEIPT = {"type": "receipt", "sku": "YRN-COT-40", "depot": "VNS", "quantity": "1.5", "supplier": "Mill"}


def _client(port, path, body, headers, seconds, results, method="POST"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    payload = json.dumps(body) if body is not None else None
    headers = {"Content-Type": "application/json", **headers} if payload else headers
    ok = bad = 0
    warm_until = time.monotonic() + 1.0
    end = warm_until + seconds
    while (now := time.monotonic()) < end:
        try:
            conn.request(method, path, payload, headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            status = 0
        if now >= warm_until:
            ok, bad = (ok + 1, bad) if status in (200, 201) else (ok, bad + 1)
    results.put((ok, bad))


def start_gunicorn(app: str, env: dict | None = None, workers: int = 2,
                   threads: int = 4) -> tuple[subprocess.Popen, int]:
    """One app under gunicorn (2 workers x 4 threads by default, as in compose), answering on a free port."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--threads", str(threads),
         "--pythonpath", os.path.join(ROOT, "bench"), "--log-level", "warning", app],
        cwd=ROOT, env={**os.environ, "RAWBANK_LOG_LEVEL": "WARNING", **(env or {})})
    deadline = time.monotonic() + 30
    while True:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
            break
        except OSError:
            if time.monotonic() > deadline:
                stop_process(server)
                raise RuntimeError(f"gunicorn did not start for {app}")
            time.sleep(0.1)
    time.sleep(1.0)  # let both workers finish loading the app
    return server, port


def http_rps(port: int, path: str, body: dict | None, headers: dict, seconds: float, clients: int,
             method: str = "POST") -> tuple[float, int]:
    """Requests per second of one endpoint: `clients` processes asking as fast as answers come."""
    results = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=_client, args=(port, path, body, headers, seconds, results, method))
             for _ in range(clients)]
    for proc in procs:
        proc.start()
    counts = [results.get(timeout=seconds + 60) for _ in procs]
    for proc in procs:
        proc.join()
    return sum(c[0] for c in counts) / seconds, sum(c[1] for c in counts)


def worker_cpu(server: subprocess.Popen) -> dict[int, float]:
    """CPU seconds used so far by each of a gunicorn's workers."""
    return {pid: cpu_seconds(pid) for pid in children(server.pid)}


def busiest_share(before: dict[int, float], after: dict[int, float]) -> float:
    """The share of the CPU the workers used between the two readings that the busiest one used.

    gunicorn's gthread workers each accept connections as they come, and a kept-alive
    connection stays with the worker that took it: the 4 clients' connections may all land on
    one worker (gunicorn issues #1364, #3433), and then a CPU-bound endpoint has one core where
    two were meant. 50% is an even split of two workers; near 100%, one did all the work.
    """
    used = [after.get(pid, 0.0) - spent for pid, spent in before.items()]
    return max(used) / sum(used) if sum(used) > 0 else float("nan")


def http_rounds(rounds: int, seconds: float, clients: int, token: str) -> list[tuple[float, float, int, int, float]]:
    """(bare, receipt, bare errors, receipt errors, receipt's busiest worker share) per round, the two
    measured back to back.

    Both servers stay up and are measured in turn, so a neighbour's load on this shared
    machine hits both figures of a round alike; the ratio is read per round.
    """
    bare_server, bare_port = start_gunicorn("apps:bare_app()")
    try:
        receipt_server, receipt_port = start_gunicorn("apps:receipt_app()")
        try:
            figures = []
            for number in range(1, rounds + 1):
                bare, bare_errors = http_rps(bare_port, "/bare", RECEIPT, {}, seconds, clients)
                before = worker_cpu(receipt_server)
                receipt, receipt_errors = http_rps(receipt_port, "/api/v1/movements", RECEIPT,
                                                   {"Authorization": f"Bearer {token}"}, seconds, clients)
                busiest = busiest_share(before, worker_cpu(receipt_server))
                print(f"round {number}/{rounds}: bare {bare:.0f} req/s, receipt {receipt:.0f} req/s "
                      f"= {receipt / bare:.0%} (the busier receipt worker did {busiest:.0%} of their work)",
                      flush=True)
                figures.append((bare, receipt, bare_errors, receipt_errors, busiest))
            return figures
        finally:
            stop_process(receipt_server)
    finally:
        stop_process(bare_server)


def reservation_rate(materials: int, requisitions: int, threads: int) -> float:
    """Approvals per second through the consumer's handler, each holding one line, the ledger sweep beside it."""
    from services.inventory import catalog, ledger, movements, spec
    from services.inventory.consumer import make_handler
    from shared.envelope import new_event
    from shared.runtime import Runtime
    runtime = Runtime(spec(), Config.from_env({}))
    db = runtime.db
    catalog.register_depot(db, {"code": "VNS", "name": "Varanasi", "district": "Varanasi"})
    skus = [f"MAT-{n:04}" for n in range(materials)]
    for sku in skus:
        catalog.register_material(db, {"sku": sku, "name": sku, "name_hi": sku, "category": "yarn",
                                       "unit": "kg", "reorder_level": 1_000})
        movements.record_movement(db, {"type": "receipt", "sku": sku, "depot": "VNS",
                                       "quantity": requisitions * 1_000}, by="bench")
    rng = random.Random(7)
    events = [new_event("RequisitionApproved", f"R{n}", {
        "requisition_id": f"R{n}", "artisan_id": "A", "depot": "VNS", "by": "bench",
        "lines": [{"sku": rng.choice(skus), "quantity": 500}]}, source="bench") for n in range(requisitions)]
    handle = make_handler(db, None)
    chunks = [events[i::threads] for i in range(threads)]
    stop = threading.Event()
    sweeper = threading.Thread(target=ledger.make_sweeper(db, None), args=(stop,))
    sweeper.start()
    started = time.perf_counter()
    workers = [threading.Thread(target=lambda chunk=chunk: [handle(e) for e in chunk]) for chunk in chunks]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    stop.set()
    sweeper.join()
    held = db.reservations.count_documents({"status": "held"})
    runtime.close()
    if held != requisitions:
        raise RuntimeError(f"only {held} of {requisitions} held")
    return requisitions / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each HTTP measurement")
    parser.add_argument("--rounds", type=int, default=9, help="bare/receipt pairs; the median ratio counts")
    parser.add_argument("--requisitions", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON object")
    args = parser.parse_args()
    token = issue_token(Config.from_env().jwt_secret, sub="bench", role="warehouse")

    figures = http_rounds(args.rounds, args.seconds, args.clients, token)
    middle = sorted(figures, key=lambda f: f[1] / f[0])[len(figures) // 2]  # the median round
    bare, receipt = middle[0], middle[1]
    rows = [("bare Flask JSON endpoint (gunicorn)", bare, "req/s", sum(f[2] for f in figures)),
            ("POST /movements receipt (gunicorn)", receipt, "req/s", sum(f[3] for f in figures))]
    # Rounds whose receipt connections all but missed one worker (one did 3/4 or more of the work)
    # measured one core for the receipt; said apart, never left out of the median above.
    even = sorted(f[1] / f[0] for f in figures if f[4] < 0.75)
    lopsided = len(figures) - len(even)
    for label, materials, threads in (("reservations, 1 hot material, 1 thread", 1, 1),
                                      ("reservations, 1 hot material, 8 threads", 1, 8),
                                      ("reservations over 1,000 materials, 1 thread", 1000, 1),
                                      ("reservations over 1,000 materials, 8 threads", 1000, 8)):
        rows.append((label, reservation_rate(materials, args.requisitions, threads), "holds/s", 0))

    print(f"\ninventory benchmark ({os.cpu_count()} CPUs, {args.rounds} rounds of {args.seconds:.0f} s per "
          f"HTTP endpoint (the median round shown), {args.clients} client processes, "
          f"{args.requisitions} requisitions per reservation run)")
    print(f"{'measure':48} {'rate':>10}  {'unit':8} {'vs bare Flask':>13} {'errors':>7}")
    for label, rate, unit, errors in rows:
        print(f"{label:48} {rate:10.0f}  {unit:8} {rate / bare:12.0%} {errors:7}")
    ratios = ", ".join(f"{f[1] / f[0]:.0%}" for f in figures)
    verdict = "meets" if receipt >= 0.5 * bare else "MISSES"
    print(f"\nreceipt endpoint = {receipt / bare:.1%} of bare Flask (median of rounds: {ratios}): "
          f"{verdict} the >= 50% target")
    if lopsided:
        print(f"{lopsided} of {len(figures)} rounds had the receipt's connections (nearly) all on one of the 2 "
              f"gunicorn workers (one did >= 75% of the work); "
              + (f"the median of the other rounds is {even[len(even) // 2]:.1%}" if even else "no round was even"))
    emit({"ratio": round(receipt / bare, 3), "bare_rps": round(bare), "receipt_rps": round(receipt),
          "round_ratios": [round(f[1] / f[0], 3) for f in figures],
          "round_busiest_worker_share": [round(f[4], 3) for f in figures],
          "ratio_even_rounds": round(even[len(even) // 2], 3) if even else None,
          "rates": {label: round(rate) for label, rate, _, _ in rows}}, args.json)


if __name__ == "__main__":
    main()
