"""The admin's scheme form: what its fields hold, and the API body they make (one schema checks both)."""
from __future__ import annotations

from shared.events import ZONES
from shared.money import percent_text
from shared.quantity import format_quantity
from shared.text import plain_name

CAP_ROWS = 6
TEXTS = ("code", "name", "name_hi", "subsidy_percent", "depot_charge_percent", "valid_from", "valid_to")
#: what a scheme covers, chosen with a box a name (`craft`, `district`); the comma-separated text fields `crafts`
#: and `districts` the form had before are still read, for clients that post them
PLACES = {"crafts": "craft", "districts": "district"}


def blank() -> dict:
    return {**dict.fromkeys(TEXTS, ""), **{kind: [] for kind in PLACES},
            "caps": [{"category": "", "per_loom_per_month": ""}] * CAP_ROWS,
            "freight": dict.fromkeys(ZONES, "")}


def filled(scheme: dict) -> dict:
    """A stored scheme as the form shows it."""
    caps = [{"category": c["category"], "per_loom_per_month": format_quantity(c["per_loom_per_month"])}
            for c in scheme["caps"]]
    covers = scheme.get("covers") or {}
    return {"code": scheme["code"], "name": scheme["name"], "name_hi": scheme["name_hi"],
            "subsidy_percent": percent_text(scheme["subsidy_percent"]),
            "depot_charge_percent": percent_text(scheme["depot_charge_percent"]),
            "valid_from": scheme["valid_from"], "valid_to": scheme.get("valid_to") or "",
            **{kind: list(covers.get(kind) or []) for kind in PLACES},
            "caps": caps + [{"category": "", "per_loom_per_month": ""}] * max(CAP_ROWS - len(caps), 1),
            "freight": {z: percent_text(scheme["freight_percent"][z]) if z in scheme["freight_percent"] else ""
                        for z in ZONES}}


def from_form(form) -> dict:
    """What was typed, as the form shows it again."""
    rows = max(CAP_ROWS, sum(1 for name in form if name.startswith("cap-") and name.endswith("-category")))
    return {**{name: form.get(name, "").strip() for name in TEXTS}, **{kind: _chosen(form, kind) for kind in PLACES},
            "caps": [{"category": form.get(f"cap-{i}-category", "").strip(),
                      "per_loom_per_month": form.get(f"cap-{i}-per_loom_per_month", "").strip()} for i in range(rows)],
            "freight": {z: form.get(f"freight-{z}", "").strip() for z in ZONES}}


def body(form: dict, *, editing: bool) -> dict:
    """The API body the form means; empty fields are left out (the schema says which are required)."""
    out = {name: form[name] for name in TEXTS[:6] if form[name] and not (editing and name == "code")}
    out["valid_to"] = form["valid_to"] or None
    out["caps"] = [{"category": c["category"], "per_loom_per_month": c["per_loom_per_month"]}
                   for c in form["caps"] if c["category"] or c["per_loom_per_month"]]
    out["freight_percent"] = {z: v for z, v in form["freight"].items() if v}
    out["covers"] = {kind: form[kind] for kind in PLACES}
    return out


def _chosen(form, kind: str) -> list[str]:
    """The names ticked, then those typed with commas between in the old text field; each once (case and spacing
    aside, as a scheme compares them)."""
    names = [name.strip() for name in form.getlist(PLACES[kind])]
    names += [part.strip() for typed in form.getlist(kind) for part in typed.split(",")]
    once: dict[str, str] = {}
    for name in names:
        if name:
            once.setdefault(plain_name(name), name)
    return list(once.values())


def choices(known: list[dict], chosen: list[str]) -> list[dict]:
    """The boxes of crafts or districts to tick: each name rawbank knows (`name`, `name_hi`), ticked when chosen,
    its `value` the spelling chosen (saved again, it is saved as it was); first each name chosen that none of them
    is any more, ticked, so that saving the form again does not drop it without a word."""
    ticked = {plain_name(name): name for name in chosen}
    boxes = [{**place, "value": ticked.get(plain_name(place["name"]), place["name"]),
              "ticked": plain_name(place["name"]) in ticked, "known": True} for place in known]
    knows = {plain_name(place["name"]) for place in known}
    return [{"name": name, "value": name, "ticked": True, "known": False} for plain, name in ticked.items()
            if plain not in knows] + boxes


def flatten(messages: dict, path: tuple = ()) -> dict:
    """marshmallow's nested messages by the form's field names: caps.0.category -> cap-0-category."""
    flat = {}
    for key, value in messages.items():
        here = path + (str(key),)
        if isinstance(value, dict):
            for name, texts in flatten(value, here).items():
                flat.setdefault(name, []).extend(texts)
        else:
            flat.setdefault(_field(here), []).extend(value if isinstance(value, list) else [value])
    return flat


def _field(path: tuple) -> str:
    if path[0] == "caps" and len(path) > 2:
        return f"cap-{path[1]}-{path[2]}"
    if path[0] == "freight_percent" and len(path) > 1:
        return f"freight-{path[1]}"
    if path[0] == "covers" and len(path) > 1:
        return path[1]
    return path[0]
