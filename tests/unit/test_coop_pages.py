"""The cooperative pages on the in-process stores, in Hindi: the secretary's split form (no script needed),
a member confirming their share on the request page, and the printable passbook."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from urllib.parse import urlsplit

import pytest

from services.requests import consumer
from shared.envelope import new_event
from tests.unit.test_money_pages import apps, person, text  # noqa: F401  (fixture)

COTTON = "YRN-COT-40"


def secretary_of(apps, config, lang="hi"):
    return person(apps["requests"], config, "secretary", lang, cooperative="SMBSS")


def test_the_secretary_splits_thirty_kg_across_three_members_and_sends_it(apps, config):
    secretary = secretary_of(apps, config)
    form = text(secretary.get("/coop/new"))
    assert "रमेश कुमार" in form and "सीता देवी" in form and "अब्दुल करीम" in form
    split = secretary.post("/coop/new", data={"csrf_token": secretary.csrf, "depot": "VNS", f"total-{COTTON}": "30",
                                              "split": COTTON})
    page = split.get_data(as_text=True)
    filled = re.findall(rf'name="qty-(ART-000\d)-{COTTON}" inputmode="decimal" value="([^"]*)"', page)
    assert filled == [("ART-0001", "10"), ("ART-0002", "10"), ("ART-0003", "10")]
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page).group(1)
    grid = {f"qty-ART-000{n}-{COTTON}": "10" for n in (1, 2, 3)}
    body = {"csrf_token": secretary.csrf, "depot": "VNS", "idempotency_key": key, **grid}
    sent = secretary.post("/coop/new", data=body)
    assert sent.status_code == 302 and "/my/requisitions/" in sent.headers["Location"]
    again = secretary.post("/coop/new", data=body)  # a double click: the same request, and the page says so
    assert again.headers["Location"] == sent.headers["Location"] + "?again=1"
    assert "पहले ही भेज" in text(secretary.get(urlsplit(again.headers["Location"]).path + "?again=1"))
    db = apps["requests"].extensions["rawbank"].db
    changed = secretary.post("/coop/new", data={**body, f"qty-ART-0001-{COTTON}": "12"})  # Back, change, send
    page = changed.get_data(as_text=True)
    assert changed.status_code == 400 and "Idempotency" not in page and "key" not in text_of(changed).lower()
    assert re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page).group(1) != key  # ready to send again
    assert sent.headers["Location"].split("/my/")[1] in page  # with a link to the request already made
    [made] = list(db.requisitions.find())
    assert [(s["artisan_id"], s["lines"][0]["quantity"]) for s in made["shares"]] == \
        [("ART-0001", 10_000), ("ART-0002", 10_000), ("ART-0003", 10_000)]


def test_split_equally_leaves_out_a_member_with_no_loom_yet_and_says_so(apps, config):
    """A member the secretary registered has 0 looms until an admin approves them: the yarn quota is counted per loom,
    so their part of the split was refused at Send, and every split put it back. Now they are left out, and told."""
    db = apps["requests"].extensions["rawbank"].db
    db.artisans.update_one({"_id": "ART-0003"}, {"$set": {"looms": 0}})
    secretary = secretary_of(apps, config, "en")
    split = secretary.post("/coop/new", data={"csrf_token": secretary.csrf, "depot": "VNS", f"total-{COTTON}": "30",
                                              f"qty-ART-0003-{COTTON}": "10", "split": COTTON})
    page = split.get_data(as_text=True)
    filled = re.findall(rf'name="qty-(ART-000\d)-{COTTON}" inputmode="decimal" value="([^"]*)"', page)
    assert filled == [("ART-0001", "15"), ("ART-0002", "15"), ("ART-0003", "")]
    assert "Left out of the split: Abdul Karim. No loom is registered for them yet, and the monthly yarn quota is " \
           "counted per loom; an admin approves their looms." in text(split)
    in_hindi = secretary_of(apps, config)
    hindi = in_hindi.post("/coop/new", data={"csrf_token": in_hindi.csrf, "depot": "VNS", f"total-{COTTON}": "30",
                                             "split": COTTON})
    assert "बँटवारे से छोड़े गए: अब्दुल करीम। उनका अभी कोई करघा दर्ज नहीं है" in text(hindi)


def test_the_split_form_gives_each_members_looms_as_a_count_never_one_looms(apps, config):
    """A member with one loom read "ART-0002 · 1 looms"; the count is given after a label, in both languages."""
    english = text(secretary_of(apps, config, "en").get("/coop/new"))
    assert "ART-0001 · Looms: 2" in english and "ART-0002 · Looms: 1" in english and "looms" not in english
    hindi = text(secretary_of(apps, config).get("/coop/new"))
    assert "ART-0002 · करघे: 1" in hindi


def test_bad_grids_are_refused_in_hindi_and_send_nothing(apps, config):
    secretary = secretary_of(apps, config)
    bad = secretary.post("/coop/new", data={"csrf_token": secretary.csrf, "depot": "VNS",
                                            f"qty-ART-0001-{COTTON}": "दस"})
    assert bad.status_code == 400 and "संख्या" in text_of(bad) and 'aria-invalid="true"' in bad.get_data(as_text=True)
    empty = secretary.post("/coop/new", data={"csrf_token": secretary.csrf, "depot": "VNS"})
    assert empty.status_code == 400 and "कम से कम एक सदस्य" in text_of(empty)
    over = secretary.post("/coop/new", data={"csrf_token": secretary.csrf, "depot": "VNS",
                                             f"qty-ART-0002-{COTTON}": "31"})
    notice = re.search(r'<p class="notice error" role="alert">(.*?)</p>', over.get_data(as_text=True)).group(1)
    assert over.status_code == 400 and notice.startswith("सीता देवी का मासिक धागा कोटा 30 किलो है")  # her own cap
    assert apps["requests"].extensions["rawbank"].db.requisitions.count_documents({}) == 0
    artisan = person(apps["requests"], config, "artisan", artisan_id="ART-0001")
    assert artisan.get("/coop/new").status_code == 403


def member_line(html: str, member: str) -> str:
    """A member's folded line of the request-for-members form, from its <details> to its end."""
    return re.search(rf'<details class="member fold" data-member="{member}"[^>]*>.*?</details>', html, re.S).group(0)


