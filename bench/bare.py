"""A bare FastAPI endpoint, served exactly as the services are (`shared.app.serve`): the overhead baseline.

`python -m bench.bare` with PORT set. It answers `GET /events/{id}` with a constant event of the same
shape as the event service's, and `GET /ready` so it is started like a service.
"""

from typing import Any

from fastapi import FastAPI

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


def create_app() -> FastAPI:
    app = FastAPI()

    @app.get("/events/{event_id}")
    async def read_event(event_id: str) -> dict[str, Any]:
        return {"id": event_id, **EVENT}

    @app.get("/ready")
    async def read_readiness() -> dict[str, str]:
        return {"status": "ok"}

    return app


class BareSettings(ServiceSettings):
    pass


if __name__ == "__main__":
    serve("bare", "bench.bare:create_app", BareSettings())
