"""What inventory's use cases refuse, each with its code, details and message (see shared/errors.py)."""
from __future__ import annotations

from shared.errors import Busy, Conflict, Forbidden, Inapplicable, NotFound, RuleBroken
from shared.i18n import N_

_NO_MATERIAL = N_("No material with this SKU; register it first (POST /api/v1/materials).")
_NO_DEPOT = N_("No depot with this code; register it first (POST /api/v1/depots).")


class UnknownMaterial(RuleBroken):
    """A request names a material the catalog does not have."""

    code, message = "unknown_material", _NO_MATERIAL


class MaterialNotFound(NotFound):
    """The material addressed by the URL does not exist."""

    code, message = "unknown_material", _NO_MATERIAL


class UnknownDepot(RuleBroken):
    code, message = "unknown_depot", _NO_DEPOT


class DepotNotFound(NotFound):
    code, message = "unknown_depot", _NO_DEPOT


class InsufficientStock(Conflict):
    code = "insufficient_stock"
    message = N_("Not enough stock is available for this; nothing was changed. "
                 "See details for what is available.")


class WrongDepot(Forbidden):
    code = "wrong_depot"
    message = N_("You can record movements only at your own depot.")


class SameDepot(RuleBroken):
    code = "same_depot"
    message = N_("A transfer must go to a different depot.")


class StockBusy(Busy):
    """Writers kept colliding on one stock document until the deadline."""

    code = "stock_busy"
    message = N_("This stock is very busy right now; try again in a moment.")


class InvalidRequisition(Inapplicable):
    """A requisition event that can never be applied (bad id, never reserved...)."""
