"""The money rules: rounding once, half up; parts that add up; the subsidised split; what is owed."""
from __future__ import annotations

from hypothesis import given, strategies as st

from services.requests import pricing
from shared.money import format_money, parse_money, percent_text, round_half_up

quantities = st.integers(min_value=1, max_value=10_000_000)  # up to 10 tonnes, in grams
prices = st.integers(min_value=1, max_value=10_000_000)  # up to ₹1,00,000 a unit, in paise
rates = st.integers(min_value=0, max_value=10_000)  # 0-100%, in basis points
terms = st.builds(pricing.Terms, rates, st.integers(0, 2_000), st.integers(0, 1_000))


def test_half_a_paisa_goes_up_and_less_goes_down():
    assert [round_half_up(n, 1000) for n in (499, 500, 1499, 1500, 2500)] == [0, 1, 1, 2, 3]
    line = pricing.price_line(1_000, 0, 25_550, pricing.Terms(0, 150, 0))  # 1.5% of ₹255.50 = 3.8325
    assert line["freight"] == 383
    line = pricing.price_line(70_000, 0, 24_550, pricing.Terms(0, 150, 0))  # 257.775
    assert line["freight"] == 25_778


@given(quantities, st.data(), prices, terms)
def test_the_parts_of_a_line_add_up_to_its_amount(quantity, data, unit_price, terms):
    subsidised = data.draw(st.integers(0, quantity))
    line = pricing.price_line(quantity, subsidised, unit_price, terms)
    assert line["value"] == line["subsidised_value"] + line["full_value"]
    assert line["amount"] == line["value"] - line["subsidy"] + line["freight"] + line["depot_charge"]
    assert 0 <= line["subsidy"] <= line["subsidised_value"] and line["amount"] >= 0
    assert abs(line["value"] * 1000 - quantity * unit_price) <= 1000  # each part off by half a paisa at most


