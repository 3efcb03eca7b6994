"""Tickets issued and revoked from real booking and event messages; reading and renaming them."""

import io
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any
from xml.etree import ElementTree

import httpx
import segno

from shared.messages import EventCancelled, EventUpdated
from shared.messaging import Broker
from tests.accounts import Account
from tests.checkin_service.conftest import Stage, publish, tickets_of
from tests.checkin_service.facts import VIP, booking_cancelled, booking_confirmed
from tests.conftest import MessageTap, wait_for

Buy = Callable[..., Awaitable[tuple[Any, list[dict[str, Any]]]]]


async def test_a_confirmed_booking_issues_one_ticket_per_seat_in_the_attendees_names(
    make_stage: Callable[..., Awaitable[Stage]],
    make_account: Callable[..., Awaitable[Account]],
    buy: Buy,
    tap_messages: Callable[[str], Awaitable[MessageTap]],
) -> None:
    issued = await tap_messages("ticket.issued")
    stage = await make_stage()
    booker = await make_account()
    items = [(stage.event.event_id, 2), (VIP, 2)]
    booking, tickets = await buy(stage.event, booker, items, attendee_names=["Ada Lovelace", "Grace Hopper"])

    assert [ticket["ticket_type_id"] for ticket in tickets] == [stage.event.event_id] * 2 + [VIP] * 2
    # The rest are in the booker's full name, from `user.registered` (the tests' is the username).
    names = [ticket["attendee_name"] for ticket in tickets]
    assert names == ["Ada Lovelace", "Grace Hopper", booker.username, booker.username]
    assert {ticket["status"] for ticket in tickets} == {"valid"}
    assert {ticket["booking_id"] for ticket in tickets} == {booking.booking_id}
    assert len({ticket["secret"] for ticket in tickets}) == 4

    async def this_bookings() -> list[dict[str, Any]] | None:  # an earlier test's may still arrive
        mine = [m for m in issued.of_type("ticket.issued") if m["data"]["booking_id"] == booking.booking_id]
        return mine if len(mine) >= 4 else None

    messages = await wait_for(this_bookings)
    assert {message["data"]["ticket_id"] for message in messages} == {ticket["id"] for ticket in tickets}
    assert {message["data"]["event_owner_id"] for message in messages} == {stage.organizer.id}


async def test_a_redelivered_booking_issues_nothing_more(
    checkin: httpx.AsyncClient, make_stage: Callable[..., Awaitable[Stage]], producer: Broker
) -> None:
    stage = await make_stage()
    booking = booking_confirmed(stage.event, stage.organizer.id, [(VIP, 3)])
    await publish(producer, booking, booking)
    first = await tickets_of(checkin, booking.booking_id, stage.organizer, 3)
    await publish(producer, booking)
    # The consumer may handle the copies and this later booking in any order; whichever it handled
    # last, no copy may add a ticket (tests/checkin_service/test_service.py runs copies at once).
    marker = booking_confirmed(stage.event, stage.organizer.id, [(VIP, 1)])
    await publish(producer, marker)
    await tickets_of(checkin, marker.booking_id, stage.organizer, 1)
    response = await checkin.get(f"/bookings/{booking.booking_id}/tickets", headers=stage.organizer.headers)
    assert response.json()["items"] == first
    assert response.json()["total"] == 3


async def test_a_booker_never_announced_gets_an_empty_name(
    checkin: httpx.AsyncClient, make_stage: Callable[..., Awaitable[Stage]], producer: Broker, admin: Account
) -> None:
    stage = await make_stage()
    booking = booking_confirmed(stage.event, "never-registered", [(VIP, 2)], attendee_names=["Ada Lovelace"])
    await publish(producer, booking)
    tickets = await tickets_of(checkin, booking.booking_id, admin, 2)
    # A user id is no name: the second ticket waits for its owner to name it.
    assert [ticket["attendee_name"] for ticket in tickets] == ["Ada Lovelace", ""]


