"""Vouchers: what they take off, which types they unlock, and uses never beyond `max_usages`."""

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from shared.messages import VoucherFacts
from tests.booking_service.catalogue import publish_catalogue, ticket_type
from tests.booking_service.conftest import Platform, availability, buy, in_days
from tests.conftest import Account

CreateEvent = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
async def attendee(make_account: Callable[..., Awaitable[Account]]) -> Account:
    return await make_account()


async def _event_with_vouchers(
    platform: Platform, bookings: httpx.AsyncClient, create_event: CreateEvent, vouchers: list[VoucherFacts]
) -> dict[str, Any]:
    event = await create_event(capacity=100, price=2000, max_tickets_per_booking=10)
    await publish_catalogue(
        platform,
        bookings,
        event,
        version=event["version"] + 1,
        ticket_types=[
            ticket_type(event["id"], "Admission", 2000),
            ticket_type("vip", "VIP", 5000),
            ticket_type("crew", "Crew", 1000, hidden=True),
        ],
        vouchers=vouchers,
    )
    return event


async def test_each_price_effect_applies_to_its_types_only(
    platform: Platform, bookings: httpx.AsyncClient, create_event: CreateEvent, attendee: Account
) -> None:
    event = await _event_with_vouchers(
        platform,
        bookings,
        create_event,
        [
            VoucherFacts(code="Half", max_usages=10, price_mode="percent", value=50),
            VoucherFacts(code="MINUS30", max_usages=10, price_mode="fixed", value=3000),
            VoucherFacts(code="VIPTEN", max_usages=10, price_mode="set", value=1000, ticket_type_ids=["vip"]),
            VoucherFacts(code="JUSTCODE", max_usages=10),
        ],
    )
    cases = [
        ("half", {event["id"]: 1000, "vip": 2500}),  # any case
        ("minus30", {event["id"]: 0, "vip": 2000}),  # never below 0
        ("VIPTEN", {event["id"]: 2000, "vip": 1000}),  # only the types it names
        ("JUSTCODE", {event["id"]: 2000, "vip": 5000}),
    ]
    for code, prices in cases:
        response = await buy(bookings, attendee, event["id"], [(event["id"], 2), ("vip", 1)], voucher=code)
        assert response.status_code == 201, response.text
        booking = response.json()
        assert {item["ticket_type_id"]: item["unit_price"] for item in booking["items"]} == prices, code
        assert booking["amount"] == 2 * prices[event["id"]] + prices["vip"]
        assert booking["voucher"].lower() == code.lower()


async def test_a_hidden_type_is_sold_only_with_the_voucher_that_unlocks_it(
    platform: Platform, bookings: httpx.AsyncClient, create_event: CreateEvent, attendee: Account
) -> None:
    event = await _event_with_vouchers(
        platform,
        bookings,
        create_event,
        [
            VoucherFacts(code="CREW", max_usages=5, unlocks_hidden=True, ticket_type_ids=["crew"]),
            VoucherFacts(code="OTHER", max_usages=5, price_mode="percent", value=10),
        ],
    )
    assert "crew" not in [
        t["ticket_type_id"] for t in (await availability(bookings, event["id"]))["ticket_types"]
    ]

    for voucher in (None, "OTHER"):
        extra = {"voucher": voucher} if voucher else {}
        refused = await buy(bookings, attendee, event["id"], [("crew", 1)], **extra)
        assert refused.status_code == 422, refused.text
        assert refused.json()["field"] == "items[0].ticket_type_id"

    sold = await buy(bookings, attendee, event["id"], [("crew", 2)], voucher="crew")
    assert sold.status_code == 201, sold.text
    assert (sold.json()["amount"], sold.json()["status"]) == (2000, "confirmed")


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("NOPE", "unknown"),
        ("OFF", "disabled"),
        ("OLD", "expired"),
        ("VIPONLY", "not_applicable"),
        ("GONE", "used_up"),
    ],
)
async def test_a_voucher_that_cannot_be_used_is_422_naming_why_and_holds_nothing(
    platform: Platform,
    bookings: httpx.AsyncClient,
    create_event: CreateEvent,
    attendee: Account,
    code: str,
    reason: str,
) -> None:
    event = await _event_with_vouchers(
        platform,
        bookings,
        create_event,
        [
            VoucherFacts(code="OFF", max_usages=5, disabled=True),
            VoucherFacts(code="OLD", max_usages=5, valid_until=in_days(-1)),
            VoucherFacts(code="VIPONLY", max_usages=5, ticket_type_ids=["vip"]),
            VoucherFacts(code="GONE", max_usages=0),
        ],
    )

    response = await buy(bookings, attendee, event["id"], [(event["id"], 1)], voucher=code)

    assert response.status_code == 422, response.text
    assert (response.json()["field"], response.json()["reason"]) == ("voucher", reason)
    assert response.json()["detail"].startswith("voucher: ")
    seats = await availability(bookings, event["id"])
    assert (seats["sold"], seats["held"]) == (0, 0)


