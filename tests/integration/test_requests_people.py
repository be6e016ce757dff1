"""Login, the demo data, and the artisan registry with its events for the notifier."""
from __future__ import annotations

import jwt

from services.requests import seed
from tests.integration.test_requests_support import client  # noqa: F401  (fixture)


def login(client, username, password, status=200):
    return client.http.post("/api/v1/auth/login", json={"username": username, "password": password})


def test_demo_users_log_in_and_the_demo_artisan_can_request(client, config):
    seed.seed(client.db, config)
    seed.seed(client.db, config)  # twice changes nothing
    claims = {}
    demo = (("admin", "admin123"), ("warehouse", "warehouse123"), ("artisan", "artisan123"),
            ("secretary", "secretary123"))
    for username, password in demo:
        response = login(client, username, password)
        assert response.status_code == 200, response.get_json()
        claims[username] = jwt.decode(response.get_json()["access_token"], config.jwt_secret,
                                      algorithms=["HS256"])
    assert claims["artisan"]["artisan_id"] == "ART-0001" and claims["warehouse"]["depot"] == "VNS"
    assert claims["secretary"]["cooperative"] == seed.DEMO_ARTISAN["cooperative"]
    assert login(client, "admin", "admin124").status_code == 401
    token = {"Authorization": f"Bearer {login(client, 'artisan', 'artisan123').get_json()['access_token']}"}
    made = client.submit(token, [("YRN-COT-40", 60)])  # 30 kg per loom, two looms
    assert made["artisan_id"] == "ART-0001"
    client.submit(token, [("YRN-COT-40", "0.001")], status=422)
    assert client.db.artisans.count_documents({}) == 3  # the demo cooperative's three members, seeded once
    assert client.db.cooperatives.count_documents({}) == 1


def test_registering_and_updating_an_artisan_emit_events_in_their_language(client):
    made = client.register("ART-5", language="en")
    assert made["artisan_id"] == "ART-5" and made["language"] == "en"
    client.call("POST", "/artisans", client.admin(), {
        "name": "Other", "district": "Bhadohi", "craft": "carpet", "registration_id": "REG-ART-5"},
        status=409)
    updated = client.call("PATCH", "/artisans/ART-5", client.admin(), {"phone": "+919811111111", "looms": 3},
                          status=200).get_json()
    assert (updated["phone"], updated["looms"]) == ("+919811111111", 3)
    outbox = client.db.artisans.find_one({"_id": "ART-5"})["outbox"]
    assert [e["type"] for e in outbox] == ["ArtisanRegistered", "ArtisanUpdated"]
    assert outbox[1]["payload"] == {"artisan_id": "ART-5", "name": "Artisan ART-5", "district": "Varanasi",
                                    "language": "en", "phone": "+919811111111", "email": None,
                                    "cooperative": "Coop-A", "active": True, "looms": 3, "social_category": None,
                                    "gender": None, "bpl": None}


def test_ids_are_given_in_turn_and_secretaries_register_into_their_cooperative(client):
    secretary = client.secretary(client.cooperative("Coop-S"))
    client.cooperative("Some-Other-Coop")
    body = {"name": "Sita", "district": "Varanasi", "craft": "zari", "registration_id": "UDYAM-UP-01-0000001",
            "cooperative": "Some-Other-Coop"}
    made = client.call("POST", "/artisans", secretary, body, status=201).get_json()
    assert made["artisan_id"] == "ART-0001" and made["cooperative"] == "Coop-S" and made["language"] == "hi"
    second = client.call("POST", "/artisans", client.admin(), {**body, "registration_id": "R2"}, status=201)
    assert second.get_json()["artisan_id"] == "ART-0002"
    client.call("PATCH", f"/artisans/{made['artisan_id']}", secretary, {"cooperative": "Elsewhere"},
                status=200)
    assert client.db.artisans.find_one({"_id": made["artisan_id"]})["cooperative"] == "Coop-S"
    client.call("POST", "/artisans", client.admin(), {**body, "registration_id": "R3", "status": "x"},
                status=400)
