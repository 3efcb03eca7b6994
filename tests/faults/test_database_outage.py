"""PostgreSQL unreachable for a service: 503 on what needs it, `/ready` names it, recovery without a restart.

Real: the user and booking services (uvicorn, in this process), PostgreSQL and RabbitMQ. Each service
reaches PostgreSQL through a `TcpProxy`; stopping it drops the pooled connections and refuses new
ones, as a database host that went away would. Nothing is mocked.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from booking_service.main import create_app as create_booking_app
from booking_service.settings import BookingSettings
from event_service.main import create_app as create_event_app
from event_service.settings import EventSettings
from tests.conftest import Account, wait_for
from tests.faults.conftest import POSTGRES, start_proxy, wait_ready
from tests.servers import serve
from tests.tcp_proxy import TcpProxy, free_port
from user_service.main import create_app as create_user_app
from user_service.settings import UserSettings

RECOVERY_SECONDS = 15
UNKNOWN_EVENT = "000000000000000000000000"


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    json: dict[str, Any] | None = None


@dataclass(frozen=True)
class Subject:
    """A service whose PostgreSQL is behind `database`, and calls that each need it."""

    url: str
    database: TcpProxy
    headers: dict[str, str]
    calls: list[Call]


def _through(proxy: TcpProxy, database_url: str) -> str:
    return database_url.replace("@127.0.0.1:5432/", f"@127.0.0.1:{proxy.port}/")


async def _user_service(
    proxy: TcpProxy, create_database: Callable[[str], Awaitable[str]], user_settings: UserSettings
) -> AsyncIterator[Subject]:
    settings = user_settings.model_copy(
        update={
            "database_url": _through(proxy, await create_database("faults_users")),
            "database_retry_seconds": 0.2,
            "login_rate_limit": "10000/minute",
            "register_rate_limit": "10000/minute",
        }
    )
    credentials = {"username": "outage", "password": "a-long-password"}
    async with serve(create_user_app(settings)) as url:
        await wait_ready(url)
        async with httpx.AsyncClient(base_url=url) as client:
            registered = await client.post(
                "/register", json={**credentials, "email": "outage@example.com", "full_name": "Out Age"}
            )
            assert registered.status_code == 201, registered.text
            token = (await client.post("/login", json=credentials)).json()["access_token"]
        yield Subject(
            url=url,
            database=proxy,
            headers={"Authorization": f"Bearer {token}"},
            calls=[
                Call("POST", "/login", credentials),
                # Taken already, which only the database can tell: 409, or 503 while it is away.
                Call("POST", "/register", {**credentials, "email": "o@example.com", "full_name": "Out Age"}),
                Call("GET", "/users/me"),
            ],
        )


async def _booking_service(
    proxy: TcpProxy,
    create_database: Callable[[str], Awaitable[str]],
    user_service_url: str,
    exchange_name: str,
    attendee: Account,
    mongo_url: str,
    events_database: str,
    queue_prefix: str,
    event_queue_prefix: str,
) -> AsyncIterator[Subject]:
    common: dict[str, Any] = {
        "env": "test",
        "event_exchange": exchange_name,
        "broker_retry_seconds": 0.2,
        "jwks_url": f"{user_service_url}/.well-known/jwks.json",
    }
    # The event service answers which events exist; no payment is reached, so none runs.
    event_settings = EventSettings(
        **common, mongo_url=mongo_url, mongo_database=events_database, queue_prefix=event_queue_prefix
    )
    async with serve(create_event_app(event_settings)) as events:
        settings = BookingSettings(
            **common,
            database_url=_through(proxy, await create_database("faults_bookings")),
            database_retry_seconds=0.2,
            user_service_url=user_service_url,
            event_service_url=events,
            payment_service_url=f"http://127.0.0.1:{free_port()}",
            queue_prefix=queue_prefix,
        )
        async with serve(create_booking_app(settings)) as url:
            await wait_ready(url)
            yield Subject(
                url=url,
                database=proxy,
                headers=attendee.headers,
                calls=[
                    Call("GET", "/bookings"),
                    Call("GET", "/bookings/00000000-0000-0000-0000-000000000000"),
                    Call("POST", "/bookings", {"event_id": UNKNOWN_EVENT, "tickets": 1}),
                ],
            )


@pytest.fixture(params=["user_service", "booking_service"])
async def subject(
    request: pytest.FixtureRequest,
    create_database: Callable[[str], Awaitable[str]],
    user_settings: UserSettings,
    user_service_url: str,
    exchange_name: str,
    make_account: Callable[..., Awaitable[Account]],
    mongo_url: str,
    unique_name: Callable[[str], str],
    fresh_mongo_database: Callable[[str], str],
    delete_queues: Callable[..., None],
    event_queue_prefix: str,
) -> AsyncIterator[Subject]:
    proxy = await start_proxy(POSTGRES)
    if request.param == "user_service":
        started = _user_service(proxy, create_database, user_settings)
    else:
        queue_prefix = unique_name("booking")
        delete_queues(f"{queue_prefix}.events")
        started = _booking_service(
            proxy,
            create_database,
            user_service_url,
            exchange_name,
            await make_account(),
            mongo_url,
            fresh_mongo_database("events"),
            queue_prefix,
            event_queue_prefix,
        )
    try:
        async for service in started:
            yield service
    finally:
        await proxy.stop()


async def _call_all(client: httpx.AsyncClient, subject: Subject) -> list[httpx.Response]:
    return list(
        await asyncio.gather(
            *(
                client.request(call.method, call.path, json=call.json, headers=subject.headers)
                for call in subject.calls
            )
        )
    )


async def test_an_unreachable_database_is_503_and_the_service_recovers_by_itself(subject: Subject) -> None:
    async with httpx.AsyncClient(base_url=subject.url, timeout=30) as client:
        healthy = [response.status_code for response in await _call_all(client, subject)]
        assert all(status < 500 for status in healthy), healthy

        # Cut while a burst of requests is under way: each one answers as before, or 503.
        burst = [asyncio.create_task(_call_all(client, subject)) for _ in range(8)]
        await asyncio.wait(burst, return_when=asyncio.FIRST_COMPLETED)
        await subject.database.stop()
        try:
            answered = [response for responses in await asyncio.gather(*burst) for response in responses]
            assert {response.status_code for response in answered} <= {*healthy, 503}, [
                (response.status_code, response.text)
                for response in answered
                if response.status_code >= 500 and response.status_code != 503
            ]
            for _ in range(3):  # the pooled connections are dead, then no new one can be made
                for call, response in zip(subject.calls, await _call_all(client, subject), strict=True):
                    assert response.status_code == 503, (call, response.text)
                    assert response.json()["detail"] == "The database is unavailable; try again shortly."
                    assert response.headers["Retry-After"]
            ready = await client.get("/ready")
            assert ready.status_code == 503
            assert ready.json()["status"] == "unavailable: database"
            assert ready.json()["checks"]["database"].startswith("unavailable")
            assert ready.json()["checks"]["broker"] == "ok"
            assert (await client.get("/health")).status_code == 200
        finally:
            await subject.database.start()

        async def recovered() -> bool:
            answers = [response.status_code for response in await _call_all(client, subject)]
            return answers == healthy and (await client.get("/ready")).status_code == 200

        await wait_for(recovered, timeout=RECOVERY_SECONDS)
