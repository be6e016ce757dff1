"""What `rawbank status` calls each of the requests service's collections, in plain words (catalog texts)."""
from __future__ import annotations

from shared.i18n import N_

COLLECTIONS = {
    "requisitions": N_("requests for materials"),
    "artisans": N_("artisans"),
    "cooperatives": N_("cooperatives"),
    "users": N_("people who log in"),
    "login_attempts": N_("failed login attempts and lockouts"),
    "accounts": N_("artisans' dues and payments"),
    "credit_terms": N_("credit terms"),
    "entitlements": N_("monthly entitlements"),
    "quotas": N_("quotas"),
    "usage": N_("quota used each month"),
    "prices": N_("material prices"),
    "schemes": N_("schemes"),
    "inbound": N_("SMS received"),
    "settings": N_("settings"),
    "counters": N_("running numbers for orders and waiting lists"),
    "depots": N_("depots"),
    "materials": N_("materials"),
}
