"""Which error statuses an API view can answer, read from the code: the `Error` classes its function, and every
function of ours it calls (transitively), raise or build, each with its status in shared.errors.OUTCOMES.

A static reading, by names: a call is followed where its name resolves, in the function's module (or a local import),
to a function or class of ours (`f(...)`, `module.f(...)`, `Class.f(...)`, `self.f(...)` in a method); calls on
values (`db.x.find(...)`) are not. An error built anywhere in a function counts as raised (`raise X(...)`,
`raise X(...).named(db)`, `error = X(...)`), unless an `except` around it in that function takes its class (and
does not `raise` it again).
"""
from __future__ import annotations

import ast
import importlib
import inspect
import textwrap
from types import FunctionType, ModuleType

from shared.errors import OUTCOMES, Error

OURS = ("services.", "shared.")


def statuses(view) -> set[int]:
    """The statuses of the errors `view` (its undecorated function) can raise."""
    return {status_of(kind) for kind in raised(inspect.unwrap(view))}


def status_of(kind: type[Error]) -> int:
    """The status an error of this class is answered with (shared.errors.outcome, for a class)."""
    return next(OUTCOMES[k].status for k in kind.__mro__ if k in OUTCOMES)


def raised(function, seen: set | None = None) -> set[type[Error]]:
    seen = set() if seen is None else seen
    code = getattr(function, "__code__", None)
    if code is None or code in seen or not function.__module__.startswith(OURS):
        return set()
    seen.add(code)
    tree = _tree(code)
    if tree is None:
        return set()
    return _within(tree, function, tree, (), seen)


def _within(node, function, tree, caught: tuple, seen: set) -> set[type[Error]]:
    """The errors raised under `node` that no `except` around them (`caught`) in this function takes."""
    found: set[type[Error]] = set()
    if isinstance(node, ast.Try):
        taken = caught + tuple(_handled(handler, function, tree) for handler in node.handlers)
        for child in node.body:
            found |= _within(child, function, tree, taken, seen)
        for child in node.handlers + node.orelse + node.finalbody:
            found |= _within(child, function, tree, caught, seen)
        return found
    if isinstance(node, ast.Call):
        target = _resolve(node.func, function, tree)
        if isinstance(target, type) and issubclass(target, Error):
            found.add(target)
        elif isinstance(target, type) and target.__module__.startswith(OURS):
            init = target.__dict__.get("__init__")
            found |= raised(init, seen) if init else set()
        elif isinstance(target, (FunctionType, staticmethod, classmethod)):
            found |= raised(getattr(target, "__func__", target), seen)
    for child in ast.iter_child_nodes(node):
        found |= _within(child, function, tree, caught, seen)
    return {kind for kind in found if not any(issubclass(kind, taken) for taken in caught)}


def _handled(handler: ast.ExceptHandler, function, tree) -> tuple:
    """The classes an `except` takes (every one for a bare `except`; none if it raises them again, `raise`)."""
    if any(isinstance(node, ast.Raise) and node.exc is None for node in ast.walk(handler)):
        return ()
    if handler.type is None:
        return (BaseException,)
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    kinds = tuple(kind for kind in (_resolve(name, function, tree) for name in names) if isinstance(kind, type))
    return kinds


def _tree(code):
    """The function's own source (of its code: `getsource` of a decorated function would give the one it wraps, read
    with the wrapper's names), in which a decorator's wrapper calls the function it wraps by a closure's name."""
    try:
        return ast.parse(textwrap.dedent(inspect.getsource(code)))
    except (OSError, TypeError, SyntaxError):
        return None


def _resolve(node, function, tree):
    """What a called expression names, or None."""
    if isinstance(node, ast.Name):
        local = _local_imports(tree, function)
        if node.id in local:
            return local[node.id]
        if node.id in function.__globals__:
            return function.__globals__[node.id]
        return _closure(function).get(node.id)
    if isinstance(node, ast.Attribute):
        if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
            owner = _owner(function)
            return inspect.getattr_static(owner, node.attr, None) if owner else None
        base = _resolve(node.value, function, tree)
        if isinstance(base, (ModuleType, type)):
            return inspect.getattr_static(base, node.attr, None)
    return None


def _closure(function) -> dict:
    names = function.__code__.co_freevars
    cells = function.__closure__ or ()
    found = {}
    for name, cell in zip(names, cells):
        try:
            found[name] = cell.cell_contents
        except ValueError:
            pass
    return found


def _owner(function):
    """The class a method is defined in, from its qualified name."""
    parts = function.__qualname__.split(".")[:-1]
    owner = importlib.import_module(function.__module__)
    for part in parts:
        owner = getattr(owner, part, None)
        if owner is None:
            return None
    return owner if isinstance(owner, type) else None


def _local_imports(tree, function) -> dict:
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            module = importlib.import_module(node.module)
            for alias in node.names:
                value = getattr(module, alias.name, None)
                if value is None:
                    try:
                        value = importlib.import_module(f"{node.module}.{alias.name}")
                    except ImportError:
                        continue
                found[alias.asname or alias.name] = value
    return found
