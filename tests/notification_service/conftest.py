"""Notification services over real HTTP, RabbitMQ and WebSockets, verifying tokens with a real user service.

Queues and databases are named per test and removed afterwards.
"""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import aio_pika
import httpx
import pytest
from fastapi import FastAPI
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosedError

from notification_service.live import LiveHub
from notification_service.main import create_app
from notification_service.settings import NotificationSettings
from shared.messages import (
    BookingCancelled,
    BookingConfirmed,
    BookingExpired,
    BookingFailed,
    BookingHeld,
    BookingItemFacts,
    EventCancelled,
    EventCreated,
    EventDeleted,
    EventUpdated,
    MessageData,
    PaymentRefunded,
)
from shared.messaging import Broker, Envelope, build_envelope
from tests.apps import served
from tests.backends import remove_queues
from tests.conftest import Account, wait_for
from tests.servers import serve

FRAME_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Replica:
    url: str
    app: FastAPI

    @property
    def hub(self) -> LiveHub:
        return self.app.state.live_hub

    def ws_url(self, token: str | None, since: str | None = None) -> str:
        query = "&".join(
            f"{name}={value}" for name, value in (("token", token), ("since", since)) if value is not None
        )
        return f"{self.url.replace('http', 'ws', 1)}/ws?{query}"


Users = tuple[Account, Account, Account, Account]


@pytest.fixture(scope="session")
async def owner(make_account: Callable[..., Awaitable[Account]]) -> Account:
    """An organizer. Each test has a database of its own, so accounts can serve every test."""
    return await make_account("organizer")


@pytest.fixture(scope="session")
async def users(make_account: Callable[..., Awaitable[Account]]) -> Users:
    return (await make_account(), await make_account(), await make_account(), await make_account())


@pytest.fixture
def notification_settings(
    service_settings: Callable[..., Any], mongo_url: str, fresh_mongo_database: Callable[[str], str]
) -> NotificationSettings:
    """Settings for this test's replicas: queues and a database of its own (dropped afterwards)."""
    name = fresh_mongo_database("notifications")
    return service_settings(
        NotificationSettings,
        mongo_url=mongo_url,
        mongo_database=name,
        queue_prefix=name,
        consumer_max_attempts=2,
        email_retry_seconds=0.1,
        email_poll_seconds=0.1,
    )


@pytest.fixture
async def start_replica(
    notification_settings: NotificationSettings, amqp: aio_pika.abc.AbstractRobustConnection
) -> AsyncIterator[Callable[..., Awaitable[Replica]]]:
    """Starts replicas (settings overridable) under uvicorn; removes their queues afterwards."""
    async with AsyncExitStack() as stack:
        queues: set[str] = set()

        async def start(*, wait_ready: bool = True, **overrides: Any) -> Replica:
            app = create_app(notification_settings.model_copy(update=overrides))
            url = await stack.enter_async_context(served(app) if wait_ready else serve(app))
            queues.update(consumer.queue for consumer in app.state.consumers if not consumer.exclusive)
            return Replica(url=url, app=app)

        try:
            yield start
        finally:
            await stack.aclose()
            await remove_queues(amqp, queues)


@pytest.fixture
async def replica(start_replica: Callable[..., Awaitable[Replica]]) -> Replica:
    return await start_replica()


@pytest.fixture
async def client(replica: Replica) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=replica.url) as client:
        yield client


async def publish(producer: Broker, data: MessageData) -> Envelope:
    envelope = build_envelope("tests", data)
    await producer.publish(envelope)
    return envelope


async def history(client: httpx.AsyncClient, account: Account, **params: Any) -> dict[str, Any]:
    response = await client.get("/notifications", params=params, headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def wait_for_history(client: httpx.AsyncClient, account: Account, count: int) -> list[dict[str, Any]]:
    """Returns the account's notifications (newest first) once there are `count` of them."""

    async def stored() -> list[dict[str, Any]] | None:
        page = await history(client, account, limit=100)
        # The items themselves, not `total`: the page and its total are two reads, and one stored
        # in between is counted in the total but missing from the items.
        return page["items"] if len(page["items"]) >= count else None

    return await wait_for(stored)


async def next_frame(socket: ClientConnection) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(socket.recv(), FRAME_TIMEOUT_SECONDS))


def open_socket(replica: Replica, token: str | None, since: str | None = None, **options: Any) -> connect:
    """A real WebSocket client on the replica; it never pings, so only the server keeps it alive."""
    return connect(replica.ws_url(token, since), ping_interval=None, open_timeout=10, proxy=None, **options)


