"""Members' shares of a cooperative's requisition: asked for at receipt, confirmed or reported short once.

When the secretary marks the requisition received, every share waits for its member (`pending`)
and a ShareCodeIssued event per member has the notifier text them a code (derived from the
secret both services hold, never stored or published). A member answers once: in the app, or
by SMS or IVR through the gateway (inbound.py), or by telling the depot's staff, who record it
for them (`via` depot, `by` them: the cooperative's secretary never answers for a member). An
answer is one update of the requisition on the version read, with its ShareConfirmed event; the
same answer again (a repeated callback, a double tap) is answered again and changes nothing. A
member who says what the depot recorded for them is not what they received disputes it once
(`dispute`: ShareRecordDisputed, an alert on the board); nothing else changes until the department (an admin)
settles it once (`settle_dispute`: ShareDisputeSettled): upheld, what the member received replaces the depot's record
(the share then counts as reported short, as if they had said so), or rejected, the record stands.
"""
from __future__ import annotations

from datetime import datetime

from services.requests import materials, parties, people, returns, share_rules, store
from services.requests.errors import (DisputeAlreadySettled, IdempotencyKeyReused, SettlementBelowSettledShort,
                                      SettlementSameAsRecord, ShareAlreadyAnswered, ShareAlreadyConfirmed,
                                      ShareAlreadyDisputed, ShareAnswered, ShareNotDisputed, ShareNotPending,
                                      ShareNotReceivable, ShareNotRecordedByDepot, WholeUnitsOnly)
from shared.quantity import format_quantity, whole_enough
from shared.envelope import Event, new_event
from shared.errors import Busy, Invalid, NotFound
from shared.i18n import F_, N_

SOURCE = "requests"
MAX_ATTEMPTS = 30
WHY = {"lines_needed": N_("your share has several materials; say what you received of each (lines)."),
       "above_share": N_("that is more than your share."),
       "not_in_share": N_("a material that is not in your share."),
       "lines_missing": N_("say what you received of every material of your share (0 for one you did not get).")}


def in_event(doc: dict, *, priced: bool = False, payable: bool = False) -> list[dict]:
    """Each share as events carry it (a cooperative's always; at dispatch every requisition's, with its money;
    at approval with what each member pays, so each is told their own amount)."""
    if not priced and not parties.is_cooperative(doc):
        return []
    out = []
    for share in parties.of(doc):
        money = {line["sku"]: line for line in (share.get("pricing") or {}).get("lines", [])} if priced else {}
        lines = [{"sku": line["sku"], "quantity": line["quantity"],
                  **({k: money[line["sku"]][k] for k in ("subsidised_quantity", "value", "subsidy")}
                     if line["sku"] in money else {})} for line in share["lines"]]
        out.append({"artisan_id": share["artisan_id"], "district": share.get("district"), "lines": lines})
        if payable and share.get("pricing"):
            out[-1]["payable_total"] = share["pricing"]["payable_total"]
    return out


def paying(doc: dict, artisan_id: str | None) -> dict:
    """What a payment is for: the requisition of one artisan, or one named member's share of a cooperative's."""
    if not parties.is_cooperative(doc):
        if artisan_id and artisan_id != doc["artisan_id"]:
            raise Invalid({"artisan_id": [F_("only for a cooperative's requisition: the member whose share is paid")]})
        return doc
    share = next((s for s in doc["shares"] if s["artisan_id"] == artisan_id), None)
    if share is None:
        raise Invalid({"artisan_id": [F_("the member of this requisition whose share is paid")]})
    return {**doc, "artisan_id": artisan_id, "pricing": share["pricing"]}


def on_received(doc: dict, now: datetime, correlation_id: str | None) -> tuple[dict, list[Event]]:
    """The fields and events of marking a cooperative's requisition received: every member is asked to confirm."""
    if not parties.is_cooperative(doc):
        return {}, []
    asked, events = [], []
    for share in doc["shares"]:
        confirmation = {"status": share_rules.PENDING, "nonce": 1, "received_at": now.isoformat(),
                        "expires_at": share_rules.expires(now)}
        asked.append({**share, "confirmation": confirmation})
        events.append(_code_event(doc, asked[-1], correlation_id))
    return {"shares": asked, "awaiting": [share["artisan_id"] for share in asked]}, events


