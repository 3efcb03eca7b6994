"""Services that can be cut off from RabbitMQ, PostgreSQL or MongoDB, or killed mid-request, and brought back.

Cuts go through `TcpProxy`, so the service sees what a network cut looks like: open connections
drop and new ones are refused until the proxy is restored; a frozen proxy keeps them open and
moves nothing, as a host that stops answering would. A kill is a real SIGKILL of a service
process (`ServiceProcess`); its MongoDB server, this run's (the `mongo_url` fixture), outlives it
as a real one would. The databases a test takes there (`fresh_mongo_database`) are dropped after
it; a test that kills MongoDB itself runs a server of its own.
"""

import asyncio
import json
import os
import signal
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aio_pika
import httpx
import pytest

from scripts.embedded_mongo import drop_databases
from shared.messages import BookingConfirmed
from shared.messaging import Broker, build_envelope
from shared.settings import ServiceSettings
from tests.conftest import Account, wait_for
from tests.tcp_proxy import TcpProxy, free_port

ROOT = Path(__file__).resolve().parents[2]
RABBITMQ = ("127.0.0.1", 5672)
POSTGRES = ("127.0.0.1", 5432)
# The notification service's durable store queues, after its queue prefix.
NOTIFICATION_QUEUE_FAMILIES = ("events", "bookings", "payments", "users")


async def is_ready(url: str) -> bool:
    try:
        async with httpx.AsyncClient(base_url=url) as client:
            return (await client.get("/ready")).status_code == 200
    except httpx.TransportError:
        return False


async def wait_ready(url: str) -> None:
    await wait_for(lambda: is_ready(url), timeout=30)


async def start_proxy(target: tuple[str, int]) -> TcpProxy:
    proxy = TcpProxy(*target)
    await proxy.start()
    return proxy


def environment(settings: ServiceSettings) -> dict[str, str]:
    """Returns `settings` as the environment variables `python -m <service>` reads them from."""
    variables = {}
    for name, value in settings.model_dump(mode="json").items():
        if value is not None:
            variables[name.upper()] = value if isinstance(value, str) else json.dumps(value)
    return variables


class ServiceProcess:
    """`python -m <module>` as a real process; `kill` is SIGKILL."""

    def __init__(self, module: str, settings: ServiceSettings) -> None:
        self.module = module
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._environment = {
            **os.environ,
            **environment(settings),
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "LOG_LEVEL": "WARNING",
        }
        self._process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", self.module, cwd=ROOT, env=self._environment
        )
        self._process = process

        async def answering() -> bool:
            # One that dies while starting fails the test now, with its exit code, not in 30 s.
            assert process.returncode is None, f"{self.module} exited with {process.returncode}"
            return await is_ready(self.url)

        await wait_for(answering, timeout=30)

    async def kill(self) -> None:
        assert self._process is not None
        self._process.send_signal(signal.SIGKILL)
        await self._process.wait()
        self._process = None

    async def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            await asyncio.wait_for(self._process.wait(), timeout=20)
            self._process = None


@pytest.fixture
async def delete_queues(amqp: aio_pika.abc.AbstractRobustConnection) -> AsyncIterator[Callable[..., None]]:
    """Returns a function naming durable queues (and their dead-letter queues) to delete after the test."""
    names: list[str] = []

    def delete(*queues: str) -> None:
        names.extend(name for queue in queues for name in (queue, f"{queue}.dlq"))

    yield delete
    channel = await amqp.channel()
    for name in names:
        await channel.queue_delete(name)
    await channel.close()


@pytest.fixture
def unique_name(run_id: str) -> Callable[[str], str]:
    """Returns a function making a database or queue prefix no other test uses."""

    def make(kind: str) -> str:
        return f"test_faults_{kind}_{run_id}_{uuid.uuid4().hex[:6]}"

    return make


@pytest.fixture
async def fresh_mongo_database(
    mongo_url: str, unique_name: Callable[[str], str]
) -> AsyncIterator[Callable[[str], str]]:
    """Returns a function naming a MongoDB database of this run's server; drops each after the test."""
    named: list[str] = []

    def name(kind: str) -> str:
        named.append(unique_name(kind))
        return named[-1]

    yield name
    await drop_databases(mongo_url, *named)


