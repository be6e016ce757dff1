"""Artisans', cooperatives' and claims' districts in Hindi on the requests service's Hindi pages. They are typed in
English, so the Hindi pages said "Varanasi" where the depot of Varanasi is known as "वाराणसी" (its `district_hi`).
Now a district is said in Hindi on Hindi pages when a depot of that district (case and spacing aside) has a Hindi
name in the service's copy of depots, and as typed otherwise; English pages, the CSV and the JSON are as they were."""
from __future__ import annotations

import re

from services.requests import consumer
from shared.auth import COOKIE
from shared.envelope import new_event
from shared.i18n import LANG_COOKIE
from tests.integration.test_requests_claims import sell, this_month
from tests.integration.test_requests_money_support import COTTON, priced_catalog, scheme
from tests.integration.test_requests_support import client  # noqa: F401  (fixture)

HINDI = "वाराणसी"


def varanasi_in_hindi(db, district="Varanasi"):
    """Inventory says the VNS depot's district has a Hindi name (BHD's and MZP's have none)."""
    consumer.remember_depot(db, new_event("DepotUpdated", "VNS", {
        "code": "VNS", "name": "Varanasi depot", "name_hi": "वाराणसी डिपो", "district": district,
        "district_hi": HINDI, "zone": "plain"}, source="inventory"))


def page(client, path, lang, as_=None):
    browser = client.app.test_client()
    browser.set_cookie(COOKIE, (as_ or client.admin())["Authorization"].split()[1])
    browser.set_cookie(LANG_COOKIE, lang)
    response = browser.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def cell(html, row, key):
    """The district cell (the 4th) of a list's row marked data-<row>="<key>"."""
    found = re.search(rf'<tr data-{row}="{re.escape(key)}">(?:.*?<td[^>]*>){{4}}(.*?)</td>', html, re.S)
    assert found, (row, key)
    return found.group(1).strip()


def people(client):
    varanasi_in_hindi(client.db, district="  varanasi ")  # the depot's English district spelled otherwise
    client.register("ART-1", cooperative="Coop-A")  # in Varanasi
    client.call("POST", "/artisans", client.admin(), {
        "artisan_id": "ART-2", "name": "Artisan 2", "district": "BHADOHI", "craft": "weaving",
        "registration_id": "REG-ART-2", "cooperative": None}, status=201)  # BHD has no Hindi district
    client.call("POST", "/artisans", client.admin(), {
        "artisan_id": "ART-3", "name": "Artisan 3", "district": "Sonbhadra", "craft": "weaving",
        "registration_id": "REG-ART-3", "cooperative": None}, status=201)  # no depot there
    client.cooperative("Coop-B", district="VARANASI")
    client.cooperative("Coop-C", district="Bhadohi")


def test_the_artisan_and_cooperative_lists_say_a_district_in_hindi_where_its_depot_gives_one(client):
    people(client)
    hindi = page(client, "/admin/artisans", "hi")
    english = page(client, "/admin/artisans", "en")
    assert [cell(hindi, "artisan", a) for a in ("ART-1", "ART-2", "ART-3")] == [HINDI, "BHADOHI", "Sonbhadra"]
    assert [cell(english, "artisan", a) for a in ("ART-1", "ART-2", "ART-3")] == ["Varanasi", "BHADOHI", "Sonbhadra"]
    assert HINDI not in english
    hindi = page(client, "/admin/cooperatives", "hi")
    english = page(client, "/admin/cooperatives", "en")
    assert [cell(hindi, "cooperative", c) for c in ("Coop-A", "Coop-B", "Coop-C")] == [HINDI, HINDI, "Bhadohi"]
    assert [cell(english, "cooperative", c) for c in ("Coop-A", "Coop-B", "Coop-C")] == \
        ["Varanasi", "VARANASI", "Bhadohi"]


