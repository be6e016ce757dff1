"""A subsidy scheme as the pages name it: by its name in the page's language (its `name_hi` on Hindi pages), its code
in brackets for staff who file its claims; never the bare code to an artisan who cannot read it."""
from __future__ import annotations

from flask import Blueprint, g

from services.requests import schemes
from shared import names
from shared.i18n import language
from shared.web import db

blp = Blueprint("scheme_names", __name__)


def _known() -> dict[str, dict]:
    """The schemes by code, read once for the page."""
    if "rawbank_schemes" not in g:
        g.rawbank_schemes = schemes.listing_by_code(db())
    return g.rawbank_schemes


@blp.app_template_filter("scheme")
def scheme_name(code: str | None, with_code: bool = True) -> str:
    """'RMSS' -> 'कच्चा माल आपूर्ति योजना (RMSS)' on a Hindi page, 'Raw Material Supply Scheme (RMSS)' in English;
    without the code (`with_code=False`) its name alone; the code alone for a scheme with no other name."""
    if not code:
        return ""
    return names.named_with_code(_known().get(code), code, language(), with_code=with_code)
