"""The notification service killed while it works through a stream of messages, then started again.

Every message ends stored exactly once: none is lost with the replica that held it unacked, and
none redelivered afterwards is stored twice. RabbitMQ, MongoDB and the messages are real.

The kill is a SIGKILL of `python -m notification_service` in the middle of the stream: whatever it
held unacked goes back to the queue, including messages whose notifications it had already
stored. More messages are published while no replica runs; then a new process starts on the same
queues and database.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import aio_pika
import pytest

from notification_service.settings import NotificationSettings
from shared.messaging import Broker
from tests.conftest import Account, wait_for
from tests.faults.conftest import (
    ServiceProcess,
    assert_each_stored_once,
    booking_confirmed,
    dead_lettered,
    notification_queues,
    publish_all,
    stored_count,
)

BEFORE_KILL = 240  # messages published before the kill
WHILE_DOWN = 60  # and while no replica runs
KILL_AT = 40  # stored notifications for the organizer when the kill comes


@pytest.fixture
async def notifications(
    exchange_name: str,
    user_service_url: str,
    mongo_url: str,
    queue_prefix: str,
    fresh_mongo_database: Callable[[str], str],
) -> AsyncIterator[ServiceProcess]:
    settings = NotificationSettings(
        env="test",
        event_exchange=exchange_name,
        broker_retry_seconds=0.2,
        jwks_url=f"{user_service_url}/.well-known/jwks.json",
        mongo_url=mongo_url,
        mongo_database=fresh_mongo_database("notifications"),
        queue_prefix=queue_prefix,
    )
    service = ServiceProcess("notification_service", settings)
    try:
        yield service
    finally:
        await service.stop()


async def test_a_killed_notification_service_stores_every_message_exactly_once(
    notifications: ServiceProcess,
    producer: Broker,
    make_account: Callable[..., Awaitable[Account]],
    amqp: aio_pika.abc.AbstractRobustConnection,
    queue_prefix: str,
) -> None:
    organizer = await make_account()
    bookers = [await make_account() for _ in range(3)]
    messages = [
        booking_confirmed(bookers[number % len(bookers)], organizer)
        for number in range(BEFORE_KILL + WHILE_DOWN)
    ]
    await notifications.start()

    publishing = asyncio.create_task(publish_all(producer, messages[:BEFORE_KILL]))

    async def mid_stream() -> int | None:
        stored = await stored_count(notifications.url, organizer)
        return stored if stored >= KILL_AT else None

    stored_at_kill = await wait_for(mid_stream)
    await notifications.kill()
    await publishing
    assert stored_at_kill < BEFORE_KILL, "the stream was over before the kill"
    await publish_all(producer, messages[BEFORE_KILL:])
    await notifications.start()

    await assert_each_stored_once(notifications.url, messages, organizer=organizer, bookers=bookers)
    assert await dead_lettered(amqp, notification_queues(queue_prefix)) == 0
