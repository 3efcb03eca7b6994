"""The notification service: stored history and live WebSocket alerts for what the other services publish."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from notification_service.api import add_error_handlers, router
from notification_service.channels import enabled_channels
from notification_service.consumers import TRANSIENT_ERRORS, NotificationConsumers
from notification_service.deliveries import DeliveryDispatcher
from notification_service.drain import Drain
from notification_service.live import LiveHub
from notification_service.live_metrics import export_ws_connections
from notification_service.models import DOCUMENT_MODELS
from notification_service.notifier import Notifier
from notification_service.settings import NotificationSettings
from notification_service.webhook_consumers import WebhookConsumers
from notification_service.webhook_fanout import WebhookFanout
from notification_service.webhook_metrics import WebhookMetrics
from notification_service.webhook_models import WEBHOOK_DOCUMENT_MODELS
from notification_service.webhook_worker import WebhookWorker
from notification_service.webhooks_api import add_webhook_error_handlers
from notification_service.webhooks_api import router as webhooks_router
from notification_service.ws import serve_live_first
from shared.app import create_service_app
from shared.auth import TokenVerifier
from shared.messaging import Broker
from shared.mongo import MongoStore, add_mongo_error_handler

DESCRIPTION = """Every user's notifications: bookings, sales of their events, changes to events they attend,
new events. Stored once however many replicas run, and pushed live.

**Live**: open a WebSocket to `/ws?token=<access token>`. Each frame is one JSON notification
`{id, type, title, body, data, created_at}`. Reconnect with `&since=<id of the last frame>` to first
receive what was missed, in order, then live frames, with no gap. The replay starts
`WS_REPLAY_WINDOW_SECONDS` before that id, so a notification another replica stored late is not
skipped: frames received before may come again, drop an id already seen. When more was
missed than `WS_REPLAY_LIMIT`, the first frame is `{"type": "replay_truncated", ...}` instead: reload
the history with `GET /notifications`. Close codes: 4401 missing, invalid or expired token; 4403 a
service identity; 4422 `since` is not a notification id; 4429 the user has as many sockets open as
allowed; 1009 a client message too big; 1013 try again later (the token or the history could not be
checked, or the client fell too far behind); 1011 an unexpected error; 1012 the replica lost live
frames (its broker connection was cut) or is shutting down: reconnect with `since`.
"""


def create_app(settings: NotificationSettings | None = None) -> FastAPI:
    settings = settings or NotificationSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = MongoStore.from_settings(settings, [*DOCUMENT_MODELS, *WEBHOOK_DOCUMENT_MODELS])
        hub = LiveHub()
        dispatcher = DeliveryDispatcher.from_settings(settings, enabled_channels(settings))
        broker = Broker.from_settings(settings)
        # Live frames are published through the same broker that feeds the handlers.
        notifier = Notifier(settings=settings, publish=broker.publish, dispatcher=dispatcher)
        consumers = NotificationConsumers(settings=settings, notifier=notifier, hub=hub).consumers()
        broker.consumers.extend(consumers)
        broker.reconnected.append(hub.resume_all)  # a new live queue: what the old one missed is gone
        # Webhooks: a queue and a worker of their own, so slow endpoints hold up nothing else.
        webhook_worker = WebhookWorker(
            settings=settings, metrics=WebhookMetrics(app.state.metrics.registry), tell=notifier.tell
        )
        fanout = WebhookFanout(settings=settings, wake=webhook_worker.wake)
        webhook_consumers = WebhookConsumers(settings=settings, fanout=fanout).consumers(TRANSIENT_ERRORS)
        broker.consumers.extend(webhook_consumers)

        app.state.settings = settings
        app.state.token_verifier = TokenVerifier.from_settings(settings)
        app.state.live_hub = hub
        app.state.notifier = notifier
        app.state.consumers = [*consumers, *webhook_consumers]
        app.state.webhook_worker = webhook_worker
        drain = Drain(
            hub=hub,
            consumers=[consumer for consumer in app.state.consumers if not consumer.exclusive],
            seconds=settings.drain_seconds,
            close_timeout=settings.ws_close_timeout_seconds,
        )
        app.state.readiness = {"database": store.check, "broker": broker.check, "shutdown": drain.check}
        app.state.dead_letters = broker.dead_letter_depths
        async with store, broker, dispatcher, webhook_worker:
            drain.install()  # SIGTERM drains the sockets before the server stops
            try:
                yield
            finally:
                drain.uninstall()

    app = create_service_app(
        settings=settings,
        title="Notification service",
        description=DESCRIPTION,
        lifespan=lifespan,
        routers=[router, webhooks_router],
    )
    add_error_handlers(app)
    export_ws_connections(app)
    add_webhook_error_handlers(app)
    add_mongo_error_handler(app)
    serve_live_first(app)
    return app
