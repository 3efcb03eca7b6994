"""Client WebSockets of the live feed, each stamping every frame with the moment it arrived."""

import asyncio
import contextlib
import functools
import json
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from websockets.asyncio.client import ClientConnection, connect

from bench.report import step

Frame = dict[str, Any]
Match = Callable[[Frame], bool]
ListenerT = TypeVar("ListenerT", bound="Listener")
# Handshakes in flight at once: enough to connect thousands quickly, few enough for the listen backlog.
CONNECT_CONCURRENCY = 100


class Listener:
    """One user's open socket; a reader task records `(arrival, frame)` for every frame.

    The reader also settles the waits on a matching frame itself, without a task per wait to wake:
    with thousands of sockets, every step a frame takes in this process delays the ones behind it.
    """

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self.frames: list[tuple[float, Frame]] = []
        self._waits: list[tuple[Match, asyncio.Future[float]]] = []
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def open(cls, url: str, *, compression: str | None) -> "Listener":
        # No client pings: the server pings idle sockets itself, and the bench's own should not add load.
        connection = await connect(url, open_timeout=60, ping_interval=None, compression=compression)
        return cls(connection)

    @property
    def is_open(self) -> bool:
        return not self._reader.done()

    async def _read(self) -> None:
        try:
            async for raw in self.connection:
                self._record(time.perf_counter(), json.loads(raw))
        finally:
            self._fail_waits()

    def _record(self, arrived: float, frame: Frame) -> None:
        self.frames.append((arrived, frame))
        if self._waits:
            self._settle(arrived, frame)

    def _fail_waits(self) -> None:
        """Fails the waits left: the socket closed before their frame came."""
        closed = ConnectionError(f"Socket closed before the frame came: {self.connection.close_reason}")
        for _, wait in self._waits:
            if not wait.done():
                wait.set_exception(closed)
        self._waits.clear()

    def _settle(self, arrived: float, frame: Frame) -> None:
        waiting = []
        for match, wait in self._waits:
            if not wait.done():
                if match(frame):
                    wait.set_result(arrived)
                else:
                    waiting.append((match, wait))
        self._waits = waiting

    def arrival(self, match: Match) -> float | None:
        """Returns when the first frame matching `match` arrived, or None if none has."""
        return next((arrived for arrived, frame in self.frames if match(frame)), None)

    def wait_for(self, match: Match) -> asyncio.Future[float]:
        """Returns a future of when the first frame matching `match` arrived, set once it has."""
        wait = asyncio.get_running_loop().create_future()
        arrived = self.arrival(match)
        if arrived is not None:
            wait.set_result(arrived)
        elif not self.is_open:
            wait.set_exception(
                ConnectionError(f"Socket closed before the frame came: {self.connection.close_reason}")
            )
        else:
            self._waits.append((match, wait))
        return wait

    async def close(self) -> None:
        await self.connection.close()
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._reader


async def open_all(
    scenario: str, openers: Sequence[Callable[[], Awaitable[ListenerT]]], *, progress_every: int = 1000
) -> list[ListenerT]:
    """Opens a socket with each opener, `CONNECT_CONCURRENCY` handshakes at a time."""
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    opened = 0

    async def one(opener: Callable[[], Awaitable[ListenerT]]) -> ListenerT:
        nonlocal opened
        async with gate:
            listener = await opener()
        opened += 1
        if opened % progress_every == 0:
            step(scenario, f"{opened:,}/{len(openers):,} sockets open")
        return listener

    return list(await asyncio.gather(*(one(opener) for opener in openers)))


async def open_many(scenario: str, urls: Sequence[str], *, compression: str | None) -> list[Listener]:
    """Opens a socket of the notification service per URL."""
    openers = [functools.partial(Listener.open, url, compression=compression) for url in urls]
    return await open_all(scenario, openers)


async def close_all(listeners: Sequence[Listener]) -> None:
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)

    async def one(listener: Listener) -> None:
        async with gate:
            await listener.close()

    await asyncio.gather(*(one(listener) for listener in listeners))


async def wait_all(
    scenario: str, listeners: Sequence[Listener], match: Match, *, timeout: float
) -> list[float]:
    """Returns each socket's arrival time of its first frame matching `match`, printing progress."""
    waits = [listener.wait_for(match) for listener in listeners]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    pending: set[asyncio.Future[float]] = set(waits)
    try:
        while pending:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(
                    f"{len(pending):,} of {len(waits):,} sockets had no frame after {timeout:g}s"
                )
            done, pending = await asyncio.wait(pending, timeout=min(10.0, remaining))
            for wait in done:
                wait.result()  # a socket that closed fails the wait here
            if pending:
                step(scenario, f"{len(waits) - len(pending):,}/{len(waits):,} sockets have the frame")
    finally:
        for wait in pending:
            wait.cancel()
    return [wait.result() for wait in waits]
