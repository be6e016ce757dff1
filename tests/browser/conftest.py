"""Headless Debian Chromium driven by Playwright against `rawbank dev` started as users start it."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.devserver import running_dev

CHROMIUM = "/usr/bin/chromium"
OPT_OUT = "RAWBANK_SKIP_BROWSER_TESTS"
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
TIMEOUT_MS = 15_000
USERS = {"artisan": "artisan123", "warehouse": "warehouse123", "admin": "admin123", "secretary": "secretary123"}
VIEWPORTS = {"artisan": {"width": 360, "height": 740}, "warehouse": {"width": 1024, "height": 800},
             "admin": {"width": 1280, "height": 900}, "secretary": {"width": 800, "height": 900}}


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium; a clear failure (never a silent skip) when it is missing."""
    if not os.access(CHROMIUM, os.X_OK):
        if os.environ.get(OPT_OUT):
            pytest.skip(f"{CHROMIUM} is missing and {OPT_OUT} is set")
        pytest.fail(f"The browser tests need Chromium at {CHROMIUM}. Install it with "
                    f"`sudo apt-get install -y chromium fonts-noto-core` (Debian/Ubuntu; .ci/run does this), "
                    f"or set {OPT_OUT}=1 to skip them on this machine.", pytrace=False)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def dev():
    """`rawbank dev` on free ports, stopped with Ctrl-C at the end."""
    with running_dev() as dev:
        yield dev


class User:
    """One person in their own browser context (own cookies), on a screen of their kind."""

    def __init__(self, browser, dev, role: str):
        self.dev, self.role = dev, role
        self.context = browser.new_context(viewport=VIEWPORTS[role], locale="en-IN")
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", self._refused)  # anything the Content-Security-Policy blocked

    def _refused(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.errors.append(message.text)

    def url(self, service: str, path: str) -> str:
        return self.dev.url(service, path)

    def log_in(self):
        page = self.page
        page.goto(self.url("requests", "/login"))
        page.get_by_label("Username").fill(self.role)
        page.get_by_label("Password").fill(USERS[self.role])
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/login" not in url)
        return self

    def language(self, lang: str):
        self.context.add_cookies([{"name": "rawbank_lang", "value": lang, "url": self.url("requests", "/")}])

    def shot(self, name: str):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        lang = self.page.locator("html").get_attribute("lang")
        self.page.screenshot(path=str(SCREENSHOTS / f"{self.role}-{name}-{lang}.png"), full_page=True)

    def close(self):
        self.context.close()


@pytest.fixture
def people(browser, dev):
    made = {}

    def person(role: str) -> User:
        made[role] = made.get(role) or User(browser, dev, role)
        return made[role]
    yield person
    for user in made.values():
        user.close()
    errors = {role: user.errors for role, user in made.items() if user.errors}
    assert not errors, f"script errors in the pages: {errors}"
