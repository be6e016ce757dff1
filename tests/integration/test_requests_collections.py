"""The collections register (GET /api/v1/payments, /admin/collections): an accounts officer lists and totals the
payments, reversals and refunds of a day or a month, by method, depot and kind, in India's days."""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timezone

from services.requests import accounts, reconcile, users
from shared.auth import COOKIE
from shared.i18n import LANG_COOKIE
from tests.integration.test_requests_money_support import DYE, priced_catalog, ready, scheme
from tests.integration.test_requests_support import client  # noqa: F401  (fixture)

UTC = timezone.utc
LAST_OF_MARCH = datetime(2026, 3, 31, 18, 29, tzinfo=UTC)  # 23:59 on 31 March in India
FIRST_OF_APRIL = datetime(2026, 3, 31, 18, 31, tzinfo=UTC)  # 00:01 on 1 April in India, still 31 March in UTC


def _world(client):
    """₹1,000 cash at VNS at 23:59 on 31 March (India); on 1 April ₹500 UPI at VNS (reversed by an admin), a ₹5,000
    advance at HIL (reference typed as a formula) and ₹1,000 of it refunded in cash."""
    priced_catalog(client.db)
    scheme(client)
    client.register("ART-1", looms=1)
    client.register("ART-2", looms=1)
    vns = ready(client, client.artisan("ART-1"), [(DYE, "1")])
    hil = ready(client, client.artisan("ART-2"), [(DYE, "1")], depot="HIL")
    db = client.db
    doc = db.requisitions.find_one({"_id": vns})
    accounts.pay(db, doc, {"amount": 1000_00, "method": "cash", "reference": "C-1"}, by="clerk", now=LAST_OF_MARCH)
    upi, _ = accounts.pay(db, doc, {"amount": 500_00, "method": "upi", "reference": "U-1"}, by="clerk",
                          now=FIRST_OF_APRIL)
    accounts.reverse(db, doc, upi["payment_id"], "typed twice", by="asha-admin",
                     now=datetime(2026, 4, 1, 5, 0, tzinfo=UTC))
    accounts.pay(db, db.requisitions.find_one({"_id": hil}), {"amount": 5000_00, "method": "advance",
                                                             "reference": "=SUM(A1)"}, by="hill-clerk",
                 now=datetime(2026, 4, 1, 6, 0, tzinfo=UTC))
    accounts.refund(db, "ART-2", {"amount": 1000_00, "method": "cash", "reference": "RF-1", "reason": "asked back"},
                    by="asha-admin", now=datetime(2026, 4, 1, 7, 0, tzinfo=UTC))
    return vns, hil


