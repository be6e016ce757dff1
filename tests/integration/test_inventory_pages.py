"""The procurement and quality pages: what the warehouse sees before dispatch, lots, counts, orders, suggestions."""
import re

import pytest

from services.inventory import catalog, counts, create_app, movements, purchase_orders, spec, suppliers
from services.inventory.consumer import make_handler
from shared.auth import COOKIE, issue_token
from shared.envelope import new_event
from shared.i18n import LANG_COOKIE
from shared.runtime import Runtime
from tests.integration.test_inventory_support import dated, requisition, seed_catalog


@pytest.fixture
def runtime(config):
    runtime = Runtime(spec(), config)
    seed_catalog(runtime.db)
    for code, quantity, shade in (("A", 60_000, "indigo-2"), ("B", 40_000, "indigo-3")):
        movements.record_movement(runtime.db, {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": quantity,
                                               "lot": {"code": code, "shade": shade}}, by="t")
    yield runtime
    runtime.close()


@pytest.fixture
def page(config, runtime):
    client = create_app(config, runtime).test_client()

    def get(path, role="warehouse", lang="en", status=200):
        claims = {"depot": "VNS"} if role == "warehouse" else {}
        client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub=role, role=role, **claims))
        client.set_cookie(LANG_COOKIE, lang)
        response = client.get(path)
        assert response.status_code == status
        return response.get_data(as_text=True)
    return get


def card(html, rid):
    return re.search(rf'data-requisition="{rid}".*?</div>\s*</div>', html, re.S).group(0)


def test_the_dispatch_page_says_which_lot_and_warns_before_a_line_is_split(page, runtime, config):
    handle = make_handler(runtime.db, config)
    handle(requisition("RequisitionApproved", "R-ONE", [("YRN", 50_000)]))
    handle(requisition("RequisitionApproved", "R-SPLIT", [("YRN", 30_000)]))  # A keeps 10 kg after R-ONE: B covers it
    html = page("/warehouse/dispatch")
    one, split = card(html, "R-ONE"), card(html, "R-SPLIT")
    assert 'All from lot A (shade <bdi translate="no">indigo-2</bdi>)' in one and "data-split" not in one
    assert 'All from lot B (shade <bdi translate="no">indigo-3</bdi>)' in split  # B covers 30 kg after A gave 50
    handle(requisition("RequisitionApproved", "R-BIG", [("YRN", 15_000)]))
    html = page("/warehouse/dispatch", lang="hi")
    big = card(html, "R-BIG")
    assert "data-split" in big and "कई लॉट" in big and "लॉट A" in big and "लॉट B" in big
    assert "data-action" in big  # splitting is allowed, after the warning


@pytest.mark.parametrize("lang, act, press", [("en", "Hand over", "then press Hand over."),
                                               ("hi", "सौंपें", "फिर सौंपें दबाएँ।")])
def test_the_hand_over_page_names_one_act_in_both_languages(page, runtime, config, lang, act, press):
    """The artisan collects at the depot's counter and the staff hand the material over (docs/architecture.md): the
    button said "Dispatch" (sent) in English and "सौंपें" (hand over) in Hindi. The menu, the page's title, its help
    text and each card's button now name the same act in both."""
    make_handler(runtime.db, config)(requisition("RequisitionApproved", "R-ONE", [("YRN", 5_000)]))
    html = page("/warehouse/dispatch", lang=lang)
    shown = re.sub(r"<[^>]+>", " ", html.split("<body", 1)[1])
    assert press in html
    assert f"<title>{act} " in html and f'aria-label="{act}, ' in card(html, "R-ONE")
    assert f"<span>{act}</span>" in card(html, "R-ONE")
    assert re.search(f'<nav.*href="[^"]*/warehouse/dispatch"[^>]*>{act}</a>', html, re.S)
    assert "Dispatch" not in shown and "भेज" not in shown


def test_a_lots_shade_typed_in_english_reads_as_a_labelled_value_on_hindi_pages_and_is_kept_as_typed(page, runtime,
                                                                                                   config):
    """A shade is what the staff typed at receipt ("bleached white"), often in English: the Hindi pages ran the word
    into it ("शेड bleached white"), read as one phrase. The value stays as typed (marked translate="no"), after a
    label: "शेड: bleached white" on the lots, the dispatch page and the hand-over slip; the English pages as they
    were ("shade bleached white")."""
    movements.record_movement(runtime.db, {"type": "receipt", "sku": "DYE", "depot": "VNS", "quantity": 5_000,
                                           "lot": {"code": "W1", "shade": "bleached white",
                                                   "expires_on": "2099-01-31"}}, by="t")
    make_handler(runtime.db, config)(requisition("RequisitionApproved", "R-WHITE", [("DYE", 1_000)]))
    kept = '<bdi translate="no">bleached white</bdi>'
    for path in ("/warehouse/lots", "/warehouse/dispatch", "/warehouse/dispatch/R-WHITE/slip"):
        hindi, english = page(path, lang="hi"), page(path)
        assert f"शेड: {kept}" in hindi and "शेड bleached" not in hindi, path
        assert f"shade {kept}" in english, path


def test_a_line_whose_lot_expired_under_its_hold_cannot_be_dispatched_from_the_page(page, runtime, config,
                                                                                  monkeypatch):
    from datetime import datetime, timedelta, timezone

    from services.inventory import clock
    movements.record_movement(runtime.db, {"type": "receipt", "sku": "DYE", "depot": "VNS", "quantity": 5_000,
                                           "lot": {"code": "D1", "expires_on": (clock.today() + timedelta(days=2))
                                                   .isoformat()}}, by="t")
    make_handler(runtime.db, config)(requisition("RequisitionApproved", "R-DYE", [("DYE", 4_000)]))
    moment = datetime.now(timezone.utc) + timedelta(days=3)
    monkeypatch.setattr(clock, "now", lambda: moment)
    dye = card(page("/warehouse/dispatch"), "R-DYE")
    assert "data-short" in dye and "Do not hand it over" in dye and "data-action" not in dye


