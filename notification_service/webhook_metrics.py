"""Prometheus metrics of webhook deliveries, in the registry the service's `/metrics` serves."""

from prometheus_client import CollectorRegistry, Counter, Histogram

from notification_service.webhook_models import WebhookDisabledReason

# Attempts take up to the 10 s limit; a slow endpoint shows in the top buckets.
LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
OUTCOMES = ("delivered", "retried", "failed")


class WebhookMetrics:
    """Attempts by outcome, their latency, and endpoints disabled by reason."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self._attempts = Counter(
            "webhook_attempts_total",
            "Webhook delivery attempts, by outcome: delivered, retried later, or failed for good",
            ["outcome"],
            registry=registry,
        )
        self._latency = Histogram(
            "webhook_attempt_duration_seconds",
            "Time from sending a webhook delivery to its answer (or to giving up on one)",
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self._disabled = Counter(
            "webhook_endpoints_disabled_total",
            "Webhook endpoints disabled by the platform: gone (410), or failing for the retry window",
            ["reason"],
            registry=registry,
        )
        for outcome in OUTCOMES:  # every series present from the start, at zero
            self._attempts.labels(outcome)

    def attempted(self, outcome: str, seconds: float) -> None:
        self._attempts.labels(outcome).inc()
        self._latency.observe(seconds)

    def disabled(self, reason: WebhookDisabledReason) -> None:
        self._disabled.labels(reason).inc()
