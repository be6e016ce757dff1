"""The Users page's API, while rawbank runs (before, only `rawbank user add|password` with rawbank stopped):
an admin lists, adds, gives a new password to, deactivates and reactivates logins; anyone changes their own
password. Each refusal is said in English and Hindi and changes nothing."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from services.requests import login_throttle, users
from shared.auth import COOKIE, csrf_token
from shared.i18n import LANG_COOKIE
from tests.integration.test_requests_support import client  # noqa: F401  (fixture)

HI = {"Accept-Language": "hi"}
PASSWORD = "a long passphrase"


def log_in(client, username, password, address="10.9.0.1"):
    return client.http.post("/api/v1/auth/login", json={"username": username, "password": password},
                            environ_base={"REMOTE_ADDR": address})


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def admin(client):
    """A real admin login (the one acting) and a warehouse clerk's, both logged in."""
    users.add_user(client.db, username="asha", password=PASSWORD, role="admin")
    users.add_user(client.db, username="ravi", password="ravi's passphrase", role="warehouse", depot="VNS")
    return bearer(log_in(client, "asha", PASSWORD).get_json()["access_token"])


def stored(client, username):
    return client.db.users.find_one({"_id": username})


def test_an_admin_lists_logins_a_page_at_a_time_never_a_hash(client, admin):
    for n in range(3):
        users.add_user(client.db, username=f"clerk-{n}", password=PASSWORD, role="warehouse", depot="BHD")
    listed = client.call("GET", "/users?limit=2&page=2", admin, status=200)
    assert [u["username"] for u in listed.get_json()] == ["clerk-1", "clerk-2"]
    assert listed.headers["X-Total-Count"] == "5"
    assert "hash" not in listed.get_data(as_text=True) and "$argon2" not in listed.get_data(as_text=True)
    ravi = client.call("GET", "/users?q=RAV", admin, status=200).get_json()
    assert ravi == [{"username": "ravi", "role": "warehouse", "depot": "VNS", "cooperative": None, "artisan_id": None,
                     "active": True, "locked_out": False, "language": None,
                     "name": None, "name_hi": None}]
    assert [u["username"] for u in client.call("GET", "/users?q=bhd&role=warehouse", admin).get_json()] == [
        "clerk-0", "clerk-1", "clerk-2"]
    for role, claims in (("warehouse", {"depot": "VNS"}), ("artisan", {"artisan_id": "ART-1"}),
                         ("secretary", {"cooperative": "Coop-A"})):
        refused = client.call("GET", "/users", client.token(role, **claims), headers=HI, status=403).get_json()
        assert refused["error"]["code"] == "forbidden" and "भूमिका" in refused["error"]["message"]


def test_an_admin_adds_a_login_that_logs_in(client, admin):
    made = client.call("POST", "/users", admin, {"username": "meena", "password": "meena's passphrase",
                                                 "role": "warehouse", "depot": "VNS"}, status=201).get_json()
    assert made == {"username": "meena", "role": "warehouse", "depot": "VNS", "cooperative": None,
                    "artisan_id": None, "active": True, "locked_out": False, "language": None,
                    "name": None, "name_hi": None}
    assert log_in(client, "meena", "meena's passphrase").status_code == 200
    assert "meena's passphrase" not in str(stored(client, "meena"))


def refused_by_field(client, admin, body, field, english, hindi):
    """Adding the login `body` is a 400 validation_error under `field`, in English and Hindi, storing nothing."""
    before = list(client.db.users.find())
    refused = client.call("POST", "/users", admin, body, status=400).get_json()["error"]
    assert refused["code"] == "validation_error" and english in refused["details"][field][0], refused
    in_hindi = client.call("POST", "/users", admin, body, headers=HI, status=400).get_json()["error"]
    assert hindi in in_hindi["details"][field][0], in_hindi
    assert list(client.db.users.find()) == before


