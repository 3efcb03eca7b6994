"""Live clients that reconnect: each keeps its user's socket open through the run, and when a
replica closes it (1012 on a drain or a broker cut) or dies, opens a new one with `since` set to
the last notification it received, as the web app does."""

import asyncio
import contextlib
import json
from collections import Counter
from collections.abc import Sequence

from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException

from bench.sockets import CONNECT_CONCURRENCY
from chaos.cluster import Cluster
from tests.accounts import Account

# A refused reconnect waits this long before the next try, so a replica coming back is not stormed.
RECONNECT_PAUSE_SECONDS = 0.5


class LiveClient:
    """One user's live feed: every notification id received (repeats counted), across reconnects."""

    def __init__(self, cluster: Cluster, account: Account) -> None:
        self.cluster = cluster
        self.account = account
        self.received: Counter[str] = Counter()
        self.last_id: str | None = None
        self.connects = 0
        self.truncated = 0
        self.last_error: BaseException | None = None
        self.connected = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self, gate: asyncio.Semaphore) -> None:
        self._task = asyncio.create_task(self._run(gate))

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self, gate: asyncio.Semaphore) -> None:
        while True:
            url = self.cluster.ws_url(self.account.token)
            if self.last_id is not None:
                url += f"&since={self.last_id}"
            try:
                async with gate:
                    socket = await connect(url, open_timeout=30, ping_interval=None)
                self.connects += 1
                self.connected.set()
                async with socket:
                    async for raw in socket:
                        self._receive(json.loads(raw))
            except (OSError, TimeoutError, WebSocketException) as error:
                self.last_error = error
            # The pace of reconnecting after a refusal, not a wait for a message.
            await asyncio.sleep(RECONNECT_PAUSE_SECONDS)

    def _receive(self, frame: dict[str, object]) -> None:
        if frame.get("type") == "replay_truncated":
            self.truncated += 1
            return
        notification_id = str(frame["id"])
        self.received[notification_id] += 1
        self.last_id = notification_id if self.last_id is None else max(self.last_id, notification_id)


async def connect_all(cluster: Cluster, accounts: Sequence[Account], *, timeout: float) -> list[LiveClient]:
    """Starts a live client per account; returns once every one has connected (fails after `timeout`)."""
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    clients = [LiveClient(cluster, account) for account in accounts]
    for client in clients:
        client.start(gate)
    try:
        await asyncio.wait_for(asyncio.gather(*(client.connected.wait() for client in clients)), timeout)
    except TimeoutError:
        waiting = [client for client in clients if not client.connected.is_set()]
        errors = {repr(client.last_error) for client in waiting}
        raise TimeoutError(f"{len(waiting)} clients not connected after {timeout:g}s: {errors}") from None
    return clients


async def stop_all(clients: Sequence[LiveClient]) -> None:
    await asyncio.gather(*(client.stop() for client in clients))
