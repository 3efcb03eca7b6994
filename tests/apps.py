"""Booting the services' apps inside the test process, in-process or over real HTTP, and waiting for them."""

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from tests.servers import serve

READY_TIMEOUT_SECONDS = 30.0


async def wait_for(
    condition: Callable[[], Awaitable[Any]], *, timeout: float = 15.0, interval: float = 0.05
) -> Any:
    """Returns the first truthy result of `condition`, failing the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = await condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"Condition not met within {timeout}s")
        await asyncio.sleep(interval)


async def is_ready(service: str | httpx.AsyncClient) -> bool:
    """Whether the service (at a URL, or behind a client) answers `GET /ready` with 200.

    False too while nothing answers at all: a process still starting, or one cut off.
    """
    try:
        if isinstance(service, httpx.AsyncClient):
            return (await service.get("/ready")).status_code == 200
        async with httpx.AsyncClient(base_url=service) as client:
            return (await client.get("/ready")).status_code == 200
    except httpx.TransportError:
        return False


async def wait_ready(service: str | httpx.AsyncClient, *, timeout: float = READY_TIMEOUT_SECONDS) -> None:
    """Returns once the service reports ready (its stores and broker reached); fails after `timeout`."""
    await wait_for(lambda: is_ready(service), timeout=timeout)


def asgi_client(app: FastAPI, base_url: str, **transport: Any) -> httpx.AsyncClient:
    """A client calling `app` in-process; `transport` goes to `httpx.ASGITransport` (e.g. `client`)."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, **transport), base_url=base_url)


@asynccontextmanager
async def running(app: FastAPI, *, until_ready: bool = False) -> AsyncIterator[FastAPI]:
    """Runs `app`'s lifespan in-process; with `until_ready`, yields it once it reports ready."""
    async with LifespanManager(app, startup_timeout=READY_TIMEOUT_SECONDS):
        if until_ready:
            async with asgi_client(app, "http://ready.test") as client:
                await wait_ready(client)
        yield app


@asynccontextmanager
async def served(app: FastAPI) -> AsyncIterator[str]:
    """Serves `app` over real HTTP (lifespan included); yields its base URL once it reports ready."""
    async with serve(app) as url:
        await wait_ready(url)
        yield url
