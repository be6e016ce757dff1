"""What a cooperative's secretary, its members and an admin read as they walk a request for members through, on the
in-process stores, in English and Hindi; each test failed before its fix."""
from __future__ import annotations

import re

import pytest

from tests.unit.test_coop_pages import COTTON, received, secretary_of, text_of_html
from tests.unit.test_money_pages import apps, person, text  # noqa: F401  (fixture)

DYE = "DYE-INDIGO"


@pytest.mark.parametrize("lang,said", [
    ("en", "Sita Devi (1 kg Natural indigo dye, 5 kg Cotton yarn 40s), Abdul Karim (4 kg Cotton yarn 40s)"),
    ("hi", "सीता देवी (1 किलो प्राकृतिक नील रंग, 5 किलो सूती धागा 40s), अब्दुल करीम (4 किलो सूती धागा 40s)")])
def test_an_admin_reads_which_material_each_members_share_is_when_the_request_has_several(apps, config, lang, said):
    """The approvals card said 'Sita Devi (1 kg, 5 kg)': of two materials, which was which was nowhere in the card."""
    secretary = secretary_of(apps, config)
    lines = [{"sku": COTTON, "quantity": "10", "artisan_id": "ART-0001"},
             {"sku": DYE, "quantity": "1", "artisan_id": "ART-0002"},
             {"sku": COTTON, "quantity": "5", "artisan_id": "ART-0002"},
             {"sku": COTTON, "quantity": "4", "artisan_id": "ART-0003"}]
    made = secretary.post("/api/v1/requisitions", json={"depot": "VNS", "cooperative": "SMBSS", "lines": lines},
                          headers={"X-CSRF-Token": secretary.csrf})
    assert made.status_code == 201, made.get_json()
    page = person(apps["requests"], config, "admin", lang).get("/admin/approvals").get_data(as_text=True)
    shares = text_of_html(re.search(r"<p class=\"small\" data-shares>.*?</p>", page, re.S).group(0))
    assert said in shares, shares


def test_one_materials_shares_are_said_by_quantity_alone(apps, config):
    """A request of one material keeps its short form: the card lists that material just above."""
    secretary = secretary_of(apps, config)
    lines = [{"sku": COTTON, "quantity": "10", "artisan_id": "ART-0001"},
             {"sku": COTTON, "quantity": "5", "artisan_id": "ART-0002"}]
    secretary.post("/api/v1/requisitions", json={"depot": "VNS", "cooperative": "SMBSS", "lines": lines},
                   headers={"X-CSRF-Token": secretary.csrf})
    page = person(apps["requests"], config, "admin", "en").get("/admin/approvals").get_data(as_text=True)
    shares = text_of_html(re.search(r"<p class=\"small\" data-shares>.*?</p>", page, re.S).group(0))
    assert "Ramesh Kumar (10 kg), Sita Devi (5 kg)" in shares, shares


def test_the_estimates_total_of_all_members_reads_as_a_row_of_figures_on_a_phone(apps, config):
    """Its total row was a bare 'total' row, which a phone lays out as one label and one amount: its four figures ran
    together after 'All members'. A total of several figures is `figures`, each figure under the other with its label,
    as the reports' and claims' totals are."""
    secretary = secretary_of(apps, config, "en")
    page = secretary.post("/coop/new", data={"csrf_token": secretary.csrf, "depot": "VNS", "estimate": "1",
                                             f"qty-ART-0001-{COTTON}": "10", f"qty-ART-0002-{COTTON}": "5"})
    html = page.get_data(as_text=True)
    table = re.search(r"<table class=\"stack\" data-members-estimate>.*?</table>", html, re.S).group(0)
    [total] = re.findall(r"<tfoot><tr class=\"([^\"]*)\"", table)
    assert total.split() == ["total", "figures"], total
    assert len(re.findall(r'<td class="num" data-label="', table.split("<tfoot>")[1])) == 4


@pytest.mark.parametrize("lang,said", [
    ("en", "Marked received. Each member is now asked to confirm their share, by SMS or on their request page; "
           "their answers show under “Members' shares”."),
    ("hi", "प्राप्त चिह्नित किया गया। अब हर सदस्य से SMS से या उसके अनुरोध के पेज पर अपने हिस्से की पुष्टि माँगी "
           "गई है; उनके जवाब “सदस्यों के हिस्से” में दिखते हैं।")])
def test_the_secretary_who_marked_it_received_is_told_the_members_answer_next(apps, config, lang, said):
    """The secretary read 'Done. You received this material.' while every member's share still waited for them."""
    rid = received(apps, config)
    page = text(secretary_of(apps, config, lang).get(f"/my/requisitions/{rid}"))
    assert said in page
    assert "You received this material" not in page and "आपको यह सामान मिल गया" not in page


@pytest.mark.parametrize("lang,yours,theirs", [("en", "Waiting for your answer", "Waiting for the member"),
                                               ("hi", "आपके जवाब की प्रतीक्षा", "सदस्य की प्रतीक्षा")])
def test_a_member_reads_that_their_own_answer_is_awaited_not_the_members(apps, config, lang, yours, theirs):
    """A member read 'Waiting for the member' about themself on their request page and in their passbook."""
    rid = received(apps, config)
    member = person(apps["requests"], config, "artisan", lang, artisan_id="ART-0002")
    for path in (f"/my/requisitions/{rid}", "/my/passbook"):
        page = member.get(path).get_data(as_text=True)
        cell = text_of_html(re.search(r'data-f="confirmation"[^>]*>.*?</(span|td)>', page, re.S).group(0))
        assert yours in cell and theirs not in cell, (path, cell)
    secretary = text(secretary_of(apps, config, lang).get(f"/my/requisitions/{rid}"))
    assert secretary.count(theirs) == 3 and yours not in secretary  # the secretary still waits for the members
