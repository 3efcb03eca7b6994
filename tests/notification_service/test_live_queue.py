"""Each replica's live queue: named after its pod, and what a broker cut loses of it made up by `since`."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from websockets.exceptions import ConnectionClosedError

from shared.messaging import Broker
from tests.apps import is_ready
from tests.conftest import Account, rabbitmq_through, wait_for
from tests.notification_service.conftest import (
    FRAME_TIMEOUT_SECONDS,
    Replica,
    Users,
    booking_failed,
    history,
    next_frame,
    open_socket,
    publish,
)
from tests.tcp_proxy import TcpProxy

SERVICE_RESTART = 1012


def live_queue(replica: Replica) -> str:
    [queue] = [consumer.queue for consumer in replica.app.state.consumers if consumer.exclusive]
    return queue


async def test_a_live_queue_is_named_after_the_pod_and_a_random_suffix(
    start_replica: Callable[..., Awaitable[Replica]],
) -> None:
    first, second = await start_replica(pod_name="web-7d9f-x2"), await start_replica(pod_name="web-7d9f-x2")
    prefix = first.app.state.settings.queue_prefix

    names = [live_queue(first), live_queue(second)]

    assert all(name.startswith(f"{prefix}.live.web-7d9f-x2.") for name in names)
    assert names[0] != names[1]


@pytest.fixture
async def broker_proxy() -> AsyncIterator[TcpProxy]:
    proxy = TcpProxy("127.0.0.1", 5672)
    await proxy.start()
    try:
        yield proxy
    finally:
        await proxy.stop()


async def test_after_a_broker_cut_sockets_close_with_1012_and_resuming_misses_nothing(
    start_replica: Callable[..., Awaitable[Replica]],
    broker_proxy: TcpProxy,
    producer: Broker,
    owner: Account,
    users: Users,
) -> None:
    user = users[0]
    cut = await start_replica(rabbitmq_url=rabbitmq_through(broker_proxy))
    other = await start_replica()

    async with open_socket(cut, user.token) as socket:
        await publish(producer, booking_failed(user, owner, event_id="before"))
        last = await next_frame(socket)
        await broker_proxy.stop()
        await wait_for(lambda: _not_ready(cut))
        # Stored and announced by the other replica while the cut one has no live queue.
        await publish(producer, booking_failed(user, owner, event_id="during"))
        async with httpx.AsyncClient(base_url=other.url) as client:
            await wait_for(lambda: _stored(client, user, 2))
        await broker_proxy.start()
        with pytest.raises(ConnectionClosedError) as closed:
            await asyncio.wait_for(socket.recv(), FRAME_TIMEOUT_SECONDS)

    assert closed.value.rcvd is not None and closed.value.rcvd.code == SERVICE_RESTART
    async with open_socket(cut, user.token, since=last["id"]) as socket:
        resumed = await next_frame(socket)
        await publish(producer, booking_failed(user, owner, event_id="after"))
        following = await next_frame(socket)
    assert (last["data"]["event_id"], resumed["data"]["event_id"]) == ("before", "during")
    assert following["data"]["event_id"] == "after"


async def _not_ready(replica: Replica) -> bool:
    return not await is_ready(replica.url)


async def _stored(client: httpx.AsyncClient, user: Account, count: int) -> bool:
    return len((await history(client, user))["items"]) >= count
