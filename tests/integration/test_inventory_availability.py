"""Depots say where they are and when they open; anyone sees, without logging in, where material is in stock."""
from __future__ import annotations

import gzip

import pytest

from tests.integration.test_inventory_api import admin, client, error_of, move, runtime  # noqa: F401  (fixtures)
from tests.integration.test_inventory_support import dated

API = "/api/v1"
HOURS = {"days": ["mon", "tue", "wed", "thu", "fri", "sat"], "opens": "10:00", "closes": "17:00"}


def test_a_depot_keeps_its_address_and_opening_hours_in_both_languages(client, admin):
    body = {"code": "MZP", "name": "Mirzapur depot", "district": "Mirzapur", "address": "Sadar Bazar, Mirzapur",
            "address_hi": "सदर बाज़ार, मिर्ज़ापुर", "opening_hours": HOURS}
    made = client.post(f"{API}/depots", json=body, headers=admin)
    assert made.status_code == 201 and made.json["opening_hours"] == HOURS
    changed = client.patch(f"{API}/depots/MZP", json={"opening_hours": {**HOURS, "closes": "16:00"}}, headers=admin)
    assert (changed.json["address_hi"], changed.json["opening_hours"]["closes"]) == ("सदर बाज़ार, मिर्ज़ापुर", "16:00")
    assert client.get(f"{API}/depots/MZP", headers=admin).json["address"] == "Sadar Bazar, Mirzapur"


@pytest.mark.parametrize("hours,field", [({**HOURS, "opens": "25:00"}, "opens"), ({**HOURS, "closes": "09:00"}, "closes"),
                                         ({**HOURS, "days": ["mon", "mon"]}, "days"), ({**HOURS, "days": ["someday"]},
                                                                                     "days")])
def test_impossible_opening_hours_are_refused_in_both_languages(client, admin, hours, field):
    for lang in ("en", "hi"):
        error = error_of(client.patch(f"{API}/depots/VNS", json={"opening_hours": hours},
                                      headers={**admin, "Accept-Language": lang}), 400, "validation_error")
        assert field in error["details"]["opening_hours"]
    assert client.get(f"{API}/depots/VNS", headers=admin).json.get("opening_hours") is None


@pytest.fixture
def public(config, runtime):
    """The inventory API with availability answered fresh (no cache), and its store."""
    from services.inventory import create_app
    return create_app(config.with_(public_cache_seconds=0), runtime).test_client()


def statuses(client, **query):
    response = client.get(f"{API}/public/availability", query_string=query)
    assert response.status_code == 200, response.json
    return {(d["depot"], m["sku"]): m["status"] for d in response.json for m in d["materials"]}


def test_anyone_sees_in_stock_low_or_out_per_depot_and_material_never_how_much(public, admin):
    assert set(statuses(public).values()) == {"out"}  # nothing received anywhere yet
    assert move(public, admin, type="receipt", sku="YRN", depot="VNS", quantity="50").status_code == 201
    assert move(public, admin, type="receipt", sku="YRN", depot="BHD", quantity="2").status_code == 201
    found = statuses(public)
    assert (found["VNS", "YRN"], found["BHD", "YRN"], found["VNS", "DYE"]) == ("in_stock", "low", "out")
    body = public.get(f"{API}/public/availability").get_data(as_text=True)
    assert '"50' not in body and '"2"' not in body and "on_hand" not in body and "available" not in body
    [depot] = public.get(f"{API}/public/availability?district=vns&sku=YRN").json
    assert (depot["depot"], [m["status"] for m in depot["materials"]]) == ("VNS", ["in_stock"])


def test_a_lot_on_hold_or_expired_is_not_in_stock_for_the_public_as_it_is_not_available(public, admin,
                                                                                         monkeypatch):
    """Artisans travel on what the page says: stock nobody may hand over (a lot held for inspection, or past its
    expiry date even before anything marks it) counts as the API's `available` does, not as on hand."""
    from datetime import timedelta

    from services.inventory import clock
    assert move(public, admin, type="receipt", sku="YRN", depot="VNS", quantity="50", lot="Y1").status_code == 201
    assert move(public, admin, type="receipt", sku="DYE", depot="VNS", quantity="20",
                lot={"code": "D1", "expires_on": (clock.today() + timedelta(days=3)).isoformat()}).status_code == 201
    assert move(public, admin, type="receipt", sku="DYE", depot="BHD", quantity="20", lot=dated()).status_code == 201
    assert public.post(f"{API}/stock/VNS/YRN/lots/hold", json={"lot": "Y1"}, headers=admin).status_code == 200
    later = clock.today() + timedelta(days=3)
    monkeypatch.setattr(clock, "today", lambda: later)  # D1 expired today; no write has marked it yet
    assert public.get(f"{API}/stock/VNS/DYE", headers=admin).json["available"] == "0"
    assert public.get(f"{API}/stock/VNS/YRN", headers=admin).json["available"] == "0"
    found = statuses(public)
    assert (found["VNS", "YRN"], found["VNS", "DYE"], found["BHD", "DYE"]) == ("out", "out", "in_stock")


def test_the_answer_is_cached_and_a_browser_may_keep_it(config, runtime, admin):
    from services.inventory import create_app
    cached = create_app(config.with_(public_cache_seconds=3600), runtime).test_client()
    first = cached.get(f"{API}/public/availability")
    assert first.headers["Cache-Control"] == "public, max-age=3600" and first.headers["ETag"]
    assert move(cached, admin, type="receipt", sku="BRS", depot="VNS", quantity="50").status_code == 201
    assert statuses(cached)["VNS", "BRS"] == "out"  # the cached answer, until it is renewed
    assert cached.get(f"{API}/public/availability", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    packed = cached.get(f"{API}/public/availability", headers={"Accept-Encoding": "gzip, deflate"})
    assert packed.headers["Content-Encoding"] == "gzip" and gzip.decompress(packed.data) == first.data


def test_bad_filters_are_refused_in_both_languages(public):
    for lang in ("en", "hi"):
        error = error_of(public.get(f"{API}/public/availability?sku=a%20b", headers={"Accept-Language": lang}), 400,
                         "validation_error")
        assert "sku" in error["details"]


def test_the_public_page_shows_each_depot_its_address_and_hours_in_hindi(public, admin):
    public.patch(f"{API}/depots/VNS", json={"address": "Chowkaghat", "address_hi": "चौकाघाट", "opening_hours": HOURS},
                 headers=admin)
    move(public, admin, type="receipt", sku="BRS", depot="VNS", quantity="50")
    page = public.get("/availability", headers={"Accept-Language": "hi"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-depot="VNS"' in html and "चौकाघाट" in html
    assert "सोम–शनि, 10:00–17:00" in html and "उपलब्ध है" in html
    assert "<script>" not in html.replace('<script id="rb-texts" type="application/json">', "")