@pytest.mark.parametrize("lang, words", [("hi", "सूती धागा 40s 12.5 किलो"), ("en", "Cotton yarn 40s 12.5 kg")])
def test_a_refused_members_line_is_open_with_what_was_typed_the_others_folded_saying_their_choice(apps, config, lang,
                                                                                               words):
    """Each member is one folded line (a phone listed every material of every member). A refusal opens the line of
    the member it is about, what was typed in it kept; the others stay folded, each saying what is chosen for them,
    and a member with nothing says so. No script is needed."""
    secretary = secretary_of(apps, config, lang)
    html = secretary.post("/coop/new", data={"csrf_token": secretary.csrf, "depot": "VNS",
                                             f"qty-ART-0001-{COTTON}": "दस", f"qty-ART-0002-{COTTON}": "12.5"}
                          ).get_data(as_text=True)
    refused, chosen, nothing = (member_line(html, m) for m in ("ART-0001", "ART-0002", "ART-0003"))
    assert re.match(r'<details[^>]* open>', refused) and 'value="दस"' in refused and 'aria-invalid="true"' in refused
    assert not re.match(r'<details[^>]* open>', chosen) and 'value="12.5"' in chosen
    assert " ".join(text_of_html(re.search(r"<summary>.*?</summary>", chosen, re.S).group(0)).split()).endswith(words)
    assert re.search(r"data-chosen>([^<]*)<", nothing).group(1) == {"hi": "अभी कुछ नहीं चुना",
                                                                   "en": "Nothing chosen yet"}[lang]


def test_the_materials_to_ask_for_are_folded_into_one_line_saying_how_many_are_shown(apps, config):
    """A depot's 30 materials, each a box to tick, stood above the form (1,300 px of a phone): now one folded line
    says how many are shown of how many, and opens to the boxes; the form shows the first six."""
    db = apps["requests"].extensions["rawbank"].db
    for n in range(30):
        db.materials.insert_one({"_id": f"ZZ-{n:02d}", "name": f"Yarn {n}", "name_hi": f"धागा {n}", "unit": "kg"})
    html = secretary_of(apps, config).get("/coop/new").get_data(as_text=True)
    chooser = re.search(r"<details[^>]*data-materials-chooser>\s*<summary>([^<]*)</summary>(.*?)</details>", html, re.S)
    shown, ticks = chooser.group(1), chooser.group(2)
    assert shown == f"माँगने की सामग्री: {db.materials.count_documents({})} में से 6। बदलें", shown
    assert ticks.count('type="checkbox" name="sku"') == db.materials.count_documents({})


def test_each_members_line_carries_what_the_find_box_looks_in_and_a_refused_one_is_kept_shown(apps, config):
    """The box above the lines finds a member by name in either language, number or active login (coop_members.js);
    it comes with the page hidden, as without script it does nothing; a line the server opened says so, as no
    search may hide it."""
    db = apps["requests"].extensions["rawbank"].db
    db.users.delete_many({"artisan_id": {"$in": ["ART-0002", "ART-0003"]}})
    db.users.insert_many([{"_id": "sita-old", "role": "artisan", "artisan_id": "ART-0002", "active": False},
                          {"_id": "karim.weaver", "role": "artisan", "artisan_id": "ART-0003"}])
    secretary = secretary_of(apps, config)
    html = secretary.post("/coop/new", data={"csrf_token": secretary.csrf, "depot": "VNS",
                                             f"qty-ART-0001-{COTTON}": "दस"}).get_data(as_text=True)
    finds = dict(re.findall(r'<details class="member fold" data-member="([^"]+)"\s+data-search="([^"]*)"', html))
    assert finds["ART-0002"] == "sita devi सीता देवी art-0002"  # a deactivated login is no login
    assert finds["ART-0003"] == "abdul karim अब्दुल करीम art-0003 karim.weaver"
    kept = re.findall(r'data-member="(ART-000\d)"[^>]*data-opened open>', html)
    assert kept == ["ART-0001"]
    box = re.search(r'<div class="coop-find" data-find hidden>(.*?)</div>', html, re.S).group(1)
    assert "सदस्य खोजें" in box and 'data-says="{all} में से {n} सदस्य दिख रहे हैं"' in box and "name=" not in box


