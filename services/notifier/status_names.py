"""What `rawbank status` calls each of the notifier service's collections, in plain words (catalog texts)."""
from __future__ import annotations

from shared.i18n import N_

COLLECTIONS = {
    "alerts": N_("warnings for admins"),
    "notifications": N_("notifications for artisans"),
    "deliveries": N_("messages being sent by SMS or webhook"),
    "events": N_("events received"),
    "handled": N_("events already handled, so a repeat changes nothing"),
    "on_order": N_("what is on order of each material at each depot, for alerts"),
    "dead_letters": N_("dead letters"),
    "waitlist": N_("waiting lists"),
    "shares": N_("cooperative members' shares"),
    "contacts": N_("admins' contacts for warnings"),
    "webhooks": N_("webhooks"),
    "digests": N_("daily summaries sent"),
    "report_dispatches": N_("report figures: materials handed over"),
    "report_unmet": N_("report figures: unmet demand"),
    "report_ended": N_("report figures: requests ended"),
    "report_returns": N_("report figures: materials returned"),
    "requisitions": N_("requests for materials"),
    "accounts": N_("artisans' dues and payments"),
    "artisans": N_("artisans"),
    "cooperatives": N_("cooperatives"),
    "depots": N_("depots"),
    "materials": N_("materials"),
    "staff": N_("who each member of staff is (from the requests service)"),
}
