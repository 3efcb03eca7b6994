"""W3C `traceparent` with no span exported (the default): a request's trace reaches its logs, the calls it
makes and the messages it publishes, and a consumed message's trace reaches what its handler does."""

import asyncio
import io
import json
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import httpx
import pytest
from aio_pika.abc import AbstractRobustConnection
from fastapi import APIRouter, FastAPI

from booking_service.upstream import Upstream
from shared.app import create_service_app
from shared.messages import UserRegistered
from shared.messaging import Broker, Consumer, build_envelope
from shared.observability import JsonFormatter
from shared.settings import ServiceSettings
from shared.tracing import current_traceparent
from tests.apps import wait_for
from tests.backends import RABBITMQ_URL
from tests.messages import user_registered

TRACE = f"{random.getrandbits(128):032x}"
CALLER = f"{random.getrandbits(64):016x}"
TRACEPARENT = f"00-{TRACE}-{CALLER}-01"


class _Settings(ServiceSettings):
    port: int = 0


async def _echo_traceparent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A service that answers each request with the `traceparent` header it came with."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
    line = next((line for line in head.split("\r\n") if line.startswith("traceparent:")), "traceparent: ")
    body = line.split(":", 1)[1].strip().encode()
    writer.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
    await writer.drain()
    writer.close()


@pytest.fixture
async def upstream() -> AsyncIterator[Upstream]:
    server = await asyncio.start_server(_echo_traceparent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with Upstream(f"http://127.0.0.1:{port}", connections=1, timeout=5, idle_seconds=1) as called:
        yield called
    server.close()
    await server.wait_closed()


@pytest.fixture
async def client(upstream: Upstream) -> AsyncIterator[httpx.AsyncClient]:
    router = APIRouter()

    @router.get("/traced")
    async def read_traced() -> dict[str, str | None]:
        logging.getLogger("tests.tracing").warning("handling")
        called = await upstream.request("GET", "/")
        return {
            "own": current_traceparent(),
            "call": called.text,
            "message": build_envelope("tests", user_registered("traced")).traceparent,
        }

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield

    app = create_service_app(
        title="t", description="", settings=_Settings(), lifespan=lifespan, routers=[router]
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as made:
        yield made


def _ids(traceparent: str) -> tuple[str, str]:
    version, trace_id, span_id, _ = traceparent.split("-")
    assert version == "00"
    return trace_id, span_id


async def test_a_request_continues_its_callers_trace_in_its_logs_calls_and_messages(
    client: httpx.AsyncClient,
) -> None:
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.setFormatter(JsonFormatter("tests"))  # formats each record as it is logged, as services do
    logging.getLogger("tests.tracing").addHandler(handler)
    try:
        answer = (await client.get("/traced", headers={"traceparent": TRACEPARENT})).json()
    finally:
        logging.getLogger("tests.tracing").removeHandler(handler)

    own_trace, own_span = _ids(answer["own"])
    assert own_trace == TRACE and own_span != CALLER  # a span of its own, in the caller's trace
    assert answer["call"] == answer["message"] == answer["own"]
    [logged] = [json.loads(line) for line in lines.getvalue().splitlines()]
    assert (logged["message"], logged["trace_id"]) == ("handling", TRACE)


async def test_a_request_without_a_traceparent_starts_a_trace(client: httpx.AsyncClient) -> None:
    first, second = [(await client.get("/traced")).json() for _ in range(2)]

    assert first["call"] == first["own"] and first["message"] == first["own"]
    assert _ids(first["own"])[0] != _ids(second["own"])[0]


async def test_a_consumed_message_continues_the_trace_it_was_published_in(
    exchange_name: str, run_id: str, amqp: AbstractRobustConnection
) -> None:
    handled: list[str | None] = []

    async def on_user_registered(message: UserRegistered) -> None:
        handled.append(current_traceparent())

    consumer = Consumer(queue=f"test_tracing_{run_id}", handlers=[on_user_registered])
    broker = Broker(url=RABBITMQ_URL, exchange_name=exchange_name, consumers=[consumer])
    await broker.start()
    try:
        await wait_for(_connected(broker))
        envelope = build_envelope("tests", user_registered("traced")).model_copy(
            update={"traceparent": TRACEPARENT}
        )
        await broker.publish(envelope)
        await wait_for(_handled(handled))
    finally:
        await broker.close()
        channel = await amqp.channel()
        for queue in consumer.durable_queues:
            await channel.queue_delete(queue)
        await channel.close()

    [traceparent] = handled
    assert traceparent is not None and _ids(traceparent)[0] == TRACE and _ids(traceparent)[1] != CALLER


def _connected(broker: Broker) -> Callable[[], Awaitable[bool]]:
    async def connected() -> bool:
        return broker.connected.is_set()

    return connected


def _handled(handled: list[str | None]) -> Callable[[], Awaitable[bool]]:
    async def any_handled() -> bool:
        return bool(handled)

    return any_handled
