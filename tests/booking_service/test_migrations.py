"""Migrations applied to data the previous release stored."""

import asyncio
from collections.abc import Awaitable, Callable

import asyncpg

from booking_service.main import MIGRATIONS
from shared.db import upgrade

INSERT_BOOKING = """
    INSERT INTO bookings (id, user_id, event_id, event_title, event_owner_id, tickets, amount, currency,
                          payment_method, status, failure_reason)
    VALUES (gen_random_uuid(), 'u1', 'e1', 'Gala', 'o1', 1, 1000, 'EUR', 'pm_card_visa', 'failed', $1)
"""


async def test_bookings_released_at_the_pending_timeout_get_the_released_status(
    create_database: Callable[[str], Awaitable[str]],
) -> None:
    url = await create_database("booking_migrations")
    await asyncio.to_thread(upgrade, url, MIGRATIONS, "0001")
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        for reason in ("the payment was not confirmed in time", "Your card was declined."):
            await connection.execute(INSERT_BOOKING, reason)

        await asyncio.to_thread(upgrade, url, MIGRATIONS)

        rows = await connection.fetch("SELECT status, failure_reason FROM bookings ORDER BY status")
    finally:
        await connection.close()
    assert [tuple(row) for row in rows] == [
        ("failed", "Your card was declined."),
        ("released", "the payment was not confirmed in time"),
    ]


INSERT_SETTLED_BOOKING = """
    INSERT INTO bookings (id, user_id, event_id, event_title, event_owner_id, tickets, amount, currency,
                          payment_method, status, payment_id, idempotency_key)
    VALUES (gen_random_uuid(), 'u1', 'e1', 'Gala', 'o1', 1, 1000, 'EUR', 'pm_card_visa', $1, $2, $3)
"""


async def test_cancelled_bookings_record_their_refund_and_failures_that_charged_nothing_free_their_key(
    create_database: Callable[[str], Awaitable[str]],
) -> None:
    url = await create_database("booking_migrations")
    await asyncio.to_thread(upgrade, url, MIGRATIONS, "0002")
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        for status, payment_id, key in [
            ("confirmed", "p1", "k-confirmed"),
            ("cancelled", "p2", "k-cancelled"),
            ("failed", "p3", "k-declined"),
            ("failed", None, "k-unreachable"),
        ]:
            await connection.execute(INSERT_SETTLED_BOOKING, status, payment_id, key)

        await asyncio.to_thread(upgrade, url, MIGRATIONS)

        rows = await connection.fetch(
            "SELECT status, refunded_amount, idempotency_key FROM bookings ORDER BY payment_id"
        )
    finally:
        await connection.close()
    assert [tuple(row) for row in rows] == [
        ("confirmed", 0, "k-confirmed"),
        ("cancelled", 1000, "k-cancelled"),
        ("failed", 0, "k-declined"),
        ("failed", 0, None),
    ]


async def test_events_get_their_default_type_and_bookings_one_item_of_it(
    create_database: Callable[[str], Awaitable[str]],
) -> None:
    url = await create_database("booking_migrations")
    await asyncio.to_thread(upgrade, url, MIGRATIONS, "0003")
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        await connection.execute(
            "INSERT INTO event_inventory (event_id, title, owner_id, capacity, sold, held, price, currency,"
            " max_tickets_per_booking, starts_at, on_sale, version)"
            " VALUES ('e1', 'Gala', 'o1', 50, 3, 2, 1000, 'EUR', 6, '2027-01-01T20:00:00Z', true, 4)"
        )
        for status, tickets in [("confirmed", 3), ("pending", 2)]:
            await connection.execute(
                "INSERT INTO bookings (id, user_id, event_id, event_title, event_owner_id, tickets, amount,"
                " currency, payment_method, status)"
                " VALUES (gen_random_uuid(), 'u1', 'e1', 'Gala', 'o1', $1, $2, 'EUR', 'pm_card_visa', $3)",
                tickets,
                tickets * 1000,
                status,
            )

        await asyncio.to_thread(upgrade, url, MIGRATIONS)

        kinds = await connection.fetch(
            "SELECT ticket_type_id, name, price, min_per_booking, max_per_booking, sold, held, listed, hidden"
            " FROM ticket_types"
        )
        items = await connection.fetch(
            "SELECT b.status, i.ticket_type_id, i.quantity, i.unit_price, b.event_starts_at IS NOT NULL"
            " FROM booking_items i JOIN bookings b ON b.id = i.booking_id ORDER BY b.status"
        )
        event = await connection.fetchrow("SELECT timezone, hold_minutes, sold, held FROM event_inventory")
        holds = await connection.fetch("SELECT expires_at, voucher FROM bookings")
    finally:
        await connection.close()
    assert [tuple(row) for row in kinds] == [("e1", "Admission", 1000, 1, 6, 3, 2, True, False)]
    assert [tuple(row) for row in items] == [
        ("confirmed", "e1", 3, 1000, True),
        ("pending", "e1", 2, 1000, True),
    ]
    assert tuple(event) == ("UTC", 15, 3, 2)
    assert {tuple(row) for row in holds} == {(None, None)}
