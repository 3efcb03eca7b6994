"""The user service: accounts, roles, login and the keys that sign every access token."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from shared.app import create_service_app
from shared.auth import InvalidTokenError, TokenVerifier
from shared.db import Database, add_database_error_handler
from shared.messaging import Broker
from shared.outbox import OutboxRelay
from user_service import service
from user_service.api import add_error_handlers, router
from user_service.keys import SigningKey, load_signing_key
from user_service.models import OutboxLease, OutboxMessage
from user_service.passwords import Passwords
from user_service.rate_limit import RateLimits
from user_service.settings import UserSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def _own_key_source(key: SigningKey):  # noqa: ANN202 - a shared.auth.KeySource
    """This service verifies tokens with its own key instead of fetching its own JWKS."""

    async def key_for(kid: str) -> object:
        if kid != key.kid:
            raise InvalidTokenError("Token signed by an unknown key")
        return key.public_key

    return key_for


def create_app(settings: UserSettings | None = None) -> FastAPI:
    settings = settings or UserSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        key = load_signing_key(pem=settings.signing_key, path=settings.signing_key_file)
        passwords = Passwords(
            concurrency=settings.register_hash_concurrency, queue_size=settings.register_queue_size
        )
        rate_limits = RateLimits(settings)

        async def after_migrations() -> None:
            async with sessionmaker() as session:
                await service.ensure_admin(session, settings=settings, passwords=passwords)
            await relay.start()  # only once the outbox table exists

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
        relay = OutboxRelay(sessionmaker=sessionmaker, model=OutboxMessage, lease=OutboxLease, broker=broker)

        app.state.settings = settings
        app.state.signing_key = key
        app.state.sessionmaker = sessionmaker
        app.state.outbox_relay = relay
        app.state.passwords = passwords
        app.state.rate_limits = rate_limits
        app.state.token_verifier = TokenVerifier(
            key_source=_own_key_source(key), issuer=settings.jwt_issuer, audience=settings.jwt_audience
        )
        app.state.readiness = {"database": database.check, "broker": broker.check}
        if settings.redis_url:
            app.state.readiness["redis"] = rate_limits.check
        async with broker, database:
            try:
                yield
            finally:
                await relay.close()
                await rate_limits.close()
                passwords.close()

    app = create_service_app(
        settings=settings,
        title="User service",
        description="Accounts, roles, login and service identities. Signs every access token; "
        "other services verify them against `/.well-known/jwks.json`.",
        lifespan=lifespan,
        routers=[router],
    )
    add_database_error_handler(app)
    add_error_handlers(app)
    return app
