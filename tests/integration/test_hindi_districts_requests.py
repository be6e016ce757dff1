"""Artisans', cooperatives' and claims' districts in Hindi on the requests service's Hindi pages. They are typed in
English, so the Hindi pages said "Varanasi" where the depot of Varanasi is known as "वाराणसी" (its `district_hi`).
Now a district is said in Hindi on Hindi pages when a depot of that district (case and spacing aside) has a Hindi
name in the service's copy of depots, and as typed otherwise; English pages, the CSV and the JSON are as they were."""
from __future__ import annotations

import re

from services.requests import consumer
from shared.auth import COOKIE
from shared.districts import depot_districts
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
        assert re.search(rf'text-anchor="end"><tspan [^>]*>{varanasi}</tspan></text>', html)  # the chart's label
        assert re.search(r'text-anchor="end"><tspan [^>]*>Bhadohi</tspan></text>', html)
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


def searchers(client):
    """The people above, a member of Varanasi whose district is typed otherwise again, and a district of three words
    whose depot names it in Hindi."""
    people(client)
    consumer.remember_depot(client.db, new_event("DepotRegistered", "SRN", {
        "code": "SRN", "name": "Gyanpur depot", "district": "Sant Ravidas Nagar", "district_hi": "संत रविदास नगर",
        "zone": "plain"}, source="inventory"))
    for artisan_id, district in (("ART-4", "VARANASI"), ("ART-5", "sant  ravidas nagar")):
        client.call("POST", "/artisans", client.admin(), {
            "artisan_id": artisan_id, "name": f"Artisan {artisan_id[-1]}", "district": district, "craft": "weaving",
            "registration_id": f"REG-{artisan_id}", "cooperative": None}, status=201)


def found(client, **query):
    answer = client.http.get("/api/v1/artisans", query_string=query, headers=client.admin())
    assert answer.status_code == 200, answer.get_json()
    return [a["artisan_id"] for a in answer.get_json()]


def test_a_search_by_a_districts_hindi_name_finds_the_artisans_of_that_district(client):
    """Staff reading in Hindi type वाराणसी: the artisans of Varanasi (however its English was typed, as the Hindi list
    says them all वाराणसी) are found, as typing Varanasi finds them; a part of it finds them as a part of the
    English does. A depot without a Hindi district gives none: भदोही finds nobody."""
    searchers(client)
    assert found(client, q=HINDI) == ["ART-1", "ART-4"]
    assert found(client, q="वारा") == ["ART-1", "ART-4"]
    assert found(client, q=f"{HINDI} ART-4") == ["ART-4"]
    assert found(client, q="संत रविदास नगर") == found(client, q="नगर") == ["ART-5"]
    assert found(client, q="भदोही") == []
    assert found(client, district=HINDI) == ["ART-1", "ART-4"]
    assert found(client, district=" संत  रविदास नगर") == ["ART-5"]
    assert found(client, district="वारा") == []  # the filter is one whole district, as in English


def test_a_search_in_english_finds_what_it_found_before(client):
    searchers(client)
    assert found(client, q="Varanasi") == found(client, q="varan") == ["ART-1", "ART-4"]
    assert found(client, q="Bhadohi") == ["ART-2"]
    assert found(client, q="Ravidas") == ["ART-5"]
    assert found(client, district="Varanasi") == ["ART-1"]  # the filter is exact in English, as it was
    assert found(client, district="VARANASI") == ["ART-4"]
    assert found(client, district="Sonbhadra") == ["ART-3"]


def rows_of(html):
    return re.findall(r'<tr data-artisan="([^"]+)">', html)


def test_the_artisan_list_finds_a_district_typed_in_hindi_in_both_languages(client):
    """The page's search box and its District box take the Hindi name too; a secretary finds only their own."""
    searchers(client)
    for lang in ("hi", "en"):
        assert rows_of(page(client, f"/admin/artisans?q={HINDI}", lang)) == ["ART-1", "ART-4"]
        assert rows_of(page(client, f"/admin/artisans?district={HINDI}", lang)) == ["ART-1", "ART-4"]
        assert rows_of(page(client, "/admin/artisans?q=Varanasi", lang)) == ["ART-1", "ART-4"]
    secretary = client.secretary("Coop-A")
    assert rows_of(page(client, f"/admin/artisans?q={HINDI}", "hi", as_=secretary)) == ["ART-1"]
    hindi = page(client, "/admin/artisans?q=भदोही", "hi")
    assert rows_of(hindi) == [] and "कोई कारीगर" in hindi


def test_one_read_of_the_depots_says_a_district_both_ways_and_sees_a_depot_event_at_once(client):
    """Pages (English -> Hindi) and the search (Hindi -> English) read the depots once a request (shared.districts);
    where one app context answers several requests (as here), a depot's Hindi district is seen as soon as its event
    is kept, as when the search read the depots each time."""
    client.register("ART-1", cooperative="Coop-A")  # in Varanasi, whose depot has no Hindi district yet
    with client.app.app_context():
        assert found(client, q=HINDI) == []
        assert cell(page(client, "/admin/artisans", "hi"), "artisan", "ART-1") == "Varanasi"
        varanasi_in_hindi(client.db, district="  varanasi ")
        assert found(client, q=HINDI) == found(client, district=HINDI) == ["ART-1"]
        assert cell(page(client, "/admin/artisans", "hi"), "artisan", "ART-1") == HINDI
        districts = depot_districts(client.db)
        assert (districts.in_hindi("VARANASI"), districts.in_english("वारा", part=True)) == (HINDI, ["  varanasi "])


def test_the_depots_are_read_once_a_request(client):
    """What one request says of districts holds for all of it (a page says a district the same in every row)."""
    with client.app.test_request_context():
        first = depot_districts(client.db)
        client.db.depots.update_one({"_id": "BHD"}, {"$set": {"district_hi": "भदोही"}})  # not by its event
        assert depot_districts(client.db) is first and first.in_hindi("Bhadohi") is None
    with client.app.test_request_context():
        assert depot_districts(client.db).in_hindi("bhadohi") == "भदोही"
