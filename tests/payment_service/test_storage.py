"""How payments are stored: journaled writes, and indexes that follow the models across releases."""

import httpx
from pymongo import ASCENDING, DESCENDING, AsyncMongoClient, IndexModel

from payment_service.models import Payment
from payment_service.settings import PaymentSettings
from shared.mongo_outbox import OUTBOX_INDEX
from tests.conftest import wait_for
from tests.payment_service.conftest import client_for, is_ready, running
from tests.shared.mongo_commands import (
    COMMANDS,
    as_previous_release,
    declared_shapes,
    index_shapes,
    named,
)


async def test_payments_are_written_with_journaled_acknowledgement(ready_client: httpx.AsyncClient) -> None:
    # A payment answered 201 must survive a crash of the database process right after.
    assert Payment.get_pymongo_collection().write_concern.document.get("j") is True


async def test_indexes_changed_since_the_previous_release_are_rebuilt(
    payment_settings: PaymentSettings,
) -> None:
    declared = Payment.Settings.indexes
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(payment_settings.mongo_url)
    try:
        previous = client[payment_settings.mongo_database]["payments"]
        await previous.create_indexes([as_previous_release(index) for index in declared])

        async with running(payment_settings) as app, client_for(app) as service:
            await wait_for(lambda: is_ready(service), timeout=30)

        assert index_shapes(await previous.index_information()) == declared_shapes(declared)
    finally:
        await client.close()


async def test_the_service_starts_on_the_indexes_the_release_before_built(
    payment_settings: PaymentSettings,
) -> None:
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(payment_settings.mongo_url)
    try:
        previous = client[payment_settings.mongo_database]["payments"]
        await previous.create_indexes(
            [
                IndexModel(
                    [("caller_id", ASCENDING), ("idempotency_key", ASCENDING)],
                    unique=True,
                    name="idempotency_key_per_caller",
                ),
                IndexModel([("user_id", ASCENDING), ("created_at", DESCENDING)], name="by_user"),
                IndexModel([("booking_id", ASCENDING), ("created_at", DESCENDING)], name="by_booking"),
                IndexModel("outbox.id", name=OUTBOX_INDEX),
            ]
        )

        async with running(payment_settings) as app, client_for(app) as service:
            await wait_for(lambda: is_ready(service), timeout=30)

        assert index_shapes(await previous.index_information()) == declared_shapes(Payment.Settings.indexes)
    finally:
        await client.close()


async def test_a_restart_keeps_every_index_as_it_is(payment_settings: PaymentSettings) -> None:
    with COMMANDS.watching(payment_settings.mongo_database) as commands:
        for _ in range(2):
            async with running(payment_settings) as app, client_for(app) as service:
                await wait_for(lambda: is_ready(service), timeout=30)
                built = await wait_for(_with_the_outbox_index)

    assert named(commands, "dropIndexes") == []
    assert built == declared_shapes(Payment.Settings.indexes)


async def _with_the_outbox_index() -> dict[str, dict[str, object]] | None:
    """Returns the indexes once the one that finds pending messages is among them."""
    built = index_shapes(await Payment.get_pymongo_collection().index_information())
    return built if OUTBOX_INDEX in built else None
