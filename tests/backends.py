"""The servers a run uses beside MongoDB, and making and removing a run's databases and queues there.

Tests (tests/conftest.py) and the benchmarks (bench/stack.py) name everything they make after their
run, and remove it at the end.
"""

import socket
import time
from collections.abc import Iterable

import aio_pika
import asyncpg

from shared.messaging import delay_queue_name
from shared.settings import ServiceSettings

POSTGRES_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672/"
REDIS_URL = "redis://127.0.0.1:6379/0"
# How long a failing message waits before each retry in tests: it is dead-lettered within seconds, and
# transient errors are retried about every second.
TEST_RETRY_DELAYS_SECONDS = [0.05, 0.1, 1.0]
# The durable queues a service declares under its QUEUE_PREFIX, each with a `.dlq` and delay queues.
QUEUE_FAMILIES = {
    "event_service": ("sales",),
    "booking_service": ("events",),
    "notification_service": ("events", "bookings", "payments", "users", "webhooks"),
    "checkin_service": ("events",),
}
# Each server a run needs beside MongoDB, by the address it is reached at.
SERVERS = {"PostgreSQL": ("127.0.0.1", 5432), "RabbitMQ": ("127.0.0.1", 5672), "Redis": ("127.0.0.1", 6379)}


def unreachable_servers(timeout: float, servers: dict[str, tuple[str, int]] = SERVERS) -> list[str]:
    """Returns the servers that took no connection within `timeout` seconds (one that is starting gets it)."""
    deadline = time.monotonic() + timeout
    waiting = dict(servers)
    while waiting:
        for name, address in list(waiting.items()):
            try:
                socket.create_connection(address, timeout=1).close()
                del waiting[name]
            except OSError:
                pass
        if not waiting or time.monotonic() > deadline:
            break
        time.sleep(0.5)  # polling a port: nothing to be told of
    return [f"{name} at {host}:{port}" for name, (host, port) in waiting.items()]


def postgres_url(database: str) -> str:
    """The URL a service reaches `database` of the run's PostgreSQL server at."""
    return f"postgresql+asyncpg://postgres@127.0.0.1:5432/{database}"


async def create_postgres_databases(*names: str) -> None:
    connection = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        for name in names:
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def drop_postgres_databases(*names: str) -> None:
    """Drops the databases, connections to them included; one already gone is no error."""
    connection = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        for name in names:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


# The delay queues a run may have made: the tests' delays, and the defaults of services started as
# processes with their own settings (each one a quorum queue the broker keeps until deleted).
RETRY_DELAYS = {*TEST_RETRY_DELAYS_SECONDS, *ServiceSettings.model_fields["retry_delays_seconds"].default}


def durable_queues(service: str, *prefixes: str) -> list[str]:
    """The durable queues `service` declares under each queue prefix of `prefixes` (without their `.dlq`)."""
    return [f"{prefix}.{family}" for prefix in prefixes for family in QUEUE_FAMILIES[service]]


async def queued_messages(queues: Iterable[str]) -> dict[str, int]:
    """Returns how many messages wait in each of `queues` (those taken and not yet acknowledged not
    counted)."""
    connection = await aio_pika.connect(RABBITMQ_URL)
    try:
        channel = await connection.channel()
        counts = {}
        for queue in queues:
            declared = await channel.declare_queue(queue, passive=True)
            counts[queue] = declared.declaration_result.message_count or 0
        return counts
    finally:
        await connection.close()


async def remove_queues(connection: aio_pika.abc.AbstractConnection, queues: Iterable[str]) -> None:
    """Deletes each of `queues`, its dead-letter queue `<queue>.dlq` and its delay queues; one that is
    not there is no error."""
    channel = await connection.channel()
    try:
        for queue in queues:
            await channel.queue_delete(queue)
            await channel.queue_delete(f"{queue}.dlq")
            for delay in RETRY_DELAYS:
                await channel.queue_delete(delay_queue_name(queue, delay))
    finally:
        await channel.close()
