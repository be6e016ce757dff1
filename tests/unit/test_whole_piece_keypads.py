"""A quantity box of a material counted in whole pieces asks a phone for the number pad without a dot
(inputmode="numeric", step="1"); every other material's keeps the decimal keyboard. A box whose material is chosen in
a list follows the choice (data-keypad-from, shared/static/rawbank.js)."""
from __future__ import annotations

import re
from pathlib import Path

from tests.unit.test_coop_pages import secretary_of
from tests.unit.test_money_pages import apps, person  # noqa: F401  (fixture)

SHEET, COTTON = "MTL-BRASS-SHEET", "YRN-COT-40"
ROOT = Path(__file__).resolve().parents[2]


def in_pieces(apps):
    """The demo's brass sheet counted in pieces, in both services' catalogs."""
    for app in apps.values():
        app.extensions["rawbank"].db.materials.update_one({"_id": SHEET}, {"$set": {"unit": "piece"}})


def box(page: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', page)
    assert found, name
    return found.group(0)


def test_the_request_forms_give_whole_pieces_the_number_pad(apps, config):
    in_pieces(apps)
    artisan = person(apps["requests"], config, "artisan", artisan_id="ART-0001")
    page = artisan.get("/my/new").get_data(as_text=True)
    assert 'inputmode="numeric" step="1"' in box(page, f"qty-{SHEET}")
    assert 'inputmode="decimal"' in box(page, f"qty-{COTTON}") and "step=" not in box(page, f"qty-{COTTON}")
    coop = secretary_of(apps, config).get("/coop/new").get_data(as_text=True)
    assert 'inputmode="numeric" step="1"' in box(coop, f"total-{SHEET}")
    assert 'inputmode="numeric" step="1"' in box(coop, f"qty-ART-0001-{SHEET}")
    assert 'inputmode="decimal"' in box(coop, f"qty-ART-0001-{COTTON}")


def test_inventory_pages_give_whole_pieces_the_number_pad_and_lists_say_each_materials_keyboard(apps, config):
    in_pieces(apps)
    admin = person(apps["inventory"], config, "admin", lang="en")
    catalog = admin.get("/admin/catalog").get_data(as_text=True)
    sheet = re.search(rf'<input id="reorder-{SHEET}"[^>]*>', catalog).group(0)
    cotton = re.search(rf'<input id="reorder-{COTTON}"[^>]*>', catalog).group(0)
    assert 'inputmode="numeric" step="1"' in sheet and 'inputmode="decimal"' in cotton
    assert '<option value="piece" data-inputmode="numeric">' in catalog
    assert '<option value="kg" data-inputmode="decimal">' in catalog
    new = re.search(r'<input id="reorder_level"[^>]*>', catalog).group(0)
    assert 'data-keypad-from="unit"' in new  # a new material's: as its unit is chosen
    depot = person(apps["inventory"], config, "warehouse", lang="en", depot="VNS")
    moves = depot.get("/warehouse/movements").get_data(as_text=True)
    assert re.search(rf'<option value="{SHEET}"[^>]*data-inputmode="numeric"', moves)
    assert re.search(rf'<option value="{COTTON}"[^>]*data-inputmode="decimal"', moves)
    for form in ("receive", "adjust", "transfer"):
        assert f'data-keypad-from="{form}-sku"' in re.search(rf'<input id="{form}-quantity"[^>]*>', moves).group(0)


def test_every_quantity_box_of_a_material_says_its_keyboard_by_the_materials_unit():
    """No quantity box in the pages keeps a fixed decimal keyboard: each takes quantity_box (its material known) or
    follows a list (data-keypad-from). Money, percentages and days are no material's quantities, nor is the
    automatic approval's max_quantity (every material's lines are compared with it, in their own units)."""
    names = re.compile(r'name="(?:[^"]*quantity|qty-[^"]*|total-[^"]*|counted|reorder_level)"')
    fixed = []
    for path in sorted(ROOT.glob("services/*/templates/**/*.html")):
        for tag in re.findall(r"<input\b[^>]*>", path.read_text(), re.S):
            if names.search(tag) and 'inputmode="decimal"' in tag and "data-keypad-from" not in tag \
                    and 'name="max_quantity"' not in tag:
                fixed.append((path.name, tag[:80]))
    assert fixed == []
