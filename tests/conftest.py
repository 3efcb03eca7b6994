"""Real PostgreSQL, RabbitMQ, Redis and MongoDB for every test run, under names no other run uses.

The helpers the fixtures are made of live in modules of their own, which the benchmarks reuse:
tests/apps.py (booting apps, waiting), tests/accounts.py, tests/backends.py, tests/processes.py.
"""

import asyncio
import json
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import aio_pika
import httpx
import pytest

from scripts.embedded_mongo import EmbeddedMongo, drop_databases
from shared.messaging import Broker
from shared.settings import ServiceSettings
from tests.accounts import DEV_ADMIN, Account
from tests.apps import served, wait_for
from tests.backends import (
    RABBITMQ_URL,
    REDIS_URL,
    TEST_RETRY_DELAYS_SECONDS,
    create_postgres_databases,
    drop_postgres_databases,
    durable_queues,
    postgres_url,
    remove_queues,
    unreachable_servers,
)
from tests.tcp_proxy import TcpProxy, free_port
from user_service.main import create_app as create_user_app
from user_service.settings import UserSettings

Settings = TypeVar("Settings", bound=ServiceSettings)
# How long a run waits for a server that is still starting before it stops with one clear line.
SERVER_WAIT_SECONDS = 60.0


def pytest_sessionstart(session: pytest.Session) -> None:
    """Stops the run at once when a server it needs is down, instead of failing every test on it."""
    if missing := unreachable_servers(SERVER_WAIT_SECONDS):
        pytest.exit(f"Not answering after {SERVER_WAIT_SECONDS:g}s: {', '.join(missing)}", returncode=3)


def rabbitmq_through(proxy: TcpProxy) -> str:
    """Returns the URL of RabbitMQ behind `proxy`, reconnecting quickly once a cut is restored."""
    return f"amqp://guest:guest@127.0.0.1:{proxy.port}/?reconnect_interval=0.2"


@pytest.fixture(scope="session")
def run_id() -> str:
    """A short id that names this run's databases, exchange, queues and keys."""
    return uuid.uuid4().hex[:10]


@pytest.fixture(scope="session")
async def mongo_url() -> AsyncIterator[str]:
    """The MongoDB server of this run: TEST_MONGO_URL, or an embedded one on a free port, kept in memory.

    Each test that writes to it uses databases of its own and drops them afterwards.
    """
    if url := os.environ.get("TEST_MONGO_URL"):
        yield url
        return
    async with EmbeddedMongo(port=free_port()) as server:
        yield server.url


@pytest.fixture(scope="session")
async def mongo_database(mongo_url: str, run_id: str) -> AsyncIterator[Callable[[str], str]]:
    """Returns a function naming a MongoDB database after this run; drops them all at the end.

    For services that live as long as a module or a package; a test's own databases are dropped
    by its fixtures right after it.
    """
    named: list[str] = []

    def name(kind: str) -> str:
        named.append(f"test_{kind}_{run_id}_{uuid.uuid4().hex[:8]}")
        return named[-1]

    yield name
    await drop_databases(mongo_url, *named)


@pytest.fixture
async def fresh_mongo_database(mongo_url: str, run_id: str) -> AsyncIterator[Callable[[str], str]]:
    """Returns a function naming a MongoDB database of this run's server; drops each after the test."""
    named: list[str] = []

    def name(kind: str) -> str:
        named.append(f"test_{kind}_{run_id}_{uuid.uuid4().hex[:8]}")
        return named[-1]

    yield name
    await drop_databases(mongo_url, *named)


@pytest.fixture(scope="session")
async def create_database(run_id: str) -> AsyncIterator[Callable[[str], Awaitable[str]]]:
    """Creates databases named after this run; drops them all at the end."""
    created: list[str] = []

    async def create(name: str) -> str:
        database = f"test_{name}_{run_id}_{len(created)}"
        await create_postgres_databases(database)
        created.append(database)
        return postgres_url(database)

    yield create
    await drop_postgres_databases(*created)


