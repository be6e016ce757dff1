"""What `rawbank status` calls each of the inventory service's collections, in plain words (catalog texts)."""
from __future__ import annotations

from shared.i18n import N_

COLLECTIONS = {
    "stock": N_("stock of each material at each depot"),
    "materials": N_("materials"),
    "depots": N_("depots"),
    "movements": N_("stock movements"),
    "reservations": N_("stock held for requests"),
    "purchase_orders": N_("purchase orders"),
    "suppliers": N_("suppliers"),
    "returns": N_("materials returned"),
    "gate_passes": N_("gate passes printed after hand-over (a later print is a copy)"),
    "counts": N_("stock counts"),
    "lot_codes": N_("lot codes"),
    "counters": N_("running numbers for orders and waiting lists"),
    "idempotency": N_("requests already answered, so a repeat changes nothing"),
    "artisans": N_("artisans"),
    "cooperatives": N_("cooperatives"),
    "staff": N_("who each member of staff is (from the requests service)"),
}
