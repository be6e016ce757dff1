"""The Users page and Change my password, walked while rawbank runs (before, an admin had to stop rawbank and run
`rawbank user add|password`): an admin adds a warehouse login and sets it a new password, the clerk logs in with
it and changes it, the admin moves the clerk to another depot, where their next login works, then deactivates the
login and the clerk's login is refused."""
from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import User
from tests.browser.test_alert_board_without_script import WithoutScript

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)


def log_in(user: User, username: str, password: str) -> None:
    page = user.page
    page.goto(user.url("requests", "/login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def logged_out_then_at_bhadohi(user: User, username: str, password: str) -> None:
    """The user's page, reloaded, is the login (every token they had ended); logged in again, their stock page is
    the Bhadohi depot's."""
    user.page.reload()
    user.page.wait_for_url(lambda url: "/login" in url)
    log_in(user, username, password)
    user.page.wait_for_url(lambda url: "/login" not in url)
    user.page.goto(user.url("inventory", "/warehouse/stock"))
    expect(user.page.locator("main")).to_contain_text("Bhadohi depot")


def add_clerk(page, name: str) -> None:
    """A warehouse login at Varanasi, added on the Users page with the password "first passphrase"."""
    page.locator("#add-login summary").click()
    form = page.locator("#add-user-form")
    form.get_by_label("User name").fill(name)
    form.get_by_label("Password").fill("first passphrase")
    form.get_by_label("Role").select_option("warehouse")
    form.get_by_label("Depot").select_option("VNS")
    form.get_by_role("button", name="Add the login").click()


def test_an_admin_manages_a_login_and_its_person_changes_their_password(people, browser, dev):
    name = f"clerk-{uuid.uuid4().hex[:6]}"
    admin = people("admin").log_in()
    page = admin.page
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")

    add_clerk(page, name)
    expect(page.locator("#user-added")).to_contain_text(f"Added: {name}.")
    row = page.locator(f'tr[data-user="{name}"]')
    expect(row).to_contain_text("Warehouse staff")
    expect(row).to_contain_text("Active")

    row.get_by_text("Set a new password").click()
    row.get_by_label("New password").fill("second passphrase")
    row.get_by_role("button", name="Set the new password").click()
    expect(page.get_by_text(f"{name} has a new password")).to_be_visible()

    clerk = User(browser, dev, "warehouse")
    try:
        log_in(clerk, name, "first passphrase")
        expect(clerk.page.get_by_role("alert").filter(has_text="Wrong username or password")).to_be_visible()
        log_in(clerk, name, "second passphrase")
        clerk.page.wait_for_url(lambda url: "/login" not in url)
        clerk.page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Change my password").click()
        mine = clerk.page.locator("#password-form")
        mine.get_by_label("Current password").fill("second passphrase")
        mine.get_by_label("New password", exact=True).fill("my own passphrase")
        mine.get_by_label("New password again").fill("my own passphrase")
        mine.get_by_role("button", name="Change my password").click()
        expect(clerk.page.get_by_text("Your password is changed.")).to_be_visible()
        expect(clerk.page.locator("header .who")).to_contain_text(name)  # still logged in, with a fresh login
        clerk.page.goto(clerk.url("inventory", "/warehouse/stock"))  # another service takes the fresh login too
        expect(clerk.page.get_by_role("heading", level=1)).to_be_visible()
        assert "/login" not in clerk.page.url

        page.reload()  # the clerk is transferred: moved to another depot, they log in again and work there
        row.get_by_text("Move to another depot").click()
        row.get_by_label("Depot").select_option("BHD")
        row.get_by_role("button", name="Move", exact=True).click()
        expect(row.locator("td").nth(2)).to_have_text("Bhadohi depot")
        logged_out_then_at_bhadohi(clerk, name, "my own passphrase")
        admin.shot("user-moved")

        page.reload()
        row.locator("details.confirm summary").click()
        row.get_by_role("button", name="Yes, deactivate").click()
        expect(row).to_contain_text("Deactivated")

        clerk.page.reload()  # their login ended
        clerk.page.wait_for_url(lambda url: "/login" in url)
        log_in(clerk, name, "my own passphrase")
        expect(clerk.page.get_by_role("alert")).to_contain_text("This login was deactivated by an admin")
        assert clerk.errors == []
    finally:
        clerk.close()


def test_a_clerk_is_made_an_admin_and_steps_back_to_a_depot_in_hindi(people, browser, dev):
    """A clerk promoted: their next login manages rawbank; later they step back to a depot, asked on a Hindi page."""
    name = f"clerk-{uuid.uuid4().hex[:6]}"
    admin = people("admin").log_in()
    page = admin.page
    page.goto(admin.url("requests", "/admin/users"))
    add_clerk(page, name)
    row = page.locator(f'tr[data-user="{name}"]')
    expect(row).to_contain_text("Warehouse staff")
    row.get_by_text("Make an admin", exact=True).click()
    expect(row).to_contain_text("manages every login, at every depot")
    row.get_by_role("button", name="Yes, make an admin").click()
    expect(row.locator("td").nth(1)).to_have_text("Admin")
    expect(row.locator("td").nth(2)).to_have_text("–")

    promoted = User(browser, dev, "admin")
    try:
        log_in(promoted, name, "first passphrase")
        promoted.page.wait_for_url(lambda url: "/login" not in url)
        promoted.page.goto(promoted.url("requests", "/admin/users"))
        expect(promoted.page.get_by_role("heading", level=1)).to_have_text("Users")
        own = promoted.page.locator(f'tr[data-user="{name}"]')
        expect(own.get_by_text("Make warehouse staff")).to_have_count(0)  # not one's own role

        admin.language("hi")
        page.goto(admin.url("requests", "/admin/users"))
        row.locator("details[data-role] summary").click()
        row.get_by_label("डिपो").select_option("BHD")
        row.get_by_role("button", name="गोदाम कर्मचारी बनाएँ").click()
        expect(row.locator("td").nth(1)).to_have_text("गोदाम कर्मचारी")
        logged_out_then_at_bhadohi(promoted, name, "first passphrase")  # their admin login ended
        admin.shot("user-role")
        assert promoted.errors == [] and admin.errors == []
    finally:
        promoted.close()


def asked(form) -> list[str]:
    """The fields of the add form a person sees and that are sent (shown, not disabled), in page order."""
    return form.evaluate("f => Array.from(f.querySelectorAll('input, select')).filter(e => e.name && !e.disabled"
                         " && e.type !== 'hidden' && e.getClientRects().length).map(e => e.name)")


def test_the_add_form_asks_only_what_the_chosen_role_needs(people):
    """Before, "Add a login" asked the artisan number, depot and cooperative whatever the role, and the API refused
    another role's (400 under the field): now a warehouse login is asked only its depot and a secretary's only their
    cooperative, the others hidden and not sent, as the role is changed (no button: that is for pages without
    JavaScript)."""
    admin = people("admin").log_in()
    page = admin.page
    page.goto(admin.url("requests", "/admin/users"))
    page.locator("#add-login summary").click()
    form = page.locator("#add-user-form")
    expect(form.get_by_role("button", name="Show the fields for this role")).to_be_hidden()

    clerk = f"clerk-{uuid.uuid4().hex[:6]}"
    form.get_by_label("Role").select_option("secretary")
    form.get_by_label("Role").select_option("warehouse")  # back: its depot again, nothing of the secretary's
    assert asked(form) == ["username", "password", "new_role", "name", "name_hi", "depot"]
    expect(form.get_by_label("Cooperative")).to_be_hidden()
    expect(form.get_by_label("Artisan: name or number")).to_be_hidden()
    form.get_by_label("User name").fill(clerk)
    form.get_by_label("Password").fill("first passphrase")
    form.get_by_label("Depot").select_option("VNS")
    with page.expect_request(lambda sent: sent.method == "POST" and "/api/v1/users" in sent.url) as post:
        form.get_by_role("button", name="Add the login").click()
    assert post.value.post_data_json == {"username": clerk, "password": "first passphrase", "role": "warehouse",
                                         "depot": "VNS"}
    expect(page.locator("#user-added")).to_contain_text(f"Added: {clerk}.")

    secretary = f"sec-{uuid.uuid4().hex[:6]}"
    page.locator("#add-login summary").click()
    form.get_by_label("Role").select_option("artisan")
    assert asked(form) == ["username", "password", "new_role", "name", "name_hi", "artisan"]
    form.get_by_label("Artisan: name or number").fill("ART-0002")  # typed, then the role changed: not sent
    form.get_by_label("Role").select_option("secretary")
    assert asked(form) == ["username", "password", "new_role", "name", "name_hi", "cooperative"]
    expect(form.get_by_label("Depot")).to_be_hidden()
    form.get_by_label("User name").fill(secretary)
    form.get_by_label("Password").fill("first passphrase")
    form.get_by_role("button", name="Add the login").click()  # no cooperative chosen: asked for before sending
    expect(form.get_by_label("Cooperative")).to_have_attribute("aria-invalid", "true")
    form.get_by_label("Cooperative").select_option("SMBSS")
    with page.expect_request(lambda sent: sent.method == "POST" and "/api/v1/users" in sent.url) as post:
        form.get_by_role("button", name="Add the login").click()
    assert post.value.post_data_json == {"username": secretary, "password": "first passphrase", "role": "secretary",
                                         "cooperative": "SMBSS"}
    expect(page.locator("#user-added")).to_contain_text(f"Added: {secretary}.")
    row = page.locator(f'tr[data-user="{secretary}"]')
    expect(row).to_contain_text("Cooperative secretary")
    expect(row).to_contain_text("Sarai Mohana Bunkar Sahkari Samiti")
    admin.shot("user-add-secretary")
    assert admin.errors == []


@pytest.mark.parametrize("lang,typed,refusal", [
    ("en", "ART-404", "No artisan is called “ART-404”"),
    ("hi", "ART-404", "“ART-404” नाम का कोई कारीगर नहीं है"),
    # the demo artisan Ramesh Kumar (ART-0001) has the login `artisan`: another one for him, picked by name
    ("en", "Ramesh Kumar", "Artisan ART-0001 already has a login: artisan."),
    ("hi", "Ramesh Kumar", "कारीगर ART-0001 का लॉग इन पहले से है: artisan।"),
])
def test_an_artisans_login_refused_by_the_api_is_said_under_the_artisan_field(people, lang, typed, refusal):
    """The API's refusal of an artisan's login (no artisan of that number; one who already has a login, named) is
    said under the artisan field it is about, in the page's language, and no login is added."""
    name = f"art-{uuid.uuid4().hex[:6]}"
    admin = people("admin").log_in()
    admin.language(lang)
    page = admin.page
    page.goto(admin.url("requests", "/admin/users"))
    page.locator("#add-login summary").click()
    form = page.locator("#add-user-form")
    form.locator("#username").fill(name)
    form.locator("#password").fill("first passphrase")
    form.locator("#role").select_option("artisan")
    form.locator("#artisan_id").fill(typed)
    form.locator("button[type=submit]:visible").click()
    expect(form.locator(".field-error")).to_contain_text(refusal)
    expect(form.locator("#artisan_id")).to_have_attribute("aria-invalid", "true")
    page.goto(admin.url("requests", f"/admin/users?q={name}"))
    expect(page.locator(f'tr[data-user="{name}"]')).to_have_count(0)
    assert admin.errors == []


def test_without_javascript_the_role_is_chosen_first_and_the_page_asks_only_its_fields(browser, dev):
    """Without JavaScript no field changes as the role is changed: "Show the fields for this role" asks the page
    again for the role chosen (keeping the list's search), and it comes with only that role's fields."""
    reader = WithoutScript(browser, dev, "admin")
    try:
        page = reader.log_in().page
        page.goto(reader.url("requests", "/admin/users?q=sec"))
        page.locator("#add-login summary").click()
        form = page.locator("#add-user-form")
        expect(form.get_by_label("Depot")).to_be_visible()
        expect(form.get_by_label("Cooperative")).to_be_hidden()
        form.get_by_label("Role").select_option("secretary")
        form.get_by_role("button", name="Show the fields for this role").click()
        page.wait_for_url(lambda url: "new_role=secretary" in url and "q=sec" in url and url.endswith("#add-login"))
        expect(form.get_by_label("Cooperative")).to_be_visible()
        expect(form.get_by_label("Depot")).to_be_hidden()
        expect(form.get_by_label("Artisan: name or number")).to_be_hidden()
        expect(form.get_by_label("Role")).to_have_value("secretary")
        expect(form.locator('input[name="role"]')).to_have_value("secretary")
        assert reader.errors == []
    finally:
        reader.close()