def test_lots_counts_orders_and_suggestions_render_in_both_languages(page, runtime):
    suppliers.register(runtime.db, {"code": "MILL", "name": "Sri Ram Mills", "district": "Salem"})
    number = purchase_orders.create(runtime.db, {"supplier": "MILL", "depot": "VNS", "expected_on": "2099-01-31",
                                                 "lines": [{"sku": "YRN", "quantity": 100_000, "price": 24_550}]},
                                    by="adm")["purchase_order"]
    count_id = counts.start(runtime.db, "VNS", by="warehouse")["count_id"]
    lots = page("/warehouse/lots", lang="hi")
    assert "लॉट A" in lots and 'शेड: <bdi translate="no">indigo-2</bdi>' in lots and "जाँच के लिए रोकें" in lots
    order = page(f"/admin/purchase-orders/{number}", role="admin")
    assert "Sri Ram Mills" in order and "₹24,550.00" in order and "Send to the supplier" in order
    assert number in page("/admin/purchase-orders?depot=VNS", role="admin")
    assert "Sri Ram Mills" in page(f"/admin/purchase-orders/{number}")  # warehouse staff of VNS
    elsewhere = purchase_orders.create(runtime.db, {"supplier": "MILL", "depot": "BHD", "expected_on": "2099-01-31",
                                                    "lines": [{"sku": "YRN", "quantity": 1_000, "price": 100}]},
                                       by="adm")["purchase_order"]
    assert "Sri Ram Mills" not in page(f"/admin/purchase-orders/{elsewhere}", status=404)  # another depot's
    assert elsewhere not in page("/admin/purchase-orders?depot=BHD", status=403)  # a depot's staff: theirs only
    sheet = page(f"/warehouse/counts/{count_id}/sheet")
    assert "data-print" in sheet and ">A<" in sheet and "60 kg" not in sheet  # a blind sheet: no book figures
    assert "Books when counted" not in page(f"/warehouse/counts/{count_id}")
    assert "Books when counted" in page(f"/warehouse/counts/{count_id}", role="admin")
    other_count = counts.start(runtime.db, "BHD", by="admin")["count_id"]
    for path in (f"/warehouse/counts/{other_count}", f"/warehouse/counts/{other_count}/sheet"):  # as the API: 404
        assert "Not found" in page(path, status=404) and "नहीं मिला" in page(path, lang="hi", status=404)
    suggestion = page("/admin/replenishment?depot=VNS", role="admin", lang="hi")
    assert "<svg" in suggestion and "क्या ऑर्डर करें" in suggestion
    for html in (suggestion, lots, order, sheet):  # no inline script runs (a script-src 'self' policy may apply)
        assert all('src="' in tag or 'type="application/json"' in tag for tag in re.findall(r"<script[^>]*>", html))
        assert not re.search(r"\son[a-z]+=", html)
    page("/admin/suppliers", role="warehouse", status=403)


def test_the_order_and_what_to_order_pages_link_their_csv_with_the_page_filters(config, runtime):
    """Both lists had a CSV in the API and no way to it from their pages."""
    from datetime import date, timedelta
    from html import unescape
    client = create_app(config, runtime).test_client()
    client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="adm", role="admin"))
    suppliers.register(runtime.db, {"code": "MILL", "name": "Sri Ram Mills", "district": "Salem"})
    number = purchase_orders.create(runtime.db, {"supplier": "MILL", "depot": "VNS",
                                                 "expected_on": (date.today() + timedelta(days=30)).isoformat(),
                                                 "lines": [{"sku": "YRN", "quantity": 5_000, "price": 100}]},
                                    by="adm")["purchase_order"]
    for path, link, shown in (("/admin/purchase-orders?depot=VNS&status=draft", "orders-csv", number),
                              ("/admin/replenishment?depot=VNS&cover_days=30", "suggestions-csv", "YRN")):
        client.set_cookie(LANG_COOKIE, "hi")
        html = client.get(path).get_data(as_text=True)
        found = re.search(rf'id="{link}" download\s+href="([^"]+)">([^<]+)</a>', html)
        assert found and found.group(2) == "CSV डाउनलोड करें", path
        href = unescape(found.group(1))
        assert "depot=VNS" in href and ("status=draft" in href or "cover_days=30" in href)
        answer = client.get(href)
        assert answer.status_code == 200 and answer.mimetype == "text/csv"
        assert shown in answer.get_data().decode("utf-8-sig")


def approved(config):
    """The three services with the demo's artisan's request of 2 kg yarn approved and held at VNS: (world, its id,
    the artisan's headers)."""
    from tests.integration.test_duplicate_events import World
    world = World(config)
    artisan = {"Authorization": "Bearer " + issue_token(config.jwt_secret, sub="artisan", role="artisan",
                                                        artisan_id="ART-0001")}
    admin = {"Authorization": "Bearer " + issue_token(config.jwt_secret, sub="admin", role="admin")}
    rid = world.http["requests"].post("/api/v1/requisitions", headers=artisan, json={
        "depot": "VNS", "lines": [{"sku": "YRN-COT-40", "quantity": "2"}]}).json["id"]
    assert world.http["requests"].post(f"/api/v1/requisitions/{rid}/approve", headers=admin, json={}).status_code == 200
    world.settle()
    return world, rid, artisan


def test_who_collects_and_who_waits_is_named_in_the_pages_language(config):
    """Inventory kept only the English name of an artisan: the Hindi hand-over slip (signed by the artisan who
    collects), the ready-to-hand-over list and the stock card's holds read 'Ramesh Kumar', the cooperative beside it
    'सराय मोहना ...'."""
    world, rid, _ = approved(config)
    client = world.http["inventory"]
    client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="warehouse", role="warehouse", depot="VNS"))
    for lang, name, other in (("hi", "रमेश कुमार", "Ramesh Kumar"), ("en", "Ramesh Kumar", "रमेश कुमार")):
        client.set_cookie(LANG_COOKIE, lang)
        for path in (f"/warehouse/dispatch/{rid}/slip", "/warehouse/dispatch", "/warehouse/stock/YRN-COT-40"):
            html = client.get(path).get_data(as_text=True)
            assert name in html and other not in html, (lang, path)


