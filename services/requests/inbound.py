"""An SMS gateway's callbacks: members confirming their shares by SMS, a missed call or keys on an IVR call.

The gateway signs each callback (HMAC of '<timestamp>.<body>' with RAWBANK_SMS_INBOUND_SECRET); an
unsigned, wrongly signed or stale one is refused (401) and changes nothing. A signed callback is
answered with the text to send back. It is matched only against the shares of the members
registered with the sending phone, so a code works only from its member's phone; a wrong,
expired or used code, an unknown number and another member's phone all get the same answer,
which never says whether a code exists. The answer is kept under the gateway's message id: the
same callback again is answered again and applied once (and a crash between the confirmation
and keeping the answer is caught by the confirmation's own message id).
"""
from __future__ import annotations

import hmac
from datetime import datetime

from pymongo.errors import DuplicateKeyError

from services.requests import artisans, materials, share_rules, shares
from services.requests.errors import (ShareAlreadyConfirmed, ShareNotPending, ShareNotReceivable, SignatureInvalid,
                                      WholeUnitsOnly)
from shared import names, signing, sms
from shared.i18n import N_, translate
from shared.names import named, ref as short_ref
from shared.phones import phone_key
from shared.quantity import WHOLE_UNITS, TooLarge, TooManyDecimals, format_quantity, parse_quantity

MAX_SKEW_SECONDS = 300  # a callback signed longer ago (or ahead) than this is refused
CONFIRMED, SHORT, NOT_CONFIRMED = "confirmed", "short_reported", "not_confirmed"
ALREADY = "already_confirmed"  # the member's own code (or missed call) again, after their share was answered
#: what is sent back: each fits one SMS part in both languages with a material's usual name (two at most with a
#: long one): GSM-7 160 characters in English, UCS-2 70 in Hindi (tests/unit/test_inbound_replies.py)
REPLIES = {
    CONFIRMED: N_("Thank you. Your share of request {ref} is confirmed: {items}."),
    SHORT: N_("Noted for request {ref}: you received {received}, less than your share. The department has been "
              "told."),
    ALREADY: N_("Request {ref} was already confirmed: you received {received}. No need to send it again."),
    NOT_CONFIRMED: N_("We could not confirm this. Send the code from our SMS: RCV <code>, or RCV <code> <quantity> "
                      "if you received less."),
    "several_materials": N_("We could not confirm this. If you got all of it, send RCV <code> from our SMS; if "
                            "less, say what you got in the app or at the depot."),
    "lines_needed": N_("Your share has several materials: say what you got of each in the app or at the depot."),
    "above_share": N_("That is more than your share. Send the quantity you received, or RCV <code> if you "
                      "received all of it."),
    "unit": N_("Send the quantity in {unit}: RCV <code> <quantity>."),
    "comma": N_("Write the quantity without a comma, such as RCV <code> 2.5 or RCV <code> 1500."),
    "decimals": N_("Send the quantity with at most three decimals, such as RCV <code> 2.125."),
    "whole_units": N_("Send a whole number of {units}, not {quantity}; for example RCV <code> 2."),
    "several": N_("You have more than one share to confirm. Reply to our SMS with its code."),
    "all_answered": N_("Your shares are all confirmed already. No need to call again."),
}


def handle(db, *, secret: str, code_secret: str, timestamp: str, signature: str, raw: bytes, message: dict,
           now: datetime) -> dict:
    """Check the callback's signature, then answer it: {result, reply, language}; a repeat gets the first answer."""
    if not secret or not _fresh(timestamp, now) or not signing.verify(secret, timestamp, raw, signature):
        raise SignatureInvalid()
    # the gateway's id, from this phone: a gateway that reuses ids would otherwise answer one phone with another's
    # reply (their request and quantity)
    key = f"{message['channel']}:{phone_key(message['sender']) or message['sender']}:{message['id']}"
    seen = db.inbound.find_one({"_id": key})
    if seen is not None:
        return seen["answer"]
    answer = _answer(db, code_secret, message, key, now)
    try:
        db.inbound.insert_one({"_id": key, "answer": answer, "at": now})
    except DuplicateKeyError:  # the same callback, answered at the same moment
        return db.inbound.find_one({"_id": key})["answer"]
    return answer


def _fresh(timestamp: str, now: datetime) -> bool:
    try:
        return abs(now.timestamp() - int(timestamp)) <= MAX_SKEW_SECONDS
    except (ValueError, OverflowError):  # not a number, or one past what a float holds
        return False


