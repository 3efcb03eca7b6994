"""Holds: seats reserved unpaid until `expires_at`, paid later, given up, or released when they expire."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from booking_service import service
from booking_service.models import Booking
from booking_service.settings import BookingSettings
from shared.db import create_engine, create_sessionmaker
from tests.booking_service.conftest import Platform, availability, book
from tests.booking_service.stored import set_stored_booking
from tests.conftest import Account, MessageTap, wait_for

CreateEvent = Callable[..., Awaitable[dict[str, Any]]]
StartBookingService = Callable[..., Awaitable[tuple[str, BookingSettings]]]


@pytest.fixture
async def attendee(make_account: Callable[..., Awaitable[Account]]) -> Account:
    return await make_account()


async def _expire(platform: Platform, booking_id: str) -> None:
    """Moves the hold's expiry into the past, as if its minutes had run out."""
    await set_stored_booking(platform, booking_id, expires_at=datetime.now(UTC) - timedelta(seconds=1))


async def test_a_hold_reserves_unpaid_and_is_paid_later(
    bookings: httpx.AsyncClient,
    create_event: CreateEvent,
    attendee: Account,
    tap_messages: Callable[[str], Awaitable[MessageTap]],
) -> None:
    tap = await tap_messages("booking.*")
    event = await create_event(capacity=10, price=3000)

    before = datetime.now(UTC)
    held = await book(bookings, attendee, event["id"], tickets=2, hold=True)

    assert held.status_code == 201, held.text
    booking = held.json()
    assert (booking["status"], booking["amount"], booking["payment_id"]) == ("held", 6000, None)
    expires_at = datetime.fromisoformat(booking["expires_at"])
    assert before + timedelta(minutes=14) < expires_at <= datetime.now(UTC) + timedelta(minutes=15)
    seats = await availability(bookings, event["id"])
    assert (seats["sold"], seats["held"], seats["available"]) == (0, 2, 8)
    [message] = await tap.wait_for_type("booking.held")
    assert (message["data"]["booking_id"], message["data"]["tickets"]) == (booking["id"], 2)
    assert datetime.fromisoformat(message["data"]["expires_at"]) == expires_at

    paid = await bookings.post(
        f"/bookings/{booking['id']}/pay", json={"payment_method": "pm_card_visa"}, headers=attendee.headers
    )

    assert paid.status_code == 200, paid.text
    assert (paid.json()["status"], paid.json()["amount"]) == ("confirmed", 6000)
    assert paid.json()["payment_id"]
    seats = await availability(bookings, event["id"])
    assert (seats["sold"], seats["held"]) == (2, 0)
    await tap.wait_for_type("booking.confirmed")
    again = await bookings.post(f"/bookings/{booking['id']}/pay", headers=attendee.headers)
    assert again.status_code == 409


async def test_only_its_owner_pays_a_hold(
    bookings: httpx.AsyncClient,
    create_event: CreateEvent,
    attendee: Account,
    make_account: Callable[..., Awaitable[Account]],
) -> None:
    event = await create_event(capacity=10)
    held = (await book(bookings, attendee, event["id"], hold=True)).json()

    response = await bookings.post(f"/bookings/{held['id']}/pay", headers=(await make_account()).headers)

    assert response.status_code == 404
    assert (await availability(bookings, event["id"]))["held"] == 1


async def test_a_declined_payment_of_a_hold_is_402_and_frees_the_seats(
    bookings: httpx.AsyncClient, create_event: CreateEvent, attendee: Account
) -> None:
    event = await create_event(capacity=10)
    held = (await book(bookings, attendee, event["id"], tickets=3, hold=True)).json()

    response = await bookings.post(
        f"/bookings/{held['id']}/pay",
        json={"payment_method": "pm_card_chargeDeclined"},
        headers=attendee.headers,
    )

    assert response.status_code == 402, response.text
    assert response.json()["booking"]["status"] == "failed"
    seats = await availability(bookings, event["id"])
    assert (seats["sold"], seats["held"], seats["available"]) == (0, 0, 10)


async def test_the_owner_gives_a_hold_up_and_its_seats_are_back(
    bookings: httpx.AsyncClient,
    create_event: CreateEvent,
    attendee: Account,
    tap_messages: Callable[[str], Awaitable[MessageTap]],
) -> None:
    tap = await tap_messages("booking.expired")
    event = await create_event(capacity=10)
    held = (await book(bookings, attendee, event["id"], tickets=2, hold=True)).json()

    response = await bookings.post(f"/bookings/{held['id']}/cancel", headers=attendee.headers)

    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["refunded_amount"]) == ("expired", 0)
    assert (await availability(bookings, event["id"]))["held"] == 0
    [message] = await tap.wait_for_type("booking.expired")
    assert message["data"]["booking_id"] == held["id"]
    assert (await bookings.post(f"/bookings/{held['id']}/pay", headers=attendee.headers)).status_code == 409


