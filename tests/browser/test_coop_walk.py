"""A cooperative's secretary and the department's officer, in Hindi on a phone and in English on a desktop: the
cooperative's dues as a whole (the accounts page listed each member's and left the adding up to the secretary), and
the cooperatives report's count of what was handed over but not yet marked received by the secretary (it said
"Waiting 0" and "Short 0" while nobody had been asked)."""
from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages import DEVANAGARI, reload_until
from tests.browser.test_people_defects import api_call, coop_handed_over

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def rupees(text: str) -> Decimal:
    """₹1,234.50 (or ₹1,234.50 followed by more words) as a number."""
    return Decimal(re.search(r"₹([\d,]+\.\d\d)", text).group(1).replace(",", ""))


@pytest.fixture(scope="module")
def handed_over(dev) -> str:
    """2 kg of 40s cotton for ART-0001 and 1.5 kg for ART-0002 of SMBSS, handed over to the secretary."""
    return coop_handed_over(dev, [{"sku": "YRN-COT-40", "quantity": "2", "artisan_id": "ART-0001"},
                                  {"sku": "YRN-COT-40", "quantity": "1.5", "artisan_id": "ART-0002"}])


def speaks(user, lang: str, viewport: dict):
    """The user's pages in `lang` on a screen of `viewport`, chosen with the page's own language button."""
    page = user.page
    page.set_viewport_size(viewport)
    page.locator(f'button[name="lang"][value="{lang}"]').first.click()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    return page


@pytest.mark.parametrize("lang, viewport", [("hi", PHONE), ("en", DESKTOP)])
def test_a_secretary_sees_what_the_cooperatives_members_owe_in_all(people, handed_over, lang, viewport):
    secretary = people("secretary").log_in()
    page = speaks(secretary, lang, viewport)
    page.goto(secretary.url("requests", "/accounts"))
    rows = page.locator("tbody tr[data-artisan]")
    expect(rows).to_have_count(2)
    due = sum(rupees(rows.nth(i).locator("td").nth(1).inner_text()) for i in range(2))
    overdue = sum(rupees(rows.nth(i).locator("td").nth(2).inner_text()) for i in range(2))
    assert due > 0
    dues = page.locator("#cooperative-dues")
    expect(dues).to_be_visible()
    assert rupees(dues.locator('[data-f="due"]').inner_text()) == due
    assert rupees(dues.locator('[data-f="overdue"]').inner_text()) == overdue
    if lang == "hi":
        assert DEVANAGARI.search(dues.locator("h2").inner_text())
    secretary.shot("cooperative-dues")


def test_the_cooperatives_report_counts_what_the_secretary_has_not_marked_received(people, dev, handed_over):
    admin = people("admin").log_in()
    page = speaks(admin, "hi", PHONE)
    page.goto(admin.url("notifier", "/admin/reports/cooperatives"))
    smbss = page.locator('tr[data-group="SMBSS"]')
    reload_until(page, lambda: "सक्रिय" == smbss.locator(".badge").inner_text().strip(),
                 message="the handed-over shares in the report")
    not_received = smbss.locator('[data-f="not-received"]')
    expect(not_received).to_have_text("2")  # two members' shares, nobody asked yet: they are not "waiting 0"
    assert DEVANAGARI.search(not_received.get_attribute("data-label"))
    expect(page.locator('p [data-f="not-received"]')).to_have_text("2")
    admin.shot("cooperatives-not-received")

    page = speaks(admin, "en", DESKTOP)  # the officer's spreadsheet says the same
    with page.expect_download() as download:
        page.get_by_role("link", name="Download for a spreadsheet (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert [(r["cooperative"], r["not_received"], r["pending"]) for r in rows] == [("SMBSS", "2", "0")]

    api_call(dev, "requests", f"/api/v1/requisitions/{handed_over}/receive", {}, user="secretary")
    reload_until(page, lambda: smbss.locator('[data-f="not-received"]').inner_text() == "0",
                 message="the shares the secretary marked received to leave the count")
    expect(smbss.locator("td").nth(-2)).to_have_text("2")  # now the members are asked: waiting for their answers
    expect(page.locator('p [data-f="not-received"]')).to_have_text("0")


@pytest.mark.parametrize("lang, viewport, told", [
    ("hi", PHONE, {"सामग्री आरक्षित": "सचिव", "सामग्री सौंप दी गई": "सचिव"}),
    ("en", DESKTOP, {"Material reserved": "secretary", "Material handed over": "secretary"})])
def test_a_member_is_told_the_secretary_collects_their_share_not_to_fetch_it_from_the_depot(
        people, handed_over, lang, viewport, told):
    member = people("artisan").log_in()  # ART-0001, a member of SMBSS
    page = speaks(member, lang, viewport)
    page.goto(member.url("notifier", "/my/notifications"))
    for title, who in told.items():
        note = page.locator("main a", has_text=title)
        reload_until(page, lambda: note.count() > 0, message=f"the notification {title}")
        said = note.inner_text()
        assert who in said, said  # the secretary collects it at the depot and hands it on
        assert "वहीं से ले जाना" not in said and "ready to be collected there" not in said, said
        assert "मिलने पर पुष्टि करें" not in said and "Please confirm when you receive it" not in said, said
    member.shot("member-told-secretary-collects")