@pytest.fixture(scope="session")
async def user_settings(
    create_database: Callable[[str], Awaitable[str]],
    exchange_name: str,
    run_id: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> UserSettings:
    return UserSettings(
        env="test",
        database_url=await create_database("users"),
        event_exchange=exchange_name,
        broker_retry_seconds=0.2,
        redis_url=REDIS_URL,
        rate_limit_key_prefix=f"test-{run_id}",
        signing_key_file=Path(tmp_path_factory.mktemp("keys")) / "signing_key.pem",
    )


@pytest.fixture(scope="session")
async def user_service_url(user_settings: UserSettings) -> AsyncIterator[str]:
    """A user service over real HTTP, for services that verify tokens against its JWKS."""
    # Every test logs in from 127.0.0.1; the login limit itself is tested in tests/user_service. The
    # tokens made once for the whole run (the admin's, the service's) outlive it on a slow machine.
    settings = user_settings.model_copy(
        update={
            "login_rate_limit": "10000/minute",
            "register_rate_limit": "10000/minute",
            "access_token_ttl_seconds": 6 * 3600,
        }
    )
    async with served(create_user_app(settings)) as url:
        yield url


@pytest.fixture(scope="session")
def service_settings(exchange_name: str, user_service_url: str) -> Callable[..., Any]:
    """Returns a function making a service's settings for this run; `fields` add to them or override.

    `service_settings(EventSettings, mongo_url=..., mongo_database=...)`: in the test environment,
    on the run's exchange, retrying the broker quickly, and verifying tokens of the run's user service.
    """

    def make(kind: type[Settings], **fields: Any) -> Settings:
        common = {
            "env": "test",
            "event_exchange": exchange_name,
            "broker_retry_seconds": 0.2,
            "jwks_url": f"{user_service_url}/.well-known/jwks.json",
            # A failing message is dead-lettered within seconds; transient errors retry every second.
            "retry_delays_seconds": TEST_RETRY_DELAYS_SECONDS,
        }
        return kind(**{**common, **fields})

    return make


@pytest.fixture(scope="session")
async def make_account(user_service_url: str) -> AsyncIterator[Callable[..., Awaitable[Account]]]:
    """Returns a function that registers a user with the given roles and logs them in."""
    # Password hashing is slow on purpose; many accounts made at once queue up behind it.
    # Idle connections are dropped before the server's 5 s keep-alive ends, so none is reused as it closes.
    limits = httpx.Limits(keepalive_expiry=4)
    async with httpx.AsyncClient(base_url=user_service_url, timeout=60, limits=limits) as client:
        admin_token = (await client.post("/login", json=DEV_ADMIN)).json()["access_token"]

        async def make(*roles: str) -> Account:
            name = f"u{uuid.uuid4().hex[:12]}"
            password = "a-long-password"
            user = await client.post(
                "/register",
                json={
                    "username": name,
                    "email": f"{name}@example.com",
                    "password": password,
                    "full_name": name,
                },
            )
            assert user.status_code == 201, user.text
            if roles:
                promoted = await client.patch(
                    f"/users/{user.json()['id']}/roles",
                    json={"roles": list(roles)},
                    headers={"Authorization": f"Bearer {admin_token}"},
                )
                assert promoted.status_code == 200, promoted.text
            token = (await client.post("/login", json={"username": name, "password": password})).json()
            return Account(id=user.json()["id"], username=name, token=token["access_token"])

        yield make


@pytest.fixture(scope="session")
async def service_token(user_service_url: str) -> str:
    """A token for the booking service's identity (role `service`)."""
    async with httpx.AsyncClient(base_url=user_service_url) as client:
        response = await client.post(
            "/token",
            data={"grant_type": "client_credentials"},
            auth=("booking_service", "booking-service-dev-secret"),
        )
    return response.json()["access_token"]


@pytest.fixture(scope="session")
def exchange_name(run_id: str) -> str:
    return f"test_events_{run_id}"


@pytest.fixture(scope="session")
async def amqp() -> AsyncIterator[aio_pika.abc.AbstractRobustConnection]:
    connection = await aio_pika.connect_robust(RABBITMQ_URL)
    yield connection
    await connection.close()


@pytest.fixture(scope="session")
async def event_queue_prefix(run_id: str, amqp: aio_pika.abc.AbstractRobustConnection) -> AsyncIterator[str]:
    """The `QUEUE_PREFIX` of every event service the run starts: its sales queue is the run's own, never
    the development one, and is removed at the end."""
    prefix = f"test_event_{run_id}"
    yield prefix
    await remove_queues(amqp, durable_queues("event_service", prefix))


class MessageTap:
    """A temporary queue bound to the test exchange that collects every message it receives."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    def of_type(self, message_type: str) -> list[dict[str, Any]]:
        return [message for message in self.messages if message["type"] == message_type]

    async def wait_for_type(
        self, message_type: str, count: int = 1, timeout: float = 15.0
    ) -> list[dict[str, Any]]:
        """Returns the messages of `message_type` once at least `count` have arrived."""

        async def arrived() -> list[dict[str, Any]] | None:
            found = self.of_type(message_type)
            return found if len(found) >= count else None

        return await wait_for(arrived, timeout=timeout)


@pytest.fixture
async def tap_messages(
    amqp: aio_pika.abc.AbstractRobustConnection, exchange_name: str
) -> AsyncIterator[Callable[[str], Awaitable[MessageTap]]]:
    """Returns a function that binds a fresh exclusive queue to `routing_key` and collects messages."""
    channel = await amqp.channel()
    exchange = await channel.declare_exchange(exchange_name, aio_pika.ExchangeType.TOPIC, durable=True)

    async def tap(routing_key: str) -> MessageTap:
        collected = MessageTap()
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        await queue.bind(exchange, routing_key)

        async def collect(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            async with message.process():
                collected.messages.append(json.loads(message.body))

        await queue.consume(collect)
        return collected

    yield tap
    await channel.close()


@pytest.fixture(scope="session", autouse=True)
async def delete_exchange(
    amqp: aio_pika.abc.AbstractRobustConnection, exchange_name: str
) -> AsyncIterator[None]:
    yield
    channel = await amqp.channel()
    await channel.exchange_delete(exchange_name)
    await channel.queue_delete(f"{exchange_name}.unroutable")
    await channel.close()


@pytest.fixture
async def producer(exchange_name: str) -> AsyncIterator[Broker]:
    """Publishes to the run's exchange as a service would, with publisher confirms."""
    broker = Broker(url=RABBITMQ_URL, exchange_name=exchange_name)
    await broker.start()
    await asyncio.wait_for(broker.connected.wait(), 15)
    yield broker
    await broker.close()