def test_a_slip_refused_after_its_request_left_the_shelf_says_why_with_its_short_number(config):
    """Asking again for the slip of a request handed over or cancelled gave a page titled "Something went wrong"
    naming the request by its 32-character id, and in Hindi as a "माँग" where every other page says "अनुरोध"."""
    from shared.names import ref
    world, rid, artisan = approved(config)
    assert world.http["requests"].post(f"/api/v1/requisitions/{rid}/cancel", headers=artisan,
                                       json={"reason": "not needed"}).status_code == 200
    world.settle()
    client = world.http["inventory"]
    client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="warehouse", role="warehouse", depot="VNS"))
    for lang, title, word, wrong in (("en", "Not possible now", "Request", "Something went wrong"),
                                     ("hi", "अभी संभव नहीं", "अनुरोध", "माँग")):
        client.set_cookie(LANG_COOKIE, lang)
        answer = client.get(f"/warehouse/dispatch/{rid}/slip")
        html = answer.get_data(as_text=True)
        assert answer.status_code == 409 and title in html and f"{word} {ref(rid)}" in html, (lang, html)
        assert f"{word} {rid}" not in html and wrong not in html, lang  # the full id stays in links only


def test_the_adjustment_forms_link_to_the_lots_page_keeps_the_depot_chosen(page):
    """An admin adjusting stock at one depot followed 'Lots page' (to write off an expired lot) to another depot's
    lots: the link was a bare /warehouse/lots, which opens the first depot."""
    for depot in ("VNS", "BHD"):
        html = page(f"/warehouse/movements?depot={depot}", role="admin")
        link = re.search(r'id="adjust-reason-hint">.*?<a href="([^"]+)"', html, re.S).group(1)
        assert link.replace("&amp;", "&").endswith(f"/warehouse/lots?depot={depot}"), link
    own = page("/warehouse/movements", role="warehouse")  # a depot's own staff have no choice to keep
    assert re.search(r'id="adjust-reason-hint">.*?<a href="[^"]*/warehouse/lots"', own, re.S)


#: the inventory pages that work at one depot chosen by ?depot= (admins and central warehouse staff choose it)
DEPOT_PAGES = ("/warehouse/stock", "/warehouse/movements", "/warehouse/lots", "/warehouse/dispatch",
               "/warehouse/ledger", "/warehouse/counts", "/admin/purchase-orders", "/admin/replenishment",
               "/warehouse/returns")


def menu_links(html) -> dict:
    """The main menu's links: path -> the address it goes to."""
    from html import unescape
    from urllib.parse import urlsplit
    nav = re.search(r'<nav class="nav".*?</nav>', html, re.S).group(0)
    links = [unescape(href) for href in re.findall(r'href="([^"]+)"', nav)]
    return {urlsplit(link).path: link for link in links}


def test_the_menu_keeps_the_depot_an_admin_chose_on_every_inventory_page(page):
    """An admin who chose Varanasi (BHD is the first depot) and followed 'Lots' in the menu landed on Bhadohi's
    lots: the menu's links were bare paths."""
    for path in DEPOT_PAGES:
        links = menu_links(page(f"{path}?depot=VNS", role="admin"))
        for target in ("/warehouse/stock", "/warehouse/lots", "/warehouse/ledger", "/warehouse/counts",
                       "/admin/purchase-orders", "/admin/replenishment"):  # an admin's menu has no movements, dispatch
            assert links[target].endswith(f"{target}?depot=VNS"), (path, links[target])
        for target in ("/admin/catalog", "/admin/suppliers", "/admin/prices", "/admin/alerts", "/admin/approvals"):
            assert "depot=" not in links[target], (path, links[target])  # pages with no depot to choose
    links = menu_links(page("/warehouse/stock", role="admin"))  # nothing chosen: the first depot, as before
    assert links["/warehouse/lots"].endswith("/warehouse/lots?depot=BHD")


def test_the_menu_opens_purchase_orders_and_what_to_order_as_a_click_would_until_an_admin_chooses_a_depot(page,
                                                                                                          runtime):
    """An admin who followed 'Stock' (Bhadohi, the first depot, shown as nothing was chosen) and then 'Purchase
    orders' saw only Bhadohi's orders, not every depot's, and 'What to order' opened on Bhadohi, not on the depot
    with the most to order: the menu carried a depot the admin never chose. A depot chosen is still carried."""
    catalog.update_material(runtime.db, "YRN", {"reorder_level": 500_000})  # VNS needs yarn, Bhadohi has enough
    movements.record_movement(runtime.db, {"type": "receipt", "sku": "YRN", "depot": "BHD", "quantity": 600_000},
                              by="t")
    fresh = ("/admin/purchase-orders", "/admin/replenishment")  # open on every depot, on the one with the most to order
    for path in ("/warehouse/stock", "/warehouse/lots", "/warehouse/ledger", "/warehouse/counts",
                 "/warehouse/returns", "/admin/replenishment"):  # the last opens on VNS, the busiest
        links = menu_links(page(path, role="admin"))
        shown = "VNS" if path == "/admin/replenishment" else "BHD"
        assert links["/warehouse/lots"].endswith(f"/warehouse/lots?depot={shown}"), (path, links)  # kept, as before
        for target in fresh:
            assert links[target].endswith(target), (path, links[target])  # as a click on it from anywhere
    for path in ("/warehouse/stock?depot=BHD", "/admin/replenishment?depot=BHD"):  # chosen: kept, as before
        links = menu_links(page(path, role="admin"))
        assert all(links[target].endswith(f"{target}?depot=BHD") for target in fresh), (path, links)