async def test_50_concurrent_redemptions_of_a_10_use_code_make_exactly_10_bookings(
    platform: Platform,
    bookings: httpx.AsyncClient,
    create_event: CreateEvent,
    make_account: Callable[..., Awaitable[Account]],
) -> None:
    event = await _event_with_vouchers(
        platform,
        bookings,
        create_event,
        [VoucherFacts(code="TEN", max_usages=10, price_mode="percent", value=20)],
    )
    buyers = list(await asyncio.gather(*(make_account() for _ in range(10))))

    responses = await asyncio.gather(
        *(buy(bookings, buyers[i % 10], event["id"], [(event["id"], 1)], voucher="ten") for i in range(50))
    )

    assert Counter(r.status_code for r in responses) == {201: 10, 422: 40}
    assert all(r.json()["reason"] == "used_up" for r in responses if r.status_code == 422)
    assert all(r.json()["amount"] == 1600 for r in responses if r.status_code == 201)
    seats = await availability(bookings, event["id"])
    assert (seats["sold"], seats["held"]) == (10, 0)


async def test_a_failed_booking_gives_its_voucher_use_back(
    platform: Platform, bookings: httpx.AsyncClient, create_event: CreateEvent, attendee: Account
) -> None:
    event = await _event_with_vouchers(
        platform,
        bookings,
        create_event,
        [VoucherFacts(code="ONCE", max_usages=1, price_mode="fixed", value=500)],
    )

    declined = await buy(
        bookings,
        attendee,
        event["id"],
        [(event["id"], 1)],
        voucher="ONCE",
        payment_method="pm_card_chargeDeclined",
    )
    assert declined.status_code == 402, declined.text

    first = await buy(bookings, attendee, event["id"], [(event["id"], 1)], voucher="ONCE")
    assert first.status_code == 201, first.text
    assert first.json()["amount"] == 1500
    second = await buy(bookings, attendee, event["id"], [(event["id"], 1)], voucher="ONCE")
    assert (second.status_code, second.json()["reason"]) == (422, "used_up")

    # Cancelling the booking gives the use back too.
    cancelled = await bookings.post(f"/bookings/{first.json()['id']}/cancel", headers=attendee.headers)
    assert cancelled.status_code == 200, cancelled.text
    assert (await buy(bookings, attendee, event["id"], [(event["id"], 1)], voucher="ONCE")).status_code == 201


async def test_a_hold_given_up_gives_its_voucher_use_back(
    platform: Platform, bookings: httpx.AsyncClient, create_event: CreateEvent, attendee: Account
) -> None:
    event = await _event_with_vouchers(
        platform,
        bookings,
        create_event,
        [VoucherFacts(code="ONCE", max_usages=1, price_mode="fixed", value=500)],
    )
    held = await buy(bookings, attendee, event["id"], [(event["id"], 1)], voucher="ONCE", hold=True)
    assert held.status_code == 201, held.text
    assert (await buy(bookings, attendee, event["id"], [(event["id"], 1)], voucher="ONCE")).status_code == 422

    assert (
        await bookings.post(f"/bookings/{held.json()['id']}/cancel", headers=attendee.headers)
    ).status_code == 200

    assert (await buy(bookings, attendee, event["id"], [(event["id"], 1)], voucher="ONCE")).status_code == 201
