"""Hindi says a status word in the gender of what it describes: an alert (चेतावनी, feminine) is खुली and हल हो गई,
while a depot's opening hours (डिपो, masculine) still say खुला, though English says "Open" of both. Each such word
is a catalog text with its context (msgctxt); the board, its tabs, its script's data and its errors all say it."""
from __future__ import annotations

import json
import re
from html import unescape

import pytest

from shared.auth import COOKIE, issue_token
from shared.config import Config
from shared.i18n import LANG_COOKIE
from tests.integration.test_duplicate_events import World


@pytest.fixture(scope="module")
def world():
    made = World(Config.from_env({}, consumer_backoff_ms=10, relay_interval_ms=20))
    made.call("inventory", "POST", "/movements", json={
        "type": "adjustment", "sku": "DYE-INDIGO", "depot": "VNS", "quantity": "-7", "reason": "damage"})
    made.settle()  # indigo below its reorder level at Varanasi: an open alert on the board
    return made


def in_hindi(world, service: str):
    client = world.http[service].application.test_client()
    client.set_cookie(LANG_COOKIE, "hi")
    client.set_cookie(COOKIE, issue_token(world.config.jwt_secret, sub="admin", role="admin"))
    return client


def status_badges(html: str) -> dict[str, str]:
    """Each alert card's status badge as it reads: alert id -> text."""
    return {found[0]: unescape(found[1]) for found in re.findall(
        r'data-alert="([^"]+)"[^>]*>.*?data-f="status"[^>]*>([^<]*)<', html, re.S)}


def test_an_open_alert_reads_khuli_on_the_board_while_a_depots_hours_say_khula(world):
    (alert,) = world.call("notifier", "GET", "/alerts?status=open")
    board = in_hindi(world, "notifier").get("/admin/alerts").get_data(as_text=True)
    assert status_badges(board) == {alert["id"]: "खुली"}
    tabs = re.search(r'<nav class="tabs.*?</nav>', board, re.S).group(0)
    assert ">खुली</a>" in tabs and ">खुला<" not in tabs and ">हल हो गई</a>" in tabs
    script = json.loads(re.search(r'<script id="board-data"[^>]*>(.*?)</script>', board, re.S).group(1))
    assert script["statuses"]["open"] == "खुली" and script["statuses"]["resolved"] == "हल हो गई"  # live cards
    assert script["texts"]["done"] == "स्वीकार की गई।" and script["texts"]["ack"] == "{by} ने स्वीकार की: {note}"
    places = in_hindi(world, "inventory").get("/availability").get_data(as_text=True)
    hours = re.search(r'data-depot="VNS".*?data-f="hours">([^<]*)<', places, re.S).group(1)
    assert hours.startswith("खुला: ") and "खुली" not in places


def test_an_acknowledged_then_resolved_alert_agrees_on_its_page_and_in_the_refusal_to_acknowledge_it(world):
    (alert,) = world.call("notifier", "GET", "/alerts?status=open")
    world.call("notifier", "POST", f"/alerts/{alert['id']}/acknowledge", json={"note": "देख रहे हैं"})
    client = in_hindi(world, "notifier")
    page = client.get(f"/admin/alerts/{alert['id']}").get_data(as_text=True)
    said = re.search(r'data-f="ack">(.*?)</p>', page, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", unescape(said)) == "admin-dup ने स्वीकार की: देख रहे हैं"
    world.call("notifier", "POST", f"/alerts/{alert['id']}/resolve", json={"note": "ऑर्डर भेजा"})
    page = client.get(f"/admin/alerts/{alert['id']}").get_data(as_text=True)
    assert status_badges(page) == {alert["id"]: "हल हो गई"}
    token = issue_token(world.config.jwt_secret, sub="admin", role="admin")
    refused = world.http["notifier"].post(f"/api/v1/alerts/{alert['id']}/acknowledge", json={"note": "देख रहे हैं"},
                                          headers={"Authorization": f"Bearer {token}", "Accept-Language": "hi"})
    assert refused.status_code == 409 and "“हल हो गई”" in refused.json["error"]["message"], refused.json
