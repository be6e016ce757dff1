"""The districts a service's own copy of depots names in Hindi (each depot's `district_hi`), read once and used both
ways: English -> Hindi for what pages show (shared.pages.district_name), Hindi -> English for what a search by a
district's Hindi name looks for (services.requests.artisans)."""
from __future__ import annotations

from dataclasses import dataclass

from flask import g, has_app_context

from shared.text import districts_called, plain_name

LIMIT = 500  # depots read at the most, as the public availability reads them
_KEPT = "rawbank_depot_districts"


@dataclass(frozen=True)
class Districts:
    depots: list[dict]  # each depot with a district and its Hindi name, by code: {"district", "district_hi"}
    hindi: dict[str, str]  # a district's plain_name -> its Hindi name (of two depots of one, the first's)

    def in_hindi(self, name: str) -> str | None:
        """A district as typed in English -> the Hindi name a depot of it gives (case and spacing aside), if any."""
        return self.hindi.get(plain_name(name))

    def in_english(self, name: str | None, *, part: bool = False) -> list[str]:
        """The districts (in English, as depots store them) whose Hindi name is `name`, or holds it when `part`."""
        return districts_called(self.depots, name, part=part)


def of_depots(depots: list[dict]) -> Districts:
    """The districts these depots name in Hindi, read in the order given (by code): of two depots of one district
    that name it apart, the first's name. Also for a list a page already has (the public availability's cached
    snapshot), so it names districts as every other page does without reading the store."""
    named = [{"district": d["district"], "district_hi": d["district_hi"]} for d in depots
             if d.get("district") and isinstance(d.get("district_hi"), str) and d["district_hi"].strip()]
    hindi: dict[str, str] = {}
    for depot in named:
        hindi.setdefault(plain_name(depot["district"]), depot["district_hi"])
    return Districts(named, hindi)


def depot_districts(db) -> Districts:
    """The depots of `db` that name their district in Hindi, by code; read once per request (and again after
    forget(), as a depot of this service's copy changes)."""
    if has_app_context() and _KEPT in g:
        return g.get(_KEPT)
    found = of_depots(list(db.depots.find({"district_hi": {"$type": "string"}}, {"district": 1, "district_hi": 1})
                           .sort("_id", 1).limit(LIMIT)))
    if has_app_context():
        setattr(g, _KEPT, found)
    return found


def forget() -> None:
    """A depot changed: the next depot_districts reads the depots again, in this request too."""
    if has_app_context():
        g.pop(_KEPT, None)
