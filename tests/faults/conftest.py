"""Services that can be cut off from RabbitMQ or PostgreSQL, or killed mid-request, and brought back.

Cuts go through `TcpProxy`, so the service sees what a network cut looks like: open connections
drop and new ones are refused until the proxy is restored. A kill is a real SIGKILL of
`python -m <service>` when TEST_MONGO_URL names a real MongoDB. With the in-memory store, a killed
process would take its database with it, which no real deployment does; so the kill is simulated in
this process instead (see `InProcessService`), with the database held open across it.
"""

import asyncio
import json
import os
import signal
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, Protocol

import aio_pika
import httpx
import pytest
import uvicorn
from pymongo import AsyncMongoClient
from starlette.types import ASGIApp

from shared.mongo import MongoStore
from shared.settings import MEMORY_URL_SCHEME, ServiceSettings
from tests.conftest import Account, wait_for
from tests.tcp_proxy import TcpProxy, free_port

ROOT = Path(__file__).resolve().parents[2]
MONGO_URL = os.environ.get("TEST_MONGO_URL", MEMORY_URL_SCHEME)
REAL_MONGO = not MONGO_URL.startswith(MEMORY_URL_SCHEME)
RABBITMQ = ("127.0.0.1", 5672)
POSTGRES = ("127.0.0.1", 5432)
# Reconnect quickly once a cut broker is back, so the tests stay short.
RECONNECT = "?reconnect_interval=0.5"


def rabbitmq_url(proxy: TcpProxy) -> str:
    return f"amqp://guest:guest@127.0.0.1:{proxy.port}/{RECONNECT}"


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


class Crashable(Protocol):
    """A service on a fixed URL that can be killed and started again."""

    url: str

    async def start(self) -> None: ...

    async def kill(self) -> None: ...

    async def stop(self) -> None: ...


class InProcessService:
    """A service app under uvicorn in this process, on one port across restarts.

    `kill` is as abrupt as one process allows: the service's RabbitMQ connection is cut (each start
    connects through a proxy of its own), so nothing more is acked or confirmed; the listening
    socket and every HTTP connection are closed with no answer; and the requests inside are
    cancelled wherever they are. Only then does the app's shutdown run, to release what a dead
    process's operating system would. `start` builds a fresh app; an in-memory database is held
    open in between, as a real MongoDB outlives a killed process.
    """

    def __init__(self, create_app: Callable[[str], ASGIApp], *, mongo_database: str | None = None) -> None:
        self._create_app = create_app
        self._mongo_database = mongo_database
        self._keeper: MongoStore | None = None
        self._broker: TcpProxy | None = None
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        if self._mongo_database is not None and self._keeper is None and not REAL_MONGO:
            self._keeper = MongoStore(url=MONGO_URL, database=self._mongo_database, document_models=[])
            await self._keeper.start()
        self._broker = await start_proxy(RABBITMQ)
        app = self._create_app(rabbitmq_url(self._broker))
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_config=None, lifespan="on")
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:
            if self._task.done():
                self._task.result()
            await asyncio.sleep(0.02)
        await wait_ready(self.url)

    async def kill(self) -> None:
        assert self._server is not None and self._broker is not None
        await self._broker.stop()
        for listener in self._server.servers:
            listener.close()
        for connection in list(self._server.server_state.connections):
            connection.transport.abort()  # type: ignore[union-attr]
        for request in list(self._server.server_state.tasks):
            request.cancel()
        await self._exit()

    async def stop(self) -> None:
        if self._server is not None:
            await self._exit()
        if self._keeper is not None:
            await self._keeper.close()
            self._keeper = None

    async def _exit(self) -> None:
        assert self._server is not None and self._task is not None
        self._server.should_exit = True
        await self._task
        if self._broker is not None:
            await self._broker.stop()
        self._server = self._task = self._broker = None


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
        self._process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", self.module, cwd=ROOT, env=self._environment
        )
        await wait_ready(self.url)

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


async def drop_mongo_database(name: str) -> None:
    """Drops a database of the real MongoDB; an in-memory one is gone once nothing holds it open."""
    if REAL_MONGO:
        client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(MONGO_URL)
        await client.drop_database(name)
        await client.close()


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
