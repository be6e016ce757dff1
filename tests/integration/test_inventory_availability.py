"""Depots say where they are and when they open; anyone sees, without logging in, where material is in stock."""
from __future__ import annotations

import pytest

from tests.integration.test_inventory_api import admin, client, error_of, move, runtime  # noqa: F401  (fixtures)

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
