"""`/ws` with real WebSocket clients: authentication, several tabs, resuming with `since`, bad clients."""

import asyncio
import contextlib
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from websockets.exceptions import ConnectionClosedError

from notification_service.settings import NotificationSettings
from shared.messaging import Broker
from tests.conftest import Account, wait_for
from tests.notification_service.conftest import (
    Replica,
    Users,
    booking_expired,
    booking_failed,
    booking_held,
    closed_with,
    event_created,
    history,
    item,
    next_frame,
    open_socket,
    publish,
    wait_for_history,
    with_items,
)
from tests.tcp_proxy import TcpProxy
from user_service.keys import load_signing_key
from user_service.settings import UserSettings

FRAME_FIELDS = {"id", "type", "title", "body", "data", "created_at"}


def token_expiring(user_settings: UserSettings, account: Account, expires_at: datetime) -> str:
    """A token signed by the user service's own key, valid until `expires_at`."""
    key = load_signing_key(pem=None, path=user_settings.signing_key_file)
    return key.sign(
        {
            "sub": account.id,
            "username": account.username,
            "roles": ["attendee"],
            "iat": expires_at - timedelta(minutes=15),
            "exp": expires_at,
            "iss": user_settings.jwt_issuer,
            "aud": user_settings.jwt_audience,
        }
    )


def expired_token(user_settings: UserSettings, account: Account) -> str:
    return token_expiring(user_settings, account, datetime.now(UTC) - timedelta(minutes=1))


@pytest.mark.parametrize("kind", ["missing", "malformed", "expired"])
async def test_a_missing_bad_or_expired_token_closes_with_4401_before_anything_is_sent(
    kind: str, replica: Replica, owner: Account, users: Users, user_settings: UserSettings
) -> None:
    account = users[0]
    token = {"missing": None, "malformed": "not-a-jwt", "expired": expired_token(user_settings, account)}[
        kind
    ]

    code, _ = await closed_with(replica, token)

    assert code == 4401
    assert replica.hub.connections == 0


async def test_a_socket_is_closed_with_4401_when_its_token_expires(
    replica: Replica, users: Users, user_settings: UserSettings
) -> None:
    expires_at = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=3)
    token = token_expiring(user_settings, users[0], expires_at)

    async with open_socket(replica, token) as socket:
        await wait_for(lambda: _connections(replica, 1))
        with pytest.raises(ConnectionClosedError) as closed:
            await asyncio.wait_for(socket.recv(), 15)
        closed_at = datetime.now(UTC)

    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
    assert "expired" in closed.value.rcvd.reason
    assert closed_at >= expires_at
    await wait_for(lambda: _connections(replica, 0))


async def test_sockets_are_closed_with_4401_each_when_its_own_token_expires(
    replica: Replica, users: Users, user_settings: UserSettings
) -> None:
    """One timer serves every socket's expiry: a socket opened later that expires sooner goes first,
    and a socket that closed before its expiry takes nobody with it."""
    now = datetime.now(UTC).replace(microsecond=0)
    soonest = token_expiring(user_settings, users[0], now + timedelta(seconds=3))
    sooner = token_expiring(user_settings, users[1], now + timedelta(seconds=4))
    later = token_expiring(user_settings, users[2], now + timedelta(seconds=6))

    async with open_socket(replica, later) as last, open_socket(replica, sooner) as first:
        async with open_socket(replica, soonest):
            await wait_for(lambda: _connections(replica, 3))
        await wait_for(lambda: _connections(replica, 2))
        with pytest.raises(ConnectionClosedError) as first_closed:
            await asyncio.wait_for(first.recv(), 15)
        first_closed_at = datetime.now(UTC)
        with pytest.raises(ConnectionClosedError) as last_closed:
            await asyncio.wait_for(last.recv(), 15)
        last_closed_at = datetime.now(UTC)

    assert first_closed.value.rcvd is not None and first_closed.value.rcvd.code == 4401
    assert last_closed.value.rcvd is not None and last_closed.value.rcvd.code == 4401
    assert now + timedelta(seconds=4) <= first_closed_at < now + timedelta(seconds=6) <= last_closed_at
    await wait_for(lambda: _connections(replica, 0))


