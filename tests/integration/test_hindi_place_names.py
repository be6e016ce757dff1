"""A depot's district in Hindi on Hindi pages: the data had no Hindi for it, so the Hindi pages said 'Varanasi'. A
depot may carry `district_hi` (API, its events); Hindi pages show it, English pages are as they were, and a depot
without one is said in English on Hindi pages too. Bad input is the contract's 400 and changes nothing. The requests
service's side, and an artisan's craft, are in tests/integration/test_hindi_names_requests.py."""
from __future__ import annotations

import re

import pytest

from services.inventory import create_app as inventory_app
from shared.auth import COOKIE, issue_token
from shared.districts import depot_districts
from shared.i18n import LANG_COOKIE
from tests.integration.test_inventory_api import admin, client, error_of, runtime  # noqa: F401  (fixtures)

API = "/api/v1"
MIRZAPUR = {"code": "MZP", "name": "Mirzapur depot", "name_hi": "मिर्ज़ापुर डिपो", "district": "Mirzapur",
            "district_hi": "मिर्ज़ापुर"}


@pytest.fixture
def public(config, runtime):
    """The inventory service with the public page answered fresh (no cache)."""
    return inventory_app(config.with_(public_cache_seconds=0), runtime).test_client()


def availability(public, lang):
    public.set_cookie(LANG_COOKIE, lang)
    response = public.get("/availability")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_depot_keeps_its_districts_hindi_name_and_its_events_carry_it(client, runtime, admin):
    made = client.post(f"{API}/depots", json=MIRZAPUR, headers=admin)
    assert made.status_code == 201 and made.json["district_hi"] == "मिर्ज़ापुर"
    assert client.get(f"{API}/depots/MZP", headers=admin).json["district_hi"] == "मिर्ज़ापुर"
    [registered] = runtime.db.depots.find_one({"_id": "MZP"})["outbox"]
    assert registered["payload"]["district_hi"] == "मिर्ज़ापुर"
    changed = client.patch(f"{API}/depots/VNS", json={"district_hi": "वाराणसी"}, headers=admin)
    assert (changed.status_code, changed.json["district"], changed.json["district_hi"]) == (200, "VNS", "वाराणसी")
    updated = runtime.db.depots.find_one({"_id": "VNS"})["outbox"][-1]
    assert (updated["type"], updated["payload"]["district_hi"]) == ("DepotUpdated", "वाराणसी")
    cleared = client.patch(f"{API}/depots/VNS", json={"district_hi": None}, headers=admin)
    assert cleared.status_code == 200 and cleared.json["district_hi"] is None


LONG, NO_TEXT, SPACES = "Length must be between 1 and 100.", "Not a valid string.", "must not be only spaces"


@pytest.mark.parametrize("value,said", [("म" * 101, LONG), (123, NO_TEXT), (["वाराणसी"], NO_TEXT), ("   ", SPACES),
                                        ("", LONG)])
def test_a_bad_hindi_district_is_refused_and_changes_nothing(client, runtime, admin, value, said):
    """Refused for what is wrong with it (said in the caller's language), not as a field the API does not know."""
    before = runtime.db.depots.find_one({"_id": "VNS"})
    for lang in ("en", "hi"):
        refused = client.patch(f"{API}/depots/VNS", json={"district_hi": value},
                               headers={**admin, "Accept-Language": lang})
        new = client.post(f"{API}/depots", json={**MIRZAPUR, "district_hi": value},
                          headers={**admin, "Accept-Language": lang})
        for response in (refused, new):
            [message] = error_of(response, 400, "validation_error")["details"]["district_hi"]
            assert message == said if lang == "en" else (message != said and message != "Unknown field.")
    assert runtime.db.depots.find_one({"_id": "VNS"}) == before and runtime.db.depots.find_one({"_id": "MZP"}) is None


def test_the_public_page_says_a_depots_district_in_hindi_on_hindi_pages_only(public, admin):
    assert public.post(f"{API}/depots", json=MIRZAPUR, headers=admin).status_code == 201
    hindi, english = availability(public, "hi"), availability(public, "en")
    assert '<span class="muted small" translate="no">मिर्ज़ापुर</span>' in hindi
    assert '<option value="Mirzapur">मिर्ज़ापुर</option>' in hindi  # the filter still sends the stored name
    assert '<span class="muted small" translate="no">Mirzapur</span>' in english
    assert '<option value="Mirzapur">Mirzapur</option>' in english and "मिर्ज़ापुर<" not in english
    public.set_cookie(LANG_COOKIE, "hi")
    assert 'id="depot-MZP"' in public.get("/availability?district=Mirzapur").get_data(as_text=True)


