"""Server-rendered pages every service shares: one look, the login cookie, language and links.

Each service serves the pages for the data it owns, rendered from its own store. A page that also
shows another service's data fetches that service's JSON API from the browser: the login cookie
(host-wide, so one login works for every service on the host) authenticates it, CORS admits only
the services' configured origins, and writes carry the login's CSRF token in X-CSRF-Token.
The menu, each role's first page, the label tables and the login and language pages are what the
services declare in their specs (`menu`, `home`, `labels`, `common_pages`), put together here.
"""
from __future__ import annotations

import functools
import hmac
import logging
import uuid
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from babel.numbers import format_decimal
from flask import Blueprint, current_app, g, make_response, redirect, render_template, request, url_for
from babel.dates import format_datetime
from flask_babel import Babel, format_date, gettext as _, lazy_gettext as _l
from flask_cors import CORS
from jinja2 import pass_context
from markupsafe import Markup, escape
from pymongo.errors import ConnectionFailure

from shared.auth import COOKIE, CSRF_HEADER, csrf_token, current_principal
from shared.districts import depot_districts
from shared.errors import Error, NotFound, StoreUnavailable, Unauthenticated, outcome
from shared.http_errors import (INTERNAL, handle_error, handle_http_exception, handle_store_unavailable,
                                handle_unexpected)
from shared.i18n import LANG_COOKIE, LANGUAGES, language, translate
from shared.money import format_money, percent_text, rupees
from shared import names, staff as staff_copies
from shared.names import ref as short_ref
from shared.quantity import WHOLE_UNITS, format_quantity
from shared.security_headers import add_security_headers
from shared.spec import SERVICES, all_specs
from shared.web import db

log = logging.getLogger(__name__)

TIMEZONE = "Asia/Kolkata"
NUMBER_LOCALES = {"en": "en_IN", "hi": "hi_IN"}  # lakh grouping: 1,00,000

blp = Blueprint("rawbank", __name__, template_folder="templates", static_folder="static",
                static_url_path="/static/rawbank")

ROLES = {"artisan": _l("Artisan"), "secretary": _l("Cooperative secretary"), "warehouse": _l("Warehouse staff"),
         "admin": _l("Admin")}


@functools.cache
def menus() -> dict[str, list[tuple[str, str, object]]]:
    """Each role's menu, (service, path, label): every service's entries for it, by declared position."""
    entries = defaultdict(list)
    for spec in all_specs():
        for role, items in spec.menu.items():
            entries[role] += [(position, spec.name, path, text) for position, path, text in items]
    return {role: [entry[1:] for entry in sorted(items, key=lambda entry: entry[0])]
            for role, items in entries.items()}


@functools.cache
def menu_keeps() -> dict[tuple[str, str], tuple[str, ...]]:
    """(service, path) of a menu entry -> the query parameters its page takes from the page people are on."""
    return {(spec.name, path): tuple(names) for spec in all_specs() for path, names in spec.menu_keeps.items()}


def menu_keeps_chosen() -> dict[tuple[str, str], tuple[str, ...]]:
    """(service, path) of a menu entry -> those of its `menu_keeps` it takes only when people chose them."""
    return {(spec.name, path): tuple(names) for spec in all_specs() for path, names in spec.menu_keeps_chosen.items()}


def keep_in_menu(chosen: bool = True, **params) -> None:
    """What this page chose (e.g. depot="BHD"), kept in the links of the menu entries whose pages take it; not
    `chosen`: what the page fell back on (the first depot), kept only where `menu_keeps_chosen` does not refuse it."""
    given = {k: v for k, v in params.items() if v}
    g.menu_query = {**g.get("menu_query", {}), **given}
    g.menu_fallen_back = (g.get("menu_fallen_back", set()) - set(given)) | (set() if chosen else set(given))


def _kept(service: str, path: str) -> str:
    """A menu entry's address, with what the page chose that its page takes (`keep_in_menu`)."""
    chosen, fallen_back = g.get("menu_query", {}), g.get("menu_fallen_back", set())
    only_chosen = menu_keeps_chosen().get((service, path), ())
    query = {name: chosen[name] for name in menu_keeps().get((service, path), ())
             if name in chosen and not (name in only_chosen and name in fallen_back)}
    return url_of(service, path) + (f"?{urlencode(query)}" if query else "")


