"""What the inventory rules refuse, and why. Standard library only."""
from __future__ import annotations


class StockError(Exception):
    """A movement the rules refuse."""


class InsufficientStock(StockError):
    """The movement would take more than is available (on hand, not held, in usable lots)."""

    def __init__(self, available: int, wanted: int, lot: str | None = None):
        super().__init__(f"available {available}, wanted {wanted}" + (f" in lot {lot}" if lot else ""))
        self.available = available
        self.wanted = wanted
        self.lot = lot  # the one lot named, when it is that lot that holds too little


class Refused(StockError):
    """A rule refuses the change; `code` names it (services/inventory/errors.py says what people read)."""

    def __init__(self, code: str, **details):
        super().__init__(code, details)
        self.code = code
        self.details = details
