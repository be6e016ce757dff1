"""What people read for stored codes and figures, in a language given (so it works in worker threads too).

Units, material categories and requisition statuses are English msgids here, translated where they are
shown; quantities, numbers, days and months are written by Babel for India (lakh grouping: 1,00,000).
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

from shared.calendar import IST
from shared.i18n import N_, translate

LOCALES = {"en": "en_IN", "hi": "hi_IN"}
UNITS = {"kg": N_("kg"), "g": N_("g"), "m": N_("m"), "litre": N_("litre"), "piece": N_("piece")}
#: a material category as it reads inside a sentence ("your yarn quota")
CATEGORIES = {"yarn": N_("yarn"), "fibre": N_("fibre"), "dye": N_("dye"), "metal": N_("metal"), "wood": N_("wood"),
              "clay": N_("clay"), "chemical": N_("chemical"), "packaging": N_("packaging"), "other": N_("other")}
#: who did a thing when it was no person (moved a requisition on, set the demo's quotas and prices)
ACTORS = {"inventory": N_("the depot's stock system"), "auto-approve": N_("automatic approval"),
          "system": N_("rawbank"), "seed": N_("the demo data")}

#: a login's role as people read who acted when their record gives no name (never the bare login to an artisan)
ROLE_WORDS = {"artisan": N_("the artisan"), "secretary": N_("the cooperative's secretary"),
         "warehouse": N_("the depot clerk"), "admin": N_("an admin")}
SOMEONE = N_("a member of staff")  # a login no record names, to a reader who may not read it bare
STAFF = ("admin", "warehouse")  # the staff roles: what they may do, whose logins are told (StaffNamed), who read logins


def _locale(lang: str) -> str:
    return LOCALES.get(lang, "en_IN")


def unit(code: str | None, lang: str) -> str:
    return translate(UNITS[code], lang) if code in UNITS else (code or "")


def category(code: str, lang: str) -> str:
    return translate(CATEGORIES[code], lang) if code in CATEGORIES else code


def number(value, lang: str) -> str:
    """12500.5 -> '12,500.5'; 1000000 -> '10,00,000'."""
    return format_decimal(Decimal(str(value)), format="#,##,##0.###", locale=_locale(lang))


def quantity(value, unit_code: str | None, lang: str) -> str:
    """Thousandths (int) or a decimal string, with the unit in `lang`: '1,250.5 किलो'."""
    amount = Decimal(value) / 1000 if isinstance(value, int) else Decimal(str(value))
    return f"{number(amount, lang)} {unit(unit_code, lang)}".strip()


def named(doc: dict | None, code, lang: str, *, field: str = "name"):
    """A material's (or depot's, or any record's) name as people know it: its `name_hi` in Hindi, else its name, else
    `code`; with `field` the pair `<field>_hi`/`<field>` (an order's `supplier_name_hi` and `supplier_name`)."""
    doc = doc or {}
    return (doc.get(f"{field}_hi") if lang == "hi" else None) or doc.get(field) or code


def named_with_code(doc: dict | None, code: str, lang: str, *, with_code: bool = True) -> str:
    """A scheme (or any record staff also know by its code) as the pages' |scheme says it: 'कच्चा माल आपूर्ति योजना
    (RMSS)' in Hindi, 'Raw Material Supply Scheme (RMSS)' in English; its name alone without `with_code`; the code alone
    for one with no other name."""
    name = named(doc, code, lang)
    if not code or name == code:
        return code or ""
    return f"{name} ({code})" if with_code else name


def named_all(docs: dict, codes, lang: str) -> str:
    """Several materials (or depots) by the names people know them by in `lang`, comma-separated, in `codes`' order;
    `docs` maps a code to its name and name_hi (a code missing there is said as it is)."""
    return ", ".join(named(docs.get(code), code, lang) for code in codes)


def day(value: str, lang: str) -> str:
    """'2027-06-24' -> '24 Jun 2027' / '24 जून 2027', as the pages write a day; as it came when it is no day."""
    try:
        return format_date(date.fromisoformat(value), "d MMM y", locale=_locale(lang))
    except (TypeError, ValueError):
        return value or "–"


def month(value: str, lang: str) -> str:
    """'2026-11' -> 'November 2026' / 'नवंबर 2026'; as it came when it is no month."""
    try:
        year, number_ = (int(part) for part in value.split("-"))
        return format_date(date(year, number_, 1), "MMMM y", locale=_locale(lang))
    except (AttributeError, ValueError):
        return value or "–"


#: a moment as people read it: the day first, the time in India; Hindi by the part of the day ("रात 2:30"), as the
#: pages write it
MOMENT_FORMATS = {"en": "d MMM y, HH:mm", "hi": "d MMM y, B h:mm"}
ZONE = N_("IST")


def moment(value, lang: str) -> str:
    """An ISO time (or a datetime) as people read it, in India's time with the zone named: '2026-12-05T21:00:03+00:00'
    -> '6 Dec 2026, 02:30 IST' / '6 दिस॰ 2026, रात 2:30 भारतीय समय' (UTC read as it is said the day before); as it
    came when it is no time."""
    try:
        if isinstance(value, str):
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        said = format_datetime(value, MOMENT_FORMATS.get(lang, MOMENT_FORMATS["en"]), tzinfo=IST, locale=_locale(lang))
    except (AttributeError, TypeError, ValueError):
        return str(value) if value else "–"
    return f"{said} {translate(ZONE, lang)}"


def in_india(value) -> str:
    """A time as ISO 8601 in India with its offset ('2026-12-04T19:21:00+05:30'): what CSV exports write."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(IST).isoformat(timespec="seconds")


def ref(requisition_id: str) -> str:
    """A requisition's short reference, the one number people match across the pages, the hand-over slip, receipts
    and SMS ("REQ 00433294"): 'REQ-1042' -> '1042'; a long id is its first 8 characters."""
    rid = (requisition_id or "").strip()
    if rid.upper().startswith("REQ"):
        rid = rid[3:].lstrip("-_ #") or rid
    return rid if len(rid) <= 10 else rid[:8]


def who_is(record: dict | None, login: str | None, lang: str, *, staff: bool) -> tuple[str, str]:
    """How a reader in `lang` is told who `login` (of `record` {role, name, name_hi}: requests' people.known, or as
    an event carries it) is: (words, kind), kind "name" (a name as typed), "role" (the role in words), "login" (the
    bare login: to staff only) or "someone" ("a member of staff"). Staff read the login after a name or a role
    (`with_login`)."""
    record = record or {}
    if name := named(record, None, lang):
        return name, "name"
    if record.get("role") in ROLE_WORDS:
        return translate(ROLE_WORDS[record["role"]], lang), "role"
    return (login, "login") if staff and login else (translate(SOMEONE, lang), "someone")


def with_login(kind: str, staff: bool) -> bool:
    """Whether the reader also reads the login after the words `who_is` said (staff, after a name or a role)."""
    return staff and kind in ("name", "role")


def plainly(record: dict | None, login: str | None, lang: str, *, staff: bool) -> str:
    """Who `login` is in plain text (a refusal's message): "the depot clerk", "Asha Devi (asha)" to staff."""
    words, kind = who_is(record, login, lang, staff=staff)
    return f"{words} ({login})" if with_login(kind, staff) else words


def own_name(name: str | None, name_hi: str | None, lang: str) -> str | None:
    """The name a person reads for themselves in `lang` (the pages' header): their Hindi name on Hindi pages, their
    English one on the others, else the other language's; None when they have neither."""
    first, other = (name_hi, name) if lang == "hi" else (name, name_hi)
    return first or other or None