@functools.cache
def labels() -> dict[str, dict]:
    """Every service's label tables, by name ("status", "unit", ...): stored value -> what people read."""
    merged = defaultdict(dict)
    for spec in all_specs():
        for name, table in spec.labels.items():
            merged[name].update(table)
    return dict(merged)


def label(kind: str, value):
    return labels().get(kind, {}).get(value, value)


@functools.cache
def common_page(name: str) -> tuple[str, str]:
    """(service, path) of a page every service links to: "login" or "language"."""
    for spec in all_specs():
        if name in spec.common_pages:
            return spec.name, spec.common_pages[name]
    raise LookupError(f"no service declares the {name} page")


def home_page(role: str | None) -> tuple[str, str]:
    """(service, path) of the first page people of `role` see; the login page for anyone else."""
    for spec in all_specs():
        if role in spec.home:
            return spec.name, spec.home[role]
    return common_page("login")


def _only_with_origin(app) -> None:
    """Run flask-cors's after-request step only for requests that carry an Origin header.

    Without one (a same-origin page, a script, another service) it adds nothing, but works it
    out on every request first; this skips that work and changes no response.
    """
    hooks = app.after_request_funcs[None]
    for index, hook in enumerate(hooks):
        if hook.__name__ == "cors_after_request":
            hooks[index] = functools.wraps(hook)(
                lambda response, cors=hook: cors(response) if "Origin" in request.headers else response)


def init_pages(app, service: str, blueprints) -> None:
    """Add Babel, CORS for the sibling services, the shared look and the service's page blueprints."""
    config = app.config["RAWBANK"]
    app.config["RAWBANK_SERVICE"] = service
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(Path(__file__).parent / "translations")
    Babel(app, locale_selector=language, timezone_selector=lambda: TIMEZONE)
    CORS(app, resources={r"/api/v1/*": {"origins": origins(config)}}, supports_credentials=True,
         allow_headers=["Content-Type", "Accept-Language", CSRF_HEADER, "Idempotency-Key"],
         expose_headers=["X-Next-Cursor", "X-Request-ID"], max_age=600,
         always_send=False)  # no Origin, no CORS headers (else every allowed origin is listed)
    _only_with_origin(app)
    add_security_headers(app, origins(config), url_of(service, "/", config))
    app.register_blueprint(blp)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    filters = dict(qty=quantity, num=number, when=when, material=material_name, named=material_name, typed=as_typed,
                   whole=whole, keypad=keypad, quantity_box=quantity_box, local=in_page_language,
                   district=district_name,
                   person=person, in_words=in_words, by_staff=by_staff, plain=_plain, month=month, money=money,
                   plain_money=format_money,
                   percent=percent_text, day=day, ref=short_ref,
                   **{kind: functools.partial(label, kind) for kind in labels()})
    app.jinja_env.filters.update({name: _each_render(text) for name, text in filters.items()})
    app.context_processor(_page_context)
    app.register_error_handler(404, _no_such_page)
    # in place of http_errors' handlers, which each calls for all but a browser: one place, for every route
    app.register_error_handler(Error, _error_failed)
    app.register_error_handler(ConnectionFailure, _store_failed)
    app.register_error_handler(Exception, _page_failed)


def _for_a_browser() -> bool:
    """A browser asked for one of our addresses outside the API: it reads a page, not JSON."""
    return not request.path.startswith("/api/") and \
        request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"


def _no_such_page(exc):
    """An address no route knows: a page for a browser (a mistyped link, an old bookmark), JSON for the rest."""
    if request.method not in ("GET", "HEAD") or not _for_a_browser():
        return handle_http_exception(exc)
    g.rawbank_page = True
    return error_page(404, NotFound().describe())


def _page_failed(exc):
    """A fault on our side (a bug, a store refusing a read): for a browser, the page that says to try again and gives
    the request id its log line carries, for the admin; the API's JSON 500 for the rest."""
    if not _for_a_browser():
        return handle_unexpected(exc)
    log.exception("unhandled error")
    return _failed(500, _("Something went wrong"), translate(INTERNAL[1]))


def _store_failed(exc: ConnectionFailure):
    """The store not answering (MongoDB down, the disk refusing a write): for a browser, the page that says so and
    when to try again, with the request id and the JSON 503's Retry-After; that JSON 503 for the rest."""
    if not _for_a_browser():
        return handle_store_unavailable(exc)
    log.error("store unavailable: %s", exc)
    return _not_available(StoreUnavailable.of(exc))