async def _connections(replica: Replica, count: int) -> bool:
    return replica.hub.connections == count


async def test_a_service_identity_and_a_malformed_since_are_refused(
    replica: Replica, owner: Account, users: Users, service_token: str
) -> None:
    account = users[0]

    assert (await closed_with(replica, service_token))[0] == 4403
    assert await closed_with(replica, account.token, since="../etc") == (4422, "since: not a notification id")


async def test_a_replay_that_cannot_read_history_closes_with_1013(
    start_replica: Callable[..., Awaitable[Replica]], users: Users, mongo_url: str
) -> None:
    address = urlsplit(mongo_url)
    database = TcpProxy(address.hostname or "127.0.0.1", address.port or 27017)
    await database.start()
    try:
        replica = await start_replica(
            mongo_url=f"mongodb://127.0.0.1:{database.port}", mongo_timeout_seconds=1.0
        )
        await database.stop()  # the database goes away under a running replica

        code, reason = await closed_with(replica, users[0].token, since="0" * 24)
    finally:
        await database.stop()

    assert (code, reason) == (1013, "The database is unavailable; reconnect shortly")
    await wait_for(lambda: _connections_are(replica, 0))


async def test_every_open_tab_of_the_user_receives_each_notification(
    replica: Replica, producer: Broker, owner: Account, users: Users
) -> None:
    user, other = users[:2]

    async with (
        open_socket(replica, user.token) as first,
        open_socket(replica, user.token) as second,
        open_socket(replica, other.token) as elsewhere,
    ):
        await publish(producer, booking_failed(user, owner))
        frames = [await next_frame(first), await next_frame(second)]
        await publish(producer, booking_failed(other, owner))
        other_frame = await next_frame(elsewhere)

    assert frames[0] == frames[1]
    assert set(frames[0]) == FRAME_FIELDS
    assert (frames[0]["type"], frames[0]["title"]) == ("booking.failed", "Booking failed")
    assert other_frame["id"] != frames[0]["id"]  # the other user's socket got only their own


async def test_a_hold_and_its_expiry_arrive_live_and_are_kept_in_the_history(
    replica: Replica, client: Any, producer: Broker, owner: Account, users: Users
) -> None:
    holder = users[0]
    expires_at = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=10)
    held = booking_held(holder, owner, expires_at, event_timezone="UTC", **with_items(item("VIP", 1, 4000)))

    async with open_socket(replica, holder.token) as socket:
        await publish(producer, held)
        hold = await next_frame(socket)
        await publish(producer, booking_expired(held))
        expiry = await next_frame(socket)

    assert set(hold) == FRAME_FIELDS
    assert (hold["type"], hold["title"]) == ("booking.held", "Tickets held")
    assert hold["body"] == (
        f"Your 1 ticket (1 × VIP) for Jazz Night is held until {expires_at:%H:%M} UTC; "
        "pay before then to keep them."
    )
    assert hold["data"]["booking_id"] == held.booking_id
    assert (expiry["type"], expiry["title"]) == ("booking.expired", "Hold expired")
    assert "Nothing was charged." in expiry["body"]
    stored = (await history(client, holder))["items"]
    assert [(each["id"], each["body"]) for each in stored] == [
        (expiry["id"], expiry["body"]),
        (hold["id"], hold["body"]),
    ]