def test_the_register_of_a_day_and_a_month_in_india_with_totals_per_method_and_kind(client):
    """There was no register: an accounts officer could not list or total the money of a day or a month. Cash taken
    at 23:59 on 31 March is March's, a payment at 00:01 on 1 April (still 31 March in UTC) is April's."""
    vns, hil = _world(client)
    admin = client.admin()
    march = client.call("GET", "/payments?from=2026-03-31&to=2026-03-31", admin, status=200)
    assert march.headers["X-Total-Count"] == "1"
    [row] = march.get_json()["rows"]
    assert (row["kind"], row["day"], row["method"], row["reference"], row["amount"], row["depot"],
            row["requisition_id"], row["artisan_id"]) == ("payment", "2026-03-31", "cash", "C-1", "1000.00", "VNS",
                                                          vns, "ART-1")
    assert march.get_json()["totals"]["by_method"]["cash"]["received"] == "1000.00"

    april = client.call("GET", "/payments?from=2026-04-01&to=2026-04-30", admin, status=200)
    body = april.get_json()
    assert april.headers["X-Total-Count"] == "4"
    assert [(r["kind"], r["reference"], r["amount"], r["net"], r["depot"]) for r in body["rows"]] == [
        ("payment", "U-1", "500.00", "500.00", "VNS"), ("reversal", "U-1", "500.00", "-500.00", "VNS"),
        ("payment", "=SUM(A1)", "5000.00", "5000.00", "HIL"), ("refund", "RF-1", "1000.00", "-1000.00", "HIL")]
    totals = body["totals"]
    assert (totals["count"], totals["received"], totals["reversed"], totals["refunded"], totals["net"]) == \
        (4, "5500.00", "500.00", "1000.00", "4000.00")
    assert {m: (f["received"], f["reversed"], f["refunded"], f["net"]) for m, f in totals["by_method"].items()} == {
        "cash": ("0.00", "0.00", "1000.00", "-1000.00"), "upi": ("500.00", "500.00", "0.00", "0.00"),
        "advance": ("5000.00", "0.00", "0.00", "5000.00")}
    assert {k: (f["count"], f["amount"]) for k, f in totals["by_kind"].items()} == {
        "payment": (2, "5500.00"), "reversal": (1, "500.00"), "refund": (1, "1000.00")}
    assert {d: f["net"] for d, f in totals["by_depot"].items()} == {"HIL": "4000.00", "VNS": "0.00"}
    assert body["rows"][3]["requisitions"] == {hil: "1000.00"} and body["rows"][1]["payment_id"]

    paged = client.call("GET", "/payments?from=2026-04-01&to=2026-04-30&limit=1&page=2", admin, status=200)
    assert [r["kind"] for r in paged.get_json()["rows"]] == ["reversal"]
    assert paged.get_json()["totals"] == totals and paged.headers["X-Total-Count"] == "4"  # the whole filter's
    upi = client.call("GET", "/payments?from=2026-04-01&method=upi&kind=reversal", admin, status=200).get_json()
    assert [r["reference"] for r in upi["rows"]] == ["U-1"] and upi["totals"]["reversed"] == "500.00"
    hil_only = client.call("GET", "/payments?depot=HIL", admin, status=200).get_json()
    assert [r["reference"] for r in hil_only["rows"]] == ["=SUM(A1)", "RF-1"]
    everything = client.call("GET", "/payments", admin, status=200)
    assert everything.headers["X-Total-Count"] == "5" and everything.get_json()["totals"]["net"] == "5000.00"


def test_the_register_as_csv_has_a_bom_times_in_india_and_no_formula(client):
    _world(client)
    response = client.call("GET", "/payments?from=2026-04-01&to=2026-04-30&format=csv",
                           {**client.admin(), "Accept-Language": "hi"}, status=200)
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == "attachment; filename=collections-2026-04-01-2026-04-30.csv"
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [(r["kind"], r["reference"], r["net_rupees"], r["depot"]) for r in rows] == [
        ("payment", "U-1", "500.00", "VNS"), ("reversal", "U-1", "-500.00", "VNS"),
        ("payment", "'=SUM(A1)", "5000.00", "HIL"), ("refund", "RF-1", "-1000.00", "HIL")]
    assert rows[0]["at_ist"] == "2026-04-01T00:01:00+05:30" and rows[0]["day"] == "2026-04-01"
    assert rows[3]["kind_text"] == "रिफ़ंड" or any("\u0900" <= ch <= "\u097f" for ch in rows[3]["kind_text"])


def test_a_depots_staff_see_their_own_depots_collections_only(client):
    """Warehouse staff take payments, so they see the register, of their own depot: asked for another, refused
    (403 wrong_depot, in both languages), never answered with their own as if it were the other."""
    _world(client)
    hill = client.token("warehouse", depot="HIL")
    own = client.call("GET", "/payments", hill, status=200).get_json()
    assert {r["depot"] for r in own["rows"]} == {"HIL"} and own["totals"]["net"] == "4000.00"
    assert client.call("GET", "/payments?depot=HIL", hill, status=200).get_json() == own
    refused = client.call("GET", "/payments?depot=VNS", hill, status=403).get_json()["error"]
    assert refused["code"] == "wrong_depot" and "HIL" in refused["message"]
    hindi = client.call("GET", "/payments?depot=VNS", {**hill, "Accept-Language": "hi"}, status=403).get_json()
    assert any("\u0900" <= ch <= "\u097f" for ch in hindi["error"]["message"])
    central = client.call("GET", "/payments", client.token("warehouse"), status=200)  # no depot: chooses, as admins
    assert central.headers["X-Total-Count"] == "5"
    for who in (client.artisan("ART-1"), client.token("secretary", cooperative="KBSS")):
        client.call("GET", "/payments", who, status=403)
    for query, field in (("from=2026-04-02&to=2026-04-01", "to"), ("kind=gift", "kind"), ("method=cheque", "method")):
        bad = client.call("GET", f"/payments?{query}", client.admin(), status=400)
        assert list(bad.get_json()["error"]["details"]) == [field]