def text_of_html(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def text_of(response) -> str:
    return text_of_html(response.get_data(as_text=True))


def received(apps, config) -> str:
    """A 30 kg request for the three members, taken through the saga to received."""
    requests_app = apps["requests"]
    secretary = secretary_of(apps, config)
    lines = [{"sku": COTTON, "quantity": "10", "artisan_id": f"ART-000{n}"} for n in (1, 2, 3)]
    rid = secretary.post("/api/v1/requisitions", json={"depot": "VNS", "cooperative": "SMBSS", "lines": lines},
                         headers={"X-CSRF-Token": secretary.csrf}).get_json()["id"]
    admin = person(requests_app, config, "admin")
    admin.post(f"/api/v1/requisitions/{rid}/approve", json={}, headers={"X-CSRF-Token": admin.csrf})
    consumer.make_handler(requests_app.extensions["rawbank"].db, config)(new_event("StockReserved", rid, {
        "requisition_id": rid, "depot": "VNS", "lines": [{"sku": COTTON, "quantity": 30_000}]}, source="inventory"))
    admin.post(f"/api/v1/requisitions/{rid}/dispatch", json={}, headers={"X-CSRF-Token": admin.csrf})
    assert secretary.post(f"/api/v1/requisitions/{rid}/receive", json={},
                          headers={"X-CSRF-Token": secretary.csrf}).status_code == 200
    return rid


def test_a_member_is_asked_to_confirm_on_the_request_page_and_the_secretary_sees_each_share(apps, config):
    rid = received(apps, config)
    member = person(apps["requests"], config, "artisan", artisan_id="ART-0002")
    page = member.get(f"/my/requisitions/{rid}").get_data(as_text=True)
    assert 'id="confirm-share"' in page and "मुझे पूरा मिल गया" in page and "रद्द करें" not in page
    assert page.count('data-member="') == 1  # only her own share
    seen = text(secretary_of(apps, config).get(f"/my/requisitions/{rid}"))
    assert seen.count("सदस्य की प्रतीक्षा") == 3 and "नया कोड भेजें" in seen


def test_the_passbook_is_printable_and_shows_looms_entitlement_and_the_share(apps, config):
    rid = received(apps, config)
    artisan = person(apps["requests"], config, "artisan", artisan_id="ART-0001")
    page = text(artisan.get("/my/passbook"))
    assert "कच्चा माल पासबुक" in page and "करघे: 2" in page and "सहकारी समिति के माध्यम से" in page
    html = artisan.get("/my/passbook").get_data(as_text=True)
    assert f'data-requisition="{rid}"' in html and "data-print" in html and "rawbank.js" in html
    assert person(apps["requests"], config, "artisan", artisan_id="ART-0002").get("/passbook/ART-0001").status_code \
        == 403
    assert secretary_of(apps, config).get("/passbook/ART-0003").status_code == 200


def test_the_form_keeps_the_apis_limits_of_lines_and_note_and_says_so_in_hindi(apps, config):
    """The page sent its grid straight on: 210 quantities or a 1,001-character note made a request the API refuses."""
    db = apps["requests"].extensions["rawbank"].db
    handle = consumer.make_handler(db, config)
    skus = [f"YRN-X{n:02}" for n in range(70)]
    for sku in skus:
        handle(new_event("MaterialRegistered", sku, {"sku": sku, "name": f"Yarn {sku}", "name_hi": f"धागा {sku}",
                                                     "category": "yarn", "unit": "kg", "reorder_level": 1_000},
                         source="inventory"))
    secretary = secretary_of(apps, config)
    grid = {f"qty-ART-000{n}-{sku}": "0.1" for n in (1, 2, 3) for sku in skus}
    many = secretary.post("/coop/new", data={"csrf_token": secretary.csrf, "depot": "VNS", "sku": skus, **grid})
    assert many.status_code == 400 and "एक अनुरोध में ज़्यादा से ज़्यादा 200" in text_of(many)
    assert 'value="0.1"' in many.get_data(as_text=True)  # the grid comes back as typed
    long = secretary.post("/coop/new", data={"csrf_token": secretary.csrf, "depot": "VNS",
                                             f"qty-ART-0001-{COTTON}": "1", "note": "क" * 1_001})
    assert long.status_code == 400 and "1000 अक्षरों से लंबी" in text_of(long)
    assert db.requisitions.count_documents({}) == 0


def test_staff_take_a_members_payment_on_a_cooperatives_request_page(apps, config):
    """The payment form had no member, so every payment a depot took there was refused (the API needs the member)."""
    rid = received(apps, config)
    warehouse = person(apps["requests"], config, "warehouse", "en", depot="VNS")
    page = warehouse.get(f"/my/requisitions/{rid}").get_data(as_text=True)
    form = re.search(r'<form[^>]*id="payment".*?</form>', page, re.S).group(0)
    options = re.findall(r'<option value="(ART-000\d)"[^>]*>([^<]*)</option>', form)
    assert [member for member, _ in options] == ["ART-0001", "ART-0002", "ART-0003"]
    assert "Ramesh Kumar" in options[0][1] and "₹" in options[0][1]  # whose share, and what is still to pay on it
    assert re.search(r'<select[^>]*name="artisan_id"', form)
    paid = warehouse.post(f"/api/v1/requisitions/{rid}/payments", headers={"X-CSRF-Token": warehouse.csrf},
                          json={"artisan_id": "ART-0002", "amount": "100", "method": "cash", "reference": "R-9"})
    assert paid.status_code == 201
    form = re.search(r'<form[^>]*id="payment".*?</form>',
                     warehouse.get(f"/my/requisitions/{rid}").get_data(as_text=True), re.S).group(0)
    before, after = (re.search(rf'<option value="{m}"[^>]*>([^<]*)</option>', form).group(1) for m in ("ART-0001",
                                                                                                         "ART-0002"))
    assert re.search(r"₹([\d,.]+)", before).group(1) != re.search(r"₹([\d,.]+)", after).group(1)


def test_the_requests_csv_gives_each_member_a_row_with_the_price_of_their_share(apps, config):
    """A cooperative's line (30 kg for three members) showed the price of the last member's 10 kg only; then all
    30 kg and every member's money under the first member. Each member's share is a row of its own now, the rows
    adding up to the requisition's price."""
    import csv
    import io
    rid = received(apps, config)
    doc = apps["requests"].extensions["rawbank"].db.requisitions.find_one({"_id": rid})
    shares = [share["pricing"]["payable_total"] for share in doc["shares"]]
    assert len(shares) == 3 and doc["pricing"]["payable_total"] == sum(shares)
    for who in (secretary_of(apps, config, "en"), person(apps["requests"], config, "admin", "en")):
        exported = who.get("/api/v1/requisitions?format=csv")
        rows = [row for row in csv.DictReader(io.StringIO(exported.get_data().decode("utf-8-sig")))
                if row["requisition_id"] == rid]
        assert [(row["artisan_id"], row["sku"], row["quantity"]) for row in rows] == \
            [(f"ART-000{n}", COTTON, "10") for n in (1, 2, 3)]
        assert [row["amount_rupees"] for row in rows] == [f"{paise // 100}.{paise % 100:02d}" for paise in shares]
    member = person(apps["requests"], config, "artisan", "en", artisan_id="ART-0002")
    [mine] = [row for row in csv.DictReader(io.StringIO(member.get("/api/v1/requisitions?format=csv")
                                                       .get_data().decode("utf-8-sig")))
              if row["requisition_id"] == rid]
    assert (mine["artisan_id"], mine["quantity"], mine["amount_rupees"]) == \
        ("ART-0002", "10", f"{shares[1] // 100}.{shares[1] % 100:02d}")


def test_a_cooperatives_receipt_names_the_cooperative_and_what_each_member_paid_and_owes(apps, config):
    """The receipt of a cooperative's request named its first member as the buyer of all three shares."""
    rid = received(apps, config)
    warehouse = person(apps["requests"], config, "warehouse", "en", depot="VNS")
    paid = warehouse.post(f"/api/v1/requisitions/{rid}/payments", headers={"X-CSRF-Token": warehouse.csrf},
                          json={"artisan_id": "ART-0002", "amount": "2172.68", "method": "cash", "reference": "R-1"})
    assert paid.status_code == 201
    for who in (warehouse, secretary_of(apps, config, "en")):
        page = who.get(f"/requisitions/{rid}/receipt").get_data(as_text=True)
        head = re.search(r"<h1>.*?</h1>.*?</p>\s*<p>(.*?)</p>", page, re.S).group(1)
        assert "Sarai Mohana Bunkar Sahkari Samiti" in head and "SMBSS" in head and "Ramesh" not in head
        rows = dict(re.findall(r'<tr data-member="(ART-000\d)">(.*?)</tr>', page, re.S))
        assert sorted(rows) == ["ART-0001", "ART-0002", "ART-0003"]
        assert "Ramesh Kumar" in rows["ART-0001"] and "₹2,172.68" in rows["ART-0001"]
        assert re.sub(r"<[^>]+>|\s+", " ", rows["ART-0002"]).split()[-2:] == ["₹2,172.68", "₹0.00"]
        words = text(who.get(f"/requisitions/{rid}/receipt"))
        assert "Amount paid: ₹2,172.68" in words and "Still to pay: ₹4,345.36" in words
    member = text(person(apps["requests"], config, "artisan", "en", artisan_id="ART-0002")
                  .get(f"/requisitions/{rid}/receipt"))
    assert "Sita Devi" in member and "Ramesh" not in member and "Still to pay: ₹0.00" in member


def test_a_members_advance_does_not_count_as_paying_the_other_members_shares(apps, config):
    """One member paying more than her share (an advance) made the cooperative's request page and receipt say the
    others owed less than they do: what was paid was set against the sum of every share."""
    rid = received(apps, config)
    warehouse = person(apps["requests"], config, "warehouse", "en", depot="VNS")
    paid = warehouse.post(f"/api/v1/requisitions/{rid}/payments", headers={"X-CSRF-Token": warehouse.csrf},
                          json={"artisan_id": "ART-0002", "amount": "3000", "method": "advance", "reference": "A-1"})
    assert paid.status_code == 201
    for path in (f"/my/requisitions/{rid}", f"/requisitions/{rid}/receipt"):
        page = warehouse.get(path).get_data(as_text=True)
        assert re.search(r'data-f="due">₹4,345.36<', page), path  # the two others' shares: 2 x 2,172.68
        assert re.search(r'data-f="paid">₹3,000.00<', page), path


def test_split_equally_without_a_total_says_to_write_one_and_keeps_the_grid(apps, config):
    """'Split equally' with the material's total left empty (or not a quantity) reloaded the grid as it was and said
    nothing: the secretary could not tell why no member's cell was filled."""
    secretary = secretary_of(apps, config)
    typed = {"csrf_token": secretary.csrf, "depot": "VNS", f"qty-ART-0001-{COTTON}": "4", "note": "मेरा नोट"}
    for total in ("", "दस", "0"):
        split = secretary.post("/coop/new", data={**typed, f"total-{COTTON}": total, "split": COTTON})
        page = split.get_data(as_text=True)
        notice = re.search(r'<p class="notice error" role="alert">(.*?)</p>', page)
        assert split.status_code == 400 and notice, total
        assert "सूती धागा 40s" in notice.group(1) and "कुल" in notice.group(1), notice.group(1)
        assert re.search(rf'name="total-{COTTON}" inputmode="decimal" value="{total}"[^>]*aria-invalid="true"', page)
        assert f'name="qty-ART-0001-{COTTON}" inputmode="decimal" value="4"' in page and "मेरा नोट" in page
    assert apps["requests"].extensions["rawbank"].db.requisitions.count_documents({}) == 0


def test_a_cooperatives_request_names_each_member_in_the_pages_language(apps, config):
    """Each member's share kept only the English name: a Hindi page of a cooperative's request (its members, the
    member to take a payment from, the receipt, the approvals) read 'Sita Devi' where every other page reads
    'सीता देवी'."""
    rid = received(apps, config)
    admin = person(apps["requests"], config, "admin")
    lines = [{"sku": COTTON, "quantity": "1", "artisan_id": "ART-0002"}]
    secretary = secretary_of(apps, config)
    assert secretary.post("/api/v1/requisitions", json={"depot": "VNS", "cooperative": "SMBSS", "lines": lines},
                          headers={"X-CSRF-Token": secretary.csrf}).status_code == 201
    for path in (f"/my/requisitions/{rid}", f"/requisitions/{rid}/receipt", "/admin/approvals"):
        page = text(admin.get(path))
        assert "सीता देवी" in page and "Sita Devi" not in page, path
    english = text(person(apps["requests"], config, "admin", lang="en").get(f"/my/requisitions/{rid}"))
    assert "Sita Devi" in english and "सीता देवी" not in english


def test_a_cooperatives_request_names_the_cooperative_not_its_code(apps, config):
    """The request page said 'Cooperative: SMBSS', a code, where the receipt and the passbook name it."""
    rid = received(apps, config)
    for lang, name in (("hi", "सराय मोहना बुनकर सहकारी समिति"), ("en", "Sarai Mohana Bunkar Sahkari Samiti")):
        page = text(person(apps["requests"], config, "admin", lang).get(f"/my/requisitions/{rid}"))
        assert re.search(rf"(सहकारी समिति|Cooperative): {name}", page), (lang, page[:300])


def test_a_split_above_members_quotas_is_said_beside_each_and_sending_it_names_every_member_in_the_third_person(
        apps, config):
    """200 kg of cotton split equally is 66.667 kg each, above each member's yarn quota: the split said nothing,
    and Send said "your quota" to the secretary, naming only the first member and not what to do."""
    secretary = secretary_of(apps, config)
    split = secretary.post("/coop/new", data={"csrf_token": secretary.csrf, "depot": "VNS", f"total-{COTTON}": "200",
                                              "split": COTTON})
    page = split.get_data(as_text=True)
    filled = re.findall(rf'name="qty-(ART-000\d)-{COTTON}" inputmode="decimal" value="([^"]*)"', page)
    assert [value for _, value in filled] == ["66.667", "66.667", "66.666"]
    beside = re.findall(rf'id="qty-(ART-000\d)-{COTTON}-over" data-over>([^<]*)<', page)
    assert [member for member, _ in beside] == ["ART-0001", "ART-0002", "ART-0003"]
    assert [said for _, said in beside] == ["मासिक कोटा से अधिक: 60 किलो बचा है।",
                                            "मासिक कोटा से अधिक: 30 किलो बचा है।", "मासिक कोटा से अधिक: 30 किलो बचा है।"]
    assert "रमेश कुमार, सीता देवी, अब्दुल करीम को उनके मासिक धागा कोटे में बचे से अधिक" in text(split)
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page).group(1)
    grid = {f"qty-{member}-{COTTON}": value for member, value in filled}
    sent = secretary.post("/coop/new", data={"csrf_token": secretary.csrf, "depot": "VNS", "idempotency_key": key,
                                             **grid})
    said = re.search(r'<p class="notice error" role="alert">(.*?)</p>', sent.get_data(as_text=True)).group(1)
    assert sent.status_code == 400
    assert "आपका" not in said
    for name, cap in (("रमेश कुमार", 60), ("सीता देवी", 30), ("अब्दुल करीम", 30)):
        assert f"{name} का मासिक धागा कोटा {cap} किलो है" in said, said
    assert "उनकी मात्रा" in said
    db = apps["requests"].extensions["rawbank"].db
    assert not list(db.requisitions.find())


