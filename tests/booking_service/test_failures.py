"""The payment service down, too slow, or a crash mid-booking: seats are never held forever."""

from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from booking_service import service
from booking_service.clients import EventClient
from booking_service.models import Booking
from booking_service.schemas import BookingCreate
from booking_service.settings import BookingSettings
from booking_service.upstream import Upstream
from shared.db import create_engine, create_sessionmaker
from shared.messages import EventUpdated
from shared.messaging import Broker, build_envelope
from tests.booking_service.conftest import Platform, availability, book, in_days
from tests.conftest import RABBITMQ_URL, Account, wait_for
from tests.tcp_proxy import free_port

StartBookingService = Callable[..., Awaitable[tuple[str, BookingSettings]]]


async def _seen_by(url: str, event_id: str) -> bool:
    async with httpx.AsyncClient(base_url=url) as client:
        return (await client.get(f"/events/{event_id}/availability")).status_code == 200


async def test_payment_service_unreachable_is_503_and_releases_the_seats(
    start_booking_service: StartBookingService,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    make_account: Callable[..., Awaitable[Account]],
) -> None:
    url, _ = await start_booking_service(payment_service_url=f"http://127.0.0.1:{free_port()}")
    event = await create_event(capacity=5)
    attendee = await make_account()
    async with httpx.AsyncClient(base_url=url) as client:
        response = await book(client, attendee, event["id"], tickets=2)
        seats = await availability(client, event["id"])

    assert response.status_code == 503
    assert "payment service is unavailable" in response.json()["detail"]
    assert response.json()["booking"]["status"] == "failed"
    assert (seats["held"], seats["sold"], seats["available"]) == (0, 0, 5)


async def test_a_payment_that_times_out_is_504_and_stays_pending(
    start_booking_service: StartBookingService,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    make_account: Callable[..., Awaitable[Account]],
    silent_server: str,
) -> None:
    url, _ = await start_booking_service(payment_service_url=silent_server, payment_timeout_seconds=0.5)
    event = await create_event(capacity=5)
    attendee = await make_account()
    async with httpx.AsyncClient(base_url=url) as client:
        response = await book(client, attendee, event["id"])
        seats = await availability(client, event["id"])

    assert response.status_code == 504
    assert response.json()["booking"]["status"] == "pending"
    assert seats["held"] == 1


async def _left_pending(
    settings: BookingSettings, platform: Platform, attendee: Account, event_id: str, count: int, tickets: int
) -> list[Booking]:
    """Holds seats for `count` bookings that no request pays, as a crash between reserving and paying does."""
    engine = create_engine(settings.database_url)
    events = Upstream(platform.events_url, connections=1, timeout=5, idle_seconds=4)
    async with create_sessionmaker(engine)() as session, events:
        held = [
            await service.hold_seats(
                session,
                EventClient(events),
                user_id=attendee.id,
                booking_in=BookingCreate(event_id=event_id, tickets=tickets),
                idempotency_key=None,
            )
            for _ in range(count)
        ]
    await engine.dispose()
    return held


async def _statuses_once_settled(url: str, attendee: Account, bookings: dict[str, Booking]) -> dict[str, str]:
    async with httpx.AsyncClient(base_url=url) as client:

        async def settled() -> dict[str, str] | None:
            statuses = {
                name: (await client.get(f"/bookings/{booking.id}", headers=attendee.headers)).json()["status"]
                for name, booking in bookings.items()
            }
            return statuses if "pending" not in statuses.values() else None

        return await wait_for(settled, timeout=20)


async def test_the_sweeper_resolves_bookings_left_pending_by_a_crash(
    start_booking_service: StartBookingService,
    platform: Platform,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    make_account: Callable[..., Awaitable[Account]],
    service_token: str,
) -> None:
    url, settings = await start_booking_service(pending_timeout_seconds=1, sweep_interval_seconds=0.2)
    event = await create_event(capacity=5, price=1000)
    attendee = await make_account()
    await wait_for(lambda: _seen_by(url, event["id"]))
    # Only the first got paid.
    paid, unpaid = await _left_pending(settings, platform, attendee, event["id"], count=2, tickets=2)
    async with httpx.AsyncClient(base_url=platform.payments_url) as payments:
        charged = await payments.post(
            "/payments",
            json={"booking_id": str(paid.id), "user_id": attendee.id, "amount": 2000, "currency": "EUR"},
            headers={"Authorization": f"Bearer {service_token}", "Idempotency-Key": str(paid.id)},
        )
    assert charged.status_code == 201

    statuses = await _statuses_once_settled(url, attendee, {"paid": paid, "unpaid": unpaid})

    assert statuses == {"paid": "confirmed", "unpaid": "failed"}
    async with httpx.AsyncClient(base_url=url) as client:
        seats = await availability(client, event["id"])
    assert (seats["sold"], seats["held"], seats["available"]) == (2, 0, 3)


