"""The check-in service: tickets with signed secrets, check-in lists, and scans at the door."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

from fastapi import FastAPI

from checkin_service import checkin_api
from checkin_service.api import add_error_handlers, router
from checkin_service.consumers import CheckinConsumer
from checkin_service.events import EventClient
from checkin_service.models import OutboxLease, OutboxMessage
from checkin_service.settings import CheckinSettings
from checkin_service.tickets import TicketSigner
from shared.app import create_service_app
from shared.auth import TokenVerifier
from shared.db import Database, add_database_error_handler
from shared.keys import Ed25519Key, load_private_key
from shared.messaging import Broker
from shared.outbox import OutboxRelay

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: CheckinSettings | None = None) -> FastAPI:
    settings = settings or CheckinSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        key = load_private_key(
            pem=settings.ticket_signing_key,
            path=settings.ticket_signing_key_file,
            setting="TICKET_SIGNING_KEY",
        )
        signer = TicketSigner(
            key=Ed25519Key(key),
            valid_before=timedelta(minutes=settings.ticket_valid_before_minutes),
            valid_after=timedelta(minutes=settings.ticket_valid_after_minutes),
        )

        async def after_migrations() -> None:
            # Relay and consume only once the tables exist.
            await relay.start()
            await broker.add_consumer(consumer)

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
        broker = Broker.from_settings(settings)
        relay = OutboxRelay(
            sessionmaker=sessionmaker,
            model=OutboxMessage,
            lease=OutboxLease,
            broker=broker,
            poll_seconds=settings.outbox_poll_seconds,
        )
        events = EventClient(settings.event_service_url, timeout=settings.event_service_timeout_seconds)
        consumer = CheckinConsumer(
            sessionmaker=sessionmaker, signer=signer, events=events, relay=relay
        ).consumer(f"{settings.queue_prefix}.events")
        # Its queue and bindings are made as the broker connects, so what is published before the tables
        # exist waits there; it consumes once they do.
        broker.declared.append(consumer)
        app.state.settings = settings
        app.state.signer = signer
        app.state.sessionmaker = sessionmaker
        app.state.outbox_relay = relay
        app.state.token_verifier = TokenVerifier.from_settings(settings)
        app.state.readiness = {"database": database.check, "broker": broker.check}
        app.state.dead_letters = broker.dead_letter_depths
        async with events, broker, database:
            try:
                yield
            finally:
                await relay.close()

    app = create_service_app(
        settings=settings,
        title="Check-in service",
        description="Tickets of confirmed bookings, each with a signed secret a scanner verifies offline "
        "against `/.well-known/ticket-keys`; check-in lists per event, and scans at the door that admit "
        "a ticket once, also when offline scanners upload their scans later.",
        lifespan=lifespan,
        routers=[router, checkin_api.router],
    )
    add_database_error_handler(app)
    add_error_handlers(app)
    return app
