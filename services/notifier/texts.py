"""What the notifier says to people, in English and Hindi: notifications, SMS, e-mail, alerts, digests."""
from __future__ import annotations

from shared.quantity import format_quantity

UNITS_HI = {"kg": "किलो", "g": "ग्राम", "m": "मीटर", "litre": "लीटर", "piece": "नग"}

#: status -> ((SMS word, title, sentence) in English, the same in Hindi)
STATUS_TEXT = {
    "submitted": (("SUBMITTED", "Request received", "We have received your request {ref} for {items} at {depot}. An officer will review it soon."),
                  ("जमा", "अनुरोध मिला", "{depot} के लिए आपका अनुरोध {ref} ({items}) हमें मिल गया है। अधिकारी जल्द ही इसे देखेंगे।")),
    "approved": (("APPROVED", "Request approved", "Your request {ref} for {items} at {depot} is approved. We are setting the material aside."),
                 ("स्वीकृत", "अनुरोध स्वीकृत", "{depot} के लिए आपका अनुरोध {ref} ({items}) स्वीकृत हो गया है। सामग्री आपके लिए रखी जा रही है।")),
    "reserved": (("RESERVED", "Material reserved", "{items} is set aside for you at {depot} (request {ref}). You will hear when it is dispatched."),
                 ("आरक्षित", "सामग्री आरक्षित", "{depot} में आपके लिए {items} रख दिया गया है (अनुरोध {ref})। भेजे जाने पर आपको सूचना मिलेगी।")),
    "waitlisted": (("WAITLIST #{position}", "On the waiting list", "{items} is not in stock at {depot} right now. Your request {ref} is number {position} on the waiting list and is served first come, first served."),
                   ("प्रतीक्षा #{position}", "प्रतीक्षा सूची में", "{depot} में अभी {items} उपलब्ध नहीं है। आपका अनुरोध {ref} प्रतीक्षा सूची में {position} नंबर पर है; पहले आओ, पहले पाओ के क्रम से मिलेगा।")),
    "dispatched": (("DISPATCHED", "Material dispatched", "{items} for your request {ref} has left {depot}. Please confirm when you receive it."),
                   ("भेजा गया", "सामग्री भेजी गई", "आपके अनुरोध {ref} का {items} {depot} से भेज दिया गया है। मिलने पर पुष्टि करें।")),
    "received": (("RECEIVED", "Receipt confirmed", "You have received {items} for request {ref}. Thank you."),
                 ("प्राप्त", "प्राप्ति दर्ज", "अनुरोध {ref} का {items} आपको मिल गया है। धन्यवाद।")),
    "rejected": (("REJECTED", "Request not approved", "Your request {ref} for {items} at {depot} was not approved. {reason}"),
                 ("अस्वीकृत", "अनुरोध स्वीकृत नहीं", "{depot} के लिए आपका अनुरोध {ref} ({items}) स्वीकृत नहीं हुआ। {reason}")),
    "cancelled": (("CANCELLED", "Request cancelled", "Your request {ref} for {items} at {depot} is cancelled. {reason}"),
                  ("रद्द", "अनुरोध रद्द", "{depot} के लिए आपका अनुरोध {ref} ({items}) रद्द कर दिया गया है। {reason}")),
}

ALERT_TEXT = {
    "low_stock": ("Low stock: {material} at {depot}", "कम स्टॉक: {depot} में {material}",
                  "{available} left, below the reorder level of {reorder}.", "{available} बचा है, जो पुनः ऑर्डर स्तर {reorder} से कम है।"),
    "stock_out": ("Out of stock: {material} at {depot}", "स्टॉक खत्म: {depot} में {material}",
                  "Nothing is available; requests will wait.", "कुछ भी उपलब्ध नहीं है; अनुरोध प्रतीक्षा करेंगे।"),
    "waitlist_growing": ("Waiting list growing: {material} at {depot}", "प्रतीक्षा सूची बढ़ रही है: {depot} में {material}",
                         "{waiting} requests are waiting.", "{waiting} अनुरोध प्रतीक्षा में हैं।"),
    "reservation_failed": ("Reservation failed: {material} at {depot}", "आरक्षण विफल: {depot} में {material}",
                           "{detail}", "{detail}"),
    "dead_letter": ("Message could not be processed ({topic})", "संदेश संसाधित नहीं हो सका ({topic})",
                    "{detail}", "{detail}"),
}
STATUS_HI = {"open": "खुला", "acknowledged": "स्वीकार किया", "resolved": "हल", "escalated": "आगे भेजा गया"}


def ref(requisition_id: str) -> str:
    """'REQ-1042' -> '1042'; long ids are cut to 8 characters so an SMS stays short."""
    rid = requisition_id.strip()
    if rid.upper().startswith("REQ"):
        rid = rid[3:].lstrip("-_ #") or rid
    return rid if len(rid) <= 10 else rid[:8]


