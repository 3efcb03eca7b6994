"""A message redelivered after a crash: its notifications keep the ids first given, stored once, announced."""

import httpx

from notification_service import batches, rules
from notification_service.models import Notification
from shared.messaging import Broker, build_envelope
from tests.conftest import Account
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


async def test_a_redelivery_announces_what_a_crash_left_unannounced_and_stores_nothing_twice(
    replica: Replica, client: httpx.AsyncClient, producer: Broker, owner: Account, users: Users
) -> None:
    booker = users[0]
    message = booking_confirmed(booker, owner)
    envelope = build_envelope("tests", message)
    # The first delivery stored the notifications; the replica died before announcing them.
    stored = await batches.store(message_id=envelope.id, drafts=rules.for_booking(message))
    assert stored is not None

    async with open_socket(replica, booker.token) as socket:
        await producer.publish(envelope)  # the same message id, as the broker redelivers it
        frame = await next_frame(socket)

    [mine] = await wait_for_history(client, booker, 1)
    assert frame["id"] == mine["id"] == stored.ids[0]
    assert (await history(client, booker))["total"] == 1
    assert (await history(client, owner))["total"] == 1


async def test_a_redelivery_after_a_crash_mid_store_stores_the_rest_under_the_ids_first_given(
    client: httpx.AsyncClient, producer: Broker, owner: Account, users: Users
) -> None:
    attendees = users[:3]
    for attendee in attendees:
        await publish(producer, booking_confirmed(attendee, owner, event_id="e-crash"))
    for attendee in attendees:
        await wait_for_history(client, attendee, 1)
    update = event_updated(owner, "e-crash", changed=["venue"], venue="Red Hall")
    envelope = build_envelope("tests", update)
    first = await batches.store(
        message_id=envelope.id, drafts=rules.for_event(update, attendees=[user.id for user in attendees])
    )
    assert first is not None
    given = dict(zip([draft.recipient for draft in first.drafts], first.ids, strict=True))
    # The crash came after the first notification was written, before the others.
    await Notification.get_pymongo_collection().delete_many({"_id": {"$in": first.ids[1:]}})

    await producer.publish(envelope)

    for attendee in attendees:
        items = await wait_for_history(client, attendee, 2)
        assert [item["type"] for item in items] == ["event.updated", "booking.confirmed"]
        assert items[0]["id"] == given[attendee.id]