def new_code(db, doc: dict, artisan_id: str, now: datetime, *, correlation_id: str | None = None,
             staff: bool = False) -> dict:
    """Send a member a fresh code (the last one stops working); only while their share waits for them. `staff`: the
    one asking is staff, who read the login of whoever recorded an answer at the depot (ShareAnswered)."""
    for _ in range(MAX_ATTEMPTS):
        index, share = _share(doc, artisan_id)
        if share["confirmation"]["status"] in share_rules.ANSWERED:
            raise ShareAnswered(said(db, doc, share), staff=staff)
        if share["confirmation"]["status"] != share_rules.PENDING:
            raise ShareNotPending({"status": doc["status"], "confirmation": share["confirmation"]["status"]})
        confirmation = {**share["confirmation"], "nonce": share["confirmation"]["nonce"] + 1,
                        "expires_at": share_rules.expires(now)}
        event = _code_event(doc, {**share, "confirmation": confirmation}, correlation_id)
        if store.save_fields(db, doc["_id"], doc["version"], {f"shares.{index}.confirmation": confirmation}, [event]):
            return {**share, "confirmation": confirmation}
        doc = _fresh(db, doc["_id"])
    raise Busy()


def answer(db, doc: dict, artisan_id: str, *, quantity: int | None = None, lines: list[dict] | None = None,
           via: str, message: str | None, now: datetime, correlation_id: str | None = None,
           by: str | None = None) -> tuple[dict, bool]:
    """A member's answer for their share: confirmed in full, or what they received; True if stored now.

    The same answer again (or the same gateway message) is answered again and changes nothing; a
    different answer to a share already answered is refused. `by`: the depot's staff member recording at the counter
    what the member says (via "depot"): only while the share waits; once the member answered, their answer stands
    (ShareAlreadyAnswered, whatever the figures), and the same record again changes nothing.
    """
    for _ in range(MAX_ATTEMPTS):
        index, share = _share(doc, artisan_id)
        got = _received(db, share, quantity, lines)
        confirmation = share["confirmation"]
        if confirmation["status"] in share_rules.ANSWERED:
            if by is not None:
                if confirmation.get("via") == "depot" and confirmation.get("received") == got:
                    return share, False
                raise ShareAlreadyAnswered(said(db, doc, share), staff=True)  # `by`: staff
            if (message and confirmation.get("message") == message) or confirmation.get("received") == got:
                return share, False
            raise ShareAlreadyConfirmed({"confirmation": confirmation["status"]})
        if confirmation["status"] != share_rules.PENDING:
            raise ShareNotPending({"status": doc["status"], "confirmation": confirmation["status"]})
        short = share_rules.short_by(share["lines"], got)
        answered = {**confirmation, "status": share_rules.SHORT if short else share_rules.CONFIRMED,
                    "received": got, "short_by": short, "via": via, "at": now.isoformat(), "message": message,
                    **({"by": by} if by else {})}
        event = new_event("ShareConfirmed", doc["_id"], {
            "requisition_id": doc["_id"], "artisan_id": artisan_id, "cooperative": doc["cooperative"],
            "depot": doc["depot"], "short": bool(short), "via": via, "received_at": confirmation["received_at"],
            "lines": [{"sku": l["sku"], "quantity": l["quantity"], "received": got[l["sku"]]} for l in share["lines"]],
            **({"recorded_by": by} if by else {})},
            source=SOURCE, correlation_id=correlation_id)
        if store.save_fields(db, doc["_id"], doc["version"], {f"shares.{index}.confirmation": answered}, [event],
                             pull={"awaiting": artisan_id}):
            return {**share, "confirmation": answered}, True
        doc = _fresh(db, doc["_id"])
    raise Busy()


def dispute(db, doc: dict, artisan_id: str, *, note: str, key: str | None, now: datetime,
            correlation_id: str | None = None) -> tuple[dict, bool]:
    """The member's word that what the depot's staff recorded for their share (`via` depot) is not what they received:
    kept on the share's answer (`disputed`: at, note) with its ShareRecordDisputed event; True if stored now. Nothing
    else changes (no quantity, no money: the board looks into it). Once per share: the same dispute again (the same
    note, or the same Idempotency-Key with it) is answered as the first; another is refused (ShareAlreadyDisputed,
    saying when), and the same key with another note is IdempotencyKeyReused."""
    for _ in range(MAX_ATTEMPTS):
        index, share = _share(doc, artisan_id)
        confirmation = share.get("confirmation") or {"status": share_rules.AWAITED}
        found = confirmation.get("disputed")
        if found:
            if found["note"] == note:
                return share, False
            if key and found.get("key") == key:
                raise IdempotencyKeyReused({"requisition_id": doc["_id"]})
            raise ShareAlreadyDisputed({"at": found["at"]})
        if confirmation["status"] not in share_rules.ANSWERED or confirmation.get("via") != "depot":
            raise ShareNotRecordedByDepot({"status": doc["status"], "confirmation": confirmation["status"],
                                           "via": confirmation.get("via")})
        disputed = {"at": now.isoformat(), "note": note, **({"key": key} if key else {})}
        received = confirmation.get("received") or {}
        event = new_event("ShareRecordDisputed", doc["_id"], {
            "requisition_id": doc["_id"], "artisan_id": artisan_id, "cooperative": doc["cooperative"],
            "depot": doc["depot"], "recorded_by": confirmation.get("by"), "recorded_at": confirmation.get("at"),
            "recorded_by_person": people.known(db, {confirmation.get("by")}).get(confirmation.get("by")),
            "short": confirmation["status"] == share_rules.SHORT, "note": note, "disputed_at": disputed["at"],
            "lines": [{"sku": l["sku"], "quantity": l["quantity"], "received": received.get(l["sku"], l["quantity"])}
                      for l in share["lines"]]}, source=SOURCE, correlation_id=correlation_id)
        if store.save_fields(db, doc["_id"], doc["version"], {f"shares.{index}.confirmation.disputed": disputed},
                             [event]):
            return {**share, "confirmation": {**confirmation, "disputed": disputed}}, True
        doc = _fresh(db, doc["_id"])
    raise Busy()


