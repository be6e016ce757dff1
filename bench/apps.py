"""The two apps the benchmark serves under gunicorn: a bare Flask JSON endpoint and inventory."""
from __future__ import annotations

from flask import Flask, jsonify, request


def bare_app() -> Flask:
    """The floor: parse a JSON body and answer JSON, nothing else."""
    app = Flask("bare")

    @app.post("/bare")
    def bare():
        body = request.get_json()
        return jsonify(ok=True, sku=body.get("sku")), 201

    @app.get("/bare")
    def bare_get():
        return jsonify(ok=True)

    return app


def receipt_app(store: str = "memory") -> Flask:
    """The inventory API with the demo catalog in this worker's own embedded store.

    In production the outbox relay and the ledger sweep are another process (the inventory
    worker) and the store is MongoDB, so pulling events and copied ledger entries costs the API
    worker nothing. Here the store lives inside the worker and neither runs, and mongomock
    copies a whole document on every write: left alone, each receipt would copy a longer
    outbox and journal than the last. So after each request the stock documents' outboxes and
    journals (every entry already copied to `movements` by the receipt itself) are emptied in
    place, under the store's lock, which costs next to nothing: the figure is the receipt's own
    work. (Until 2026-11-30 this was a store update per request, charging every receipt a
    second write no deployment makes.)
    """
    from services.inventory import create_app, seed
    from shared.config import Config
    config = Config.from_env()
    app = create_app(config, _runtime(config, store))
    db = app.extensions["rawbank"].db
    seed.seed(db, config)
    stock = db.stock  # the embedded store's lock-holding proxy of the mongomock collection
    documents = stock._target._store._documents  # the demo's few stock documents

    @app.after_request
    def drain(response):
        with stock._lock:
            for document in documents.values():
                for pending in ("outbox", "journal"):
                    if document.get(pending):
                        document[pending] = []
        return response

    return app


def availability_app() -> Flask:
    """The inventory API over 20 depots x 250 materials in stock at different levels, in this worker's store."""
    from services.inventory import catalog, create_app
    from shared.config import Config
    app = create_app(Config.from_env())
    db = app.extensions["rawbank"].db
    for d in range(20):
        catalog.register_depot(db, {"code": f"D{d:02}", "name": f"Depot {d}", "district": f"District {d // 2}",
                                    "address": f"Market road {d}", "address_hi": f"बाज़ार रोड {d}",
                                    "opening_hours": {"days": ["mon", "tue", "wed", "thu", "fri", "sat"],
                                                      "opens": "10:00", "closes": "17:00"}})
    for m in range(250):
        catalog.register_material(db, {"sku": f"M{m:03}", "name": f"Material {m}", "name_hi": f"सामग्री {m}",
                                       "category": "yarn", "unit": "kg", "reorder_level": 10_000})
    db.stock.insert_many([{"_id": f"D{d:02}/M{m:03}", "depot": f"D{d:02}", "sku": f"M{m:03}", "category": "yarn",
                           "reorder_level": 10_000, "on_hand": (d * m % 3) * 8_000, "reserved": 0, "version": 1}
                          for d in range(20) for m in range(250) if (d + m) % 4])
    return app


def _runtime(config, store: str):
    """The inventory runtime over the embedded store kind the benchmark names.

    "memory": mongomock only; "normal": the durable store as rawbank runs it (group commit: the
    writer thread commits what is queued and fsyncs the log once; answers wait for it);
    "full": the same with SQLite synchronous=FULL (SQLite's own fsync inside each commit).
    """
    import os
    import tempfile
    from services.inventory import spec
    from shared.durable_store import DurableStore
    from shared.runtime import Runtime
    if store == "memory":
        return Runtime(spec(), config)
    path = os.path.join(tempfile.mkdtemp(prefix="rawbank-bench-", dir=os.environ.get("RAWBANK_BENCH_DIR")),
                        "inventory.sqlite")
    durable = DurableStore(path, synchronous=store.upper())
    runtime = Runtime(spec(), config, client=durable.client)
    runtime.store = durable
    return runtime
