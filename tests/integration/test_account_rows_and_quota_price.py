"""What an artisan reads on their account and on the new request's price, in English and Hindi: a subsidy row only
where there is a subsidy, each charge saying its full price, its subsidy and what is left to pay (the rows still add
up to what is due, as reconcile counts it), and a price over the month's quota saying what is left and from when,
as the submit that would refuse it says."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from services.requests import reconcile, reconcile_money
from shared.calendar import add_days, month_bounds, month_of
from tests.integration.test_requests_coop_support import WAREHOUSE
from tests.integration.test_requests_money_support import COTTON, DYE, pay, priced_catalog, ready, scheme
from tests.integration.test_requests_returns import page
from tests.integration.test_requests_support import client  # noqa: F401  (fixture)

ENTRIES = re.compile(r'<tr data-type="([a-z_]+)"(.*?)</tr>', re.S)
WORDS = {"en": {"subsidy": "Subsidy", "to_pay": "₹2,540.93 − subsidy ₹368.25 = ₹2,172.68 to pay"},
         "hi": {"subsidy": "सब्सिडी", "to_pay": "₹2,540.93 − सब्सिडी ₹368.25 = ₹2,172.68 चुकाना है"}}


def words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def rupees(figure: str) -> int:
    """Paise of a figure as the money filter writes it (₹2,172.68, −₹368.25)."""
    sign = -1 if figure.startswith("\u2212") else 1
    return sign * int(figure.lstrip("\u2212₹").replace(",", "").replace(".", ""))


def month_of_cotton(client, looms=1):
    """ART-1 (one loom, RMSS, a yarn cap of 30 kg per loom, ₹10,000 of credit) in a catalog with prices."""
    priced_catalog(client.db)
    scheme(client)
    client.call("POST", "/quotas", client.admin(), {"category": "yarn", "limit": "30", "per_loom": True}, status=200)
    client.call("PUT", "/credit-terms", client.admin(), {"credit_limit": "10000", "credit_days": 30}, status=200)
    client.register("ART-1", looms=looms)


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_the_account_shows_a_subsidy_only_where_there_is_one_beside_its_charge_and_still_adds_up(client, lang):
    """10 kg of cotton (₹368.25 of subsidy) and 1 kg of dye (none) handed over: the account listed 'Subsidy ₹0.00'
    for the dye, and the cotton's charge of ₹2,540.93 did not say that only ₹2,172.68 of it is to pay."""
    month_of_cotton(client)
    cotton = ready(client, client.artisan("ART-1"), [(COTTON, "10")])
    client.act(cotton, "dispatch", client.token(**WAREHOUSE))
    dye = ready(client, client.artisan("ART-1"), [(DYE, "1")])
    client.act(dye, "dispatch", client.token(**WAREHOUSE))
    shown = page(client, "/my/account", client.artisan("ART-1"), lang)
    rows = [(kind, words(row)) for kind, row in ENTRIES.findall(shown)]
    assert [kind for kind, _ in rows] == ["charge", "charge", "subsidy"], rows  # newest first, the dye's first
    (_, dye_row), (_, cotton_row), (_, subsidy_row) = rows
    assert dye[:8] in dye_row and "₹2,898.00" in dye_row and WORDS[lang]["subsidy"] not in dye_row
    assert "₹0.00" not in re.search(r"<table[^>]*data-entries.*?</table>", shown, re.S).group(0)
    assert cotton[:8] in cotton_row and WORDS[lang]["to_pay"] in cotton_row, cotton_row
    assert cotton[:8] in subsidy_row and "\u2212₹368.25" in subsidy_row
    assert re.search(r'<tr data-type="subsidy"[^>]*data-of="charge:' + cotton, shown)  # read as part of its charge
    amounts = [rupees(re.findall(r"\u2212?₹[\d,]+\.\d\d", row)[-1]) for _, row in rows]
    due = client.call("GET", "/artisans/ART-1/account", client.admin(), status=200).get_json()["balance_due"]
    assert sum(amounts) == rupees(f"₹{due}") == 2_898_00 + 2_172_68
    facts = reconcile.facts(client.db)
    assert [problem for check in reconcile_money.CHECKS for problem in check(facts)] == []