def test_each_cell_of_the_members_form_says_its_unit_as_a_phone_shows_it(apps, config):
    """At 360 px there is no column heading with "(kg)" above a box: each box's own label says the unit."""
    page = secretary_of(apps, config).get("/coop/new").get_data(as_text=True)
    labels = re.findall(r'<span class="coop-label">([^<]*)</span>\s*(?:<span class="coop-split">)?'
                        r'<input name="(?:total|qty)-', page)
    assert labels and all(label.endswith("(किलो)") or label.endswith(")") for label in labels), labels
    assert labels.count("सूती धागा 40s (किलो)") == 4, labels  # the total and the three members


def test_the_passbook_leaves_out_entitlements_no_material_counts_against_as_the_other_pages_do(apps, config):
    """"Cotton hank yarn above 40s 20 / 0 / 20", without a unit, next to lines in kg: no material maps to that
    category, so nothing can be asked of it, and the estimate and new-request pages leave it out."""
    artisan = person(apps["requests"], config, "artisan", artisan_id="ART-0001")
    html = artisan.get("/my/passbook").get_data(as_text=True)
    rows = re.findall(r'<tr data-category="([^"]+)">(.*?)</tr>', html, re.S)
    assert "cotton-hank-upto-40s" in [category for category, _ in rows]
    assert "cotton-hank-above-40s" not in [category for category, _ in rows]
    for category, row in rows:
        cells = re.findall(r'<td class="num"[^>]*>([^<]*)</td>', row)
        assert cells and all(cell.strip().endswith("किलो") for cell in cells), (category, cells)


