"""The payment service killed while bookings are being paid, and down past the sweeper's timeout.

Under test are the booking service, its sweeper and PostgreSQL, all real. No seat stays held past
the sweeper's timeout, even while the payment service is still down; and once it is back, no
booking is confirmed without a succeeded payment, and no succeeded payment is left without a
confirmed booking or a refund. Both sides are checked against their own records.

The kill is a SIGKILL of the payment service's process, started again afterwards on the same
MongoDB database. A real charge takes milliseconds, so a kill would mostly land between charges;
the process runs the payment service with each charge slowed a little on both sides of its write
(`tests.faults.slow_payments`), and is killed once it holds charges never made as well as charges
made but never answered.
"""

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from booking_service.main import create_app as create_booking_app
from booking_service.settings import BookingSettings
from event_service.main import create_app as create_event_app
from event_service.settings import EventSettings
from payment_service.settings import PaymentSettings
from tests.booking_service.conftest import availability, book, publish_event
from tests.conftest import Account, wait_for
from tests.faults.conftest import ServiceProcess, all_pages, wait_ready
from tests.faults.slow_payments import IN_FLIGHT_PATH
from tests.servers import serve

BOOKINGS = 40
CONCURRENCY = 12
KILL_AFTER = 10  # bookings answered before the kill
PENDING_TIMEOUT_SECONDS = 2.0
SWEEP_INTERVAL_SECONDS = 0.25


@dataclass(frozen=True)
class Platform:
    events_url: str
    bookings_url: str
    payments: ServiceProcess


@pytest.fixture
async def platform(
    create_database: Callable[[str], Awaitable[str]],
    exchange_name: str,
    user_service_url: str,
    mongo_url: str,
    unique_name: Callable[[str], str],
    fresh_mongo_database: Callable[[str], str],
    delete_queues: Callable[..., None],
    event_queue_prefix: str,
) -> AsyncIterator[Platform]:
    common: dict[str, Any] = {
        "env": "test",
        "event_exchange": exchange_name,
        "broker_retry_seconds": 0.2,
        "jwks_url": f"{user_service_url}/.well-known/jwks.json",
    }
    payment_settings = PaymentSettings(
        **common, mongo_url=mongo_url, mongo_database=fresh_mongo_database("payments")
    )
    payments = ServiceProcess("tests.faults.slow_payments", payment_settings)
    event_settings = EventSettings(
        **common,
        mongo_url=mongo_url,
        mongo_database=fresh_mongo_database("events"),
        queue_prefix=event_queue_prefix,
    )
    queue_prefix = unique_name("booking")
    delete_queues(f"{queue_prefix}.events")
    async with serve(create_event_app(event_settings)) as events:
        await wait_ready(events)
        await payments.start()
        try:
            settings = BookingSettings(
                **common,
                database_url=await create_database("faults_bookings"),
                user_service_url=user_service_url,
                event_service_url=events,
                payment_service_url=payments.url,
                queue_prefix=queue_prefix,
                pending_timeout_seconds=PENDING_TIMEOUT_SECONDS,
                sweep_interval_seconds=SWEEP_INTERVAL_SECONDS,
            )
            async with serve(create_booking_app(settings)) as bookings:
                await wait_ready(bookings)
                yield Platform(events, bookings, payments)
        finally:
            await payments.stop()


async def _charges_in_flight(payments_url: str) -> dict[str, int]:
    """Returns how many charges the slowed payment service holds before and after their write."""
    async with httpx.AsyncClient(base_url=payments_url) as client:
        return (await client.get(IN_FLIGHT_PATH)).json()


async def test_a_payment_service_killed_mid_booking_leaves_no_seat_held_and_no_money_unaccounted(
    platform: Platform, make_account: Callable[..., Awaitable[Account]], service_token: str
) -> None:
    organizer = await make_account("organizer")
    attendees = [await make_account() for _ in range(3)]
    event = await publish_event(platform.events_url, organizer, capacity=BOOKINGS, price=9900)
    service = {"Authorization": f"Bearer {service_token}"}
    responses: list[httpx.Response] = []
    slots = asyncio.Semaphore(CONCURRENCY)

    async def book_one(client: httpx.AsyncClient, number: int) -> None:
        async with slots:
            key = {"Idempotency-Key": uuid.uuid4().hex}
            responses.append(await book(client, attendees[number % len(attendees)], event["id"], headers=key))

    async def kill_mid_stream() -> None:
        async def in_flight() -> bool:
            if len(responses) < KILL_AFTER:
                return False
            charges = await _charges_in_flight(platform.payments.url)
            return charges["not_made"] >= 2 and charges["not_answered"] >= 2

        await wait_for(in_flight, timeout=60)
        await platform.payments.kill()

    async with httpx.AsyncClient(base_url=platform.bookings_url, timeout=30) as client:
        killing = asyncio.create_task(kill_mid_stream())
        await asyncio.gather(*(book_one(client, number) for number in range(BOOKINGS)))
        await killing

        # Answered in flight: 201 paid, 503 never reached the payment service, 504 outcome unknown.
        statuses = Counter(response.status_code for response in responses)
        assert set(statuses) <= {201, 503, 504}, statuses
        assert statuses[504] >= 4, statuses  # the kill caught charges made and not made, all unanswered

        # The payment service is still down: the sweeper gives the seats back all the same.
        async def nothing_held() -> dict[str, Any] | None:
            seats = await availability(client, event["id"])
            pending = await all_pages(client, "/bookings", service, event_id=event["id"], status="pending")
            return seats if seats["held"] == 0 and not pending else None

        await wait_for(nothing_held, timeout=PENDING_TIMEOUT_SECONDS + 3)

        await platform.payments.start()

        async def settled() -> tuple[list[dict[str, Any]], list[dict[str, Any]]] | None:
            booked = await all_pages(client, "/bookings", service, event_id=event["id"])
            async with httpx.AsyncClient(base_url=platform.payments.url) as payments:
                paid = await all_pages(payments, "/payments", service)
            confirmed = {booking["id"] for booking in booked if booking["status"] == "confirmed"}
            done = all(
                payment["status"] != "succeeded" or payment["booking_id"] in confirmed for payment in paid
            ) and all(booking["status"] != "released" for booking in booked)
            return (booked, paid) if done else None

        booked, paid = await wait_for(settled, timeout=PENDING_TIMEOUT_SECONDS + 10)
        seats = await availability(client, event["id"])

    assert len(booked) == BOOKINGS
    by_booking = {payment["booking_id"]: payment for payment in paid}
    assert len(by_booking) == len(paid), "a booking was charged twice"
    confirmed = [booking for booking in booked if booking["status"] == "confirmed"]
    assert {booking["status"] for booking in booked} <= {"confirmed", "failed"}
    for booking in confirmed:
        payment = by_booking.get(booking["id"])
        assert payment is not None, f"booking {booking['id']} is confirmed without a payment"
        assert (payment["id"], payment["status"]) == (booking["payment_id"], "succeeded")
        assert (payment["amount"], payment["refunded_amount"]) == (booking["amount"], 0)
    for payment in paid:
        if payment["status"] == "succeeded":
            assert payment["booking_id"] in {booking["id"] for booking in confirmed}
        else:
            assert payment["status"] == "refunded", payment
            assert payment["refunded_amount"] == payment["amount"]
    # Charges made but never answered went through, and back.
    assert sum(payment["status"] == "refunded" for payment in paid) >= 2
    assert (seats["sold"], seats["held"]) == (len(confirmed), 0)
    assert {response.json()["id"] for response in responses if response.status_code == 201} <= {
        booking["id"] for booking in confirmed
    }
