"""Taking a hold to payment and settling it read that booking's rows, not every booking of its event.

Right after an install, or on a new event selling fast, PostgreSQL has no statistics of the bookings
yet: every index looks as good as another, and a statement that offers it a choice may walk all the
bookings of a status or all the items of a ticket type, on every sale. The plans are read with
auto_explain, as PostgreSQL runs the statements the service sends (generic plans, as a pooled
connection caches them).
"""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import asyncpg
import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from booking_service import holds
from booking_service.main import MIGRATIONS
from booking_service.models import Booking
from booking_service.schemas import BookingStatus
from shared.db import upgrade
from tests.messages import paid_booking

EVENT = "e-rows-read"
TYPE = "t-rows-read"
BOOKINGS = 300
# The sessions of the service as it runs, and the plans PostgreSQL has told of since last cleared.
Sessions = tuple[async_sessionmaker[AsyncSession], list[dict[str, Any]]]

SEED = f"""
    INSERT INTO event_inventory (event_id, title, owner_id, capacity, sold, held, price, currency,
                                 max_tickets_per_booking, starts_at, on_sale, version)
    VALUES ('{EVENT}', 'Gala', 'o1', 1000, {BOOKINGS}, 1, 1000, 'EUR', 10, now() + interval '30 days',
            true, 1);
    INSERT INTO ticket_types (event_id, ticket_type_id, name, price, min_per_booking, max_per_booking,
                              sold, held)
    SELECT '{EVENT}', '{TYPE}' || n, 'Type ' || n, 1000, 1, 10, {BOOKINGS}, 1
      FROM generate_series(0, 3) AS n;
    INSERT INTO bookings (id, user_id, event_id, event_title, event_owner_id, tickets, amount, currency,
                          payment_method, status, expires_at)
    SELECT gen_random_uuid(), 'u' || n, '{EVENT}', 'Gala', 'o1', 1, 1000, 'EUR', 'pm_card_visa',
           CASE WHEN n % 2 = 0 THEN 'pending' ELSE 'held' END, now() + interval '10 minutes'
      FROM generate_series(1, {BOOKINGS}) AS n;
    INSERT INTO booking_items (booking_id, ticket_type_id, name, quantity, unit_price)
    SELECT id, '{TYPE}' || (row_number() OVER () % 4), 'Regular', 1, 1000 FROM bookings;
"""


def _rows_read(plan: dict[str, Any]) -> Iterator[tuple[str, int]]:
    """Each table a plan node scans, with the rows it read (kept or filtered out), all loops."""
    if "Relation Name" in plan and "Scan" in plan["Node Type"]:
        read = plan.get("Actual Rows", 0) + plan.get("Rows Removed by Filter", 0)
        yield plan["Relation Name"], read * plan.get("Actual Loops", 1)
    for child in plan.get("Plans", ()):
        yield from _rows_read(child)


@pytest.fixture
async def sessions(create_database: Callable[[str], Awaitable[str]]) -> AsyncIterator[Sessions]:
    url = await create_database("booking_rows_read")
    await asyncio.to_thread(upgrade, url, MIGRATIONS)
    seeding = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        for table in ("bookings", "booking_items", "ticket_types", "event_inventory"):
            # No ANALYZE comes while the test runs: the statistics stay those of a fresh install.
            await seeding.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")
        await seeding.execute(SEED)
    finally:
        await seeding.close()

    plans: list[dict[str, Any]] = []
    engine = create_async_engine(
        url,
        connect_args={
            "server_settings": {
                "session_preload_libraries": "auto_explain",
                "auto_explain.log_min_duration": "0",
                "auto_explain.log_analyze": "on",
                "auto_explain.log_format": "json",
                "client_min_messages": "log",
                "plan_cache_mode": "force_generic_plan",
            }
        },
    )

    @event.listens_for(engine.sync_engine, "connect")
    def listen(dbapi_connection: Any, _: Any) -> None:
        def on_log(_: Any, message: asyncpg.PostgresLogMessage) -> None:
            text = message.message
            if "plan:" in text:
                plans.append(json.loads(text.split("plan:", 1)[1])["Plan"])

        dbapi_connection.driver_connection.add_log_listener(on_log)

    yield async_sessionmaker(engine, expire_on_commit=False), plans
    await engine.dispose()


async def _a_booking_of(sessions: Sessions, status: str) -> tuple[uuid.UUID, str]:
    """A booking of `status` (its id and its user's), the plans read so far forgotten."""
    sessionmaker, plans = sessions
    async with sessionmaker() as session, session.begin():
        row = (
            await session.execute(
                select(Booking.id, Booking.user_id)
                .where(Booking.status == status)
                .order_by(Booking.id)
                .limit(1)
            )
        ).one()
    plans.clear()
    return row.id, row.user_id


def _most_read(plans: list[dict[str, Any]]) -> dict[str, int]:
    """The most rows of bookings and of their items that one scan of the plans read."""
    most = {"bookings": 0, "booking_items": 0}
    for plan in plans:
        for table, read in _rows_read(plan):
            if table in most:
                most[table] = max(most[table], read)
    return most


async def test_taking_a_hold_to_payment_reads_only_that_booking(sessions: Sessions) -> None:
    booking_id, user_id = await _a_booking_of(sessions, BookingStatus.HELD)
    sessionmaker, plans = sessions
    async with sessionmaker() as session:
        paying = await holds.start_payment(
            session, booking_id=booking_id, user_id=user_id, payment_method=None
        )

    assert paying is not None and paying.status == BookingStatus.PENDING
    read = _most_read(plans)
    assert max(read.values()) <= 1, read


async def test_settling_a_booking_reads_only_that_booking_and_its_items(sessions: Sessions) -> None:
    booking_id, user_id = await _a_booking_of(sessions, BookingStatus.PENDING)
    sessionmaker, plans = sessions
    async with sessionmaker() as session:
        settled = await holds.record_outcome(
            session,
            booking_id=booking_id,
            status=BookingStatus.CONFIRMED,
            payment_id="p1",
            failure_reason=None,
            message=paid_booking(user_id, EVENT, booking_id=str(booking_id)),
        )

    assert settled is not None and settled.status == BookingStatus.CONFIRMED
    read = _most_read(plans)
    assert max(read.values()) <= 1, read