def test_a_cooperatives_price_names_whose_line_is_whose(apps, config):
    """The price section listed "Cotton yarn 40s ... 3.334 kg" then two identical-looking 3.333 kg lines, with no
    member names: each line now says whose share it is, on the request page and its receipt."""
    secretary = secretary_of(apps, config)
    lines = [{"sku": COTTON, "quantity": q, "artisan_id": f"ART-000{n}"} for n, q in ((1, "3.334"), (2, "3.333"),
                                                                                    (3, "3.333"))]
    rid = secretary.post("/api/v1/requisitions", json={"depot": "VNS", "cooperative": "SMBSS", "lines": lines},
                         headers={"X-CSRF-Token": secretary.csrf}).get_json()["id"]
    admin = person(apps["requests"], config, "admin")  # a receipt records something paid (else there is none yet)
    paid = admin.post(f"/api/v1/requisitions/{rid}/payments", json={"amount": "10", "method": "cash",
                                                                    "reference": "CASH-1", "artisan_id": "ART-0001"},
                      headers={"X-CSRF-Token": admin.csrf})
    assert paid.status_code == 201, paid.get_json()
    for path in (f"/my/requisitions/{rid}", f"/requisitions/{rid}/receipt"):
        html = secretary.get(path).get_data(as_text=True)
        priced = re.search(r"<table[^>]*data-pricing>.*?<tbody>(.*?)</tbody>", html, re.S).group(1)
        rows = re.findall(r"<tr data-part[^>]*>(.*?)</tr>", priced, re.S)
        members = [re.search(r'data-member="(ART-000\d)">(?:<bdi[^>]*>)?([^<]*)<', row).groups() for row in rows]
        assert sorted(set(members)) == [("ART-0001", "रमेश कुमार"), ("ART-0002", "सीता देवी"),
                                        ("ART-0003", "अब्दुल करीम")], (path, members)


def test_the_secretarys_list_of_requests_names_whom_each_is_for(apps, config):
    """The secretary's list of requests (/my) gave each card its day, status, materials and depot, and never whom it
    was for: a request for one member and one for the cooperative's members read alike. Now each card names its
    member (with their number: two members may share a name), or each member of a cooperative's with their share, in
    the page's language."""
    secretary = secretary_of(apps, config)
    one = secretary.post("/api/v1/requisitions", json={"depot": "VNS", "artisan_id": "ART-0002",
                                                       "lines": [{"sku": "DYE-INDIGO", "quantity": "1"}]},
                         headers={"X-CSRF-Token": secretary.csrf})
    lines = [{"sku": COTTON, "quantity": q, "artisan_id": f"ART-000{n}"} for n, q in ((1, "4"), (3, "6"))]
    coop = secretary.post("/api/v1/requisitions", json={"depot": "VNS", "cooperative": "SMBSS", "lines": lines},
                          headers={"X-CSRF-Token": secretary.csrf})
    assert one.status_code == 201 and coop.status_code == 201
    for lang, sita, ramesh, karim in (("hi", "सीता देवी", "रमेश कुमार", "अब्दुल करीम"),
                                      ("en", "Sita Devi", "Ramesh Kumar", "Abdul Karim")):
        html = secretary_of(apps, config, lang).get("/my").get_data(as_text=True)
        cards = {rid: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card)) for rid, card in re.findall(
            r'data-requisition="([^"]+)"(.*?)</a>', html, re.S)}
        single, shared = cards[one.get_json()["id"]], cards[coop.get_json()["id"]]
        assert (f"{sita} (ART-0002) के लिए" if lang == "hi" else f"For {sita} (ART-0002)") in single \
            and ramesh not in single, (lang, single)
        assert f"{ramesh} (ART-0001)" in shared and f"{karim} (ART-0003)" in shared and sita not in shared, \
            (lang, shared)
        assert ("4 किलो" if lang == "hi" else "4 kg") in shared, (lang, shared)  # each member's own share
        assert ("2 सदस्यों के लिए" if lang == "hi" else "For 2 members") in shared, (lang, shared)


