"""Prometheus metrics, in a registry owned by the runtime (no global state)."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)


class Metrics:
    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter(
            "garrison_requests",
            "Gateway requests by endpoint, model and outcome",
            ["endpoint", "model", "status"],
            registry=r,
        )
        self.latency = Histogram(
            "garrison_request_duration_seconds",
            "Time from request to last byte, per model",
            ["endpoint", "model"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.ttft = Histogram(
            "garrison_time_to_first_token_seconds",
            "Streaming: time to the first token, per model",
            ["model"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.tokens = Counter(
            "garrison_tokens",
            "Tokens processed per model, by kind (prompt, completion)",
            ["model", "kind"],
            registry=r,
        )
        self.errors = Counter(
            "garrison_errors",
            "Refused or failed requests per endpoint, model and reason code",
            ["endpoint", "model", "code"],
            registry=r,
        )
        self.http = Counter(
            "garrison_http_requests",
            "HTTP requests by route, method and status",
            ["route", "method", "status"],
            registry=r,
        )
        self.egress_refused = Counter(
            "garrison_egress_refused",
            "Outbound connections refused by the air-gap guard",
            registry=r,
        )
        self.models_loaded = Gauge(
            "garrison_model_loaded",
            "1 when the model is verified and loaded, 0 when refused",
            ["model"],
            registry=r,
        )
        self._active = Gauge(
            "garrison_engine_active_requests",
            "Requests in flight inside each engine",
            ["model"],
            registry=r,
        )

    def track_active(self, model: str, read: Callable[[], int]) -> None:
        self._active.labels(model=model).set_function(lambda: float(read()))

    def render(self) -> bytes:
        return generate_latest(self.registry)
