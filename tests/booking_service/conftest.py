"""The booking service with real event and payment services beside it, each a uvicorn server.

The platform lives for this package only: Beanie binds a model to one database at a time, so the
event and payment services here must be gone before other packages start their own.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import aio_pika
import asyncpg
import httpx
import pytest

from booking_service.main import create_app as create_booking_app
from booking_service.settings import BookingSettings
from event_service.main import create_app as create_event_app
from event_service.settings import EventSettings
from payment_service.main import create_app as create_payment_app
from payment_service.settings import PaymentSettings
from tests.apps import served
from tests.backends import durable_queues, remove_queues
from tests.conftest import Account


@dataclass(frozen=True)
class Platform:
    events_url: str
    payments_url: str
    bookings_url: str
    booking_settings: BookingSettings


def in_days(days: float) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) + timedelta(days=days)


@pytest.fixture(scope="package")
async def make_booking_settings(
    create_database: Callable[[str], Awaitable[str]],
    service_settings: Callable[..., Any],
    run_id: str,
    user_service_url: str,
    amqp: aio_pika.abc.AbstractRobustConnection,
) -> AsyncIterator[Callable[..., Awaitable[BookingSettings]]]:
    """Returns a function making settings for a booking service on a database and queue of its own."""
    made: list[BookingSettings] = []

    async def make(**overrides: Any) -> BookingSettings:
        settings: BookingSettings = service_settings(
            BookingSettings,
            database_url=await create_database("bookings"),
            user_service_url=user_service_url,
            queue_prefix=f"test_booking_{run_id}_{len(made)}",
            **overrides,
        )
        made.append(settings)
        return settings

    yield make
    prefixes = [settings.queue_prefix for settings in made]
    await remove_queues(amqp, durable_queues("booking_service", *prefixes))


@pytest.fixture(scope="package")
async def platform(
    make_booking_settings: Callable[..., Awaitable[BookingSettings]],
    service_settings: Callable[..., Any],
    mongo_url: str,
    mongo_database: Callable[[str], str],
    event_queue_prefix: str,
) -> AsyncIterator[Platform]:
    event_settings = service_settings(
        EventSettings,
        mongo_url=mongo_url,
        mongo_database=mongo_database("events"),
        queue_prefix=event_queue_prefix,
    )
    payment_settings = service_settings(
        PaymentSettings, mongo_url=mongo_url, mongo_database=mongo_database("payments")
    )
    async with (
        served(create_event_app(event_settings)) as events_url,
        served(create_payment_app(payment_settings)) as payments_url,
    ):
        settings = await make_booking_settings(event_service_url=events_url, payment_service_url=payments_url)
        async with served(create_booking_app(settings)) as bookings_url:
            yield Platform(events_url, payments_url, bookings_url, settings)


@pytest.fixture
async def bookings(platform: Platform) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=platform.bookings_url, timeout=30) as client:
        yield client


async def publish_event(events_url: str, organizer: Account, **overrides: Any) -> dict[str, Any]:
    """Publishes an event through the real event service; `overrides` replace the defaults."""
    starts_at = in_days(20)
    body = {
        "title": "Sold-out Symphony",
        "description": "Beethoven's Ninth.",
        "venue": "Concert Hall",
        "category": "music",
        "starts_at": starts_at.isoformat(),
        "ends_at": (starts_at + timedelta(hours=2)).isoformat(),
        "capacity": 50,
        "price": 4000,
        "currency": "EUR",
        "max_tickets_per_booking": 4,
        **overrides,
    }
    async with httpx.AsyncClient(base_url=events_url) as client:
        response = await client.post("/events", json=body, headers=organizer.headers)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
async def create_event(
    platform: Platform, make_account: Callable[..., Awaitable[Account]]
) -> Callable[..., Awaitable[dict[str, Any]]]:
    """Returns a function that publishes an event through the real event service."""
    organizer = await make_account("organizer")

    async def create(**overrides: Any) -> dict[str, Any]:
        event = await publish_event(platform.events_url, organizer, **overrides)
        return {**event, "organizer": organizer}

    return create


async def book(
    client: httpx.AsyncClient, account: Account, event_id: str, tickets: int = 1, **extra: Any
) -> httpx.Response:
    headers = {**account.headers, **extra.pop("headers", {})}
    return await client.post(
        "/bookings", json={"event_id": event_id, "tickets": tickets, **extra}, headers=headers
    )


async def buy(
    client: httpx.AsyncClient, account: Account, event_id: str, items: list[tuple[str, int]], **extra: Any
) -> httpx.Response:
    """Books `items`, each a (ticket type id, quantity); `extra` joins the body (voucher, hold...)."""
    body = {"event_id": event_id, "items": [{"ticket_type_id": t, "quantity": q} for t, q in items], **extra}
    return await client.post("/bookings", json=body, headers=account.headers)


async def a_backend_waits_on_a_lock(settings: BookingSettings) -> bool:
    """Whether a connection to the booking service's database is waiting on a lock."""
    # A connection of its own: inside a transaction, `pg_stat_activity` stays as first read.
    watcher = await asyncpg.connect(settings.database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        return bool(
            await watcher.fetchval(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        )
    finally:
        await watcher.close()


async def availability(client: httpx.AsyncClient, event_id: str) -> dict[str, Any]:
    response = await client.get(f"/events/{event_id}/availability")
    assert response.status_code == 200, response.text
    return response.json()


async def payments_for(
    platform: Platform, service_token: str, booking_ids: list[str]
) -> list[dict[str, Any]]:
    """Returns every payment the payment service stored for these bookings."""
    found = []
    async with httpx.AsyncClient(base_url=platform.payments_url) as client:
        for booking_id in booking_ids:
            response = await client.get(
                "/payments",
                params={"booking_id": booking_id},
                headers={"Authorization": f"Bearer {service_token}"},
            )
            found.extend(response.json()["items"])
    return found


@pytest.fixture
async def start_booking_service(
    platform: Platform, make_booking_settings: Callable[..., Awaitable[BookingSettings]]
) -> AsyncIterator[Callable[..., Awaitable[tuple[str, BookingSettings]]]]:
    """Returns a function starting another booking service (own database) beside the platform's."""
    async with AsyncExitStack() as stack:

        async def start(**overrides: Any) -> tuple[str, BookingSettings]:
            urls = {"event_service_url": platform.events_url, "payment_service_url": platform.payments_url}
            settings = await make_booking_settings(**{**urls, **overrides})
            return await stack.enter_async_context(served(create_booking_app(settings))), settings

        yield start


@pytest.fixture
async def silent_server() -> AsyncIterator[str]:
    """A server that accepts connections and never answers, like a payment service that hangs."""
    connections: list[asyncio.StreamWriter] = []

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    server.close()
    for writer in connections:
        writer.close()
