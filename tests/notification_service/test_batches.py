"""A message's notifications in parts: bounded documents, stored once however often the message comes.

Parts are written straight through `batches.store` against the replica's real database, to play a
crash (a store left half done) or a second replica handling the same message at the same time.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import bson
import httpx

from notification_service import batches, rules, service
from notification_service.models import Notification
from notification_service.settings import MAX_PART_SIZE
from shared.messages import BookingCancelled
from shared.messaging import Broker, build_envelope
from tests.conftest import Account, wait_for
from tests.messages import paid_booking
from tests.notification_service.conftest import (
    Replica,
    Users,
    booking_confirmed,
    event_updated,
    history,
    next_frame,
    open_socket,
    publish,
    wait_for_history,
)

MONGO_MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
READ_TIMEOUT = 5.0


async def _attend(event_id: str, *user_ids: str) -> None:
    for user_id in user_ids:
        await service.record_booking(message=paid_booking(user_id, event_id))


async def _leave(event_id: str, user_id: str) -> None:
    confirmed = paid_booking(user_id, event_id).model_dump(exclude={"payment_id"})
    cancelled = BookingCancelled(**confirmed, reason="cancelled_by_user", refunded_amount=2550)
    await service.record_booking(message=cancelled)


def _store(message_id: str, event_id: str, part_size: int) -> AsyncIterator[list[batches.Part]]:
    update = event_updated(Account("organizer", "organizer", ""), event_id, changed=["venue"])
    return batches.store(
        message_id=message_id, drafts=rules.for_event(update), part_size=part_size, read_timeout=READ_TIMEOUT
    )


async def _told(message_id: str) -> list[str]:
    """Returns every recipient stored for the message, as often as they are stored."""
    parts = await Notification.find({"message_id": message_id}).sort("part").to_list()
    return [recipient for part in parts for recipient in part.recipient]


async def _all_told(message_id: str, count: int) -> bool:
    return len(await _told(message_id)) >= count


async def test_a_redelivery_announces_what_a_crash_left_unannounced_and_stores_nothing_twice(
    replica: Replica, client: httpx.AsyncClient, producer: Broker, owner: Account, users: Users
) -> None:
    booker = users[0]
    message = booking_confirmed(booker, owner)
    envelope = build_envelope("tests", message)
    # The first delivery stored the notifications; the replica died before announcing them.
    stored = [
        part
        async for parts in batches.store(
            message_id=envelope.id,
            drafts=rules.for_booking(message),
            part_size=replica.app.state.settings.part_size,
            read_timeout=READ_TIMEOUT,
        )
        for part in parts
    ]
    assert [part.recipients for part in stored] == [[booker.id], [owner.id]]

    async with open_socket(replica, booker.token) as socket:
        await producer.publish(envelope)  # the same message id, as the broker redelivers it
        frame = await next_frame(socket)

    [mine] = await wait_for_history(client, booker, 1)
    assert frame["id"] == mine["id"] == stored[0].id
    assert (await history(client, booker))["total"] == 1
    assert (await history(client, owner))["total"] == 1


async def test_an_event_change_is_stored_in_parts_of_at_most_part_size_each_attendee_once(
    start_replica: Callable[..., Awaitable[Replica]], producer: Broker, owner: Account, users: Users
) -> None:
    replica = await start_replica(part_size=3)
    attendees = sorted(users, key=lambda user: user.id)
    others = [f"user-{index}" for index in range(6)]  # attendees without a socket
    await _attend("e-parts", *others)
    for attendee in attendees:
        await publish(producer, booking_confirmed(attendee, owner, event_id="e-parts"))
    async with httpx.AsyncClient(base_url=replica.url) as client:
        for attendee in attendees:
            await wait_for_history(client, attendee, 1)

    update = await publish(producer, event_updated(owner, "e-parts", changed=["venue"], venue="Red Hall"))
    async with httpx.AsyncClient(base_url=replica.url) as client:
        for attendee in attendees:
            [changed, _] = await wait_for_history(client, attendee, 2)
            assert changed["type"] == "event.updated"

    everyone = sorted([*others, *(attendee.id for attendee in attendees)])
    await wait_for(lambda: _all_told(update.id, len(everyone)))  # the last parts hold no account
    parts = await Notification.find({"message_id": update.id}).sort("part").to_list()
    assert [len(part.recipient) for part in parts] == [3, 3, 3, 1]  # ten attendees
    assert sorted(await _told(update.id)) == everyone
    assert [part.id for part in parts] == sorted(part.id for part in parts)


async def test_a_redelivery_after_a_crash_mid_store_tells_each_attendee_once_though_they_changed(
    replica: Replica,
) -> None:
    await _attend("e-crash", "u1", "u2", "u3", "u4", "u5")
    message_id = uuid.uuid4().hex
    first = _store(message_id, "e-crash", part_size=2)
    [crashed_after] = await anext(first)  # the first part stored, then the replica died
    await first.aclose()
    assert crashed_after.recipients == ["u1", "u2"]
    # Meanwhile u1 (told already) and u3 (not yet) cancel; u0 and u6 book.
    await _leave("e-crash", "u1")
    await _leave("e-crash", "u3")
    await _attend("e-crash", "u0", "u6")

    again = [part async for parts in _store(message_id, "e-crash", part_size=2) for part in parts]

    assert [part.recipients for part in again] == [["u1", "u2"], ["u4", "u5"], ["u6"]]
    assert again[0].id == crashed_after.id  # taken as it was stored, and announced again
    # u0 came after the first handling had passed their place; whoever it passed was told once.
    assert await _told(message_id) == ["u1", "u2", "u4", "u5", "u6"]


async def test_two_replicas_storing_the_same_message_at_once_tell_each_attendee_once(
    replica: Replica,
) -> None:
    await _attend("e-race", "u1", "u2", "u3", "u4", "u5")
    message_id = uuid.uuid4().hex
    handlings = [_store(message_id, "e-race", part_size=2), _store(message_id, "e-race", part_size=2)]
    stored: list[list[batches.Part]] = [[], []]

    running = [0, 1]
    while running:  # a part each in turn: each finds every other part taken by the other
        for handling in list(running):
            parts = await anext(handlings[handling], None)
            if parts is None:
                running.remove(handling)
            else:
                stored[handling].extend(parts)

    assert [[part.recipients for part in parts] for parts in stored] == [
        [["u1", "u2"], ["u3", "u4"], ["u5"]]
    ] * 2
    assert [part.id for part in stored[0]] == [part.id for part in stored[1]]
    assert await _told(message_id) == ["u1", "u2", "u3", "u4", "u5"]


async def test_attendees_are_read_a_batch_at_a_time_each_batch_within_the_time_limit(
    replica: Replica,
) -> None:
    users = [f"u{index:02d}" for index in range(12)]
    await _attend("e-slow", *reversed(users))
    await _attend("e-slow", "u03")  # a second booking: still one attendee
    await _attend("e-other", "x1")
    limit = 0.5

    batches_read = []
    async for batch in service.attendees(event_id="e-slow", batch_size=5, batch_timeout=limit):
        batches_read.append(batch)
        await _take_longer_than(limit / 2)  # the whole read lasts longer than one limit

    assert [user for batch in batches_read for user in batch] == users
    assert all(len(batch) <= 5 for batch in batches_read)


async def _take_longer_than(seconds: float) -> None:
    """A slow consumer of each batch, as a fan-out announcing every part before reading on."""
    await asyncio.sleep(seconds)


def test_a_full_part_is_far_below_the_16_mb_document_limit_whatever_the_attendance() -> None:
    """An event of a million attendees makes a thousand parts at the default size; each document's
    size depends on the part size alone, and the largest allowed part, every recipient with a long
    id and every one of them a reader, still fits many times over."""
    recipients = [f"{index:0100d}" for index in range(MAX_PART_SIZE)]
    document = {
        "_id": "0" * 24,
        "message_id": str(uuid.uuid4()),
        "slot": 0,
        "part": 999,
        "recipient": recipients,
        "type": "event.cancelled",
        "title": "Event cancelled: " + "x" * 200,
        "body": "y" * 2000,
        "data": {"event_id": "e" * 24, "starts_at": "2031-06-01T20:00:00+00:00", "venue": "v" * 200},
        "created_at": None,
        "read_by": recipients,
    }

    assert len(bson.encode(document)) < MONGO_MAX_DOCUMENT_BYTES / 4