def settle_dispute(db, doc: dict, artisan_id: str, *, outcome: str, note: str, quantity: int | None,
                   lines: list[dict] | None, by: str, now: datetime,
                   correlation_id: str | None = None) -> tuple[dict, bool]:
    """The department's settlement of a member's dispute of what the depot recorded for their share, once, with its
    ShareDisputeSettled event; True if stored now. `upheld`: what the member actually received (per material, within
    the share) replaces the depot's record, so the share counts as reported short exactly as if the member had
    answered so (`short_by`; the depot then settles it with `short` return lines, their credit notes the money);
    `rejected`: the record stands. An upheld record may not go below what `short` return lines already credited of
    the share (read from the request as each attempt reads it, so a return recorded meanwhile counts). The same
    settlement again is answered as the first; another is DisputeAlreadySettled; a share not disputed is
    ShareNotDisputed."""
    for _ in range(MAX_ATTEMPTS):
        index, share = _share(doc, artisan_id)
        confirmation = share.get("confirmation") or {"status": share_rules.AWAITED}
        disputed = confirmation.get("disputed")
        if not disputed:
            raise ShareNotDisputed({"confirmation": confirmation["status"]})
        got = None
        if outcome == "upheld":
            got = _received(db, share, quantity, lines)
        found = disputed.get("settled")
        if found:
            same = found["outcome"] == outcome and found["note"] == note and (
                got is None or confirmation.get("received") == got)
            if same:
                return share, False
            raise DisputeAlreadySettled({k: found[k] for k in ("outcome", "at", "by")})
        recorded = dict(confirmation.get("received") or {})
        changes: dict = {}
        settled = {"outcome": outcome, "note": note, "by": by, "at": now.isoformat()}
        if got is not None:
            settled_short = returns.returned(doc, artisan_id, (returns.SHORT,))
            if got == recorded:
                raise SettlementSameAsRecord({"received": {sku: format_quantity(q) for sku, q in got.items()}})
            short = share_rules.short_by(share["lines"], got)
            for line in share["lines"]:
                if short.get(line["sku"], 0) < settled_short.get(line["sku"], 0):
                    raise SettlementBelowSettledShort({
                        "sku": line["sku"], "unit": line.get("unit") or "",
                        "settled": f"{format_quantity(settled_short[line['sku']])} {line.get('unit') or ''}".strip(),
                        "asked_short": format_quantity(short.get(line["sku"], 0))})
            settled["recorded"] = recorded
            changes = {"status": share_rules.SHORT if short else share_rules.CONFIRMED, "received": got,
                       "short_by": short}
        after = dict(got if got is not None else recorded)
        answered = {**confirmation, **changes, "disputed": {**disputed, "settled": settled}}
        event = new_event("ShareDisputeSettled", doc["_id"], {
            "requisition_id": doc["_id"], "artisan_id": artisan_id, "cooperative": doc["cooperative"],
            "depot": doc["depot"], "outcome": outcome, "note": note, "settled_by": by, "settled_at": settled["at"],
            "settled_by_person": people.known(db, {by}).get(by, {"role": "admin"}),  # only admins settle
            "disputed_at": disputed["at"], "recorded_by": confirmation.get("by"),
            "short": answered["status"] == share_rules.SHORT,
            "lines": [{"sku": l["sku"], "quantity": l["quantity"], "recorded": recorded.get(l["sku"], l["quantity"]),
                       "received": after.get(l["sku"], l["quantity"])} for l in share["lines"]]},
            source=SOURCE, correlation_id=correlation_id)
        if store.save_fields(db, doc["_id"], doc["version"], {f"shares.{index}.confirmation": answered}, [event]):
            return {**share, "confirmation": answered}, True
        doc = _fresh(db, doc["_id"])
    raise Busy()