async def test_since_replays_what_was_missed_in_order_then_goes_on_live_without_gap_or_duplicate(
    replica: Replica, client: Any, producer: Broker, owner: Account, users: Users
) -> None:
    user = users[0]
    async with open_socket(replica, user.token) as socket:
        await publish(producer, booking_failed(user, owner, event_id="m1"))
        last_seen = await next_frame(socket)

    for message in (booking_failed(user, owner, event_id="m2"), event_created(owner, "m3")):
        await publish(producer, message)
    await wait_for_history(client, user, 3)

    async with open_socket(replica, user.token, since=last_seen["id"]) as socket:
        await publish(producer, booking_failed(user, owner, event_id="m4"))  # races the replay
        received = [await next_frame(socket) for _ in range(3)]
        await publish(producer, booking_failed(user, owner, event_id="m5"))
        received.append(await next_frame(socket))

    assert [frame["data"]["event_id"] for frame in received] == ["m2", "m3", "m4", "m5"]
    assert [frame["id"] for frame in received] == sorted(frame["id"] for frame in received)


async def test_frames_of_messages_from_several_queues_reach_a_socket_in_id_order(
    replica: Replica, producer: Broker, owner: Account, users: Users
) -> None:
    """The replica handles the queues' messages concurrently: were ids given in one order and frames
    sent in another, a client resuming from the last id it saw would skip the ones still to come."""
    user = users[0]
    async with open_socket(replica, user.token) as socket:
        for index in range(10):  # the bookings queue and the events queue, in turn
            await publish(producer, booking_failed(user, owner, event_id=f"b{index}"))
            await publish(producer, event_created(owner, f"c{index}"))
        frames = [await next_frame(socket) for _ in range(20)]

    ids = [frame["id"] for frame in frames]
    assert ids == sorted(set(ids))
    by_queue = [
        [frame["data"]["event_id"] for frame in frames if frame["data"]["event_id"].startswith(prefix)]
        for prefix in "bc"
    ]
    assert by_queue == [[f"{prefix}{index}" for index in range(10)] for prefix in "bc"]  # each in order


async def test_a_dead_socket_is_dropped_without_disturbing_the_others(
    replica: Replica, producer: Broker, owner: Account, users: Users
) -> None:
    user = users[0]
    async with open_socket(replica, user.token) as survivor:
        dead = await open_socket(replica, user.token)
        assert replica.hub.connections == 2
        dead.transport.abort()  # gone without a closing handshake, as a crashed client or a cut network

        await wait_for(lambda: _connections_are(replica, 1))
        await publish(producer, booking_failed(user, owner))
        assert (await next_frame(survivor))["type"] == "booking.failed"


async def test_a_client_that_stops_reading_is_dropped_and_cannot_stall_the_others(
    start_replica: Callable[..., Awaitable[Replica]], producer: Broker, owner: Account, users: Users
) -> None:
    replica = await start_replica(ws_queue_size=4, ws_close_timeout_seconds=0.5)
    reader, stalled_user = users[:2]
    count = 40
    titles = [secrets.token_hex(50_000) for _ in range(count)]  # large, and no compression shrinks them

    stalled = await open_socket(replica, stalled_user.token, compression=None)
    stalled.transport.pause_reading()
    try:
        async with open_socket(replica, reader.token, compression=None, max_size=None) as reading:
            receiving = asyncio.create_task(_titles_of(reading, count))
            for index, title in enumerate(titles):
                await publish(producer, event_created(owner, f"e{index}", title=title))

            assert await receiving == [f"New event: {title}" for title in titles]
            await wait_for(lambda: _connections_are(replica, 1))
    finally:
        stalled.transport.abort()


async def _titles_of(socket: Any, count: int) -> list[str]:
    return [(await next_frame(socket))["title"] for _ in range(count)]


async def _connections_are(replica: Replica, count: int) -> bool:
    return replica.hub.connections == count


def test_a_socket_is_bounded_by_default_to_10_per_user_4_kb_messages_and_1000_replayed() -> None:
    settings = NotificationSettings(_env_file=None)

    assert (settings.ws_sockets_per_user, settings.ws_max_inbound_bytes, settings.ws_replay_limit) == (
        10,
        4096,
        1000,
    )


