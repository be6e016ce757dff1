"""Monthly caps: the exact boundary, per loom, month change, returns, races and crash repair."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from services.requests import quotas, requisitions
from shared import names
from shared.auth import Principal
from shared.errors import RuleBroken
from tests.integration.test_requests_support import at_once, client  # noqa: F401  (fixture)

YARN = "YRN-COT-40"


def set_cap(client, limit, per_loom=False, artisan_id=None, category="yarn"):
    body = {"category": category, "limit": limit, "per_loom": per_loom, "artisan_id": artisan_id}
    return client.call("POST", "/quotas", client.admin(), body, status=200).get_json()


def test_exactly_the_cap_passes_and_one_gram_more_fails(client):
    client.register("ART-1", looms=1)
    set_cap(client, "30", per_loom=True)
    me = client.artisan("ART-1")
    client.submit(me, [(YARN, "12.5")])
    client.submit(me, [("YRN-SLK-MUL", "17.5"), ("DYE-INDIGO", 100)])  # yarn reaches 30 kg exactly
    error = client.submit(me, [(YARN, "0.001")], status=422)["error"]
    assert error["code"] == "quota_exceeded"
    assert error["details"] == {"category": "yarn", "month": error["details"]["month"], "unit": "kg",
                                "cap": "30", "used": "30", "left": "0", "requested": "0.001"}
    month = names.month(error["details"]["month"], "en")  # "December 2026"
    assert error["message"] == (f"Your monthly yarn quota is 30 kg; 30 kg is already used in {month}, "
                                "0 kg is left, and this request asks for 0.001 kg. Ask for at most what is left, or "
                                "for the rest next month.")
    hindi = client.call("POST", "/requisitions", {**me, "Accept-Language": "hi-IN"},
                        {"depot": "VNS", "lines": [{"sku": YARN, "quantity": "0.001"}]}, status=422)
    message = hindi.get_json()["error"]["message"]  # the category, unit and month in Hindi too (issue 18)
    assert "मासिक धागा कोटा 30 किलो" in message and "0 किलो बचा" in message, message
    assert names.month(error["details"]["month"], "hi") in message and not re.search("[A-Za-z]", message), message
    assert client.db.requisitions.count_documents({}) == 2


def test_per_loom_caps_and_per_artisan_overrides(client):
    client.register("ART-2", looms=2)
    client.register("ART-3", looms=2)
    set_cap(client, "30", per_loom=True)
    set_cap(client, "10", artisan_id="ART-3")
    client.submit(client.artisan("ART-2"), [(YARN, 60)])
    client.submit(client.artisan("ART-2"), [(YARN, "0.001")], status=422)
    error = client.submit(client.artisan("ART-3"), [(YARN, 11)], status=422)["error"]
    assert (error["details"]["cap"], error["details"]["left"]) == ("10", "10")
    usage = client.call("GET", "/quotas/usage", client.artisan("ART-2"), status=200).get_json()
    assert usage == [{"category": "yarn", "month": usage[0]["month"], "cap": "60", "used": "60", "left": "0",
                      "limit": "30", "per_loom": True}]
    caps = client.call("GET", "/quotas?artisan_id=ART-3", client.admin(), status=200).get_json()
    assert {(c["artisan_id"], c["limit"]) for c in caps} == {(None, "30"), ("ART-3", "10")}
    client.call("POST", "/quotas", client.artisan("ART-2"), {"category": "yarn", "limit": 999}, status=403)
    for bad in ({"category": "yarn.cotton", "limit": 1}, {"category": "$where", "limit": 1},
                {"category": "yarn", "limit": -1}):
        client.call("POST", "/quotas", client.admin(), bad, status=400)


def test_the_cap_starts_again_in_a_new_month(client):
    client.register("ART-1", looms=1)
    set_cap(client, "30")
    me = Principal("user-ART-1", "artisan", "ART-1")
    body = {"depot": "VNS", "lines": [{"sku": YARN, "quantity": 30_000}]}
    last_evening = datetime(2026, 1, 31, 18, 29, 59, tzinfo=timezone.utc)  # 23:59:59 in India
    requisitions.submit(client.db, me, body, now=last_evening)
    try:
        requisitions.submit(client.db, me, {**body, "lines": [{"sku": YARN, "quantity": 1}]},
                            now=last_evening)
        raise AssertionError("a gram past the cap was accepted")
    except RuleBroken as exc:
        assert exc.details["month"] == "2026-01"
    doc, created = requisitions.submit(client.db, me, body, now=last_evening + timedelta(seconds=1))
    assert created and doc["month"] == "2026-02"


def test_rejected_and_cancelled_requisitions_give_their_quota_back(client):
    client.register("ART-1", looms=1)
    set_cap(client, "30")
    me = client.artisan("ART-1")
    first = client.submit(me, [(YARN, 30)])
    client.submit(me, [(YARN, 1)], status=422)
    client.act(first["id"], "reject", client.admin())
    second = client.submit(me, [(YARN, 30)])
    client.act(second["id"], "cancel", me)
    client.submit(me, [(YARN, 30)])
    client.submit(me, [(YARN, 1)], status=422)


def test_racing_submits_never_pass_the_cap_together(client):
    set_cap(client, "30")
    for round_ in range(8):
        client.register(f"ART-{round_}", looms=1)
        me = Principal(f"user-ART-{round_}", "artisan", f"ART-{round_}")
        assert sorted(race(client, me, 12)) == ["ok"] * 4 + ["refused"] * 8
        assert client.db.usage.find_one({"artisan_id": f"ART-{round_}"})["used"]["yarn"] == 28_000


def race(client, me, n):
    """n submits of 7 kg at once."""
    body = {"depot": "VNS", "lines": [{"sku": YARN, "quantity": 7_000}]}
    done = at_once(*[lambda: requisitions.submit(client.db, me, body) for _ in range(n)])
    return ["ok" if isinstance(result, tuple) else "refused" if isinstance(result, RuleBroken) else repr(result)
            for result in done]


def test_quota_taken_by_a_submit_that_crashed_is_given_back(client):
    client.register("ART-1", looms=1)
    set_cap(client, "30")
    artisan = client.db.artisans.find_one({"_id": "ART-1"})
    now = datetime.now(timezone.utc)
    from services.requests.domain import month_of
    quotas.take(client.db, artisan, month_of(now), "never-written", {"yarn": 30_000}, {"yarn": "kg"},
                now - quotas.GRACE - timedelta(seconds=1))  # the process died before inserting
    client.submit(client.artisan("ART-1"), [(YARN, 30)])
    assert "never-written" not in client.db.usage.find_one({})["entries"]


def test_a_cap_is_checked_replaced_only_when_asked_removed_and_its_history_kept(client):
    """Issue 18, defect 2: 1e9 or an unknown artisan is refused, a replacement is asked for, a row can go."""
    client.register("ART-1", looms=1)
    admin = client.admin()
    set_cap(client, "30", per_loom=True)
    for bad, field in (({"limit": "1e9"}, "limit"), ({"limit": "10000.001"}, "limit"),
                       ({"limit": "5", "artisan_id": "ART-9999"}, "artisan_id")):
        error = client.call("POST", "/quotas", admin, {"category": "yarn", **bad}, status=400).get_json()["error"]
        assert list(error["details"]) == [field], error
    hindi = client.call("POST", "/quotas", {**admin, "Accept-Language": "hi"},
                        {"category": "yarn", "limit": "5", "artisan_id": "ART-9999"}, status=400).get_json()
    assert hindi["error"]["details"] == {"artisan_id": ["इस नंबर का कोई कारीगर पंजीकृत नहीं है"]}
    exists = client.call("POST", "/quotas", admin, {"category": "yarn", "limit": "40", "replace": False},
                         status=409).get_json()["error"]
    assert exists["code"] == "quota_exists"
    assert exists["details"] == {"id": "yarn@*", "category": "yarn", "artisan_id": None, "limit": "30", "per_loom": True}
    assert [(c["id"], c["limit"]) for c in client.call("GET", "/quotas", admin, status=200).get_json()] \
        == [("yarn@*", "30")]
    client.call("POST", "/quotas", admin, {"category": "yarn", "limit": "40", "replace": True}, status=200)
    client.call("POST", "/quotas", admin, {"category": "dye", "limit": "4", "artisan_id": "ART-1", "replace": False},
                status=200)
    assert client.call("DELETE", "/quotas/yarn@*", admin, status=200).get_json()["limit"] == "40"
    client.call("DELETE", "/quotas/yarn@*", admin, status=404)
    client.call("DELETE", "/quotas/dye@ART-1", client.artisan("ART-1"), status=403)
    assert [c["id"] for c in client.call("GET", "/quotas", admin, status=200).get_json()] == ["dye@ART-1"]
    client.submit(client.artisan("ART-1"), [(YARN, 500)])  # no yarn cap any more
    changes = client.call("GET", "/quotas/history", admin, status=200).get_json()
    assert [(c["id"], c["change"], c["limit"], (c["before"] or {}).get("limit")) for c in changes] == [
        ("yarn@*", "removed", None, "40"), ("dye@ART-1", "set", "4", None), ("yarn@*", "replaced", "40", "30"),
        ("yarn@*", "set", "30", None)]
    client.call("POST", "/quotas", admin, {"category": "yarn", "limit": "20", "replace": False}, status=200)


def test_an_artisan_with_no_loom_under_a_per_loom_cap_is_told_to_have_their_looms_registered(client):
    """Secretaries register members with no loom until an admin approves theirs: asking for less cannot help them."""
    from shared.auth import COOKIE
    from shared.i18n import LANG_COOKIE
    client.register("ART-1", looms=0)
    set_cap(client, "30", per_loom=True)
    me = client.artisan("ART-1")
    error = client.submit(me, [(YARN, "1")], status=422)["error"]
    assert error["code"] == "quota_exceeded" and error["details"]["cap"] == "0"
    assert error["message"] == ("The monthly yarn quota is counted per loom, and no loom is registered for this "
                                "artisan yet; an admin registers looms, or approves those the cooperative's "
                                "secretary asks for.")
    hindi = client.call("POST", "/requisitions", {**me, "Accept-Language": "hi"},
                        {"depot": "VNS", "lines": [{"sku": YARN, "quantity": "1"}]}, status=422)
    message = hindi.get_json()["error"]["message"]
    assert "इस कारीगर के नाम अभी कोई करघा दर्ज नहीं" in message and not re.search("[A-Za-z]", message), message
    browser = client.app.test_client()
    browser.set_cookie(COOKIE, me["Authorization"].split()[1])
    browser.set_cookie(LANG_COOKIE, "en")
    form = browser.get("/my/new").get_data(as_text=True)
    assert ('<p class="hint" id="left-YRN-COT-40">Your quota of this material is counted per loom, and no loom is '
            "registered for you yet: ask your cooperative's secretary or an admin to register your looms.</p>") in form
    client.call("PATCH", "/artisans/ART-1", client.admin(), {"looms": 1}, status=200)
    error = client.submit(me, [(YARN, "31")], status=422)["error"]
    assert error["message"].startswith("Your monthly yarn quota is 30 kg;")
    form = browser.get("/my/new").get_data(as_text=True)
    assert "data-no-looms" not in form and "Your quota left this month: 30 kg of 30 kg" in form


def card(page: str, rid: str) -> str:
    """The approvals page's card of one request."""
    start = page.index(f'data-requisition="{rid}"')
    end = page.find("data-requisition=", start + 1)
    return page[start:end if end > 0 else len(page)]


