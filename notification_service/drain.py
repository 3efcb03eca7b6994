"""A replica's graceful shutdown: on SIGTERM it drains its WebSockets before the server stops.

Left to itself, uvicorn stops listening on SIGTERM and closes every WebSocket at once with 1012: all
the replica's clients would reconnect in the same instant, onto the other replicas. So the replica
takes SIGTERM first. It reports not ready (nothing new is routed to it), refuses new sockets, takes
no more messages from the shared queues (the other replicas do; what it holds it finishes), goes on
serving the sockets it holds and closes each at a random moment within WS_DRAIN_SECONDS (1012: the
client resumes on another replica with `since`). Then it hands the signal to uvicorn, which finds
no socket left, finishes the requests in flight and stops, well within the pod's grace period.
"""

import asyncio
import contextlib
import logging
import random
import signal
import threading
from collections.abc import Sequence
from types import FrameType
from typing import Any

from notification_service.live import SERVICE_RESTART, LiveHub
from shared.messaging import Consumer

logger = logging.getLogger(__name__)


class ShuttingDownError(RuntimeError):
    """The replica is draining before it stops: it takes nothing new."""


class Drain:
    """Drains the replica on SIGTERM, then lets the server (uvicorn) stop."""

    def __init__(
        self, *, hub: LiveHub, consumers: Sequence[Consumer], seconds: float, close_timeout: float
    ) -> None:
        self.hub = hub
        self.consumers = consumers  # the shared queues: the live queue goes on feeding the sockets
        self.seconds = seconds
        self.close_timeout = close_timeout
        self._server_handler: Any = signal.SIG_DFL
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None

    async def check(self) -> None:
        """Raises while draining (for `/ready`)."""
        if self.hub.draining:
            raise ShuttingDownError("Shutting down: closing its WebSockets")

    def install(self) -> None:
        """Takes SIGTERM over from the server. Signals are only for the main thread: elsewhere (an app
        served by a test's thread) nothing is taken over."""
        if threading.current_thread() is not threading.main_thread():
            return
        self._loop = asyncio.get_running_loop()
        self._server_handler = signal.getsignal(signal.SIGTERM)
        signal.signal(signal.SIGTERM, self._on_sigterm)

    def uninstall(self) -> None:
        if self._loop is not None and signal.getsignal(signal.SIGTERM) == self._on_sigterm:
            signal.signal(signal.SIGTERM, self._server_handler)

    def _on_sigterm(self, signum: int, frame: FrameType | None) -> None:
        # A signal handler runs between any two bytecodes of the loop: it only wakes the loop.
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._start, signum, frame)

    def _start(self, signum: int, frame: FrameType | None) -> None:
        if self._task is None:  # a second SIGTERM changes nothing
            self._task = asyncio.create_task(self._drain(signum, frame), name="drain")

    async def _drain(self, signum: int, frame: FrameType | None) -> None:
        self.hub.draining = True
        sockets = self.hub.sockets()
        logger.warning("SIGTERM: closing %d WebSockets within %gs, then stopping", len(sockets), self.seconds)
        stopped = await asyncio.gather(
            *(consumer.stop() for consumer in self.consumers), return_exceptions=True
        )
        for consumer, outcome in zip(self.consumers, stopped, strict=True):
            if isinstance(outcome, Exception):  # the broker is away: its connection closes at the end
                logger.warning("Could not stop consuming %s: %r", consumer.queue, outcome)
        # Spread, so that the clients do not all reconnect to the other replicas in the same instant.
        loop = asyncio.get_running_loop()
        for socket in sockets:
            loop.call_later(
                random.uniform(0, self.seconds),
                socket.close,
                SERVICE_RESTART,
                "Shutting down; reconnect with ?since=<last id>",
            )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.hub.emptied(), self.seconds + self.close_timeout)
        self._hand_over(signum, frame)

    def _hand_over(self, signum: int, frame: FrameType | None) -> None:
        """Gives the signal to the server, as if it came now."""
        handler = self._server_handler
        if callable(handler):
            handler(signum, frame)
            return
        signal.signal(signal.SIGTERM, signal.SIG_DFL if handler is None else handler)
        signal.raise_signal(signal.SIGTERM)
