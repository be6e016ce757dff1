"""Login, the demo data, and the artisan registry with its events for the notifier."""
from __future__ import annotations

import jwt

from services.requests import seed
from shared.auth import COOKIE
from tests.integration.test_requests_support import client, know_materials  # noqa: F401  (fixture)


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
    taken = client.call("POST", "/artisans", client.admin(), {
        "name": "Other", "district": "Bhadohi", "craft": "carpet", "registration_id": "REG-ART-5"},
        status=409).get_json()["error"]
    assert (taken["code"], taken["details"]) == ("already_exists", {"registration_id": "REG-ART-5",
                                                                    "artisan_id": "ART-5"})
    assert taken["message"].startswith("Artisan card or Udyam number REG-ART-5 is already registered, to artisan "
                                       "ART-5. Check the number on the card")
    again = client.call("POST", "/artisans", client.admin(), {  # the same card typed in small letters
        "name": "Other", "district": "Bhadohi", "craft": "carpet", "registration_id": "reg-art-5"},
        status=409).get_json()["error"]
    assert again["details"] == {"registration_id": "REG-ART-5", "artisan_id": "ART-5"}
    client.cooperative("Coop-B")  # another cooperative's secretary is not told whose number it is
    other = client.call("POST", "/artisans", client.secretary("Coop-B"), {
        "name": "Other", "district": "Bhadohi", "craft": "carpet", "registration_id": "REG-ART-5"},
        headers={"Accept-Language": "hi"}, status=409).get_json()["error"]
    assert other["details"] == {"registration_id": "REG-ART-5"}
    assert other["message"].startswith("कारीगर कार्ड या उद्यम नंबर REG-ART-5 पहले से किसी और कारीगर के नाम दर्ज है।")
    updated = client.call("PATCH", "/artisans/ART-5", client.admin(), {"phone": "+919811111111", "looms": 3},
                          status=200).get_json()
    assert (updated["phone"], updated["looms"]) == ("+919811111111", 3)
    outbox = client.db.artisans.find_one({"_id": "ART-5"})["outbox"]
    assert [e["type"] for e in outbox] == ["ArtisanRegistered", "ArtisanUpdated"]
    assert outbox[1]["payload"] == {"artisan_id": "ART-5", "name": "Artisan ART-5", "name_hi": None,
                                    "district": "Varanasi", "language": "en", "phone": "+919811111111", "email": None,
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


def test_a_secretarys_change_of_looms_waits_for_an_admin(client):
    """Looms decide an artisan's quotas: a secretary asks, only an admin sets them (issue 13, finding 6)."""
    client.register("ART-L", looms=2, cooperative="Coop-S")
    know_materials(client.db)
    client.call("POST", "/quotas", client.admin(), {"category": "yarn", "limit": "30", "per_loom": True}, status=200)
    secretary, admin = client.secretary("Coop-S"), client.admin()

    def cap():
        usage = client.call("GET", "/quotas/usage?artisan_id=ART-L", admin, status=200).get_json()
        return next(u["cap"] for u in usage if u["category"] == "yarn")
    asked = client.call("PATCH", "/artisans/ART-L", secretary, {"looms": 1000, "craft": "zari"}, status=200).get_json()
    assert (asked["looms"], asked["craft"], asked["looms_change"]["looms"]) == (2, "zari", 1000)
    assert asked["looms_change"]["requested_by"] == "sec-Coop-S" and cap() == "60"
    client.call("POST", "/artisans/ART-L/looms/approve", secretary, status=403)
    approved = client.call("POST", "/artisans/ART-L/looms/approve", admin, status=200).get_json()
    assert (approved["looms"], approved["looms_change"]) == (1000, None) and cap() == "30000"
    client.call("POST", "/artisans/ART-L/looms/approve", admin, status=409)
    assert client.db.artisans.find_one({"_id": "ART-L"})["outbox"][-1]["type"] == "ArtisanUpdated"

    body = {"name": "New", "district": "Varanasi", "craft": "zari", "registration_id": "REG-NEW", "looms": 40}
    made = client.call("POST", "/artisans", secretary, body, status=201).get_json()
    assert (made["looms"], made["looms_change"]["looms"]) == (0, 40)
    assert [a["artisan_id"] for a in client.call("GET", "/artisans?looms_change=true", admin,
                                                 status=200).get_json()] == [made["artisan_id"]]
    client.http.set_cookie(COOKIE, admin["Authorization"].split()[1])
    page = client.http.get("/admin/approvals").get_data(as_text=True)  # where admins decide
    assert f'data-artisan="{made["artisan_id"]}"' in page and f"/api/v1/artisans/{made['artisan_id']}/looms/reject" in page
    rejected = client.call("POST", f"/artisans/{made['artisan_id']}/looms/reject", admin, status=200).get_json()
    assert (rejected["looms"], rejected["looms_change"]) == (0, None)
    client.call("PATCH", "/artisans/ART-L", secretary, {"looms": 3}, status=200)
    direct = client.call("PATCH", "/artisans/ART-L", admin, {"looms": 4}, status=200).get_json()
    assert (direct["looms"], direct["looms_change"]) == (4, None)  # an admin's own change settles any request