def test_a_depots_own_staff_have_no_depot_in_their_links_and_central_staff_keep_theirs(page, config, runtime):
    for path in DEPOT_PAGES:
        links = menu_links(page(path))  # warehouse staff of VNS
        assert all("depot=" not in link for link in links.values()), (path, links)
    client = create_app(config, runtime).test_client()
    client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="central", role="warehouse"))  # no depot
    links = menu_links(client.get("/warehouse/counts?depot=VNS").get_data(as_text=True))
    assert all(links[target].endswith(f"{target}?depot=VNS") for target in DEPOT_PAGES), links


def test_a_count_order_or_slip_keeps_its_depot_in_the_menu_and_its_links_for_an_admin(page, runtime, config):
    """An admin opening a Varanasi count from the counts list lost Varanasi at the next menu link."""
    count_id = counts.start(runtime.db, "VNS", by="warehouse")["count_id"]
    suppliers.register(runtime.db, {"code": "MILL", "name": "Sri Ram Mills", "district": "Salem"})
    number = purchase_orders.create(runtime.db, {"supplier": "MILL", "depot": "VNS", "expected_on": "2099-01-31",
                                                 "lines": [{"sku": "YRN", "quantity": 1_000, "price": 100}]},
                                    by="adm")["purchase_order"]
    purchase_orders.send(runtime.db, number, by="adm")
    make_handler(runtime.db, config)(requisition("RequisitionApproved", "R-ONE", [("YRN", 5_000)]))
    for path in (f"/warehouse/counts/{count_id}", f"/warehouse/counts/{count_id}/sheet",
                 f"/admin/purchase-orders/{number}", "/warehouse/dispatch/R-ONE/slip"):
        links = menu_links(page(path, role="admin"))
        assert links["/warehouse/stock"].endswith("/warehouse/stock?depot=VNS"), (path, links)
        assert all("depot=" not in link for link in menu_links(page(path)).values()), path  # VNS's own staff
    receive = re.search(r'href="([^"]+)">Receive against this order', page(f"/admin/purchase-orders/{number}")).group(1)
    assert "depot=" not in receive  # VNS's own staff have no choice to keep


def test_the_count_pages_cancel_button_looks_like_a_destructive_secondary_action(page, runtime):
    """Cancelling a count sat beside 'Submit the count' styled as the page's primary action."""
    count_id = counts.start(runtime.db, "VNS", by="warehouse")["count_id"]
    html = page(f"/warehouse/counts/{count_id}")
    cancel = re.search(r"<details[^>]*data-cancel.*?</details>", html, re.S).group(0)
    buttons = re.findall(r"<button[^>]*>", cancel)
    assert buttons and all('class="danger"' in tag for tag in buttons), buttons
    submit = re.search(r'<button[^>]*data-action="[^"]*/submit"', html).group(0)
    assert "class=" not in submit  # the page's one primary action


def test_the_count_pages_cancel_opener_looks_like_something_to_click(page, runtime):
    """"Cancel this count" opened its form but read as plain text: it wears the shared destructive button's style,
    as the other pages' openers of a destructive action do (summary class="button danger")."""
    count_id = counts.start(runtime.db, "VNS", by="warehouse")["count_id"]
    for lang, text in (("en", "Cancel this count"), ("hi", "यह गिनती रद्द करें")):
        html = page(f"/warehouse/counts/{count_id}", lang=lang)
        opener = re.search(r"<details[^>]*data-cancel[^>]*>\s*(<summary[^>]*>)([^<]*)</summary>", html)
        assert opener and opener.group(2) == text, html
        assert re.search(r'class="[^"]*\bbutton\b[^"]*\bdanger\b', opener.group(1)), opener.group(1)


def test_a_depot_code_no_depot_has_is_not_found_and_links_to_the_depot_choice(page, config, runtime):
    """An admin who typed ?depot=VNX (or kept an old bookmark of a depot gone) read Bhadohi's stock as if it were
    the depot asked for: the page silently showed the first depot. It says no depot has that code (404, in the
    reader's language) and links to the same page without the code, where the depot is chosen."""
    from html import unescape
    for path in (*DEPOT_PAGES, "/warehouse/stock/YRN"):
        for lang, title, said in (("en", "Not found", "No depot with this code."),
                                  ("hi", "नहीं मिला", "इस कोड का कोई डिपो नहीं है।")):
            html = page(f"{path}?depot=VNX", role="admin", lang=lang, status=404)
            assert title in html and said in html, (path, lang)
            assert "BHD depot" not in html, (path, lang)  # no other depot's figures
            assert all("depot=" not in link for link in menu_links(html).values()), (path, lang)  # nor kept
            said = re.search(r'<div class="card narrow">.*?</div>', html, re.S).group(0)
            choose = "Choose a depot" if lang == "en" else "डिपो चुनें"
            assert re.search(rf'<a class="button" href="[^"]*{re.escape(path)}">{choose}</a>', said), (path, lang)
    html = unescape(page("/warehouse/ledger?depot=VNX&type=issue&page=2", role="admin", status=404))
    assert re.search(r'href="[^"]*/warehouse/ledger\?type=issue"', html)  # the other filters stay, not the page
    client = create_app(config, runtime).test_client()
    client.set_cookie(COOKIE, issue_token(config.jwt_secret, sub="central", role="warehouse"))  # no depot
    assert client.get("/warehouse/counts?depot=VNX").status_code == 404
    assert page("/warehouse/stock?depot=", role="admin")  # nothing chosen: the first depot, as before
    assert page("/warehouse/stock?depot=VNS")  # a depot's own staff asking their own: as before
    assert page("/warehouse/stock?depot=")  # or none
    page("/warehouse/stock?depot=VNX", status=403)  # any other code: they are told theirs, as for another depot


OWN_DEPOT_ONLY = {  # language -> (title, what the page says, the link to their own depot's page)
    "en": ("Not allowed", "These pages show only your own depot, Varanasi depot.", "Open this page for Varanasi depot"),
    "hi": ("अनुमति नहीं", "ये पेज केवल आपके अपने डिपो, वाराणसी डिपो, के हैं।", "यह पेज वाराणसी डिपो के लिए खोलें"),
}


