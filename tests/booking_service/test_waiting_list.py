"""The waiting list over real HTTP: who may join and when, the order offers follow, partial offers,
paying an offer, withdrawing, and who sees which entries."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from tests.apps import wait_for
from tests.booking_service.catalogue import publish_catalogue, ticket_type
from tests.booking_service.conftest import Platform, availability, book, buy, in_days
from tests.booking_service.waiting import entry_of, join, wait_for_state
from tests.conftest import Account, MessageTap

CreateEvent = Callable[..., Awaitable[dict[str, Any]]]
MakeAccount = Callable[..., Awaitable[Account]]


@pytest.fixture
async def buyer(make_account: MakeAccount) -> Account:
    return await make_account()


async def _accounts(make_account: MakeAccount, count: int) -> list[Account]:
    return list(await asyncio.gather(*(make_account() for _ in range(count))))


async def _sold_out(bookings: httpx.AsyncClient, buyer: Account, event_id: str, *sizes: int) -> list[str]:
    """Books the event's default type in bookings of `sizes`; returns their ids."""
    ids = []
    for size in sizes:
        response = await book(bookings, buyer, event_id, tickets=size)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return ids


async def _cancel(bookings: httpx.AsyncClient, buyer: Account, booking_id: str) -> None:
    response = await bookings.post(f"/bookings/{booking_id}/cancel", headers=buyer.headers)
    assert response.status_code == 200, response.text


async def test_joining_is_refused_while_seats_are_on_sale_and_checked_like_a_booking(
    bookings: httpx.AsyncClient, create_event: CreateEvent, buyer: Account, make_account: MakeAccount
) -> None:
    event = await create_event(capacity=4, max_tickets_per_booking=4)
    [waiter] = await _accounts(make_account, 1)

    on_sale = await join(bookings, waiter, event["id"], 2)

    assert on_sale.status_code == 409, on_sale.text
    assert (on_sale.json()["reason"], on_sale.json()["ticket_type_id"]) == ("on_sale", event["id"])
    assert "4 left" in on_sale.json()["detail"]
    await _sold_out(bookings, buyer, event["id"], 4)
    too_many = await join(bookings, waiter, event["id"], 5)
    assert too_many.status_code == 422 and too_many.json()["field"] == "quantity", too_many.text
    unknown = await join(bookings, waiter, event["id"], ticket_type_id="665f1c2e9b1d4a00deadbeef")
    assert unknown.status_code == 422 and unknown.json()["field"] == "ticket_type_id", unknown.text
    zero = await join(bookings, waiter, event["id"], 0)
    assert zero.status_code == 422 and zero.json()["detail"][0]["loc"] == ["body", "quantity"]
    anonymous = await bookings.post(
        f"/events/{event['id']}/waiting-list", json={"ticket_type_id": event["id"], "quantity": 1}
    )
    assert anonymous.status_code == 401

    joined = await join(bookings, waiter, event["id"], 2)

    assert joined.status_code == 201, joined.text
    entry = joined.json()
    assert (entry["state"], entry["position"], entry["quantity"], entry["offer"]) == ("waiting", 1, 2, None)
    assert entry["accept_partial"] is False
    again = await join(bookings, waiter, event["id"], 1)
    assert again.status_code == 409 and again.json()["reason"] == "already_waiting", again.text
    seats = await availability(bookings, event["id"])
    assert (seats["waiting"], seats["ticket_types"][0]["waiting"], seats["available"]) == (2, 2, 0)


async def test_a_type_outside_its_sales_window_has_no_waiting_list(
    platform: Platform, bookings: httpx.AsyncClient, create_event: CreateEvent, buyer: Account
) -> None:
    event = await create_event(capacity=10)
    await publish_catalogue(
        platform,
        bookings,
        event,
        version=event["version"] + 1,
        ticket_types=[
            ticket_type(event["id"], "Admission", 1000),
            ticket_type("late", "Late entry", 500, sales_start=in_days(1)),
            ticket_type("early", "Early bird", 700, sales_end=in_days(-1)),
        ],
    )

    for kind, reason in (("late", "not_yet"), ("early", "ended")):
        refused = await join(bookings, buyer, event["id"], ticket_type_id=kind)
        assert refused.status_code == 409, refused.text
        assert (refused.json()["reason"], refused.json()["ticket_type_id"]) == (reason, kind)
    assert (await availability(bookings, event["id"]))["waiting"] == 0