def _error_failed(exc: Error):
    """A project error: its JSON, but for a browser one on our side (a 5xx) is a page, whichever route raised it
    (a @page passes those on to here, as the login form and the public pages do)."""
    if not outcome(exc).ours or not _for_a_browser():
        return handle_error(exc)
    if outcome(exc).status == 500:  # as for the API: a bug, said as one
        return _page_failed(exc)
    log.error("%s: %s", exc.code, exc)
    return _not_available(exc)


def _not_available(exc: Error):
    """The page for a 503 error (the store not answering, a record too busy): its words for a page, and when to
    try again."""
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else {}
    return _failed(outcome(exc).status, _("Not available just now"), exc.describe_on_page(), headers)


def _failed(status: int, title: str, text: str, headers: dict | None = None):
    """The page for a fault on our side: what to do next, a link to try again, and the request id for the admin.

    Drawn even when the store fails the login's deny-list check (`_page_context`)."""
    g.rawbank_page = g.rawbank_failed = True
    again = ""  # the same page again, at our own address (a form sent is not sent again from a link)
    if request.method in ("GET", "HEAD"):
        query = request.query_string.decode("utf-8", "replace")
        again = url_of(current_app.config["RAWBANK_SERVICE"], request.path) + (f"?{query}" if query else "")
    response = make_response(render_template("rawbank/error.html", title=title, text=text,
                                             reference=g.get("request_id"), again=again), status)
    response.headers.update(headers or {})
    return response


def _each_render(text):
    """A filter run at every render, in the reader's language: Jinja would otherwise fold `"yes"|bpl` into the
    compiled template in the language of the first page it drew."""
    @pass_context
    def in_language(_context, *args, **kwargs):
        return text(*args, **kwargs)
    return in_language


def origins(config) -> list[str]:
    return [origin_of(url_of(service, "", config)) for service in SERVICES]


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def url_of(service: str, path: str, config=None) -> str:
    """The public address of a page or API of any of the services."""
    config = config or current_app.config["RAWBANK"]
    return getattr(config, f"{service}_url").rstrip("/") + path


def without_depot() -> str:
    """This page's address without ?depot= and its page number, the other filters kept (where a depot is chosen,
    or a depot's own staff see their own)."""
    query = urlencode([(k, v) for k, v in request.args.items(multi=True) if k not in ("depot", "page")])
    return url_of(current_app.config["RAWBANK_SERVICE"], request.path) + (f"?{query}" if query else "")


def to_depot_choice(error: Error) -> Error:
    """`error` (a page asked for a depot nobody has) with, on its page, a link to this page without the code, where
    the depot is chosen: nor the page number; the other filters kept."""
    error.onward = (without_depot(), _("Choose a depot"))
    return error


def to_own_depot(error: Error, depot_name: str) -> Error:
    """`error` (a depot's staff asked a page for another depot) with, on its page, a link to this page for their own
    depot, named `depot_name` in the page's language: without the code asked, which their pages do not take, nor
    the page number; the other filters kept."""
    error.onward = (without_depot(), _("Open this page for %(depot)s", depot=depot_name))
    return error


def home_url(role: str | None) -> str:
    return url_of(*home_page(role))


def login_url(next_url: str | None = None) -> str:
    return url_of(*common_page("login")) + (f"?next={quote(next_url, safe='')}" if next_url else "")


def safe_next(value: str | None, fallback: str) -> str:
    """Only ever send people on to one of our own services (no open redirect)."""
    if value and origin_of(value) in origins(current_app.config["RAWBANK"]):
        return value
    return fallback


def same_site_post() -> bool:
    """A page form POST must come from one of our own pages: by its Origin (else Referer), or by the CSRF token
    of the login it carries.

    Browsers send `Origin: null` and no Referer when a page posts to a sibling service (the pages'
    Referrer-Policy is same-origin), so such a form proves itself with the token.
    """
    config = current_app.config["RAWBANK"]
    sent = request.headers.get("Origin", "null")
    sent = request.headers.get("Referer", "") if sent == "null" else sent
    if sent:
        return origin_of(sent) in origins(config)
    cookie, token = request.cookies.get(COOKIE, ""), request.form.get("csrf_token", "")
    return bool(cookie and token) and hmac.compare_digest(token.encode(), csrf_token(config.jwt_secret, cookie).encode())


