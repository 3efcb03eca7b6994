"""Each consumed message becomes notifications for the right people, stored exactly once."""

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import aio_pika
import httpx
import pytest

from shared.messaging import Broker, Envelope
from tests.conftest import Account, wait_for
from tests.notification_service.conftest import (
    Replica,
    Users,
    booking_cancelled,
    booking_confirmed,
    booking_failed,
    event_cancelled,
    event_created,
    event_deleted,
    event_updated,
    history,
    payment_refunded,
    publish,
    wait_for_history,
)


def kinds(items: list[dict[str, Any]]) -> list[str]:
    return [item["type"] for item in items]


async def test_a_confirmed_booking_tells_the_booker_and_the_event_owner(
    client: httpx.AsyncClient, producer: Broker, owner: Account, users: Users
) -> None:
    booker = users[0]

    await publish(producer, booking_confirmed(booker, owner, tickets=2))

    [mine] = await wait_for_history(client, booker, 1)
    assert mine["type"] == "booking.confirmed"
    assert mine["body"] == "Your booking of 2 tickets for Jazz Night is confirmed; 51.00 EUR paid."
    assert mine["data"]["tickets"] == 2 and mine["read"] is False
    [sold] = await wait_for_history(client, owner, 1)
    assert (sold["type"], sold["body"]) == ("tickets.sold", "2 tickets sold for Jazz Night (51.00 EUR).")


async def test_failed_cancelled_and_refunded_bookings_tell_the_booker(
    client: httpx.AsyncClient, producer: Broker, owner: Account, users: Users
) -> None:
    booker = users[0]
    confirmed = booking_confirmed(booker, owner)

    await publish(producer, booking_failed(booker, owner))
    await publish(producer, confirmed)
    await publish(producer, booking_cancelled(confirmed))
    await publish(producer, payment_refunded(booker, amount=5100))

    items = await wait_for_history(client, booker, 4)
    assert sorted(kinds(items)) == [
        "booking.cancelled",
        "booking.confirmed",
        "booking.failed",
        "payment.refunded",
    ]
    by_kind = {item["type"]: item for item in items}
    assert "card declined" in by_kind["booking.failed"]["body"]
    assert by_kind["payment.refunded"]["body"] == "51.00 EUR is on its way back to you."
    assert kinds(await wait_for_history(client, owner, 1)) == ["tickets.sold"]


@pytest.mark.parametrize("reason", ["cancelled_by_user", "refunded"])
async def test_event_changes_reach_its_current_attendees_only(
    client: httpx.AsyncClient, producer: Broker, owner: Account, users: Users, reason: str
) -> None:
    attendee, leaver, elsewhere, bystander = users
    kept = booking_confirmed(attendee, owner, event_id="e-jazz")
    left = booking_confirmed(leaver, owner, event_id="e-jazz")
    for message in (kept, left, booking_confirmed(elsewhere, owner, event_id="e-other")):
        await publish(producer, message)
    await publish(producer, booking_cancelled(left, reason=reason))
    await wait_for_history(client, leaver, 2)  # confirmed, then cancelled: no longer an attendee

    await publish(producer, event_updated(owner, "e-jazz", changed=["capacity"], capacity=200))
    await publish(producer, event_updated(owner, "e-jazz", changed=["venue", "price"], venue="Red Hall"))
    await publish(producer, event_cancelled(owner, "e-jazz"))
    await publish(producer, event_deleted(owner, "e-jazz", status="cancelled"))  # already told

    items = await wait_for_history(client, attendee, 3)
    assert kinds(items) == ["event.cancelled", "event.updated", "booking.confirmed"]
    assert items[1]["data"]["changed"] == ["venue"]  # what the organizer alone cares about is left out
    assert "Red Hall" in items[1]["body"]
    # A marker published last: once it is there, anything the others were told has been stored too.
    await publish(producer, event_cancelled(owner, "e-other"))
    assert kinds(await wait_for_history(client, elsewhere, 2)) == ["event.cancelled", "booking.confirmed"]
    assert kinds((await history(client, leaver))["items"]) == ["booking.cancelled", "booking.confirmed"]
    assert (await history(client, bystander))["total"] == 0
    assert (await history(client, attendee))["total"] == 3


async def test_a_booking_cancelled_with_its_event_still_hears_of_the_cancellation(
    client: httpx.AsyncClient, producer: Broker, owner: Account, users: Users
) -> None:
    attendee = users[0]
    confirmed = booking_confirmed(attendee, owner, event_id="e-gone")
    await publish(producer, confirmed)
    # The booking service may cancel the bookings before this service reads the event's own message.
    await publish(producer, booking_cancelled(confirmed, reason="event_cancelled"))
    await wait_for_history(client, attendee, 2)

    await publish(producer, event_deleted(owner, "e-gone", status="scheduled"))

    items = await wait_for_history(client, attendee, 3)
    assert items[0]["type"] == "event.cancelled"
    assert items[1]["body"].startswith("Jazz Night was cancelled, so your booking of 2 tickets is cancelled")


async def test_a_new_event_reaches_everyone(
    client: httpx.AsyncClient, producer: Broker, owner: Account, users: Users
) -> None:
    first, second = users[:2]

    await publish(producer, event_created(owner, "e-new", title="Open Air"))

    for account in (first, second, owner):
        [item] = await wait_for_history(client, account, 1)
        assert (item["type"], item["title"]) == ("event.created", "New event: Open Air")
        assert item["body"] == "Open Air at Blue Hall, 01 Jun 2031, 20:00 UTC."


async def test_a_redelivered_message_is_stored_once(
    client: httpx.AsyncClient, producer: Broker, owner: Account, users: Users
) -> None:
    booker = users[0]
    envelope = await publish(producer, booking_failed(booker, owner))
    await producer.publish(envelope)  # the same message id, as a redelivery brings it
    await producer.publish(envelope)

    await publish(producer, payment_refunded(booker))  # a marker behind them on the same path
    await wait_for_history(client, booker, 2)
    assert kinds((await history(client, booker))["items"]) == ["payment.refunded", "booking.failed"]


async def test_a_poison_message_is_dead_lettered_and_the_next_one_processed(
    replica: Replica,
    client: httpx.AsyncClient,
    producer: Broker,
    owner: Account,
    users: Users,
    amqp: aio_pika.abc.AbstractRobustConnection,
) -> None:
    booker = users[0]
    poison = Envelope(
        id=str(uuid.uuid4()),
        source="tests",
        type="booking.failed",
        time=datetime.now(UTC),
        data={"booking_id": "b-poison", "tickets": "many"},
    )
    await producer.publish(poison)
    await publish(producer, booking_failed(booker, owner))

    [item] = await wait_for_history(client, booker, 1)
    assert item["type"] == "booking.failed"
    [bookings] = [c for c in replica.app.state.consumers if c.queue.endswith(".bookings")]
    channel = await amqp.channel()
    dead_letters = await channel.declare_queue(bookings.dead_letter_queue, durable=True, passive=True)
    dead = await wait_for(lambda: dead_letters.get(no_ack=True, fail=False))
    await channel.close()
    assert json.loads(dead.body)["id"] == poison.id
