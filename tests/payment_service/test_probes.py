"""Probes, the API description, and what happens when MongoDB is missing."""

import asyncio
import os
import sys
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.conftest import Account, wait_for
from tests.payment_service.conftest import payment_body, with_key
from tests.tcp_proxy import free_port


async def test_health_ready_and_metrics(ready_client: httpx.AsyncClient) -> None:
    assert (await ready_client.get("/health")).json() == {"status": "ok"}
    ready = await ready_client.get("/ready")
    assert ready.json()["checks"] == {"database": "ok", "broker": "ok"}
    assert "http_request" in (await ready_client.get("/metrics")).text


async def test_every_route_is_documented(client: httpx.AsyncClient) -> None:
    assert (await client.get("/docs")).status_code == 200
    paths = (await client.get("/openapi.json")).json()["paths"]

    operations = [
        operation
        for path, methods in paths.items()
        if path.startswith("/payments")
        for operation in methods.values()
    ]

    assert len(operations) == 4
    for operation in operations:
        assert operation["description"]
        assert {"200", "201"} & operation["responses"].keys()
        assert {"401", "422", "503"} <= operation["responses"].keys()


@pytest.fixture
async def service_without_mongodb(exchange_name: str, user_service_url: str) -> AsyncIterator[str]:
    """`python -m payment_service` in a process of its own, pointed at a MongoDB that is not there.

    A process of its own, because Beanie binds a model to the last database initialized in a process:
    in this one, earlier tests' stores would answer instead.
    """
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "MONGO_URL": f"mongodb://127.0.0.1:{free_port()}",
        "MONGO_TIMEOUT_SECONDS": "0.3",
        "EVENT_EXCHANGE": exchange_name,
        "JWKS_URL": f"{user_service_url}/.well-known/jwks.json",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "payment_service", env=env, stdout=asyncio.subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=url) as client:
            await wait_for(lambda: _answers(client), timeout=30)
        yield url
    finally:
        process.terminate()
        await process.wait()


async def _answers(client: httpx.AsyncClient) -> bool:
    try:
        return (await client.get("/health")).status_code == 200
    except httpx.TransportError:
        return False


async def test_without_mongodb_it_is_unready_and_answers_503(
    service_without_mongodb: str, service_headers: dict[str, str], payer: Account
) -> None:
    async with httpx.AsyncClient(base_url=service_without_mongodb) as client:
        ready = await client.get("/ready")
        paid = await client.post("/payments", json=payment_body(payer.id), headers=with_key(service_headers))
        listed = await client.get("/payments", headers=payer.headers)

    assert ready.status_code == 503
    assert ready.json()["checks"]["database"].startswith("unavailable")
    assert paid.status_code == listed.status_code == 503
    assert "database is unavailable" in paid.json()["detail"]
