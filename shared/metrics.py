"""Prometheus metrics of a service's HTTP requests and of its dead letters, served at `/metrics`."""

import time
from bisect import bisect_left
from collections.abc import Iterator, Mapping

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, generate_latest
from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.samples import Sample
from prometheus_client.utils import floatToGoString

# Paths that match no route share one label, so requests for random URLs cannot grow the metrics.
UNMATCHED = "unmatched"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "WEBSOCKET"})
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_BUCKET_BOUNDS = (*(floatToGoString(bound) for bound in DURATION_BUCKETS), "+Inf")


class _Count:
    __slots__ = ("created", "value")

    def __init__(self) -> None:
        self.value = 0
        self.created = time.time()


class _Durations:
    """A histogram's counts per bucket (not cumulative: the scrape adds them up) and their sum."""

    __slots__ = ("counts", "created", "total")

    def __init__(self) -> None:
        self.counts = [0] * len(_BUCKET_BOUNDS)
        self.total = 0.0
        self.created = time.time()


class _RequestCollector:
    """Exposes the counts `HttpMetrics` keeps, as prometheus_client's `Counter` and `Histogram` would.

    Those take a lock and check their state at every observation: ~5 µs of every request, while
    plain counts, only read at a scrape, cost under one.
    """

    def __init__(
        self, requests: dict[tuple[str, str, int], _Count], durations: dict[tuple[str, str], _Durations]
    ) -> None:
        self.requests = requests
        self.durations = durations

    def collect(self) -> Iterator[Metric]:
        requests = CounterMetricFamily(
            "http_requests",
            "Requests answered, by method, route and status",
            labels=["method", "handler", "status"],
        )
        for (method, handler, status), count in self.requests.items():
            requests.add_metric([method, handler, str(status)], count.value, created=count.created)
        yield requests
        durations = HistogramMetricFamily(
            "http_request_duration_seconds",
            "Time to answer, by method and route",
            labels=["method", "handler"],
        )
        for (method, handler), timed in self.durations.items():
            cumulative, buckets = 0, []
            for bound, count in zip(_BUCKET_BOUNDS, timed.counts, strict=True):
                cumulative += count
                buckets.append((bound, cumulative))
            durations.add_metric([method, handler], buckets, timed.total)
            # When the series began, as `Histogram` exposes it too (the family takes no such value).
            labels = {"method": method, "handler": handler}
            durations.samples.append(Sample(f"{durations.name}_created", labels, timed.created))
        yield durations


class HttpMetrics:
    """Counts requests and times them, labelled by method, route template and status."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        # A registry per app: tests build many apps in one process.
        self.registry = CollectorRegistry()
        self._requests: dict[tuple[str, str, int], _Count] = {}
        self._durations: dict[tuple[str, str], _Durations] = {}
        self.registry.register(_RequestCollector(self._requests, self._durations))
        self._dead_letters = Gauge(
            "dead_letter_messages",
            "Messages waiting in each dead-letter queue of this service's consumers, read at each scrape",
            ["queue"],
            registry=self.registry,
        )

    def observe(self, method: str, handler: str | None, status: int, seconds: float) -> None:
        handler = handler or UNMATCHED
        if method not in METHODS:
            method = "other"
        count = self._requests.get((method, handler, status))
        if count is None:
            count = self._requests[method, handler, status] = _Count()
        count.value += 1
        timed = self._durations.get((method, handler))
        if timed is None:
            timed = self._durations[method, handler] = _Durations()
        # The first bucket whose bound is at least `seconds` (the last, +Inf, past every bound).
        timed.counts[bisect_left(DURATION_BUCKETS, seconds)] += 1
        timed.total += seconds

    def observe_dead_letters(self, depths: Mapping[str, int]) -> None:
        """Sets the depth of each dead-letter queue (a queue the broker could not count is left as it was)."""
        for queue, depth in depths.items():
            self._dead_letters.labels(queue).set(depth)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
