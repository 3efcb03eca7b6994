"""The booking service: seat inventory, bookings, and payment through the payment service."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

from fastapi import FastAPI

from booking_service.api import add_error_handlers, router
from booking_service.clients import EventClient, PaymentClient, ServiceTokens
from booking_service.consumers import BookingConsumer
from booking_service.expiry import HoldSweeper
from booking_service.models import OutboxLease, OutboxMessage
from booking_service.offers import OfferWorker
from booking_service.settings import BookingSettings
from booking_service.sweeper import PendingSweeper
from booking_service.upstream import Upstream
from booking_service.waiting_list_api import router as waiting_list_router
from booking_service.warmup import warm_pool
from shared.app import create_service_app
from shared.auth import TokenVerifier
from shared.db import Database, add_database_error_handler
from shared.messaging import Broker
from shared.outbox import OutboxRelay

MIGRATIONS = Path(__file__).parent / "migrations"
# Connections kept open to each service this one calls; a few keep a payment service busy.
UPSTREAM_CONNECTIONS = 8
# An idle connection is dropped before the service would close it (uvicorn does after 5 s), so no
# request goes out on a connection as it closes, which would leave a payment's outcome unknown.
UPSTREAM_IDLE_SECONDS = 4.0


def create_app(settings: BookingSettings | None = None) -> FastAPI:
    settings = settings or BookingSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:

        async def after_migrations() -> None:
            # Relay, sweep and consume only once the tables exist.
            await relay.start()
            await sweeper.start()
            await hold_sweeper.start()
            await offer_worker.start()
            await broker.add_consumer(consumer)
            if settings.database_pool_warm:
                await warm_pool(database.engine, connections=settings.database_pool_size)

        database = Database(
            url=settings.database_url,
            migrations=MIGRATIONS,
            retry_seconds=settings.database_retry_seconds,
            after_migrations=after_migrations,
            pool_size=settings.database_pool_size,
            max_overflow=settings.database_max_overflow,
            pool_timeout_seconds=settings.database_pool_timeout_seconds,
            statement_cache_size=settings.database_statement_cache_size,
        )
        sessionmaker = database.sessionmaker

        def upstream(url: str) -> Upstream:
            return Upstream(
                url,
                connections=UPSTREAM_CONNECTIONS,
                timeout=settings.payment_timeout_seconds,
                idle_seconds=UPSTREAM_IDLE_SECONDS,
            )

        users = upstream(settings.user_service_url)
        events = upstream(settings.event_service_url)
        payments = upstream(settings.payment_service_url)
        tokens = ServiceTokens(
            users, client_id=settings.service_client_id, client_secret=settings.service_client_secret
        )
        payment_client = PaymentClient(payments, tokens=tokens)
        broker = Broker.from_settings(settings)
        relay = OutboxRelay(
            sessionmaker=sessionmaker,
            model=OutboxMessage,
            lease=OutboxLease,
            broker=broker,
            poll_seconds=settings.outbox_poll_seconds,
        )
        sweeper = PendingSweeper(
            sessionmaker=sessionmaker,
            payments=payment_client,
            relay=relay,
            older_than=timedelta(seconds=settings.pending_timeout_seconds),
            interval_seconds=settings.sweep_interval_seconds,
        )
        hold_sweeper = HoldSweeper(
            sessionmaker=sessionmaker, relay=relay, interval_seconds=settings.hold_sweep_interval_seconds
        )
        offer_seconds = settings.waiting_list_offer_seconds
        offer_worker = OfferWorker(
            sessionmaker=sessionmaker,
            relay=relay,
            interval_seconds=settings.offer_sweep_interval_seconds,
            offer_for=timedelta(seconds=offer_seconds) if offer_seconds is not None else None,
        )
        consumer = BookingConsumer(sessionmaker=sessionmaker, payments=payment_client, relay=relay).consumer(
            f"{settings.queue_prefix}.events"
        )
        # Its queue and bindings are made as the broker connects, so what is published before the tables
        # exist waits there; it consumes once they do.
        broker.declared.append(consumer)
        app.state.sessionmaker = sessionmaker
        app.state.outbox_relay = relay
        app.state.events = EventClient(events)
        app.state.payments = payment_client
        app.state.token_verifier = TokenVerifier.from_settings(settings)
        app.state.readiness = {"database": database.check, "broker": broker.check}
        app.state.dead_letters = broker.dead_letter_depths
        async with users, events, payments, broker, database:
            try:
                yield
            finally:
                await offer_worker.close()
                await hold_sweeper.close()
                await sweeper.close()
                await relay.close()

    app = create_service_app(
        settings=settings,
        title="Booking service",
        description="Seat inventory and bookings. Seats are reserved atomically, so an event is never "
        "oversold; payment goes through the payment service.",
        lifespan=lifespan,
        routers=[router, waiting_list_router],
    )
    add_database_error_handler(app)
    add_error_handlers(app)
    return app