def quantity(milli: int, unit: str, lang: str) -> str:
    return f"{format_quantity(milli)} {UNITS_HI.get(unit, unit) if lang == 'hi' else unit}"


def material_name(sku: str, materials: dict, lang: str) -> str:
    material = materials.get(sku) or {}
    name = material.get("name_hi") if lang == "hi" else material.get("name")
    return name or sku


def item(line: dict, materials: dict, lang: str) -> str:
    unit = (materials.get(line["sku"]) or {}).get("unit", "")
    return f"{quantity(line['quantity'], unit, lang).strip()} {material_name(line['sku'], materials, lang)}"


def items(lines: list, materials: dict, lang: str, *, short: bool = False) -> str:
    texts = [item(line, materials, lang) for line in lines] or ["-"]
    if short and len(texts) > 1:
        return f"{texts[0]} +{len(texts) - 1} {'अन्य' if lang == 'hi' else 'more'}"
    return ", ".join(texts)


def depot_name(code: str, depots: dict) -> str:
    return (depots.get(code) or {}).get("name") or f"{code} depot"


def notification(note: dict, materials: dict, depots: dict, lang: str) -> tuple[str, str]:
    """(title, body) of an artisan's notification in their language."""
    en, hi = STATUS_TEXT[note["status"]]
    _, title, body = hi if lang == "hi" else en
    values = {"ref": ref(note["requisition_id"]), "items": items(note.get("lines", []), materials, lang),
              "depot": depot_name(note.get("depot", ""), depots), "position": note.get("position") or "",
              "reason": note.get("reason") or ""}
    return title, body.format(**values).strip()


def sms(note: dict, materials: dict, depots: dict, lang: str) -> str:
    """A feature-phone text: 'REQ 1042 RESERVED: 20 kg cotton yarn at Varanasi depot'."""
    en, hi = STATUS_TEXT[note["status"]]
    word = (hi if lang == "hi" else en)[0].format(position=note.get("position") or "")
    what = items(note.get("lines", []), materials, lang, short=True)
    depot = depot_name(note.get("depot", ""), depots)
    if lang == "hi":
        return f"अनुरोध {ref(note['requisition_id'])} {word}: {depot} में {what}"[:160]
    return f"REQ {ref(note['requisition_id'])} {word}: {what} at {depot}"[:160]


def email(note: dict, materials: dict, depots: dict, lang: str) -> tuple[str, str]:
    title, body = notification(note, materials, depots, lang)
    footer = ("— राजकीय कच्चा माल बैंक (rawbank)" if lang == "hi" else "— rawbank raw-material bank")
    return f"{title}: {ref(note['requisition_id'])}", f"{body}\n\n{footer}\n"


def alert(doc: dict, materials: dict, depots: dict, lang: str) -> tuple[str, str]:
    """(title, body) of an alert for admins and warehouse staff."""
    title_en, title_hi, body_en, body_hi = ALERT_TEXT[doc["kind"]]
    details = doc.get("details") or {}
    unit = (materials.get(doc.get("sku") or "") or {}).get("unit", "")
    values = {"material": material_name(doc.get("sku") or "-", materials, lang),
              "depot": depot_name(doc.get("depot") or "-", depots),
              "available": quantity(details.get("available", 0), unit, lang),
              "reorder": quantity(details.get("reorder_level", 0), unit, lang),
              "waiting": details.get("waiting", 0), "topic": details.get("original_topic", "-"),
              "detail": details.get("reason", "")}
    hi = lang == "hi"
    return (title_hi if hi else title_en).format(**values), (body_hi if hi else body_en).format(**values)


def alert_headline(doc: dict, materials: dict, depots: dict, lang: str) -> str:
    title, _ = alert(doc, materials, depots, lang)
    status = ("आगे भेजा गया" if lang == "hi" else "escalated") if doc.get("escalated") else \
        (STATUS_HI.get(doc["status"], doc["status"]) if lang == "hi" else doc["status"])
    return f"[{status}] {title}"


def digest(day: str, sections: dict, lang: str) -> tuple[str, str]:
    """Daily digest: sections maps 'opened'/'escalated'/'resolved' to headline lists."""
    names = {"opened": ("Opened", "खुले"), "escalated": ("Escalated", "आगे भेजे गए"),
             "resolved": ("Resolved", "हल हुए")}
    counts = {k: len(v) for k, v in sections.items()}
    if lang == "hi":
        subject = (f"rawbank दैनिक सारांश {day}: {counts['opened']} खुले, "
                   f"{counts['escalated']} आगे भेजे गए, {counts['resolved']} हल हुए")
    else:
        subject = (f"rawbank daily digest {day}: {counts['opened']} opened, "
                   f"{counts['escalated']} escalated, {counts['resolved']} resolved")
    lines = []
    for key, (en, hi) in names.items():
        lines.append(f"{hi if lang == 'hi' else en} ({counts[key]}):")
        lines += [f"  - {headline}" for headline in sections[key]] or ["  -"]
    return subject, "\n".join(lines) + "\n"
