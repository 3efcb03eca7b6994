"""Changing what the booking service stored of an event, in its real database, as an older release
or a forged message could have left it."""

from typing import Any

import asyncpg

from tests.booking_service.conftest import Platform


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
