"""The MongoDB server itself killed (SIGKILL) mid-stream, then started again on the same port and files.

Real: the payment and notification services (uvicorn, in this process), RabbitMQ, and a SecantusDB
server of each test's own, its files under the test's tmp_path. While the server is down, whatever
needs it answers 503 (never 500) and `/ready` names the database; once it is back, the services
carry on without a restart. Nothing the database had acknowledged is lost with the process that
held it: every payment answered 201 is still there as answered, and every message a replica acked
has its notifications stored. Nothing is stored twice: a payment retried with its Idempotency-Key
after a 503 is the payment already made, if the write landed before the crash; a message delivered
again after one stores nothing more.
"""

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aio_pika
import httpx
import pytest

from notification_service.main import create_app as create_notification_app
from notification_service.settings import NotificationSettings
from payment_service.main import create_app as create_payment_app
from payment_service.settings import PaymentSettings
from scripts.embedded_mongo import EmbeddedMongo
from shared.messaging import Broker
from tests.conftest import Account, wait_for
from tests.faults.conftest import (
    all_pages,
    assert_each_stored_once,
    booking_confirmed,
    dead_lettered,
    notification_queues,
    publish_all,
    stored_count,
    wait_ready,
)
from tests.servers import serve
from tests.tcp_proxy import free_port

# Short, so that each request during the outage gives up quickly and the test stays short.
MONGO_TIMEOUT_SECONDS = 1.0
UNAVAILABLE = "The database is unavailable; try again shortly."

PAYING_WORKERS = 6
PAID_BEFORE_KILL = 30
REFUSED_WHILE_DOWN = 2 * PAYING_WORKERS
PAID_AFTER_RESTART = 30

BEFORE_KILL = 240  # messages published before the kill
WHILE_DOWN = 60  # and while the database is down
KILL_AT = 40  # stored notifications for the organizer when the kill comes


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[EmbeddedMongo]:
    """A MongoDB server of this test alone, keeping its files under tmp_path so a restart reopens them."""
    server = EmbeddedMongo(port=free_port(), storage=tmp_path / "mongo")
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def _service_settings(
    database: EmbeddedMongo, exchange_name: str, user_service_url: str, name: str
) -> dict[str, Any]:
    return {
        "env": "test",
        "event_exchange": exchange_name,
        "broker_retry_seconds": 0.2,
        "jwks_url": f"{user_service_url}/.well-known/jwks.json",
        "mongo_url": database.url,
        "mongo_database": name,
        "mongo_timeout_seconds": MONGO_TIMEOUT_SECONDS,
        "mongo_retry_seconds": 0.2,
    }


@pytest.fixture
async def payments(
    database: EmbeddedMongo, exchange_name: str, user_service_url: str, unique_name: Callable[[str], str]
) -> AsyncIterator[str]:
    settings = PaymentSettings(
        **_service_settings(database, exchange_name, user_service_url, unique_name("payments"))
    )
    async with serve(create_payment_app(settings)) as url:
        await wait_ready(url)
        yield url


@pytest.fixture
async def notifications(
    database: EmbeddedMongo,
    exchange_name: str,
    user_service_url: str,
    unique_name: Callable[[str], str],
    queue_prefix: str,
) -> AsyncIterator[str]:
    settings = NotificationSettings(
        **_service_settings(database, exchange_name, user_service_url, unique_name("notifications")),
        queue_prefix=queue_prefix,
    )
    async with serve(create_notification_app(settings)) as url:
        await wait_ready(url)
        yield url


async def _assert_database_reported_down(client: httpx.AsyncClient) -> None:
    ready = await client.get("/ready")
    assert ready.status_code == 503, ready.text
    assert ready.json()["status"] == "unavailable: database"
    assert ready.json()["checks"]["broker"] == "ok"


def _assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.json()["detail"] == UNAVAILABLE
    assert response.headers["Retry-After"]


@dataclass(frozen=True)
class Attempt:
    key: str
    body: dict[str, Any]
    response: httpx.Response


