"""A return through the pages: depot staff take back part of a request handed over, the artisan sees the credit."""
from __future__ import annotations

import itertools
import os
import re

import pytest
from playwright.sync_api import expect

from tests import devserver
from tests.browser.test_pages import menu, reload_until
from tests.conftest import wait_until
from tests.devserver import http, running_dev

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
PASSWORDS = {"admin": "admin123", "warehouse": "warehouse123", "artisan": "artisan123"}


@pytest.fixture(scope="module")
def dev(monkeypatch_module):
    """`rawbank dev` on ports of RAWBANK_TEST_PORTS (from-to) when set, else on free ports as every browser test."""
    if os.environ.get("RAWBANK_TEST_PORTS"):
        low, high = map(int, os.environ["RAWBANK_TEST_PORTS"].split("-"))
        ports = itertools.count(low)
        monkeypatch_module.setattr(devserver, "free_ports",
                                   lambda count: [p for p, _ in zip(ports, range(count)) if p <= high])
    with running_dev() as started:
        yield started


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def token(dev, role):
    status, body = http("POST", dev.url("requests", "/api/v1/auth/login"),
                        {"username": role, "password": PASSWORDS[role]})
    assert status == 200, body
    return body["access_token"]


def handed_over(dev) -> str:
    """ART-0001 asks for 10 kg of 40s cotton; approved, set aside and handed over at VNS (through the API)."""
    artisan, admin, warehouse = (token(dev, role) for role in ("artisan", "admin", "warehouse"))
    api = dev.url("requests", "/api/v1")

    def submitted():
        status, body = http("POST", f"{api}/requisitions", {"depot": "VNS", "lines": [
            {"sku": "YRN-COT-40", "quantity": "10"}]}, artisan)
        return body["id"] if status == 201 else None
    rid = wait_until(submitted, 30, interval=0.5, message="requests to learn the catalog")
    assert http("POST", f"{api}/requisitions/{rid}/approve", {}, admin)[0] == 200
    wait_until(lambda: http("GET", f"{api}/requisitions/{rid}", None, admin)[1]["status"] == "reserved", 30,
               interval=0.3, message="the depot to set the cotton aside")
    status, body = http("POST", f"{api}/requisitions/{rid}/dispatch", {}, warehouse)
    assert status == 200, body
    return rid