PASSBOOK_WORDS = {
    "en": {"year": "Financial year 2025-26: April 2025 to March 2026", "label": "Financial year (April to March)",
           "none": "No material asked for in this financial year.",
           "cut": "This financial year has more requests than a passbook lists: only the newest 1 are",
           "whole": "the payments, credit notes and refunds listed are those of the financial year 2025-26",
           "wrong": "Write a financial year such as"},
    "hi": {"year": "वित्तीय वर्ष 2025-26: अप्रैल 2025 से मार्च 2026", "label": "वित्तीय वर्ष (अप्रैल से मार्च)",
           "none": "इस वित्तीय वर्ष में कोई सामग्री नहीं माँगी गई।",
           "cut": "इस वित्तीय वर्ष के अनुरोध पासबुक में दिखाए जा सकने से अधिक हैं: केवल सबसे नए",
           "whole": "सूची में दिए भुगतान, क्रेडिट नोट और लौटाई गई राशि वित्तीय वर्ष 2025-26 की हैं",
           "wrong": "जैसा वित्तीय वर्ष लिखें"}}


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_the_passbook_shows_a_financial_year_chosen_back_to_the_first_request(apps, config, lang, monkeypatch):
    """The passbook listed the newest 200 requests whatever their year and could not show or print older ones: it is
    now a financial year's (this one unless chosen), its printed page says which, and a chooser goes back to the
    year of the first request."""
    from services.requests import passbook
    from shared.calendar import financial_year_of
    rid = received(apps, config)
    db = apps["requests"].extensions["rawbank"].db
    db.requisitions.update_one({"_id": rid}, {"$set": {"created_at": "2025-06-10T05:00:00.000Z"}})
    words, this_year = PASSBOOK_WORDS[lang], financial_year_of(datetime.now(timezone.utc))
    for who, path in ((person(apps["requests"], config, "artisan", lang, artisan_id="ART-0001"), "/my/passbook"),
                      (secretary_of(apps, config, lang), "/passbook/ART-0001")):
        html = who.get(path).get_data(as_text=True)
        assert f'data-requisition="{rid}"' not in html and words["none"] in text(who.get(path))
        options = re.findall(r'<option value="([0-9-]+)"( selected)?>', html)
        assert options[0] == (this_year, " selected") and options[-1] == ("2025-26", "")
        assert [y for y, _ in options] == sorted({y for y, _ in options}, reverse=True)
        assert words["label"] in html
        earlier = who.get(f"{path}?year=2025-26")
        page = text(earlier)
        assert f'data-requisition="{rid}"' in earlier.get_data(as_text=True)
        assert words["year"] in page and words["whole"] in page and words["cut"] not in page
        monkeypatch.setattr(passbook, "ENTRIES", 1)
        db.requisitions.insert_one({**db.requisitions.find_one({"_id": rid}, {"outbox": 0}), "_id": rid + "-older",
                                    "created_at": "2025-06-09T05:00:00.000Z"})
        assert words["cut"] in text(who.get(f"{path}?year=2025-26"))
        db.requisitions.delete_one({"_id": rid + "-older"})
        monkeypatch.setattr(passbook, "ENTRIES", 2000)
        wrong = text(who.get(f"{path}?year=2025-27"), 400)
        assert words["wrong"] in wrong and words["none"] in wrong  # this year's, and how to write one


def test_the_depot_records_at_the_counter_what_a_member_says_and_the_pages_say_who_did(apps, config):
    """A member without the app, at the depot, could not have what they say recorded: the depot's staff have a form
    per share waiting for its member (in Hindi), the secretary none; what they record shows as recorded by them on the
    member's word, on the request page and in the member's passbook."""
    from tests.browser.english import english_in
    from tests.integration.test_every_page_in_hindi import texts_of
    rid = received(apps, config)
    depot = person(apps["requests"], config, "warehouse", depot="VNS")
    html = depot.get(f"/my/requisitions/{rid}").get_data(as_text=True)
    assert html.count("data-at-depot=") == 3 and "/shares/ART-0002/received" in html
    assert "काउंटर" in text(depot.get(f"/my/requisitions/{rid}"))
    assert english_in([t for t in texts_of(html) if "Artisan" not in t]) == []  # the members' names are as typed
    assert "data-at-depot=" not in secretary_of(apps, config).get(f"/my/requisitions/{rid}").get_data(as_text=True)
    said = depot.post(f"/api/v1/requisitions/{rid}/shares/ART-0002/received",
                      json={"lines": [{"sku": COTTON, "quantity": "8"}]}, headers={"X-CSRF-Token": depot.csrf})
    assert said.status_code == 201, said.get_data(as_text=True)
    for lang, words in (("hi", "डिपो पर"), ("en", "recorded by Meena Devi (warehouse) on the member's word")):
        page = tight(text(person(apps["requests"], config, "admin", lang).get(f"/my/requisitions/{rid}")))
        assert words in page
    html = depot.get(f"/my/requisitions/{rid}").get_data(as_text=True)
    assert html.count("data-at-depot=") == 2 and 'data-via="depot"' in html
    for lang, words in (("hi", "डिपो पर"), ("en", "as you said at the depot: recorded by Meena Devi")):
        book = text(person(apps["requests"], config, "artisan", lang, artisan_id="ART-0002").get("/my/passbook"))
        assert words in book


