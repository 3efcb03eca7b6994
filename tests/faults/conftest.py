"""Services that can be cut off from RabbitMQ, PostgreSQL or MongoDB, or killed mid-request, and brought back.

Cuts go through `TcpProxy`, so the service sees what a network cut looks like: open connections
drop and new ones are refused until the proxy is restored; a frozen proxy keeps them open and
moves nothing, as a host that stops answering would. A kill is a real SIGKILL of a service
process (`ServiceProcess`); its MongoDB server, this run's (the `mongo_url` fixture), outlives it
as a real one would. The databases a test takes there (`fresh_mongo_database`, tests/conftest.py)
are dropped after it; a test that kills MongoDB itself runs a server of its own.
"""

import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import aio_pika
import httpx
import pytest

from shared.messages import BookingConfirmed
from shared.messaging import Broker, build_envelope
from shared.settings import ServiceSettings
from tests import processes
from tests.apps import wait_for
from tests.apps import wait_ready as wait_ready
from tests.backends import durable_queues, remove_queues
from tests.conftest import Account
from tests.tcp_proxy import TcpProxy

RABBITMQ = ("127.0.0.1", 5672)
POSTGRES = ("127.0.0.1", 5432)


async def start_proxy(target: tuple[str, int]) -> TcpProxy:
    proxy = TcpProxy(*target)
    await proxy.start()
    return proxy


class ServiceProcess(processes.ServiceProcess):
    """`python -m <module>` as a real process with `settings`, logging warnings only; `kill` is SIGKILL."""

    def __init__(self, module: str, settings: ServiceSettings) -> None:
        variables = {**processes.environment(settings), "HOST": "127.0.0.1", "LOG_LEVEL": "WARNING"}
        super().__init__(module, variables)


@pytest.fixture
async def delete_queues(amqp: aio_pika.abc.AbstractRobustConnection) -> AsyncIterator[Callable[..., None]]:
    """Returns a function naming durable queues (and their dead-letter queues) to delete after the test."""
    names: list[str] = []

    def delete(*queues: str) -> None:
        names.extend(queues)

    yield delete
    await remove_queues(amqp, names)


@pytest.fixture
def unique_name(run_id: str) -> Callable[[str], str]:
    """Returns a function making a database or queue prefix no other test uses."""

    def make(kind: str) -> str:
        return f"test_faults_{kind}_{run_id}_{uuid.uuid4().hex[:6]}"

    return make


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
    return durable_queues("notification_service", prefix)


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
