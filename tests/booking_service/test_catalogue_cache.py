"""The catalogue a booking is checked against is kept in memory, yet a new version of it is sold at
once, and a buyer of seats already gone is answered without waiting for the event's lock."""

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import asyncpg
import httpx
import pytest

from shared.messages import QuotaFacts
from tests.booking_service.catalogue import publish_catalogue, ticket_type
from tests.booking_service.conftest import Platform, availability, book
from tests.conftest import Account

CreateEvent = Callable[..., Awaitable[dict[str, Any]]]
# Far less than a buyer queueing behind the lock would wait: for ever, here.
PROMPT_SECONDS = 3.0


async def buy(
    client: httpx.AsyncClient, account: Account, event_id: str, items: list[tuple[str, int]]
) -> httpx.Response:
    body = {"event_id": event_id, "items": [{"ticket_type_id": t, "quantity": q} for t, q in items]}
    return await client.post("/bookings", json=body, headers=account.headers)


@pytest.fixture
async def attendee(make_account: Callable[..., Awaitable[Account]]) -> Account:
    return await make_account()


async def test_a_new_catalogue_version_is_sold_at_once_after_bookings_of_the_old_one(
    platform: Platform, bookings: httpx.AsyncClient, create_event: CreateEvent, attendee: Account
) -> None:
    event = await create_event(capacity=20, max_tickets_per_booking=5)
    version = event["version"] + 1
    await publish_catalogue(
        platform, bookings, event, version=version, ticket_types=[ticket_type("day", "Day", 1000)]
    )
    first = await buy(bookings, attendee, event["id"], [("day", 1)])
    assert (first.status_code, first.json()["amount"]) == (201, 1000), first.text

    # A new price and a new type: the next booking pays the one and may book the other.
    await publish_catalogue(
        platform,
        bookings,
        event,
        version=version + 1,
        ticket_types=[ticket_type("day", "Day", 1500), ticket_type("week", "Week", 4000)],
    )
    repriced = await buy(bookings, attendee, event["id"], [("day", 1)])
    assert (repriced.status_code, repriced.json()["amount"]) == (201, 1500), repriced.text
    added = await buy(bookings, attendee, event["id"], [("week", 1)])
    assert (added.status_code, added.json()["amount"]) == (201, 4000), added.text

    # A type dropped is refused at once, and one in a new quota counts against it.
    await publish_catalogue(
        platform,
        bookings,
        event,
        version=version + 2,
        ticket_types=[ticket_type("day", "Day", 1500)],
        quotas=[QuotaFacts(quota_id="door", name="Door", size=2, ticket_type_ids=["day"])],
    )
    dropped = await buy(bookings, attendee, event["id"], [("week", 1)])
    assert dropped.status_code == 422, dropped.text
    assert dropped.json()["field"] == "items[0].ticket_type_id"
    over_quota = await buy(bookings, attendee, event["id"], [("day", 2)])
    assert over_quota.status_code == 409, over_quota.text
    assert "'Door'" in over_quota.json()["detail"]
    assert (await availability(bookings, event["id"]))["sold"] == 3


@pytest.fixture
async def lock_holder(platform: Platform) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(platform.booking_settings.database_url.replace("+asyncpg", ""))
    yield connection
    await connection.close()


async def test_a_buyer_of_seats_already_gone_is_answered_while_the_event_is_locked(
    bookings: httpx.AsyncClient,
    create_event: CreateEvent,
    make_account: Callable[..., Awaitable[Account]],
    lock_holder: asyncpg.Connection,
) -> None:
    event = await create_event(capacity=1, max_tickets_per_booking=1)
    assert (await book(bookings, await make_account(), event["id"])).status_code == 201
    late, later = await make_account(), await make_account()

    # Another change of the event's seats holds its lock, as the bookings being taken do.
    async with lock_holder.transaction():
        await lock_holder.execute("SELECT 1 FROM event_inventory WHERE event_id = $1 FOR UPDATE", event["id"])
        started = time.perf_counter()
        answers = await asyncio.gather(book(bookings, late, event["id"]), book(bookings, later, event["id"]))
        waited = time.perf_counter() - started

    assert [answer.status_code for answer in answers] == [409, 409]
    assert all(answer.json()["reason"] == "sold_out" for answer in answers)
    assert waited < PROMPT_SECONDS
