"""One booking's trace, followed across real processes: from the request through the payment call and the
messages to the notification, as the spans each service exports over OTLP show it."""

import asyncio
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

import aio_pika
import httpx
import pytest

from scripts.embedded_mongo import drop_databases
from tests.apps import wait_for
from tests.backends import remove_queues
from tests.conftest import DEV_ADMIN
from tests.processes import ServiceProcess, durable_queues_of, environments, mongo_databases_of
from tests.system.otlp_collector import Collector, ExportedSpan
from tests.tcp_proxy import free_port

TRACED = ("user_service", "event_service", "booking_service", "payment_service", "notification_service")
SERVER, CONSUMER = 2, 5
# The notification service's handling of `booking.confirmed`, which stores the notifications.
STORING = ("notification_service", "booking.confirmed process")


@pytest.fixture(scope="module")
async def collector() -> AsyncIterator[Collector]:
    async with Collector() as running:
        yield running


@pytest.fixture(scope="module")
async def traced_services(
    collector: Collector,
    create_database: Callable[[str], Awaitable[str]],
    exchange_name: str,
    run_id: str,
    amqp: aio_pika.abc.AbstractRobustConnection,
    tmp_path_factory: pytest.TempPathFactory,
    mongo_url: str,
) -> AsyncIterator[dict[str, str]]:
    ports = {name: free_port() for name in TRACED}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    databases = {
        "user_service": await create_database("tracing_users"),
        "booking_service": await create_database("tracing_bookings"),
    }
    variables = environments(
        urls,
        databases,
        exchange=exchange_name,
        mongo_url=mongo_url,
        signing_key_file=tmp_path_factory.mktemp("tracing") / "signing_key.pem",
        name=lambda kind: f"test_tracing_{kind}_{run_id}",
    )
    variables = {name: variables[name] for name in TRACED}
    for service_variables in variables.values():
        # Exported to the collector a tenth of a second after they end, not five.
        service_variables.update(OTLP_ENDPOINT=collector.endpoint, OTEL_BSP_SCHEDULE_DELAY="100")
        service_variables["LOG_LEVEL"] = "WARNING"
    variables["booking_service"].update(DATABASE_POOL_SIZE="4", DATABASE_POOL_WARM="false")
    started = [ServiceProcess(name, variables[name], port=ports[name]) for name in TRACED]
    try:
        for process in started:
            await process.launch()
        for process in started:
            await process.wait_ready(timeout=60)
        yield urls
    finally:
        await asyncio.gather(*(process.stop() for process in started))
        await remove_queues(amqp, durable_queues_of(variables))
        await drop_databases(mongo_url, *mongo_databases_of(variables).values())


async def _login(client: httpx.AsyncClient, users: str, username: str, password: str) -> dict[str, str]:
    response = await client.post(f"{users}/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def _event(client: httpx.AsyncClient, urls: dict[str, str], organizer: dict[str, str]) -> str:
    starts_at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=10)
    created = await client.post(
        f"{urls['event_service']}/events",
        json={
            "title": "Traced Jazz",
            "description": "Standards, followed.",
            "venue": "Skyline Terrace",
            "category": "music",
            "starts_at": starts_at.isoformat(),
            "ends_at": (starts_at + timedelta(hours=3)).isoformat(),
            "capacity": 10,
            "price": 2500,
            "currency": "EUR",
        },
        headers=organizer,
    )
    assert created.status_code == 201, created.text
    return created.json()["id"]


def _span(spans: list[ExportedSpan], service: str, name: str, kind: int) -> ExportedSpan | None:
    return next((s for s in spans if (s.service, s.name, s.kind) == (service, name, kind)), None)


async def test_one_bookings_trace_runs_from_the_request_through_payment_and_messages_to_the_notification(
    traced_services: dict[str, str], collector: Collector, run_id: str
) -> None:
    urls = traced_services
    async with httpx.AsyncClient(timeout=30) as client:
        admin = await _login(client, urls["user_service"], DEV_ADMIN["username"], DEV_ADMIN["password"])
        event_id = await _event(client, urls, admin)
        trace_id = f"{random.getrandbits(128):032x}"
        caller_span = f"{random.getrandbits(64):016x}"

        booked = await client.post(
            f"{urls['booking_service']}/bookings",
            json={"event_id": event_id, "tickets": 1},
            headers={**admin, "traceparent": f"00-{trace_id}-{caller_span}-01"},
        )
        assert booked.status_code == 201, booked.text
        assert booked.json()["status"] == "confirmed"

    def expected() -> dict[str, ExportedSpan | None]:
        spans = collector.of_trace(trace_id)
        # Each booking.confirmed handling (an attempt: a retry has a span of its own) that stored them
        handlings = {each.span_id for each in spans if (each.service, each.name) == STORING}
        return {
            "booking": _span(spans, "booking_service", "POST /bookings", SERVER),
            "payment": _span(spans, "payment_service", "POST /payments", SERVER),
            "stored": _span(spans, *STORING, CONSUMER),
            # notifications.stored, handed to the sockets in the trace of a handling that stored them.
            # Spans are exported in batches, so the handling may come after it.
            "live": next(
                (
                    each
                    for each in spans
                    if (each.service, each.name, each.kind)
                    == ("notification_service", "notifications.stored process", CONSUMER)
                    and each.parent_span_id in handlings
                ),
                None,
            ),
        }

    async def all_exported() -> dict[str, ExportedSpan] | None:
        found = expected()
        return found if all(found.values()) else None  # type: ignore[return-value]

    try:
        found = await wait_for(all_exported, timeout=20)
    except AssertionError:
        raise AssertionError(f"missing: {expected()}; of the trace: {collector.of_trace(trace_id)}") from None
    spans = collector.of_trace(trace_id)
    assert found["booking"].parent_span_id == caller_span
    assert _descends(found["payment"], found["booking"], spans)  # the call carried its traceparent
    assert _descends(found["stored"], found["booking"], spans)  # booking.confirmed, from its outbox
    assert _descends(found["live"], found["booking"], spans)  # and notifications.stored, from its handling


def _descends(span: ExportedSpan, ancestor: ExportedSpan, spans: list[ExportedSpan]) -> bool:
    """Whether `ancestor` is `span`'s parent, or its parent's, and so on."""
    by_id = {each.span_id: each for each in spans}
    while span.parent_span_id in by_id:
        span = by_id[span.parent_span_id]
        if span == ancestor:
            return True
    return False
