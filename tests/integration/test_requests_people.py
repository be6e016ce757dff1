"""Login, the demo data, and the artisan registry with its events for the notifier."""
from __future__ import annotations

import re
from html import unescape

import jwt
import pytest

from services.requests import seed, users
from shared.auth import COOKIE
from tests.integration.test_requests_returns import page
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
                                    "gender": None, "bpl": None, "phone_asked": None}


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
    looms = client.db.artisans.find_one({"_id": "ART-L"})["looms"]  # an admin's form saving the figure there is
    kept = client.call("PATCH", "/artisans/ART-L", admin, {"looms": looms, "craft": "zari"}, status=200).get_json()
    assert kept["looms_change"]["looms"] == 3  # is no answer to what was asked: it still waits for the admin
    direct = client.call("PATCH", "/artisans/ART-L", admin, {"looms": 4}, status=200).get_json()
    assert (direct["looms"], direct["looms_change"]) == (4, None)  # an admin's own change settles any request


def test_a_secretarys_change_of_phone_waits_for_an_admin(client):
    """A member's codes to confirm their share go to their phone: a secretary who set it to their own could confirm
    for the member. Their number waits for an admin, as looms do; the record and its events keep the phone there is."""
    client.register("ART-P", cooperative="Coop-S")  # +919800000001
    secretary, admin = client.secretary("Coop-S"), client.admin()

    def stored():
        return client.db.artisans.find_one({"_id": "ART-P"})
    asked = client.call("PATCH", "/artisans/ART-P", secretary, {"phone": "+919899999999", "craft": "zari"},
                        status=200).get_json()
    assert (asked["phone"], asked["craft"]) == ("+919800000001", "zari")
    assert asked["phone_change"]["phone"] == "+919899999999"
    assert asked["phone_change"]["requested_by"] == "sec-Coop-S" and asked["phone_change"]["requested_at"]
    assert (stored()["phone_key"], stored()["outbox"][-1]["payload"]["phone"]) == ("9800000001", "+919800000001")
    told = stored()["outbox"][-1]["payload"]["phone_asked"]  # so the member hears of it at the phone they have
    assert told == {"ending": "9999", "at": asked["phone_change"]["requested_at"]}
    again = client.call("PATCH", "/artisans/ART-P", secretary, {"phone": "+91 98000 00001", "craft": "jamdani"},
                        status=200).get_json()  # the phone there is, as the form sends it back: nothing asked
    assert (again["phone"], again["phone_change"]) == ("+919800000001", asked["phone_change"])
    other_way = client.call("PATCH", "/artisans/ART-P", secretary, {"phone": "098000 00001"}, status=200).get_json()
    assert other_way["phone_change"] == asked["phone_change"]  # the same phone written another way asks nothing
    assert [a["artisan_id"] for a in client.call("GET", "/artisans?phone_change=true", admin,
                                                 status=200).get_json()] == ["ART-P"]
    for role in (secretary, client.token("warehouse", depot="VNS"), client.artisan("ART-P")):
        client.call("POST", "/artisans/ART-P/phone/approve", role, status=403)
    assert stored()["phone"] == "+919800000001" and stored()["phone_change"]

    client.http.set_cookie(COOKIE, admin["Authorization"].split()[1])
    page = client.http.get("/admin/approvals").get_data(as_text=True)  # where admins decide
    assert 'data-phone-change="ART-P"' in page and "+919899999999" in page
    assert "/api/v1/artisans/ART-P/phone/reject" in page
    rejected = client.call("POST", "/artisans/ART-P/phone/reject", admin, status=200).get_json()
    assert (rejected["phone"], rejected["phone_change"], stored()["phone_key"]) == ("+919800000001", None, "9800000001")
    assert stored()["outbox"][-1]["payload"]["phone_asked"] is None
    client.call("PATCH", "/artisans/ART-P", secretary, {"phone": "+919811111111"}, status=200)
    approved = client.call("POST", "/artisans/ART-P/phone/approve", admin, status=200).get_json()
    assert (approved["phone"], approved["phone_change"], stored()["phone_key"]) == ("+919811111111", None, "9811111111")
    assert (stored()["outbox"][-1]["type"], stored()["outbox"][-1]["payload"]["phone"]) == \
        ("ArtisanUpdated", "+919811111111")  # the notifier sends to the new phone from now on
    client.call("PATCH", "/artisans/ART-P", secretary, {"phone": None}, status=200)  # taking it away waits too
    assert (stored()["phone"], stored()["phone_change"]["phone"]) == ("+919811111111", None)
    kept = client.call("PATCH", "/artisans/ART-P", admin, {"phone": "+919811111111", "craft": "zari"},
                       status=200).get_json()  # the admin's form sends back the phone there is: nothing settled
    assert (kept["phone"], kept["phone_change"]["phone"]) == ("+919811111111", None)
    direct = client.call("PATCH", "/artisans/ART-P", admin, {"phone": "+919822222222"}, status=200).get_json()
    assert (direct["phone"], direct["phone_change"]) == ("+919822222222", None)  # an admin's own number settles it