async def test_freed_seats_are_offered_first_in_first_offered_and_paid_as_a_hold(
    bookings: httpx.AsyncClient,
    create_event: CreateEvent,
    buyer: Account,
    make_account: MakeAccount,
    tap_messages: Callable[[str], Awaitable[MessageTap]],
) -> None:
    tap = await tap_messages("booking.*")
    event = await create_event(capacity=2, max_tickets_per_booking=2, price=3000, timezone="Europe/Berlin")
    sold = await _sold_out(bookings, buyer, event["id"], 1, 1)
    first, second = await _accounts(make_account, 2)
    first_entry = (await join(bookings, first, event["id"])).json()
    second_entry = (await join(bookings, second, event["id"])).json()
    assert (first_entry["position"], second_entry["position"]) == (1, 2)

    await _cancel(bookings, buyer, sold[0])

    offered = await wait_for_state(bookings, first, first_entry["id"], "offered")
    assert (offered["offer"]["quantity"], offered["position"]) == (1, None)
    waiting = await entry_of(bookings, second, second_entry["id"])
    assert (waiting["state"], waiting["position"]) == ("waiting", 1)
    [message] = await tap.wait_for_type("booking.offered")
    assert message["data"]["waiting_list_entry_id"] == first_entry["id"]
    assert (message["data"]["booking_id"], message["data"]["user_id"]) == (
        offered["offer"]["booking_id"],
        first.id,
    )
    assert message["data"]["event_timezone"] == "Europe/Berlin"
    hold = (await bookings.get(f"/bookings/{offered['offer']['booking_id']}", headers=first.headers)).json()
    assert (hold["status"], hold["tickets"], hold["amount"]) == ("held", 1, 3000)
    assert hold["waiting_list_entry_id"] == first_entry["id"]
    seats = await availability(bookings, event["id"])
    assert (seats["sold"], seats["held"], seats["available"]) == (1, 1, 0)
    assert (await book(bookings, buyer, event["id"])).status_code == 409
    assert (await bookings.post(f"/bookings/{hold['id']}/pay", headers=second.headers)).status_code == 404

    paid = await bookings.post(f"/bookings/{hold['id']}/pay", headers=first.headers)

    assert paid.status_code == 200 and paid.json()["status"] == "confirmed", paid.text
    booked = await entry_of(bookings, first, first_entry["id"])
    assert (booked["state"], booked["offer"]["booking_id"]) == ("booked", hold["id"])
    confirmed = await tap.wait_for_type("booking.confirmed", count=3)
    assert confirmed[-1]["data"]["waiting_list_entry_id"] == first_entry["id"]
    assert (await entry_of(bookings, second, second_entry["id"]))["state"] == "waiting"


async def test_a_group_is_skipped_for_fewer_seats_unless_it_accepts_a_partial_offer(
    bookings: httpx.AsyncClient, create_event: CreateEvent, buyer: Account, make_account: MakeAccount
) -> None:
    event = await create_event(capacity=6, max_tickets_per_booking=4)
    sold = await _sold_out(bookings, buyer, event["id"], 2, 2, 2)
    group, pair, flexible = await _accounts(make_account, 3)
    group_entry = (await join(bookings, group, event["id"], 4)).json()
    pair_entry = (await join(bookings, pair, event["id"], 2)).json()
    flexible_entry = (await join(bookings, flexible, event["id"], 4, accept_partial=True)).json()

    await _cancel(bookings, buyer, sold[0])

    offered = await wait_for_state(bookings, pair, pair_entry["id"], "offered")
    assert offered["offer"]["quantity"] == 2
    assert (await entry_of(bookings, group, group_entry["id"]))["position"] == 1
    assert (await entry_of(bookings, flexible, flexible_entry["id"]))["state"] == "waiting"

    await _cancel(bookings, buyer, sold[1])

    partial = await wait_for_state(bookings, flexible, flexible_entry["id"], "offered")
    assert partial["offer"]["quantity"] == 2
    hold = (
        await bookings.get(f"/bookings/{partial['offer']['booking_id']}", headers=flexible.headers)
    ).json()
    assert (hold["tickets"], hold["items"][0]["quantity"]) == (2, 2)
    still = await entry_of(bookings, group, group_entry["id"])
    assert (still["state"], still["position"]) == ("waiting", 1)
    seats = await availability(bookings, event["id"])
    assert (seats["sold"], seats["held"], seats["available"], seats["waiting"]) == (2, 4, 0, 4)


