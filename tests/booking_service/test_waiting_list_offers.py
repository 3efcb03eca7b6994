"""Offers under time and concurrency: an offer not paid in time passes on, seats owed to the queue are
not sold to the public before they are offered, and seats freed concurrently are offered once each."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select

from booking_service import offers, service
from booking_service.models import Booking, TicketType, WaitingListEntry
from booking_service.settings import BookingSettings
from shared.db import create_engine, create_sessionmaker
from tests.apps import wait_for
from tests.booking_service.conftest import Platform, availability, book
from tests.booking_service.stored import set_stored_booking
from tests.booking_service.waiting import entry_of, join, wait_for_state
from tests.conftest import Account, MessageTap

CreateEvent = Callable[..., Awaitable[dict[str, Any]]]
MakeAccount = Callable[..., Awaitable[Account]]
StartBookingService = Callable[..., Awaitable[tuple[str, BookingSettings]]]
# A service of a test's own keeps few connections: the platform's service holds its own beside it.
SMALL_POOL = {"database_pool_size": 8, "database_pool_warm": False}
# Offers are then made only when a test asks for them.
NO_OFFERS_BY_THEMSELVES = {"offer_sweep_interval_seconds": 3600, **SMALL_POOL}


@asynccontextmanager
async def _sessions(settings: BookingSettings) -> AsyncIterator[Any]:
    engine = create_engine(settings.database_url)
    try:
        yield create_sessionmaker(engine)
    finally:
        await engine.dispose()


async def _accounts(make_account: MakeAccount, count: int) -> list[Account]:
    return list(await asyncio.gather(*(make_account() for _ in range(count))))


async def test_an_offer_not_paid_in_time_expires_and_passes_on(
    start_booking_service: StartBookingService,
    create_event: CreateEvent,
    make_account: MakeAccount,
    tap_messages: Callable[[str], Awaitable[MessageTap]],
) -> None:
    tap = await tap_messages("booking.expired")
    url, _ = await start_booking_service(waiting_list_offer_seconds=4, **SMALL_POOL)
    event = await create_event(capacity=1, max_tickets_per_booking=1)
    buyer, first, second = await _accounts(make_account, 3)
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        sold = (await book(client, buyer, event["id"])).json()
        first_entry = (await join(client, first, event["id"])).json()
        second_entry = (await join(client, second, event["id"])).json()
        assert (await client.post(f"/bookings/{sold['id']}/cancel", headers=buyer.headers)).status_code == 200

        offer = (await wait_for_state(client, first, first_entry["id"], "offered"))["offer"]
        expires_at = datetime.fromisoformat(offer["expires_at"])
        assert expires_at <= datetime.now(UTC) + timedelta(seconds=4)
        passed_on = await wait_for_state(client, second, second_entry["id"], "offered")

        assert (await entry_of(client, first, first_entry["id"]))["state"] == "expired"
        assert passed_on["offer"]["quantity"] == 1
        late = await client.post(f"/bookings/{offer['booking_id']}/pay", headers=first.headers)
        assert late.status_code == 409, late.text
        mine = await client.get("/waiting-list", params={"state": "expired"}, headers=first.headers)
        assert [item["id"] for item in mine.json()["items"]] == [first_entry["id"]]

    async def told() -> list[dict[str, Any]]:
        return [m for m in tap.of_type("booking.expired") if m["data"]["booking_id"] == offer["booking_id"]]

    [message] = await wait_for(told)
    assert message["data"]["waiting_list_entry_id"] == first_entry["id"]


async def test_owed_seats_are_not_sold_to_the_public_before_they_are_offered(
    start_booking_service: StartBookingService, create_event: CreateEvent, make_account: MakeAccount
) -> None:
    url, settings = await start_booking_service(**NO_OFFERS_BY_THEMSELVES)
    event = await create_event(capacity=3, max_tickets_per_booking=3)
    buyer, waiter = await _accounts(make_account, 2)
    async with httpx.AsyncClient(base_url=url, timeout=30) as client, _sessions(settings) as sessionmaker:
        sold = (await book(client, buyer, event["id"], tickets=3)).json()
        entry = (await join(client, waiter, event["id"], 2)).json()
        assert (await client.post(f"/bookings/{sold['id']}/cancel", headers=buyer.headers)).status_code == 200

        seats = await availability(client, event["id"])
        assert (seats["sold"], seats["held"], seats["waiting"], seats["available"]) == (0, 0, 2, 1)
        assert seats["ticket_types"][0]["available"] == 1
        assert (await book(client, buyer, event["id"], tickets=2)).status_code == 409
        assert (await book(client, buyer, event["id"], tickets=1)).status_code == 201

        async with sessionmaker() as session:
            made = await offers.offer_freed_seats(session, event_id=event["id"], offer_for=None)

        assert made == 1
        offered = await entry_of(client, waiter, entry["id"])
        assert (offered["state"], offered["offer"]["quantity"]) == ("offered", 2)
        expires_at = datetime.fromisoformat(offered["offer"]["expires_at"])
        assert timedelta(hours=23) < expires_at - datetime.now(UTC) <= timedelta(hours=24)
        seats = await availability(client, event["id"])
        assert (seats["sold"], seats["held"], seats["waiting"], seats["available"]) == (1, 2, 0, 0)


async def test_seats_freed_concurrently_are_offered_once_each_and_never_oversold(
    start_booking_service: StartBookingService, create_event: CreateEvent, make_account: MakeAccount
) -> None:
    url, settings = await start_booking_service(**NO_OFFERS_BY_THEMSELVES)
    capacity = 6
    event = await create_event(capacity=capacity, max_tickets_per_booking=1)
    buyer, public, *waiters = await _accounts(make_account, 6)
    async with httpx.AsyncClient(base_url=url, timeout=60) as client, _sessions(settings) as sessionmaker:
        paid = [(await book(client, buyer, event["id"])).json() for _ in range(3)]
        held = [(await book(client, buyer, event["id"], hold=True)).json() for _ in range(3)]
        assert {booking["status"] for booking in paid + held} == {"confirmed", "held"}
        entries = [(await join(client, waiter, event["id"])).json() for waiter in waiters]
        assert [entry["state"] for entry in entries] == ["waiting"] * 4
        for hold in held:
            await set_stored_booking(
                Platform("", "", url, settings),
                hold["id"],
                expires_at=datetime.now(UTC) - timedelta(seconds=1),
            )
        async with sessionmaker() as session, session.begin():
            expired = list(
                await session.scalars(select(Booking).where(Booking.id.in_([h["id"] for h in held])))
            )

        async def cancel(booking: dict[str, Any]) -> None:
            response = await client.post(f"/bookings/{booking['id']}/cancel", headers=buyer.headers)
            assert response.status_code == 200, response.text

        async def release(booking: Booking) -> None:
            async with sessionmaker() as session:
                await service.release_hold(session, booking=booking, reason=service.EXPIRED_REASON)

        async def offer() -> int:
            async with sessionmaker() as session:
                return await offers.offer_freed_seats(session, event_id=event["id"], offer_for=None)

        async def buy_publicly() -> int:
            return (await book(client, public, event["id"])).status_code

        outcomes = await asyncio.gather(
            *(cancel(booking) for booking in paid),
            *(release(booking) for booking in expired for _ in range(2)),
            *(offer() for _ in range(12)),
            *(buy_publicly() for _ in range(4)),
        )
        await offer()  # for seats freed after the last of the concurrent offers

        public_sales = [outcome for outcome in outcomes[-4:] if outcome == 201]
        async with sessionmaker() as session, session.begin():
            offered = list(
                await session.execute(
                    select(Booking.waiting_list_entry_id, func.count(), func.sum(Booking.tickets))
                    .where(Booking.waiting_list_entry_id.is_not(None))
                    .group_by(Booking.waiting_list_entry_id)
                )
            )
            states = set(await session.scalars(select(WaitingListEntry.state)))
            still_waiting = await session.scalar(
                select(TicketType.waiting).where(TicketType.event_id == event["id"])
            )
    assert sorted(str(entry_id) for entry_id, _, _ in offered) == sorted(entry["id"] for entry in entries)
    assert {(count, seats) for _, count, seats in offered} == {(1, 1)}
    assert (states, still_waiting) == ({"offered"}, 0)
    seats = await _availability(url, event["id"])
    assert seats["held"] == len(waiters) and seats["sold"] == len(public_sales)
    assert seats["sold"] + seats["held"] <= capacity
    assert len(public_sales) <= capacity - len(waiters)


async def _availability(url: str, event_id: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=url) as client:
        return await availability(client, event_id)