def page(*roles: str):
    """A page for people with one of `roles`; anyone else logs in first or is told where to go."""
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            try:
                principal = current_principal()
            except Unauthenticated:
                return redirect(login_url(request.url))
            except Error as exc:
                if outcome(exc).ours:
                    raise  # a fault on our side: the page that says so (_error_failed), or JSON for a script
                return error_page(outcome(exc).status, exc.describe_on_page(), exc.onward)
            if roles and principal.role not in roles:
                return error_page(403, _("This page is not for your role. Use the menu to go to your pages."))
            try:
                return view(principal, *args, **kwargs)
            except Error as exc:
                if outcome(exc).ours:
                    raise
                return error_page(outcome(exc).status, exc.describe_on_page(), exc.onward)
        return wrapper
    return decorator


def form_error(exc: Error) -> str:
    """What a form says of `exc`, a refusal the person can put right, in the page's language. A failure on our side
    (a record busy, the store failing) is no mistake of theirs: it is raised on to the app's page for it (503 with
    Retry-After, _error_failed), as a @page passes it on."""
    if outcome(exc).ours:
        raise exc
    return exc.describe_on_page()


def error_page(status: int, text: str, onward: tuple[str, str] | None = None):
    """The page that says what went wrong; `onward`: (address, words) of a link to where to go instead."""
    titles = {403: _("Not allowed"), 404: _("Not found"), 409: _("Not possible now")}
    return render_template("rawbank/error.html", title=titles.get(status, _("Something went wrong")),
                           text=text, onward=onward), status


def quantity(value, unit: str | None = None) -> str:
    """Thousandths (int) or a decimal string, in the page's number format, with the unit."""
    if value is None or value == "":
        return "–"
    amount = Decimal(value) / 1000 if isinstance(value, int) else Decimal(str(value))
    text = format_decimal(amount, format="#,##,##0.###", locale=NUMBER_LOCALES[language()])
    return f"{text} {label('unit', unit)}" if unit else text


def _plain(value) -> str:
    """Thousandths as the decimal string a form field sends back ('12.5')."""
    return format_quantity(value) if isinstance(value, int) else (value or "")


def number(value) -> str:
    return format_decimal(value, locale=NUMBER_LOCALES[language()])


#: a time of day as each language writes it: Hindi by the part of the day ("शाम 7:21"), not "7:21 pm"
TIME_FORMATS = {"en": "d MMM y, h:mm a", "hi": "d MMM y, B h:mm"}


def when(value) -> str:
    """An ISO string or a datetime, as a date and time in India, in the page's language, saying its zone."""
    if not value:
        return "–"
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    lang, zone = language(), _("IST")
    return f"{format_datetime(value, TIME_FORMATS[lang], tzinfo=TIMEZONE, locale=NUMBER_LOCALES[lang])} {zone}"


def money(paise, signed: bool = False) -> str:
    """Paise as people read rupees, on every page the one way: '₹1,23,456.50', below zero '−₹500.00'; `signed` marks
    a figure added in a sum '+₹257.78' (one taken off is passed below zero). A rate's part of a paisa is kept."""
    return "–" if paise is None else rupees(paise, language(), signed=signed)


def day(value: str | None) -> str:
    """'2026-12-04' as a date in the page's language."""
    return format_date(date.fromisoformat(value), "d MMM y") if value else "–"


def month(value: str) -> str:
    """'2026-11' as the month's name and year in the page's language."""
    year, number = (int(part) for part in value.split("-"))
    return format_date(date(year, number, 1), "MMMM y")


def as_typed(value) -> Markup:
    """Text shown as people typed it or as a name (a username, a supplier, a reference): marked translate="no"."""
    return Markup('<bdi translate="no">{}</bdi>').format("" if value is None else value)


def whole(value) -> Markup:
    """A document's number (CNT-00012, PO-00042) kept on one line: a heading wraps between its words, not at its "-"."""
    return Markup('<span class="whole" translate="no">{}</span>').format(value)


def keypad(unit: str | None) -> str:
    """The keyboard a phone shows for a quantity of a material in `unit`: digits only for one counted in whole pieces
    (shared.quantity.WHOLE_UNITS: no dot to type half a plank with), digits and a decimal point for the others."""
    return "numeric" if unit in WHOLE_UNITS else "decimal"


def quantity_box(unit: str | None) -> Markup:
    """A quantity box's keyboard attributes for a material in `unit` (keypad): `step="1"` too for whole pieces, and
    `data-pieces`, so the pages' script checks it as a number and leaves '2.5' to the server, whose refusal names the
    material counted in whole pieces (rawbank.js numberKind) rather than a bare "write a whole number"."""
    return (Markup('inputmode="numeric" step="1" data-pieces') if keypad(unit) == "numeric"
            else Markup('inputmode="decimal"'))


