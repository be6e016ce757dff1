"""Errors are raised as what went wrong and become HTTP errors only at the edge, through one table."""
from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest
import werkzeug.exceptions

from shared import errors
from shared.errors import OUTCOMES, UNEXPECTED, outcome

ROOT = Path(__file__).resolve().parents[2]
HTTP_MODULES = {"werkzeug", "werkzeug.exceptions", "flask", "flask_smorest"}
HTTP_NAMES = {name for name, value in vars(werkzeug.exceptions).items()
              if inspect.isclass(value) and issubclass(value, werkzeug.exceptions.HTTPException)} | {"abort"}
EDGE = "shared/http_errors.py"  # the one module that turns errors into HTTP responses


def is_edge(path: Path) -> bool:
    """API modules, page modules and the error mapping may speak HTTP."""
    name = path.name
    return name in ("api.py", "pages.py") or name.startswith("api_") or name.endswith("_api.py") or \
        path.relative_to(ROOT).as_posix() == EDGE


def _http_imports(tree: ast.AST) -> tuple[set[str], set[str]]:
    """Names a module imported from werkzeug/flask that are HTTP errors (or abort), and those modules' aliases."""
    names, modules = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in HTTP_MODULES:
            names |= {alias.asname or alias.name for alias in node.names
                      if alias.name in HTTP_NAMES or alias.name == "exceptions"}
        elif isinstance(node, ast.Import):
            modules |= {alias.asname or alias.name for alias in node.names if alias.name in HTTP_MODULES}
    return names, modules


def _is_http(expr, names: set[str], modules: set[str], classes: set[str]) -> bool:
    if isinstance(expr, ast.IfExp):  # raise (NotFound if addressed else Refused)(...)
        return any(_is_http(branch, names, modules, classes) for branch in (expr.body, expr.orelse))
    if isinstance(expr, ast.Name):
        return expr.id in names or expr.id in classes
    if isinstance(expr, ast.Attribute):
        base = ast.unparse(expr.value)
        return expr.attr in classes or (expr.attr in HTTP_NAMES and (base in modules or base in names))
    return False


def http_error_classes(trees) -> set[str]:
    """Classes of ours that are HTTP errors: ApiError, and whatever derives from one or from werkzeug's."""
    classes, grown = {"ApiError"}, True
    while grown:
        grown = False
        for tree in trees:
            names, modules = _http_imports(tree)
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in classes and \
                        any(_is_http(base, names, modules, classes) for base in node.bases):
                    classes.add(node.name)
                    grown = True
    return classes


def http_errors_constructed(tree: ast.AST, classes: set[str] = frozenset({"ApiError"})) -> list[int]:
    """Lines that build or raise an HTTP error (werkzeug's or one of `classes`) or call abort()."""
    names, modules = _http_imports(tree)
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Call) and _is_http(node.func, names, modules, classes)
            or isinstance(node, ast.Raise) and _is_http(node.exc, names, modules, classes)]


def modules():
    for folder in ("services", "shared"):
        yield from sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("source", [
    "from werkzeug.exceptions import NotFound\nraise NotFound()",
    "from werkzeug.exceptions import Conflict as C\nraise C",
    "import werkzeug.exceptions as wz\nraise wz.Forbidden(description='x')",
    "from werkzeug import exceptions\nraise exceptions.BadRequest()",
    "from flask import abort\nabort(404)",
    "import flask\nflask.abort(409)",
    "from shared.http_errors import ApiError\nraise ApiError(422, 'x')",
    "from werkzeug.exceptions import NotFound, UnprocessableEntity as U\nraise (NotFound if a else U)()",
])
def test_the_check_finds_every_way_to_build_an_http_error(source):
    assert http_errors_constructed(ast.parse(source))