def test_staff_take_back_part_of_a_handed_over_request_and_the_artisan_sees_the_credit(people, dev):
    rid = handed_over(dev)
    warehouse = people("warehouse").log_in()
    page = warehouse.page
    page.goto(warehouse.url("requests", f"/my/requisitions/{rid}"))
    due_before = page.locator('[data-f="due"]').inner_text()
    form = page.locator("#return")
    form.get_by_label("40s: how much came back (kg)", exact=False).fill("3")
    form.get_by_label("condition", exact=False).select_option("damaged")
    form.get_by_label("Why it came back (the artisan sees this)").fill("wrong shade")
    warehouse.shot("return-filled")
    form.get_by_text("Record the return").click()  # it asks first
    confirm = form.locator("details.confirm")
    expect(confirm).to_contain_text("Record this return and write the credit note?")
    confirm.get_by_role("button", name="Yes, record it").click()
    expect(form.locator("[data-errors]")).to_contain_text(
        re.compile(r"Return recorded: a credit note of ₹[\d,]+\.\d\d is on the account of Ramesh Kumar\."))
    row = page.locator("[data-returns] tr[data-return]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("3 kg")
    expect(row).to_contain_text("Damaged")
    credit = row.locator('[data-f="credit"] strong').inner_text()
    expect(form.locator("[data-errors]")).to_contain_text(f"a credit note of {credit} is")  # as the server writes it
    assert page.locator('[data-f="due"]').inner_text() != due_before  # the credit lowered what is still to pay
    warehouse.shot("return-recorded")
    form.get_by_label("40s: how much came back (kg)", exact=False).fill("8")  # 7 kg are left of the 10
    form.get_by_label("Why it came back (the artisan sees this)").fill("too much")
    form.get_by_text("Record the return").click()
    form.locator("details.confirm").get_by_role("button", name="Yes, record it").click()
    expect(form.locator(".field-error")).to_contain_text("at most 7 kg")
    expect(page.locator("[data-returns] tr[data-return]")).to_have_count(1)

    artisan = people("artisan").log_in()
    mine = artisan.page
    mine.goto(artisan.url("requests", f"/my/requisitions/{rid}"))
    expect(mine.locator("#return")).to_have_count(0)  # only the depot records a return
    expect(mine.locator("[data-returns] tr[data-return]")).to_contain_text(credit)
    expect(mine.locator("[data-returns]")).to_contain_text("wrong shade")
    artisan.shot("request-with-return")
    menu(mine, "My account").click()
    expect(mine.locator('[data-entries] tr[data-type="credit_note"]')).to_contain_text("\u2212" + credit)
    expect(mine.locator('[data-entries] tr[data-type="credit_note"]')).to_contain_text(
        "Credit note: material you returned")
    artisan.language("hi")
    mine.reload()
    reload_until(mine, lambda: mine.locator("html").get_attribute("lang") == "hi", message="the page in Hindi")
    note = mine.locator('[data-entries] tr[data-type="credit_note"]')
    expect(note).to_contain_text("क्रेडिट नोट: आपकी लौटाई सामग्री")
    artisan.shot("account-credit-note")


def test_staff_settle_what_did_not_reach_a_cooperatives_member_and_the_member_sees_it_credited(people, dev):
    """A member reported receiving 8 kg of their 10: the return form shows it and offers "Did not reach the member";
    settling 2 kg credits it (above what was reported is refused, saying the most), and the member's share says so."""
    import urllib.error
    from tests.browser.test_people_defects import api_call, coop_handed_over
    rid = coop_handed_over(dev, [{"sku": "YRN-COT-40", "quantity": "10", "artisan_id": "ART-0001"}])
    api_call(dev, "requests", f"/api/v1/requisitions/{rid}/receive", {}, user="secretary")
    api_call(dev, "requests", f"/api/v1/requisitions/{rid}/confirmations",
             {"artisan_id": "ART-0001", "quantity": "8"}, user="artisan")

    warehouse = people("warehouse").log_in()
    page = warehouse.page
    page.goto(warehouse.url("requests", f"/my/requisitions/{rid}"))
    form = page.locator("#return")
    expect(form.locator('[data-reported-short] li[data-member="ART-0001"]')).to_contain_text("reported short: 2 kg")
    form.get_by_label("Member who brought it back").select_option("ART-0001")
    form.get_by_label("40s: how much came back (kg)", exact=False).fill("3")
    form.get_by_label("condition", exact=False).select_option(label="Did not reach the member")
    form.get_by_label("Why it came back (the artisan sees this)").fill("short at hand-over")
    form.get_by_text("Record the return").click()
    form.locator("details.confirm").get_by_role("button", name="Yes, record it").click()
    expect(form.locator(".field-error")).to_contain_text("at most 2 kg")  # more than was reported short
    expect(page.locator("[data-returns] tr[data-return]")).to_have_count(0)
    form.get_by_label("40s: how much came back (kg)", exact=False).fill("2")
    form.get_by_text("Record the return").click()
    form.locator("details.confirm").get_by_role("button", name="Yes, record it").click()
    expect(form.locator("[data-errors]")).to_contain_text("Return recorded: a credit note of")
    row = page.locator("[data-returns] tr[data-return]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Did not reach the member")
    warehouse.shot("shortfall-settled")

    member = people("artisan").log_in()
    mine = member.page
    mine.goto(member.url("requests", f"/my/requisitions/{rid}"))
    share = mine.locator('[data-shares] tr[data-member="ART-0001"]')
    expect(share.locator("[data-short-settled]")).to_contain_text("2 kg that did not reach the member is credited")
    member.language("hi")
    mine.reload()
    reload_until(mine, lambda: mine.locator("html").get_attribute("lang") == "hi", message="the page in Hindi")
    expect(share.locator("[data-short-settled]")).to_contain_text("सदस्य तक नहीं पहुँचा")
    member.shot("shortfall-credited")


def test_a_returns_refusal_under_a_materials_field_names_the_material_once_in_english_and_hindi(people, dev):
    """More back than was handed over said under the field 'Cotton yarn 40s: how much came back: Cotton yarn 40s: 10
    kg was handed over ...': the field's label and the refusal each named the material. The refusal names it, once."""
    rid = handed_over(dev)
    warehouse = people("warehouse").log_in()
    page = warehouse.page
    for lang, label, why, at_most in (("en", "how much came back", "Why it came back", "at most 10 kg"),
                                      ("hi", "कितना वापस आया", "वापस क्यों आया", "अधिक से अधिक 10 किलो")):
        warehouse.language(lang)
        page.goto(warehouse.url("requests", f"/my/requisitions/{rid}"))
        expect(page.locator("html")).to_have_attribute("lang", lang)
        form = page.locator("#return")
        form.get_by_label(label, exact=False).fill("12")
        form.get_by_label(why, exact=False).fill("too much")
        form.locator("details.confirm summary").click()
        form.locator("details.confirm button[type=submit]").click()
        error = form.locator(".field-error")
        expect(error).to_contain_text(at_most)
        said = error.inner_text()
        name = page.locator("[data-return-line] td").first.inner_text().replace("YRN-COT-40", "").strip()
        assert said.count(name) == 1, (lang, name, said)
        assert said.startswith(name + ":"), (lang, said)
        warehouse.shot("return-refused")
    expect(page.locator("[data-returns] tr[data-return]")).to_have_count(0)  # refused: nothing recorded


def test_a_cooperatives_return_form_shows_the_chosen_members_share_and_records_the_return_for_them(people, dev):
    """Ramesh (ART-0001) was handed 6 kg of 40s cotton, Sita (ART-0002) 4 kg and 1 kg of indigo, of which 1 kg of
    cotton came back before. The form shows the request's whole until a member is chosen, then that member's own
    (returns.js), the whole again when the choice is undone; what it records is the chosen member's return."""
    import urllib.error
    from tests.browser.test_people_defects import api_call, coop_handed_over
    rid = coop_handed_over(dev, [{"sku": "YRN-COT-40", "quantity": "6", "artisan_id": "ART-0001"},
                                 {"sku": "YRN-COT-40", "quantity": "4", "artisan_id": "ART-0002"},
                                 {"sku": "DYE-INDIGO", "quantity": "1", "artisan_id": "ART-0002"}])
    api_call(dev, "requests", f"/api/v1/requisitions/{rid}/returns", {"artisan_id": "ART-0002", "reason": "extra",
             "lines": [{"sku": "YRN-COT-40", "quantity": "1", "condition": "restock"}]})

    warehouse = people("warehouse").log_in()
    page = warehouse.page
    page.goto(warehouse.url("requests", f"/my/requisitions/{rid}"))
    form = page.locator("#return")

    def shown(sku):
        row = form.locator(f'tr[data-return-line][data-sku="{sku}"]')
        return [row.locator(f'td[data-label="{label}"]') for label in ("Handed over", "Came back before")]

    def expect_shown(figures):
        for sku, (handed, before) in figures.items():
            handed_cell, before_cell = shown(sku)
            expect(handed_cell).to_have_text(handed, use_inner_text=True)
            expect(before_cell).to_have_text(before, use_inner_text=True)

    whole = {"YRN-COT-40": ("10 kg", "1 kg"), "DYE-INDIGO": ("1 kg", "0 kg")}
    expect_shown(whole)
    chooser = form.get_by_label("Member who brought it back")
    chooser.select_option("ART-0001")
    expect_shown({"YRN-COT-40": ("6 kg", "0 kg"), "DYE-INDIGO": ("0 kg", "0 kg")})
    chooser.select_option("ART-0002")
    expect_shown({"YRN-COT-40": ("4 kg", "1 kg"), "DYE-INDIGO": ("1 kg", "0 kg")})
    warehouse.shot("return-member-chosen")
    chooser.select_option("")
    expect_shown(whole)

    chooser.select_option("ART-0001")
    form.get_by_label("40s: how much came back (kg)", exact=False).fill("2")
    form.get_by_label("Why it came back (the artisan sees this)").fill("loom idle")
    form.get_by_text("Record the return").click()
    form.locator("details.confirm").get_by_role("button", name="Yes, record it").click()
    expect(form.locator("[data-errors]")).to_contain_text(
        re.compile(r"Return recorded: a credit note of ₹[\d,]+\.\d\d is on the account of Ramesh Kumar\."))
    rows = page.locator("[data-returns] tr[data-return]")
    expect(rows).to_have_count(2)
    status, body = http("GET", dev.url("requests", f"/api/v1/requisitions/{rid}"), None, token(dev, "admin"))
    assert status == 200, body
    assert sorted((r["artisan_id"], [(line["sku"], line["quantity"]) for line in r["lines"]])
                  for r in body["returns"]) == [("ART-0001", [("YRN-COT-40", "2")]),
                                                ("ART-0002", [("YRN-COT-40", "1")])]
    page.reload()
    form.get_by_label("Member who brought it back").select_option("ART-0001")
    expect_shown({"YRN-COT-40": ("6 kg", "2 kg"), "DYE-INDIGO": ("0 kg", "0 kg")})