def person(value) -> Markup:
    """Who did a thing: one of rawbank's own actors in words (the "actor" labels: the depot's stock system, the demo
    data ...), else a person by the name they log in with, kept as typed."""
    known = labels().get("actor", {})
    return Markup("{}").format(known[value]) if value in known else as_typed(value)


def in_words(login, record: dict | None = None, staff: bool = True) -> Markup:
    """Who did a thing in words the reader knows (shared.names.who_is, without a leading "by"): rawbank's own actors
    as `person` says them, a display name (`record` {role, name, name_hi}) as typed, else the role in words ("the
    depot clerk"); `staff` readers also read the login after them, others never read a bare one."""
    if login in names.ACTORS:
        return person(login)
    words, kind = names.who_is(record, login, language(), staff=staff)
    words = as_typed(words) if kind in ("name", "login") else Markup(escape(words))
    return Markup("{} ({})").format(words, as_typed(login)) if names.with_login(kind, staff) else words


def staff_named(logins) -> None:
    """Look up at once every staff login a page is about to name (by_staff): one query for all those not yet looked
    up in this request, rather than one per login as the page reaches it."""
    seen = g.setdefault("staff_named", {})
    wanted = {login for login in logins if isinstance(login, str) and login not in seen and login not in names.ACTORS}
    if wanted:
        found = staff_copies.known(db(), wanted)
        seen.update({login: found.get(login) for login in wanted})


def by_staff(login) -> Markup:
    """Who on the staff did a thing, to staff readers of a service that keeps no users: in_words from its copy of
    requests' staff logins (shared.staff: "Suresh Yadav (wh-vns-2)"); rawbank's own actors, and a login it has no
    copy of, as `person` says them (the login). Each login is looked up once a request; a list page's all at once
    (staff_named, before it renders)."""
    if not login or login in names.ACTORS:
        return person(login)
    staff_named([login])
    found = g.staff_named[login]
    return in_words(login, found, staff=True) if found else person(login)


def material_name(doc: dict | None, sku: str = "") -> str:
    """A material's, depot's or cooperative's name in the page's language (its `name_hi` in Hindi), else its code."""
    if not doc:
        return sku
    return names.named(doc, doc.get("_id") or sku, language())


def in_page_language(doc: dict | None, field: str) -> str:
    """A record's `field` as the page's reader says it: its `<field>_hi` on Hindi pages when given (a depot's district,
    an artisan's craft), else the field as stored (English), else nothing."""
    return names.named(doc, "", language(), field=field)


def district_name(name: str | None) -> str:
    """A district people typed in English (an artisan's, a cooperative's, a claim's row, a scheme's) as the page's
    reader says it: on Hindi pages the Hindi name a depot of that district gives (`district_hi`, the district
    compared case and spacing aside as everywhere, shared.text.plain_name), else as typed."""
    if not name or language() != "hi":
        return name or ""
    return depot_districts(db()).in_hindi(name) or name


def _page_context() -> dict:
    if (request.blueprint is None and not g.get("rawbank_page")) or request.path.startswith("/api/"):
        return {}
    config, lang = current_app.config["RAWBANK"], language()
    cookie = request.cookies.get(COOKIE, "")
    try:
        user = current_principal() if cookie or request.headers.get("Authorization") else None
    except Error:
        user = None
    except Exception:  # the deny-list's store failed: the page that says so cannot need it
        if not g.get("rawbank_failed"):
            raise
        user = None
    service = current_app.config["RAWBANK_SERVICE"]
    nav = [{"url": _kept(s, path), "label": text, "current": s == service and request.path == path}
           for s, path, text in menus().get(user.role if user else "", [])]
    return {"lang": lang, "user": user, "nav": nav, "role_label": ROLES.get(user.role, "") if user else "",
            "user_name": (names.own_name(user.name, user.name_hi, lang) or user.sub) if user else "",
            "csrf": csrf_token(config.jwt_secret, cookie) if cookie else "",
            "home_url": _kept(*home_page(user.role if user else None)),
            "lang_action": url_of(*common_page("language")) if user else url_of(service, "/language"),
            "logout_action": url_of(*common_page("logout")),
            "login_url": login_url(),
            "no_script_action": no_script_action(service),
            "url_of": url_of, "service": service, "js_texts": _js_texts(), "new_key": new_key}