def test_nothing_to_decide_about_a_phone_is_refused_in_both_languages_and_changes_nothing(client):
    client.register("ART-P", cooperative="Coop-S")
    before = client.db.artisans.find_one({"_id": "ART-P"})
    messages = set()
    for lang in ("en", "hi"):
        for decision in ("approve", "reject"):
            error = client.call("POST", f"/artisans/ART-P/phone/{decision}",
                                {**client.admin(), "Accept-Language": lang}, status=409).get_json()["error"]
            assert (error["code"], error["details"]) == ("no_phone_change", {"artisan_id": "ART-P"})
            messages.add(error["message"])
    assert messages == {"No change of phone is waiting for approval for this artisan; it may have been approved or "
                        "rejected already. Reload the page to see the artisan as they are now.",
                        "इस कारीगर के फ़ोन का कोई बदलाव स्वीकृति की प्रतीक्षा में नहीं है; हो सकता है वह पहले ही "
                        "स्वीकार या अस्वीकार हो चुका हो। कारीगर का अभी का ब्योरा देखने के लिए पेज फिर से खोलें।"}
    client.call("POST", "/artisans/ART-NONE/phone/approve", client.admin(), status=404)
    for lang in ("en", "hi"):
        error = client.call("PATCH", "/artisans/ART-P", {**client.secretary("Coop-S"), "Accept-Language": lang},
                            {"phone": "98-00"}, status=400).get_json()["error"]
        assert error["code"] == "validation_error" and "phone" in error["details"]
        messages.add(str(error["details"]["phone"]))
    assert client.db.artisans.find_one({"_id": "ART-P"}) == before
    # said under the field as "Phone: …" (rawbank.js): not "Phone: a phone number: …", "फ़ोन: फ़ोन नंबर: …"
    assert {"['10 to 16 digits; + and spaces allowed']", "['10 से 16 अंक; + और खाली जगह चल सकती है']"} <= messages


def test_a_member_a_secretary_registers_gets_the_phone_typed_and_admins_see_who_registered_them(client):
    """Registering is no change of a phone someone confirms with: the secretary's number is kept as typed, and
    admins see whose registration it was (on the member's page too); secretaries and members do not."""
    client.cooperative("Coop-S")
    secretary, admin = client.secretary("Coop-S"), client.admin()
    body = {"name": "New", "district": "Varanasi", "craft": "zari", "registration_id": "REG-NEW",
            "phone": "+919833333333"}
    made = client.call("POST", "/artisans", secretary, body, status=201).get_json()
    assert (made["phone"], made.get("phone_change"), "created_by" in made) == ("+919833333333", None, False)
    artisan_id = made["artisan_id"]
    assert client.call("GET", f"/artisans/{artisan_id}", admin, status=200).get_json()["created_by"] == "sec-Coop-S"
    for other in (secretary, client.artisan(artisan_id)):
        assert "created_by" not in client.call("GET", f"/artisans/{artisan_id}", other, status=200).get_json()
    client.http.set_cookie(COOKIE, admin["Authorization"].split()[1])
    page = client.http.get(f"/admin/artisans/{artisan_id}").get_data(as_text=True)
    assert 'id="registered-by"' in page and "sec-Coop-S" in page
    client.http.set_cookie(COOKIE, secretary["Authorization"].split()[1])
    assert 'id="registered-by"' not in client.http.get(f"/admin/artisans/{artisan_id}").get_data(as_text=True)


