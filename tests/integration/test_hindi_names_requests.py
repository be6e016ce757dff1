"""The district of a depot in Hindi on the requests service's Hindi pages: the data had no Hindi for it, so the Hindi
pages said 'Varanasi'. The service's copy of a depot keeps the `district_hi` its events carry; Hindi pages show it,
English pages are as they were, and one not given is said in English on Hindi pages too."""
from __future__ import annotations

from services.requests import consumer
from shared.envelope import new_event
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