def test_a_member_disputes_on_their_request_page_what_the_depot_recorded_and_the_pages_show_it(apps, config):
    """A member could not say in the system that what the depot recorded for them is wrong: the request's page offers
    them (only for a share the depot recorded) "This is not what I received" with a note, then shows their dispute;
    staff see it in the member's row; in Hindi and English."""
    from tests.browser.english import english_in
    from tests.integration.test_every_page_in_hindi import texts_of
    rid = received(apps, config)
    member = person(apps["requests"], config, "artisan", "en", artisan_id="ART-0002")
    assert 'id="dispute-share"' not in member.get(f"/my/requisitions/{rid}").get_data(as_text=True)  # waits for them
    depot = person(apps["requests"], config, "warehouse", depot="VNS")
    said = depot.post(f"/api/v1/requisitions/{rid}/shares/ART-0002/received",
                      json={"lines": [{"sku": COTTON, "quantity": "8"}]}, headers={"X-CSRF-Token": depot.csrf})
    assert said.status_code == 201, said.get_data(as_text=True)
    html = member.get(f"/my/requisitions/{rid}").get_data(as_text=True)
    assert 'id="dispute-share"' in html and "/shares/ART-0002/dispute" in html and 'name="note"' in html
    shown = text_of_html(html)
    assert "This is not what I received" in shown and "recorded at the depot by Meena Devi" in shown
    hindi = person(apps["requests"], config, "artisan", "hi", artisan_id="ART-0002").get(f"/my/requisitions/{rid}")
    assert "मुझे यह नहीं मिला" in text(hindi)
    assert english_in([t for t in texts_of(hindi.get_data(as_text=True)) if "Artisan" not in t]) == []
    other = person(apps["requests"], config, "artisan", "en", artisan_id="ART-0001")
    assert 'id="dispute-share"' not in other.get(f"/my/requisitions/{rid}").get_data(as_text=True)
    sent = member.post(f"/api/v1/requisitions/{rid}/shares/ART-0002/dispute", json={"note": "I got 6 kg, not 8"},
                       headers={"X-CSRF-Token": member.csrf, "Idempotency-Key": "form-1"})
    assert sent.status_code == 201, sent.get_data(as_text=True)
    page = text(member.get(f"/my/requisitions/{rid}"))
    assert "You told the department this is not what you received" in page and "I got 6 kg, not 8" in page
    assert "This is not what I received" not in page
    assert "मुझे यह नहीं मिला" not in text(hindi := person(apps["requests"], config, "artisan", "hi",
                                                            artisan_id="ART-0002").get(f"/my/requisitions/{rid}"))
    assert "आपने विभाग को बताया" in text(hindi)
    for lang, words in (("en", "Disputed by the member on"), ("hi", "सदस्य ने")):
        staff = text(person(apps["requests"], config, "admin", lang).get(f"/my/requisitions/{rid}"))
        assert words in staff and "I got 6 kg, not 8" in staff


def test_an_admin_settles_a_dispute_on_the_request_page_and_the_member_reads_the_outcome(apps, config):
    """Nobody could settle a member's dispute in the system: the admin now has, in the member's row of the request's
    page, a form to uphold it (what the member received) and one to reject it, each with a note, sent without the
    script to the page that says so; the depot's staff do not (they made the record). Once settled the row says how
    and the member's page tells them the outcome and the note; in English and Hindi."""
    from tests.browser.english import english_in
    from tests.integration.test_every_page_in_hindi import texts_of
    rid, admin = disputed_share(apps, config)
    depot = person(apps["requests"], config, "warehouse", depot="VNS")
    member = person(apps["requests"], config, "artisan", "en", artisan_id="ART-0002")
    html = admin.get(f"/my/requisitions/{rid}").get_data(as_text=True)
    assert html.count("data-settle=") == 1 and "/shares/ART-0002/dispute/settlement" in html
    forms = re.findall(r"<form[^>]*data-settle-(?:upheld|rejected)[^>]*>", html)
    assert len(forms) == 2 and all('method="post"' in f and "/needs-script" in f and "data-api=" in f for f in forms)
    assert 'name="outcome" value="upheld"' in html and 'name="outcome" value="rejected"' in html
    shown = text_of_html(html)
    assert "Settle the dispute" in shown and "Uphold the dispute" in shown and "Reject the dispute" in shown
    hindi = person(apps["requests"], config, "admin", "hi").get(f"/my/requisitions/{rid}")
    assert "आपत्ति का निपटारा करें" in text(hindi)
    assert english_in([t for t in texts_of(hindi.get_data(as_text=True)) if "Artisan" not in t]) == []
    assert "data-settle=" not in depot.get(f"/my/requisitions/{rid}").get_data(as_text=True)  # they made the record
    settled = admin.post(f"/api/v1/requisitions/{rid}/shares/ART-0002/dispute/settlement",
                         json={"outcome": "upheld", "note": "Weighed again: 6 kg", "quantity": "6"},
                         headers={"X-CSRF-Token": admin.csrf})
    assert settled.status_code == 201, settled.get_data(as_text=True)
    page = tight(text(admin.get(f"/my/requisitions/{rid}")))
    assert "Upheld by Kavita Rao (admin)" in page and "Weighed again: 6 kg" in page and "Settle the dispute" not in page
    mine = text(member.get(f"/my/requisitions/{rid}"))
    assert "The department upheld your dispute" in mine and "Weighed again: 6 kg" in mine
    assert "credited to your account" in mine
    hindi = person(apps["requests"], config, "artisan", "hi", artisan_id="ART-0002").get(f"/my/requisitions/{rid}")
    assert "विभाग ने आपकी आपत्ति सही मानी" in text(hindi)


def disputed_share(apps, config) -> tuple[str, object]:
    """ART-0002's 10 kg recorded at the depot as received in full, and disputed by them; (request, the admin)."""
    rid = received(apps, config)
    depot = person(apps["requests"], config, "warehouse", depot="VNS")
    said = depot.post(f"/api/v1/requisitions/{rid}/shares/ART-0002/received", json={},
                      headers={"X-CSRF-Token": depot.csrf})
    assert said.status_code == 201, said.get_data(as_text=True)
    member = person(apps["requests"], config, "artisan", "en", artisan_id="ART-0002")
    sent = member.post(f"/api/v1/requisitions/{rid}/shares/ART-0002/dispute", json={"note": "I got 6 kg, not 10"},
                       headers={"X-CSRF-Token": member.csrf, "Idempotency-Key": "form-1"})
    assert sent.status_code == 201, sent.get_data(as_text=True)
    return rid, person(apps["requests"], config, "admin", "en")


def settle(admin, rid, body):
    settled = admin.post(f"/api/v1/requisitions/{rid}/shares/ART-0002/dispute/settlement", json=body,
                         headers={"X-CSRF-Token": admin.csrf})
    assert settled.status_code == 201, settled.get_data(as_text=True)


def passbook_cell(apps, config, rid, lang) -> str:
    html = person(apps["requests"], config, "artisan", lang, artisan_id="ART-0002").get("/my/passbook") \
        .get_data(as_text=True)
    row = re.search(rf'<tr data-requisition="{rid}">.*?</tr>', html, re.S).group(0)
    return tight(text_of_html(re.search(r'data-f="confirmation">(.*?)</td>', row, re.S).group(1)))


