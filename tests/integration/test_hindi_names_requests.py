"""The district of a depot, and an artisan's craft, in Hindi on the requests service's Hindi pages: the data had no
Hindi for them, so the Hindi pages said 'Varanasi' and 'weaving'. An artisan may carry `craft_hi`, and the service's
copy of a depot keeps the `district_hi` its events carry; Hindi pages show them, English pages are as they were, and
one not given is said in English on Hindi pages too. Bad input is the contract's 400 and changes nothing."""
from __future__ import annotations

import pytest

from services.requests import consumer
from shared.auth import COOKIE
from shared.envelope import new_event
from shared.i18n import LANG_COOKIE
from tests.integration.test_requests_coop_estimate import page_of
from tests.integration.test_requests_coop_support import coop  # noqa: F401  (fixture)
from tests.integration.test_requests_support import client  # noqa: F401  (fixture)


def test_the_requests_service_keeps_the_hindi_district_and_the_secretarys_depot_list_says_it(coop, client):
    consumer.remember_depot(client.db, new_event("DepotUpdated", "BHD", {
        "code": "BHD", "name": "Bhadohi depot", "name_hi": "भदोही डिपो", "district": "Bhadohi",
        "district_hi": "भदोही", "zone": "plain"}, source="inventory"))
    assert client.db.depots.find_one({"_id": "BHD"})["district_hi"] == "भदोही"
    hindi = page_of(coop, "hi").get("/coop/new").get_data(as_text=True)
    english = page_of(coop, "en").get("/coop/new").get_data(as_text=True)
    assert "भदोही डिपो (भदोही)" in hindi and "(Varanasi)" in hindi  # VNS has no Hindi district: English
    assert "Bhadohi depot (Bhadohi)" in english and "(भदोही)" not in english


def passbook(client, artisan_id, lang):
    browser = client.app.test_client()
    browser.set_cookie(COOKIE, client.artisan(artisan_id)["Authorization"].split()[1])
    browser.set_cookie(LANG_COOKIE, lang)
    response = browser.get("/my/passbook")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_an_artisans_craft_is_said_in_hindi_on_hindi_pages_and_in_english_without_one(client):
    client.register("ART-1")
    client.register("ART-2")
    changed = client.call("PATCH", "/artisans/ART-1", client.admin(),
                                   {"craft_hi": "बुनाई"}, status=200).get_json()
    assert (changed["craft"], changed["craft_hi"]) == ("weaving", "बुनाई")
    assert '<bdi translate="no">बुनाई</bdi>' in passbook(client, "ART-1", "hi")
    english = passbook(client, "ART-1", "en")
    assert '<bdi translate="no">weaving</bdi>' in english and "बुनाई" not in english
    assert '<bdi translate="no">weaving</bdi>' in passbook(client, "ART-2", "hi")  # none given: English
    body = {"artisan_id": "ART-3", "name": "Artisan 3", "district": "Varanasi", "craft": "weaving",
            "craft_hi": "बुनाई", "registration_id": "REG-ART-3", "cooperative": None}
    made = client.call("POST", "/artisans", client.admin(), body, status=201).get_json()
    assert made["craft_hi"] == "बुनाई"


@pytest.mark.parametrize("value,said", [("ब" * 101, "Length must be between 1 and 100."),
                                        (7, "Not a valid string."), ({"hi": "बुनाई"}, "Not a valid string."),
                                        ("  ", "must not be only spaces")])
def test_a_bad_hindi_craft_is_refused_and_changes_nothing(client, value, said):
    """Refused for what is wrong with it (said in the caller's language), not as a field the API does not know."""
    client.register("ART-1")
    before = client.db.artisans.find_one({"_id": "ART-1"})
    body = {"artisan_id": "ART-3", "name": "Artisan 3", "district": "Varanasi", "craft": "weaving",
            "craft_hi": value, "registration_id": "REG-ART-3", "cooperative": None}
    for lang in ("en", "hi"):
        as_ = {**client.admin(), "Accept-Language": lang}
        for response in (client.call("PATCH", "/artisans/ART-1", as_, {"craft_hi": value}, status=400),
                         client.call("POST", "/artisans", as_, body, status=400)):
            error = response.get_json()["error"]
            [message] = error["details"]["craft_hi"]
            assert error["code"] == "validation_error" and error["message"]
            assert message == said if lang == "en" else (message != said and message != "Unknown field.")
    assert client.db.artisans.find_one({"_id": "ART-1"}) == before
    assert client.db.artisans.find_one({"_id": "ART-3"}) is None
