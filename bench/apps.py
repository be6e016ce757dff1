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

    return app


def receipt_app() -> Flask:
    """The inventory API with the demo catalog in this worker's own embedded store.

    In production the outbox relay (another process) keeps each stock document's outbox near
    empty. A gunicorn worker's in-process store has no relay, so after each request the
    outboxes are emptied here (events discarded); without it every receipt would copy an
    ever longer outbox and the figure would measure that instead. Only the stock document the
    receipt wrote is emptied (one `_id` update, about what the relay's `$pull` costs).
    """
    from services.inventory import create_app, seed
    from shared.config import Config
    config = Config.from_env()
    app = create_app(config)
    db = app.extensions["rawbank"].db
    seed.seed(db, config)

    @app.after_request
    def drain(response):
        body = request.get_json(silent=True) or {}
        db.stock.update_one({"_id": f"{body.get('depot')}/{body.get('sku')}"}, {"$set": {"outbox": []}})
        return response

    return app