async def closed_with(replica: Replica, token: str | None, since: str | None = None) -> tuple[int, str]:
    """Returns the close code and reason; fails if any frame comes before the close."""
    async with open_socket(replica, token, since) as socket:
        with pytest.raises(ConnectionClosedError) as closed:
            await asyncio.wait_for(socket.recv(), FRAME_TIMEOUT_SECONDS)
    assert closed.value.rcvd is not None
    return closed.value.rcvd.code, closed.value.rcvd.reason


# Catalogue messages, as the producing services publish them.


def _booking(user: Account, owner: Account, event_id: str, tickets: int, /, **changes: Any) -> dict[str, Any]:
    return {
        "booking_id": uuid.uuid4().hex,
        "user_id": user.id,
        "event_id": event_id,
        "event_title": "Jazz Night",
        "event_owner_id": owner.id,
        "tickets": tickets,
        "amount": 2550 * tickets,
        "currency": "EUR",
        **changes,
    }


def item(name: str, quantity: int, unit_price: int, voucher: str | None = None) -> BookingItemFacts:
    """Tickets of one type; the type's id follows from its name, so items of one type share it."""
    type_id = f"tt-{name.lower().replace(' ', '-')}"
    return BookingItemFacts(
        ticket_type_id=type_id, name=name, quantity=quantity, unit_price=unit_price, voucher=voucher
    )


def with_items(*items: BookingItemFacts) -> dict[str, Any]:
    """The fields of a booking of these items: its items, their ticket count and their total."""
    return {
        "items": list(items),
        "tickets": sum(each.quantity for each in items),
        "amount": sum(each.quantity * each.unit_price for each in items),
    }


def booking_confirmed(
    user: Account, owner: Account, event_id: str = "e1", tickets: int = 2, **changes: Any
) -> BookingConfirmed:
    facts = _booking(user, owner, event_id, tickets, **changes)
    return BookingConfirmed(**facts, payment_id=uuid.uuid4().hex)


def booking_held(
    user: Account, owner: Account, expires_at: datetime, event_id: str = "e1", **changes: Any
) -> BookingHeld:
    return BookingHeld(**_booking(user, owner, event_id, 2, **changes), expires_at=expires_at)


def booking_expired(held: BookingHeld) -> BookingExpired:
    return BookingExpired(**held.model_dump(exclude={"expires_at"}))


def booking_failed(user: Account, owner: Account, event_id: str = "e1") -> BookingFailed:
    return BookingFailed(**_booking(user, owner, event_id, 1), reason="card declined")


def booking_cancelled(confirmed: BookingConfirmed, reason: str = "cancelled_by_user") -> BookingCancelled:
    facts = confirmed.model_dump(exclude={"payment_id"})
    return BookingCancelled(**facts, reason=reason, refunded_amount=confirmed.amount)


def payment_refunded(user: Account, amount: int = 5100) -> PaymentRefunded:
    return PaymentRefunded(
        payment_id=uuid.uuid4().hex,
        booking_id=uuid.uuid4().hex,
        user_id=user.id,
        amount=amount,
        currency="EUR",
        refund_id=uuid.uuid4().hex,
        refunded_amount=amount,
        total_refunded=amount,
        status="refunded",
    )


def _event(owner: Account, event_id: str, **changes: Any) -> dict[str, Any]:
    starts_at = datetime(2031, 6, 1, 20, 0, tzinfo=UTC)
    return {
        "event_id": event_id,
        "owner_id": owner.id,
        "title": "Jazz Night",
        "venue": "Blue Hall",
        "category": "music",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=3),
        "capacity": 100,
        "price": 2550,
        "currency": "EUR",
        "max_tickets_per_booking": 4,
        "status": "scheduled",
        "version": 1,
        **changes,
    }


def event_created(owner: Account, event_id: str = "e1", **changes: Any) -> EventCreated:
    return EventCreated(**_event(owner, event_id, **changes))


def event_updated(owner: Account, event_id: str, changed: list[str], **changes: Any) -> EventUpdated:
    return EventUpdated(**_event(owner, event_id, version=2, **changes), changed=changed)


def event_cancelled(owner: Account, event_id: str, **changes: Any) -> EventCancelled:
    return EventCancelled(**_event(owner, event_id, status="cancelled", version=3, **changes))


def event_deleted(owner: Account, event_id: str, status: str) -> EventDeleted:
    return EventDeleted(**_event(owner, event_id, status=status, version=4))