def test_reconcile_holds_the_register_to_the_accounts(client):
    _world(client)
    facts = reconcile.facts(client.db)
    assert facts["collections"]["2026-03"] == {"payment": {"cash": {"VNS": 1000_00}}}
    assert [p for check in reconcile.RECONCILIATION.checks for p in check(facts)] == []
    facts["collections"]["2026-04"]["refund"]["cash"]["HIL"] = 900_00  # a register that lost ₹100 of a refund
    assert [str(p) for p in reconcile.reconcile_money.collections_equal_accounts(facts)] == [
        "collections register 2026-04 refund cash at HIL: 900.00, the accounts say 1000.00"]
    del facts["collections"]["2026-03"]  # or a month
    assert len(reconcile.reconcile_money.collections_equal_accounts(facts)) == 2


def test_the_collections_page_shows_the_months_totals_and_its_csv_in_both_languages(client):
    _world(client)
    for lang, words in (("en", ("Collections register", "Total", "₹4,000.00", "Download for a spreadsheet (CSV)")),
                        ("hi", ("वसूली रजिस्टर", "कुल", "₹4,000.00", "स्प्रेडशीट"))):
        browser = client.app.test_client()
        browser.set_cookie(COOKIE, client.admin()["Authorization"].split()[1])
        browser.set_cookie(LANG_COOKIE, lang)
        page = browser.get("/admin/collections?from=2026-04-01&to=2026-04-30")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
        assert all(word in text for word in words), (lang, text[:3000])
        assert "/api/v1/payments?" in html and "format=csv" in html and 'data-entry="' in html
        assert "data-so-far" not in html  # April 2026 is over
    clerk = client.app.test_client()
    clerk.set_cookie(COOKIE, client.token("warehouse", depot="HIL")["Authorization"].split()[1])
    assert clerk.get("/admin/collections?from=2026-04-01&to=2026-04-30").status_code == 200
    refused = clerk.get("/admin/collections?depot=VNS")
    assert refused.status_code == 403 and "only your own depot" in refused.get_data(as_text=True)


def test_the_collections_page_says_who_recorded_each_entry_in_words_with_the_login(client):
    """The "By" column showed the bare login: staff read the person's display name, else their role in words, with
    the login after it, as a request's history says it."""
    _world(client)
    users.add_user(client.db, username="hill-clerk", password="pw-clerk-1", role="warehouse", depot="HIL")
    users.add_user(client.db, username="asha-admin", password="pw-admin-1", role="admin")
    client.db.users.update_one({"_id": "asha-admin"}, {"$set": {"name": "Asha Rai", "name_hi": "आशा राय"}})
    for lang, words in (("en", ("the depot clerk (hill-clerk)", "Asha Rai (asha-admin)")),
                        ("hi", ("डिपो लिपिक (hill-clerk)", "आशा राय (asha-admin)"))):
        browser = client.app.test_client()
        browser.set_cookie(COOKIE, client.admin()["Authorization"].split()[1])
        browser.set_cookie(LANG_COOKIE, lang)
        html = browser.get("/admin/collections?from=2026-04-01&to=2026-04-30").get_data(as_text=True)
        cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip()
                 for cell in re.findall(r'<td data-label="[^"]*">(.*?)</td>', html.split("<tbody>")[-1], re.S)]
        assert all(word in cells for word in words), (lang, cells)
        assert "clerk" in cells  # a login with no record: staff read it as it is
