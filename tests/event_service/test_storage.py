"""How events are stored: indexes that follow the models across releases, and documents that stay small."""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import bson
from asgi_lifespan import LifespanManager
from beanie import PydanticObjectId
from fastapi import FastAPI
from pymongo import ASCENDING, AsyncMongoClient, IndexModel

from event_service.catalogue_schemas import (
    MAX_QUOTAS,
    MAX_TICKET_TYPES,
    MAX_VOUCHER_TICKET_TYPES,
    MAX_VOUCHER_USAGES,
    MAX_VOUCHERS,
)
from event_service.main import create_app
from event_service.models import Event, Quota, TicketType, Voucher
from event_service.schemas import MAX_PRICE, MAX_TICKETS_PER_BOOKING, EventUpdate
from event_service.service import snapshot
from event_service.settings import EventSettings
from scripts.embedded_mongo import drop_databases
from shared.messages import EventUpdated
from shared.mongo_outbox import OUTBOX_INDEX, stage_messages
from shared.observability import request_id_var
from tests.conftest import wait_for
from tests.event_service.conftest import client_for
from tests.shared.mongo_commands import (
    COMMANDS,
    as_previous_release,
    declared_shapes,
    index_shapes,
    named,
)

# The most a document may weigh in MongoDB.
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
# The widest character UTF-8 has, four bytes.
WIDE = "\U0001f3b7"


@asynccontextmanager
async def started_on(settings: EventSettings, database: str) -> AsyncIterator[FastAPI]:
    """Runs the service on `database`, which outlives it, until it answers ready."""
    app = create_app(settings.model_copy(update={"mongo_database": database}))
    async with LifespanManager(app, startup_timeout=30), client_for(app) as client:
        await wait_for(lambda: _ready(client), timeout=30)
        yield app


async def _ready(client: Any) -> bool:
    return (await client.get("/ready")).status_code == 200


async def test_indexes_changed_since_the_previous_release_are_rebuilt(event_settings: EventSettings) -> None:
    declared = Event.Settings.indexes
    database = f"test_event_db_{uuid.uuid4().hex[:12]}"
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(event_settings.mongo_url)
    try:
        previous = client[database]["events"]
        await previous.create_indexes([as_previous_release(index) for index in declared])

        async with started_on(event_settings, database):
            pass

        assert index_shapes(await previous.index_information()) == declared_shapes(declared)
    finally:
        await client.close()
        await drop_databases(event_settings.mongo_url, database)


async def test_the_service_starts_on_the_indexes_the_release_before_built(
    event_settings: EventSettings,
) -> None:
    database = f"test_event_db_{uuid.uuid4().hex[:12]}"
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(event_settings.mongo_url)
    try:
        previous = client[database]["events"]
        await previous.create_indexes(
            [
                IndexModel([("starts_at", ASCENDING), ("_id", ASCENDING)], name="by_start"),
                IndexModel([("owner_id", ASCENDING), ("starts_at", ASCENDING)], name="by_owner"),
                IndexModel([("category", ASCENDING), ("starts_at", ASCENDING)], name="by_category"),
                IndexModel([("status", ASCENDING), ("starts_at", ASCENDING)], name="by_status"),
                IndexModel("deleted_at", name="tombstone_expiry", expireAfterSeconds=30 * 24 * 3600),
                IndexModel("outbox.id", name=OUTBOX_INDEX),
            ]
        )

        async with started_on(event_settings, database):
            pass

        built = index_shapes(await previous.index_information())
        assert built.items() >= declared_shapes(Event.Settings.indexes).items()
    finally:
        await client.close()
        await drop_databases(event_settings.mongo_url, database)


async def test_a_restart_keeps_every_index_as_it_is(event_settings: EventSettings) -> None:
    database = f"test_event_db_{uuid.uuid4().hex[:12]}"
    try:
        with COMMANDS.watching(database) as commands:
            for _ in range(2):
                async with started_on(event_settings, database):
                    built = await wait_for(_with_the_outbox_index)
    finally:
        await drop_databases(event_settings.mongo_url, database)

    assert named(commands, "dropIndexes") == []
    assert built == declared_shapes(Event.Settings.indexes)


