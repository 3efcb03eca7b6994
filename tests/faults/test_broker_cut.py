"""RabbitMQ cut off from every service twice while 200 bookings flow: each one is told exactly once.

Real: the event, payment, booking and notification services (uvicorn, in this process), PostgreSQL,
MongoDB and RabbitMQ. The services reach RabbitMQ through one `TcpProxy`; stopping it drops all
their connections at once and refuses new ones, as a network partition would, so publisher
confirms and consumer acks in flight are lost: messages are published again and delivered again,
and must still be stored once. Nothing is mocked.
"""

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from booking_service.main import create_app as create_booking_app
from booking_service.settings import BookingSettings
from event_service.main import create_app as create_event_app
from event_service.settings import EventSettings
from notification_service.main import create_app as create_notification_app
from notification_service.settings import NotificationSettings
from payment_service.main import create_app as create_payment_app
from payment_service.settings import PaymentSettings
from tests.booking_service.conftest import availability, book, publish_event
from tests.conftest import Account, rabbitmq_through, wait_for
from tests.faults.conftest import (
    RABBITMQ,
    booking_notifications,
    notification_queues,
    start_proxy,
    wait_ready,
)
from tests.servers import serve
from tests.tcp_proxy import TcpProxy

BOOKINGS = 200
CONCURRENCY = 10
DECLINED_EVERY = 10  # every tenth card is declined, so failures travel through the cuts too
# (cut when this many bookings are answered, restore when this many are)
CUTS = ((40, 90), (130, 165))


@dataclass(frozen=True)
class Platform:
    broker: TcpProxy
    events_url: str
    bookings_url: str
    notifications_url: str
    bookings_database: str


@pytest.fixture
async def platform(
    create_database: Callable[[str], Awaitable[str]],
    exchange_name: str,
    user_service_url: str,
    mongo_url: str,
    unique_name: Callable[[str], str],
    fresh_mongo_database: Callable[[str], str],
    delete_queues: Callable[..., None],
    event_queue_prefix: str,
) -> AsyncIterator[Platform]:
    broker = await start_proxy(RABBITMQ)
    common: dict[str, Any] = {
        "env": "test",
        "event_exchange": exchange_name,
        "broker_retry_seconds": 0.2,
        "rabbitmq_url": rabbitmq_through(broker),
        "jwks_url": f"{user_service_url}/.well-known/jwks.json",
    }
    booking_prefix, notification_prefix = unique_name("booking"), unique_name("notification")
    delete_queues(
        f"{booking_prefix}.events",
        *notification_queues(notification_prefix),
    )

    def in_mongo(kind: str) -> dict[str, str]:
        return {"mongo_url": mongo_url, "mongo_database": fresh_mongo_database(kind)}

    notification_settings = NotificationSettings(
        **common, **in_mongo("notifications"), queue_prefix=notification_prefix
    )
    try:
        async with (
            serve(
                create_event_app(
                    EventSettings(**common, **in_mongo("events"), queue_prefix=event_queue_prefix)
                )
            ) as events,
            serve(create_payment_app(PaymentSettings(**common, **in_mongo("payments")))) as pays,
            serve(create_notification_app(notification_settings)) as notifications,
        ):
            database_url = await create_database("faults_bookings")
            booking_settings = BookingSettings(
                **common,
                database_url=database_url,
                user_service_url=user_service_url,
                event_service_url=events,
                payment_service_url=pays,
                queue_prefix=booking_prefix,
            )
            async with serve(create_booking_app(booking_settings)) as bookings:
                for url in (events, pays, notifications, bookings):
                    await wait_ready(url)
                yield Platform(broker, events, bookings, notifications, database_url)
    finally:
        await broker.stop()


async def _unsent_outbox_rows(database_url: str) -> int:
    url = make_url(database_url)
    connection = await asyncpg.connect(host=url.host, port=url.port, user=url.username, database=url.database)
    try:
        return await connection.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
    finally:
        await connection.close()


async def _broker_down_reported(client: httpx.AsyncClient) -> bool:
    response = await client.get("/ready")
    return response.status_code == 503 and "broker" in response.json()["status"]


async def _cut_while_booking(platform: Platform, answered: Callable[[], int]) -> None:
    """Cuts the broker off and restores it as the answered bookings pass the marks in `CUTS`."""

    async def reached(mark: int) -> bool:
        return answered() >= mark

    async with httpx.AsyncClient(base_url=platform.bookings_url) as client:
        for cut_at, restore_at in CUTS:
            await wait_for(lambda mark=cut_at: reached(mark), timeout=60)
            await platform.broker.stop()
            try:
                await wait_for(lambda: _broker_down_reported(client))
                await wait_for(lambda mark=restore_at: reached(mark), timeout=60)
            finally:
                await platform.broker.start()


async def test_bookings_through_broker_cuts_are_each_notified_exactly_once(
    platform: Platform, make_account: Callable[..., Awaitable[Account]]
) -> None:
    organizer = await make_account("organizer")
    attendees = [await make_account() for _ in range(4)]
    event = await publish_event(platform.events_url, organizer, capacity=BOOKINGS, price=1500)
    responses: list[httpx.Response] = []
    slots = asyncio.Semaphore(CONCURRENCY)

    async def book_one(client: httpx.AsyncClient, number: int) -> None:
        method = "pm_card_chargeDeclined" if number % DECLINED_EVERY == 0 else "pm_card_visa"
        async with slots:
            response = await book(
                client,
                attendees[number % len(attendees)],
                event["id"],
                payment_method=method,
                headers={"Idempotency-Key": uuid.uuid4().hex},
            )
        responses.append(response)

    async with httpx.AsyncClient(base_url=platform.bookings_url, timeout=30) as client:
        cuts = asyncio.create_task(_cut_while_booking(platform, lambda: len(responses)))
        try:
            await asyncio.gather(*(book_one(client, number) for number in range(BOOKINGS)))
        finally:
            if not cuts.done():
                cuts.cancel()
            await asyncio.gather(cuts, return_exceptions=True)
        cuts.result()  # both cuts happened, and the broker is back
        seats = await availability(client, event["id"])

    # A broker outage never fails a request: the messages wait in the outbox.
    assert Counter(response.status_code for response in responses) == {201: 180, 402: 20}
    confirmed = sorted(r.json()["id"] for r in responses if r.status_code == 201)
    failed = sorted(r.json()["booking"]["id"] for r in responses if r.status_code == 402)
    assert (seats["sold"], seats["held"]) == (180, 0)

    booked_expected = sorted(
        [("booking.confirmed", booking_id) for booking_id in confirmed]
        + [("booking.failed", booking_id) for booking_id in failed]
    )
    sold_expected = [("tickets.sold", booking_id) for booking_id in confirmed]
    async with httpx.AsyncClient(base_url=platform.notifications_url, timeout=30) as client:

        async def told() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
            booked = [
                told
                for attendee in attendees
                for told in (await booking_notifications(client, attendee)).values()
            ]
            return sorted(booked), sorted((await booking_notifications(client, organizer)).values())

        async def everything_told() -> bool:
            if await _unsent_outbox_rows(platform.bookings_database):
                return False
            booked, sold = await told()
            return set(booked) >= set(booked_expected) and set(sold) >= set(sold_expected)

        await wait_for(everything_told, timeout=45, interval=0.5)
        booked, sold = await told()

    assert booked == booked_expected
    assert sold == sold_expected
