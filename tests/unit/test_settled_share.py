"""The words of a member's share after the department upheld their dispute (`settled_share` in requests/_bits.html),
drawn on their own: what was received (a material received as 0 too), what is short, what is credited so far."""
from __future__ import annotations

import re

import pytest
from flask import get_template_attribute

from services import requests as requests_service
from services.requests.pages import names_of
from shared.auth import Principal
from shared.i18n import LANG_COOKIE
from shared.mongo import connect
from shared.runtime import Runtime

MATERIALS = {"YRN-COT-40": {"name": "Cotton yarn 40s"}, "DYE-INDIGO": {"name": "Natural indigo dye"},
             "YRN-SLK-MUL": {"name": "Mulberry silk yarn"}}


@pytest.fixture
def app(config):
    runtime = Runtime(requests_service.spec(), config, client=connect("mongomock://settled-share"))
    return requests_service.create_app(config, runtime)


def settled_share(app, c, lines, credited) -> str:
    with app.test_request_context("/", headers={"Cookie": f"{LANG_COOKIE}=en"}):
        named = names_of({c["disputed"]["settled"]["by"]}, Principal("ART-0001", "artisan", artisan_id="ART-0001"))
        drawn = get_template_attribute("requests/_bits.html", "settled_share")(c, lines, credited, MATERIALS, named)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", str(drawn))).strip()


def test_an_upheld_share_lists_a_material_received_as_0_and_leaves_0_out_of_what_is_short_and_credited(app):
    """Indigo received as 0 is one of what the member received; silk, not said, counts as all of it; what is short
    and what is credited so far list only materials with more than 0."""
    c = {"disputed": {"settled": {"outcome": "upheld", "by": "admin", "at": "2026-01-05T06:30:00+00:00"}},
         "short_by": {"YRN-COT-40": 4_000, "DYE-INDIGO": 1_000, "YRN-SLK-MUL": 0}}
    lines = [{"sku": "YRN-COT-40", "quantity": 10_000, "received": 6_000, "unit": "kg"},
             {"sku": "DYE-INDIGO", "quantity": 1_000, "received": 0, "unit": "kg"},
             {"sku": "YRN-SLK-MUL", "quantity": 500, "received": None, "unit": "kg"}]
    said = settled_share(app, c, lines, {"YRN-COT-40": 1_000, "DYE-INDIGO": 0})
    assert "you received 6 kg Cotton yarn 40s, 0 kg Natural indigo dye, 0.5 kg Mulberry silk yarn." in said, said
    assert "(a member of staff, " in said and "admin" not in said, said  # a login no user has: never bare
    assert "What did not reach you (4 kg Cotton yarn 40s, 1 kg Natural indigo dye) counts as short and is to be " \
           "credited to your account by the depot. 1 kg Cotton yarn 40s of it is credited so far." in said, said


def test_an_upheld_share_all_credited_says_so_without_a_so_far(app):
    c = {"disputed": {"settled": {"outcome": "upheld", "by": "admin", "at": "2026-01-05T06:30:00+00:00"}},
         "short_by": {"DYE-INDIGO": 1_000}}
    lines = [{"sku": "YRN-COT-40", "quantity": 10_000, "received": 10_000, "unit": "kg"},
             {"sku": "DYE-INDIGO", "quantity": 1_000, "received": 0, "unit": "kg"}]
    said = settled_share(app, c, lines, {"DYE-INDIGO": 1_000})
    assert "you received 10 kg Cotton yarn 40s, 0 kg Natural indigo dye. What did not reach you (1 kg Natural " \
           "indigo dye) counts as short and is credited to your account." in said, said
    assert "so far" not in said, said
