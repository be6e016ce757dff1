"""Inventory service: materials and their prices, depots, stock in lots, its movement ledger, reservations,
suppliers and purchase orders, stock counts and what to order next."""
from __future__ import annotations

from shared.config import Config
from shared.events import INVENTORY_TOPIC, REQUESTS_TOPIC
from shared.spec import ServiceSpec


def spec() -> ServiceSpec:
    from services.inventory import (api, api_gate_pass, api_procurement, api_quality, api_stock, consumer, errors,
                                    ledger, pages, pages_buying, pages_dispatch, pages_quality, pages_stock,
                                    public_api, public_pages, reconcile, seed, status_names, store, watch)
    return ServiceSpec(
        name="inventory", default_port=8001, package=__name__,
        blueprints=(api.blp, api_stock.blp, api_procurement.blp, api_quality.blp, api_gate_pass.blp,
                    public_api.blp),
        indexes=store.INDEXES, publishes=INVENTORY_TOPIC, outbox_collections=store.OUTBOX_COLLECTIONS,
        collections=status_names.COLLECTIONS,
        consumes=(REQUESTS_TOPIC, INVENTORY_TOPIC), make_handler=consumer.make_handler, seed=seed.seed,
        event_handlers=consumer.EVENT_HANDLERS,
        pages=(pages.blp, pages_stock.blp, pages_dispatch.blp, pages_buying.blp, pages_quality.blp, public_pages.blp),
        menu=pages.MENU, menu_keeps=pages.KEEPS_DEPOT, menu_keeps_chosen=pages.KEEPS_CHOSEN_DEPOT, home=pages.HOME,
        labels=pages.LABELS,
        reconcile=reconcile.RECONCILIATION,
        background=(("ledger", ledger.make_sweeper), ("watch", watch.make_watcher)), errors=errors)


def create_app(config: Config | None = None, runtime=None):
    """The inventory API (gunicorn: 'services.inventory:create_app()')."""
    from shared.service_app import create_service_app
    return create_service_app(spec(), config, runtime)