async def test_an_expired_hold_is_released_within_seconds_and_cannot_be_paid(
    platform: Platform,
    bookings: httpx.AsyncClient,
    create_event: CreateEvent,
    attendee: Account,
    tap_messages: Callable[[str], Awaitable[MessageTap]],
) -> None:
    tap = await tap_messages("booking.expired")
    event = await create_event(capacity=4, max_tickets_per_booking=4)
    held = (await book(bookings, attendee, event["id"], tickets=4, hold=True)).json()
    assert (await book(bookings, attendee, event["id"])).status_code == 409  # all held

    await _expire(platform, held["id"])

    async def released() -> bool:
        return (await availability(bookings, event["id"]))["held"] == 0

    await wait_for(released, timeout=10)
    [message] = await tap.wait_for_type("booking.expired")
    assert (message["data"]["booking_id"], message["data"]["tickets"]) == (held["id"], 4)
    current = await bookings.get(f"/bookings/{held['id']}", headers=attendee.headers)
    assert current.json()["status"] == "expired"
    response = await bookings.post(f"/bookings/{held['id']}/pay", headers=attendee.headers)
    assert response.status_code == 409
    assert "expired" in response.json()["detail"]
    assert (await book(bookings, attendee, event["id"], tickets=4)).status_code == 201


async def test_paying_after_expiry_before_any_sweep_is_409_and_frees_the_seats(
    start_booking_service: StartBookingService,
    create_event: CreateEvent,
    attendee: Account,
) -> None:
    url, settings = await start_booking_service(hold_sweep_interval_seconds=3600)
    event = await create_event(capacity=5)
    async with httpx.AsyncClient(base_url=url) as client:
        held = (await book(client, attendee, event["id"], tickets=2, hold=True)).json()
        stored = Platform("", "", url, settings)
        await _expire(stored, held["id"])

        response = await client.post(f"/bookings/{held['id']}/pay", headers=attendee.headers)

        assert response.status_code == 409, response.text
        assert response.json()["booking"]["status"] == "expired"
        seats = await availability(client, event["id"])
    assert (seats["sold"], seats["held"], seats["available"]) == (0, 0, 5)


@pytest.fixture
async def sessionmaker(platform: Platform) -> AsyncIterator[Any]:
    engine = create_engine(platform.booking_settings.database_url)
    yield create_sessionmaker(engine)
    await engine.dispose()


async def test_replicas_releasing_the_same_hold_release_it_once(
    platform: Platform,
    bookings: httpx.AsyncClient,
    create_event: CreateEvent,
    attendee: Account,
    sessionmaker: Any,
) -> None:
    event = await create_event(capacity=10)
    held = [(await book(bookings, attendee, event["id"], tickets=2, hold=True)).json() for _ in range(3)]
    async with sessionmaker() as session, session.begin():
        stored = list(await session.scalars(select(Booking).where(Booking.id.in_([h["id"] for h in held]))))

    async def release(booking: Booking) -> str:
        async with sessionmaker() as session:
            return (await service.release_hold(session, booking=booking, reason="test")).status

    outcomes = await asyncio.gather(*(release(booking) for booking in stored for _ in range(4)))

    assert set(outcomes) == {"expired"}
    seats = await availability(bookings, event["id"])
    assert (seats["sold"], seats["held"], seats["available"]) == (0, 0, 10)


async def test_holds_of_a_cancelled_event_are_released_and_never_charged(
    platform: Platform, bookings: httpx.AsyncClient, create_event: CreateEvent, attendee: Account
) -> None:
    event = await create_event(capacity=6)
    held = (await book(bookings, attendee, event["id"], tickets=2, hold=True)).json()

    async with httpx.AsyncClient(base_url=platform.events_url) as events:
        cancelled = await events.post(f"/events/{event['id']}/cancel", headers=event["organizer"].headers)
    assert cancelled.status_code == 200, cancelled.text

    async def released() -> dict[str, Any] | None:
        booking = (await bookings.get(f"/bookings/{held['id']}", headers=attendee.headers)).json()
        return booking if booking["status"] == "expired" else None

    booking = await wait_for(released)
    assert (booking["payment_id"], booking["refunded_amount"]) == (None, 0)
    assert (await availability(bookings, event["id"]))["held"] == 0
    assert (await bookings.post(f"/bookings/{held['id']}/pay", headers=attendee.headers)).status_code == 409