def _answer(db, code_secret: str, message: dict, key: str, now: datetime) -> dict:
    lang, code, quantity, unit = _read(message)
    if message["channel"] == "sms" and code is None and lang == "en":  # not understood, and not in Devanagari
        lang = _registered_language(db, message["sender"]) or lang
    elif message["channel"] != "sms" and not message.get("language"):  # a call: no words to tell the language by
        lang = _registered_language(db, message["sender"]) or lang
    done = db.requisitions.find_one({"shares.confirmation.message": key}, {"outbox": 0})
    if done is not None:  # applied before its answer was kept (a crash in between): the same answer again
        return _done(db, done, next(s for s in done["shares"] if s["confirmation"].get("message") == key), lang)
    mine = artisans.by_phone(db, message["sender"])
    waiting = [(doc, share) for artisan in mine
               for doc in db.requisitions.find({"awaiting": artisan["_id"]}, {"outbox": 0}).limit(50)
               for share in doc["shares"] if share["artisan_id"] == artisan["_id"]
               and share_rules.code_live(share["confirmation"], now.isoformat())]
    if message["channel"] == "missed_call":
        found = waiting[0] if len(waiting) == 1 else None
        if len(waiting) > 1:
            return _reply(NOT_CONFIRMED, lang, "several")
        recent = [] if found or waiting else [item for item in _answered(db, mine)
                                              if now.isoformat() < item[1]["confirmation"].get("expires_at", "")]
        if len(recent) == 1:  # called again: their one share answered while its code lives
            return _done(db, *recent[0], lang, ALREADY)
        if recent:  # several answered, none waiting: not "could not confirm", which reads as a failure
            return _reply(ALREADY, lang, "all_answered")
    else:
        found = _matching(code_secret, code, waiting)
        answered = None if found else _matching(code_secret, code, _answered(db, mine))
        if answered:  # sent again (no reply came): what was recorded, to this member's own phone only
            return _done(db, *answered, lang, ALREADY)
    if found is None:
        return _reply(NOT_CONFIRMED, lang, _why_not(waiting))
    doc, share = found
    try:
        received = parse_quantity(quantity) if quantity else None
        if received is not None and len(share["lines"]) == 1:  # several: lines_needed, whatever the unit
            line = share["lines"][0]
            received = share_rules.in_unit(received, _written(db, line, unit), line.get("unit"))
        stored, _ = shares.answer(db, doc, share["artisan_id"], quantity=received, via=message["channel"],
                                  message=key, now=now)
    except ValueError as exc:  # not a quantity rawbank keeps: said how, to a member of one material
        why, values = _unreadable(exc, quantity, share, lang) or (_why_not(waiting), {})
        return _reply(NOT_CONFIRMED, lang, why, values)
    except share_rules.NotReceivable as exc:  # a unit not the material's: never read as its unit
        unit = exc.details["unit"]
        return _reply(NOT_CONFIRMED, lang, "unit", {"unit": translate(WHOLE_UNITS[unit], lang) if unit in WHOLE_UNITS
                                                    else names.unit(unit, lang)})
    except WholeUnitsOnly as exc:  # part of a piece: "send a whole number of pieces, not 2.5"
        return _reply(NOT_CONFIRMED, lang, "whole_units", {"units": translate(WHOLE_UNITS[exc.details["unit"]], lang),
                                                           "quantity": exc.details["quantity"]})
    except ShareNotReceivable as exc:
        return _reply(NOT_CONFIRMED, lang, exc.details["reason"] if exc.details["reason"] in REPLIES
                      else _why_not(waiting))
    except ShareAlreadyConfirmed:  # answered meanwhile (another message, the app): what was recorded
        doc = db.requisitions.find_one({"_id": doc["_id"]}, {"outbox": 0})
        return _done(db, doc, next(s for s in doc["shares"] if s["artisan_id"] == share["artisan_id"]), lang, ALREADY)
    except ShareNotPending:
        return _reply(NOT_CONFIRMED, lang, _why_not(waiting))
    return _done(db, doc, stored, lang)


def _written(db, line: dict, unit: str | None) -> str | None:
    """The unit a member wrote after their number: the material's own when they named the material counted in
    pieces ('5 planks' of mango planks: share_rules.names_the_pieces), else as parse_sms read it."""
    if line.get("unit") in WHOLE_UNITS and unit and unit not in share_rules.UNIT_WORDS:
        known = materials.by_sku(db, [line["sku"]]).get(line["sku"]) or {}
        if share_rules.names_the_pieces(unit, (known.get("name"), known.get("name_hi"))):
            return line["unit"]
    return unit


