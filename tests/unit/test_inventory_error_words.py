"""A purchase order's or a stock count's refusal names its status and the action in the reader's words, not codes."""
from __future__ import annotations

import re

import pytest

from services.inventory import count_rules, order_rules
from services.inventory.errors import CountStatus, OrderStatus

LATIN = re.compile(r"[A-Za-z]+")


def test_a_cancelled_order_says_so_in_hindi():
    text = OrderStatus({"purchase_order": "PO-00003", "status": "cancelled", "action": "cancel"}).describe("hi")
    assert text == "खरीद ऑर्डर PO-00003 अभी 'रद्द' है, इसलिए 'रद्द करना' नहीं हो सकता। देखने के लिए पेज फिर से खोलें।"


def test_in_english_the_status_reads_as_on_the_page():
    text = OrderStatus({"purchase_order": "PO-00003", "status": "partially_received", "action": "send"}).describe("en")
    assert text == "Purchase order PO-00003 is 'Partly received' now, so 'sending' is not possible. Reload the page " \
                   "to see it."


@pytest.mark.parametrize("status", order_rules.STATUSES)
@pytest.mark.parametrize("action", sorted(order_rules.ACTIONS))
def test_no_order_status_or_action_code_is_left_in_hindi(status, action):
    text = OrderStatus({"purchase_order": "PO-00001", "status": status, "action": action}).describe("hi")
    assert LATIN.findall(text.replace("PO-00001", "")) == []


@pytest.mark.parametrize("status", count_rules.STATUSES)
@pytest.mark.parametrize("action", sorted(count_rules.ACTIONS))
def test_no_count_status_or_action_code_is_left_in_hindi(status, action):
    text = CountStatus({"count": "CNT-00001", "status": status, "action": action}).describe("hi")
    assert LATIN.findall(text.replace("CNT-00001", "")) == []
