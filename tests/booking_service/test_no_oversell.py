"""Many buyers at once over real HTTP: confirmed tickets never exceed capacity, nor any quota."""

import asyncio
import random
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from shared.messages import QuotaFacts
from tests.booking_service.catalogue import publish_catalogue, ticket_type
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


async def test_300_concurrent_buyers_of_types_sharing_quotas_never_oversell_any_quota(
    platform: Platform,
    bookings: httpx.AsyncClient,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    make_account: Callable[..., Awaitable[Account]],
    service_token: str,
) -> None:
    event = await create_event(capacity=100, price=1000, max_tickets_per_booking=9)
    kinds = [event["id"], "balcony", "box", "standing"]
    members = {"stalls": [event["id"], "balcony"], "upper": ["balcony", "box"], "floor": ["standing"]}
    sizes = {"stalls": 40, "upper": 30, "floor": 25}
    await publish_catalogue(
        platform,
        bookings,
        event,
        version=event["version"] + 1,
        ticket_types=[
            ticket_type(kind, kind.title(), 1000 * (n + 1), max_per_booking=4) for n, kind in enumerate(kinds)
        ],
        quotas=[QuotaFacts(quota_id=q, name=q, size=sizes[q], ticket_type_ids=members[q]) for q in sizes],
    )
    buyers = await _buyers(make_account, 30)
    payments_before = await _payments_total(platform, service_token)
    chance = random.Random(7)
    orders = [
        {kind: chance.randint(1, 3) for kind in chance.sample(kinds, chance.randint(1, 3))}
        for _ in range(300)
    ]

    responses = await asyncio.gather(
        *(
            bookings.post(
                "/bookings",
                json={
                    "event_id": event["id"],
                    "items": [{"ticket_type_id": kind, "quantity": n} for kind, n in order.items()],
                },
                headers=buyers[i % 30].headers,
            )
            for i, order in enumerate(orders)
        )
    )

    assert {r.status_code for r in responses} <= {201, 409}, {
        r.text for r in responses if r.status_code not in (201, 409)
    }
    confirmed = [order for order, r in zip(orders, responses, strict=True) if r.status_code == 201]
    assert all(r.json()["status"] == "confirmed" for r in responses if r.status_code == 201)
    assert all("Not enough seats" in r.json()["detail"] for r in responses if r.status_code == 409)
    sold_of = Counter[str]()
    for order in confirmed:
        sold_of.update(order)
    seats = await availability(bookings, event["id"])
    assert (seats["sold"], seats["held"]) == (sum(sold_of.values()), 0)
    assert seats["sold"] <= 100
    for quota in seats["quotas"]:
        expected = sum(sold_of[kind] for kind in members[quota["quota_id"]])
        assert (quota["sold"], quota["held"]) == (expected, 0)
        assert quota["sold"] <= sizes[quota["quota_id"]]
    # Sales went on until some quota ran out: the refusals were not spurious.
    assert any(quota["available"] == 0 for quota in seats["quotas"])
    # Every refused buyer was charged nothing: one payment per confirmed booking.
    assert await _payments_total(platform, service_token) - payments_before == len(confirmed)
