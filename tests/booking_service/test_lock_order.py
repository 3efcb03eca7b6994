"""Settling a booking locks its event's seats before the booking, as a hold does, so a hold that
reuses the booking's Idempotency-Key while the booking settles never deadlocks with it."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from booking_service import checkout
from booking_service.models import Booking
from booking_service.schemas import BookingCreate, BookingStatus
from booking_service.service import settle_booking
from tests.booking_service.conftest import Platform, a_backend_waits_on_a_lock, availability
from tests.conftest import wait_for

KEY = "retried-key"
USER = "buyer-of-one-key"


def _columns_of(booking: Booking) -> dict[str, Any]:
    return {column.name: getattr(booking, column.name) for column in Booking.__table__.columns}


@pytest.fixture
async def engine(platform: Platform) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(platform.booking_settings.database_url)
    yield engine
    await engine.dispose()


async def test_a_hold_reusing_the_key_of_a_booking_being_settled_finds_it_without_a_deadlock(
    platform: Platform,
    engine: AsyncEngine,
    bookings: httpx.AsyncClient,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
) -> None:
    event = await create_event(price=0)
    await availability(bookings, event["id"])  # the booking service stores the event
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    booking_in = BookingCreate(event_id=event["id"], tickets=1)
    async with sessions() as session:
        booking = await checkout.reserve(session, user_id=USER, booking_in=booking_in, idempotency_key=KEY)
    assert booking is not None

    async with sessions() as retry, retry.begin():
        # The retry's hold has taken the event's seats and is about to store its booking under KEY.
        await retry.execute(
            text("SELECT 1 FROM event_inventory WHERE event_id = :event FOR UPDATE"), {"event": event["id"]}
        )
        async with sessions() as session:
            settling = asyncio.create_task(settle_booking(session, booking=booking, payment=None, free=True))
            await wait_for(lambda: a_backend_waits_on_a_lock(platform.booking_settings))

            # It stores its booking under KEY, as `take_seats` does once it holds the seats.
            retry.add(Booking(**{**_columns_of(booking), "id": uuid.uuid4(), "status": "pending"}))
            with pytest.raises(IntegrityError, match="idempotency"):
                await retry.flush()
            await retry.rollback()
            settled = await settling

    assert settled.status == BookingStatus.CONFIRMED
    assert (await availability(bookings, event["id"]))["sold"] == 1
