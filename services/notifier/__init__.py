"""Notifier service: what happened, alerts for admins and notifications for artisans."""
from __future__ import annotations

from shared.config import Config
from shared.events import TOPICS, dlq_topic
from shared.spec import ServiceSpec


def spec() -> ServiceSpec:
    from services.notifier import (alerts, api, consumer, dead_letters, deliveries, dispatcher, dues, errors,
                                   event_log, handlers, notifications, pages, projections, reconcile, report_api,
                                   report_cli, report_models, report_pages, shares, status_names, stream,
                                   subscriptions_api)
    indexes = {**event_log.INDEXES, **alerts.INDEXES, **notifications.INDEXES, **deliveries.INDEXES,
               **projections.INDEXES, **dues.INDEXES, **shares.INDEXES, **report_models.INDEXES,
               **dead_letters.INDEXES}
    return ServiceSpec(
        name="notifier", default_port=8003, package=__name__,
        blueprints=(api.blp, subscriptions_api.blp, stream.blp, report_api.blp), indexes=indexes,
        collections=status_names.COLLECTIONS,
        consumes=TOPICS, make_handler=consumer.make_handler, event_handlers=handlers.EVENT_HANDLERS,
        consumes_raw=tuple(dlq_topic(t) for t in TOPICS),
        make_raw_handler=consumer.make_dead_letter_handler,
        background=(("dispatcher", dispatcher.make_dispatcher),),
        pages=(pages.blp, report_pages.blp), menu={**pages.MENU, "admin": pages.MENU["admin"] + report_pages.MENU},
        home=pages.HOME, labels={**pages.LABELS, **report_pages.LABELS}, links={"events": "/api/v1/events"},
        reconcile=reconcile.RECONCILIATION, commands=(report_cli.REBUILD,), at_start=(projections.backfill_phone_keys,),
        errors=errors, http_threads=32)  # each live stream (GET /stream) holds a thread


def create_app(config: Config | None = None, runtime=None):
    """The notifier API (gunicorn: 'services.notifier:create_app()')."""
    from shared.service_app import create_service_app
    return create_service_app(spec(), config, runtime)
