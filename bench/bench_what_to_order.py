"""An admin's first view of "What to order" (no depot chosen: it opens on the depot with the most to order).

    .venv/bin/python bench/bench_what_to_order.py [--depots 75] [--materials 300] [--repeat 5] [--cpu] [--json]

Stores --depots district depots and --materials materials (every one with a reorder level), each depot holding
stock of about two thirds of them (receipts through the inventory's own write, some below the reorder level), a few
issues and a waitlisted request at each depot, then times through the inventory's Flask app in this process (no
HTTP server): the admin's first view (`/admin/replenishment`, the depot picked), the same page with that depot
chosen (`?depot=`, the floor: one depot's suggestions and charts), the pick alone, and the pick as it was made until
2026-12-06 (every depot's suggestions computed), which must name the same depot. Medians of --repeat rounds.
Measured 2026-12-06 at 75 x 300 with --cpu on a busy machine: first view 1957 ms before, 912 ms after (the pick
1336 -> 538 ms; the page with the depot chosen 430 ms either way). Asserts nothing.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from figures import emit  # noqa: E402
from shared.auth import COOKIE, issue_token  # noqa: E402
from shared.config import Config  # noqa: E402
from shared.envelope import new_event  # noqa: E402
from shared.runtime import Runtime  # noqa: E402


def stored(db, config, depots: int, materials: int) -> list[str]:
    """The depots and materials, their stock, issues and waitlist; the depot codes in the pages' order."""
    from services.inventory import catalog, ledger, movements
    from services.inventory.consumer import make_handler
    codes = [f"D{n:02}" for n in range(depots)]
    skus = [f"MAT-{n:03}" for n in range(materials)]
    for code in codes:
        catalog.register_depot(db, {"code": code, "name": code, "district": code})
    for sku in skus:
        catalog.register_material(db, {"sku": sku, "name": sku, "name_hi": sku, "category": "yarn", "unit": "kg",
                                       "reorder_level": 10_000})
    handle = make_handler(db, config)
    for d, code in enumerate(codes):
        for m, sku in enumerate(skus):
            if (m + d) % 3:  # two thirds stocked; a depot's share below the reorder level varies with d
                quantity = 5_000 if (m * 7 + d) % ((d + 2) % 5 + 2) == 0 else 50_000
                movements.record_movement(db, {"type": "receipt", "sku": sku, "depot": code, "quantity": quantity},
                                          by="bench")
        for r in range(3):  # issued: 90 days' average use
            rid = f"{code}-R{r}"
            payload = {"requisition_id": rid, "artisan_id": "ART-1", "depot": code, "by": "bench",
                       "lines": [{"sku": skus[(3 * r + (1 - d) % 3) % materials], "quantity": 2_000}]}
            handle(new_event("RequisitionApproved", rid, payload, source="requests"))
            handle(new_event("RequisitionDispatched", rid, {**payload, "lines": []}, source="requests"))
        rid = f"{code}-WAIT"  # more than the depot has: waitlisted
        handle(new_event("RequisitionApproved", rid, {"requisition_id": rid, "artisan_id": "ART-1", "depot": code,
                                                      "by": "bench", "lines": [{"sku": skus[d % materials],
                                                                                "quantity": 900_000}]},
                         source="requests"))
    for collection in ("stock", "reservations", "materials", "depots"):  # as the relay would
        db[collection].update_many({"outbox.0": {"$exists": True}}, {"$set": {"outbox": []}})
    ledger.project_pending(db)
    return codes


def cost(call, repeat: int, clock=time.perf_counter) -> float:
    """Median milliseconds of `call` (by `clock`: time.process_time counts this process's CPU time alone)."""
    call()  # warm
    times = []
    for _ in range(repeat):
        started = clock()
        call()
        times.append(clock() - started)
    return statistics.median(times) * 1000


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--depots", type=int, default=75)
    parser.add_argument("--materials", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cpu", action="store_true",
                        help="time this process's CPU, not the wall clock (figures that hold on a busy machine)")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON object")
    args = parser.parse_args(argv)
    clock = time.process_time if args.cpu else time.perf_counter
    from services.inventory import create_app, pages_buying, replenishment, spec
    from services.inventory.pages import known_depots
    config = Config.from_env({})
    runtime = Runtime(spec(), config)
    started = time.perf_counter()
    codes = stored(runtime.db, config, args.depots, args.materials)
    print(f"{args.depots} depots x {args.materials} materials, {runtime.db.stock.count_documents({})} stock records"
          f" stored ({time.perf_counter() - started:.0f} s to add)", flush=True)
    app = create_app(config, runtime)
    http = app.test_client()
    http.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="bench-admin", role="admin"))

    def page(path):
        response = http.get(path)
        assert response.status_code == 200, response.status_code
        return response.get_data(as_text=True)

    with app.test_request_context():
        ordered = [d["code"] for d in known_depots()]
        busiest, _ = pages_buying.most_to_order(ordered, supplier=None, cover_days=pages_buying.COVER_DAYS)

        def pick():
            pages_buying.most_to_order(ordered, supplier=None, cover_days=pages_buying.COVER_DAYS)

        def every_depot():  # the pick until 2026-12-06: every depot's suggestions, the most wanted kept
            best = None
            for code in ordered:
                rows = replenishment.suggestions(runtime.db, code, cover_days=pages_buying.COVER_DAYS)
                wanted = sum(1 for row in rows if row["suggested_quantity"] > 0)
                best = (wanted, code) if best is None or wanted > best[0] else best
            return best[1]
        pick_ms, old_ms = cost(pick, args.repeat, clock), cost(every_depot, args.repeat, clock)
        same = every_depot() == busiest
    first_ms = cost(lambda: page("/admin/replenishment"), args.repeat, clock)
    chosen_ms = cost(lambda: page(f"/admin/replenishment?depot={busiest}"), args.repeat, clock)
    print(f"{'first view (depot picked)':34}{first_ms:>10.1f} ms")
    print(f"{'the pick alone':34}{pick_ms:>10.1f} ms")
    print(f"{'every depot suggested (old pick)':34}{old_ms:>10.1f} ms   picks the same depot: {same}")
    print(f"{f'depot chosen (?depot={busiest})':34}{chosen_ms:>10.1f} ms   first view / chosen: "
          f"{first_ms / chosen_ms:.1f}x")
    emit({"depots": len(codes), "clock": "cpu" if args.cpu else "wall", "materials": args.materials,
          "busiest": busiest, "repeat": args.repeat,
          "same_pick": same,
          "cost_ms": {"first_view": round(first_ms, 1), "pick": round(pick_ms, 1), "chosen": round(chosen_ms, 1),
                      "every_depot_suggestions": round(old_ms, 1)}},
         args.json)
    runtime.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
