"""Prometheus metrics of a service's HTTP requests and of its dead letters, served at `/metrics`."""

from collections.abc import Mapping

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

# Paths that match no route share one label, so requests for random URLs cannot grow the metrics.
UNMATCHED = "unmatched"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "WEBSOCKET"})
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class HttpMetrics:
    """Counts requests and times them, labelled by method, route template and status."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        # A registry per app: tests build many apps in one process.
        self.registry = CollectorRegistry()
        self._requests = Counter(
            "http_requests_total",
            "Requests answered, by method, route and status",
            ["method", "handler", "status"],
            registry=self.registry,
        )
        self._duration = Histogram(
            "http_request_duration_seconds",
            "Time to answer, by method and route",
            ["method", "handler"],
            buckets=DURATION_BUCKETS,
            registry=self.registry,
        )
        self._dead_letters = Gauge(
            "dead_letter_messages",
            "Messages waiting in each dead-letter queue of this service's consumers, read at each scrape",
            ["queue"],
            registry=self.registry,
        )
        # Labelled children by key: `labels()` costs more than the observation itself.
        self._counters: dict[tuple[str, str, int], Counter] = {}
        self._histograms: dict[tuple[str, str], Histogram] = {}

    def observe(self, method: str, handler: str | None, status: int, seconds: float) -> None:
        handler = handler or UNMATCHED
        method = method if method in METHODS else "other"
        counter_key = (method, handler, status)
        counter = self._counters.get(counter_key)
        if counter is None:
            counter = self._counters[counter_key] = self._requests.labels(method, handler, str(status))
        counter.inc()
        histogram_key = (method, handler)
        histogram = self._histograms.get(histogram_key)
        if histogram is None:
            histogram = self._histograms[histogram_key] = self._duration.labels(method, handler)
        histogram.observe(seconds)

    def observe_dead_letters(self, depths: Mapping[str, int]) -> None:
        """Sets the depth of each dead-letter queue (a queue the broker could not count is left as it was)."""
        for queue, depth in depths.items():
            self._dead_letters.labels(queue).set(depth)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
