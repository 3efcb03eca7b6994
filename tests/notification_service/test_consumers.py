"""Each consumed message becomes notifications for the right people, stored exactly once."""

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

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
    booking_expired,
    booking_failed,
    booking_held,
    event_cancelled,
    event_created,
    event_deleted,
    event_updated,
    history,
    item,
    payment_refunded,
    publish,
    wait_for_history,
    with_items,
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


async def test_a_sale_of_ticket_types_names_them_and_the_start_in_the_events_zone(
    client: httpx.AsyncClient, producer: Broker, owner: Account, users: Users
) -> None:
    booker = users[0]
    sale = booking_confirmed(
        booker,
        owner,
        event_title="Jazz on the Roof",
        event_starts_at=datetime(2030, 6, 21, 17, 30, tzinfo=UTC),
        event_timezone="Europe/Berlin",
        # Two items of one type (one with a voucher) are one type to the reader.
        **with_items(item("Regular", 1, 2000), item("VIP", 1, 3500), item("Regular", 1, 2000, "FRIENDS")),
    )

    await publish(producer, sale)

    [mine] = await wait_for_history(client, booker, 1)
    assert mine["body"] == (
        "Your booking of 3 tickets (2 × Regular, 1 × VIP) for Jazz on the Roof is confirmed; 75.00 EUR paid. "
        "It starts Fri 21 Jun 2030, 19:30 CEST."
    )
    assert [(each["name"], each["quantity"]) for each in mine["data"]["items"]] == [
        ("Regular", 1),
        ("VIP", 1),
        ("Regular", 1),
    ]
    assert mine["data"]["items"][2]["voucher"] == "FRIENDS"
    assert (mine["data"]["event_starts_at"], mine["data"]["event_timezone"]) == (
        "2030-06-21T17:30:00+00:00",
        "Europe/Berlin",
    )
    [sold] = await wait_for_history(client, owner, 1)
    assert sold["body"] == "3 tickets sold for Jazz on the Roof (2 × Regular, 1 × VIP; 75.00 EUR)."


async def test_a_booking_message_from_an_older_release_is_told_as_before(
    client: httpx.AsyncClient, producer: Broker, owner: Account, users: Users
) -> None:
    booker = users[0]
    # As a booking service from before ticket types publishes it: no items, no start, no zone.
    older = Envelope(
        id=str(uuid.uuid4()),
        source="tests",
        type="booking.confirmed",
        time=datetime.now(UTC),
        data={
            "booking_id": uuid.uuid4().hex,
            "user_id": booker.id,
            "event_id": "e-old",
            "event_title": "Jazz Night",
            "event_owner_id": owner.id,
            "tickets": 2,
            "amount": 5100,
            "currency": "EUR",
            "payment_id": uuid.uuid4().hex,
        },
    )

    await producer.publish(older)

    [mine] = await wait_for_history(client, booker, 1)
    assert mine["body"] == "Your booking of 2 tickets for Jazz Night is confirmed; 51.00 EUR paid."
    assert (mine["data"]["items"], mine["data"]["event_starts_at"]) == ([], None)
    [sold] = await wait_for_history(client, owner, 1)
    assert sold["body"] == "2 tickets sold for Jazz Night (51.00 EUR)."


async def test_a_hold_and_its_expiry_tell_the_booker_alone_in_the_events_zone(
    client: httpx.AsyncClient, producer: Broker, owner: Account, users: Users
) -> None:
    holder, attendee = users[:2]
    expires_at = (datetime.now(UTC) + timedelta(minutes=15)).replace(second=0, microsecond=0)
    held = booking_held(
        holder,
        owner,
        expires_at,
        event_id="e-hold",
        event_timezone="Asia/Kathmandu",
        **with_items(item("Regular", 2, 2000)),
    )

    await publish(producer, held)
    await publish(producer, booking_expired(held))

    expired, hold = await wait_for_history(client, holder, 2)
    local = expires_at.astimezone(ZoneInfo("Asia/Kathmandu"))
    assert (hold["type"], hold["title"]) == ("booking.held", "Tickets held")
    assert hold["body"] == (
        f"Your 2 tickets (2 × Regular) for Jazz Night are held until {local:%H:%M} UTC+05:45; "
        "pay before then to keep them."
    )
    assert datetime.fromisoformat(hold["data"]["expires_at"]) == expires_at
    assert (expired["type"], expired["title"]) == ("booking.expired", "Hold expired")
    assert expired["body"] == (
        "Your hold on 2 tickets (2 × Regular) for Jazz Night ended unpaid and the seats are back on sale. "
        "Nothing was charged."
    )
    # A marker behind them on the same queue: the organizer hears of the sale, never of the hold.
    await publish(producer, booking_confirmed(attendee, owner, event_id="e-hold"))
    assert kinds(await wait_for_history(client, owner, 1)) == ["tickets.sold"]
    # An unpaid hold makes nobody an attendee: a change of the event reaches the paying one alone.
    await publish(producer, event_updated(owner, "e-hold", changed=["venue"], venue="Red Hall"))
    assert kinds(await wait_for_history(client, attendee, 2)) == ["event.updated", "booking.confirmed"]
    assert kinds((await history(client, holder))["items"]) == ["booking.expired", "booking.held"]
    assert (await history(client, owner))["total"] == 1


async def test_a_hold_ending_on_another_day_is_told_with_its_date(
    client: httpx.AsyncClient, producer: Broker, owner: Account, users: Users
) -> None:
    holder = users[0]
    ends = datetime(2030, 1, 21, 18, 45, tzinfo=UTC)
    held = booking_held(holder, owner, ends, event_timezone="Europe/Paris")

    await publish(producer, held)

    [hold] = await wait_for_history(client, holder, 1)
    assert hold["body"] == (
        "Your 2 tickets for Jazz Night are held until Mon 21 Jan 2030, 19:45 CET; "
        "pay before then to keep them."
    )


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
        assert item["body"] == "Open Air at Blue Hall, Sun 1 Jun 2031, 20:00 UTC."


@pytest.mark.parametrize(
    ("zone", "told"),
    [
        ("Europe/Berlin", "Sun 1 Jun 2031, 22:00 CEST"),
        ("America/New_York", "Sun 1 Jun 2031, 16:00 EDT"),
        ("Asia/Kolkata", "Mon 2 Jun 2031, 01:30 IST"),
        # A zone this host does not know is told in UTC, never refused or retried.
        ("Mars/Olympus_Mons", "Sun 1 Jun 2031, 20:00 UTC"),
        ("Europe", "Sun 1 Jun 2031, 20:00 UTC"),
    ],
)
async def test_event_times_are_told_in_the_events_own_zone(
    client: httpx.AsyncClient, producer: Broker, owner: Account, users: Users, zone: str, told: str
) -> None:
    attendee = users[0]
    await publish(producer, booking_confirmed(attendee, owner, event_id="e-zoned"))
    await wait_for_history(client, attendee, 1)

    await publish(producer, event_created(owner, "e-zoned", title="Open Air", timezone=zone))
    await publish(producer, event_cancelled(owner, "e-zoned", timezone=zone))

    cancelled, created, _ = await wait_for_history(client, attendee, 3)
    assert created["body"] == f"Open Air at Blue Hall, {told}."
    assert created["data"]["timezone"] == zone
    assert cancelled["body"] == (
        f"Jazz Night on {told} is cancelled; your bookings are cancelled and refunded."
    )


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
