"""The SQL outbox relay against real PostgreSQL and RabbitMQ: in order, once, one replica at a time,
and no transaction left open while the broker confirms (an open one would hold back PostgreSQL's
cleanup of every table, and slow every hot row, for as long as the broker takes). Each test runs
straight to PostgreSQL and again through a real PgBouncer in transaction mode."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta

import asyncpg
import pytest
from sqlalchemy import func, insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import DeclarativeBase

from shared.db import create_sessionmaker
from shared.messaging import Broker, Envelope
from shared.outbox import OutboxLeaseMixin, OutboxMixin, OutboxRelay, stage_message
from tests.conftest import MessageTap, wait_for
from tests.messages import user_registered
from tests.shared.conftest import TYPE, database_with_tables, engine_by_route


class Base(DeclarativeBase):
    pass


class OutboxMessage(OutboxMixin, Base):
    source = "test_service"


class OutboxLease(OutboxLeaseMixin, Base):
    pass


class GatedBroker(Broker):
    """A real broker whose publishes wait until the test opens the gate."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.gate = asyncio.Event()
        self.waiting = 0

    async def publish(self, envelope: Envelope) -> None:
        self.waiting += 1
        await self.gate.wait()
        await super().publish(envelope)


async def publishing(broker: GatedBroker) -> bool:
    return broker.waiting > 0


@pytest.fixture
async def database(create_database: Callable[[str], Awaitable[str]]) -> str:
    return await database_with_tables(create_database, "outbox", Base.metadata)


@pytest.fixture(params=["direct", "pgbouncer"])
async def sessions(
    request: pytest.FixtureRequest, database: str
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = engine_by_route(request, database)
    yield create_sessionmaker(engine)
    await engine.dispose()


async def stage(sessions: async_sessionmaker[AsyncSession], *names: str) -> None:
    async with sessions() as session, session.begin():
        for name in names:
            stage_message(session, OutboxMessage, user_registered(name))


async def open_transactions(database: str) -> list[str]:
    """What every other session of the database runs inside an open transaction."""
    connection = await asyncpg.connect(database.replace("postgresql+asyncpg", "postgresql"))
    try:
        rows = await connection.fetch(
            "SELECT query FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
        )
    finally:
        await connection.close()
    return [row["query"] for row in rows]


async def test_the_relay_publishes_in_order_with_no_transaction_open_while_the_broker_confirms(
    database: str,
    sessions: async_sessionmaker[AsyncSession],
    start_broker: Callable[..., Awaitable[GatedBroker]],
    tap: MessageTap,
) -> None:
    await stage(sessions, "a", "b")
    await stage(sessions, "c")
    broker = await start_broker(kind=GatedBroker)
    relay = OutboxRelay(sessionmaker=sessions, model=OutboxMessage, lease=OutboxLease, broker=broker)
    relaying = asyncio.create_task(relay.relay_batch())
    await wait_for(lambda: publishing(broker))

    assert await open_transactions(database) == []

    broker.gate.set()
    assert await relaying == 3
    messages = await tap.wait_for_type(TYPE, 3)
    assert [message["data"]["username"] for message in messages] == ["a", "b", "c"]
    assert await relay.relay_batch() == 0  # all marked sent


async def test_one_replica_relays_at_a_time_and_the_next_carries_on_in_order(
    sessions: async_sessionmaker[AsyncSession],
    start_broker: Callable[..., Awaitable[GatedBroker]],
    tap: MessageTap,
) -> None:
    await stage(sessions, "a", "b")
    first, second = await start_broker(kind=GatedBroker), await start_broker(kind=GatedBroker)
    second.gate.set()
    relays = [
        OutboxRelay(sessionmaker=sessions, model=OutboxMessage, lease=OutboxLease, broker=broker)
        for broker in (first, second)
    ]
    relaying = asyncio.create_task(relays[0].relay_batch())
    await wait_for(lambda: publishing(first))

    assert await relays[1].relay_batch() == 0  # the first holds the relay
    first.gate.set()
    assert await relaying == 2
    await stage(sessions, "c")
    assert await relays[1].relay_batch() == 1

    messages = await tap.wait_for_type(TYPE, 3)
    assert [message["data"]["username"] for message in messages] == ["a", "b", "c"]


async def test_a_lease_left_by_a_replica_that_died_is_taken_over_once_it_ends(
    sessions: async_sessionmaker[AsyncSession],
    start_broker: Callable[..., Awaitable[Broker]],
    tap: MessageTap,
) -> None:
    await stage(sessions, "a")
    async with sessions() as session, session.begin():  # as a relay killed mid-batch leaves it
        await session.execute(
            insert(OutboxLease).values(id=1, holder=uuid.uuid4(), until=func.now() + timedelta(seconds=1))
        )
    relay = OutboxRelay(
        sessionmaker=sessions, model=OutboxMessage, lease=OutboxLease, broker=await start_broker()
    )

    assert await relay.relay_batch() == 0
    await wait_for(lambda: published_once(relay), timeout=10)
    assert [message["data"]["username"] for message in await tap.wait_for_type(TYPE)] == ["a"]


async def published_once(relay: OutboxRelay) -> bool:
    return await relay.relay_batch() == 1
