"""The notification service: stored history and live WebSocket alerts for what the other services publish."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from notification_service.api import add_error_handlers, router
from notification_service.channels import enabled_channels
from notification_service.consumers import NotificationConsumers
from notification_service.deliveries import DeliveryDispatcher
from notification_service.live import LiveHub
from notification_service.models import DOCUMENT_MODELS
from notification_service.notifier import Notifier
from notification_service.settings import NotificationSettings
from notification_service.ws import router as ws_router
from shared.app import create_service_app
from shared.auth import TokenVerifier
from shared.messaging import Broker
from shared.mongo import MongoStore, add_mongo_error_handler

DESCRIPTION = """Every user's notifications: bookings, sales of their events, changes to events they attend,
new events. Stored once however many replicas run, and pushed live.

**Live**: open a WebSocket to `/ws?token=<access token>`. Each frame is one JSON notification
`{id, type, title, body, data, created_at}`. Reconnect with `&since=<id of the last frame>` to first
receive what was missed, in order, then live frames, with no gap and no duplicate. When more was
missed than `WS_REPLAY_LIMIT`, the first frame is `{"type": "replay_truncated", ...}` instead: reload
the history with `GET /notifications`. Close codes: 4401 missing, invalid or expired token; 4403 a
service identity; 4422 `since` is not a notification id; 4429 the user has as many sockets open as
allowed; 1009 a client message too big; 1013 try again later (the token or the history could not be
checked, or the client fell too far behind); 1011 an unexpected error.
"""


def create_app(settings: NotificationSettings | None = None) -> FastAPI:
    settings = settings or NotificationSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = MongoStore.from_settings(settings, DOCUMENT_MODELS)
        hub = LiveHub()
        dispatcher = DeliveryDispatcher.from_settings(settings, enabled_channels(settings))
        broker = Broker.from_settings(settings)
        # Live frames are published through the same broker that feeds the handlers.
        notifier = Notifier(settings=settings, publish=broker.publish, dispatcher=dispatcher)
        consumers = NotificationConsumers(settings=settings, notifier=notifier, hub=hub).consumers()
        broker.consumers.extend(consumers)

        app.state.settings = settings
        app.state.token_verifier = TokenVerifier.from_settings(settings)
        app.state.live_hub = hub
        app.state.notifier = notifier
        app.state.consumers = consumers
        app.state.readiness = {"database": store.check, "broker": broker.check}
        app.state.dead_letters = broker.dead_letter_depths
        async with store, broker, dispatcher:
            yield

    app = create_service_app(
        settings=settings,
        title="Notification service",
        description=DESCRIPTION,
        lifespan=lifespan,
        routers=[router, ws_router],
    )
    add_error_handlers(app)
    add_mongo_error_handler(app)
    return app
