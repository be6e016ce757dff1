"""Requests service: users and login, artisans, quotas and requisitions."""
from __future__ import annotations

from shared.config import Config
from shared.events import INVENTORY_TOPIC, REQUESTS_TOPIC
from shared.spec import ServiceSpec


def spec() -> ServiceSpec:
    from services.requests import (api, artisan_pages, artisans, consumer, coop_api, coop_pages, cooperative_pages,
                                   errors, list_pages, login_changes, money_api, money_pages, pages, people,
                                   reconcile, requisitions_api, scheme_names, seed, staff_names, status_names, store,
                                   user_admin, user_pages, users)
    return ServiceSpec(
        name="requests", default_port=8002, package=__name__,
        blueprints=(api.blp, requisitions_api.blp, money_api.blp, coop_api.blp),
        indexes=store.INDEXES, publishes=REQUESTS_TOPIC, outbox_collections=store.OUTBOX_COLLECTIONS,
        collections=status_names.COLLECTIONS,
        consumes=(INVENTORY_TOPIC,), make_handler=consumer.make_handler, seed=seed.seed,
        event_handlers=consumer.EVENT_HANDLERS,
        at_start=(login_changes.at_start, artisans.at_start, staff_names.at_start),
        pages=(pages.blp, list_pages.blp, money_pages.blp, coop_pages.blp, artisan_pages.blp,
               cooperative_pages.blp, user_pages.blp, scheme_names.blp),
        menu=_merged(pages.MENU, money_pages.MENU, coop_pages.MENU, artisan_pages.MENU, cooperative_pages.MENU,
                     user_pages.MENU),
        home=pages.HOME, labels={**pages.LABELS, **money_pages.LABELS, **coop_pages.LABELS, **artisan_pages.LABELS,
                                 **cooperative_pages.LABELS},
        common_pages=pages.COMMON_PAGES,
        reconcile=reconcile.RECONCILIATION, add_user=users.add_from_cli,
        set_password=user_admin.set_password_from_cli, name_of=people.of_login, errors=errors)


def _merged(*menus: dict) -> dict:
    return {role: sum((menu.get(role, ()) for menu in menus), ()) for menu in menus for role in menu}


def create_app(config: Config | None = None, runtime=None):
    """The requests API (gunicorn: 'services.requests:create_app()')."""
    from shared.service_app import create_service_app
    return create_service_app(spec(), config, runtime)