def depots_shown(public, lang, district):
    public.set_cookie(LANG_COOKIE, lang)
    response = public.get("/availability", query_string={"district": district})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return re.findall(r'<section class="card" data-depot="([^"]+)"', html), html


def test_the_public_page_and_api_filter_by_a_districts_hindi_name_too(public, admin):
    """A district named in Hindi, as its depot names it (a link someone shares, an address typed), shows that
    district's depots, with the chooser on it, as its English name does; a Hindi name no depot gives shows every
    depot, as an unknown English one does."""
    assert public.post(f"{API}/depots", json=MIRZAPUR, headers=admin).status_code == 201
    for lang in ("hi", "en"):
        for district in ("Mirzapur", "मिर्ज़ापुर", " मिर्ज़ापुर  "):
            shown, html = depots_shown(public, lang, district)
            assert shown == ["MZP"], (lang, district)
            assert '<option value="Mirzapur" selected>' in html
        assert depots_shown(public, lang, "वाराणसी")[0] == ["BHD", "MZP", "VNS"]  # VNS gives no Hindi district
    answer = public.get(f"{API}/public/availability", query_string={"district": "मिर्ज़ापुर", "sku": "YRN"})
    assert answer.status_code == 200 and [d["depot"] for d in answer.json] == ["MZP"]
    assert public.get(f"{API}/public/availability", query_string={"district": "वाराणसी"}).json == []


def test_a_depot_without_a_hindi_district_is_said_in_english_on_hindi_pages(public, admin):
    assert public.post(f"{API}/depots", json=MIRZAPUR, headers=admin).status_code == 201
    hindi = availability(public, "hi")  # the test depots VNS and BHD were registered without one
    assert '<span class="muted small" translate="no">मिर्ज़ापुर</span>' in hindi
    assert '<span class="muted small" translate="no">VNS</span>' in hindi
    assert '<option value="BHD">BHD</option>' in hindi


def test_the_catalog_shows_both_names_of_a_depots_district_and_the_form_asks_for_the_hindi_one(config, runtime,
                                                                                               client, admin):
    assert client.post(f"{API}/depots", json=MIRZAPUR, headers=admin).status_code == 201
    for lang, label in (("en", "District in Hindi"), ("hi", "हिन्दी में ज़िला")):
        client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="admin", role="admin"))
        client.set_cookie(LANG_COOKIE, lang)
        html = client.get("/admin/catalog").get_data(as_text=True)
        assert '<span lang="en">Mirzapur</span><br><span lang="hi">मिर्ज़ापुर</span>' in html
        assert f'<label for="district-hi">{label}</label>' in html and 'name="district_hi"' in html


def test_the_public_page_names_a_district_two_depots_spell_apart_in_hindi_as_the_other_pages_do(public, admin,
                                                                                               runtime):
    """Two depots of one district gave it different Hindi names: the chooser took the last depot's (by code), the
    other pages (shared.districts) the first's. A district typed in other letters with no Hindi of its own is the
    same district there too."""
    for code, district, hindi in (("MZB", "Mirzapur", "मिर्जापुर"), ("MZP", "Mirzapur", "मिर्ज़ापुर"),
                                  ("MZR", "mirzapur", None)):
        body = {**MIRZAPUR, "code": code, "name": f"{code} depot", "district": district, "district_hi": hindi}
        assert public.post(f"{API}/depots", json=body, headers=admin).status_code == 201
    as_other_pages = depot_districts(runtime.db).in_hindi("Mirzapur")
    assert as_other_pages == "मिर्जापुर"  # the first depot's by code
    hindi = availability(public, "hi")
    assert f'<option value="Mirzapur">{as_other_pages}</option>' in hindi
    assert f'<option value="mirzapur">{as_other_pages}</option>' in hindi
    assert '<option value="Mirzapur">Mirzapur</option>' in availability(public, "en")