SHOWN = {"en": r"Entries ([\d,]+) to ([\d,]+) of ([\d,]+), newest first",
         "hi": r"कुल ([\d,]+) में से प्रविष्टियाँ ([\d,]+) से ([\d,]+) तक, नई पहले"}


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_the_entries_line_counts_the_rows_the_reader_counts_a_subsidy_beneath_its_charge_too(client, lang):
    """A charge and its subsidy are paged together, but "Entries 1 to N of M" counted the pair as one while the table
    showed it as two rows: the page of a charge with its subsidy said "Entries 51 to 51 of 51" above two rows. Now
    both N and M count the rows listed (a pair as two, a subsidy of nothing not at all): the line and the table
    agree on every page, and the last page's last row is the total."""
    month_of_cotton(client)
    cotton = ready(client, client.artisan("ART-1"), [(COTTON, "10")])  # oldest: a charge with its subsidy
    client.act(cotton, "dispatch", client.token(**WAREHOUSE))
    dye = ready(client, client.artisan("ART-1"), [(DYE, "1")])  # a charge, its subsidy of nothing not listed
    client.act(dye, "dispatch", client.token(**WAREHOUSE))
    for n in range(49):  # 49 payments, newest: with the dye's charge, the first page's 50
        pay(client, cotton, "1", reference=f"ROW-{n}")
    seen = []
    for number in (1, 2):
        shown = page(client, f"/my/account?page={number}", client.artisan("ART-1"), lang)
        rows = ENTRIES.findall(shown)
        line = re.search(r'data-f="entries-shown">(.*?)</p>', shown, re.S).group(1)
        first, last, total = (int(figure.replace(",", "")) for figure in re.search(SHOWN[lang], line).groups())
        if lang == "hi":
            total, first, last = first, last, total  # "of M, N to N'" in its word order
        seen.append((first, last, total, [kind for kind, _ in rows]))
    assert seen == [(1, 50, 52, ["payment"] * 49 + ["charge"]), (51, 52, 52, ["charge", "subsidy"])], seen


NEXT_MONTH = add_days(month_bounds(month_of(datetime.now(timezone.utc)))[1], 1)


@pytest.mark.parametrize("lang,over,used_up", [
    ("en", "Over your monthly yarn quota: 20 kg is left until it renews on 1 ",
     "Your yarn quota for this month is used up: ask for more from 1 "),
    ("hi", "आपके मासिक धागा कोटे से ज़्यादा: 1 ",
     "इस महीने का धागा कोटा पूरा हो चुका है: और सामान 1 ")])
def test_the_price_over_the_quota_says_what_is_left_and_from_when_not_a_price_for_all_of_it(client, lang, over,
                                                                                             used_up):
    """With 20 kg of the 30 kg yarn quota left, 25 kg was priced whole (₹6,000-odd to pay) on the new request's
    form, though sending it is refused. The price says what is left and from which day, as the refusal does."""
    month_of_cotton(client)
    me = client.artisan("ART-1")
    client.submit(me, [(COTTON, "10")])
    within = words(page(client, "/my/estimate?depot=VNS&qty-YRN-COT-40=20", me, lang))
    assert ("To pay" if lang == "en" else "चुकाना है") in within and "data-over-quota" not in within
    shown = page(client, "/my/estimate?depot=VNS&qty-YRN-COT-40=25", me, lang)
    said = words(re.search(r"<[^>]*data-over-quota.*?</p>", shown, re.S).group(0))
    assert over in said, said
    assert ("20 kg" if lang == "en" else "20 किलो") in said and ("25 kg" if lang == "en" else "25 किलो") in said
    assert NEXT_MONTH[:4] in said  # the renewal day's year
    refused = client.submit({**me, "Accept-Language": lang}, [(COTTON, "25")], status=422)["error"]
    assert refused["code"] == "quota_exceeded"  # the whole request is refused, as the price says
    assert 'data-f="payable"' not in shown and "₹" not in words(re.search(r'<section id="estimate-body">.*?<h2',
                                                                           shown, re.S).group(0))
    client.submit(me, [(COTTON, "20")])
    used = words(page(client, "/my/estimate?depot=VNS&qty-YRN-COT-40=1", me, lang))
    assert used_up in used and 'data-f="payable"' not in used, used


def test_the_price_for_a_quota_counted_per_loom_without_a_loom_says_so(client):
    month_of_cotton(client, looms=0)
    shown = words(page(client, "/my/estimate?depot=VNS&qty-YRN-COT-40=1", client.artisan("ART-1"), "en"))
    assert "Your quota of this material is counted per loom, and no loom is registered for you yet" in shown
    assert "To pay" not in shown