async def test_a_user_holds_at_most_ten_sockets_the_next_closes_with_4429(
    replica: Replica, producer: Broker, owner: Account, users: Users
) -> None:
    user, other = users[:2]
    async with contextlib.AsyncExitStack() as stack:
        sockets = [await stack.enter_async_context(open_socket(replica, user.token)) for _ in range(10)]
        await wait_for(lambda: _connections_are(replica, 10))

        assert await closed_with(replica, user.token) == (
            4429,
            "Too many open sockets: at most 10 per user; close one first",
        )
        async with open_socket(replica, other.token):  # another user is not held back
            await wait_for(lambda: _connections_are(replica, 11))
        await sockets.pop().close()
        await wait_for(lambda: _connections_are(replica, 9))
        async with open_socket(replica, user.token) as again:  # room for one again
            await publish(producer, booking_failed(user, owner))
            assert (await next_frame(again))["type"] == "booking.failed"


async def test_the_sockets_per_user_are_a_setting(
    start_replica: Callable[..., Awaitable[Replica]], users: Users
) -> None:
    replica = await start_replica(ws_sockets_per_user=1)

    async with open_socket(replica, users[0].token):
        await wait_for(lambda: _connections_are(replica, 1))
        code, reason = await closed_with(replica, users[0].token)

    assert (code, reason) == (4429, "Too many open sockets: at most 1 per user; close one first")


@pytest.mark.parametrize("message", ["x" * 4097, b"\x00" * 4097], ids=["text", "binary"])
async def test_a_client_message_over_4_kb_closes_its_socket_with_1009(
    replica: Replica, producer: Broker, owner: Account, users: Users, message: str | bytes
) -> None:
    user = users[0]
    async with open_socket(replica, user.token) as socket:
        await socket.send("x" * 4096)  # small messages are ignored
        await publish(producer, booking_failed(user, owner))
        assert (await next_frame(socket))["type"] == "booking.failed"

        await socket.send(message)
        with pytest.raises(ConnectionClosedError) as closed:
            await asyncio.wait_for(socket.recv(), 10)

    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (1009, "Message too big: at most 4096 bytes")
    await wait_for(lambda: _connections_are(replica, 0))


async def _store(
    client: httpx.AsyncClient, producer: Broker, owner: Account, user: Account, count: int
) -> list[str]:
    """Stores `count` notifications for the user; returns the ids of all theirs, oldest first."""
    for index in range(count):
        await publish(producer, booking_failed(user, owner, event_id=f"r{index}"))
    return [item["id"] for item in reversed(await wait_for_history(client, user, count))]


async def test_a_replay_of_more_than_the_limit_sends_replay_truncated_then_goes_on_live(
    start_replica: Callable[..., Awaitable[Replica]], producer: Broker, owner: Account, users: Users
) -> None:
    replica = await start_replica(ws_replay_limit=3)
    user = users[0]
    async with httpx.AsyncClient(base_url=replica.url) as client:
        ids = await _store(client, producer, owner, user, 5)

    async with open_socket(replica, user.token, since=ids[0]) as socket:  # 4 missed, 3 replayed at most
        truncated = await next_frame(socket)
        await publish(producer, booking_failed(user, owner, event_id="live"))
        live = await next_frame(socket)

    assert truncated == {
        "type": "replay_truncated",
        "since": ids[0],
        "limit": 3,
        "detail": "More than 3 missed: none replayed; reload them with GET /notifications",
    }
    assert (live["type"], live["data"]["event_id"]) == ("booking.failed", "live")


async def test_a_replay_within_the_limit_is_whole(
    start_replica: Callable[..., Awaitable[Replica]], producer: Broker, owner: Account, users: Users
) -> None:
    replica = await start_replica(ws_replay_limit=3)
    user = users[0]
    async with httpx.AsyncClient(base_url=replica.url) as client:
        ids = await _store(client, producer, owner, user, 4)

    async with open_socket(replica, user.token, since=ids[0]) as socket:  # 3 missed
        replayed = [await next_frame(socket) for _ in range(3)]

    assert [frame["id"] for frame in replayed] == ids[1:]
