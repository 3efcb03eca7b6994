"""Changing what the booking service stored of an event, in its real database, as an older release
or a forged message could have left it: before the service started, so it keeps nothing of it in
memory (it learns of any later change of a catalogue from a new version)."""

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import httpx

from booking_service.catalogue import CACHE
from tests.booking_service.conftest import Platform, availability


async def _set(platform: Platform, table: str, key: dict[str, Any], columns: dict[str, Any]) -> None:
    values = [*key.values(), *columns.values()]
    where = " AND ".join(f"{name} = ${number}" for number, name in enumerate(key, start=1))
    assignments = ", ".join(f"{name} = ${number}" for number, name in enumerate(columns, start=len(key) + 1))
    database = await asyncpg.connect(platform.booking_settings.database_url.replace("+asyncpg", ""))
    try:
        await database.execute(f"UPDATE {table} SET {assignments} WHERE {where}", *values)
    finally:
        await database.close()
    CACHE.clear()  # the service under test runs in this process


async def set_stored_event(platform: Platform, event_id: str, **columns: Any) -> None:
    """Sets `columns` of the event's row in the booking service's `event_inventory`."""
    await _set(platform, "event_inventory", {"event_id": event_id}, columns)


async def set_stored_ticket_type(
    platform: Platform, event_id: str, ticket_type_id: str, **columns: Any
) -> None:
    """Sets `columns` of a ticket type's row in the booking service's `ticket_types`."""
    await _set(platform, "ticket_types", {"event_id": event_id, "ticket_type_id": ticket_type_id}, columns)


async def set_stored_booking(platform: Platform, booking_id: str, **columns: Any) -> None:
    """Sets `columns` of a booking's row (its `expires_at`, say) in the booking service's `bookings`."""
    await _set(platform, "bookings", {"id": uuid.UUID(booking_id)}, columns)


async def event_the_payment_service_refuses(
    platform: Platform, bookings: httpx.AsyncClient, create_event: Callable[..., Awaitable[dict[str, Any]]]
) -> dict[str, Any]:
    """An event stored in a currency the payment service refuses to charge (XXX is an ISO 4217 code that
    is no money): the event service no longer publishes such a price or currency, an older release did."""
    event = await create_event(capacity=3, max_tickets_per_booking=3)
    await availability(bookings, event["id"])  # the booking service stores the event
    await set_stored_event(platform, event["id"], currency="XXX")
    return event
