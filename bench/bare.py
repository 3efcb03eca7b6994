"""A bare FastAPI app, served exactly as the services are (`shared.app.serve`): the overhead baseline.

`python -m bench.bare` with PORT set. It answers `GET /events/{id}` with a constant event of the same
shape as the event service's; `GET /events?category=&limit=&offset=` with the page a Python team would
write with PyMongo alone, reading the event service's own collection (MONGO_URL, MONGO_DATABASE) with
the same filter, index, order and page as the service's listing; and `GET /ready` so it is started
like a service.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from pymongo import AsyncMongoClient

from event_service.models import LISTING
from shared.app import serve
from shared.settings import ServiceSettings

EVENT: dict[str, Any] = {
    "title": "Bench concert",
    "description": "",
    "venue": "Bench Hall",
    "category": "music",
    "starts_at": "2030-06-21T19:30:00Z",
    "ends_at": "2030-06-21T22:30:00Z",
    "capacity": 100,
    "price": 2500,
    "currency": "EUR",
    "max_tickets_per_booking": 1,
    "status": "scheduled",
    "owner_id": "00000000-0000-0000-0000-000000000000",
}
# What the event service answers of a stored event, beside its id (its `EventPublic`).
PUBLIC_FIELDS = (
    *EVENT,
    "created_at",
    "updated_at",
    "version",
    "timezone",
    "hold_minutes",
    "offer_hours",
)
TICKET_TYPE_FIELDS = (
    "id",
    "name",
    "description",
    "price",
    "sales_start",
    "sales_end",
    "min_per_booking",
    "max_per_booking",
    "hidden",
    "position",
)
# The service's timeout on every database operation, so both clients pay for the same settings.
MONGO_TIMEOUT_MS = 5000


class BareSettings(ServiceSettings):
    # The event service's database, for the listing; without it only `GET /events/{id}` answers.
    mongo_url: str | None = None
    mongo_database: str | None = None


def _public(stored: dict[str, Any]) -> dict[str, Any]:
    """The event service's answer for a stored event: its public fields and its public ticket types."""
    ticket_types = sorted(
        (kind for kind in stored.get("ticket_types", []) if not kind["hidden"]),
        key=lambda kind: (kind["position"], kind["name"]),
    )
    return {
        "id": str(stored["_id"]),
        **{name: stored[name] for name in PUBLIC_FIELDS if name in stored},
        "ticket_types": [{name: kind.get(name) for name in TICKET_TYPE_FIELDS} for kind in ticket_types],
    }


def create_app(settings: BareSettings | None = None) -> FastAPI:
    settings = settings or BareSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.mongo_url is None or settings.mongo_database is None:
            app.state.events = None
            yield
            return
        client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
            settings.mongo_url, tz_aware=True, timeoutMS=MONGO_TIMEOUT_MS
        )
        app.state.events = client[settings.mongo_database]["events"]
        try:
            yield
        finally:
            await client.close()

    app = FastAPI(lifespan=lifespan)

    @app.get("/events")
    async def read_events(
        request: Request, category: str, limit: int = 20, offset: int = 0
    ) -> dict[str, Any]:
        events = request.app.state.events
        if events is None:
            raise HTTPException(status_code=503, detail="MONGO_URL and MONGO_DATABASE are not set")
        conditions = {"deleted_at": None, "category": category}
        hint = LISTING.index_for(conditions)
        cursor = events.find(conditions, hint=hint).sort(LISTING.order).skip(offset).limit(limit)
        items = [_public(stored) async for stored in cursor]
        total = await events.count_documents(conditions, hint=hint)
        return {"items": items, "total": total, "limit": limit, "offset": offset}

    @app.get("/events/{event_id}")
    async def read_event(event_id: str) -> dict[str, Any]:
        return {"id": event_id, **EVENT}

    @app.get("/ready")
    async def read_readiness() -> dict[str, str]:
        return {"status": "ok"}

    return app


if __name__ == "__main__":
    serve("bare", "bench.bare:create_app", BareSettings())
