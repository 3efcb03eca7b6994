"""The embedded MongoDB: SecantusDB, started by `make run`, the tests and the benchmarks when no URL is given.

SecantusDB speaks MongoDB's wire protocol on WiredTiger, MongoDB's own storage engine. It runs as a
program of its own that the services reach over a socket, exactly as they reach a MongoDB server;
nothing of it is imported. It is a development dependency and never part of the production image.
"""

import asyncio
import signal
import socket
import sys
import time
from enum import Enum
from pathlib import Path
from typing import Any, Self

from pymongo import AsyncMongoClient, MongoClient
from pymongo.errors import PyMongoError

SERVER = Path(sys.executable).parent / "secantusd-py"
EPHEMERAL = ":memory:"
# Where `make run` serves it: the services' default MONGO_URL.
DEVELOPMENT_PORT = 27017
DEVELOPMENT_STORAGE = Path(__file__).resolve().parents[1] / ".data/mongo"
START_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 20.0


def command(port: int, storage: str | Path = EPHEMERAL, *, host: str = "127.0.0.1") -> list[str]:
    """Returns the command line that serves MongoDB on `host`:`port`, keeping its files in `storage`."""
    return [
        str(SERVER),
        *("--host", host, "--port", str(port), "--storage-path", str(storage)),
        # One server, not a replica set: the services need no transactions or change streams.
        "--standalone",
        *("--log-level", "WARNING"),
    ]


class Listener(Enum):
    NOTHING = "nothing"
    MONGODB = "a MongoDB server"
    OTHER = "something that is not a MongoDB server"


def listener_at(host: str, port: int, *, timeout: float = 2.0) -> Listener:
    """Tells what listens at `host`:`port`: nothing, a MongoDB server (it answers `hello`), or else."""
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError:
        return Listener.NOTHING
    client: MongoClient[dict[str, Any]] = MongoClient(
        host,
        port,
        directConnection=True,
        serverSelectionTimeoutMS=int(timeout * 1000),
        timeoutMS=int(timeout * 1000),
    )
    try:
        client.admin.command("hello")
        return Listener.MONGODB
    except PyMongoError:
        return Listener.OTHER
    finally:
        client.close()


def wait_until_answering(host: str, port: int, *, timeout: float = START_TIMEOUT_SECONDS) -> None:
    """Returns once a MongoDB server answers at `host`:`port`; raises TimeoutError after `timeout`."""
    deadline = time.monotonic() + timeout
    while listener_at(host, port) is not Listener.MONGODB:
        if time.monotonic() > deadline:
            raise TimeoutError(f"No MongoDB answered at {host}:{port} within {timeout}s")
        time.sleep(0.1)


async def drop_databases(url: str, *names: str) -> None:
    """Drops what a test run or a benchmark made on the server at `url`."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(url)
    try:
        for name in names:
            await client.drop_database(name)
    finally:
        await client.close()


class EmbeddedMongo:
    """The embedded server as a child process of this one, on a fixed port across restarts.

    `kill` is SIGKILL, as a crash would be; `start` after it reopens the same storage, so every write
    it acknowledged with the journal (`j: true`, which the services always ask for) is there again;
    a write acknowledged without it may be lost. With ephemeral storage, nothing is kept.
    """

    def __init__(self, *, port: int, storage: str | Path = EPHEMERAL, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = port
        self.storage = storage
        self._process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"mongodb://{self.host}:{self.port}"

    async def start(self) -> None:
        listener = await asyncio.to_thread(listener_at, self.host, self.port)
        if listener is not Listener.NOTHING:
            raise RuntimeError(f"{self.host}:{self.port} is taken by {listener.value}")
        self._process = await asyncio.create_subprocess_exec(
            *command(self.port, self.storage, host=self.host), stdin=asyncio.subprocess.DEVNULL
        )
        await asyncio.to_thread(wait_until_answering, self.host, self.port)

    async def kill(self) -> None:
        await self._end(signal.SIGKILL)

    async def stop(self) -> None:
        await self._end(signal.SIGTERM)

    async def _end(self, signal_number: int) -> None:
        if self._process is None:
            return
        if self._process.returncode is None:
            self._process.send_signal(signal_number)
        try:
            await asyncio.wait_for(self._process.wait(), STOP_TIMEOUT_SECONDS)
        except TimeoutError:
            self._process.kill()
            await self._process.wait()
        self._process = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.stop()