def test_a_phone_typed_in_devanagari_digits_with_hyphens_or_pasted_from_contacts_is_kept_as_sms_are_sent(client):
    """A Hindi keyboard types ९८००० ०००२१; people write 98000-00021; a number copied from a phone's contacts carries
    invisible direction marks. Each is the phone it says, kept as an SMS is sent to it (+91 and ten digits: before,
    it was kept as typed, '98000 00021' beside '+919800000001'), found by its digits."""
    admin = client.admin()
    made = client.call("POST", "/artisans", admin, {
        "name": "Devi", "district": "Varanasi", "craft": "silk", "registration_id": "REG-DEV",
        "phone": "९८०००-०००२१"}, status=201).get_json()
    assert made["phone"] == "+919800000021"
    stored = client.db.artisans.find_one({"_id": made["artisan_id"]})
    assert (stored["phone"], stored["phone_key"]) == ("+919800000021", "9800000021")
    pasted = client.call("PATCH", f"/artisans/{made['artisan_id']}", admin,
                         {"phone": "\u202a+91 98000-00022\u202c"}, status=200).get_json()
    assert pasted["phone"] == "+919800000022"
    assert client.call("PATCH", f"/artisans/{made['artisan_id']}", admin, {"phone": "098000 00023"},
                       status=200).get_json()["phone"] == "+919800000023"
    assert client.db.artisans.find_one({"_id": made["artisan_id"]})["outbox"][-1]["payload"]["phone"] == \
        "+919800000023"  # the notifier is told the number as it sends to it
    found = client.call("GET", "/artisans?q=०००२३", admin, status=200).get_json()
    assert [a["artisan_id"] for a in found] == [made["artisan_id"]]
    before = client.db.artisans.find_one({"_id": made["artisan_id"]})
    error = client.call("PATCH", f"/artisans/{made['artisan_id']}", admin, {"phone": "९८०००-abc"},
                        status=400).get_json()["error"]
    assert error["code"] == "validation_error" and "phone" in error["details"]
    assert client.db.artisans.find_one({"_id": made["artisan_id"]}) == before


def test_a_phone_another_artisan_has_is_warned_of_in_both_languages_and_kept(client):
    """Before, a member was registered with a phone another artisan had and nobody was told: both got identical SMS
    naming neither. It is kept (a family shares a phone) and the answer warns, naming the artisans the caller may
    see and counting the others; the artisan's page says it too, in English and Hindi."""
    client.register("ART-S1", cooperative="Coop-S")  # +919800000001
    client.register("ART-X1", cooperative="Coop-X")  # +919800000001 too: another cooperative's
    secretary, admin = client.secretary("Coop-S"), client.admin()
    body = {"name": "Sister", "district": "Varanasi", "craft": "zari", "registration_id": "REG-SIS",
            "phone": "98000 00001"}
    made = client.call("POST", "/artisans", secretary, body, status=201).get_json()
    assert made["phone"] == "+919800000001"
    assert client.db.artisans.find_one({"_id": made["artisan_id"]})["phone"] == "+919800000001"
    shared = made["phone_shared"]
    assert (shared["count"], shared["artisans"]) == (2, ["ART-S1"])  # another cooperative's member is not named
    assert "Other artisans are registered with this phone too: ART-S1, 1 you cannot see." in shared["message"]
    in_hindi = client.call("PATCH", f"/artisans/{made['artisan_id']}", {**admin, "Accept-Language": "hi"},
                           {"phone": "+91 98000 00001"}, status=200).get_json()["phone_shared"]
    assert (in_hindi["count"], in_hindi["artisans"]) == (2, ["ART-S1", "ART-X1"])
    assert "इस फ़ोन पर और कारीगर भी दर्ज हैं: ART-S1, ART-X1" in in_hindi["message"], in_hindi
    alone = client.call("PATCH", f"/artisans/{made['artisan_id']}", admin, {"phone": "+919800000077"},
                        status=200).get_json()
    assert alone["phone_shared"] is None
    assert client.call("PATCH", f"/artisans/{made['artisan_id']}", admin, {"craft": "silk"},
                       status=200).get_json().get("phone_shared") is None  # no phone sent: nothing to warn of

    client.http.set_cookie(COOKIE, admin["Authorization"].split()[1])
    assert 'id="phone-shared"' not in client.http.get(f"/admin/artisans/{made['artisan_id']}").get_data(as_text=True)
    for lang, words in (("en", "Other artisans are registered with this phone too: ART-X1."),
                        ("hi", "इस फ़ोन पर और कारीगर भी दर्ज हैं: ART-X1।")):
        page = client.http.get("/admin/artisans/ART-S1", headers={"Accept-Language": lang}).get_data(as_text=True)
        assert 'id="phone-shared"' in page and words in page, page


