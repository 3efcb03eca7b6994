"""A background worker: passes run back to back while there is more to do, else when woken or polled."""

import asyncio
import contextlib
import logging

from shared.lifecycle import Running

logger = logging.getLogger(__name__)


class Worker(Running):
    """Runs `run_pass` in a task of its own until closed.

    A pass that reports more work is followed at once; otherwise the next waits for `wake()` or
    `poll_seconds`. Errors in `waiting_on` (a store that is down) are expected and logged briefly;
    any other error is logged in full. Neither stops the worker.
    """

    name: str = "worker"
    waiting_on: tuple[type[BaseException], ...] = ()

    def __init__(self, *, poll_seconds: float) -> None:
        self.poll_seconds = poll_seconds
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def run_pass(self) -> bool:
        """Does one round of work; returns whether more is waiting."""
        raise NotImplementedError

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        task = asyncio.current_task()
        # A cancel that a library call swallowed (a driver's retry, a publish timeout) leaves the task
        # marked cancelling; ending here keeps `close` from hanging on it.
        while task is None or not task.cancelling():
            self._wake.clear()
            try:
                more = await self.run_pass()
            except self.waiting_on as exc:
                logger.warning("%s waiting: %r", self.name, exc)
                more = False
            except Exception:
                logger.exception("%s failed; retrying", self.name)
                more = False
            if not more:
                # Not `asyncio.wait_for`: on Python 3.11 it swallows a cancel that arrives as the
                # wake-up does, which a write's wake-up at shutdown often does, and `close` hangs.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.poll_seconds):
                        await self._wake.wait()
