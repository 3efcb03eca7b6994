"""An event service per test on a database of its own, trusting tokens from the real user service.

Each test gets its own app because a Beanie model is bound to one database at a time: apps that
lived side by side would write into each other's store.
"""

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from event_service.main import create_app
from event_service.models import Event
from event_service.settings import EventSettings
from tests import apps
from tests.conftest import Account, MessageTap, wait_for

EVENT_TYPES = ("event.created", "event.updated", "event.cancelled", "event.deleted")


def in_days(days: float, hour: int = 19) -> str:
    """Returns an ISO 8601 moment `days` from now at `hour` UTC, so it is always in the future."""
    day = datetime.now(UTC) + timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0).isoformat()


def event_body(**overrides: Any) -> dict[str, Any]:
    return {
        "title": "Jazz on the Roof",
        "description": "Standards with the Marlow Trio.",
        "venue": "Skyline Terrace",
        "category": "music",
        "starts_at": in_days(30, hour=18),
        "ends_at": in_days(30, hour=21),
        "capacity": 120,
        "price": 2500,
        "currency": "EUR",
        **overrides,
    }


async def create_event(client: httpx.AsyncClient, account: Account, **overrides: Any) -> dict[str, Any]:
    response = await client.post("/events", json=event_body(**overrides), headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()


@asynccontextmanager
async def running(settings: EventSettings, *, wait_ready: bool = True) -> AsyncIterator[FastAPI]:
    """Runs an app on a fresh database (dropped afterwards); waits until ready unless told not to."""
    database = f"test_event_db_{uuid.uuid4().hex[:12]}"
    app = create_app(settings.model_copy(update={"mongo_database": database}))
    async with apps.running(app):
        try:
            if wait_ready:
                async with client_for(app) as client:
                    await apps.wait_ready(client)
            yield app
        finally:
            await app.state.store.database.client.drop_database(database)


def client_for(app: FastAPI) -> httpx.AsyncClient:
    return apps.asgi_client(app, "http://events.test")


async def unsent_messages() -> int:
    """Returns how many events still hold messages the relay has not published."""
    return await Event.get_pymongo_collection().count_documents({"outbox.0": {"$exists": True}})


def messages_for(tap: MessageTap, event_id: str) -> list[dict[str, Any]]:
    return [message for message in tap.messages if message["data"].get("event_id") == event_id]


async def settle(client: httpx.AsyncClient, tap: MessageTap, organizer: Account) -> None:
    """Returns once every message staged so far has reached `tap`, so counting them is final.

    When no outbox holds a message, every earlier one was confirmed into the tap's queue; a marker
    published after that arrives behind them.
    """
    await wait_for(_all_sent)
    marker = await create_event(client, organizer, title="marker")
    await wait_for(lambda: _arrived(tap, marker["id"]))


async def _all_sent() -> bool:
    return await unsent_messages() == 0


async def _arrived(tap: MessageTap, event_id: str) -> bool:
    return bool(messages_for(tap, event_id))


@pytest.fixture(scope="session")
async def event_settings(
    service_settings: Callable[..., Any], mongo_url: str, event_queue_prefix: str
) -> EventSettings:
    """Settings on the run's exchange, with a sales queue no other run shares."""
    settings: EventSettings = service_settings(
        EventSettings, mongo_url=mongo_url, outbox_poll_seconds=0.2, queue_prefix=event_queue_prefix
    )
    return settings


@pytest.fixture
async def app(event_settings: EventSettings) -> AsyncIterator[FastAPI]:
    async with running(event_settings) as app:
        yield app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(app) as client:
        yield client


@pytest.fixture
async def tap(tap_messages: Callable[[str], Awaitable[MessageTap]]) -> MessageTap:
    return await tap_messages("event.*")


@pytest.fixture(scope="session")
async def organizer(make_account: Callable[..., Awaitable[Account]]) -> Account:
    return await make_account("organizer")


@pytest.fixture(scope="session")
async def other_organizer(make_account: Callable[..., Awaitable[Account]]) -> Account:
    return await make_account("organizer")


@pytest.fixture(scope="session")
async def attendee(make_account: Callable[..., Awaitable[Account]]) -> Account:
    return await make_account()


@pytest.fixture(scope="session")
async def admin(make_account: Callable[..., Awaitable[Account]]) -> Account:
    return await make_account("admin")