def test_an_artisan_saved_unchanged_keeps_their_version_and_emits_no_event(client):
    """The artisan form sends every field back: a save with nothing changed (by an admin, or by the secretary of
    their cooperative) wrote a new version and an ArtisanUpdated each time, which the notifier and inventory apply
    to nothing. Now it is answered with the artisan as they are; a real change still makes one event."""
    client.register("ART-U", cooperative="Coop-U")

    def stored():
        doc = client.db.artisans.find_one({"_id": "ART-U"})
        return doc["version"], [e["type"] for e in doc["outbox"]]
    first = stored()
    assert first == (1, ["ArtisanRegistered"])
    form = {"name": "Artisan ART-U", "district": "Varanasi", "craft": "weaving", "phone": "098000 00001",
            "language": "hi", "looms": 1, "active": True}
    for who in (client.admin(), client.secretary("Coop-U")):
        for same in (form, {"looms": 1}, {"phone": "+919800000001"}):
            shown = client.call("PATCH", "/artisans/ART-U", who, same, status=200).get_json()
            assert (shown["name"], shown["looms"], shown.get("looms_change")) == ("Artisan ART-U", 1, None)
            assert stored() == first, same
    changed = client.call("PATCH", "/artisans/ART-U", client.admin(), {**form, "craft": "zari"},
                          status=200).get_json()
    assert changed["craft"] == "zari" and stored() == (2, ["ArtisanRegistered", "ArtisanUpdated"])


@pytest.mark.parametrize("lang, secretary, admin", [("en", "the cooperative's secretary", "an admin"),
                                                    ("hi", "समिति के सचिव", "एडमिन")])
def test_who_asked_a_change_and_who_registered_are_said_in_words(client, lang, secretary, admin):
    """The approvals cards, the artisan's and the cooperative's pages named who asked a change of looms or phone and
    who registered them by the bare login, which a secretary read too. Now in words: the admin reads the role (or
    display name) with the login after it, the secretary the words alone."""
    client.register("ART-L", looms=2, cooperative="Coop-S")
    users.add_user(client.db, username="sec-Coop-S", password="pw-secretary-1", role="secretary",
                   cooperative="Coop-S")
    users.add_user(client.db, username="asha-admin", password="pw-admin-1", role="admin")
    client.db.artisans.update_one({"_id": "ART-L"}, {"$set": {"created_by": "asha-admin"}})
    client.db.cooperatives.update_one({"_id": "Coop-S"}, {"$set": {"created_by": "asha-admin"}})
    asking = client.secretary("Coop-S")
    client.call("PATCH", "/artisans/ART-L", asking, {"looms": 3, "phone": "+919877777777"}, status=200)
    read = {path: unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page(client, path, who, lang))))
            for path, who in (("/admin/approvals", client.admin()), ("/admin/cooperatives/Coop-S", client.admin()),
                              ("/admin/artisans/ART-L", client.admin()))}
    mine = page(client, "/admin/artisans/ART-L", asking, lang).split('id="main"', 1)[1]  # not the menu's own login
    mine = unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", mine)))
    assert read["/admin/approvals"].count(f"{secretary} (sec-Coop-S)") == 2, read["/admin/approvals"]
    assert f"{admin} (asha-admin)" in read["/admin/cooperatives/Coop-S"]
    assert f"{admin} (asha-admin)" in read["/admin/artisans/ART-L"]
    assert read["/admin/artisans/ART-L"].count(f"{secretary} (sec-Coop-S)") == 2
    assert mine.count(secretary) == 2 and "sec-Coop-S" not in mine, mine  # who asked the looms and the phone