@pytest.mark.parametrize("body,field,english,hindi", [
    ({"password": "short"}, "password", "at least 8 characters", "कम से कम 8 अक्षरों"),
    ({"depot": "NOPE"}, "depot", "no depot NOPE is known", "कोई डिपो NOPE"),
    ({"role": "artisan"}, "artisan_id", "needs their artisan number", "कारीगर संख्या"),
    ({"role": "artisan", "artisan_id": "ART-404"}, "artisan_id", "register them first on the Artisans page",
     "“कारीगर” पेज पर"),  # the Users page said only "(POST /api/v1/artisans)" to the admin typing there
    ({"role": "secretary", "cooperative": "NOPE"}, "cooperative", "no cooperative NOPE", "NOPE"),
    ({"role": "secretary"}, "cooperative", "needs their cooperative", "समिति"),
    ({"username": "bell\x07"}, "username", "without control characters", "नियंत्रण"),
    ({"role": "root"}, "role", "Must be one of", "इनमें से एक"),
])
def test_a_login_that_could_not_log_in_or_work_is_refused_by_field(client, admin, body, field, english, hindi):
    body = {"username": "meena", "password": "meena's passphrase", "role": "warehouse", **body}
    refused_by_field(client, admin, body, field, english, hindi)


@pytest.mark.parametrize("body,field,english,hindi", [
    ({"role": "secretary", "cooperative": "KBSS", "artisan_id": "ART-0004"}, "artisan_id",
     "only an artisan's login has an artisan number", "केवल कारीगर के लॉग इन में"),
    ({"role": "secretary", "cooperative": "KBSS", "artisan_id": "ART-0001"}, "artisan_id",
     "only an artisan's login has an artisan number", "केवल कारीगर के लॉग इन में"),  # another cooperative's member
    ({"role": "warehouse", "depot": "VNS", "cooperative": "KBSS", "artisan_id": "ART-0001"}, "artisan_id",
     "only an artisan's login has an artisan number", "केवल कारीगर के लॉग इन में"),
    ({"role": "warehouse", "cooperative": "KBSS"}, "cooperative", "only a secretary's login has a cooperative",
     "केवल सचिव के लॉग इन में"),
    ({"role": "artisan", "artisan_id": "ART-0001", "cooperative": "KBSS"}, "cooperative",
     "only a secretary's login has a cooperative", "केवल सचिव के लॉग इन में"),
    ({"role": "artisan", "artisan_id": "ART-0001", "depot": "VNS"}, "depot", "only warehouse staff work at a depot",
     "केवल गोदाम कर्मचारी"),
    ({"role": "admin", "depot": "VNS"}, "depot", "only warehouse staff work at a depot", "केवल गोदाम कर्मचारी"),
    ({"role": "admin", "artisan_id": "ART-404"}, "artisan_id", "only an artisan's login has an artisan number",
     "केवल कारीगर के लॉग इन में"),  # said as another role's field, not as an artisan nobody registered
])
def test_a_field_of_another_role_is_refused_and_stored_nowhere(client, admin, body, field, english, hindi):
    """Before, a secretary's login was added with an artisan number (even another cooperative's member's) and a
    clerk's with a cooperative, and each login's token carried them: each such field is now refused under it."""
    if client.db.cooperatives.find_one({"_id": "KBSS"}) is None:  # the client's store lasts the module
        client.db.depots.update_one({"_id": "VNS"}, {"$setOnInsert": {"name": "Varanasi"}}, upsert=True)
        client.cooperative("KBSS")
        client.register("ART-0001", cooperative="Coop-A")
        client.register("ART-0004", cooperative="KBSS")
    body = {"username": "meena", "password": "meena's passphrase", **body}
    refused_by_field(client, admin, body, field, english, hindi)


