"""A MongoDB host that stops answering: 503 within the store's timeout, `/ready` names it, recovery by itself.

Real: the payment service (uvicorn, in this process), this run's MongoDB server and RabbitMQ. The
service reaches MongoDB through a `TcpProxy` that is frozen: connections stay open and new ones
are accepted, but no byte moves, as with a hung host or a partition that drops packets. Nothing
tells the driver the server is gone, so only its timeouts (`mongo_timeout_seconds`) can turn a
request that would hang into a 503. What was sent meanwhile is delivered once the proxy thaws, as
TCP would after a partition: a charge answered 503 may still have been made, and its retry with
the same Idempotency-Key finds it instead of charging twice.
"""

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from pymongo.uri_parser import parse_uri

from payment_service.main import create_app as create_payment_app
from payment_service.settings import PaymentSettings
from tests.conftest import Account, wait_for
from tests.faults.conftest import all_pages, start_proxy, wait_ready
from tests.servers import serve
from tests.tcp_proxy import TcpProxy

MONGO_TIMEOUT_SECONDS = 1.0
# Measured at 1.1-1.5 s. Without an operation timeout the driver would still give up, but only once
# its monitor's next heartbeat (every 10 s) timed out: about 12 s. The bound tells the two apart.
ANSWER_WITHIN_SECONDS = 6.0
RECOVERY_SECONDS = 15.0
BURST = 20  # more requests than the pool has connections ready, so some wait for one
UNAVAILABLE = "The database is unavailable; try again shortly."


def _through(proxy: TcpProxy, mongo_url: str) -> str:
    """Returns `mongo_url` with its host replaced by the proxy, reached directly.

    `directConnection` keeps the driver on the proxy even if the server names other members.
    """
    parts = urlsplit(mongo_url)
    credentials = parts.netloc.rpartition("@")[0]
    netloc = f"{credentials}@" if credentials else ""
    query = "&".join(option for option in (parts.query, "directConnection=true") if option)
    return urlunsplit((parts.scheme, f"{netloc}127.0.0.1:{proxy.port}", parts.path or "/", query, ""))


@pytest.fixture
async def database(mongo_url: str) -> AsyncIterator[TcpProxy]:
    """A proxy to this run's MongoDB server, that the test can freeze."""
    nodes = [] if mongo_url.startswith("mongodb+srv://") else parse_uri(mongo_url)["nodelist"]
    if len(nodes) != 1:
        pytest.fail("one proxy stands in for one MongoDB host; TEST_MONGO_URL must name a single host")
    proxy = await start_proxy(nodes[0])
    try:
        yield proxy
    finally:
        proxy.thaw()
        await proxy.stop()


@pytest.fixture
def payment_settings(
    database: TcpProxy,
    mongo_url: str,
    exchange_name: str,
    user_service_url: str,
    fresh_mongo_database: Callable[[str], str],
) -> PaymentSettings:
    return PaymentSettings(
        env="test",
        event_exchange=exchange_name,
        broker_retry_seconds=0.2,
        jwks_url=f"{user_service_url}/.well-known/jwks.json",
        mongo_url=_through(database, mongo_url),
        mongo_database=fresh_mongo_database("payments"),
        mongo_timeout_seconds=MONGO_TIMEOUT_SECONDS,
        mongo_retry_seconds=0.2,
    )


@dataclass(frozen=True)
class Timed:
    response: httpx.Response
    seconds: float


async def _timed(request: Awaitable[httpx.Response]) -> Timed:
    started = time.monotonic()
    response = await request
    return Timed(response, time.monotonic() - started)


def _assert_unavailable_soon(answer: Timed) -> None:
    assert answer.response.status_code == 503, answer.response.text
    assert answer.seconds < ANSWER_WITHIN_SECONDS, f"answered after {answer.seconds:.1f}s"


def _charge(payer: Account) -> tuple[dict[str, str], dict[str, Any]]:
    """Returns the Idempotency-Key header and the body of a new charge."""
    body = {"booking_id": uuid.uuid4().hex, "user_id": payer.id, "amount": 2500, "currency": "EUR"}
    return {"Idempotency-Key": uuid.uuid4().hex}, body


async def _ready(client: httpx.AsyncClient) -> bool:
    return (await client.get("/ready")).status_code == 200


async def _assert_database_reported_down(client: httpx.AsyncClient) -> None:
    ready = await _timed(client.get("/ready"))
    _assert_unavailable_soon(ready)
    assert ready.response.json()["status"] == "unavailable: database"
    assert ready.response.json()["checks"]["broker"] == "ok"
    assert (await client.get("/health")).status_code == 200


async def test_a_database_that_stops_answering_is_503_within_the_timeout_and_recovers_by_itself(
    database: TcpProxy,
    payment_settings: PaymentSettings,
    service_token: str,
    make_account: Callable[..., Awaitable[Account]],
) -> None:
    payer = await make_account()
    service = {"Authorization": f"Bearer {service_token}"}
    async with (
        serve(create_payment_app(payment_settings)) as url,
        httpx.AsyncClient(base_url=url, headers=service, timeout=60) as client,
    ):
        await wait_ready(url)
        key, body = _charge(payer)
        paid = await client.post("/payments", json=body, headers=key)
        assert paid.status_code == 201, paid.text

        database.freeze()
        try:
            pending_key, pending_body = _charge(payer)
            charging = _timed(client.post("/payments", json=pending_body, headers=pending_key))
            reading = (_timed(client.get(f"/payments/{paid.json()['id']}")) for _ in range(BURST))
            answers = await asyncio.gather(charging, *reading, _timed(client.get("/payments")))
            for answer in answers:
                _assert_unavailable_soon(answer)
                assert answer.response.json()["detail"] == UNAVAILABLE
            await _assert_database_reported_down(client)
        finally:
            database.thaw()

        await wait_for(lambda: _ready(client), timeout=RECOVERY_SECONDS)
        assert (await client.get(f"/payments/{paid.json()['id']}")).json() == paid.json()
        retried = await client.post("/payments", json=pending_body, headers=pending_key)
        assert retried.status_code == 201, retried.text
        charged = await all_pages(client, "/payments", service, user_id=payer.id)

    assert sorted(payment["booking_id"] for payment in charged) == sorted(
        (body["booking_id"], pending_body["booking_id"])
    ), "a charge was lost or made twice"


async def test_a_service_started_while_its_database_hangs_becomes_ready_once_it_answers(
    database: TcpProxy, payment_settings: PaymentSettings
) -> None:
    database.freeze()
    try:
        started = time.monotonic()
        async with serve(create_payment_app(payment_settings)) as url:
            assert time.monotonic() - started < ANSWER_WITHIN_SECONDS, "start-up waited on the database"
            async with httpx.AsyncClient(base_url=url, timeout=60) as client:
                await _assert_database_reported_down(client)
                database.thaw()
                await wait_for(lambda: _ready(client), timeout=RECOVERY_SECONDS)
    finally:
        database.thaw()
