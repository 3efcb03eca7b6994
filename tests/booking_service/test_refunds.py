"""Refunds made at the payment service (an admin's) reach their booking as `payment.refunded`."""

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from tests.booking_service.conftest import Platform, availability, book, payments_for
from tests.conftest import Account, MessageTap, wait_for


@pytest.fixture
async def attendee(make_account: Callable[..., Awaitable[Account]]) -> Account:
    return await make_account()


@pytest.fixture(scope="module")
async def admin(make_account: Callable[..., Awaitable[Account]]) -> Account:
    return await make_account("admin")


async def _refund_at_the_payment_service(
    platform: Platform, admin: Account, payment_id: str, key: str, **body: Any
) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=platform.payments_url) as payments:
        response = await payments.post(
            f"/payments/{payment_id}/refunds", json=body, headers={**admin.headers, "Idempotency-Key": key}
        )
    assert response.status_code == 201, response.text
    return response.json()


async def _booking_once(
    bookings: httpx.AsyncClient, owner: Account, booking_id: str, **expected: Any
) -> dict[str, Any]:
    """Returns the booking once its fields hold the `expected` values."""

    async def matches() -> dict[str, Any] | None:
        booking = (await bookings.get(f"/bookings/{booking_id}", headers=owner.headers)).json()
        return booking if all(booking[name] == value for name, value in expected.items()) else None

    return await wait_for(matches)


async def test_a_full_refund_by_an_admin_cancels_the_booking_and_frees_its_seats(
    platform: Platform,
    bookings: httpx.AsyncClient,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    attendee: Account,
    admin: Account,
    tap_messages: Callable[[str], Awaitable[MessageTap]],
) -> None:
    tap = await tap_messages("booking.cancelled")
    event = await create_event(capacity=5)
    booking = (await book(bookings, attendee, event["id"], tickets=2)).json()
    assert booking["refunded_amount"] == 0

    await _refund_at_the_payment_service(platform, admin, booking["payment_id"], key="admin-full")

    cancelled = await _booking_once(bookings, attendee, booking["id"], status="cancelled")
    assert cancelled["refunded_amount"] == booking["amount"] == 8000
    seats = await availability(bookings, event["id"])
    assert (seats["sold"], seats["held"], seats["available"]) == (0, 0, 5)
    [message] = await tap.wait_for_type("booking.cancelled")
    assert message["data"]["booking_id"] == booking["id"]
    assert (message["data"]["reason"], message["data"]["refunded_amount"]) == ("refunded", 8000)
    again = await bookings.post(f"/bookings/{booking['id']}/cancel", headers=attendee.headers)
    assert again.status_code == 409


async def test_a_partial_refund_by_an_admin_is_recorded_on_the_booking(
    platform: Platform,
    bookings: httpx.AsyncClient,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    attendee: Account,
    admin: Account,
    service_token: str,
) -> None:
    event = await create_event(capacity=5)
    booking = (await book(bookings, attendee, event["id"], tickets=2)).json()

    await _refund_at_the_payment_service(platform, admin, booking["payment_id"], key="goodwill", amount=3000)

    refunded = await _booking_once(bookings, attendee, booking["id"], refunded_amount=3000)
    assert refunded["status"] == "confirmed"
    assert (await availability(bookings, event["id"]))["sold"] == 2
    # Cancelling it later refunds the rest.
    cancelled = await bookings.post(f"/bookings/{booking['id']}/cancel", headers=attendee.headers)
    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["status"], cancelled.json()["refunded_amount"]) == ("cancelled", 8000)
    [payment] = await payments_for(platform, service_token, [booking["id"]])
    assert (payment["status"], payment["refunded_amount"]) == ("refunded", 8000)


async def test_the_refund_of_a_cancellation_changes_the_booking_no_further(
    platform: Platform,
    bookings: httpx.AsyncClient,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    attendee: Account,
    admin: Account,
    tap_messages: Callable[[str], Awaitable[MessageTap]],
) -> None:
    cancellations = await tap_messages("booking.cancelled")
    refunds = await tap_messages("payment.refunded")
    event = await create_event(capacity=5)
    booking = (await book(bookings, attendee, event["id"], tickets=2)).json()
    marker = (await book(bookings, attendee, event["id"], tickets=1)).json()

    response = await bookings.post(f"/bookings/{booking['id']}/cancel", headers=attendee.headers)

    assert response.status_code == 200, response.text
    await wait_for(lambda: _refund_heard(refunds, booking["payment_id"]))
    # A refund heard after the cancellation's own has been followed by then, most likely.
    await _refund_at_the_payment_service(platform, admin, marker["payment_id"], key="marker", amount=1)
    await _booking_once(bookings, attendee, marker["id"], refunded_amount=1)
    now = (await bookings.get(f"/bookings/{booking['id']}", headers=attendee.headers)).json()
    assert (now["status"], now["refunded_amount"]) == ("cancelled", 8000)
    [message] = [m for m in cancellations.messages if m["data"]["booking_id"] == booking["id"]]
    assert message["data"]["reason"] == "cancelled_by_user"
    seats = await availability(bookings, event["id"])
    assert (seats["sold"], seats["available"]) == (1, 4)


async def _refund_heard(tap: MessageTap, payment_id: str) -> bool:
    return any(message["data"]["payment_id"] == payment_id for message in tap.messages)
