"""The event service: events in MongoDB, and every change to one published as a message."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from event_service import catalogue_api
from event_service.api import add_error_handlers, router
from event_service.consumers import sales_consumer
from event_service.migration import Migration
from event_service.models import Event
from event_service.read_cache import EventReadCache
from event_service.settings import EventSettings
from shared.app import create_service_app
from shared.auth import TokenVerifier
from shared.messaging import Broker
from shared.mongo import MongoStore, add_mongo_error_handler
from shared.mongo_outbox import MongoOutboxRelay


def create_app(settings: EventSettings | None = None) -> FastAPI:
    settings = settings or EventSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = MongoStore.from_settings(settings, [Event])
        broker = Broker.from_settings(settings)
        read_cache = EventReadCache(broker, size=settings.read_cache_size)
        await broker.add_consumer(read_cache.consumer())
        await broker.add_consumer(sales_consumer(settings.queue_prefix))
        relay = MongoOutboxRelay(models=[Event], broker=broker, poll_seconds=settings.outbox_poll_seconds)
        app.state.settings = settings
        app.state.store = store
        app.state.outbox_relay = relay
        app.state.read_cache = read_cache
        app.state.token_verifier = TokenVerifier.from_settings(settings)
        async with store, broker, relay:
            migration = Migration(store.database, retry_seconds=settings.mongo_retry_seconds)
            app.state.readiness = {
                "database": store.check,
                "broker": broker.check,
                "migration": migration.check,
            }
            migrating = asyncio.create_task(migration.run(), name="event-migration")
            # Events of the previous release get their ticket types before the first request, unless the
            # database is down: then the service starts unready and migrates once it is reached.
            await asyncio.wait({migrating}, timeout=settings.mongo_timeout_seconds + 1)
            try:
                yield
            finally:
                migrating.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await migrating

    app = create_service_app(
        settings=settings,
        title="Event service",
        description="Events with their schedule, capacity and price. Anyone may read them; organizers "
        "publish and edit their own, admins any. Every change is published as an `event.*` message.",
        lifespan=lifespan,
        routers=[router, catalogue_api.router],
    )
    add_mongo_error_handler(app)
    add_error_handlers(app)
    return app
