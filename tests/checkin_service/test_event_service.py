"""A booking of an event this service never heard a snapshot of: the event service is asked."""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import aio_pika
import httpx
import pytest

from checkin_service.main import create_app
from checkin_service.settings import CheckinSettings
from event_service.main import create_app as create_event_app
from event_service.settings import EventSettings
from shared.messaging import Broker
from tests.accounts import Account
from tests.apps import served
from tests.backends import durable_queues, remove_queues
from tests.booking_service.conftest import publish_event
from tests.checkin_service.conftest import publish, tickets_of
from tests.checkin_service.facts import booking_confirmed, event_created
from tests.checkin_service.scanner import published_keys, read_secret
from tests.conftest import MessageTap, wait_for


@pytest.fixture
async def events_url(
    service_settings: Callable[..., Any],
    mongo_url: str,
    fresh_mongo_database: Callable[[str], str],
    event_queue_prefix: str,
) -> AsyncIterator[str]:
    settings = service_settings(
        EventSettings,
        mongo_url=mongo_url,
        mongo_database=fresh_mongo_database("events"),
        queue_prefix=event_queue_prefix,
    )
    async with served(create_event_app(settings)) as url:
        yield url


@pytest.fixture
async def start_checkin(
    create_database: Callable[[str], Awaitable[str]],
    service_settings: Callable[..., Any],
    run_id: str,
    tmp_path: Path,
    amqp: aio_pika.abc.AbstractRobustConnection,
) -> AsyncIterator[Callable[[str], Awaitable[str]]]:
    """Returns a function starting a check-in service of its own (database, queue, key) that asks the
    event service at the given URL."""
    prefix = f"test_checkin_late_{run_id}"

    async def start(events_url: str) -> str:
        settings = service_settings(
            CheckinSettings,
            database_url=await create_database("checkin_late"),
            queue_prefix=prefix,
            ticket_signing_key_file=tmp_path / "ticket_key.pem",
            event_service_url=events_url,
            outbox_poll_seconds=0.2,
        )
        return await stack.enter_async_context(served(create_app(settings)))

    async with AsyncExitStack() as stack:
        yield start
    await remove_queues(amqp, durable_queues("checkin_service", prefix))


async def test_tickets_of_an_event_heard_of_only_from_its_booking_get_its_times(
    events_url: str,
    start_checkin: Callable[[str], Awaitable[str]],
    make_account: Callable[..., Awaitable[Account]],
    producer: Broker,
    tap_messages: Callable[[str], Awaitable[MessageTap]],
) -> None:
    created = await tap_messages("event.created")
    organizer = await make_account("organizer")
    published = await publish_event(events_url, organizer, title="Late Listener")
    await wait_for(lambda: _published(created, published["id"]))
    # Started after the event's `event.created` was out: its queue never held that snapshot.
    checkin_url = await start_checkin(events_url)
    event = event_created(
        organizer.id,
        event_id=published["id"],
        starts_at=datetime.fromisoformat(published["starts_at"]),
        ends_at=datetime.fromisoformat(published["ends_at"]),
    )
    booking = booking_confirmed(event, organizer.id, [(published["id"], 2)])
    await publish(producer, booking)

    async with httpx.AsyncClient(base_url=checkin_url, timeout=30) as client:
        tickets = await tickets_of(client, booking.booking_id, organizer, 2)
        keys = await published_keys(client)
        lists = await client.get(f"/events/{published['id']}/checkin-lists", headers=organizer.headers)
    assert lists.status_code == 200  # the event is known now, with its owner
    claims = read_secret(tickets[0]["secret"], keys)
    assert claims["event_id"] == published["id"]
    assert claims["valid_from"] == datetime.fromisoformat(published["starts_at"]) - timedelta(hours=12)
    assert claims["valid_until"] == datetime.fromisoformat(published["ends_at"]) + timedelta(hours=6)


async def _published(tap: MessageTap, event_id: str) -> bool:
    return any(message["data"]["event_id"] == event_id for message in tap.of_type("event.created"))