async def all_pages(
    client: httpx.AsyncClient, path: str, headers: dict[str, str], **params: Any
) -> list[dict[str, Any]]:
    """Returns every item of a paginated listing."""
    items: list[dict[str, Any]] = []
    while True:
        response = await client.get(
            path, params={**params, "limit": 100, "offset": len(items)}, headers=headers
        )
        assert response.status_code == 200, response.text
        page = response.json()
        items.extend(page["items"])
        if len(items) >= page["total"] or not page["items"]:
            return items


async def booking_notifications(client: httpx.AsyncClient, account: Account) -> dict[str, tuple[str, str]]:
    """Returns (type, booking id) of the account's notifications about bookings, by notification id.

    Pages overlap or skip while notifications are still arriving; keyed by id, a notification seen
    twice counts once, and one skipped is seen on the next read.
    """
    items = await all_pages(client, "/notifications", account.headers)
    return {
        item["id"]: (item["type"], item["data"]["booking_id"])
        for item in items
        if "booking_id" in item["data"]
    }


def notification_queues(prefix: str) -> list[str]:
    return [f"{prefix}.{family}" for family in NOTIFICATION_QUEUE_FAMILIES]


def booking_confirmed(booker: Account, organizer: Account) -> BookingConfirmed:
    """Returns a new booking of one ticket, told as the booking service tells it."""
    return BookingConfirmed(
        booking_id=uuid.uuid4().hex,
        user_id=booker.id,
        event_id="crash-event",
        event_title="Kill Switch Live",
        event_owner_id=organizer.id,
        tickets=1,
        amount=2000,
        currency="EUR",
        payment_id=uuid.uuid4().hex,
    )


async def publish_all(producer: Broker, messages: list[BookingConfirmed]) -> None:
    for message in messages:
        await producer.publish(build_envelope("booking_service", message))


async def stored_count(url: str, account: Account) -> int:
    """Returns how many notifications the service at `url` holds for `account`."""
    async with httpx.AsyncClient(base_url=url) as client:
        response = await client.get("/notifications", params={"limit": 1}, headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()["total"]


async def assert_each_stored_once(
    url: str, messages: list[BookingConfirmed], *, organizer: Account, bookers: list[Account]
) -> None:
    """Waits until every message has its two notifications stored, then fails if any is there twice.

    Each confirmed booking tells the organizer that tickets sold and the booker that it is confirmed.
    """
    sold_expected = sorted(("tickets.sold", message.booking_id) for message in messages)
    booked_expected = sorted(("booking.confirmed", message.booking_id) for message in messages)
    async with httpx.AsyncClient(base_url=url) as client:

        async def told() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
            sold = await booking_notifications(client, organizer)
            booked = [
                told for booker in bookers for told in (await booking_notifications(client, booker)).values()
            ]
            return sorted(sold.values()), sorted(booked)

        async def everything_stored() -> bool:
            sold, booked = await told()
            return set(sold) >= set(sold_expected) and set(booked) >= set(booked_expected)

        await wait_for(everything_stored, timeout=30, interval=0.5)
        sold, booked = await told()

    assert sold == sold_expected
    assert booked == booked_expected


async def dead_lettered(amqp: aio_pika.abc.AbstractRobustConnection, queues: list[str]) -> int:
    """Returns how many messages wait in the dead-letter queues of `queues`: each one never handled."""
    channel = await amqp.channel()
    try:
        counts = [
            (await channel.declare_queue(f"{queue}.dlq", passive=True)).declaration_result.message_count
            for queue in queues
        ]
    finally:
        await channel.close()
    return sum(count or 0 for count in counts)


@pytest.fixture
def queue_prefix(unique_name: Callable[[str], str], delete_queues: Callable[..., None]) -> str:
    prefix = unique_name("notification")
    delete_queues(*notification_queues(prefix))
    return prefix