def test_a_login_stored_with_another_roles_field_is_shown_but_its_token_carries_only_its_own(client, admin):
    """A login stored before such fields were refused still logs in and is listed as stored (an admin sees what
    to tidy); its token carries only its role's field, never the stray artisan number or cooperative."""
    import jwt
    users.add_user(client.db, username="old-sec", password=PASSWORD, role="secretary", cooperative="KBSS",
                   artisan_id="ART-0001")  # as the Users page stored it before
    users.add_user(client.db, username="old-clerk", password=PASSWORD, role="warehouse", depot="VNS",
                   cooperative="KBSS", artisan_id="ART-0001")
    shown = client.call("GET", "/users?q=old-sec", admin, status=200).get_json()[0]
    assert (shown["cooperative"], shown["artisan_id"]) == ("KBSS", "ART-0001")
    for username, role, own in (("old-sec", "secretary", {"cooperative": "KBSS"}),
                                ("old-clerk", "warehouse", {"depot": "VNS"})):
        token = log_in(client, username, PASSWORD).get_json()["access_token"]
        claims = jwt.decode(token, options={"verify_signature": False})
        assert claims["role"] == role and {k: claims.get(k) for k in own} == own
        assert set(claims) & {"artisan_id", "cooperative", "depot"} == set(own), claims


def test_a_taken_name_is_409_in_both_languages(client, admin):
    before = stored(client, "ravi")
    body = {"username": "ravi", "password": "another passphrase", "role": "admin"}
    refused = client.call("POST", "/users", admin, body, status=409).get_json()["error"]
    assert refused["code"] == "already_exists" and "A login named ravi already exists" in refused["message"]
    assert "ravi" in client.call("POST", "/users", admin, body, headers=HI, status=409).get_json()["error"]["message"]
    assert "पहले से" in client.call("POST", "/users", admin, body, headers=HI).get_json()["error"]["message"]
    assert stored(client, "ravi") == before


def test_a_new_password_ends_every_login_and_the_lockout(client, admin):
    earlier = bearer(log_in(client, "ravi", "ravi's passphrase").get_json()["access_token"])
    for _ in range(login_throttle.PER_USER_AND_ADDRESS):  # ravi forgot it: locked out
        assert log_in(client, "ravi", "what was it").status_code == 401
    assert log_in(client, "ravi", "ravi's passphrase").status_code == 429
    assert client.call("GET", "/users?q=ravi", admin).get_json()[0]["locked_out"] is True
    set_ = client.call("POST", "/users/ravi/password", admin, {"password": "a fresh passphrase"}, status=200)
    assert set_.get_json()["locked_out"] is False and "fresh" not in set_.get_data(as_text=True)
    assert client.call("GET", "/artisans", earlier, status=401).get_json()["error"]["code"] == "token_invalid"
    assert log_in(client, "ravi", "ravi's passphrase").status_code == 401
    assert log_in(client, "ravi", "a fresh passphrase").status_code == 200


def test_a_new_password_refused_changes_nothing(client, admin):
    earlier = bearer(log_in(client, "ravi", "ravi's passphrase").get_json()["access_token"])
    before = stored(client, "ravi")
    short = client.call("POST", "/users/ravi/password", admin, {"password": "short"}, headers=HI, status=400)
    assert "कम से कम 8 अक्षरों" in short.get_json()["error"]["details"]["password"][0]
    unknown = client.call("POST", "/users/nobody/password", admin, {"password": "long enough"}, status=404)
    assert "No login named nobody" in unknown.get_json()["error"]["message"]
    own = client.call("POST", "/users/asha/password", admin, {"password": "long enough"}, status=422).get_json()
    assert own["error"]["code"] == "own_password" and "Change my password" in own["error"]["message"]
    own_hi = client.call("POST", "/users/asha/password", admin, {"password": "long enough"}, headers=HI).get_json()
    assert "मेरा पासवर्ड बदलें" in own_hi["error"]["message"]
    clerk = client.call("POST", "/users/ravi/password", earlier, {"password": "long enough"}, status=403)
    assert clerk.get_json()["error"]["code"] == "forbidden"
    assert stored(client, "ravi") == before
    client.call("GET", "/artisans", earlier, status=200)
    client.call("GET", "/users", admin, status=200)


