"""Two replicas side by side: each message stored once, and delivered by whichever holds the socket."""

from collections.abc import Awaitable, Callable

import aio_pika
import httpx

from notification_service.messages import NotificationsStored
from notification_service.settings import NotificationSettings
from shared.messages import BookingFacts
from shared.messaging import Broker, Envelope
from tests.conftest import Account, wait_for
from tests.notification_service.conftest import (
    Replica,
    Users,
    booking_confirmed,
    booking_failed,
    event_updated,
    history,
    next_frame,
    open_socket,
    publish,
    wait_for_history,
)


def record_handled(replica: Replica) -> list[str]:
    """Returns the list that the replica adds the id of each booking message it handles to."""
    handled: list[str] = []
    notifier = replica.app.state.notifier
    booking_changed = notifier.booking_changed

    async def recording(*, message_id: str, message: BookingFacts) -> None:
        await booking_changed(message_id=message_id, message=message)
        handled.append(message_id)

    notifier.booking_changed = recording
    return handled


async def test_a_message_consumed_by_one_replica_reaches_the_socket_held_by_the_other_once(
    start_replica: Callable[..., Awaitable[Replica]], producer: Broker, owner: Account, users: Users
) -> None:
    replica_a, replica_b = await start_replica(), await start_replica()
    handled_by_a, handled_by_b = record_handled(replica_a), record_handled(replica_b)
    user = users[0]

    async with open_socket(replica_b, user.token) as socket:
        # The replicas compete for the shared queue, so some of these are consumed by A.
        sent = [
            await publish(producer, booking_failed(user, owner, event_id=f"e{index}")) for index in range(6)
        ]
        frames = [await next_frame(socket) for _ in sent]
        # A handler returns after its frames are published, and the frame can arrive first. Once
        # all have returned, whatever they published is ahead of the marker in B's live queue:
        # the two replicas announce side by side, so without this the marker may overtake.
        await wait_for(lambda: _all_handled(sent, handled_by_a + handled_by_b))
        marker = await publish(producer, booking_failed(user, owner, event_id="marker"))
        last = await next_frame(socket)
        await wait_for(lambda: _all_handled([marker], handled_by_a + handled_by_b))

    assert sorted(frame["data"]["event_id"] for frame in frames) == [f"e{index}" for index in range(6)]
    assert last["data"]["event_id"] == "marker"  # nothing came twice before it
    ours = [envelope.id for envelope in [*sent, marker]]
    assert set(ours) & set(handled_by_a), "replica A consumed none of them"
    assert sorted(id_ for id_ in handled_by_a + handled_by_b if id_ in ours) == sorted(ours)  # each once
    async with httpx.AsyncClient(base_url=replica_a.url) as client:
        assert (await history(client, user))["total"] == 7


async def _all_handled(envelopes: list[Envelope], handled: list[str]) -> bool:
    return {envelope.id for envelope in envelopes} <= set(handled)


async def test_each_replica_serves_the_history_both_stored(
    start_replica: Callable[..., Awaitable[Replica]], producer: Broker, owner: Account, users: Users
) -> None:
    replicas = [await start_replica(), await start_replica()]
    user = users[0]
    for index in range(4):
        await publish(producer, booking_failed(user, owner, event_id=f"e{index}"))

    for replica in replicas:
        async with httpx.AsyncClient(base_url=replica.url) as client:
            await wait_for(lambda client=client: _total_is(client, user, 4))


async def _total_is(client: httpx.AsyncClient, user: Account, total: int) -> bool:
    return (await history(client, user))["total"] == total


async def test_a_change_told_to_many_attendees_goes_to_the_replicas_with_its_text_once(
    replica: Replica,
    notification_settings: NotificationSettings,
    amqp: aio_pika.abc.AbstractRobustConnection,
    producer: Broker,
    owner: Account,
    users: Users,
) -> None:
    channel = await amqp.channel()
    exchange = await channel.get_exchange(notification_settings.event_exchange)
    live = await channel.declare_queue(exclusive=True)
    await live.bind(exchange, routing_key=NotificationsStored.message_type)
    async with httpx.AsyncClient(base_url=replica.url) as client:
        for user in users:
            await publish(producer, booking_confirmed(user, owner, event_id="e-crowd"))
            await wait_for_history(client, user, 1)
    await publish(producer, event_updated(owner, "e-crowd", changed=["venue"], venue="Red Hall"))

    async def change_announced() -> bytes | None:
        message = await live.get(no_ack=True, fail=False)
        return message.body if message is not None and b'"event.updated"' in message.body else None

    body = await wait_for(change_announced)
    await channel.close()

    [notification] = Envelope.model_validate_json(body).data["notifications"]
    assert sorted(notification["recipients"]) == sorted(user.id for user in users)
    assert body.count(notification["title"].encode()) == 1  # not once per attendee