def test_depot_staff_following_another_depots_link_are_told_the_pages_show_only_theirs_and_led_there(page, runtime):
    """Varanasi's staff opening ?depot=BHD (a link an admin sent) silently saw Varanasi's figures under it, and could
    take them for Bhadohi's. They are told (403, in the reader's language) that these pages show only their own
    depot, named, with a link to the same page for it: the other filters kept, the page number not."""
    from html import unescape
    runtime.db.depots.update_one({"_id": "VNS"}, {"$set": {"name": "Varanasi depot", "name_hi": "वाराणसी डिपो"}})
    movements.record_movement(runtime.db, {"type": "receipt", "sku": "DYE", "depot": "BHD", "quantity": 7_000,
                                           "lot": dated()}, by="t")
    for path in (*DEPOT_PAGES, "/warehouse/stock/YRN"):
        for lang, (title, said, onward) in OWN_DEPOT_ONLY.items():
            html = unescape(page(f"{path}?depot=BHD", lang=lang, status=403))
            card = re.search(r'<div class="card narrow">.*?</div>', html, re.S).group(0)
            assert title in card and said in card, (path, lang)
            assert "BHD" not in card, (path, lang)  # nothing of the depot asked for, nor its code kept
            assert re.search(rf'<a class="button" href="[^"]*{re.escape(path)}">{onward}</a>', card), (path, lang)
    html = unescape(page("/warehouse/ledger?depot=BHD&type=issue&page=2&q=dye", status=403))
    assert re.search(r'href="[^"]*/warehouse/ledger\?type=issue&q=dye">Open this page', html)  # no page number
    assert page("/admin/purchase-orders?depot=BHD", role="admin")  # admins choose any depot, as before


def test_who_cancelled_a_count_is_named_as_typed_not_translated(page, runtime):
    """A cancelled count said 'Cancelled by admin': a translating browser turned the user name 'admin' into a word
    of its language. The name (and the reason, as it was typed) is marked translate="no", as user names are."""
    count_id = counts.start(runtime.db, "VNS", by="warehouse")["count_id"]
    counts.cancel(runtime.db, count_id, by="admin", reason="begun by mistake")
    for lang in ("en", "hi"):
        said = re.search(r"<p[^>]*data-cancelled>(.*?)</p>", page(f"/warehouse/counts/{count_id}", lang=lang),
                         re.S).group(1)
        assert '<bdi translate="no">admin</bdi>' in said, said
        assert '<bdi translate="no">begun by mistake</bdi>' in said, said


def test_a_suppliers_page_shows_its_prices_and_pack_sizes_with_forms_to_add_change_and_remove(page, runtime):
    """The suppliers' page had no field for a price or pack size: a supplier added there could never be ordered
    from suggestions. Its row links its own page, which lists each material's price and pack size with a form to
    change or remove it, and a form to add a material not priced yet, in both languages."""
    suppliers.register(runtime.db, {"code": "MILL", "name": "Sri Ram Mills", "district": "Salem",
                                    "items": [{"sku": "YRN", "pack_size": 25_000, "price": 21_050}]})
    listed = page("/admin/suppliers", role="admin")
    assert 'href="/admin/suppliers/MILL"' in listed and "Prices and pack sizes: 1" in listed
    html = page("/admin/suppliers/MILL", role="admin")
    yarn = re.search(r'<div class="card" data-sku="YRN">.*?</details>\s*</div>', html, re.S).group(0)
    assert "₹210.50 per kg" in yarn and "packs of 25 kg" in yarn
    forms = re.findall(r'<form [^>]*class="[a-z -]+" data-method="([A-Z]+)".*?data-api="([^"]+)"', yarn, re.S)
    assert forms == [("PATCH", "/api/v1/suppliers/MILL/items/YRN"), ("DELETE", "/api/v1/suppliers/MILL/items/YRN")]
    asks = re.search(r'<details class="confirm remove-item".*?</details>', yarn, re.S).group(0)  # asks first
    assert 'data-method="DELETE"' in asks  # the supplier's name as typed, never translated:
    assert 'Remove the price of YRN material from <bdi translate="no">Sri Ram Mills</bdi>?' in asks
    assert 'value="210.50"' in yarn and 'value="25"' in yarn
    added = re.search(r'<form [^>]*class="card" id="add-item".*?</form>', html, re.S).group(0)
    assert 'data-api="/api/v1/suppliers/MILL/items"' in added
    assert re.findall(r'<option value="([A-Z]+)"', added) == ["BRS", "DYE"]  # not the yarn it prices already
    assert 'data-error-codes="unknown_material supplier_item_exists"' in added
    hindi = page("/admin/suppliers/MILL", role="admin", lang="hi")
    assert "दाम और पैक आकार" in hindi and "प्रति किलो दाम (₹)" in hindi and "25 किलो के पैक" in hindi
    page("/admin/suppliers/MILL", role="warehouse", status=403)
    # the page pointed to the API ("register it first (POST /api/v1/suppliers)"): now to the Suppliers page
    missing = page("/admin/suppliers/NOPE", role="admin", status=404)
    assert "No supplier with this code. Choose one from the list of suppliers; an admin adds suppliers on the " \
        "“Suppliers” page." in missing and "POST /api" not in missing
    missing = page("/admin/suppliers/NOPE", role="admin", lang="hi", status=404)
    assert "“आपूर्तिकर्ता” पेज पर जोड़ते हैं।" in missing and "POST /api" not in missing


def sent_order_received(runtime, quantity: int, price: int, received: int) -> str:
    """A purchase order of yarn for VNS from Sri Ram Mills (MILL), sent, with `received` of it received: its number."""
    suppliers.register(runtime.db, {"code": "MILL", "name": "Sri Ram Mills", "district": "Salem"})
    number = purchase_orders.create(runtime.db, {"supplier": "MILL", "depot": "VNS", "expected_on": "2099-01-31",
                                                 "lines": [{"sku": "YRN", "quantity": quantity, "price": price}]},
                                    by="adm")["purchase_order"]
    purchase_orders.send(runtime.db, number, by="adm")
    movements.record_movement(runtime.db, {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": received,
                                           "purchase_order": number}, by="t")
    return number


