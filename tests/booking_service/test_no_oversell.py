"""Many buyers at once over real HTTP: confirmed tickets never exceed capacity."""

import asyncio
import random
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from tests.booking_service.conftest import Platform, availability, book, payments_for
from tests.conftest import Account, MessageTap


async def _payments_total(platform: Platform, service_token: str) -> int:
    async with httpx.AsyncClient(base_url=platform.payments_url) as client:
        response = await client.get(
            "/payments", params={"limit": 1}, headers={"Authorization": f"Bearer {service_token}"}
        )
    return response.json()["total"]


async def _buyers(make_account: Callable[..., Awaitable[Account]], count: int) -> list[Account]:
    return list(await asyncio.gather(*(make_account() for _ in range(count))))


async def test_300_concurrent_buyers_of_50_seats_get_exactly_50(
    platform: Platform,
    bookings: httpx.AsyncClient,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    make_account: Callable[..., Awaitable[Account]],
    tap_messages: Callable[[str], Awaitable[MessageTap]],
    service_token: str,
) -> None:
    tap = await tap_messages("booking.*")
    event = await create_event(capacity=50)
    buyers = await _buyers(make_account, 30)
    payments_before = await _payments_total(platform, service_token)

    responses = await asyncio.gather(*(book(bookings, buyers[i % 30], event["id"]) for i in range(300)))

    statuses = Counter(response.status_code for response in responses)
    assert statuses == {201: 50, 409: 250}
    assert all("Not enough seats" in r.json()["detail"] for r in responses if r.status_code == 409)
    seats = await availability(bookings, event["id"])
    assert (seats["sold"], seats["held"], seats["available"]) == (50, 0, 0)
    confirmed_ids = {r.json()["id"] for r in responses if r.status_code == 201}
    messages = await tap.wait_for_type("booking.confirmed", count=50)
    assert sorted(
        m["data"]["booking_id"] for m in messages if m["data"]["event_id"] == event["id"]
    ) == sorted(confirmed_ids)
    assert await _payments_total(platform, service_token) - payments_before == 50
    paid = await payments_for(platform, service_token, sorted(confirmed_ids))
    assert len(paid) == 50 and all(payment["status"] == "succeeded" for payment in paid)


async def test_mixed_ticket_counts_never_exceed_capacity(
    bookings: httpx.AsyncClient,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    make_account: Callable[..., Awaitable[Account]],
) -> None:
    event = await create_event(capacity=50, max_tickets_per_booking=4)
    buyers = await _buyers(make_account, 20)
    wanted = [random.Random(seed).randint(1, 4) for seed in range(120)]

    responses = await asyncio.gather(
        *(book(bookings, buyers[i % 20], event["id"], tickets) for i, tickets in enumerate(wanted))
    )

    sold = sum(tickets for tickets, r in zip(wanted, responses, strict=True) if r.status_code == 201)
    assert {r.status_code for r in responses} <= {201, 409}
    assert sold <= 50
    seats = await availability(bookings, event["id"])
    assert (seats["sold"], seats["held"], seats["available"]) == (sold, 0, 50 - sold)
    for _ in range(50 - sold):  # the last seats still sell one by one, and then no more
        assert (await book(bookings, buyers[0], event["id"])).status_code == 201
    assert (await book(bookings, buyers[0], event["id"])).status_code == 409
    assert (await availability(bookings, event["id"]))["sold"] == 50
