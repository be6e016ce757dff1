"""Lists of requests on the in-process stores (issue 18): paging beyond the old cap of 100, the admins' filters,
and the CSV of what is shown."""
from __future__ import annotations

import re

from tests.unit.test_money_pages import apps, person, text  # noqa: F401  (fixture)


def test_an_artisan_pages_through_all_their_requests(apps, config):
    artisan = person(apps["requests"], config, "artisan", "en", artisan_id="ART-0001")
    for n in range(52):
        made = artisan.post("/api/v1/requisitions", json={"depot": "VNS", "lines": [{"sku": "DYE-INDIGO",
                                                                                    "quantity": "0.1"}]},
                            headers={"X-CSRF-Token": artisan.csrf})
        assert made.status_code == 201
    first, second = text(artisan.get("/my")), text(artisan.get("/my?page=2"))
    assert first.count("Natural indigo dye") == 50 and second.count("Natural indigo dye") == 2
    assert "Page 1 of 2" in first and "52 in all" in first
    cancelled = text(artisan.get("/my?status=cancelled"))
    assert "No request matches" in cancelled


def test_admins_find_requests_by_words_and_material_and_export_them(apps, config):
    one = person(apps["requests"], config, "artisan", "en", artisan_id="ART-0001")
    two = person(apps["requests"], config, "artisan", "en", artisan_id="ART-0002")
    for who, sku in ((one, "DYE-INDIGO"), (two, "YRN-COT-40"), (two, "DYE-INDIGO")):
        assert who.post("/api/v1/requisitions", json={"depot": "VNS", "lines": [{"sku": sku, "quantity": "1"}]},
                        headers={"X-CSRF-Token": who.csrf}).status_code == 201
    admin = person(apps["requests"], config, "admin", "en")
    waiting = admin.get("/admin/approvals").get_data(as_text=True)
    assert waiting.count("data-requisition=") == 3 and 'id="approve-selected"' in waiting
    sita = admin.get("/admin/approvals", query_string={"q": "sita", "sku": "DYE-INDIGO"}).get_data(as_text=True)
    assert sita.count("data-requisition=") == 1 and "Sita Devi" in sita and "Ramesh Kumar" not in sita
    export = re.search(r'href="([^"]*format=csv[^"]*)"', sita).group(1).replace("&amp;", "&")
    assert "q=sita" in export and "sku=DYE-INDIGO" in export
    rows = admin.get(export).get_data().decode("utf-8-sig").splitlines()
    assert len(rows) == 2 and "ART-0002" in rows[1] and "DYE-INDIGO" in rows[1]
    bad_days = admin.get("/admin/approvals?from=2026-02-01&to=2026-01-01")
    assert "The last day comes before the first, so the list is not narrowed by day; correct one of the two days." \
        in text(bad_days)  # what is shown below is every day's, and it says so
    hindi = person(apps["requests"], config, "admin", "hi")
    assert "सीता देवी" in text(hindi.get("/admin/approvals?q=sita"))


def test_each_request_on_the_approvals_page_links_to_its_own_page(apps, config):
    """An admin wanting to open a submitted request before approving it (to take an advance payment, read its
    history) found no way to it from the approvals: only decided ones had an 'Open' link (and in Hindi it read
    'खुला', the word for an open alert)."""
    artisan = person(apps["requests"], config, "artisan", "en", artisan_id="ART-0001")
    made = [artisan.post("/api/v1/requisitions", json={"depot": "VNS", "lines": [{"sku": "DYE-INDIGO",
                                                                                   "quantity": "0.1"}]},
                         headers={"X-CSRF-Token": artisan.csrf}).get_json()["id"] for _ in range(2)]
    admin = person(apps["requests"], config, "admin", "en")
    assert admin.post(f"/api/v1/requisitions/{made[1]}/reject", json={"reason": "twice"},
                      headers={"X-CSRF-Token": admin.csrf}).status_code == 200
    for lang, words in (("en", "Open the request"), ("hi", "अनुरोध खोलें")):
        reader = person(apps["requests"], config, "admin", lang)
        html = reader.get("/admin/approvals?status=").get_data(as_text=True)
        cards = dict(re.findall(r'data-requisition="([^"]+)"(.*?)(?=data-requisition="|</main>)', html, re.S))
        assert set(cards) == set(made), cards.keys()
        for rid in made:  # the submitted one first, then the rejected one
            link = re.search(r'<a class="button secondary" href="([^"]+)">([^<]+)</a>', cards[rid])
            assert link and link.group(1).endswith(f"/my/requisitions/{rid}") and link.group(2) == words, (rid, lang)
