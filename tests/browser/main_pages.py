"""The main pages of the three services, as each kind of user reaches them, for the accessibility pass, the Hindi
render check and their screenshots (issue 18, "Done when")."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from tests.browser.conftest import TIMEOUT_MS, USERS
from tests.conftest import wait_until

DESKTOP, PHONE = {"width": 1366, "height": 900}, {"width": 390, "height": 844}


@dataclass(frozen=True)
class Page:
    role: str  # who opens it ("anyone": not logged in)
    service: str
    path: str  # "{requisition}": the request made for these checks; "{returned}": the depot has taken back a return
    name: str  # in test ids and screenshot names

    def __str__(self) -> str:
        return f"{self.role}-{self.name}"


MAIN_PAGES = [
    Page("anyone", "requests", "/login", "login"),
    Page("anyone", "inventory", "/availability", "availability"),
    Page("artisan", "requests", "/my", "my-requests"),
    Page("artisan", "requests", "/my/new", "new-request"),
    Page("artisan", "requests", "/my/requisitions/{requisition}", "request-detail"),
    Page("artisan", "notifier", "/my/notifications", "notifications"),
    Page("artisan", "requests", "/my/account", "account"),
    Page("artisan", "requests", "/my/passbook", "passbook"),
    Page("secretary", "requests", "/coop/new", "request-for-members"),
    Page("warehouse", "inventory", "/warehouse/stock", "stock"),
    Page("warehouse", "inventory", "/warehouse/stock/YRN-COT-40", "stock-card"),
    Page("warehouse", "inventory", "/warehouse/movements", "movements"),
    Page("warehouse", "inventory", "/warehouse/dispatch", "dispatch"),
    Page("warehouse", "inventory", "/warehouse/dispatch/{requisition}/slip", "hand-over-slip"),
    Page("warehouse", "inventory", "/warehouse/returns{returned}", "returns-from-artisans"),
    Page("warehouse", "inventory", "/warehouse/ledger", "ledger"),
    Page("warehouse", "inventory", "/warehouse/lots", "lots"),
    Page("warehouse", "inventory", "/warehouse/counts", "counts"),
    Page("warehouse", "inventory", "/admin/purchase-orders", "purchase-orders"),
    Page("admin", "notifier", "/admin/alerts", "alerts"),
    Page("admin", "requests", "/admin/approvals", "approvals"),
    Page("admin", "requests", "/admin/quotas", "quotas"),
    Page("admin", "requests", "/admin/artisans", "artisans"),
    Page("admin", "requests", "/admin/schemes", "schemes"),
    Page("admin", "requests", "/admin/claims", "claims"),
    Page("admin", "requests", "/accounts", "accounts"),
    Page("admin", "requests", "/admin/collections", "collections"),
    Page("admin", "requests", "/admin/users", "users"),
    Page("admin", "notifier", "/admin/reports/distribution", "report-distribution"),
    Page("admin", "inventory", "/admin/catalog", "catalog"),
    Page("admin", "inventory", "/admin/suppliers", "suppliers"),
    Page("admin", "inventory", "/admin/suppliers/SRM", "supplier"),
    Page("admin", "inventory", "/admin/prices", "prices"),
    Page("admin", "inventory", "/admin/replenishment?depot=VNS", "what-to-order"),
]


class Browsers:
    """One logged-in browser context per kind of user and screen, reused by every page of a test module."""

    def __init__(self, browser, dev):
        self.browser, self.dev, self.contexts, self.errors = browser, dev, {}, []
        self.requisition = self.returned = None

    def page(self, role: str, viewport: dict, lang: str):
        key = (role, viewport["width"])
        if key not in self.contexts:
            context = self.browser.new_context(viewport=viewport, locale="en-IN")
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            page.on("pageerror", lambda exc: self.errors.append(f"{role}: {exc}"))
            page.on("console", lambda m: self.errors.append(f"{role}: {m.text}")
                    if m.type == "error" and "Content Security Policy" in m.text else None)
            if role != "anyone":
                self._log_in(page, role)
            self.contexts[key] = page
        page = self.contexts[key]
        page.context.add_cookies([{"name": "rawbank_lang", "value": lang, "url": self.dev.url("requests", "/")}])
        return page

    def _log_in(self, page, role: str) -> None:
        page.goto(self.dev.url("requests", "/login"))
        page.locator("input[name=username]").fill(role)
        page.locator("input[name=password]").fill(USERS[role])
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url(lambda url: "/login" not in url)

    def ready_requisition(self) -> str:
        """An artisan's request, approved and set aside at the depot (made once): for the detail and slip pages."""
        if self.requisition is None:
            artisan, admin = self.page("artisan", DESKTOP, "en"), self.page("admin", DESKTOP, "en")
            made = wait_until(lambda: self._call(artisan, "requests", "/requisitions", {
                "depot": "VNS", "lines": [{"sku": "YRN-COT-40", "quantity": "1"}]}), 30, interval=0.5,
                message="requests to learn the catalog")
            assert self._call(admin, "requests", f"/requisitions/{made['id']}/approve", {})
            warehouse = self.page("warehouse", DESKTOP, "en")
            wait_until(lambda: warehouse.goto(self.dev.url("inventory", f"/warehouse/dispatch/{made['id']}/slip"))
                       .ok, 30, interval=0.5, message="the request to be set aside")
            self.requisition = made["id"]
        return self.requisition

    def returned_requisition(self) -> str:
        """An artisan's request handed over at the depot, then part of it brought back (a return to the shelf, then
        one onto the damaged shelf, recorded through requests' API as staff record them), both taken back by the
        depot (made once): for the depot's returns page."""
        if self.returned is None:
            artisan, admin = self.page("artisan", DESKTOP, "en"), self.page("admin", DESKTOP, "en")
            warehouse = self.page("warehouse", DESKTOP, "en")
            made = wait_until(lambda: self._call(artisan, "requests", "/requisitions", {
                "depot": "VNS", "lines": [{"sku": "YRN-COT-40", "quantity": "3"}]}), 30, interval=0.5,
                message="requests to learn the catalog")
            assert self._call(admin, "requests", f"/requisitions/{made['id']}/approve", {})
            wait_until(lambda: self._call(warehouse, "requests", f"/requisitions/{made['id']}/dispatch", {}), 30,
                       interval=0.5, message="the request to be set aside and handed over")
            for quantity, condition, reason in (("1", "restock", "Wrong shade of yarn"),
                                                ("0.5", "damaged", "Hank wet in the bundle")):
                assert self._call(warehouse, "requests", f"/requisitions/{made['id']}/returns", {
                    "lines": [{"sku": "YRN-COT-40", "quantity": quantity, "condition": condition}],
                    "reason": reason})
            wait_until(lambda: sum(r["requisition_id"] == made["id"] for r in self._get(
                warehouse, "inventory", "/returns?depot=VNS")) == 2, 30, interval=0.5,
                message="the depot to take the returns back")
            self.returned = made["id"]
        return self.returned

    def path_of(self, main: Page) -> str:
        """The page's address, with the data it shows made first."""
        if "{requisition}" in main.path:
            return main.path.format(requisition=self.ready_requisition())
        if "{returned}" in main.path:
            self.returned_requisition()
            return main.path.format(returned="")
        return main.path

    def _get(self, page, service: str, path: str):
        answer = page.context.request.get(self.dev.url(service, "/api/v1" + path))
        return answer.json() if answer.ok else []

    def _call(self, page, service: str, path: str, body: dict):
        if "/api/" in page.url or page.url == "about:blank":
            page.goto(self.dev.url(service, "/"))
        token = page.locator('meta[name="csrf-token"]').get_attribute("content")
        answer = page.context.request.post(self.dev.url(service, "/api/v1" + path), data=body,
                                           headers={"X-CSRF-Token": token, "Idempotency-Key": uuid.uuid4().hex})
        return answer.ok and answer.json()

    def open(self, main: Page, viewport: dict, lang: str):
        """The page, loaded and settled, in `lang` on a screen of `viewport`."""
        path = self.path_of(main)
        page = self.page(main.role, viewport, lang)
        page.goto(self.dev.url(main.service, path))
        page.wait_for_load_state("networkidle")
        return page

    def close(self):
        for page in self.contexts.values():
            page.context.close()