async def test_a_type_with_a_queue_keeps_its_freed_seats_from_a_group_that_does_not_fit(
    bookings: httpx.AsyncClient, create_event: CreateEvent, buyer: Account, make_account: MakeAccount
) -> None:
    event = await create_event(capacity=4, max_tickets_per_booking=4)
    sold = await _sold_out(bookings, buyer, event["id"], 2, 2)
    [group] = await _accounts(make_account, 1)
    entry = (await join(bookings, group, event["id"], 4)).json()

    await _cancel(bookings, buyer, sold[0])

    # Owed to the group, which does not fit them yet: not sold to the public either.
    seats = await availability(bookings, event["id"])
    assert (seats["sold"], seats["available"], seats["ticket_types"][0]["status"]) == (2, 0, "sold_out")
    refused = await book(bookings, buyer, event["id"], tickets=1)
    assert refused.status_code == 409 and refused.json()["reason"] == "sold_out", refused.text
    await _cancel(bookings, buyer, sold[1])
    offered = await wait_for_state(bookings, group, entry["id"], "offered")
    assert offered["offer"]["quantity"] == 4


async def test_an_entry_is_withdrawn_by_its_owner_only_and_an_open_offer_passes_on(
    bookings: httpx.AsyncClient, create_event: CreateEvent, buyer: Account, make_account: MakeAccount
) -> None:
    event = await create_event(capacity=1, max_tickets_per_booking=1)
    sold = await _sold_out(bookings, buyer, event["id"], 1)
    first, second, stranger = await _accounts(make_account, 3)
    first_entry = (await join(bookings, first, event["id"])).json()
    second_entry = (await join(bookings, second, event["id"])).json()

    mine = await bookings.get("/waiting-list", headers=stranger.headers)
    assert mine.json()["total"] == 0
    refused = await bookings.delete(f"/waiting-list/{second_entry['id']}", headers=stranger.headers)
    assert refused.status_code == 404
    withdrawn = await bookings.delete(f"/waiting-list/{second_entry['id']}", headers=second.headers)
    assert withdrawn.status_code == 200, withdrawn.text
    assert (withdrawn.json()["state"], withdrawn.json()["position"]) == ("withdrawn", None)
    again = await bookings.delete(f"/waiting-list/{second_entry['id']}", headers=second.headers)
    assert again.status_code == 409
    assert (await availability(bookings, event["id"]))["waiting"] == 1
    rejoined = await join(bookings, second, event["id"])
    assert rejoined.status_code == 201, rejoined.text

    await _cancel(bookings, buyer, sold[0])
    offer = (await wait_for_state(bookings, first, first_entry["id"], "offered"))["offer"]
    given_up = await bookings.delete(f"/waiting-list/{first_entry['id']}", headers=first.headers)

    assert given_up.status_code == 200 and given_up.json()["state"] == "withdrawn", given_up.text
    hold = (await bookings.get(f"/bookings/{offer['booking_id']}", headers=first.headers)).json()
    assert hold["status"] == "expired"
    passed_on = await wait_for_state(bookings, second, rejoined.json()["id"], "offered")
    assert passed_on["offer"]["quantity"] == 1


async def test_the_organizer_and_admins_see_the_queue_in_order_and_nobody_else(
    bookings: httpx.AsyncClient, create_event: CreateEvent, buyer: Account, make_account: MakeAccount
) -> None:
    event = await create_event(capacity=1, max_tickets_per_booking=1)
    await _sold_out(bookings, buyer, event["id"], 1)
    waiters = await _accounts(make_account, 3)
    for waiter in waiters:
        assert (await join(bookings, waiter, event["id"])).status_code == 201
    admin = await make_account("admin")

    for viewer in (event["organizer"], admin):
        page = await bookings.get(
            f"/events/{event['id']}/waiting-list", params={"limit": 2}, headers=viewer.headers
        )
        assert page.status_code == 200, page.text
        assert page.json()["total"] == 3
        assert [item["user_id"] for item in page.json()["items"]] == [waiters[0].id, waiters[1].id]
        assert [item["position"] for item in page.json()["items"]] == [1, 2]
    for outsider in (buyer, waiters[0]):
        refused = await bookings.get(f"/events/{event['id']}/waiting-list", headers=outsider.headers)
        assert refused.status_code == 403
    unknown = await bookings.get("/events/665f1c2e9b1d4a00deadbeef/waiting-list", headers=admin.headers)
    assert unknown.status_code == 404


