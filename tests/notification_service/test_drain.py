"""SIGTERM to a real replica process: it drains its sockets over WS_DRAIN_SECONDS, then exits in time."""

import asyncio
import os
import signal
import time
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack

import aio_pika
import httpx
import pytest
from pydantic import ValidationError
from websockets.exceptions import ConnectionClosed

from notification_service.settings import NotificationSettings
from shared.messaging import Broker
from tests.conftest import Account, wait_for
from tests.notification_service.conftest import Replica, Users, booking_failed, history, open_socket, publish
from tests.processes import ServiceProcess, environment

SERVICE_RESTART = 1012
SOCKETS_PER_USER = 3
DRAIN_SECONDS = 3.0
SHUTDOWN_SECONDS = 6.0


class ReplicaProcess(ServiceProcess):
    async def exited(self) -> int:
        """Returns the exit status once the process has ended by itself."""
        assert self._process is not None
        return await self._process.wait()


async def closed_at(socket: object) -> tuple[float, int | None]:
    """Returns when the server closed the socket, and with which code."""
    try:
        await asyncio.wait_for(socket.recv(), DRAIN_SECONDS + 5)  # type: ignore[attr-defined]
    except ConnectionClosed as closed:
        return time.monotonic(), closed.rcvd.code if closed.rcvd else None
    raise AssertionError("A frame came instead of the close")


async def test_on_sigterm_a_replica_closes_its_sockets_spread_over_the_drain_then_exits_in_time(
    notification_settings: NotificationSettings,
    start_replica: Callable[..., Awaitable[Replica]],
    amqp: aio_pika.abc.AbstractRobustConnection,
    producer: Broker,
    owner: Account,
    users: Users,
) -> None:
    settings = notification_settings.model_copy(
        update={"shutdown_drain_seconds": SHUTDOWN_SECONDS, "ws_drain_seconds": DRAIN_SECONDS}
    )
    process = ReplicaProcess(
        "notification_service", {**environment(settings), "HOST": "127.0.0.1", "LOG_LEVEL": "WARNING"}
    )
    await process.start()
    draining = Replica(url=process.url, app=None)  # type: ignore[arg-type]
    try:
        async with AsyncExitStack() as stack:
            sockets = [
                await stack.enter_async_context(open_socket(draining, user.token))
                for user in users
                for _ in range(SOCKETS_PER_USER)
            ]
            closes = [asyncio.create_task(closed_at(socket)) for socket in sockets]
            signalled_at = time.monotonic()
            os.kill(process.pid, signal.SIGTERM)

            await wait_for(lambda: _not_ready(process.url))  # taken out of the load balancer at once
            async with open_socket(draining, users[0].token) as late:  # no new socket is taken
                assert (await closed_at(late))[1] == SERVICE_RESTART
            await publish(producer, booking_failed(users[0], owner, event_id="during-drain"))
            closed = await asyncio.gather(*closes)
        exited = await asyncio.wait_for(process.exited(), SHUTDOWN_SECONDS)
        exited_at = time.monotonic()
    finally:
        await process.stop()

    assert {code for _, code in closed} == {SERVICE_RESTART}
    times = sorted(at - signalled_at for at, _ in closed)
    assert times[-1] <= DRAIN_SECONDS + 1, times
    assert times[-1] - times[0] >= DRAIN_SECONDS / 3, f"not spread over the drain: {times}"
    assert exited_at - signalled_at < SHUTDOWN_SECONDS, exited
    # The message that came while it drained was left to the other replicas: one stores it now.
    queue = await (await amqp.channel()).declare_queue(f"{settings.queue_prefix}.bookings", passive=True)
    assert queue.declaration_result.message_count == 1
    successor = await start_replica()
    async with httpx.AsyncClient(base_url=successor.url) as client:
        await wait_for(lambda: _stored(client, users[0]))


async def _not_ready(url: str) -> bool:
    async with httpx.AsyncClient(base_url=url) as client:
        return (await client.get("/ready")).status_code == 503


async def _stored(client: httpx.AsyncClient, user: Account) -> bool:
    return (await history(client, user))["total"] == 1


def test_the_drain_takes_half_the_shutdown_time_by_default_and_must_end_before_it() -> None:
    assert NotificationSettings(_env_file=None, shutdown_drain_seconds=30).drain_seconds == 15

    with pytest.raises(ValidationError) as refused:
        NotificationSettings(_env_file=None, shutdown_drain_seconds=4, ws_drain_seconds=4)

    assert "WS_DRAIN_SECONDS (4) must be below SHUTDOWN_DRAIN_SECONDS (4)" in str(refused.value)
