"""Prometheus metrics shared by the three services, labelled by service."""
from prometheus_client import Counter, Gauge, Histogram

HTTP_REQUESTS = Counter("rawbank_http_requests_total", "HTTP requests handled",
                        ["service", "method", "endpoint", "status"])
HTTP_LATENCY = Histogram("rawbank_http_request_seconds", "HTTP request latency",
                         ["service", "endpoint"])
EVENTS_HANDLED = Counter("rawbank_events_handled_total", "events applied by a consumer",
                         ["service", "topic", "type"])
EVENTS_RETRIED = Counter("rawbank_events_retried_total", "handler attempts that failed and were retried",
                         ["service", "topic"])
EVENTS_DEAD_LETTERED = Counter("rawbank_events_dead_lettered_total", "messages sent to a dead-letter topic",
                               ["service", "topic"])
EVENTS_PUBLISHED = Counter("rawbank_events_published_total", "outbox events published and acknowledged",
                           ["service", "topic"])
CONSUMER_LAG = Gauge("rawbank_consumer_lag", "messages on a consumer's partitions it has not handled yet",
                     ["service"])