def test_a_deactivated_login_is_refused_and_its_tokens_end_until_reactivated(client, admin):
    earlier = bearer(log_in(client, "ravi", "ravi's passphrase").get_json()["access_token"])
    off = client.call("PATCH", "/users/ravi", admin, {"active": False}, status=200).get_json()
    assert off["active"] is False
    client.call("GET", "/artisans", earlier, status=401)
    refused = log_in(client, "ravi", "ravi's passphrase")
    assert refused.status_code == 401 and refused.get_json()["error"]["code"] == "login_deactivated"
    assert "deactivated" in refused.get_json()["error"]["message"]
    in_hindi = client.http.post("/api/v1/auth/login", json={"username": "ravi", "password": "ravi's passphrase"},
                                headers=HI).get_json()["error"]["message"]
    assert "निष्क्रिय" in in_hindi
    guessed = log_in(client, "ravi", "a wrong guess").get_json()["error"]["code"]
    assert guessed == "bad_login"  # a guesser does not learn that the login is deactivated
    assert [u["username"] for u in client.call("GET", "/users?active=false", admin).get_json()] == ["ravi"]
    assert client.call("PATCH", "/users/ravi", admin, {"active": True}, status=200).get_json()["active"] is True
    assert log_in(client, "ravi", "ravi's passphrase", address="10.9.0.2").status_code == 200
    client.call("GET", "/artisans", earlier, status=401)  # the tokens from before stay ended


def test_an_admin_keeps_their_own_login_and_the_last_admin(client, admin):
    before = list(client.db.users.find())
    own = client.call("PATCH", "/users/asha", admin, {"active": False}, status=422).get_json()["error"]
    assert own["code"] == "own_login" and "your own login" in own["message"]
    assert "अपना" in client.call("PATCH", "/users/asha", admin, {"active": False}, headers=HI).get_json()[
        "error"]["message"]
    from shared.auth import issue_token
    from shared.config import Config
    outside = bearer(issue_token(Config.from_env({}).jwt_secret, sub="ops", role="admin"))  # `rawbank token`
    last = client.call("PATCH", "/users/asha", outside, {"active": False}, status=422).get_json()["error"]
    assert last["code"] == "last_admin" and "asha is the last active admin" in last["message"]
    last_hi = client.call("PATCH", "/users/asha", outside, {"active": False}, headers=HI).get_json()["error"]
    assert "asha" in last_hi["message"] and "एडमिन" in last_hi["message"]
    assert client.call("PATCH", "/users/nobody", admin, {"active": False}, status=404)
    assert client.call("PATCH", "/users/ravi", admin, {"active": "maybe"}, status=400)
    assert list(client.db.users.find()) == before
    client.call("GET", "/users", admin, status=200)  # still logged in
    users.add_user(client.db, username="bina", password=PASSWORD, role="admin")
    assert client.call("PATCH", "/users/asha", outside, {"active": False}, status=200).get_json()["active"] is False


def test_anyone_changes_their_own_password_and_stays_logged_in(client, admin):
    login = log_in(client, "ravi", "ravi's passphrase").get_json()["access_token"]
    other = bearer(log_in(client, "ravi", "ravi's passphrase", address="10.9.0.3").get_json()["access_token"])
    client.http.set_cookie(COOKIE, login)  # as the page calls: its login cookie and CSRF token
    page = {"X-CSRF-Token": csrf_token(client.app.config["RAWBANK"].jwt_secret, login)}
    changed = client.http.post("/api/v1/auth/password", headers=page,
                               json={"current_password": "ravi's passphrase", "new_password": "ravi's new one"})
    assert changed.status_code == 200, changed.get_json()
    fresh = changed.get_json()["access_token"]
    assert changed.get_json()["role"] == "warehouse" and f"{COOKIE}={fresh}" in changed.headers["Set-Cookie"]
    assert "HttpOnly" in changed.headers["Set-Cookie"]
    client.call("GET", "/artisans", other, status=401)  # the other logins ended
    client.call("GET", "/artisans", bearer(login), status=401)
    client.call("GET", "/artisans", bearer(fresh), status=200)  # this one goes on
    assert client.http.get("/api/v1/artisans").status_code == 200  # with the renewed cookie
    client.http.delete_cookie(COOKIE)
    assert log_in(client, "ravi", "ravi's passphrase").status_code == 401
    assert log_in(client, "ravi", "ravi's new one").status_code == 200


