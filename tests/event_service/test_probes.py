"""Probes, settings, the API description, and answers while a dependency is down."""

import asyncio
import os
import sys
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from event_service.settings import EventSettings
from tests.conftest import Account, wait_for
from tests.event_service.conftest import client_for, event_body, running
from tests.tcp_proxy import free_port


async def test_health_and_ready(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health")).json() == {"status": "ok"}
    ready = await client.get("/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "broker": "ok", "migration": "ok"}


def test_defaults_match_the_platform_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PORT", "MONGO_URL", "MONGO_DATABASE", "ENV"):
        monkeypatch.delenv(name, raising=False)
    settings = EventSettings(_env_file=None)

    assert (settings.port, settings.mongo_url, settings.mongo_database) == (
        8000,
        "mongodb://127.0.0.1:27017",
        "event_db",
    )
    monkeypatch.setenv("MONGO_URL", "mongodb://mongo:27017")
    assert EventSettings(_env_file=None).mongo_url == "mongodb://mongo:27017"


def test_every_route_is_documented(app: FastAPI) -> None:
    schema = app.openapi()
    operations = [
        op for path, item in schema["paths"].items() if path.startswith("/events") for op in item.values()
    ]

    assert len(operations) == 18  # the event, its ticket types, quotas and vouchers
    for operation in operations:
        assert operation["description"], operation["operationId"]
        assert any(code.startswith("4") for code in operation["responses"]), operation["operationId"]
    components = schema["components"]["schemas"]
    assert components["EventCreate"]["examples"][0]["price"] == 2500
    assert components["EventUpdate"]["examples"]
    assert components["EventCreate"]["properties"]["price"]["type"] == "integer"
    for name in (
        "TicketTypeCreate",
        "TicketTypeUpdate",
        "QuotaCreate",
        "QuotaUpdate",
        "VoucherCreate",
        "VoucherUpdate",
    ):
        assert components[name]["examples"], name
    assert components["EventCreate"]["examples"][0]["timezone"] == "Europe/Berlin"


async def test_writes_answer_503_when_the_user_service_keys_are_unreachable(
    event_settings: EventSettings, organizer: Account
) -> None:
    settings = event_settings.model_copy(
        update={"jwks_url": f"http://127.0.0.1:{free_port()}/.well-known/jwks.json"}
    )
    async with running(settings) as app, client_for(app) as client:
        response = await client.post("/events", json=event_body(), headers=organizer.headers)
        assert (await client.get("/events")).status_code == 200

    assert response.status_code == 503
    assert "user service" in response.json()["detail"]


@pytest.fixture
async def service_without_mongo(event_settings: EventSettings) -> AsyncIterator[str]:
    """`python -m event_service` as its own process, pointed at a MongoDB that does not answer."""
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "MONGO_URL": f"mongodb://127.0.0.1:{free_port()}",
        "MONGO_TIMEOUT_SECONDS": "0.3",
        "EVENT_EXCHANGE": event_settings.event_exchange,
        "JWKS_URL": event_settings.jwks_url,
        "QUEUE_PREFIX": event_settings.queue_prefix,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "event_service",
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), timeout=10)


async def _answers(client: httpx.AsyncClient) -> bool:
    try:
        return (await client.get("/health")).status_code == 200
    except httpx.TransportError:
        return False


async def test_the_service_starts_without_mongo_and_answers_503(service_without_mongo: str) -> None:
    async with httpx.AsyncClient(base_url=service_without_mongo) as client:
        await wait_for(lambda: _answers(client), timeout=20)

        ready = await client.get("/ready")
        listing = await client.get("/events")
        docs = await client.get("/docs")

    assert ready.status_code == 503
    assert ready.json()["checks"]["database"].startswith("unavailable")
    assert listing.status_code == 503
    assert listing.json() == {"detail": "The database is unavailable; try again shortly."}
    assert docs.status_code == 200
