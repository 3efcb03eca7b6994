"""What the outbox and database tests share: brokers on the test exchange, a tap of the messages they
publish, and a real PgBouncer in transaction mode."""

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import pytest
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from shared.db import create_engine
from shared.messaging import Broker
from tests.conftest import RABBITMQ_URL, MessageTap, wait_for
from tests.pgbouncer import pgbouncer

TYPE = "user.registered"


async def connected(broker: Broker, expected: bool) -> bool:
    return broker.is_connected is expected


@pytest.fixture
async def start_broker(exchange_name: str) -> AsyncIterator[Callable[..., Awaitable[Broker]]]:
    """Starts brokers on the test exchange, by default waiting until they are connected."""
    brokers: list[Broker] = []

    async def start(url: str = RABBITMQ_URL, *, wait: bool = True, kind: type[Broker] = Broker) -> Broker:
        broker = kind(url=url, exchange_name=exchange_name, retry_seconds=0.2)
        brokers.append(broker)
        await broker.start()
        if wait:
            await wait_for(lambda: connected(broker, True))
        return broker

    yield start
    for broker in brokers:
        await broker.close()


@pytest.fixture
async def tap(tap_messages: Callable[[str], Awaitable[MessageTap]]) -> MessageTap:
    """Collects the `user.registered` messages published on the test exchange."""
    return await tap_messages(TYPE)


@pytest.fixture(scope="module")
def pgbouncer_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    with pgbouncer(tmp_path_factory.mktemp("pgbouncer")) as port:
        yield port


async def database_with_tables(
    create_database: Callable[[str], Awaitable[str]], name: str, metadata: MetaData
) -> str:
    """Creates a database of the run holding `metadata`'s tables; returns its URL."""
    url = await create_database(name)
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    await engine.dispose()
    return url


def engine_by_route(request: pytest.FixtureRequest, url: str, **options: int) -> AsyncEngine:
    """A service's engine to `url`: straight to PostgreSQL when the test's parameter is "direct", else
    through the run's PgBouncer in transaction mode, with no statement kept on a connection."""
    if request.param == "direct":
        return create_engine(url, **options)
    port = request.getfixturevalue("pgbouncer_port")
    return create_engine(url.replace(":5432/", f":{port}/"), statement_cache_size=0, **options)