def test_a_wrong_current_password_is_refused_and_counts_as_a_wrong_login(client, admin):
    token = bearer(log_in(client, "ravi", "ravi's passphrase", address="127.0.0.1").get_json()["access_token"])
    before = stored(client, "ravi")
    body = {"current_password": "not it at all", "new_password": "ravi's new one"}
    short = client.call("POST", "/auth/password", token, {**body, "current_password": "ravi's passphrase",
                                                          "new_password": "short"}, status=400).get_json()
    assert "at least 8" in short["error"]["details"]["new_password"][0]
    same = client.call("POST", "/auth/password", token, {"current_password": "ravi's passphrase",
                                                         "new_password": "ravi's passphrase"}, status=400)
    assert "new_password" in same.get_json()["error"]["details"]
    refused = client.call("POST", "/auth/password", token, body, status=400).get_json()["error"]
    assert refused["details"] == {"current_password": ["this is not your current password"]}
    in_hindi = client.call("POST", "/auth/password", token, body, headers=HI, status=400).get_json()["error"]
    assert "मौजूदा पासवर्ड" in in_hindi["details"]["current_password"][0]
    for _ in range(login_throttle.PER_USER_AND_ADDRESS - 2):  # 2 wrong above: the limit of a login's
        client.call("POST", "/auth/password", token, body, status=400)
    assert client.call("POST", "/auth/password", token, body, status=429)
    assert log_in(client, "ravi", "ravi's passphrase", address="127.0.0.1").status_code == 429  # as a login's
    assert stored(client, "ravi")["password_hash"] == before["password_hash"]
    client.call("GET", "/artisans", token, status=200)
    assert client.call("POST", "/auth/password", {}, body, status=401)


def test_a_clerk_moved_to_another_depot_works_there_after_logging_in_again(client, admin):
    """A clerk transferred to another district's depot needed a new login (a login's depot could not change), and
    their old one left working at the old depot. Moving them ends every token they had, as each named the old
    depot; their next login works at the new one."""
    earlier = bearer(log_in(client, "ravi", "ravi's passphrase").get_json()["access_token"])
    moved = client.call("PATCH", "/users/ravi", admin, {"depot": "BHD"}, status=200).get_json()
    assert (moved["depot"], moved["active"]) == ("BHD", True)
    client.call("GET", "/artisans", earlier, status=401)
    again = log_in(client, "ravi", "ravi's passphrase", address="10.9.0.3").get_json()["access_token"]
    assert client.call("GET", "/users?q=ravi", admin).get_json()[0]["depot"] == "BHD"
    assert client.call("GET", "/artisans", bearer(again), status=200)
    same = client.call("PATCH", "/users/ravi", bearer(again), {"depot": "BHD"}, status=403)  # not theirs to do
    assert same.get_json()["error"]["code"] == "forbidden"
    client.call("PATCH", "/users/ravi", admin, {"depot": "BHD"}, status=200)  # where they are already: no change
    client.call("GET", "/artisans", bearer(again), status=200)
    everywhere = client.call("PATCH", "/users/ravi", admin, {"depot": ""}, status=200).get_json()
    assert everywhere["depot"] is None and "depot" not in stored(client, "ravi")


@pytest.mark.parametrize("username,body,field,english,hindi", [
    ("ravi", {"depot": "NOPE"}, "depot", "no depot NOPE is known; the depots are: BHD, MZP, VNS",
     "डिपो ये हैं: BHD, MZP, VNS"),
    ("asha", {"depot": "VNS"}, "depot", "only warehouse staff work at a depot", "डिपो"),
    ("ravi", {}, "active", "say what to change", "बताएँ"),
])
def test_a_move_that_cannot_be_is_refused_by_field_and_changes_nothing(client, admin, username, body, field, english,
                                                                       hindi):
    before = list(client.db.users.find())
    refused = client.call("PATCH", f"/users/{username}", admin, body, status=400).get_json()["error"]
    assert refused["code"] == "validation_error" and english in refused["details"][field][0], refused
    in_hindi = client.call("PATCH", f"/users/{username}", admin, body, headers=HI, status=400).get_json()["error"]
    assert hindi in in_hindi["details"][field][0], in_hindi
    assert list(client.db.users.find()) == before
    assert client.call("PATCH", "/users/nobody", admin, {"depot": "VNS"}, status=404).get_json()["error"]["code"]