def test_the_approvals_page_does_not_count_a_rejected_or_cancelled_request_in_the_months_use(client):
    from shared.auth import COOKIE
    from shared.i18n import LANG_COOKIE
    client.register("ART-1", looms=1)
    set_cap(client, "30")
    me, admin = client.artisan("ART-1"), client.admin()
    kept = client.submit(me, [(YARN, "10")])
    dropped = client.submit(me, [(YARN, "6")])
    client.act(dropped["id"], "cancel", me)
    browser = client.app.test_client()
    browser.set_cookie(COOKIE, admin["Authorization"].split()[1])
    browser.set_cookie(LANG_COOKIE, "en")
    page = browser.get("/admin/approvals?status=").get_data(as_text=True)
    assert "used 10 kg of 30 kg this month, this request included" in card(page, kept["id"])
    assert "this request included" not in card(page, dropped["id"]) and "Cancelled" in card(page, dropped["id"])


def test_the_approvals_page_names_the_month_of_a_request_made_in_a_month_gone_by(client):
    """Deciding on the 1st a request of the 31st: its figures are last month's, not this month's."""
    from shared.auth import COOKIE
    from shared.i18n import LANG_COOKIE
    client.register("ART-1", looms=1)
    set_cap(client, "30")
    me = Principal("user-ART-1", "artisan", "ART-1")
    body = {"depot": "VNS", "lines": [{"sku": YARN, "quantity": 28_000}, {"sku": "DYE-INDIGO", "quantity": 2_000}]}
    old, _ = requisitions.submit(client.db, me, body, now=datetime(2026, 1, 31, 12, tzinfo=timezone.utc))
    new = client.submit(client.artisan("ART-1"), [(YARN, "3")])
    browser = client.app.test_client()
    browser.set_cookie(COOKIE, client.admin()["Authorization"].split()[1])
    browser.set_cookie(LANG_COOKIE, "en")
    page = browser.get("/admin/approvals").get_data(as_text=True)
    last, this = card(page, old["_id"]), card(page, new["id"])
    assert "used 28 kg of 30 kg in January 2026, this request included" in last and "this month" not in last
    assert "no monthly limit; 2 kg used in January 2026" in last
    assert "used 3 kg of 30 kg this month, this request included" in this and "January" not in this
    browser.set_cookie(LANG_COOKIE, "hi")
    hindi = browser.get("/admin/approvals").get_data(as_text=True)
    assert "जनवरी 2026 में 30 किलो में से 28 किलो उपयोग हुआ" in card(hindi, old["_id"])
