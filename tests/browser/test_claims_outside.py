"""A month's subsidy claim of a month the scheme did not run in, as an admin reads it on a 360 px phone in English and
Hindi: asked by keyboard for March 2021 (the demo's scheme began on 1 April 2021), the page says the scheme did not
run then and when it runs, where it showed an empty claim like a month with nothing handed over; and `rawbank
reconcile` still finds the claims clean."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.browser.test_report_defects import handed_over  # noqa: F401  (fixture: 2 kg handed over this month)
from tests.conftest import wait_until

#: the demo scheme as the pages name it (|scheme) in English and in Hindi
RMSS_EN, RMSS_HI = "Raw Material Supply Scheme (RMSS)", "कच्चा माल आपूर्ति योजना (RMSS)"

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)
PHONE = {"width": 360, "height": 740}
WORDS = {"en": {"month": "Month",
                "said": f"{RMSS_EN} did not run in March 2021 (it runs from 1 Apr 2021, with no last day set).",
                "nothing": "Nothing subsidised under this scheme was handed over this month."},
         "hi": {"month": "महीना",
                "said": f"{RMSS_HI} मार्च 2021 में नहीं चली "
                        "(यह 1 अप्रैल 2021 से चल रही है, इसका कोई अंतिम दिन तय नहीं है)।",
                "nothing": "इस महीने इस योजना के तहत"}}


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_a_month_before_the_scheme_says_it_did_not_run_then_on_a_phone(people, dev, lang):
    words = WORDS[lang]
    admin = people("admin").log_in()
    admin.language(lang)
    page = admin.page
    page.set_viewport_size(PHONE)
    page.goto(admin.url("requests", "/admin/claims?scheme=RMSS&month=2021-04"))
    expect(page.locator("[data-outside-scheme]")).to_have_count(0)  # the month it began: a month it ran in
    month = page.get_by_label(words["month"], exact=True)
    month.fill("2021-03")
    month.press("Enter")  # the form sent by keyboard
    page.wait_for_url(lambda url: "month=2021-03" in url)
    notice = page.locator("[data-outside-scheme]")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(words["said"])
    expect(page.locator("[data-claims]")).to_have_count(0)  # no table of zeros
    expect(page.locator("main .empty")).to_have_count(0)
    assert words["nothing"] not in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing runs off the phone
    admin.shot("claims-month-outside-scheme")


def test_reconcile_still_finds_the_claims_clean(dev, handed_over, tmp_path):  # noqa: F811
    """The month's answer gained outside_scheme and scheme_runs beside its figures: reconcile's claims checks (the
    months from the requisitions and the accounts, the years from their months) still agree."""
    def reconciled():
        done = subprocess.run([sys.executable, "-m", "shared.cli", "reconcile", "--via-api", "--json", "--no-dlq",
                               *[f"--{name}-url={dev.url(name, '')}" for name in ("inventory", "requests", "notifier")]],
                              cwd=tmp_path, capture_output=True, text=True, timeout=120)
        return json.loads(done.stdout) if done.returncode == 0 else None
    report = wait_until(reconciled, 40, interval=1, message="rawbank reconcile to be clean")
    assert report["counts"], report
