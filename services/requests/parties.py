"""Whom a requisition is for: one artisan, or a cooperative's members, each with their own share.

A cooperative's requisition moves through the saga as one unit: its `lines` are the materials
summed over the members (what inventory holds and issues), its `shares` what each member gets,
with the member's own price and confirmation. Its `artisan_id` is its first member, `members` all.
"""
from __future__ import annotations

from services.requests import artisans, cooperatives, share_rules
from services.requests.errors import ArtisanInactive, CooperativeInactive
from shared.auth import Principal
from shared.errors import Forbidden, NotFound


def for_submit(db, principal: Principal, body: dict) -> tuple[dict | None, list[tuple[dict, list[dict]]]]:
    """(the cooperative or None, [(artisan, their lines)]) of a new requisition: people the caller may ask for."""
    if not body.get("cooperative"):
        artisan = artisans.requesting_for(db, principal, body.get("artisan_id"))
        if principal.role == "secretary":  # acting for one member is acting for the cooperative too
            _require_active(cooperatives.get(db, principal, principal.cooperative))
        return None, [(artisan, body["lines"])]
    if principal.role not in ("admin", "secretary"):
        raise Forbidden()
    coop = _require_active(cooperatives.get(db, principal, body["cooperative"]))  # another's: 404
    parties = []
    for artisan_id, lines in share_rules.by_member(body["lines"]).items():
        member = db.artisans.find_one({"_id": artisan_id, "cooperative": coop["_id"]}, artisans.PUBLIC)
        if member is None:
            raise NotFound({"artisan_id": artisan_id})
        if not member.get("active", True):
            raise ArtisanInactive({"artisan_id": artisan_id})
        parties.append((member, lines))
    return coop, parties


def _require_active(coop: dict) -> dict:
    if not coop.get("active", True):
        raise CooperativeInactive({"cooperative": coop["_id"]})
    return coop


def of(doc: dict) -> list[dict]:
    """Each share of a requisition: a cooperative's members', or the one artisan's (its lines and price)."""
    return doc.get("shares") or [{"artisan_id": doc["artisan_id"], "lines": doc.get("lines", []),
                                  "pricing": doc.get("pricing"), "district": doc.get("district")}]


def is_cooperative(doc: dict) -> bool:
    return bool(doc.get("shares"))


def scope(principal: Principal) -> dict:
    """The requisitions an artisan may see: their own, and cooperative requisitions they have a share in."""
    return {"$or": [{"artisan_id": principal.artisan_id}, {"members": principal.artisan_id}]}


def secretary_scope(db, cooperative: str) -> dict:
    """The requisitions a cooperative's secretary may see: the cooperative's own, and those of each artisan who is
    a member now (one who moved to another cooperative is its secretary's to act for, not the old one's)."""
    members = [doc["_id"] for doc in db.artisans.find({"cooperative": cooperative}, {"_id": 1})]
    return {"$or": [{"shares.0": {"$exists": True}, "cooperative": cooperative},
                    {"shares.0": {"$exists": False}, "artisan_id": {"$in": members}}]}


def seen_by(principal: Principal, doc: dict) -> dict:
    """A requisition as the caller sees it: a member sees only their own share, lines and price."""
    if principal.role != "artisan" or not is_cooperative(doc):
        return doc
    mine = [share for share in doc["shares"] if share["artisan_id"] == principal.artisan_id]
    if not mine:
        return doc
    return {**doc, "artisan_id": principal.artisan_id, "lines": mine[0]["lines"], "pricing": mine[0].get("pricing"),
            "due_on": mine[0].get("due_on"), "shares": mine, "members": [principal.artisan_id]}


def scope_for(db, principal: Principal) -> dict:
    """The requisitions the caller may see, as a query: a depot's staff their depot's, an artisan theirs (as a member
    too), a secretary their cooperative's members', others as artisans.visible allows."""
    if principal.works_at:
        return {"depot": principal.works_at}
    if principal.role == "artisan" and principal.artisan_id:
        return scope(principal)
    if principal.role == "secretary" and principal.cooperative:
        return secretary_scope(db, principal.cooperative)
    return artisans.visible(principal, "artisan_id")


def visible_doc(db, principal: Principal, req_id: str, projection=None) -> dict:
    """The stored requisition if the caller may see it (NotFound otherwise), its outbox left out."""
    doc = db.requisitions.find_one(artisans.within({"_id": req_id}, scope_for(db, principal)),
                                   projection or {"outbox": 0})
    if doc is None:
        raise NotFound()
    return doc