def test_the_check_finds_our_own_http_error_classes_wherever_they_are_raised():
    defined = ast.parse("from werkzeug.exceptions import HTTPException\nclass Gone(HTTPException): code = 410\n"
                        "class StockGone(Gone): pass")
    used = ast.parse("from shared.gone import StockGone\nfrom shared.errors import NotFound\n"
                     "raise NotFound()\nraise StockGone()")
    classes = http_error_classes([defined, used])
    assert classes >= {"Gone", "StockGone"} and "NotFound" not in classes
    assert http_errors_constructed(used, classes) == [4]


def test_only_apis_pages_and_the_error_mapping_build_http_errors():
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in modules()}
    classes = http_error_classes(trees.values())
    found = {path.relative_to(ROOT).as_posix(): lines for path, tree in trees.items() if not is_edge(path)
             if (lines := http_errors_constructed(tree, classes))}
    assert not found, f"raise a shared.errors.Error (or a service's own) instead: {found}"


def every_error_class():
    for path in modules():
        module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
        for value in vars(module).values():
            if inspect.isclass(value) and issubclass(value, errors.Error) and value.__module__ == module.__name__:
                yield value


def outcome_of(cls):
    return next((OUTCOMES[kind] for kind in cls.__mro__ if kind in OUTCOMES), UNEXPECTED)


def test_every_error_is_of_a_kind_in_the_one_table():
    kinds = [cls.__name__ for cls in every_error_class() if cls is not errors.Error and outcome_of(cls) is UNEXPECTED]
    assert not kinds, f"derive these from a kind in shared.errors.OUTCOMES: {kinds}"


#: the statuses and codes the API answered with before errors were raised as what went wrong
CONTRACT = {
    "shared.errors": {"Invalid": (400, "validation_error"), "Unauthenticated": (401, "unauthorized"),
                      "TokenInvalid": (401, "token_invalid"), "Forbidden": (403, "forbidden"),
                      "CsrfFailed": (403, "csrf_failed"), "NotFound": (404, "not_found"),
                      "Conflict": (409, "conflict"), "AlreadyExists": (409, "already_exists"),
                      "TooManyAttempts": (429, "too_many_attempts"), "Busy": (503, "busy"),
                      "StoreUnavailable": (503, "store_unavailable")},
    "services.inventory.errors": {
        "UnknownMaterial": (422, "unknown_material"), "MaterialNotFound": (404, "unknown_material"),
        "UnknownDepot": (422, "unknown_depot"), "DepotNotFound": (404, "unknown_depot"),
        "InsufficientStock": (409, "insufficient_stock"), "WrongDepot": (403, "wrong_depot"),
        "SameDepot": (422, "same_depot"), "StockBusy": (503, "stock_busy")},
    "services.requests.errors": {
        "BadLogin": (401, "bad_login"), "QuotaExceeded": (422, "quota_exceeded"), "QuotaBusy": (422, "busy"),
        "IllegalTransition": (409, "illegal_transition"), "ArtisanInactive": (422, "artisan_inactive"),
        "MaterialNotKnown": (422, "material_not_known"), "IdempotencyKeyReused": (409, "idempotency_key_reused"),
        "UnknownDepot": (422, "unknown_depot")},
    "services.notifier.errors": {"AlertNotOpen": (409, "alert_not_open"),
                                 "AlertAlreadyResolved": (409, "alert_already_resolved")},
}


@pytest.mark.parametrize("module", sorted(CONTRACT))
def test_each_error_keeps_its_status_and_code(module):
    found = {name: (outcome_of(cls).status, cls.code) for name, cls in vars(importlib.import_module(module)).items()
             if inspect.isclass(cls) and issubclass(cls, errors.Error) and cls.__module__ == module}
    assert {name: found.get(name) for name in CONTRACT[module]} == CONTRACT[module]


def test_consumers_retry_what_passes_and_dead_letter_the_rest():
    retried = [kind.__name__ for kind, result in OUTCOMES.items() if not result.permanent]
    assert retried == ["TooManyAttempts", "Busy", "StoreUnavailable"]
    assert outcome(errors.Inapplicable("never approved")).permanent
    assert not outcome(RuntimeError("store hiccup")).permanent  # an unknown failure is retried, then dead-lettered
