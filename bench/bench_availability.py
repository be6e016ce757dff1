"""Public availability under load: GET /api/v1/public/availability served from its cache, without the cache,
and a bare Flask GET, under gunicorn as in compose (20 depots x 250 materials).

    .venv/bin/python bench/bench_availability.py [--seconds 3] [--rounds 3] [--clients 4] [--json]

Prints figures (with --json, one JSON object); asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "bench"))

from bench_inventory import http_rps, start_gunicorn  # noqa: E402
from shared.broker import stop_process  # noqa: E402

PATH = "/api/v1/public/availability"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3, help="the median round counts")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    servers = {"cached": start_gunicorn("apps:availability_app()"),
               "uncached": start_gunicorn("apps:availability_app()", {"RAWBANK_PUBLIC_CACHE_SECONDS": "0"}),
               "bare": start_gunicorn("apps:bare_app()")}
    try:
        rounds = []
        for number in range(args.rounds):
            figures = {name: http_rps(port, "/bare" if name == "bare" else PATH, None, {}, args.seconds,
                                      args.clients, method="GET") for name, (_, port) in servers.items()}
            rounds.append(figures)
            if not args.json:
                print(f"round {number + 1}/{args.rounds}: " + ", ".join(
                    f"{name} {rps:.0f} req/s" for name, (rps, _) in figures.items()), flush=True)
        with urllib.request.urlopen(f"http://127.0.0.1:{servers['cached'][1]}{PATH}", timeout=10) as response:
            size = len(response.read())
    finally:
        for server, _ in servers.values():
            stop_process(server)
    middle = sorted(rounds, key=lambda r: r["cached"][0])[len(rounds) // 2]
    result = {"benchmark": "public availability", "cpus": os.cpu_count(), "clients": args.clients,
              "rounds": args.rounds, "seconds_per_measure": args.seconds, "depots": 20, "materials": 250,
              "answer_bytes": size,
              "cached_requests_per_second": round(middle["cached"][0], 1),
              "uncached_requests_per_second": round(middle["uncached"][0], 1),
              "bare_flask_requests_per_second": round(middle["bare"][0], 1),
              "cached_vs_bare": round(middle["cached"][0] / middle["bare"][0], 3),
              "errors": sum(f[1] for r in rounds for f in r.values())}
    if args.json:
        print(json.dumps(result))
        return
    print(f"\npublic availability ({result['cpus']} CPUs, {args.clients} client processes, "
          f"{result['depots']} depots x {result['materials']} materials, {result['answer_bytes']} bytes an answer)")
    for label, key in (("cached (RAWBANK_PUBLIC_CACHE_SECONDS=30)", "cached_requests_per_second"),
                       ("worked out for every request", "uncached_requests_per_second"),
                       ("bare Flask GET", "bare_flask_requests_per_second")):
        print(f"{label:44} {result[key]:10.0f} req/s")
    print(f"cached = {result['cached_vs_bare']:.0%} of bare Flask; errors: {result['errors']}")


if __name__ == "__main__":
    main()
