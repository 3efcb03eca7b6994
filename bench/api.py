"""The few platform calls the scenarios make over HTTP."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from bench.stack import Platform
from bench.tokens import User


async def create_event(
    client: httpx.AsyncClient, platform: Platform, organizer: User, *, capacity: int, title: str
) -> dict[str, Any]:
    """Publishes an event a month ahead; returns it as the event service answers."""
    starts_at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
    response = await client.post(
        f"{platform.urls['event_service']}/events",
        headers=organizer.headers,
        json={
            "title": title,
            "venue": "Bench Hall",
            "category": "music",
            "starts_at": starts_at.isoformat(),
            "ends_at": (starts_at + timedelta(hours=3)).isoformat(),
            "capacity": capacity,
            "price": 2500,
            "currency": "EUR",
            "max_tickets_per_booking": 1,
        },
    )
    response.raise_for_status()
    return response.json()


async def book(client: httpx.AsyncClient, platform: Platform, buyer: User, event_id: str) -> httpx.Response:
    """Asks for one ticket; the answer is returned whatever its status."""
    return await client.post(
        f"{platform.urls['booking_service']}/bookings",
        headers=buyer.headers,
        json={"event_id": event_id, "tickets": 1},
    )
