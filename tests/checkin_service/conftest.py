"""A check-in service over real HTTP, on a database and queue of its own, fed by real messages.

Its tests publish what the event and booking services would (tests/checkin_service/facts.py) with the
run's producer, as those services do: on the run's exchange, as CloudEvents, with confirms.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aio_pika
import httpx
import pytest

from checkin_service.main import create_app
from checkin_service.settings import CheckinSettings
from shared.messages import BookingConfirmed, EventCreated, MessageData
from shared.messaging import Broker, build_envelope
from tests.accounts import DEV_ADMIN, Account
from tests.apps import served, wait_for
from tests.backends import durable_queues, remove_queues
from tests.checkin_service.facts import booking_confirmed, event_created
from tests.tcp_proxy import free_port


@pytest.fixture(scope="package")
async def checkin_settings(
    create_database: Callable[[str], Awaitable[str]],
    service_settings: Callable[..., Any],
    run_id: str,
    tmp_path_factory: pytest.TempPathFactory,
    amqp: aio_pika.abc.AbstractRobustConnection,
) -> AsyncIterator[CheckinSettings]:
    settings: CheckinSettings = service_settings(
        CheckinSettings,
        database_url=await create_database("checkin"),
        queue_prefix=f"test_checkin_{run_id}",
        ticket_signing_key_file=Path(tmp_path_factory.mktemp("checkin")) / "ticket_key.pem",
        # No event service: every event here comes in an `event.*` snapshot first.
        event_service_url=f"http://127.0.0.1:{free_port()}",
        event_service_timeout_seconds=1.0,
        outbox_poll_seconds=0.2,
    )
    yield settings
    await remove_queues(amqp, durable_queues("checkin_service", settings.queue_prefix))


@pytest.fixture(scope="package")
async def checkin_url(checkin_settings: CheckinSettings) -> AsyncIterator[str]:
    async with served(create_app(checkin_settings)) as url:
        yield url


@pytest.fixture
async def checkin(checkin_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=checkin_url, timeout=30) as client:
        yield client


@pytest.fixture(scope="package")
async def admin(user_service_url: str) -> Account:
    async with httpx.AsyncClient(base_url=user_service_url) as client:
        response = await client.post("/login", json=DEV_ADMIN)
    return Account(id=response.json()["user_id"], username="admin", token=response.json()["access_token"])


async def publish(producer: Broker, *messages: MessageData) -> None:
    """Publishes each message as its owner service would."""
    for message in messages:
        await producer.publish(build_envelope("tests", message))


async def tickets_of(
    client: httpx.AsyncClient, booking_id: str, account: Account, count: int
) -> list[dict[str, Any]]:
    """Returns the booking's tickets once `count` of them were issued."""

    async def issued() -> list[dict[str, Any]] | None:
        response = await client.get(f"/bookings/{booking_id}/tickets", headers=account.headers)
        if response.status_code != 200:
            return None
        items = response.json()["items"]
        return items if len(items) >= count else None

    return await wait_for(issued)


async def event_known(client: httpx.AsyncClient, event_id: str, organizer: Account) -> None:
    """Returns once the service has the event (its organizer can list its door staff)."""

    async def known() -> bool:
        response = await client.get(f"/events/{event_id}/door-staff", headers=organizer.headers)
        return response.status_code == 200

    await wait_for(known)


@dataclass
class Stage:
    """An event known to the check-in service, its organizer, and a check-in list at it."""

    event: EventCreated
    organizer: Account
    list_id: str

    async def scan(self, client: httpx.AsyncClient, secret: str, nonce: str, **body: Any) -> dict[str, Any]:
        """Scans `secret` at the list as the organizer; returns the answer (a verdict is always 200)."""
        response = await client.post(
            f"/checkin-lists/{self.list_id}/scans",
            json={"secret": secret, "nonce": nonce, **body},
            headers=self.organizer.headers,
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def report(self, client: httpx.AsyncClient) -> dict[str, Any]:
        response = await client.get(f"/checkin-lists/{self.list_id}", headers=self.organizer.headers)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
async def make_stage(
    checkin: httpx.AsyncClient, producer: Broker, make_account: Callable[..., Awaitable[Account]]
) -> Callable[..., Awaitable[Stage]]:
    """Returns a function publishing an event (`event_created` overrides) with a list (`list_fields`)."""

    async def make(list_fields: dict[str, Any] | None = None, **overrides: Any) -> Stage:
        organizer = await make_account("organizer")
        event = event_created(organizer.id, **overrides)
        await publish(producer, event)
        await event_known(checkin, event.event_id, organizer)
        response = await checkin.post(
            f"/events/{event.event_id}/checkin-lists",
            json={"name": "Main entrance", **(list_fields or {})},
            headers=organizer.headers,
        )
        assert response.status_code == 201, response.text
        return Stage(event=event, organizer=organizer, list_id=response.json()["id"])

    return make


@pytest.fixture
async def buy(
    checkin: httpx.AsyncClient, producer: Broker
) -> Callable[..., Awaitable[tuple[BookingConfirmed, list[dict[str, Any]]]]]:
    """Returns a function confirming a booking of `account` at `event`; gives it and its tickets."""

    async def confirm(
        event: EventCreated, account: Account, items: list[tuple[str, int]] | None = None, **fields: Any
    ) -> tuple[BookingConfirmed, list[dict[str, Any]]]:
        booking = booking_confirmed(event, account.id, items or [(event.event_id, 1)], **fields)
        await publish(producer, booking)
        return booking, await tickets_of(checkin, booking.booking_id, account, booking.tickets)

    return confirm


async def gather_scans(
    client: httpx.AsyncClient, stage: Stage, secret: str, count: int
) -> list[dict[str, Any]]:
    """Sends `count` scans of one secret at once, each with a nonce of its own."""
    return await asyncio.gather(
        *(stage.scan(client, secret, nonce=f"gate{index}-{stage.list_id[:8]}") for index in range(count))
    )