async def _with_the_outbox_index() -> dict[str, dict[str, Any]] | None:
    """Returns the indexes once the one that finds pending messages is among them."""
    built = index_shapes(await Event.get_pymongo_collection().index_information())
    return built if OUTBOX_INDEX in built else None


def _largest_event() -> Event:
    """An event whose every text is as long as the API takes, in four-byte characters."""
    starts_at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
    return Event(
        id=PydanticObjectId(),
        title=WIDE * 200,
        description=WIDE * 5000,
        venue=WIDE * 200,
        category=WIDE * 50,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        capacity=1_000_000,
        price=100_000_000,
        currency="EUR",
        max_tickets_per_booking=MAX_TICKETS_PER_BOOKING,
        owner_id=WIDE * 100,
        created_at=starts_at,
        updated_at=starts_at,
        version=10**17,
    )


def _largest_change(event: Event) -> EventUpdated:
    return EventUpdated(
        **snapshot(event), changed=[*EventUpdate.model_fields, "ticket_types", "quotas", "vouchers"]
    )


def _with_the_largest_catalogue(event: Event) -> Event:
    """The event with as many ticket types, quotas and vouchers as it may have, each as large as it may be."""
    type_ids = [str(PydanticObjectId()) for _ in range(MAX_TICKET_TYPES)]
    moment = event.starts_at
    event.timezone = "America/Argentina/ComodRivadavia"  # the longest IANA name
    event.ticket_types = [
        TicketType(
            id=type_id,
            name=WIDE * 100,
            description=WIDE * 1000,
            price=MAX_PRICE,
            sales_start=moment,
            sales_end=moment,
            min_per_booking=MAX_TICKETS_PER_BOOKING,
            max_per_booking=MAX_TICKETS_PER_BOOKING,
            hidden=True,
            position=10_000,
        )
        for type_id in type_ids
    ]
    event.quotas = [
        Quota(id=str(PydanticObjectId()), name=WIDE * 100, size=1_000_000, ticket_type_ids=type_ids)
        for _ in range(MAX_QUOTAS)
    ]
    event.vouchers = [
        Voucher(
            code=f"{number:032d}",
            max_usages=MAX_VOUCHER_USAGES,
            valid_until=moment,
            ticket_type_ids=type_ids[:MAX_VOUCHER_TICKET_TYPES],
            price_mode="percent",
            value=100,
            unlocks_hidden=True,
            disabled=True,
        )
        for number in range(MAX_VOUCHERS)
    ]
    event.sold_ticket_type_ids = type_ids
    event.redeemed_voucher_codes = [voucher.code for voucher in event.vouchers]
    return event


async def test_an_event_holding_all_the_largest_messages_it_may_fits_in_a_document(app: FastAPI) -> None:
    event = _largest_event()
    token = request_id_var.set("r" * 128)  # the longest request id a message carries
    try:
        stage_messages(event, *[_largest_change(event)] * Event.outbox_limit)
    finally:
        request_id_var.reset(token)

    await event.insert()

    stored = await Event.get_pymongo_collection().find_one({"_id": event.id})
    assert stored is not None and len(stored["outbox"]) == Event.outbox_limit
    # Within a quarter of the limit: room for fields that later releases add.
    assert len(bson.encode(stored)) < MAX_DOCUMENT_BYTES / 4


async def test_an_event_with_the_largest_catalogue_and_all_the_messages_it_may_hold_fits_in_a_document(
    app: FastAPI,
) -> None:
    event = _with_the_largest_catalogue(_largest_event())
    token = request_id_var.set("r" * 128)
    try:
        stage_messages(event, *[_largest_change(event)] * Event.outbox_limit)
    finally:
        request_id_var.reset(token)

    await event.insert()

    stored = await Event.get_pymongo_collection().find_one({"_id": event.id})
    assert stored is not None and len(stored["outbox"]) == Event.outbox_limit
    assert len(stored["outbox"][0]["data"]["vouchers"]) == MAX_VOUCHERS
    # Within three quarters of the limit: room for fields that later releases add.
    assert len(bson.encode(stored)) < MAX_DOCUMENT_BYTES * 3 / 4