def tight(shown: str) -> str:
    """Text as read, without the spaces the tags of what a person typed leave ("( admin ," is "(admin,")."""
    return re.sub(r"\( ", "(", re.sub(r" ([,)])", r"\1", shown)).strip()


def test_after_an_upheld_dispute_the_passbook_and_request_page_say_what_the_department_settled(apps, config):
    """An upheld dispute still read in the member's passbook "as you said at the depot: recorded by warehouse", the
    record the department had just overturned, and the request page "recorded by warehouse on the member's word"
    and "what you received is now recorded as you said", the shortfall "credited" before the depot credited it. Now
    they say what the member received as the department settled it (by whom, when) and that the rest is to be
    credited, then is credited, as a short share; in English and Hindi."""
    rid, admin = disputed_share(apps, config)
    waiting = passbook_cell(apps, config, rid, "en")
    assert "as you said" not in waiting and "you disputed it" in waiting, waiting
    settle(admin, rid, {"outcome": "upheld", "note": "Weighed again: 6 kg", "quantity": "6"})
    for lang, words in (("en", ["As the department settled your dispute (Kavita Rao,", "you received 6 kg Cotton",
                                "What did not reach you (4 kg Cotton", "is to be credited to your account"]),
                        ("hi", ["विभाग ने आपकी आपत्ति का निपटारा किया (कविता राव,", "आपको 6 किलो",
                                "जो आप तक नहीं पहुँचा (4 किलो", "जमा किया जाना है"])):
        cell = passbook_cell(apps, config, rid, lang)
        assert all(w in cell for w in words), (lang, cell)
        assert "as you said" not in cell and "जैसा आपने डिपो पर बताया" not in cell
        mine = tight(text(person(apps["requests"], config, "artisan", lang, artisan_id="ART-0002")
                          .get(f"/my/requisitions/{rid}")))
        assert all(w in mine for w in words), (lang, mine)
        assert "as you said" not in mine and "on the member's word" not in mine and "सदस्य के कहने पर" not in mine
    staff = text(admin.get(f"/my/requisitions/{rid}"))
    assert "was replaced when the department settled the dispute" in staff, staff
    depot = person(apps["requests"], config, "warehouse", depot="VNS")
    back = depot.post(f"/api/v1/requisitions/{rid}/returns", headers={"X-CSRF-Token": depot.csrf}, json={
        "artisan_id": "ART-0002", "reason": "did not reach the member",
        "lines": [{"sku": COTTON, "quantity": "4", "condition": "short"}]})
    assert back.status_code == 201, back.get_data(as_text=True)
    for lang, words in (("en", "is credited to your account"), ("hi", "आपके खाते में जमा किया गया")):
        cell = passbook_cell(apps, config, rid, lang)
        assert words in cell and "to be credited" not in cell and "जमा किया जाना है" not in cell, (lang, cell)


def test_after_a_rejected_dispute_the_passbook_says_the_depots_record_stands_as_the_department_decided(apps, config):
    rid, admin = disputed_share(apps, config)
    settle(admin, rid, {"outcome": "rejected", "note": "Signed for all of it"})
    for lang, words in (("en", ["The depot's record (by Meena Devi,", "stands, as the department decided on"]),
                        ("hi", ["डिपो का दर्ज (मीना देवी,", "विभाग के फ़ैसले के अनुसार"])):
        cell = passbook_cell(apps, config, rid, lang)
        assert all(w in cell for w in words), (lang, cell)
        assert "as you said" not in cell and "जैसा आपने डिपो पर बताया" not in cell
    staff = text(admin.get(f"/my/requisitions/{rid}"))
    assert "it stands, as the department decided" in staff, staff


def test_a_cooperatives_request_for_one_member_says_one_member_on_the_list_and_the_approvals(apps, config):
    """A cooperative's request with a share for one member only read "For 1 members:" on the secretary's list and the
    admins' approvals; now "For one member:" (Hindi: "एक सदस्य के लिए:")."""
    secretary = secretary_of(apps, config)
    lines = [{"sku": COTTON, "quantity": "4", "artisan_id": "ART-0002"}]
    made = secretary.post("/api/v1/requisitions", json={"depot": "VNS", "cooperative": "SMBSS", "lines": lines},
                          headers={"X-CSRF-Token": secretary.csrf})
    assert made.status_code == 201, made.get_json()
    for lang, one in (("en", "For one member:"), ("hi", "एक सदस्य के लिए:")):
        admin = person(apps["requests"], config, "admin", lang)
        for page in (text(secretary_of(apps, config, lang).get("/my")), text(admin.get("/admin/approvals"))):
            assert one in page and "1 members" not in page and "1 सदस्यों" not in page, (lang, page)


@pytest.mark.parametrize("lang,title", [("en", "Not available just now"), ("hi", "अभी उपलब्ध नहीं")])
def test_a_request_the_store_is_too_busy_to_take_is_the_busy_page_not_a_form_error(apps, config, monkeypatch, lang,
                                                                                    title):
    """A record too busy to take the request (Busy, a failure on our side: the API's 503 busy with Retry-After 1)
    was said on the form as if the secretary had typed something wrong, 400 with no Retry-After. It is the app's
    page for a failure on our side, 503 with Retry-After, as every page shows it; nothing is sent."""
    import mongomock

    from shared.errors import Busy

    def busy(self, *args, **kwargs):
        raise Busy()
    secretary = secretary_of(apps, config, lang)
    grid = {f"qty-ART-000{n}-{COTTON}": "10" for n in (1, 2, 3)}
    for method in ("insert_one", "update_one", "find_one_and_update"):
        monkeypatch.setattr(mongomock.collection.Collection, method, busy)
    sent = secretary.post("/coop/new", data={"csrf_token": secretary.csrf, "depot": "VNS", "idempotency_key": "k1",
                                             **grid}, headers={"Accept": "text/html"})
    page = sent.get_data(as_text=True)
    assert sent.status_code == 503 and sent.headers.get("Retry-After") == "1", \
        (sent.status_code, text_of(sent)[-600:])
    assert f"<title>{title} · rawbank</title>" in page and Busy().describe_on_page(lang) in page
    monkeypatch.undo()
    assert not list(apps["requests"].extensions["rawbank"].db.requisitions.find())