async def test_only_the_owner_or_an_admin_lists_a_bookings_tickets(
    checkin: httpx.AsyncClient,
    make_stage: Callable[..., Awaitable[Stage]],
    make_account: Callable[..., Awaitable[Account]],
    buy: Buy,
    admin: Account,
) -> None:
    stage = await make_stage()
    booker, stranger = await make_account(), await make_account()
    booking, tickets = await buy(stage.event, booker, [(VIP, 1)])
    url = f"/bookings/{booking.booking_id}/tickets"

    assert (await checkin.get(url, headers=stranger.headers)).status_code == 404
    assert (await checkin.get(url, headers=stage.organizer.headers)).status_code == 404
    assert (await checkin.get(url)).status_code == 401
    assert (await checkin.get(url, headers=admin.headers)).json()["items"] == tickets
    ticket_url = f"/tickets/{tickets[0]['id']}"
    assert (await checkin.get(ticket_url, headers=stranger.headers)).status_code == 404
    assert (await checkin.get(f"{ticket_url}/qr.svg", headers=stranger.headers)).status_code == 404
    assert (await checkin.get(ticket_url, headers=booker.headers)).json() == tickets[0]


async def test_a_cancelled_booking_revokes_its_tickets_for_offline_scanners_too(
    checkin: httpx.AsyncClient,
    make_stage: Callable[..., Awaitable[Stage]],
    make_account: Callable[..., Awaitable[Account]],
    buy: Buy,
    producer: Broker,
    tap_messages: Callable[[str], Awaitable[MessageTap]],
) -> None:
    revoked = await tap_messages("ticket.revoked")
    stage = await make_stage()
    booker = await make_account()
    kept, _ = await buy(stage.event, booker, [(VIP, 1)])
    booking, tickets = await buy(stage.event, booker, [(VIP, 2)])
    await publish(producer, booking_cancelled(booking))

    messages = await revoked.wait_for_type("ticket.revoked", 2)
    assert {message["data"]["ticket_id"] for message in messages} == {ticket["id"] for ticket in tickets}
    assert {message["data"]["reason"] for message in messages} == {"booking_cancelled"}
    now_listed = await tickets_of(checkin, booking.booking_id, booker, 2)
    assert {ticket["status"] for ticket in now_listed} == {"revoked"}
    assert {ticket["status"] for ticket in await tickets_of(checkin, kept.booking_id, booker, 1)} == {"valid"}

    url = f"/events/{stage.event.event_id}/revocations"
    first = (await checkin.get(url, params={"limit": 1}, headers=stage.organizer.headers)).json()
    assert first["has_more"] is True and len(first["items"]) == 1
    rest = (
        await checkin.get(url, params={"since": first["next_since"]}, headers=stage.organizer.headers)
    ).json()
    assert rest["has_more"] is False
    listed = [item["ticket_id"] for item in first["items"] + rest["items"]]
    assert sorted(listed) == sorted(ticket["id"] for ticket in tickets)
    done = (
        await checkin.get(url, params={"since": rest["next_since"]}, headers=stage.organizer.headers)
    ).json()
    assert done["items"] == [] and done["next_since"] == rest["next_since"]
    assert (await checkin.get(url, headers=booker.headers)).status_code == 403


async def test_a_cancelled_event_revokes_all_its_tickets(
    checkin: httpx.AsyncClient,
    make_stage: Callable[..., Awaitable[Stage]],
    make_account: Callable[..., Awaitable[Account]],
    buy: Buy,
    producer: Broker,
    tap_messages: Callable[[str], Awaitable[MessageTap]],
) -> None:
    revoked = await tap_messages("ticket.revoked")
    stage = await make_stage()
    first, _ = await buy(stage.event, await make_account(), [(VIP, 2)])
    second, _ = await buy(stage.event, stage.organizer, [(stage.event.event_id, 1)])
    cancelled = EventCancelled(**{**stage.event.model_dump(), "status": "cancelled", "version": 2})
    await publish(producer, cancelled)

    messages = await revoked.wait_for_type("ticket.revoked", 3)
    assert {message["data"]["reason"] for message in messages} == {"event_cancelled"}
    assert {message["data"]["booking_id"] for message in messages} == {first.booking_id, second.booking_id}
    response = await checkin.get(
        f"/events/{stage.event.event_id}/revocations", headers=stage.organizer.headers
    )
    assert len(response.json()["items"]) == 3


