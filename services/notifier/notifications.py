"""Artisans' notifications: one document per status-change event, read in the artisan's language."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.errors import DuplicateKeyError

from services.notifier import domain, projections, texts
from shared import names
from shared.phones import ending, phone_key

INDEXES = {
    "notifications": [
        IndexModel([("artisan_id", ASCENDING), ("created_at", DESCENDING), ("_id", DESCENDING)]),
        IndexModel([("requisition_id", ASCENDING)]),
        IndexModel([("fanout.id", ASCENDING)], sparse=True),
    ],
}


def create(db, *, event_id: str, status: str, requisition_id: str, depot: str, lines: list,
           at: datetime, position: int | None = None, reason: str = "", artisan_id: str | None = None,
           amount: int | None = None, due_on: str | None = None, nonce: int | None = None,
           method: str | None = None, account: dict | None = None, requisitions: dict | None = None,
           late: bool = False, short: list | None = None, paid: int | None = None,
           not_reached: list | None = None, pay_first: int | None = None, outcome: str | None = None) -> bool:
    """Store the notification under its event id (a replay changes nothing), with its fan-out.

    `amount` (paise) is what the artisan pays: due at approval, or by `due_on` for a reminder; or the money that
    moved on their account (paid, by `method`; refunded; a payment reversed), with the `account` after it
    (`balance_due`, `open_dues`) and, for a refund, what it handed back of each request (`requisitions`); `nonce`
    makes the code a member confirms their share with (their SMS carries it, derived when sent); `late`: an approval
    read after inventory's answer was told, which tells only the amount to pay (texts.TOLD_LATE); `short`: of a
    requisition that waits, the lines the depot had too little of (none: it waits behind earlier ones for material
    in stock; not given: inventory did not say, every line is named); `paid`: of a cancelled requisition, what stays
    paid on it (a cooperative's: on the member's share) as requests' accounts counted it at the cancel
    (RequisitionCancelled's `paid`), which stays on the artisan's account as credit (texts.paid_stays); not given by
    a requests older than that figure, and then nothing is said of money; `not_reached`: of a return, the lines a
    cooperative's member reported did not reach them, settled with the credit (its `lines` are what came back);
    `pay_first`: of an approval, the least the depot will ask to be paid before handing it over (RequisitionApproved's
    `pay_first`, requests' figure; the artisan is told it in the app and by e-mail, texts.PAY_FIRST); `outcome`: of
    a settled dispute of what the depot recorded for a member (upheld or rejected; `reason` the admin's note).
    A cooperative's requisition's notifications keep its `cooperative`: its secretary, not the member, collects it.
    """
    known = projections.requisition(db, requisition_id)
    doc = {"_id": event_id, "artisan_id": artisan_id or (known or {}).get("artisan_id"),
           "requisition_id": requisition_id, "status": status, "depot": depot, "lines": lines,
           "position": position, "reason": reason, "amount": amount, "due_on": due_on, "nonce": nonce,
           **({"method": method, "account": account} if account is not None else {}),
           **({"requisitions": requisitions} if requisitions else {}),
           **({"late": True} if late else {}), **({"short": short} if short is not None else {}),
           **({"paid": paid} if paid is not None else {}),
           **({"not_reached": not_reached} if not_reached else {}),
           **({"outcome": outcome} if outcome else {}),
           **({"pay_first": pay_first} if pay_first else {}),
           **({"cooperative": known["cooperative"]} if (known or {}).get("cooperative") else {}),
           "created_at": at, "read_at": None,
           "fanout": [_fanout(at)]}
    return _insert(db, doc)


#: what people are shown: not a request to confirm a share whose member was sent a fresh code since (shares.py)
CURRENT = {"superseded": {"$ne": True}}


def _insert(db, doc: dict) -> bool:
    """Store a notification under its id; False if it is stored already (a replay tells nothing twice)."""
    try:
        db.notifications.insert_one(doc)
    except DuplicateKeyError:
        return False
    return True


def answered(db, requisition_id: str) -> bool:
    """Whether an artisan was told inventory's answer to the requisition (reserved, waiting, refused): what comes of
    its approval, so news of the approval read after it is late (handlers.requisition_status)."""
    return db.notifications.find_one({"requisition_id": requisition_id, "status": {"$in": domain.ANSWERED}},
                                     {"_id": 1}) is not None


def about_phone(db, data: dict, *, event_id: str, occurred_at: str, at: datetime) -> None:
    """Tell the artisan when the phone on their record changes, at the number they had (a change they did not make
    reaches them there, not only at the new one), and when their cooperative's secretary asks for a new one (it
    waits for an admin). From the notifier's copy of them before this event; a newer copy, a first profile or the
    same event again tells nothing, and each is stored under its event's id, so a replay tells nothing twice."""
    kept = projections.artisan(db, data["artisan_id"])
    if kept is None or kept.get("as_of", "") > occurred_at:  # as projections.put_artisan orders them
        return
    old, new = kept.get("phone"), data.get("phone")
    if old and phone_key(old) != phone_key(new):
        _tell(db, f"{event_id}:{domain.PHONE_CHANGED}", domain.PHONE_CHANGED, data["artisan_id"], at,
              phone_to=old, ending=ending(new) or None)
    asked = data.get("phone_asked")
    if asked and asked != kept.get("phone_asked"):
        _tell(db, f"{event_id}:{domain.PHONE_CHANGE_ASKED}", domain.PHONE_CHANGE_ASKED, data["artisan_id"], at,
              phone_to=None, ending=asked["ending"])


def _tell(db, note_id: str, status: str, artisan_id: str, at: datetime, *, phone_to: str | None,
          ending: str | None) -> None:
    """A notification about the artisan's own record (no requisition), its SMS to `phone_to` if given."""
    _insert(db, {"_id": note_id, "artisan_id": artisan_id, "requisition_id": None, "status": status, "depot": "",
                 "lines": [], "ending": ending, "phone_to": phone_to, "created_at": at, "read_at": None,
                 "fanout": [_fanout(at)]})


def _fanout(at: datetime) -> dict:
    return {"id": uuid.uuid4().hex, "topic": domain.NOTIFICATION_CREATED, "at": at}


def to_members(db, data: dict) -> None:
    """A cooperative's notifications made before its requisition was known (an answer of inventory read before
    requests' events): one per member instead, under the id the member's would have had (`<event>:<member>`), so
    the answer read again is not told twice. The copies are stored before the early one goes: a crash in between
    is finished when the requisition's event comes again."""
    if not (data.get("shares") and data.get("cooperative")):
        return
    for early in db.notifications.find({"requisition_id": data["requisition_id"], "artisan_id": None}):
        kept = {k: v for k, v in early.items() if k not in ("_id", "delivered_at", "fanout")}
        for share in data["shares"]:
            copy = {**kept, "_id": f"{early['_id']}:{share['artisan_id']}", "artisan_id": share["artisan_id"],
                    "lines": share["lines"], "read_at": None,
                    "fanout": [_fanout(kept["created_at"])]}
            try:
                db.notifications.insert_one(copy)
            except DuplicateKeyError:
                pass
        db.notifications.delete_one({"_id": early["_id"], "artisan_id": None})


def render(db, docs: list[dict], lang: str, *, typed=None) -> list[dict]:
    """Add title and text in `lang`, with material, depot and artisan names from the projections; `typed`: how a
    page marks an admin's reason in the text (texts.notification)."""
    materials = projections.materials(db, [sku for d in docs for sku in texts.skus_named(d)])
    depots = projections.depots(db, [d.get("depot", "") for d in docs])
    people = projections.artisans(db, [d.get("artisan_id") for d in docs])
    out = []
    for doc in docs:
        title, body = texts.notification(doc, materials, depots, lang, typed=typed)
        person = people.get(doc.get("artisan_id")) or {}
        out.append({"id": doc["_id"], "requisition_id": doc["requisition_id"], "status": doc["status"],
                    "title": title, "text": body, "language": lang, "created_at": doc["created_at"],
                    "read": doc.get("read_at") is not None, "read_at": doc.get("read_at"),
                    "artisan_id": doc.get("artisan_id"),
                    "artisan": names.named(person, doc.get("artisan_id"), lang)})
    return out


def owners(db, principal) -> list[str]:
    """Whose notifications the caller reads: an artisan their own, a cooperative secretary their members'."""
    if principal.role == "artisan":
        return [principal.artisan_id] if principal.artisan_id else []
    if principal.cooperative:
        return projections.members(db, principal.cooperative)
    return []


def of_people(db, artisan_ids: list[str], *, unread_only: bool = False, skip: int = 0, limit: int = 50) -> list[dict]:
    """The notifications of one or several artisans (a cooperative's members), newest first, a page at a time."""
    query = {"artisan_id": {"$in": artisan_ids}, **CURRENT}
    if unread_only:
        query["read_at"] = None
    return list(db.notifications.find(query, {"fanout": 0})
                .sort([("created_at", DESCENDING), ("_id", DESCENDING)]).skip(skip).limit(limit))


def render_each(db, docs: list[dict], asked: str) -> list[dict]:
    """`render` each notification in its artisan's own language (else `asked`), in the order given."""
    languages = {a: language_for(db, a, asked) for a in {doc["artisan_id"] for doc in docs}}
    done = {}
    for lang in set(languages.values()):
        done.update((n["id"], n) for n in render(db, [d for d in docs if languages[d["artisan_id"]] == lang], lang))
    return [done[doc["_id"]] for doc in docs]


def count_of(db, artisan_ids: list[str]) -> int:
    return db.notifications.count_documents({"artisan_id": {"$in": artisan_ids}, **CURRENT})


def mark_read(db, notification_id: str, artisan_id: str) -> dict | None:
    """Mark one of the artisan's own notifications read; None if it is not theirs."""
    db.notifications.update_one({"_id": notification_id, "artisan_id": artisan_id, "read_at": None},
                                {"$set": {"read_at": datetime.now(timezone.utc)}})
    return db.notifications.find_one({"_id": notification_id, "artisan_id": artisan_id}, {"fanout": 0})


def language_for(db, artisan_id: str, fallback: str) -> str:
    """The artisan's own language if known, else what the caller asked for."""
    profile = projections.artisan(db, artisan_id)
    return (profile or {}).get("language") or fallback
