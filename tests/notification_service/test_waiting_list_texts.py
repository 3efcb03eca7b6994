"""Offers from the waiting list as their user reads them: live, in the history, by email, in the event's
own time; and an offer that ends unpaid told as passed on."""

from datetime import UTC, datetime, timedelta
from typing import Any

from notification_service import rules
from shared.messages import BookingExpired, BookingOffered
from shared.messaging import Broker
from tests.conftest import Account
from tests.notification_service.conftest import (
    Replica,
    Users,
    booking_held,
    history,
    item,
    next_frame,
    open_socket,
    publish,
    with_items,
)

ENTRY_ID = "0b6f7a4e-2f7d-4a39-9c1e-6f1d2a3b4c5d"


def booking_offered(user: Account, owner: Account, expires_at: datetime, **changes: Any) -> BookingOffered:
    held = booking_held(user, owner, expires_at, **changes)
    return BookingOffered(**held.model_dump(), waiting_list_entry_id=ENTRY_ID)


def offer_expired(offered: BookingOffered) -> BookingExpired:
    """`booking.expired` of an offer, as the booking service sends it: naming the entry."""
    return BookingExpired(**offered.model_dump(exclude={"expires_at"}))


def test_an_offer_names_the_event_the_tickets_and_the_local_time_it_is_held_until(
    owner: Account, users: Users
) -> None:
    expires_at = datetime(2030, 6, 22, 17, 45, tzinfo=UTC)
    offered = booking_offered(
        users[0], owner, expires_at, event_timezone="Europe/Berlin", **with_items(item("Regular", 2, 2000))
    )

    [draft] = rules.for_booking(offered)

    assert (draft.recipient, draft.type, draft.channels) == (users[0].id, "booking.offered", (rules.EMAIL,))
    assert draft.body == (
        "Seats freed up for Jazz Night: 2 tickets (2 × Regular) are held for you until "
        "Sat 22 Jun 2030, 19:45 CEST; pay before then to book them."
    )
    assert (draft.data["waiting_list_entry_id"], draft.data["expires_at"]) == (
        ENTRY_ID,
        expires_at.isoformat(),
    )


def test_an_offer_ending_soon_gives_its_time_of_day_alone(owner: Account, users: Users) -> None:
    expires_at = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(hours=2)
    offered = booking_offered(
        users[0], owner, expires_at, event_timezone="Asia/Tokyo", **with_items(item("VIP", 1, 9000))
    )

    [draft] = rules.for_booking(offered)

    local = expires_at + timedelta(hours=9)  # Tokyo keeps no summer time
    assert f"1 ticket (1 × VIP) is held for you until {local:%H:%M} JST;" in draft.body


def test_an_offer_that_ends_unpaid_is_told_as_passed_on_and_a_plain_hold_as_before(
    owner: Account, users: Users
) -> None:
    expires_at = datetime(2030, 6, 22, 17, 45, tzinfo=UTC)
    offered = booking_offered(users[0], owner, expires_at, **with_items(item("Regular", 2, 2000)))
    plain = booking_held(users[0], owner, expires_at, **with_items(item("Regular", 2, 2000)))

    [passed_on] = rules.for_booking(offer_expired(offered))
    [ended] = rules.for_booking(BookingExpired(**plain.model_dump(exclude={"expires_at"})))

    assert (passed_on.type, passed_on.title) == ("booking.expired", "Offer expired")
    assert passed_on.body == (
        "Your offer of 2 tickets (2 × Regular) for Jazz Night from the waiting list ended unpaid and has "
        "passed on to the next in line. Nothing was charged."
    )
    assert passed_on.data["waiting_list_entry_id"] == ENTRY_ID
    assert (ended.title, "waiting_list_entry_id" in ended.data) == ("Hold expired", False)


async def test_an_offer_and_its_expiry_arrive_live_and_are_kept_in_the_history(
    replica: Replica, client: Any, producer: Broker, owner: Account, users: Users
) -> None:
    holder = users[0]
    expires_at = datetime(2030, 6, 22, 17, 45, tzinfo=UTC)
    offered = booking_offered(
        holder, owner, expires_at, event_timezone="Europe/Lisbon", **with_items(item("VIP", 1, 4000))
    )

    async with open_socket(replica, holder.token) as socket:
        await publish(producer, offered)
        offer = await next_frame(socket)
        await publish(producer, offer_expired(offered))
        expiry = await next_frame(socket)

    assert (offer["type"], offer["title"]) == ("booking.offered", "Seats offered from the waiting list")
    assert offer["body"] == (
        "Seats freed up for Jazz Night: 1 ticket (1 × VIP) is held for you until "
        "Sat 22 Jun 2030, 18:45 WEST; pay before then to book them."
    )
    assert (offer["data"]["booking_id"], offer["data"]["waiting_list_entry_id"]) == (
        offered.booking_id,
        ENTRY_ID,
    )
    assert (expiry["type"], expiry["title"]) == ("booking.expired", "Offer expired")
    stored = (await history(client, holder))["items"]
    assert [each["id"] for each in stored] == [expiry["id"], offer["id"]]
