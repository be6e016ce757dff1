"""Field-level validation messages come in the caller's language: every one our schemas can produce."""
from __future__ import annotations

import importlib
import inspect
import re

import marshmallow as ma
import pytest

from services import inventory, requests as requests_service
from shared.field_messages import translate_message, translated
from shared.i18n import FIELD_MESSAGES, LANG_COOKIE, catalog
from shared.mongo import connect
from shared.runtime import Runtime

DEVANAGARI = re.compile(r"[\u0900-\u097F]")
SCHEMA_MODULES = ("services.inventory.schemas", "services.requests.schemas", "services.notifier.schemas")


def field_messages(field) -> set[str]:
    """The messages a field and its validators can give, as marshmallow fills them in."""
    fill = {"obj_type": getattr(field, "OBJ_TYPE", ""), "awareness": getattr(field, "AWARENESS", "")}
    found = {message.format_map(_Keep(fill)) for message in field.error_messages.values()}
    for validator in field.validators:
        for name in ("error", "message_min", "message_max", "message_all", "message_equal"):
            if isinstance(getattr(validator, name, None), str):
                found.add(getattr(validator, name))
    for inner in (getattr(field, "inner", None), getattr(field, "value_field", None)):
        if inner is not None:
            found |= field_messages(inner)
    if isinstance(field, ma.fields.Nested):
        found |= schema_messages(field.schema)
    return found


class _Keep(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def schema_messages(schema) -> set[str]:
    found = set(schema.error_messages.values())
    for field in schema.fields.values():
        found |= field_messages(field)
    return found


def every_schema():
    for name in SCHEMA_MODULES:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if inspect.isclass(value) and issubclass(value, ma.Schema) and value.__module__ == name:
                yield value()


def test_every_message_a_schema_can_give_is_known_and_in_hindi():
    messages = set().union(*(schema_messages(schema) for schema in every_schema()))
    missing = sorted(messages - FIELD_MESSAGES)
    assert not missing, f"mark these with F_ (shared/field_messages.py) and run `make catalogs`: {missing}"
    hindi = catalog("hi")
    assert not [m for m in messages if not DEVANAGARI.search(hindi.gettext(m))]


@pytest.mark.parametrize("english, hindi", [
    ("Missing data for required field.", "यह जानकारी ज़रूरी है, पर भेजी नहीं गई।"),
    ("Length must be between 1 and 100.", "लंबाई 1 से 100 के बीच होनी चाहिए।"),
    ("Must be one of: receipt, adjustment, transfer.", "इनमें से एक होना चाहिए: receipt, adjustment, transfer।"),
    ('must be a decimal number such as "12.5"', '"12.5" जैसी दशमलव संख्या होनी चाहिए'),
    ("some text of a detail that is no field message", "some text of a detail that is no field message"),
])
def test_a_message_is_found_as_it_is_or_by_the_template_it_was_filled_from(english, hindi):
    assert translate_message(english, "hi") == hindi


def test_keys_stay_and_english_stays_exactly_as_marshmallow_wrote_it():
    details = {"lines": {"0": {"quantity": ["Not a valid integer."]}}, "_schema": ["Invalid input type."]}
    assert translated(details, "en") is details
    assert translated(details, "hi") == {"lines": {"0": {"quantity": ["यह पूर्ण संख्या नहीं है।"]}},
                                         "_schema": ["भेजी गई जानकारी का प्रकार सही नहीं है।"]}


@pytest.fixture
def client(config):
    runtime = Runtime(inventory.spec(), config, client=connect("mongomock://fields"))
    return inventory.create_app(config, runtime).test_client()


def test_the_api_answers_a_bad_body_in_hindi_when_asked(client, token):
    body = {"type": "adjustment", "sku": "", "depot": "VNS", "quantity": "1.2345", "lot": "x" * 101, "extra": 1}
    english = client.post("/api/v1/movements", json=body, headers=token("admin")).json["error"]
    hindi = client.post("/api/v1/movements", json=body, headers={**token("admin"), "Accept-Language": "hi"}).json
    assert english["details"] == {"sku": ["letters, digits, '.', '_' or '-', at most 64"],
                                  "quantity": ["at most three decimal places"],
                                  "lot": ["Longer than maximum length 100."], "extra": ["Unknown field."]}
    assert hindi["error"]["code"] == english["code"] == "validation_error"
    assert hindi["error"]["details"] == {"sku": ["अक्षर, अंक, '.', '_' या '-', अधिकतम 64"],
                                         "quantity": ["दशमलव के बाद अधिकतम तीन अंक"],
                                         "lot": ["अधिकतम लंबाई 100 से ज़्यादा है।"],
                                         "extra": ["यह नाम अपेक्षित नहीं है; इसे न भेजें।"]}
    assert "विवरण देखें" in hindi["error"]["message"]


def test_the_language_cookie_wins_over_the_header(config, token):
    runtime = Runtime(requests_service.spec(), config, client=connect("mongomock://cookie"))
    client = requests_service.create_app(config, runtime).test_client()
    client.set_cookie(LANG_COOKIE, "hi")
    answer = client.post("/api/v1/auth/login", json={}, headers={"Accept-Language": "en"}).json["error"]
    assert answer["details"]["username"] == ["यह जानकारी ज़रूरी है, पर भेजी नहीं गई।"]
