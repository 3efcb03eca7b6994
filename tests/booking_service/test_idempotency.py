"""Idempotency-Key on bookings, as Stripe keeps it: a retry replays an outcome the booking reached, sees a
booking still being paid as a conflict, and starts afresh after a failure that charged nothing."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from booking_service.settings import BookingSettings
from tests.booking_service.conftest import Platform, availability, book, payments_for
from tests.booking_service.stored import event_the_payment_service_refuses
from tests.conftest import Account
from tests.tcp_proxy import TcpProxy

StartBookingService = Callable[..., Awaitable[tuple[str, BookingSettings]]]


@pytest.fixture
async def attendee(make_account: Callable[..., Awaitable[Account]]) -> Account:
    return await make_account()


def _key(name: str) -> dict[str, str]:
    return {"Idempotency-Key": name}


async def _owned(client: httpx.AsyncClient, owner: Account, event_id: str) -> list[dict[str, Any]]:
    listed = await client.get("/bookings", params={"event_id": event_id}, headers=owner.headers)
    return listed.json()["items"]


async def test_a_retry_after_the_payment_service_was_unreachable_books_afresh(
    platform: Platform,
    start_booking_service: StartBookingService,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    attendee: Account,
    service_token: str,
) -> None:
    payment_service = urlsplit(platform.payments_url)
    proxy = TcpProxy(payment_service.hostname or "127.0.0.1", payment_service.port or 80)
    url, _ = await start_booking_service(payment_service_url=f"http://127.0.0.1:{proxy.port}")
    event = await create_event(capacity=5)
    key = _key(f"unreachable-{event['id']}")
    try:
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            unreachable = await book(client, attendee, event["id"], tickets=2, headers=key)
            await proxy.start()
            retried = await book(client, attendee, event["id"], tickets=2, headers=key)
            replayed = await book(client, attendee, event["id"], tickets=2, headers=key)
            seats = await availability(client, event["id"])
            owned = await _owned(client, attendee, event["id"])
    finally:
        await proxy.stop()

    assert unreachable.status_code == 503, unreachable.text
    assert retried.status_code == 201, retried.text
    assert retried.json()["status"] == "confirmed"
    assert replayed.status_code == 201 and replayed.json()["id"] == retried.json()["id"]
    assert (seats["sold"], seats["held"]) == (2, 0)
    assert sorted(booking["status"] for booking in owned) == ["confirmed", "failed"]
    assert len(await payments_for(platform, service_token, [b["id"] for b in owned])) == 1


async def test_a_retry_of_a_charge_the_payment_service_refused_is_not_answered_as_a_decline(
    platform: Platform,
    bookings: httpx.AsyncClient,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    attendee: Account,
) -> None:
    event = await event_the_payment_service_refuses(platform, bookings, create_event)
    key = _key(f"refused-{event['id']}")

    first = await book(bookings, attendee, event["id"], headers=key)
    retried = await book(bookings, attendee, event["id"], headers=key)

    assert first.status_code == retried.status_code == 502, retried.text
    assert "refused the charge" in retried.json()["detail"]
    seats = await availability(bookings, event["id"])
    assert (seats["sold"], seats["held"]) == (0, 0)


async def test_a_retry_while_the_booking_is_being_paid_is_409_and_books_nothing_more(
    start_booking_service: StartBookingService,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    attendee: Account,
    silent_server: str,
) -> None:
    url, _ = await start_booking_service(payment_service_url=silent_server, payment_timeout_seconds=0.5)
    event = await create_event(capacity=5)
    key = _key(f"in-flight-{event['id']}")
    async with httpx.AsyncClient(base_url=url) as client:
        first = await book(client, attendee, event["id"], headers=key)
        retried = await book(client, attendee, event["id"], headers=key)
        owned = await _owned(client, attendee, event["id"])
        seats = await availability(client, event["id"])

    assert first.status_code == 504
    assert retried.status_code == 409, retried.text
    assert "still being paid" in retried.json()["detail"]
    assert retried.json()["booking"]["id"] == first.json()["booking"]["id"]
    assert retried.json()["booking"]["status"] == "pending"
    assert [booking["id"] for booking in owned] == [first.json()["booking"]["id"]]
    assert seats["held"] == 1


async def test_concurrent_requests_with_one_key_make_one_booking_and_one_charge(
    platform: Platform,
    bookings: httpx.AsyncClient,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    attendee: Account,
    service_token: str,
) -> None:
    event = await create_event(capacity=50)
    key = _key(f"crowd-{event['id']}")

    answers = await asyncio.gather(*(book(bookings, attendee, event["id"], headers=key) for _ in range(10)))

    booked = [answer.json() for answer in answers if answer.status_code == 201]
    in_flight = [answer.json() for answer in answers if answer.status_code == 409]
    assert len(booked) + len(in_flight) == 10, [answer.text for answer in answers]
    assert {booking["status"] for booking in booked} == {"confirmed"}
    assert all("still being paid" in answer["detail"] for answer in in_flight)
    [owned] = await _owned(bookings, attendee, event["id"])
    assert {booking["id"] for booking in booked} | {a["booking"]["id"] for a in in_flight} == {owned["id"]}
    assert len(await payments_for(platform, service_token, [owned["id"]])) == 1
    assert (await availability(bookings, event["id"]))["sold"] == 1


@pytest.mark.parametrize("first_method", ["pm_card_visa", "pm_card_chargeDeclined"])
async def test_a_key_reused_with_another_payment_method_is_409(
    bookings: httpx.AsyncClient,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    attendee: Account,
    first_method: str,
) -> None:
    event = await create_event()
    key = _key(f"method-{first_method}-{event['id']}")
    first = await book(bookings, attendee, event["id"], payment_method=first_method, headers=key)
    assert first.status_code in (201, 402)

    reused = await book(bookings, attendee, event["id"], payment_method="pm_card_mastercard", headers=key)

    assert reused.status_code == 409, reused.text
    assert "Idempotency-Key" in reused.json()["detail"]
    assert len(await _owned(bookings, attendee, event["id"])) == 1


async def test_a_retry_of_a_declined_booking_replays_the_decline_and_charges_nothing_more(
    platform: Platform,
    bookings: httpx.AsyncClient,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    attendee: Account,
    service_token: str,
) -> None:
    event = await create_event(capacity=5)
    key = _key(f"declined-{event['id']}")
    declined = {"payment_method": "pm_card_chargeDeclined", "headers": key}
    first = await book(bookings, attendee, event["id"], **declined)
    assert first.status_code == 402, first.text

    retried = await book(bookings, attendee, event["id"], **declined)

    assert retried.status_code == 402, retried.text
    assert retried.json()["booking"] == first.json()["booking"]
    assert len(await _owned(bookings, attendee, event["id"])) == 1
    [payment] = await payments_for(platform, service_token, [first.json()["booking"]["id"]])
    assert payment["status"] == "declined"
    assert (await availability(bookings, event["id"]))["available"] == 5