def new_key() -> str:
    """A form's Idempotency-Key (`data-idempotency`): the same form sent twice is applied once (rawbank.js)."""
    return uuid.uuid4().hex


def _js_texts() -> dict:
    """What the page script says, in the page's language."""
    return {"busy": _("Working…"), "offline": _("Could not reach rawbank. Check your connection and try again."),
            "saved": _("Saved."),
            "reason": _("Write a reason first, so the artisan knows why."),
            # a refusal said under the fields it is about: the form's notice only says where to look
            "marked_one": _("Check the marked field: what is wrong is written under it."),
            "marked_many": _("Check the marked fields: what is wrong is written under each."),
            # what the page's own checks say after a field's name ("Quantity: write a number, such as 12.5.")
            "v_required": _("fill this in."), "v_number": _("write a number, such as 12.5."),
            "v_whole": _("write a whole number, such as 30."), "v_positive": _("must be more than 0."),
            "v_not_negative": _("must not be less than 0."), "v_date": _("write a date such as 2026-04-30."),
            "v_format": _("this is not in the right form."), "v_min": _("must be at least {min}."),
            "v_max": _("must be at most {max}."), "v_step": _("this value is not allowed here."),
            "v_length": _("this is too long or too short."),
            "v_money_comma": _("a comma only separates thousands, such as 1,000.50; paise come after a point, such as "
                               "12.50."),
            # a form sent again with its Idempotency-Key: the first answer came back, nothing was done twice
            "again": _("This was already recorded when the form was first sent; nothing was recorded twice."),
            "reused": _("This form was already used to send something else. It is ready again: check it and send."),
            "table_scrolls": _("Table: scroll sideways to see every column"),
            # back from the login page after the login had ended under a form being sent
            "login_ended": _("Your login had ended, so that was not done. What you typed is back in the page: check "
                             "it and send it again.")}


@blp.post("/language")
def browser_language():
    """Switch हिन्दी / English in this browser only, for someone not logged in, posted from this service's own page.

    The requests service's /lang (which also remembers the choice for a user) refuses a post from a sibling
    service's page that carries no login's CSRF token: a browser sends it with Origin: null."""
    service = current_app.config["RAWBANK_SERVICE"]
    response = redirect(safe_next(request.form.get("next"), url_of(service, "/")))
    lang = request.form.get("lang")
    if lang in LANGUAGES and same_site_post():
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", path="/",
                            secure=url_of(service, "/").startswith("https:"))
    return response


def no_script_action(service: str) -> str:
    """Where a form the page's script sends to the API (`data-api`) goes when the browser sends it itself: the script
    not loaded yet (a slow connection, Enter pressed early), failed or turned off. Without method="post" and this
    action such a form went as a GET to the page, every field (a typed password too) in the address, the history and
    every log on the way. The page's own address (path and query: the address bar's already) says where to go back."""
    back = request.full_path.rstrip("?") if request.method == "GET" else request.path
    return url_of(service, "/needs-script") + "?" + urlencode({"back": back})


def _own_path(value: str | None) -> str | None:
    """A path on this service (never another site's address: "//host", "/\\host", "https:")."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")) or any(
            ord(c) < 32 for c in value):
        return None
    return value


@blp.post("/needs-script")
def sent_without_script():
    """A script's form sent by the browser (`no_script_action`): nothing of it is read, kept or logged (the body is
    never parsed); the browser is sent on (303) to the page that says so, whose reload sends nothing again."""
    return redirect(url_for("rawbank.needs_script", back=_own_path(request.args.get("back"))), 303)


@blp.get("/needs-script")
def needs_script():
    """The page that says a form was sent without the page's script: nothing was saved; load the page again."""
    back = _own_path(request.args.get("back"))
    service = current_app.config["RAWBANK_SERVICE"]
    return render_template("rawbank/needs_script.html", back=url_of(service, back) if back else None)


@blp.get("/favicon.ico")
def favicon():
    """Browsers ask every site for /favicon.ico (a page names its icon; this serves what asks anyway)."""
    return redirect(url_for("rawbank.static", filename="favicon.svg"), 301)


@blp.get("/")
def index():
    """Home: each kind of user's first page, or the login page."""
    try:
        return redirect(home_url(current_principal().role))
    except Error:
        return redirect(login_url())

