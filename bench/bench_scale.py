"""Cost as data grows: each hot request of inventory and requests timed with 10^3, 10^4 (and 10^5) records stored.

    .venv/bin/python bench/bench_scale.py [--sizes 1000,10000,100000] [--repeat 15] [--reconcile-repeat 5] [--json]

Inventory holds N receipts (through its own write, spread over 200 materials at one depot); requests
holds N requisitions (submitted through its API, spread over 1,000 artisans). The material and the
artisan whose lists are read hold 60 records of their own at every size (one full page of 50 and
a CSV of 60 rows), so each figure is the cost of the same answer with more data beside it: until
2026-12-01 they held N/200 and N/100, and at 10^3 the page was not yet full. At each size, each request
is made --repeat times (the reconcile facts --reconcile-repeat times) through the service's Flask app
in this process (no HTTP server: the figure is the service's own work, mostly the embedded store's) and
its median cost printed beside its cost at the first size. Target: each within 2x of its cost at 10^3,
but the reconcile run (it reads every record), which grows with the data. Asserts nothing.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from bench_durable import record_receipts  # noqa: E402
from figures import chart, emit, shown  # noqa: E402
from shared.auth import issue_token  # noqa: E402
from shared.config import Config  # noqa: E402
from shared.envelope import new_event  # noqa: E402
from shared.reconcile import facts  # noqa: E402
from shared.runtime import Runtime  # noqa: E402

ARTISANS = 1000  # a month's counts are one document per artisan: 10^5 requisitions make 100 each
LINEAR = ("reconcile (inventory facts)", "reconcile (requests facts)")
OWN = 60  # records of the material and of the artisan whose lists are read, at every size


def bearer(config: Config, role: str, **claims) -> dict:
    return {"Authorization": f"Bearer {issue_token(config.jwt_secret, sub=f'bench-{role}', role=role, **claims)}"}


class Inventory:
    def __init__(self, config: Config):
        from services.inventory import create_app, spec
        self.spec, self.runtime = spec(), Runtime(spec(), config)
        self.http = create_app(config, self.runtime).test_client()
        self.headers = bearer(config, "admin")
        self.stored = 0

    def grow(self, size: int) -> None:
        from services.inventory import catalog, ledger, movements
        db, first = self.runtime.db, not self.stored
        record_receipts(db, size - self.stored - (OWN if first else 0), first=self.stored)
        if first:
            catalog.register_material(db, {"sku": "READ-ME", "name": "Read", "name_hi": "पढ़ें", "category": "yarn",
                                           "unit": "kg", "reorder_level": 1_000})
            for n in range(OWN):
                movements.record_movement(db, {"type": "receipt", "sku": "READ-ME", "depot": "VNS",
                                               "quantity": 1_000, "reference": f"own {n}"}, by="bench")
            db.stock.update_one({"_id": "VNS/READ-ME"}, {"$set": {"outbox": []}})  # as the relay would
            ledger.project_pending(db)
        self.stored = size

    def requests(self) -> dict:
        get = lambda url: lambda: _ok(self.http.get(url, headers=self.headers))  # noqa: E731
        return {"receipt (POST /movements)": lambda: _ok(self.http.post("/api/v1/movements", headers=self.headers, json={
                    "type": "receipt", "sku": "MAT-000", "depot": "VNS", "quantity": "1"})),
                "stock of one depot": get("/api/v1/stock?depot=VNS"),
                "movements page of one material": get("/api/v1/movements?sku=READ-ME&limit=50"),
                "movements CSV of one material": get("/api/v1/movements?sku=READ-ME&format=csv"),
                "reconcile (inventory facts)": lambda: facts(self.spec, self.runtime.db)}


class Requests:
    def __init__(self, config: Config):
        from services.requests import create_app, spec
        self.spec, self.runtime = spec(), Runtime(spec(), config)
        db = self.runtime.db
        self.http = create_app(config, self.runtime).test_client()
        handle = self.spec.make_handler(db, config)
        handle(new_event("DepotRegistered", "VNS", {"code": "VNS", "name": "Varanasi", "district": "Varanasi"},
                         source="inventory"))
        handle(new_event("MaterialRegistered", "MAT-000", {"sku": "MAT-000", "name": "Yarn", "name_hi": "धागा",
                                                           "category": "yarn", "unit": "kg", "reorder_level": 1000},
                         source="inventory"))
        admin = bearer(config, "admin")
        _ok(self.http.post("/api/v1/quotas", headers=admin, json={"category": "yarn", "limit": "10000",
                                                                   "per_loom": False}))
        for n in range(ARTISANS):
            _ok(self.http.post("/api/v1/artisans", headers=admin, json={
                "artisan_id": f"ART-{n:03}", "name": f"Artisan {n}", "district": "Varanasi", "craft": "weaving",
                "registration_id": f"REG-{n:03}"}))
        self.artisans = [bearer(config, "artisan", artisan_id=f"ART-{n:03}") for n in range(ARTISANS)]
        self.stored = 0

    def grow(self, size: int) -> None:
        for n in range(self.stored, size):  # the first OWN are the read artisan's (ART-000), the rest the others'
            who = 0 if n < OWN else 1 + n % (ARTISANS - 1)
            _ok(self.http.post("/api/v1/requisitions", headers=self.artisans[who],
                               json={"depot": "VNS", "lines": [{"sku": "MAT-000", "quantity": "1"}]}))
        self.stored = size

    def requests(self) -> dict:
        return {"requisitions of one artisan": lambda: _ok(self.http.get("/api/v1/requisitions",
                                                                         headers=self.artisans[0])),
                "reconcile (requests facts)": lambda: facts(self.spec, self.runtime.db)}


def _ok(response):
    if hasattr(response, "status_code") and response.status_code >= 400:
        raise RuntimeError(f"{response.status_code}: {response.get_data(as_text=True)[:300]}")
    return response


def cost(call, repeat: int) -> float:
    """Median milliseconds of `repeat` calls (one more first, to warm up)."""
    call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="records stored at each step (e.g. 1000,10000,100000)")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--reconcile-repeat", type=int, default=5, help="rounds of the reconcile facts (default 5)")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON object")
    args = parser.parse_args(argv)
    sizes = sorted(int(size) for size in args.sizes.split(","))
    config = Config.from_env({})
    services = [Inventory(config), Requests(config)]
    table: dict[str, dict[int, float]] = {}
    for size in sizes:
        started = time.perf_counter()
        for service in services:
            service.grow(size)
        print(f"{size} records stored in each service ({time.perf_counter() - started:.0f} s to add)", flush=True)
        for service in services:
            for name, call in service.requests().items():  # a reconcile reads everything: fewer rounds of it
                table.setdefault(name, {})[size] = cost(call, args.repeat if name not in LINEAR else args.reconcile_repeat)
    print(f"\n{'request':34}" + "".join(f"{size:>12,}" for size in sizes) + "   largest / first")
    for name, row in table.items():
        growth = row[sizes[-1]] / row[sizes[0]]
        if name in LINEAR and len(sizes) > 1:  # judged by the last step: at the smallest size fixed costs weigh
            step = row[sizes[-1]] / row[sizes[-2]]
            ratio = sizes[-1] / sizes[-2]
            note = (f"{sizes[-2]:,} -> {sizes[-1]:,}: {step:.1f}x for {ratio:.0f}x the records, "
                    f"{'linear' if step <= ratio * 1.2 else 'MORE THAN LINEAR'}; "
                    f"{1000 * row[sizes[-1]] / sizes[-1]:.0f} us a record")
        else:
            note = "within 2x" if growth <= 2 else "MORE THAN 2x"
        print(f"{name:34}" + "".join(f"{row[size]:>10.2f}ms" for size in sizes) + f"   {growth:>5.1f}x  {note}")
    path = chart("scale", "Cost per request as data grows", "records stored", "ms (median)",
                 {name: sorted(row.items()) for name, row in table.items()}, logx=True)
    if path:
        print(f"chart: {shown(path)}")
    emit({"sizes": sizes, "cost_ms": {name: {str(size): round(ms, 3) for size, ms in row.items()}
                                      for name, row in table.items()}}, args.json)
    for service in services:
        service.runtime.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
