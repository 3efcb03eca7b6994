"""The limits of events, bookings and payments agree: the dearest booking an event allows fits the
booking's 32-bit `amount` and is a charge the payment service takes."""

from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from booking_service import schemas as booking_schemas
from booking_service.schemas import BookingCreate
from event_service.schemas import MAX_PRICE, MAX_TICKETS_PER_BOOKING
from payment_service.schemas import MAX_AMOUNT
from tests.booking_service.conftest import Platform, book, payments_for
from tests.booking_service.stored import set_stored_event, set_stored_ticket_type
from tests.conftest import Account

INT32_MAX = 2**31 - 1


def test_the_dearest_booking_is_a_charge_the_payment_service_takes() -> None:
    assert MAX_PRICE * MAX_TICKETS_PER_BOOKING <= MAX_AMOUNT <= INT32_MAX
    assert booking_schemas.MAX_AMOUNT == MAX_AMOUNT
    [ticket_limit] = [
        meta.le for meta in BookingCreate.model_fields["tickets"].metadata if hasattr(meta, "le")
    ]
    assert ticket_limit == MAX_TICKETS_PER_BOOKING


async def test_the_largest_legal_booking_is_booked_and_charged(
    platform: Platform,
    bookings: httpx.AsyncClient,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    make_account: Callable[..., Awaitable[Account]],
    service_token: str,
) -> None:
    event = await create_event(
        price=MAX_PRICE, capacity=MAX_TICKETS_PER_BOOKING, max_tickets_per_booking=MAX_TICKETS_PER_BOOKING
    )

    response = await book(bookings, await make_account(), event["id"], tickets=MAX_TICKETS_PER_BOOKING)

    assert response.status_code == 201, response.text
    booking = response.json()
    assert (booking["status"], booking["amount"]) == ("confirmed", MAX_PRICE * MAX_TICKETS_PER_BOOKING)
    [payment] = await payments_for(platform, service_token, [booking["id"]])
    assert (payment["status"], payment["amount"]) == ("succeeded", booking["amount"])


async def test_an_event_stored_at_an_older_higher_price_is_refused_422_not_overflowed(
    platform: Platform,
    bookings: httpx.AsyncClient,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    make_account: Callable[..., Awaitable[Account]],
) -> None:
    event = await create_event(
        price=MAX_PRICE, capacity=1000, max_tickets_per_booking=MAX_TICKETS_PER_BOOKING
    )
    buyer = await make_account()
    assert (await book(bookings, buyer, event["id"])).status_code == 201
    # As the booking service stored an event priced before the limits agreed (100,000,000 was allowed).
    await set_stored_event(platform, event["id"], price=100_000_000)
    await set_stored_ticket_type(platform, event["id"], event["id"], price=100_000_000)

    for tickets in (1, 30):  # 30 of them overflow 32 bits
        response = await book(bookings, buyer, event["id"], tickets=tickets)
        assert response.status_code == 422, response.text
        assert str(MAX_AMOUNT) in response.json()["detail"]
    available = (await bookings.get(f"/events/{event['id']}/availability")).json()
    assert (available["sold"], available["held"]) == (1, 0)
