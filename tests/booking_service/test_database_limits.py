"""A booking service whose connections are all taken answers 503 in seconds, not 500 after 30 s."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import httpx

from booking_service.settings import BookingSettings
from tests.booking_service.conftest import a_backend_waits_on_a_lock, availability, book
from tests.conftest import Account, wait_for

StartBookingService = Callable[..., Awaitable[tuple[str, BookingSettings]]]
POOL_TIMEOUT_SECONDS = 1.0


def _dsn(settings: BookingSettings) -> str:
    return settings.database_url.replace("postgresql+asyncpg://", "postgresql://")


async def test_a_request_finding_no_free_connection_answers_503_within_the_pool_timeout(
    start_booking_service: StartBookingService,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    make_account: Callable[..., Awaitable[Account]],
) -> None:
    url, settings = await start_booking_service(
        database_pool_size=1, database_max_overflow=0, database_pool_timeout_seconds=POOL_TIMEOUT_SECONDS
    )
    event = await create_event()
    buyer = await make_account()
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        await availability(client, event["id"])  # the service knows the event
        admin = await asyncpg.connect(_dsn(settings))
        try:
            locking = admin.transaction()
            await locking.start()
            await admin.execute("LOCK TABLE event_inventory IN ACCESS EXCLUSIVE MODE")
            # Takes the only connection, then waits on the lock to hold its seats.
            holding = asyncio.create_task(book(client, buyer, event["id"]))
            try:
                await wait_for(lambda: a_backend_waits_on_a_lock(settings))
                started = time.monotonic()
                response = await client.get("/bookings", headers=buyer.headers)
                elapsed = time.monotonic() - started
            finally:
                await locking.rollback()
        finally:
            await admin.close()
        assert response.status_code == 503, response.text
        assert response.headers["Retry-After"]
        assert elapsed < POOL_TIMEOUT_SECONDS + 3
        assert (await holding).status_code == 201  # the held request completes once the lock goes
