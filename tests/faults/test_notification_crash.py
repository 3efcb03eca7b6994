"""The notification service killed while it works through a stream of messages, then started again.

Every message ends stored exactly once: none is lost with the replica that held it unacked, and
none redelivered afterwards is stored twice. RabbitMQ and the messages are real.

The kill: with a real MongoDB (TEST_MONGO_URL), `python -m notification_service` gets SIGKILL and a
new process starts on the same queues and database. With the in-memory store a killed process would
take the stored notifications with it, which no real deployment does, so the crash is simulated in
this process (`InProcessService.kill`) while the database is held open: the replica's RabbitMQ
connection is cut first, so whatever it holds unacked goes back to the queue, then it is stopped
and a fresh replica is started. Handlers already running when the connection drops may still
finish their write, as a process dying just after it would; none of them can ack any more.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest

from notification_service.main import create_app as create_notification_app
from notification_service.settings import NotificationSettings
from shared.messages import BookingConfirmed
from shared.messaging import Broker, build_envelope
from tests.conftest import RABBITMQ_URL, Account, wait_for
from tests.faults.conftest import (
    MONGO_URL,
    REAL_MONGO,
    Crashable,
    InProcessService,
    ServiceProcess,
    booking_notifications,
    drop_mongo_database,
)

BEFORE_KILL = 240  # messages published before the kill
WHILE_DOWN = 60  # and while no replica runs
KILL_AT = 40  # stored notifications for the organizer when the kill comes


@pytest.fixture
async def notifications(
    exchange_name: str,
    user_service_url: str,
    unique_name: Callable[[str], str],
    delete_queues: Callable[..., None],
) -> AsyncIterator[Crashable]:
    name = unique_name("notification")
    delete_queues(*(f"{name}.{family}" for family in ("events", "bookings", "payments", "users")))
    settings = NotificationSettings(
        env="test",
        event_exchange=exchange_name,
        broker_retry_seconds=0.2,
        jwks_url=f"{user_service_url}/.well-known/jwks.json",
        mongo_url=MONGO_URL,
        mongo_database=name,
        queue_prefix=name,
    )
    service: Crashable
    if REAL_MONGO:
        service = ServiceProcess("notification_service", settings)
    else:
        service = InProcessService(
            lambda broker_url: create_notification_app(
                settings.model_copy(update={"rabbitmq_url": broker_url})
            ),
            mongo_database=name,
        )
    try:
        yield service
    finally:
        await service.stop()
        await drop_mongo_database(name)


@pytest.fixture
async def producer(exchange_name: str) -> AsyncIterator[Broker]:
    broker = Broker(url=RABBITMQ_URL, exchange_name=exchange_name)
    await broker.start()
    await asyncio.wait_for(broker.connected.wait(), 15)
    yield broker
    await broker.close()


def _confirmed(booker: Account, organizer: Account) -> BookingConfirmed:
    return BookingConfirmed(
        booking_id=uuid.uuid4().hex,
        user_id=booker.id,
        event_id="crash-event",
        event_title="Kill Switch Live",
        event_owner_id=organizer.id,
        tickets=1,
        amount=2000,
        currency="EUR",
        payment_id=uuid.uuid4().hex,
    )


async def _stored_for(url: str, account: Account) -> int:
    async with httpx.AsyncClient(base_url=url) as client:
        response = await client.get("/notifications", params={"limit": 1}, headers=account.headers)
    return response.json()["total"]


async def test_a_killed_notification_service_stores_every_message_exactly_once(
    notifications: Crashable, producer: Broker, make_account: Callable[..., Awaitable[Account]]
) -> None:
    organizer = await make_account()
    bookers = [await make_account() for _ in range(3)]
    messages = [
        _confirmed(bookers[number % len(bookers)], organizer) for number in range(BEFORE_KILL + WHILE_DOWN)
    ]
    await notifications.start()

    publishing = asyncio.create_task(_publish(producer, messages[:BEFORE_KILL]))

    async def mid_stream() -> int | None:
        stored = await _stored_for(notifications.url, organizer)
        return stored if stored >= KILL_AT else None

    stored_at_kill = await wait_for(mid_stream)
    await notifications.kill()
    await publishing
    assert stored_at_kill < BEFORE_KILL, "the stream was over before the kill"
    await _publish(producer, messages[BEFORE_KILL:])
    await notifications.start()

    sold_expected = sorted(("tickets.sold", message.booking_id) for message in messages)
    booked_expected = sorted(("booking.confirmed", message.booking_id) for message in messages)
    async with httpx.AsyncClient(base_url=notifications.url) as client:

        async def told() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
            sold = await booking_notifications(client, organizer)
            booked = [
                told for booker in bookers for told in (await booking_notifications(client, booker)).values()
            ]
            return sorted(sold.values()), sorted(booked)

        async def everything_stored() -> bool:
            sold, booked = await told()
            return set(sold) >= set(sold_expected) and set(booked) >= set(booked_expected)

        await wait_for(everything_stored, timeout=30, interval=0.5)
        sold, booked = await told()

    assert sold == sold_expected
    assert booked == booked_expected


async def _publish(producer: Broker, messages: list[BookingConfirmed]) -> None:
    for message in messages:
        await producer.publish(build_envelope("booking_service", message))
