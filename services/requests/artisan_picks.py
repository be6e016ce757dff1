"""One artisan as a person at a desk names them in a form: by number, by a line of the pages' list of artisans
(name · district · craft · number, as artisan_pick.js shows the directory's search), or by their whole name."""
from __future__ import annotations

from services.requests.artisans import PUBLIC, called, shown_to, visible, within
from services.requests.errors import ArtisanNameAmbiguous, ArtisanNameUnknown
from shared.auth import Principal
from shared.districts import depot_districts
from shared.i18n import language

APART = "·"  # between the parts of a line of the list; the number comes last


def picked(db, principal: Principal, typed: str) -> dict:
    """The one artisan the caller may see that `typed` names: their number (in any letters' case), a line of the
    list (its number last), or their whole name in English or Hindi, case and spacing aside; a name nobody or more
    than one has is refused (ArtisanNameUnknown, ArtisanNameAmbiguous), never guessed."""
    text = " ".join(typed.split())
    number = text.rsplit(APART, 1)[-1].strip().upper()
    if number and (doc := db.artisans.find_one(within({"_id": number}, visible(principal)), PUBLIC)):
        return shown_to(principal, doc)
    named = called(text)
    found = list(db.artisans.find(within({"$or": [{"name": named}, {"name_hi": named}]}, visible(principal)),
                                  PUBLIC).limit(2))  # two are enough to say the name is not one person's
    if not found:
        raise ArtisanNameUnknown({"artisan": text})
    if len(found) > 1:
        raise ArtisanNameAmbiguous({"artisan": text})
    return shown_to(principal, found[0])


def into_number(db, principal: Principal, body: dict) -> dict:
    """`body` with the artisan a form typed (`artisan`, schemas.typed_artisan) as the `artisan_id` it names."""
    if typed := body.pop("artisan", None):
        body["artisan_id"] = picked(db, principal, typed)["_id"]
    return body


def page_districts(db) -> dict:
    """What a page with the picker carries on Hindi pages (`pick-districts`): each district's Hindi name, by depots."""
    return depot_districts(db).hindi if language() == "hi" else {}