def test_a_clerk_made_an_admin_and_an_admin_made_a_clerk_log_in_again_in_their_new_role(client, admin):
    """Staff are promoted and step back: a login's role between warehouse staff and admin changes without a new
    login; every token it had ends (each named the old role), the next login works in the new one."""
    clerk = bearer(log_in(client, "ravi", "ravi's passphrase").get_json()["access_token"])
    made = client.call("PATCH", "/users/ravi", admin, {"role": "admin"}, status=200).get_json()
    assert (made["role"], made["depot"], made["active"]) == ("admin", None, True)
    assert "depot" not in stored(client, "ravi")
    client.call("GET", "/artisans", clerk, status=401)
    promoted = bearer(log_in(client, "ravi", "ravi's passphrase", address="10.9.0.3").get_json()["access_token"])
    client.call("GET", "/users", promoted, status=200)  # an admin's page now
    back = client.call("PATCH", "/users/asha", promoted, {"role": "warehouse", "depot": "BHD"}, status=200).get_json()
    assert (back["role"], back["depot"]) == ("warehouse", "BHD")
    client.call("GET", "/users", admin, status=401)  # asha's admin token ended
    again = bearer(log_in(client, "asha", PASSWORD, address="10.9.0.4").get_json()["access_token"])
    assert client.call("GET", "/users", again, status=403).get_json()["error"]["code"] == "forbidden"
    same = client.call("PATCH", "/users/asha", promoted, {"role": "warehouse"}, status=200).get_json()
    assert same["depot"] == "BHD"  # the role it is already, no depot given: nothing changes
    client.call("GET", "/artisans", again, status=200)


@pytest.mark.parametrize("username,body,status,field,english,hindi", [
    ("asha", {"role": "warehouse"}, 422, None, "You cannot change your own role", "अपनी"),
    ("ravi", {"role": "artisan"}, 400, "role", "Must be one of", None),
    ("art", {"role": "admin"}, 400, "role", "an artisan's or a secretary's login stays theirs", "कारीगर"),
    ("ravi", {"role": "admin", "depot": "VNS"}, 400, "depot", "only warehouse staff work at a depot", "डिपो"),
    ("bina", {"role": "warehouse", "depot": "NOPE"}, 400, "depot", "no depot NOPE is known", "कोई डिपो NOPE"),
])
def test_a_role_that_cannot_change_is_refused_in_both_languages_and_changes_nothing(client, admin, username, body,
                                                                                    status, field, english, hindi):
    users.add_user(client.db, username="art", password=PASSWORD, role="artisan", artisan_id="ART-0001")
    users.add_user(client.db, username="bina", password=PASSWORD, role="admin")
    before = list(client.db.users.find())
    for headers, said in (({}, english), (HI, hindi)):
        error = client.call("PATCH", f"/users/{username}", admin, body, headers=headers, status=status).get_json()[
            "error"]
        text = error["details"][field][0] if field else error["message"]
        assert said is None or said in text, error
    assert list(client.db.users.find()) == before
    client.call("GET", "/users", admin, status=200)  # nobody was logged out


def test_the_last_admin_is_not_made_warehouse_staff(client, admin):
    from shared.auth import issue_token
    from shared.config import Config
    outside = bearer(issue_token(Config.from_env({}).jwt_secret, sub="ops", role="admin"))  # `rawbank token`
    before = list(client.db.users.find())
    last = client.call("PATCH", "/users/asha", outside, {"role": "warehouse", "depot": "VNS"},
                       status=422).get_json()["error"]
    assert last["code"] == "last_admin" and "asha is the last active admin" in last["message"]
    after = list(client.db.users.find())
    assert [{**doc, **({"outbox": doc["outbox"][:1]} if "outbox" in doc else {})} for doc in after] == before
    told = [event["payload"]["role"] for event in next(doc for doc in after if doc["_id"] == "asha")["outbox"]]
    assert told == ["admin", "warehouse", "admin"]  # its new role was told, and then the role it has again
    client.call("GET", "/users", admin, status=200)


