"""The payment service: a simulated card processor with idempotent payments and refunds."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from payment_service.api import add_error_handlers, router
from payment_service.models import Payment
from payment_service.settings import PaymentSettings
from shared.app import create_service_app
from shared.auth import TokenVerifier
from shared.messaging import Broker
from shared.mongo import MongoStore, add_mongo_error_handler
from shared.mongo_outbox import MongoOutboxRelay


def create_app(settings: PaymentSettings | None = None) -> FastAPI:
    settings = settings or PaymentSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Writes wait for the journal (MongoStore's default): a payment answered 201 survives a crash.
        store = MongoStore.from_settings(settings, [Payment])
        broker = Broker.from_settings(settings)
        relay = MongoOutboxRelay(models=[Payment], broker=broker)
        app.state.token_verifier = TokenVerifier.from_settings(settings)
        app.state.outbox_relay = relay
        app.state.readiness = {"database": store.check, "broker": broker.check}
        async with store, broker, relay:
            yield

    app = create_service_app(
        settings=settings,
        title="Payment service",
        description="Charges and refunds through a simulated card processor with Stripe's test methods "
        "(`pm_card_visa` succeeds, `pm_card_chargeDeclined` is declined). Every write takes an "
        "`Idempotency-Key`; amounts are integers in minor units with an ISO 4217 currency. Only the booking "
        "service and admins charge and refund: a user cancels the booking instead.",
        lifespan=lifespan,
        routers=[router],
    )
    add_mongo_error_handler(app)
    add_error_handlers(app)
    return app