def _received(db, share: dict, quantity: int | None, lines: list[dict] | None) -> dict[str, int]:
    """sku -> what the member received of their share (share_rules.received), or the refusal: ShareNotReceivable when
    it does not fit the share, WholeUnitsOnly for a part of a piece (no member receives half a plank: a material
    counted in pieces is asked for, handed over and returned whole)."""
    try:
        got = share_rules.received(share["lines"], quantity, lines)
    except share_rules.NotReceivable as exc:
        raise ShareNotReceivable({"reason": exc.reason, "why": WHY[exc.reason], **exc.details}) from None
    for line in share["lines"]:
        sku, unit = line["sku"], line.get("unit") or ""
        if not whole_enough(got[sku], unit):
            known = materials.by_sku(db, [sku]).get(sku) or {}
            raise WholeUnitsOnly({"sku": sku, "unit": unit, "quantity": format_quantity(got[sku]),
                                  "names": {k: known.get(k) for k in ("name", "name_hi")} if known else {}})
    return got


def said(db, doc: dict, share: dict) -> dict:
    """What a member answered for their share, as a refusal's details tell it (how, when, by whom, of each material)."""
    confirmation = share["confirmation"]
    skus = [line["sku"] for line in share["lines"]]
    found = materials.by_sku(db, skus)
    return {"status": doc.get("status"), "artisan_id": share["artisan_id"], "confirmation": confirmation["status"],
            "member": {k: share.get(k) for k in ("name", "name_hi")} | {"_id": share["artisan_id"]},
            "via": confirmation.get("via"), "by": confirmation.get("by"), "at": confirmation.get("at"),
            "recorded_by": people.known(db, {confirmation["by"]}).get(confirmation["by"]) if confirmation.get("by")
            else None,
            "received": [{"sku": line["sku"], "unit": line.get("unit"),
                          "quantity": format_quantity((confirmation.get("received") or {}).get(line["sku"], 0))}
                         for line in share["lines"]],
            "names": {sku: {"name": m.get("name"), "name_hi": m.get("name_hi")} for sku, m in found.items()}}


def _share(doc: dict, artisan_id: str) -> tuple[int, dict]:
    for index, share in enumerate(doc.get("shares") or ()):
        if share["artisan_id"] == artisan_id:
            return index, share
    raise NotFound({"artisan_id": artisan_id})


def _fresh(db, req_id: str) -> dict:
    doc = db.requisitions.find_one({"_id": req_id}, store.HIDDEN)
    if doc is None:
        raise NotFound()
    return doc


def _code_event(doc: dict, share: dict, correlation_id: str | None) -> Event:
    confirmation = share["confirmation"]
    return new_event("ShareCodeIssued", doc["_id"], {
        "requisition_id": doc["_id"], "artisan_id": share["artisan_id"], "cooperative": doc["cooperative"],
        "depot": doc["depot"], "lines": [{"sku": l["sku"], "quantity": l["quantity"]} for l in share["lines"]],
        "nonce": confirmation["nonce"], "received_at": confirmation["received_at"],
        "expires_at": confirmation["expires_at"]}, source=SOURCE, correlation_id=correlation_id)


def view(share: dict) -> dict:
    """A share as the API and pages show it: its lines with what was received, and its confirmation."""
    confirmation = share.get("confirmation") or {"status": share_rules.AWAITED}
    received = confirmation.get("received") or {}
    return {**{k: share.get(k) for k in ("artisan_id", "name", "name_hi", "district", "pricing", "due_on")},
            "lines": [{**line, "received": received.get(line["sku"])} for line in share["lines"]],
            "confirmation": {"status": confirmation["status"], "via": confirmation.get("via"),
                             "by": confirmation.get("by"), "at": confirmation.get("at"),
                             "short_by": confirmation.get("short_by"),
                             "code_expires_at": confirmation.get("expires_at")
                             if confirmation["status"] == share_rules.PENDING else None,
                             "disputed": _disputed(confirmation.get("disputed"))}}


def _disputed(disputed: dict | None) -> dict | None:
    """A dispute as the API shows it: when and what the member said, and the department's settlement (or null)."""
    if not disputed:
        return None
    settled = disputed.get("settled")
    return {"at": disputed["at"], "note": disputed["note"],
            "settled": {**{k: settled[k] for k in ("outcome", "note", "by", "at")},
                        "recorded": settled.get("recorded")} if settled else None}
