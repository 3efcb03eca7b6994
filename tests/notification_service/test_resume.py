"""Resuming with `since` when two replicas store side by side: no notification is skipped.

Ids follow the clock of the replica that stores, taken before the write: a notification can be
stored, and announced, after one with a newer id was already delivered. A replica whose database
answers late is made here with a frozen `TcpProxy` in front of its MongoDB.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import pytest

from shared.messages import BookingFacts
from shared.messaging import Broker
from tests.conftest import Account, wait_for
from tests.notification_service.conftest import (
    Replica,
    Users,
    booking_failed,
    next_frame,
    open_socket,
    publish,
)
from tests.tcp_proxy import TcpProxy


@pytest.fixture
async def database_proxy(mongo_url: str) -> AsyncIterator[TcpProxy]:
    address = urlsplit(mongo_url)
    proxy = TcpProxy(address.hostname or "127.0.0.1", address.port or 27017)
    await proxy.start()
    try:
        yield proxy
    finally:
        proxy.thaw()
        await proxy.stop()


def record_handling(replica: Replica) -> tuple[list[str], list[str]]:
    """Returns the lists of the booking messages (by event id) the replica began and finished handling.

    A handling takes its notification's id before its first wait for the database, so once it has
    begun (and the test runs again) the id is taken.
    """
    began: list[str] = []
    finished: list[str] = []
    notifier = replica.app.state.notifier
    booking_changed = notifier.booking_changed

    async def recording(*, message_id: str, message: BookingFacts) -> None:
        began.append(message.event_id)
        await booking_changed(message_id=message_id, message=message)
        finished.append(message.event_id)

    notifier.booking_changed = recording
    return began, finished


async def newer_delivered_while_late_waits(
    start_replica: Callable[..., Awaitable[Replica]],
    database_proxy: TcpProxy,
    producer: Broker,
    owner: Account,
    user: Account,
) -> tuple[Replica, dict[str, Any], list[str]]:
    """One replica takes the id of `late` and waits on its frozen database; another then stores and
    delivers `newer` to the user's socket. Returns that replica, the `newer` frame, and the list of
    the messages the late replica has finished handling."""
    # One message at a time, so that the next goes to the other replica while it waits.
    late = await start_replica(
        mongo_url=f"mongodb://127.0.0.1:{database_proxy.port}", consumer_prefetch=1, mongo_timeout_seconds=30
    )
    began, finished = record_handling(late)
    database_proxy.freeze()
    await publish(producer, booking_failed(user, owner, event_id="late"))
    await wait_for(lambda: _contains(began, "late"))  # its id is taken; its write waits
    prompt = await start_replica()
    async with open_socket(prompt, user.token) as socket:
        await publish(producer, booking_failed(user, owner, event_id="newer"))
        newer = await next_frame(socket)
    return prompt, newer, finished


async def frames_until(socket: Any, event_id: str) -> list[str]:
    """Returns the event ids of the frames received up to the one of `event_id`, that one included."""
    received: list[str] = []
    while not received or received[-1] != event_id:
        received.append((await next_frame(socket))["data"]["event_id"])
    return received


async def test_a_notification_stored_late_by_another_replica_is_replayed_after_a_newer_one(
    start_replica: Callable[..., Awaitable[Replica]],
    database_proxy: TcpProxy,
    producer: Broker,
    owner: Account,
    users: Users,
) -> None:
    user = users[0]
    prompt, newer, finished = await newer_delivered_while_late_waits(
        start_replica, database_proxy, producer, owner, user
    )
    await wait_for(lambda: _connections_are(prompt, 0))
    # Announced while the user has no socket: only the replay can bring it.
    database_proxy.thaw()
    await wait_for(lambda: _contains(finished, "late"))

    async with open_socket(prompt, user.token, since=newer["id"]) as socket:
        await publish(producer, booking_failed(user, owner, event_id="marker"))
        received = await frames_until(socket, "marker")

    assert newer["data"]["event_id"] == "newer"
    assert received == ["late", "marker"]


async def test_a_notification_stored_late_after_the_replay_was_read_comes_live(
    start_replica: Callable[..., Awaitable[Replica]],
    database_proxy: TcpProxy,
    producer: Broker,
    owner: Account,
    users: Users,
) -> None:
    user = users[0]
    prompt, newer, finished = await newer_delivered_while_late_waits(
        start_replica, database_proxy, producer, owner, user
    )

    async with open_socket(prompt, user.token, since=newer["id"]) as socket:
        await publish(producer, booking_failed(user, owner, event_id="replayed"))
        # Live frames wait behind the replay: this one coming means the replay has been read and sent.
        received = await frames_until(socket, "replayed")
        database_proxy.thaw()
        received += await frames_until(socket, "late")
        await wait_for(lambda: _contains(finished, "late"))

    assert received == ["replayed", "late"]


async def test_a_client_resuming_often_while_two_replicas_store_concurrently_misses_nothing(
    start_replica: Callable[..., Awaitable[Replica]], producer: Broker, owner: Account, users: Users
) -> None:
    user = users[0]
    replicas = [await start_replica(), await start_replica()]
    count = 40
    seen: set[str] = set()
    newest = ""

    async def receive(socket: Any, new: int) -> None:
        """Reads frames until `new` of them were not seen before (a replay may repeat a few)."""
        nonlocal newest
        goal = len(seen) + new
        while len(seen) < goal:
            frame = await next_frame(socket)
            seen.add(frame["data"]["event_id"])
            newest = max(newest, frame["id"])

    async with open_socket(replicas[0], user.token) as socket:
        await wait_for(lambda: _connections_are(replicas[0], 1))
        publishing = asyncio.create_task(_publish_many(producer, user, owner, count))
        await receive(socket, 1)
    while len(seen) < count:
        # A socket on each replica in turn, closed after a few frames, each resuming from the newest.
        async with open_socket(replicas[len(seen) % 2], user.token, since=newest) as socket:
            await receive(socket, min(7, count - len(seen)))
    await publishing

    assert seen == {f"c{index}" for index in range(count)}


async def _publish_many(producer: Broker, user: Account, owner: Account, count: int) -> None:
    for index in range(count):
        await publish(producer, booking_failed(user, owner, event_id=f"c{index}"))


async def _contains(items: list[str], item: str) -> bool:
    return item in items


async def _connections_are(replica: Replica, count: int) -> bool:
    return replica.hub.connections == count
