"""The message each delivery sends, and to whom: alerts and notifications rendered for one channel."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

from services.notifier import domain, links, projections, subscribers, texts
from services.notifier.channels import DeliveryFailed, NothingToSend, Outgoing
from services.notifier.schemas import AlertSchema
from shared import names, signing, sms, staff
from shared.config import Config
from shared.i18n import LANGUAGES
from shared.phones import e164


def describe_alerts(db, docs: list[dict], *, dump: bool = False) -> list[dict]:
    """Alerts with titles and texts in both languages; `dump` gives the JSON-ready form."""
    materials = projections.materials(db, [sku for d in docs for sku in skus_of(d)])
    depots = projections.depots(db, [d["depot"] for d in docs if d.get("depot")])
    people = staff.known(db, [(d.get(step) or {}).get("by") for d in docs for step in ("acknowledged", "resolved")])
    out = []
    for doc in docs:
        titles = {lang: texts.alert(doc, materials, depots, lang) for lang in LANGUAGES}
        depot = doc.get("depot")
        depot_names = {lang: texts.depot_name(depot, depots, lang) for lang in LANGUAGES} if depot else None
        out.append({**doc, "title": {k: v[0] for k, v in titles.items()},
                    "text": {k: v[1] for k, v in titles.items()}, "depot_name": depot_names,
                    **{step: _said_who(doc[step], people) for step in ("acknowledged", "resolved")
                       if _named(doc.get(step), people)}})
    return AlertSchema(many=True).dump(out) if dump else out


def _named(done: dict | None, people: dict) -> bool:
    """Whether who took a step is known in words: the event said who (`by_person`), or requests told who the staff
    login is (shared.staff)."""
    return bool(done) and (bool(done.get("by_person")) or done.get("by") in people)


def _said_who(done: dict, people: dict) -> dict:
    """An acknowledgement or a resolution with `by_words`: who took it, in words per language, the login after them
    (the board's readers are staff), as the card and alerts.js say it: as its event said (`by_person`, a settled
    dispute's admin), else as requests told who the staff login is (someone on the board by hand)."""
    person = done.get("by_person") or people[done["by"]]
    return {**done, "by_words": {lang: names.plainly(person, done.get("by"), lang, staff=True) for lang in LANGUAGES}}


def skus_of(alert: dict) -> list[str]:
    """The materials an alert speaks of: its own, and those of its lines (an order, a count, a short share, and what
    of a short share is settled and still short)."""
    details = alert.get("details") or {}
    lines = [*(details.get("lines") or []), *(details.get("settled") or []), *(details.get("still_short") or [])]
    return [sku for sku in [alert.get("sku"), *(line.get("sku") for line in lines if isinstance(line, dict))] if sku]


def compose(db, delivery: dict, now: datetime, code_secret: str = "", *, config: Config | None = None) -> Outgoing:
    """The message for one delivery attempt; NothingToSend or DeliveryFailed if it can't be made.

    `code_secret` derives the code a member confirms their share with (shared.signing.share_code); an e-mail's link
    to its page is on the public addresses of `config` (the environment's when not given: links.py).
    """
    message = _compose(db, delivery, now, code_secret, config or Config.from_env())
    if delivery["channel"] == "sms":  # every attempt of one delivery the same key: a gateway that keeps keys sends
        # the text once when a sender died after the gateway took it and the delivery is taken again
        return replace(message, headers={**message.headers, "Idempotency-Key": delivery["_id"]})
    return message


def _compose(db, delivery: dict, now: datetime, code_secret: str, config: Config) -> Outgoing:
    source = delivery["source"].get("collection")
    if delivery["channel"] == "webhook":
        return _webhook(db, delivery, now)
    if source == "notifications":
        return _to_artisan(db, delivery, code_secret, config)
    if source == "alerts":
        return _to_contact(db, delivery, config)
    if delivery["topic"] == domain.DIGEST:
        return _digest(db, delivery, config)
    raise NothingToSend(f"nothing to send for {source}")


def _webhook(db, delivery: dict, now: datetime) -> Outgoing:
    hook = subscribers.webhook(db, delivery["target"])
    if hook is None or not hook.get("active"):
        raise NothingToSend("webhook removed or inactive")
    body = {"id": delivery["_id"], "type": delivery["topic"], "occurred_at": delivery["source"]["at"].isoformat(),
            "alert": describe_alerts(db, [delivery["payload"]], dump=True)[0]}
    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    timestamp = str(int(now.timestamp()))
    return Outgoing(to=hook["url"], body=raw, headers={
        "X-Rawbank-Event": delivery["topic"], "X-Rawbank-Delivery": delivery["_id"],
        "X-Rawbank-Timestamp": timestamp,
        "X-Rawbank-Signature": "sha256=" + signing.sign(hook["secret"], timestamp, raw)})


def _to_artisan(db, delivery: dict, code_secret: str, config: Config) -> Outgoing:
    note = db.notifications.find_one({"_id": delivery["source"]["id"]}, {"fanout": 0})
    if note is None:
        raise NothingToSend("notification is gone")
    if note.get("superseded"):  # its code stopped working: the fresh code's own notification is sent instead
        raise NothingToSend("a fresh code was sent since")
    if delivery["channel"] == "in_app":
        return Outgoing(to=note["_id"])
    if note.get("artisan_id") is None:
        raise DeliveryFailed("the requisition's artisan is not known yet")
    artisan = projections.artisan(db, note["artisan_id"])
    if artisan is None:
        raise DeliveryFailed("the artisan's profile is not known yet")
    address = artisan.get("email") if delivery["channel"] == "email" else note.get("phone_to") or artisan.get("phone")
    if not address:
        raise NothingToSend(f"the artisan has no {'e-mail' if delivery['channel'] == 'email' else 'phone'}")
    lang = artisan.get("language") or "en"
    materials = projections.materials(db, texts.skus_named(note))
    depots = projections.depots(db, [note.get("depot", "")])
    if delivery["channel"] == "sms":
        code = signing.share_code(code_secret, note["requisition_id"], note["artisan_id"], note["nonce"]) \
            if note.get("nonce") else ""
        named = names.named(artisan, artisan["_id"], lang) if projections.shares_phone(db, artisan, address) else None
        return Outgoing(to=e164(address), text=texts.sms(note, materials, depots, lang, code, for_name=named))
    subject, body = texts.email(note, materials, depots, lang, links.of_notification(note, config))
    return Outgoing(to=address, subject=subject, text=body)


def _to_contact(db, delivery: dict, config: Config) -> Outgoing:
    contact = subscribers.contact(db, delivery["target"])
    if contact is None:
        raise NothingToSend("contact removed")
    lang = contact.get("language") or "en"
    alert = delivery["payload"]
    materials = projections.materials(db, skus_of(alert))
    depots = projections.depots(db, [alert["depot"]] if alert.get("depot") else [])
    title, body = texts.alert(alert, materials, depots, lang)
    word = texts.alert_word(delivery["topic"], lang)
    if delivery["channel"] == "sms":
        return Outgoing(to=e164(contact["phone"]), text=_alert_sms(alert, materials, word, title, lang))
    return Outgoing(to=contact["email"], subject=f"[rawbank] {word}: {title}",
                    text=f"{title}\n\n{body}\n\n{texts.link_lines(links.of_alert(alert, config), lang)}")


def _alert_sms(alert: dict, materials: dict, word: str, title: str, lang: str) -> str:
    """The alert's title, and what is on order of its material when that takes no more parts nor cuts the title."""
    plain = sms.fit(lambda cut: f"{word}: {cut(title)}")
    unit = (materials.get(alert.get("sku") or "") or {}).get("unit", "")
    fuller = f"{plain}{texts.on_order(alert, unit, lang, short=True)}"
    return fuller if plain == f"{word}: {title}" and sms.parts(fuller) <= sms.parts(plain) else plain


def _digest(db, delivery: dict, config: Config) -> Outgoing:
    """The digest as it was queued (in the contact's language then), with the alerts page's link in it now."""
    contact = subscribers.contact(db, delivery["target"])
    if contact is None or not contact.get("email"):
        raise NothingToSend("contact removed or without e-mail")
    return Outgoing(to=contact["email"], subject=delivery["payload"]["subject"],
                    text=f"{delivery['payload']['text']}\n"
                    + texts.link_lines([(links.BOARD, links.board(config))], contact.get("language") or "en"))
