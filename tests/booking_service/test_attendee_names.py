"""Attendee names: checked as a booking's field, kept with the booking, and told in its messages."""

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from tests.booking_service.conftest import book, buy
from tests.conftest import Account, MessageTap

CreateEvent = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
async def attendee(make_account: Callable[..., Awaitable[Account]]) -> Account:
    return await make_account()


@pytest.mark.parametrize(
    ("names", "location"),
    [
        (["Ada", "Grace", "Linus"], ["body", "attendee_names"]),
        (["Ada", "   "], ["body", "attendee_names", 1]),
        (["x" * 101], ["body", "attendee_names", 0]),
        ("Ada", ["body", "attendee_names"]),
        ([7], ["body", "attendee_names", 0]),
    ],
)
async def test_bad_attendee_names_are_422_naming_the_field(
    bookings: httpx.AsyncClient, create_event: CreateEvent, attendee: Account, names: Any, location: list[Any]
) -> None:
    event = await create_event(capacity=10)

    response = await book(bookings, attendee, event["id"], tickets=2, attendee_names=names)

    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == location


async def test_names_are_kept_stripped_and_told_in_booking_confirmed(
    bookings: httpx.AsyncClient,
    create_event: CreateEvent,
    attendee: Account,
    tap_messages: Callable[[str], Awaitable[MessageTap]],
) -> None:
    tap = await tap_messages("booking.confirmed")
    event = await create_event(capacity=10)

    response = await buy(
        bookings,
        attendee,
        event["id"],
        [(event["id"], 3)],
        attendee_names=["  Ada Lovelace ", "Grace Hopper"],
    )

    assert response.status_code == 201, response.text
    booking = response.json()
    assert booking["attendee_names"] == ["Ada Lovelace", "Grace Hopper"]
    read = await bookings.get(f"/bookings/{booking['id']}", headers=attendee.headers)
    assert read.json()["attendee_names"] == ["Ada Lovelace", "Grace Hopper"]
    messages = await tap.wait_for_type("booking.confirmed")
    [message] = [m for m in messages if m["data"]["booking_id"] == booking["id"]]
    assert message["data"]["attendee_names"] == ["Ada Lovelace", "Grace Hopper"]


async def test_a_hold_paid_later_tells_its_names_and_a_booking_without_names_tells_none(
    bookings: httpx.AsyncClient,
    create_event: CreateEvent,
    attendee: Account,
    tap_messages: Callable[[str], Awaitable[MessageTap]],
) -> None:
    tap = await tap_messages("booking.*")
    event = await create_event(capacity=10)
    held = (await book(bookings, attendee, event["id"], tickets=2, hold=True, attendee_names=["Ada"])).json()
    plain = (await book(bookings, attendee, event["id"])).json()

    paid = await bookings.post(f"/bookings/{held['id']}/pay", headers=attendee.headers)

    assert paid.status_code == 200 and paid.json()["attendee_names"] == ["Ada"], paid.text
    assert plain["attendee_names"] == []
    confirmed = {m["data"]["booking_id"]: m["data"] for m in await tap.wait_for_type("booking.confirmed", 2)}
    assert (confirmed[held["id"]]["attendee_names"], confirmed[plain["id"]]["attendee_names"]) == (
        ["Ada"],
        [],
    )
    [hold_message] = [m for m in tap.of_type("booking.held") if m["data"]["booking_id"] == held["id"]]
    assert hold_message["data"]["attendee_names"] == ["Ada"]