async def test_a_quota_made_larger_offers_its_new_seats_to_the_queue(
    platform: Platform,
    bookings: httpx.AsyncClient,
    create_event: CreateEvent,
    buyer: Account,
    make_account: MakeAccount,
) -> None:
    event = await create_event(capacity=10)
    organizer = event["organizer"]
    async with httpx.AsyncClient(base_url=platform.events_url) as events:
        vip = await events.post(
            f"/events/{event['id']}/ticket-types",
            json={"name": "VIP", "price": 9000},
            headers=organizer.headers,
        )
        assert vip.status_code == 201, vip.text
        quota = await events.post(
            f"/events/{event['id']}/quotas",
            json={"name": "Lounge", "size": 1, "ticket_type_ids": [vip.json()["id"]]},
            headers=organizer.headers,
        )
        assert quota.status_code == 201, quota.text
        vip_id = vip.json()["id"]

        async def vip_sells() -> bool:
            return (await buy(bookings, buyer, event["id"], [(vip_id, 1)])).status_code == 201

        await wait_for(vip_sells)
        [waiter] = await _accounts(make_account, 1)
        entry = (await join(bookings, waiter, event["id"], ticket_type_id=vip_id)).json()
        assert entry["state"] == "waiting", entry

        larger = await events.patch(
            f"/events/{event['id']}/quotas/{quota.json()['id']}", json={"size": 2}, headers=organizer.headers
        )
        assert larger.status_code == 200, larger.text

    offered = await wait_for_state(bookings, waiter, entry["id"], "offered")
    assert offered["offer"]["quantity"] == 1
    seats = await availability(bookings, event["id"])
    [lounge] = seats["quotas"]
    assert (lounge["sold"], lounge["held"], lounge["available"], lounge["waiting"]) == (1, 1, 0, 0)


async def test_a_declined_offer_passes_on_and_a_cancelled_event_ends_the_queue(
    platform: Platform,
    bookings: httpx.AsyncClient,
    create_event: CreateEvent,
    buyer: Account,
    make_account: MakeAccount,
) -> None:
    event = await create_event(capacity=1, max_tickets_per_booking=1)
    sold = await _sold_out(bookings, buyer, event["id"], 1)
    first, second, third = await _accounts(make_account, 3)
    first_entry, second_entry, third_entry = [
        (await join(bookings, waiter, event["id"])).json() for waiter in (first, second, third)
    ]
    await _cancel(bookings, buyer, sold[0])
    offer = (await wait_for_state(bookings, first, first_entry["id"], "offered"))["offer"]

    declined = await bookings.post(
        f"/bookings/{offer['booking_id']}/pay",
        json={"payment_method": "pm_card_chargeDeclined"},
        headers=first.headers,
    )

    assert declined.status_code == 402, declined.text
    assert (await entry_of(bookings, first, first_entry["id"]))["state"] == "expired"
    await wait_for_state(bookings, second, second_entry["id"], "offered")
    async with httpx.AsyncClient(base_url=platform.events_url) as events:
        cancelled = await events.post(f"/events/{event['id']}/cancel", headers=event["organizer"].headers)
        assert cancelled.status_code == 200, cancelled.text
    await wait_for_state(bookings, third, third_entry["id"], "expired")
    await wait_for_state(bookings, second, second_entry["id"], "expired")
    seats = await availability(bookings, event["id"])
    assert (seats["held"], seats["waiting"], seats["on_sale"]) == (0, 0, False)
    refused = await join(bookings, first, event["id"])
    assert refused.status_code == 409 and "cancelled" in refused.json()["detail"], refused.text
