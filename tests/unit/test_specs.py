"""shared/ is a library: it reaches a service only through the spec loader, and builds what services declare."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from shared.pages import common_page, home_page, labels, menus
from shared.spec import SERVICES, all_specs, declaring

SHARED = Path(__file__).resolve().parents[2] / "shared"
LOADER = SHARED / "spec.py"
IMPORTERS = {"import_module", "__import__", "importlib.import_module"}


def _name(node) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_name(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""


def reaches_services(source: str) -> list[str]:
    """Every way `source` imports or names a module of the services package."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.split(".")[0] == "services"]
        elif isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").split(".")[0] == "services":
            found.append(node.module)
        elif isinstance(node, ast.Call) and _name(node.func) in IMPORTERS:
            found.append(f"{_name(node.func)}(...)")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and re.match(r"services(\.|:|$)",
                                                                                          node.value):
            found.append(repr(node.value))
    return found


@pytest.mark.parametrize("path", sorted(p for p in SHARED.glob("*.py") if p != LOADER), ids=lambda p: p.name)
def test_no_shared_module_but_the_spec_loader_imports_a_service(path):
    assert reaches_services(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("source", [
    "import services.inventory", "from services.requests import users", "from services import notifier",
    "import importlib\nimportlib.import_module('x')", "__import__(name)",
    "app = 'services.inventory:create_app()'", "f'services.{name}'"])
def test_the_check_catches_each_way_of_reaching_a_service(source):
    assert reaches_services(source)


def test_the_spec_loader_is_what_reaches_them():
    assert reaches_services(LOADER.read_text(encoding="utf-8"))
    assert [spec.name for spec in all_specs()] == list(SERVICES)


def test_each_role_menu_gathers_every_services_entries_by_position():
    paths = {role: [(service, path) for service, path, _ in entries] for role, entries in menus().items()}
    assert paths == {
        "artisan": [("requests", "/my"), ("requests", "/my/new"), ("requests", "/my/account"),
                    ("requests", "/my/passbook"), ("notifier", "/my/notifications"), ("requests", "/password")],
        "secretary": [("requests", "/my"), ("requests", "/coop/new"), ("requests", "/admin/artisans"),
                      ("requests", "/accounts"), ("notifier", "/my/notifications"), ("requests", "/password")],
        "warehouse": [("inventory", "/warehouse/stock"), ("inventory", "/warehouse/movements"),
                      ("inventory", "/warehouse/lots"), ("inventory", "/warehouse/dispatch"),
                      ("inventory", "/warehouse/returns"),
                      ("inventory", "/admin/purchase-orders"), ("inventory", "/warehouse/ledger"),
                      ("inventory", "/warehouse/counts"), ("inventory", "/admin/replenishment"),
                      ("notifier", "/admin/alerts"), ("requests", "/admin/collections"), ("requests", "/password")],
        "admin": [("notifier", "/admin/alerts"), ("requests", "/admin/approvals"), ("requests", "/admin/artisans"),
                  ("requests", "/admin/cooperatives"), ("requests", "/admin/quotas"), ("requests", "/admin/schemes"), ("requests", "/admin/claims"),
                  ("requests", "/accounts"), ("requests", "/admin/collections"),
                  ("notifier", "/admin/reports/distribution"),
                  ("inventory", "/admin/catalog"), ("inventory", "/admin/suppliers"),
                  ("inventory", "/admin/purchase-orders"), ("inventory", "/admin/prices"),
                  ("inventory", "/admin/replenishment"), ("inventory", "/warehouse/stock"),
                  ("inventory", "/warehouse/lots"), ("inventory", "/warehouse/ledger"),
                  ("inventory", "/warehouse/returns"), ("inventory", "/warehouse/counts"),
                  ("requests", "/admin/users"), ("requests", "/password")]}


def test_first_pages_labels_and_the_pages_one_service_serves_for_all():
    assert {role: home_page(role) for role in ("artisan", "warehouse", "admin", None)} == {
        "artisan": ("requests", "/my"), "warehouse": ("inventory", "/warehouse/stock"),
        "admin": ("notifier", "/admin/alerts"), None: ("requests", "/login")}
    assert common_page("language") == ("requests", "/lang")
    assert {"status", "unit", "category"} <= set(labels())
    assert declaring("add_user").name == "requests"
