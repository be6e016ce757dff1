"""A request's history says who acted in words its reader knows, and names each material as the page's language
does: an artisan reads "by you", "by the depot clerk" (or the person's name), never a login name nor a material's
code; staff read the same words with the login name after them, and the codes."""
from __future__ import annotations

import re
from html import unescape

import pytest

from services.requests import consumer, users
from shared.envelope import new_event
from tests.integration.test_requests_lifecycle import inventory_says
from tests.integration.test_requests_returns import page
from tests.integration.test_requests_support import client  # noqa: F401  (fixture)

LOGINS = ("user-ART-1", "asha-admin", "clerk1")


@pytest.fixture
def handed_over(client, token):
    """ART-1's request of cotton yarn, approved by an admin, set aside and handed over by a depot clerk."""
    consumer.remember_material(client.db, new_event("MaterialRegistered", "YRN-COT-40", {
        "sku": "YRN-COT-40", "name": "Cotton yarn 40s", "name_hi": "सूती धागा 40s", "category": "yarn",
        "unit": "kg", "reorder_level": 0}, source="inventory"))
    client.register("ART-1")
    users.add_user(client.db, username="user-ART-1", password="pw-artisan-1", role="artisan", artisan_id="ART-1")
    users.add_user(client.db, username="asha-admin", password="pw-admin-1", role="admin")
    users.add_user(client.db, username="clerk1", password="pw-clerk-1", role="warehouse", depot="VNS")
    me, clerk = client.artisan("ART-1"), token("warehouse", sub="clerk1", depot="VNS")
    rid = client.submit(me, [("YRN-COT-40", 5)])["id"]
    client.act(rid, "approve", client.admin())
    inventory_says(client, "StockReserved", rid)
    client.pay_in_full(rid)
    client.act(rid, "dispatch", clerk)
    return rid, me, clerk


def history(html: str) -> list[str]:
    """Each step's 'by ...' line as read (tags dropped, spaces joined)."""
    return [" ".join(unescape(re.sub(r"<[^>]+>", "", found)).split())
            for found in re.findall(r'<span class="small muted"[^>]*>(.*?)</span></li>',
                                    html.split('<ol class="steps">', 1)[1], re.S)]


def main(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html.split('id="main"', 1)[1])


@pytest.mark.parametrize("lang, words, cotton", [
    ("en", ["by you", "by an admin", "by the depot's stock system", "by the depot clerk"], "Cotton yarn 40s"),
    ("hi", ["आपके द्वारा", "एडमिन द्वारा", "डिपो की स्टॉक प्रणाली द्वारा", "डिपो लिपिक द्वारा"], "सूती धागा 40s")])
def test_the_artisan_reads_who_acted_in_words_and_each_material_by_its_name(client, handed_over, lang, words,
                                                                           cotton):
    rid, me, _ = handed_over
    html = page(client, f"/my/requisitions/{rid}", me, lang)
    assert history(html) == words
    assert cotton in main(html)
    assert not [login for login in (*LOGINS, "YRN-COT-40") if login in main(html)]


@pytest.mark.parametrize("lang, words", [
    ("en", ["by Artisan ART-1 (user-ART-1)", "by an admin (asha-admin)", "by the depot's stock system",
            "by the depot clerk (clerk1)"]),
    ("hi", ["Artisan ART-1 (user-ART-1) द्वारा", "एडमिन (asha-admin) द्वारा", "डिपो की स्टॉक प्रणाली द्वारा",
            "डिपो लिपिक (clerk1) द्वारा"])])
def test_staff_read_the_same_words_with_the_login_name_and_the_material_code(client, handed_over, lang, words):
    rid, _, clerk = handed_over
    for reader in (client.admin(), clerk):
        html = page(client, f"/my/requisitions/{rid}", reader, lang)
        assert history(html) == words
        assert "YRN-COT-40" in main(html)


def test_a_login_with_a_display_name_is_named_by_it_in_the_page_language(client, handed_over):
    rid, me, clerk = handed_over
    client.db.users.update_one({"_id": "clerk1"}, {"$set": {"name": "Ravi Kumar", "name_hi": "रवि कुमार"}})
    assert history(page(client, f"/my/requisitions/{rid}", me, "en"))[-1] == "by Ravi Kumar"
    assert history(page(client, f"/my/requisitions/{rid}", me, "hi"))[-1] == "रवि कुमार द्वारा"
    assert history(page(client, f"/my/requisitions/{rid}", clerk, "en"))[-1] == "by Ravi Kumar (clerk1)"


@pytest.mark.parametrize("lang, act", [("en", "Hand over"), ("hi", "सौंपें")])
def test_staff_hand_over_from_the_request_page_by_the_same_word_as_the_depot_page(client, token, lang, act):
    """The button on a request set aside said "Dispatch" (sent) in English and "सौंपें" (hand over) in Hindi: the
    artisan collects at the depot's counter, so both say the act of handing over, as the depot's page does."""
    client.register("ART-1")
    rid = client.submit(client.artisan("ART-1"), [("YRN-COT-40", 5)])["id"]
    client.act(rid, "approve", client.admin())
    inventory_says(client, "StockReserved", rid)
    html = page(client, f"/my/requisitions/{rid}", token("warehouse", sub="clerk1", depot="VNS"), lang)
    assert re.search(rf'/dispatch"[^>]*>\s*<span class="spinner"[^>]*></span><span>{act}</span>', html)
    assert "Dispatch" not in main(html)


def test_a_return_on_the_request_page_says_who_took_it_back_in_the_same_words(client, handed_over):
    """The returns under the history said "by clerk1" to the artisan too."""
    rid, me, clerk = handed_over
    client.call("POST", f"/requisitions/{rid}/returns", clerk, {
        "lines": [{"sku": "YRN-COT-40", "quantity": "1", "condition": "restock"}], "reason": "wrong shade"},
        status=201)

    def returns(html):
        return [" ".join(unescape(re.sub(r"<[^>]+>", "", found)).split())
                for found in re.findall(r'<tr data-return=[^>]*><td[^>]*>[^<]*<br><span class="small muted"[^>]*>'
                                        r'(.*?)</span>', html, re.S)]
    assert returns(page(client, f"/my/requisitions/{rid}", me, "en")) == ["by the depot clerk"]
    assert returns(page(client, f"/my/requisitions/{rid}", me, "hi")) == ["डिपो लिपिक द्वारा"]
    assert returns(page(client, f"/my/requisitions/{rid}", clerk, "en")) == ["by the depot clerk (clerk1)"]