@given(st.lists(st.tuples(quantities, st.integers(0, 100), prices), min_size=1, max_size=8), terms)
def test_requisition_totals_are_the_sums_of_its_lines(rows, terms):
    lines = [pricing.price_line(q, min(s * q // 100, q), p, terms) for q, s, p in rows]
    totals = pricing.totals(lines)
    for name in ("value", "subsidy", "freight", "depot_charge"):
        assert totals[f"{name}_total"] == sum(line[name] for line in lines)
    assert totals["payable_total"] == sum(line["amount"] for line in lines)
    assert totals["payable_total"] == totals["value_total"] - totals["subsidy_total"] + totals["freight_total"] + \
        totals["depot_charge_total"]


categories = st.sampled_from(["cotton", "silk", "wool"])


@given(st.lists(st.tuples(categories, quantities), min_size=1, max_size=8),
       st.dictionaries(categories, st.integers(-5_000, 100_000)))
def test_the_subsidy_never_exceeds_the_entitlement_left(lines, left):
    keyed = [(f"line-{i}", category, quantity) for i, (category, quantity) in enumerate(lines)]
    taken = pricing.split(keyed, left)
    for category in {c for c, _ in lines}:
        wanted = sum(q for _, c, q in keyed if c == category)
        got = sum(taken[key] for key, c, _ in keyed if c == category)
        assert got == min(wanted, max(left.get(category, 0), 0))  # as much as is left, never more
    assert all(0 <= taken[key] <= quantity for key, _, quantity in keyed)


charges = st.lists(st.tuples(st.sampled_from(["r1", "r2", "r3", "r4"]), st.sampled_from(["2026-01-05", "2026-02-01"]),
                             st.integers(1, 10**7)), max_size=4, unique_by=lambda c: c[0])


@given(charges, st.dictionaries(st.sampled_from(["r1", "r2", "r3", "r5"]), st.integers(1, 10**7)))
def test_what_is_owed_is_the_balance_and_each_requisitions_own_payments_come_first(charged, paid):
    dues = pricing.open_dues([(rid, day, payable, "t") for rid, day, payable in charged], paid)
    balance = sum(payable for _, _, payable in charged) - sum(paid.values())
    assert sum(d["amount"] for d in dues) == max(balance, 0)
    for due in dues:
        payable = next(p for rid, _, p in charged if rid == due["requisition_id"])
        assert 0 < due["amount"] <= payable - min(paid.get(due["requisition_id"], 0), payable)
    assert pricing.overdue(dues, "2026-01-31") == sum(d["amount"] for d in dues if d["due_on"] == "2026-01-05")


def test_older_dues_are_settled_first_by_what_is_paid_beyond_a_requisitions_own_price():
    dues = pricing.open_dues([("new", "2026-03-01", 500, "b"), ("old", "2026-02-01", 300, "a")], {"new": 700})
    assert dues == [{"requisition_id": "old", "due_on": "2026-02-01", "amount": 100}]


repaid = st.lists(st.tuples(st.sampled_from(["r1", "r6"]), st.sampled_from(["2026-01-20", "2026-03-01"]),
                            st.integers(1, 10**6)), min_size=1, max_size=3)


@given(charges, repaid, st.dictionaries(st.sampled_from(["r2", "r5"]), st.integers(1, 10**7)), st.data())
def test_money_to_repay_is_a_due_and_what_is_owed_is_still_the_balance(charged, repays, paid, data):
    """Refunded, then the payment was reversed: what is paid on a requisition below zero (at most what its reversals
    left to repay) is due by their days, oldest repaid first; all that is due is still the balance."""
    paid = dict(paid)
    for rid in {rid for rid, _, _ in repays}:
        paid[rid] = -data.draw(st.integers(0, sum(amount for r, _, amount in repays if r == rid)))
    dues = pricing.open_dues([(rid, day, payable, "t") for rid, day, payable in charged], paid,
                             [(rid, day, amount, "t") for rid, day, amount in repays])
    balance = sum(payable for _, _, payable in charged) - sum(paid.values())
    assert sum(d["amount"] for d in dues) == max(balance, 0)
    for due in (d for d in dues if d.get("kind") == "refund_reversed"):
        assert 0 < due["amount"] <= sum(a for r, day, a in repays if (r, day) == (due["requisition_id"], due["due_on"]))
    for rid in {rid for rid, _, _ in repays}:
        assert sum(d["amount"] for d in dues if d["requisition_id"] == rid and d.get("kind")) <= -paid[rid]


def test_money_to_repay_is_due_by_its_day_and_payments_on_its_requisition_repay_the_oldest_first():
    repays = [("c", "2026-02-10", 700, "a"), ("c", "2026-03-10", 300, "b")]
    assert pricing.open_dues([], {"c": -1000}, repays) == [
        {"requisition_id": "c", "due_on": "2026-02-10", "amount": 700, "kind": "refund_reversed"},
        {"requisition_id": "c", "due_on": "2026-03-10", "amount": 300, "kind": "refund_reversed"}]
    assert pricing.open_dues([], {"c": -400}, repays) == [
        {"requisition_id": "c", "due_on": "2026-02-10", "amount": 100, "kind": "refund_reversed"},
        {"requisition_id": "c", "due_on": "2026-03-10", "amount": 300, "kind": "refund_reversed"}]
    assert pricing.open_dues([("d", "2026-04-01", 500, "c")], {"c": -400, "d": 900}, repays) == []
    assert pricing.overdue(pricing.open_dues([], {"c": -1000}, repays), "2026-02-11") == 700


@given(st.integers(-10**13, 10**13))
def test_money_goes_to_json_and_back_unchanged(paise):
    assert parse_money(format_money(paise)) == paise


def test_money_and_rates_read_and_write_as_people_do():
    assert [parse_money(v) for v in ("245.50", "245.5", 245, 245.5, " 3 ")] == [24_550, 24_550, 24_500, 24_550, 300]
    assert (format_money(24_550), format_money(-5), percent_text(1_500), percent_text(250)) == \
        ("245.50", "-0.05", "15", "2.5")
    assert parse_money("१२४.५०") == 12_450  # Devanagari digits, as for quantities
    for bad in ("1.234", "nan", "1e400", True, None, "twelve", "1e5", "1E3", "1_000", "+5", "１２", "0x10"):
        try:
            parse_money(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} was accepted")


def test_money_copied_from_a_page_with_thousands_commas_is_read_and_a_decimal_comma_never_is():
    """The pages write "₹83,615.85" and "₹1,00,000.50"; clerks copy them back into a payment."""
    assert [parse_money(v) for v in ("1,000", "1,000.50", "83,615.85", "1,00,000.50", "12,34,567", "100,000.5",
                                     "-1,000", "१,०००.५०")] == \
        [100_000, 100_050, 8_361_585, 10_000_050, 123_456_700, 10_000_050, -100_000, 100_050]
    for bad in ("12,5", "1,00", "10,00", "1,0000", ",100", "1,000,", "1,,000", "1.000,50", "1,000.505"):
        try:
            parse_money(bad)
        except ValueError as exc:
            assert "," not in bad or bad == "1,000.505" or "comma" in str(exc), (bad, str(exc))
            continue
        raise AssertionError(f"{bad!r} was accepted")


def test_an_amount_below_zero_is_written_with_a_minus_sign_on_pages_and_ascii_in_a_text_message():
    from shared.money import rupees
    assert rupees(-50_000) == "\u2212₹500.00" and rupees(-50_000, "hi") == "\u2212₹500.00"
    assert rupees(25_778, signed=True) == "+₹257.78" and rupees(0, signed=True) == "₹0.00"
    assert rupees(-50_000, sms=True) == "-Rs 500.00" and rupees(-50_000, "hi", sms=True) == "-₹500.00"
    assert rupees(1_23_456_50) == "₹1,23,456.50"