class PaymentStream:
    """Pays one new booking after another on a few concurrent requests, until stopped; keeps every answer."""

    def __init__(self, client: httpx.AsyncClient, payer: Account) -> None:
        self.client = client
        self.payer = payer
        self.attempts: list[Attempt] = []
        self._stopping = asyncio.Event()
        self._workers: list[asyncio.Task[None]] = []

    def start(self, workers: int) -> None:
        self._workers = [asyncio.create_task(self._pay_until_stopped()) for _ in range(workers)]

    async def stop(self) -> None:
        self._stopping.set()
        await asyncio.gather(*self._workers)

    def answered(self, status: int) -> list[Attempt]:
        return [attempt for attempt in self.attempts if attempt.response.status_code == status]

    async def reached(self, status: int, count: int) -> bool:
        """Whether `count` payments were answered `status` (a condition for `wait_for`)."""
        return len(self.answered(status)) >= count

    async def pay(self, key: str, body: dict[str, Any]) -> httpx.Response:
        return await self.client.post("/payments", json=body, headers={"Idempotency-Key": key})

    async def _pay_until_stopped(self) -> None:
        while not self._stopping.is_set():
            key = uuid.uuid4().hex
            body = {
                "booking_id": uuid.uuid4().hex,
                "user_id": self.payer.id,
                "amount": 1000 + len(self.attempts),
                "currency": "EUR",
            }
            self.attempts.append(Attempt(key, body, await self.pay(key, body)))


async def test_payments_through_a_database_crash_are_neither_lost_nor_doubled(
    payments: str,
    database: EmbeddedMongo,
    service_token: str,
    make_account: Callable[..., Awaitable[Account]],
) -> None:
    payer = await make_account()
    service = {"Authorization": f"Bearer {service_token}"}
    async with httpx.AsyncClient(base_url=payments, headers=service, timeout=30) as client:
        stream = PaymentStream(client, payer)
        stream.start(PAYING_WORKERS)
        try:
            await wait_for(lambda: stream.reached(201, PAID_BEFORE_KILL))
            await database.kill()
            await wait_for(lambda: stream.reached(503, REFUSED_WHILE_DOWN))
            await _assert_database_reported_down(client)
            made = stream.answered(201)[0].response.json()["id"]
            _assert_unavailable(await client.get(f"/payments/{made}"))

            await database.start()
            paid_before = len(stream.answered(201))
            await wait_for(lambda: stream.reached(201, paid_before + PAID_AFTER_RESTART), timeout=30)
        finally:
            await stream.stop()
        assert (await client.get("/ready")).status_code == 200

        statuses = Counter(attempt.response.status_code for attempt in stream.attempts)
        assert set(statuses) <= {201, 503}, [
            (attempt.response.status_code, attempt.response.text)
            for attempt in stream.attempts
            if attempt.response.status_code not in (201, 503)
        ]
        for attempt in stream.answered(503):
            _assert_unavailable(attempt.response)

        # Every payment answered 201 is there as it was answered.
        stored = {payment["id"]: payment for payment in await all_pages(client, "/payments", service)}
        for attempt in stream.answered(201):
            assert stored.get(attempt.response.json()["id"]) == attempt.response.json()

        # A 503 may hide a write that landed before the crash: retried with its key, it is that payment.
        retried = [await stream.pay(attempt.key, attempt.body) for attempt in stream.answered(503)]
        assert {response.status_code for response in retried} == {201}, [r.text for r in retried]
        stored_after = await all_pages(client, "/payments", service)

    booking_ids = [payment["booking_id"] for payment in stored_after]
    assert len(booking_ids) == len(set(booking_ids)), "a booking was charged twice"
    assert sorted(booking_ids) == sorted(attempt.body["booking_id"] for attempt in stream.attempts)
    answers = [attempt.response for attempt in stream.answered(201)] + retried
    assert {response.json()["id"] for response in answers} == {payment["id"] for payment in stored_after}


async def test_messages_through_a_database_crash_are_each_stored_once(
    notifications: str,
    database: EmbeddedMongo,
    producer: Broker,
    make_account: Callable[..., Awaitable[Account]],
    amqp: aio_pika.abc.AbstractRobustConnection,
    queue_prefix: str,
) -> None:
    organizer = await make_account()
    bookers = [await make_account() for _ in range(3)]
    messages = [
        booking_confirmed(bookers[number % len(bookers)], organizer)
        for number in range(BEFORE_KILL + WHILE_DOWN)
    ]
    publishing = asyncio.create_task(publish_all(producer, messages[:BEFORE_KILL]))

    async def mid_stream() -> int | None:
        stored = await stored_count(notifications, organizer)
        return stored if stored >= KILL_AT else None

    stored_at_kill = await wait_for(mid_stream)
    await database.kill()
    await publishing
    assert stored_at_kill < BEFORE_KILL, "the stream was over before the kill"
    async with httpx.AsyncClient(base_url=notifications, timeout=30) as client:
        await _assert_database_reported_down(client)
        _assert_unavailable(await client.get("/notifications", headers=organizer.headers))
        await publish_all(producer, messages[BEFORE_KILL:])

        await database.start()
        await assert_each_stored_once(notifications, messages, organizer=organizer, bookers=bookers)
        assert (await client.get("/ready")).status_code == 200
    # Messages that met the outage waited in their queues; none was given up on.
    assert await dead_lettered(amqp, notification_queues(queue_prefix)) == 0