def test_the_passbook_says_the_artisans_district_in_hindi_and_english_without_a_hindi_name(client):
    people(client)
    mine = {"as_": client.artisan("ART-1")}
    assert f"· {HINDI}</p>" in page(client, "/my/passbook", "hi", **mine)
    assert "· Varanasi</p>" in page(client, "/my/passbook", "en", **mine)
    assert "· BHADOHI</p>" in page(client, "/my/passbook", "hi", as_=client.artisan("ART-2"))


def test_the_receipt_says_the_artisans_district_in_hindi(client):
    priced_catalog(client.db)
    varanasi_in_hindi(client.db)
    scheme(client)
    client.register("ART-1", looms=2)
    rid = sell(client, "ART-1", [(COTTON, "10")])["id"]
    assert f"(ART-1) · {HINDI}</p>" in page(client, f"/requisitions/{rid}/receipt", "hi")
    english = page(client, f"/requisitions/{rid}/receipt", "en")
    assert "(ART-1) · Varanasi</p>" in english and HINDI not in english


def claim_of(client):
    priced_catalog(client.db)  # VNS and HIL, both of Varanasi
    varanasi_in_hindi(client.db)
    scheme(client, covers={"crafts": [], "districts": ["varanasi", "Bhadohi", "Sonbhadra"]})
    client.register("ART-1", looms=2)
    client.register("ART-2", looms=1)
    client.call("PATCH", "/artisans/ART-2", client.admin(), {"district": "Bhadohi"}, status=200)
    sell(client, "ART-1", [(COTTON, "10")])
    sell(client, "ART-2", [(COTTON, "5")])
    return f"/admin/claims?scheme=RMSS&month={this_month()}"


def test_the_claims_page_says_its_districts_rows_and_chart_in_hindi(client):
    url = claim_of(client)
    hindi, english = page(client, url, "hi"), page(client, url, "en")
    for html, varanasi in ((hindi, HINDI), (english, "Varanasi")):
        rows = dict(re.findall(r'<tr data-district="([^"]+)"><td[^>]*>([^<]*)</td>', html))
        assert rows == {"Varanasi": varanasi, "Bhadohi": "Bhadohi"}  # the row's data-district stays as stored
        assert re.search(rf'text-anchor="end">{varanasi}</text>', html)  # the chart's label
        assert re.search(r'text-anchor="end">Bhadohi</text>', html)
    assert HINDI not in english


def test_the_schemes_page_says_the_districts_a_scheme_covers_in_hindi(client):
    claim_of(client)
    covers = r'data-label="[^"]+">([^<]*)</td></tr>'
    assert re.search(covers, page(client, "/admin/schemes", "hi")).group(1) == f"{HINDI}, Bhadohi, Sonbhadra"
    assert re.search(covers, page(client, "/admin/schemes", "en")).group(1) == "varanasi, Bhadohi, Sonbhadra"


def test_the_claims_csv_and_json_keep_the_districts_as_typed_for_a_hindi_reader(client):
    """Byte for byte what an English reader gets (this claim has no correction rows, whose label is in the
    reader's language), with no Hindi district in either."""
    url = claim_of(client).replace("/admin/claims", "/reports/subsidy-claims")
    said = {}
    for lang in ("en", "hi"):
        as_ = {**client.admin(), "Accept-Language": lang}
        browser = client.app.test_client()
        browser.set_cookie(LANG_COOKIE, lang)  # as the claims page's link is followed, in the page's language
        csv = browser.get(f"/api/v1{url}&format=csv", headers=as_)
        assert csv.status_code == 200
        answer = client.call("GET", url, as_, status=200)
        assert HINDI not in answer.get_data(as_text=True)
        said[lang] = (csv.get_data(), {k: v for k, v in answer.get_json().items() if k != "as_of"})  # when it ran
    assert said["hi"] == said["en"]
    assert "Varanasi".encode() in said["hi"][0] and HINDI.encode() not in said["hi"][0]