async def test_new_event_times_sign_the_tickets_anew(
    checkin: httpx.AsyncClient, make_stage: Callable[..., Awaitable[Stage]], buy: Buy, producer: Broker
) -> None:
    stage = await make_stage()
    booking, tickets = await buy(stage.event, stage.organizer, [(VIP, 1)])
    later = stage.event.starts_at + timedelta(days=1)
    moved = EventUpdated(
        **{
            **stage.event.model_dump(),
            "starts_at": later,
            "ends_at": later + timedelta(hours=2),
            "version": 2,
        },
        changed=["starts_at", "ends_at"],
    )
    await publish(producer, moved)

    async def resigned() -> bool:
        current = await tickets_of(checkin, booking.booking_id, stage.organizer, 1)
        return current[0]["secret"] != tickets[0]["secret"]

    await wait_for(resigned)


async def test_the_owner_renames_an_attendee_until_the_event_starts(
    checkin: httpx.AsyncClient,
    make_stage: Callable[..., Awaitable[Stage]],
    make_account: Callable[..., Awaitable[Account]],
    buy: Buy,
    tap_messages: Callable[[str], Awaitable[MessageTap]],
) -> None:
    issued = await tap_messages("ticket.issued")
    booker = await make_account()
    upcoming = await make_stage()
    _, tickets = await buy(upcoming.event, booker, [(VIP, 1)])
    url = f"/tickets/{tickets[0]['id']}"

    response = await checkin.patch(url, json={"attendee_name": "  Ada Lovelace "}, headers=booker.headers)
    assert response.status_code == 200, response.text
    assert response.json()["attendee_name"] == "Ada Lovelace"
    assert response.json()["secret"] == tickets[0]["secret"]
    reissued = await wait_for(
        lambda: _reissued(issued, tickets[0]["id"]),
    )
    assert reissued["attendee_name"] == "Ada Lovelace"
    stranger = await make_account()
    refused = await checkin.patch(url, json={"attendee_name": "Mallory"}, headers=stranger.headers)
    assert refused.status_code == 404

    started = await make_stage(starts_in=timedelta(minutes=-10))
    _, late = await buy(started.event, booker, [(VIP, 1)])
    response = await checkin.patch(
        f"/tickets/{late[0]['id']}", json={"attendee_name": "Ada"}, headers=booker.headers
    )
    assert response.status_code == 409
    assert "started" in response.json()["detail"]


async def _reissued(tap: MessageTap, ticket_id: str) -> dict[str, Any] | None:
    for message in tap.of_type("ticket.issued"):
        if message["data"]["ticket_id"] == ticket_id and message["data"]["reissued"]:
            return message["data"]
    return None


def _qr_svg(text: str) -> str:
    drawn = io.BytesIO()
    segno.make_qr(text, error="m").save(drawn, kind="svg", scale=4, title="Ticket")
    return drawn.getvalue().decode()


async def test_the_qr_code_is_an_svg_document_of_the_secret(
    checkin: httpx.AsyncClient, make_stage: Callable[..., Awaitable[Stage]], buy: Buy
) -> None:
    stage = await make_stage()
    _, tickets = await buy(stage.event, stage.organizer, [(VIP, 1)])
    response = await checkin.get(f"/tickets/{tickets[0]['id']}/qr.svg", headers=stage.organizer.headers)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    # A file of its own, not a fragment for inline HTML: an image needs the SVG namespace to be drawn.
    assert ElementTree.fromstring(response.content).tag == "{http://www.w3.org/2000/svg}svg"
    # segno draws the same symbol for the same text; one made of another text differs.
    assert response.text == _qr_svg(tickets[0]["secret"])
    secret = tickets[0]["secret"]
    changed = secret[:-1] + ("B" if secret.endswith("A") else "A")
    assert response.text != _qr_svg(changed)
