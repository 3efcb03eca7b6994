"""Changing what the booking service stored of an event, in its real database, as an older release
or a forged message could have left it."""

from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import httpx

from tests.booking_service.conftest import Platform, availability


async def set_stored_event(platform: Platform, event_id: str, **columns: Any) -> None:
    """Sets `columns` of the event's row in the booking service's `event_inventory`."""
    assignments = ", ".join(f"{name} = ${number}" for number, name in enumerate(columns, start=2))
    database = await asyncpg.connect(platform.booking_settings.database_url.replace("+asyncpg", ""))
    try:
        await database.execute(
            f"UPDATE event_inventory SET {assignments} WHERE event_id = $1", event_id, *columns.values()
        )
    finally:
        await database.close()


async def event_the_payment_service_refuses(
    platform: Platform, bookings: httpx.AsyncClient, create_event: Callable[..., Awaitable[dict[str, Any]]]
) -> dict[str, Any]:
    """An event stored in a currency the payment service refuses to charge (XXX is an ISO 4217 code that
    is no money): the event service no longer publishes such a price or currency, an older release did."""
    event = await create_event(capacity=3, max_tickets_per_booking=3)
    await availability(bookings, event["id"])  # the booking service stores the event
    await set_stored_event(platform, event["id"], currency="XXX")
    return event
