"""The two apps the benchmark serves under gunicorn: a bare Flask JSON endpoint and inventory."""
from __future__ import annotations

import threading

from flask import Flask, jsonify, request


def bare_app() -> Flask:
    """The floor: parse a JSON body and answer JSON, nothing else."""
    app = Flask("bare")

    @app.post("/bare")
    def bare():
        body = request.get_json()
        return jsonify(ok=True, sku=body.get("sku")), 201

    return app


def receipt_app() -> Flask:
    """The inventory API with the demo catalog in this worker's own embedded store.

    In production the outbox relay runs in the worker process and keeps each stock document's
    outbox near empty. A gunicorn worker's in-process store has no relay, so a thread here
    empties outboxes every 50 ms (events discarded) to keep documents production-sized;
    without it every receipt copies an ever longer outbox and the figure measures that instead.
    """
    from services.inventory import create_app, seed
    from shared.config import Config
    config = Config.from_env()
    app = create_app(config)
    db = app.extensions["rawbank"].db
    seed.seed(db, config)

    def drain():
        while not stop.wait(0.05):
            db.stock.update_many({"outbox.0": {"$exists": True}}, {"$set": {"outbox": []}})

    stop = threading.Event()
    threading.Thread(target=drain, name="bench-outbox-drain", daemon=True).start()
    return app