def test_a_closed_orders_page_shows_what_it_is_worth_and_what_was_ordered_in_both_languages(page, runtime):
    """A closed order's page and the orders list showed the value as ordered as its Amount and Total."""
    number = sent_order_received(runtime, 100_000, 21_050, 60_000)
    purchase_orders.close(runtime.db, number, by="adm")
    html = page(f"/admin/purchase-orders/{number}", role="admin")
    assert re.search(r'id="order-total">₹12,630.00<', html) and "₹21,050.00" in html
    assert "As ordered, with what was cancelled" in html and "what was cancelled is not counted" in html
    listed = page("/admin/purchase-orders?depot=VNS", role="admin")
    assert re.search(r"₹12,630.00<br><span[^>]*>as ordered: ₹21,050.00<", listed)
    hindi = page(f"/admin/purchase-orders/{number}", role="admin", lang="hi")
    assert "₹12,630.00" in hindi and "As ordered" not in hindi


def test_an_orders_page_names_its_depot_once(page, runtime):
    """It said "for depot Varanasi depot" ("डिपो वाराणसी डिपो के लिए"): a depot's name says "depot" already."""
    suppliers.register(runtime.db, {"code": "MILL", "name": "Sri Ram Mills", "district": "Salem"})
    runtime.db.depots.update_one({"_id": "BHD"}, {"$set": {"name": "Bhadohi", "name_hi": "भदोही"}})
    for depot, en, hi in (("VNS", "for VNS depot, expected on", "को, VNS depot के लिए, 31"),
                          ("BHD", "for Bhadohi, expected on", "को, भदोही के लिए, 31")):
        number = purchase_orders.create(runtime.db, {"supplier": "MILL", "depot": depot, "expected_on": "2099-01-31",
                                                     "lines": [{"sku": "YRN", "quantity": 1_000, "price": 100}]},
                                        by="adm")["purchase_order"]
        assert en in page(f"/admin/purchase-orders/{number}", role="admin")
        assert hi in page(f"/admin/purchase-orders/{number}", role="admin", lang="hi")


def test_days_of_stock_refused_stay_typed_beside_their_error_and_the_order_form_says_the_servers_rules(page, runtime):
    """0 or 99999 days reloaded the page with the field back at 60 and no focus; the page now keeps what was typed
    with its error, says the range before sending, and an order line's quantity must be above 0 there too."""
    for typed in ("0", "99999"):
        html = page(f"/admin/replenishment?depot=VNS&cover_days={typed}", role="admin")
        field = re.search(r'<input id="r-days"[^>]*>', html).group(0)
        assert f'value="{typed}"' in field and "autofocus" in field and 'aria-invalid="true"' in field
        assert 'data-min="1" data-max="365"' in field and 'id="r-days-error"' in html
        assert 'name="cover_days" value="60"' in html  # the figures and the order are for 60 days, as said
    fine = re.search(r'<input id="r-days"[^>]*>', page("/admin/replenishment?depot=VNS&cover_days=30", role="admin"))
    assert 'value="30"' in fine.group(0) and "autofocus" not in fine.group(0)
    suppliers.register(runtime.db, {"code": "MILL", "name": "Sri Ram Mills", "district": "Salem"})
    orders = page("/admin/purchase-orders?depot=VNS", role="admin")
    assert re.search(r'name="lines\.0\.quantity"[^>]*data-positive', orders)


def test_an_empty_tolerance_is_said_as_what_it_saves_and_a_return_asks_why(page, runtime):
    """The tolerance showed "5" when empty, which saves 0; a lot's return could go with an empty "Why"."""
    html = page("/admin/suppliers", role="admin")
    assert re.search(r'<input id="s-tolerance"[^>]*placeholder="0"', html)
    assert suppliers.register(runtime.db, {"code": "MILL", "name": "Mill", "district": "D"})["tolerance_percent"] == 0
    lots = page("/warehouse/lots")
    assert re.search(r'<input id="ret-why-1"[^>]*required', lots)


def test_the_stock_pages_warning_names_the_one_material_running_low_and_counts_several(page, runtime):
    """The warning above the stock list said "1 materials are running low" when one was: one is named, in the page's
    language; two or more are counted."""
    movements.record_movement(runtime.db, {"type": "receipt", "sku": "DYE", "depot": "VNS", "quantity": 1_000,
                                           "lot": {"code": "D1", "expires_on": "2099-01-31"}}, by="t")
    movements.record_movement(runtime.db, {"type": "receipt", "sku": "BRS", "depot": "VNS", "quantity": 1_000},
                              by="t")  # listed even if never received, at 0: none left
    catalog.update_material(runtime.db, "YRN", {"reorder_level": 500_000})  # 100 kg on hand: below 500 kg
    english, hindi = page("/warehouse/stock"), page("/warehouse/stock", lang="hi")
    assert "YRN material is running low or has none left." in english and "1 materials" not in english
    assert "YRN सामान" in hindi and "1 सामान" not in hindi
    catalog.update_material(runtime.db, "DYE", {"reorder_level": 2_000})
    assert "2 materials are running low or have none left." in page("/warehouse/stock")