class _AddForm(HTMLParser):
    """What the Users page's "Add a login" asks without JavaScript: the fields of #add-user-form a person sees and
    sends (not disabled, not under a `hidden` element; not type=hidden), the role it sends (its hidden `role`), and
    the form that chooses the role (#add-role-form: its method and hidden fields; the fields and buttons given to
    it with form="add-role-form")."""

    VOID = {"input", "br", "img", "meta", "link", "hr"}

    def __init__(self):
        super().__init__()
        self.stack, self.fields, self.role, self.chooser, self.asks, self.buttons = [], [], None, {}, [], []
        self.open_details = False
        self._button = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        inside = any(t == "form" and id_ == "add-user-form" for t, id_, _ in self.stack)
        hidden = any(h for _, _, h in self.stack) or "hidden" in a
        if tag == "details" and a.get("id") == "add-login":
            self.open_details = "open" in a
        if tag == "form" and a.get("id") == "add-role-form":
            self.chooser = {"method": a.get("method"), "action": a.get("action"), "keeps": {}}
        if tag == "input" and a.get("type") == "hidden" and self.stack and self.chooser and \
                any(id_ == "add-role-form" for _, id_, _ in self.stack):
            self.chooser["keeps"][a["name"]] = a.get("value")
        if a.get("form") == "add-role-form" and tag in ("select", "button"):
            self.asks.append(a.get("name") or tag)
            if tag == "button":
                self._button = []
        elif inside and tag in ("input", "select", "textarea") and a.get("name"):
            if a.get("type") == "hidden":
                if a["name"] == "role":
                    self.role = a.get("value")
            elif not hidden and "disabled" not in a:
                self.fields.append(a["name"])
        if tag not in self.VOID:
            self.stack.append((tag, a.get("id"), hidden))

    def handle_endtag(self, tag):
        if tag == "button" and self._button is not None:
            self.buttons.append("".join(self._button).strip())
            self._button = None
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self._button is not None:
            self._button.append(data)


def add_form(client, admin, query="", lang="en") -> _AddForm:
    client.http.set_cookie(COOKIE, admin["Authorization"].split()[1])
    client.http.set_cookie(LANG_COOKIE, lang)
    page = client.http.get(f"/admin/users{query}")
    assert page.status_code == 200
    found = _AddForm()
    found.feed(page.get_data(as_text=True))
    return found


@pytest.mark.parametrize("lang,show", [("en", "Show the fields for this role"), ("hi", "इस भूमिका की फ़ील्ड दिखाएँ")])
def test_without_script_the_add_form_asks_only_what_the_chosen_role_needs(client, admin, lang, show):
    """Before, "Add a login" asked every role's artisan number, depot and cooperative, and the API refused another
    role's (400 under the field). Without JavaScript the role is chosen first, in a form of its own that asks the
    page again (GET, keeping the list's search), and the page comes with that role's fields only; the others are
    neither shown nor sent."""
    for query, role, own in (("", "warehouse", ["depot"]), ("?new_role=warehouse", "warehouse", ["depot"]),
                             ("?new_role=secretary", "secretary", ["cooperative"]),
                             ("?new_role=artisan", "artisan", ["artisan"]), ("?new_role=admin", "admin", []),
                             ("?new_role=nobody", "warehouse", ["depot"])):
        form = add_form(client, admin, query, lang)
        assert (form.role, form.fields) == (role, ["username", "password", "name", "name_hi", *own]), query
        assert form.asks == ["new_role", "button"] and form.buttons == [show], query
        assert form.open_details is (query != ""), query  # asked for a role: the form is open at once
    chosen = add_form(client, admin, "?q=ravi&active=yes&new_role=secretary", lang)
    assert chosen.chooser == {"method": "get", "action": "/admin/users#add-login",
                              "keeps": {"q": "ravi", "active": "yes"}}
    assert chosen.role == "secretary" and chosen.fields == ["username", "password", "name", "name_hi", "cooperative"]