async def test_the_sweeper_settles_only_with_its_own_charge_of_the_booking_amount(
    start_booking_service: StartBookingService,
    platform: Platform,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    make_account: Callable[..., Awaitable[Account]],
    service_token: str,
) -> None:
    url, settings = await start_booking_service(pending_timeout_seconds=1, sweep_interval_seconds=0.2)
    event = await create_event(capacity=5, price=1000)
    attendee, admin = await make_account(), await make_account("admin")
    await wait_for(lambda: _seen_by(url, event["id"]))
    pending = await _left_pending(settings, platform, attendee, event["id"], count=3, tickets=1)
    as_service = {"Authorization": f"Bearer {service_token}"}
    charges = {
        # The right amount, naming the booking, but not charged by the booking service under its key.
        "someone_elses": (pending[0], admin.headers, 1000, "EUR"),
        # The booking service's own key, but not what the booking costs.
        "underpaid": (pending[1], as_service, 1, "EUR"),
        "other_currency": (pending[2], as_service, 1000, "USD"),
    }
    async with httpx.AsyncClient(base_url=platform.payments_url) as payments:
        for booking, headers, amount, currency in charges.values():
            body = {
                "booking_id": str(booking.id),
                "user_id": attendee.id,
                "amount": amount,
                "currency": currency,
            }
            charged = await payments.post(
                "/payments", json=body, headers={**headers, "Idempotency-Key": str(booking.id)}
            )
            assert charged.status_code == 201, charged.text

    statuses = await _statuses_once_settled(
        url, attendee, {name: booking for name, (booking, *_) in charges.items()}
    )

    assert statuses == dict.fromkeys(charges, "failed")
    async with httpx.AsyncClient(base_url=url) as client:
        seats = await availability(client, event["id"])
    assert (seats["sold"], seats["held"], seats["available"]) == (0, 0, 5)


async def test_a_started_or_cancelled_event_is_not_sold(
    bookings: httpx.AsyncClient,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    make_account: Callable[..., Awaitable[Account]],
    platform: Platform,
) -> None:
    attendee = await make_account()
    event = await create_event()
    assert (await book(bookings, attendee, event["id"])).status_code == 201
    started = in_days(-0.1)
    snapshot = EventUpdated(
        event_id=event["id"],
        owner_id=event["owner_id"],
        title=event["title"],
        venue=event["venue"],
        category=event["category"],
        starts_at=started,
        ends_at=in_days(1),
        capacity=event["capacity"],
        price=event["price"],
        currency=event["currency"],
        max_tickets_per_booking=event["max_tickets_per_booking"],
        status="scheduled",
        version=event["version"] + 10,
        changed=["starts_at"],
    )
    broker = Broker(url=RABBITMQ_URL, exchange_name=platform.booking_settings.event_exchange)
    await broker.start()
    await broker.connected.wait()
    await broker.publish(build_envelope("event_service", snapshot))
    await broker.close()

    async def refused() -> httpx.Response | None:
        response = await book(bookings, attendee, event["id"])
        return response if response.status_code == 409 else None

    response = await wait_for(refused)
    assert "already started" in response.json()["detail"]


async def test_an_event_published_before_the_service_started_is_fetched_from_the_event_service(
    start_booking_service: StartBookingService,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    make_account: Callable[..., Awaitable[Account]],
) -> None:
    event = await create_event(capacity=7, price=1500)  # its event.created predates the new queue
    url, _ = await start_booking_service()
    attendee = await make_account()
    async with httpx.AsyncClient(base_url=url) as client:
        response = await book(client, attendee, event["id"], tickets=2)
        seats = await availability(client, event["id"])

    assert response.status_code == 201, response.text
    assert (response.json()["amount"], response.json()["event_title"]) == (3000, event["title"])
    assert (seats["capacity"], seats["sold"]) == (7, 2)