def test_receiving_against_an_order_chooses_its_material_when_one_is_still_to_come(page, runtime):
    """"Receive against this order" opened the receipt form with the order chosen but no material, though the order
    had only one material still to come: the receiver chose it again from every material. Now that one is chosen; an
    order with two or more still to come leaves the choice to the receiver."""
    suppliers.register(runtime.db, {"code": "MILL", "name": "Sri Ram Mills", "district": "Salem"})
    lines = [{"sku": "YRN", "quantity": 10_000, "price": 100}, {"sku": "DYE", "quantity": 2_000, "price": 100}]
    one, two = (purchase_orders.create(runtime.db, {"supplier": "MILL", "depot": "VNS", "expected_on": "2099-01-31",
                                                    "lines": chosen}, by="adm")["purchase_order"]
                for chosen in (lines[:1], lines))
    for number in (one, two):
        purchase_orders.send(runtime.db, number, by="adm")

    def chosen_material(number):
        form = re.search(r'<select id="receive-sku".*?</select>', page(f"/warehouse/movements?purchase_order={number}"),
                         re.S).group(0)
        return re.findall(r'<option value="([^"]*)"[^>]*\sselected', form)

    assert chosen_material(one) == ["YRN"] and chosen_material(two) == []
    movements.record_movement(runtime.db, {"type": "receipt", "sku": "DYE", "depot": "VNS", "quantity": 2_000,
                                           "purchase_order": two, "lot": {"code": "D2", "expires_on": "2099-01-31"}},
                              by="t")
    assert chosen_material(two) == ["YRN"]  # the dye has all come: the yarn is what is left


def test_admins_open_the_purchase_orders_of_every_depot_and_a_depots_staff_their_own(page, runtime):
    """Admins landed on the first depot (Bhadohi), which may have no orders while another has: with no depot chosen
    they see every depot's, each order naming its depot, and choose one in the same chooser; a depot's staff keep
    their own."""
    suppliers.register(runtime.db, {"code": "MILL", "name": "Sri Ram Mills", "district": "Salem"})
    line = {"sku": "YRN", "quantity": 1_000, "price": 100}
    orders = {depot: purchase_orders.create(runtime.db, {"supplier": "MILL", "depot": depot,
                                                         "expected_on": "2099-01-31", "lines": [line]},
                                            by="adm")["purchase_order"]
              for depot in ("VNS", "BHD")}
    for lang, heading, every in (("en", "Purchase orders of every depot", "Every depot"),
                                 ("hi", "हर डिपो के खरीद ऑर्डर", "हर डिपो")):
        html = page("/admin/purchase-orders", role="admin", lang=lang)
        assert heading in html and all(number in html for number in orders.values()), lang
        assert re.search(rf'<option value="" selected>{every}</option>', html), lang  # the chooser says so
        assert len(re.findall(r'data-f="depot"', html)) == 2  # each order names its depot
        assert re.search(r'<select id="o-depot" name="depot" required>', html)  # a new order asks where for
    chosen = page("/admin/purchase-orders?depot=VNS", role="admin")
    assert orders["VNS"] in chosen and orders["BHD"] not in chosen and 'data-f="depot"' not in chosen
    assert '<input type="hidden" name="depot" value="VNS">' in chosen and 'id="o-depot"' not in chosen
    own = page("/admin/purchase-orders")  # VNS's warehouse staff
    assert orders["VNS"] in own and orders["BHD"] not in own and "depot-choice" not in own