def _unreadable(exc: ValueError, quantity: str | None, share: dict, lang: str) -> tuple[str, dict] | None:
    """What to tell a member of one material whose number is no quantity rawbank keeps: '2,5' to leave out the
    comma, '2.1234' at most three decimals (pieces: a whole number), a number past any quantity (TooLarge) that it is
    more than their share; None for anything else."""
    if not quantity or len(share["lines"]) != 1:
        return None
    unit = share["lines"][0].get("unit")
    if "," in quantity:  # '2,5' or '1,000': a comma is read neither as a decimal point nor as thousands
        return "comma", {}
    if isinstance(exc, TooLarge):
        return "above_share", {}
    if isinstance(exc, TooManyDecimals) and unit in WHOLE_UNITS:
        return "whole_units", {"units": translate(WHOLE_UNITS[unit], lang), "quantity": quantity}
    if isinstance(exc, TooManyDecimals):
        return "decimals", {}
    return None


def _why_not(waiting: list[tuple[dict, dict]]) -> str | None:
    """What to say when a message confirmed nothing: to a phone whose shares waiting for an answer all have several
    materials, never "RCV <code> <quantity>" (one figure cannot answer them: lines_needed), but the app or the depot
    (whose staff record it for them) for less."""
    return "several_materials" if waiting and all(len(share["lines"]) > 1 for _, share in waiting) else None


def _matching(code_secret: str, code: str | None, found: list[tuple[dict, dict]]) -> tuple[dict, dict] | None:
    """The (requisition, share) whose current code is `code`, among those found."""
    return next((item for item in found if code and hmac.compare_digest(code, signing.share_code(
        code_secret, item[0]["_id"], item[1]["artisan_id"], item[1]["confirmation"]["nonce"]))), None)


def _answered(db, mine: list[dict]) -> list[tuple[dict, dict]]:
    """The shares these members (registered with one phone) answered already, in their latest requisitions."""
    return [(doc, share) for artisan in mine
            for doc in db.requisitions.find({"members": artisan["_id"]}, {"outbox": 0}).sort("created_at", -1).limit(20)
            for share in doc.get("shares") or () if share["artisan_id"] == artisan["_id"]
            and (share.get("confirmation") or {}).get("status") in share_rules.ANSWERED]


def _registered_language(db, phone: str) -> str | None:
    """The language registered for a phone (Hindi when the people sharing it differ); None for a stranger.

    Many who read only Hindi type it in Latin letters ('haan mila'): the script of a message not
    understood says little about the language its answer should be in."""
    languages = {artisan.get("language") or "hi" for artisan in artisans.by_phone(db, phone)}
    return ("hi" if "hi" in languages else languages.pop()) if languages else None


def _read(message: dict) -> tuple[str, str | None, str | None, str | None]:
    """(the language to answer in, the code, the quantity text, the unit written after it) of a callback."""
    if message["channel"] == "sms":
        parsed = share_rules.parse_sms(message["text"])
        if parsed is None:
            return ("hi" if any("\u0900" <= ch <= "\u097f" for ch in message["text"]) else "en"), None, None, None
        return parsed
    lang = message.get("language") or "hi"  # the IVR menu's; else the phone's registered one (_answer)
    if message["channel"] == "ivr":
        keys = share_rules.parse_keys(message["text"])
        return (lang, *keys, None) if keys else (lang, None, None, None)
    return lang, None, None, None


def _done(db, doc: dict, share: dict, lang: str, result: str | None = None) -> dict:
    """The answer for a share answered now (or, with ALREADY, before): what was recorded."""
    names = materials.by_sku(db, [line["sku"] for line in share["lines"]])
    units = {line["sku"]: line.get("unit") or "" for line in share["lines"]}

    def item(sku: str, quantity: int, cut) -> str:
        name = named(names.get(sku), sku, lang)
        unit = translate(units[sku], lang) if units[sku] else ""
        return " ".join(part for part in (format_quantity(quantity), unit, cut(name)) if part)
    confirmation = share["confirmation"]
    result = result or (SHORT if confirmation["status"] == share_rules.SHORT else CONFIRMED)

    def reply(cut) -> str:  # a long material name is cut to keep the reply within two parts (shared.sms.fit)
        return translate(REPLIES[result], lang, ref=short_ref(doc["_id"]),
                         items=", ".join(item(l["sku"], l["quantity"], cut) for l in share["lines"]),
                         received=", ".join(item(sku, q, cut) for sku, q in confirmation["received"].items()))
    return {"result": result, "language": lang, "reply": sms.fit(reply)}


def _reply(result: str, lang: str, why: str | None = None, values: dict | None = None) -> dict:
    return {"result": result, "language": lang, "reply": translate(REPLIES[why or result], lang, **(values or {}))}
