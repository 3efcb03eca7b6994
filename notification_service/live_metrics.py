"""The WebSockets a replica holds, on `/metrics` as `ws_connections`: what its autoscaler scales on,
since sockets, not CPU, are what a notification replica runs out of."""

from fastapi import FastAPI
from prometheus_client import Gauge

from notification_service.live import LiveHub


def export_ws_connections(app: FastAPI) -> None:
    """Adds the gauge to the app's metrics, read from its live hub at each scrape (0 before it starts)."""

    def connections() -> float:
        hub: LiveHub | None = getattr(app.state, "live_hub", None)
        return hub.connections if hub is not None else 0

    gauge = Gauge("ws_connections", "WebSockets this replica holds open", registry=app.state.metrics.registry)
    gauge.set_function(connections)