def test_what_the_demo_loader_did_is_said_in_words_of_the_pages_language(page, runtime):
    """The prices page (and the ledger) named the demo loader by its stored name, "(seed)", on Hindi pages too. It is
    said as rawbank's own actors are ("the demo data"); a person stays named as they log in, kept as typed."""
    from services.inventory import prices
    prices.set_price(runtime.db, "YRN", 24_000, "2020-01-01", by="seed")
    prices.set_price(runtime.db, "YRN", 24_550, "2020-02-01", by="priya")
    movements.record_movement(runtime.db, {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": 1_000},
                              by="seed")
    for lang, words in (("en", "the demo data"), ("hi", "डेमो डेटा")):
        listed = page("/admin/prices", role="admin", lang=lang)
        assert f"({words})" in listed and "seed" not in listed, lang
        assert '(<bdi translate="no">priya</bdi>)' in listed, lang
        ledger = page("/warehouse/ledger", lang=lang)
        assert words in ledger and ">seed<" not in ledger, lang


def test_a_receipt_against_an_order_answers_what_is_still_to_come_on_it(config, runtime, token):
    """The receipt's message said what is now at the depot, not what is still to come on the order: POST /movements
    answers the order as read after it (what of the material is still to come, and whether it is complete)."""
    suppliers.register(runtime.db, {"code": "MILL", "name": "Sri Ram Mills", "district": "Salem"})
    lines = [{"sku": "YRN", "quantity": 10_000, "price": 100}, {"sku": "BRS", "quantity": 1_000, "price": 100}]
    number = purchase_orders.create(runtime.db, {"supplier": "MILL", "depot": "VNS", "expected_on": "2099-01-31",
                                                 "lines": lines}, by="adm")["purchase_order"]
    purchase_orders.send(runtime.db, number, by="adm")
    client = create_app(config, runtime).test_client()
    clerk = token("warehouse", depot="VNS")

    def receive(sku, quantity, key):
        response = client.post("/api/v1/movements", headers={**clerk, "Idempotency-Key": key}, json={
            "type": "receipt", "sku": sku, "depot": "VNS", "quantity": quantity, "purchase_order": number})
        assert response.status_code == 201, response.get_json()
        return response.get_json()["order"]

    assert receive("YRN", "2", "k1") == {"purchase_order": number, "status": "partially_received",
                                         "remaining": "8", "complete": False}
    assert receive("YRN", "8", "k2") == {"purchase_order": number, "status": "partially_received",
                                         "remaining": "0", "complete": False}  # the brass is still to come
    assert receive("BRS", "1", "k3")["complete"] is True
    assert receive("YRN", "2", "k1")["remaining"] == "0"  # a retry: the order as it is now
    plain = client.post("/api/v1/movements", headers=clerk,
                        json={"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": "1"})
    assert "order" not in plain.get_json()
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert "order" in schema["MovementResult"]["properties"] and "remaining" in schema["ReceiptOrder"]["properties"]


def test_an_orders_page_says_rawbank_does_not_send_it_and_prints(page, runtime):
    """"Send to the supplier" only marks the order sent: the question, the notice and the page say rawbank does not
    send it, and the order page prints (a clerk sends the print)."""
    suppliers.register(runtime.db, {"code": "MILL", "name": "Sri Ram Mills", "district": "Salem"})
    number = purchase_orders.create(runtime.db, {"supplier": "MILL", "depot": "VNS", "expected_on": "2099-01-31",
                                                 "lines": [{"sku": "YRN", "quantity": 1_000, "price": 100}]},
                                    by="adm")["purchase_order"]
    for lang, says in (("en", "rawbank does not send it. Print it or send it to the supplier yourself."),
                       ("hi", "rawbank इसे नहीं भेजता। इसे प्रिंट करें या खुद आपूर्तिकर्ता को भेजें।")):
        draft = page(f"/admin/purchase-orders/{number}", role="admin", lang=lang)
        assert says in draft and "data-print" in draft and 'id="order-sent"' not in draft, lang
        assert f'data-done-text="Order {number}: marked as sent. rawbank does not send it' in draft or lang == "hi"
    purchase_orders.send(runtime.db, number, by="adm")
    for lang, says in (("en", "rawbank does not send it: print it or send it to the supplier yourself."),
                       ("hi", "rawbank इसे नहीं भेजता: इसे प्रिंट करें या खुद आपूर्तिकर्ता को भेजें।")):
        sent = page(f"/admin/purchase-orders/{number}", lang=lang)  # the depot's staff too
        assert 'id="order-sent"' in sent and says in sent and "data-print" in sent, lang


def test_the_stock_card_and_ledger_name_an_orders_supplier_and_link_the_order(page, runtime):
    """The stock card's movements said "Supplier: KSMB" (the order's supplier code) and the order as plain text."""
    number = sent_order_received(runtime, 10_000, 100, 2_000)
    movements.record_movement(runtime.db, {"type": "receipt", "sku": "YRN", "depot": "VNS", "quantity": 1_000,
                                           "supplier": "a weaver's cousin"}, by="t")  # typed by hand: as typed
    link = f'<a href="/admin/purchase-orders/{number}" translate="no">{number}</a>'
    for path, lang, supplier, order in (("/warehouse/stock/YRN", "en", "Supplier: ", "Purchase order: "),
                                        ("/warehouse/stock/YRN", "hi", "आपूर्तिकर्ता: ", "खरीद ऑर्डर: "),
                                        ("/warehouse/ledger", "en", "Supplier: ", "Purchase order: ")):
        html = page(path, lang=lang)
        assert re.search(rf'{supplier}(<[^>]*>)?Sri Ram Mills', html), (path, lang)
        assert re.search(rf"{supplier}(<[^>]*>)?a weaver(&#39;|'|&#x27;)s cousin", html), (path, lang)
        assert f"{supplier}MILL" not in html and f"{order}{link}" in html, (path, lang)


def test_admins_open_what_to_order_on_the_depot_with_the_most_to_order_and_staff_on_their_own(page, runtime):
    """Admins (no depot of their own) landed on the first depot, Bhadohi, which may need nothing while another does:
    with no depot chosen they open the one with the most materials to order, and are told so; staff keep theirs."""
    catalog.update_material(runtime.db, "YRN", {"reorder_level": 500_000})  # VNS has 100 kg: below 500 kg
    for sku, quantity, lot in (("YRN", 600_000, {}), ("DYE", 5_000, {"expires_on": "2099-01-31"})):
        movements.record_movement(runtime.db, {"type": "receipt", "sku": sku, "depot": "BHD", "quantity": quantity,
                                               "lot": lot}, by="t")  # Bhadohi, the first depot, has enough
    for lang, says in (("en", "Opened at VNS depot: the depot with the most to order."),
                       ("hi", "VNS depot खुला है: जिस डिपो के लिए सबसे ज़्यादा ऑर्डर करना है।")):
        html = page("/admin/replenishment", role="admin", lang=lang)
        assert says in html and '<option value="VNS" selected>' in html, lang
        assert '<input type="hidden" name="depot" value="VNS">' in html  # the days' form keeps it
        assert re.search(r'<tr[^>]*data-sku="YRN"', html)
    chosen = page("/admin/replenishment?depot=BHD", role="admin")
    assert '<option value="BHD" selected>' in chosen and 'id="busiest-depot"' not in chosen
    own = page("/admin/replenishment")  # VNS's warehouse staff
    assert 'id="busiest-depot"' not in own and "depot-choice" not in own


@pytest.mark.parametrize("lang, named, role", [("en", "Asha Rai", "an admin"), ("hi", "आशा राय", "एडमिन")])
def test_the_hand_over_page_and_slip_name_the_approver_in_words(page, runtime, config, lang, named, role):
    """The slip goes to the artisan on paper: it named the approver by their login. The approval's event says who
    they are (`by_person`): the slip names them (the role in words for an event without it, never the login), the
    hand-over page too, with the login after it for the depot's staff. The same event again changes nothing."""
    handle = make_handler(runtime.db, config)
    approved = new_event("RequisitionApproved", "R-NAMED", {
        **requisition("RequisitionApproved", "R-NAMED", [("YRN", 5_000)]).data, "by": "asha-admin",
        "by_person": {"role": "admin", "name": "Asha Rai", "name_hi": "आशा राय"}}, source="requests")
    handle(approved)
    handle(approved)
    handle(requisition("RequisitionApproved", "R-OLD", [("YRN", 5_000)]))  # from a requests older than the field
    slip, old = page("/warehouse/dispatch/R-NAMED/slip", lang=lang), page("/warehouse/dispatch/R-OLD/slip", lang=lang)
    assert re.search(rf"<dd><bdi[^>]*>{named}</bdi></dd>", slip) and "asha-admin" not in slip
    assert re.search(rf"<dd>{role}</dd>", old) and ">admin<" not in old
    cards = page("/warehouse/dispatch", lang=lang)
    assert f'{named}</bdi> (<bdi translate="no">asha-admin</bdi>)' in card(cards, "R-NAMED")
    assert f'{role} (<bdi translate="no">admin</bdi>)' in card(cards, "R-OLD")
    assert runtime.db.reservations.find_one({"_id": "R-NAMED"})["by_person"]["name"] == "Asha Rai"
