"""Public availability over HTTP: no login, no exact figures, cached (see availability.py)."""
from __future__ import annotations

from flask import Response, current_app, request

from services.inventory import availability
from services.inventory.schemas import AvailabilityQuery, AvailabilitySchema
from shared.web import Blueprint, db

blp = Blueprint("public", __name__, url_prefix="/api/v1", description="Public: where material is in stock (no login)")


def snapshot() -> availability.Snapshot:
    """The cached availability of this process (made on first use)."""
    cache = current_app.extensions.get("public_availability")
    if cache is None:
        cache = current_app.extensions.setdefault(
            "public_availability", availability.Cache(current_app.config["RAWBANK"].public_cache_seconds))
    return cache.get(db())


@blp.route("/public/availability", methods=["GET"])
@blp.refuses(503)  # no login, but the store is read once the cached answer is older than its seconds
@blp.arguments(AvailabilityQuery, location="query")
@blp.response(200, AvailabilitySchema(many=True))
@blp.doc(security=[])
def public_availability(query):
    """Per depot and material: in_stock, low or out (never how much), with the depot's address and opening
    hours. Anyone may read it; answers may be up to RAWBANK_PUBLIC_CACHE_SECONDS old."""
    found = snapshot()
    seconds = current_app.config["RAWBANK"].public_cache_seconds
    headers = {"Cache-Control": f"public, max-age={seconds}", "Vary": "Accept-Encoding"}
    if query["district"] or query["sku"]:
        depots = availability.filtered(found.depots, district=query["district"], sku=query["sku"])
        return depots, 200, headers
    if request.if_none_match.contains(found.etag.strip('"')):
        return Response(status=304, headers={**headers, "ETag": found.etag})
    if "gzip" in request.accept_encodings:
        return Response(found.gzipped, mimetype="application/json",
                        headers={**headers, "ETag": found.etag, "Content-Encoding": "gzip"})
    return Response(found.body, mimetype="application/json", headers={**headers, "ETag": found.etag})
