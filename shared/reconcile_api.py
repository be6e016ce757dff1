"""GET /api/v1/admin/reconcile-data: a service's reconciliation facts, for `rawbank reconcile --via-api`.

Embedded mode keeps each store inside its service's process, so the stores are read through
their APIs; against MongoDB `rawbank reconcile` reads the databases directly instead.
"""
from __future__ import annotations

from shared import reconcile
from shared.auth import require_role
from shared.web import Blueprint, db, runtime

blp = Blueprint("reconcile", __name__, url_prefix="/api/v1", description="Reconciliation (admin)")


@blp.route("/admin/reconcile-data", methods=["GET"])
@require_role("admin")
@blp.response(200)
def reconcile_data():
    """What `rawbank reconcile` compares across the services: this service's stored facts (admin)."""
    return reconcile.facts(runtime().spec, db())
