"""Notifier service: what happened, alerts for admins and notifications for artisans."""
from __future__ import annotations

from shared.config import Config
from shared.events import TOPICS
from shared.service import ServiceSpec


def spec() -> ServiceSpec:
    from services.notifier import api, consumer, events
    return ServiceSpec(name="notifier", default_port=8003, blueprints=(api.blp,),
                       indexes=events.INDEXES, consumes=TOPICS, make_handler=consumer.make_handler)


def create_app(config: Config | None = None, runtime=None):
    """The notifier API (gunicorn: 'services.notifier:create_app()')."""
    from shared.web import create_service_app
    return create_service_app(spec(), config, runtime)
