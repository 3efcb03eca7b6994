import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aio_pika
import httpx
import pytest

from tests.booking_service.conftest import Platform, availability, book, payments_for
from tests.conftest import Account, MessageTap, wait_for


async def test_cancelling_refunds_and_gives_the_seats_back(
    platform: Platform,
    bookings: httpx.AsyncClient,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    make_account: Callable[..., Awaitable[Account]],
    tap_messages: Callable[[str], Awaitable[MessageTap]],
    service_token: str,
) -> None:
    tap = await tap_messages("booking.cancelled")
    attendee = await make_account()
    event = await create_event(capacity=10)
    booking = (await book(bookings, attendee, event["id"], tickets=3)).json()

    response = await bookings.post(f"/bookings/{booking['id']}/cancel", headers=attendee.headers)

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert (await availability(bookings, event["id"]))["available"] == 10
    [payment] = await payments_for(platform, service_token, [booking["id"]])
    assert (payment["status"], payment["refunded_amount"]) == ("refunded", booking["amount"])
    [message] = await tap.wait_for_type("booking.cancelled")
    assert message["data"]["booking_id"] == booking["id"]
    assert (message["data"]["reason"], message["data"]["refunded_amount"]) == ("cancelled_by_user", 12000)
    again = await bookings.post(f"/bookings/{booking['id']}/cancel", headers=attendee.headers)
    assert again.status_code == 409


async def test_an_admin_may_cancel_anyones_booking(
    bookings: httpx.AsyncClient,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    make_account: Callable[..., Awaitable[Account]],
) -> None:
    attendee, admin = await make_account(), await make_account("admin")
    event = await create_event()
    booking = (await book(bookings, attendee, event["id"])).json()

    response = await bookings.post(f"/bookings/{booking['id']}/cancel", headers=admin.headers)

    assert response.status_code == 200


async def test_a_cancelled_event_cancels_and_refunds_every_booking(
    platform: Platform,
    bookings: httpx.AsyncClient,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    make_account: Callable[..., Awaitable[Account]],
    tap_messages: Callable[[str], Awaitable[MessageTap]],
    service_token: str,
) -> None:
    tap = await tap_messages("booking.cancelled")
    event = await create_event(capacity=20)
    buyers = [await make_account() for _ in range(3)]
    booked = [(await book(bookings, buyer, event["id"], tickets=2)).json() for buyer in buyers]
    ids = sorted(b["id"] for b in booked)

    async with httpx.AsyncClient(base_url=platform.events_url) as events:
        cancelled = await events.post(f"/events/{event['id']}/cancel", headers=event["organizer"].headers)
    assert cancelled.status_code == 200

    messages = await tap.wait_for_type("booking.cancelled", count=3)
    assert sorted(m["data"]["booking_id"] for m in messages) == ids
    assert {m["data"]["reason"] for m in messages} == {"event_cancelled"}
    payments = await payments_for(platform, service_token, ids)
    assert {p["status"] for p in payments} == {"refunded"}
    seats = await availability(bookings, event["id"])
    assert (seats["sold"], seats["on_sale"], seats["available"]) == (0, False, 20)
    refused = await book(bookings, buyers[0], event["id"])
    assert refused.status_code == 409
    assert "cancelled" in refused.json()["detail"]


async def test_lowering_capacity_below_sold_stops_sales_but_keeps_tickets(
    platform: Platform,
    bookings: httpx.AsyncClient,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    make_account: Callable[..., Awaitable[Account]],
) -> None:
    attendee = await make_account()
    event = await create_event(capacity=10)
    booking = (await book(bookings, attendee, event["id"], tickets=4)).json()

    async with httpx.AsyncClient(base_url=platform.events_url) as events:
        lowered = await events.patch(
            f"/events/{event['id']}",
            json={"capacity": 2, "max_tickets_per_booking": 2},
            headers=event["organizer"].headers,
        )
    assert lowered.status_code == 200

    async def capacity_lowered() -> bool:
        return (await availability(bookings, event["id"]))["capacity"] == 2

    await wait_for(capacity_lowered)
    assert (await book(bookings, attendee, event["id"])).status_code == 409
    kept = await bookings.get(f"/bookings/{booking['id']}", headers=attendee.headers)
    assert kept.json()["status"] == "confirmed"
    assert (await availability(bookings, event["id"]))["sold"] == 4


async def test_a_refund_refused_while_the_event_is_cancelled_is_recorded_and_dead_lettered(
    platform: Platform,
    bookings: httpx.AsyncClient,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    make_account: Callable[..., Awaitable[Account]],
    amqp: aio_pika.abc.AbstractRobustConnection,
    caplog: pytest.LogCaptureFixture,
    service_token: str,
) -> None:
    attendee, other, admin = await make_account(), await make_account(), await make_account("admin")
    event = await create_event(capacity=10)
    refused = (await book(bookings, attendee, event["id"], tickets=2)).json()
    refunded = (await book(bookings, other, event["id"], tickets=1)).json()
    async with httpx.AsyncClient(base_url=platform.payments_url) as payments:
        # A partial refund in the booking service's name, under the key its cancellation will use:
        # the payment service then refuses that cancellation's refund as a reuse of the key.
        partial = await payments.post(
            f"/payments/{refused['payment_id']}/refunds",
            json={"amount": 100},
            headers={
                "Authorization": f"Bearer {service_token}",
                "Idempotency-Key": f"cancel-{refused['id']}",
            },
        )
    assert partial.status_code == 201, partial.text

    async with httpx.AsyncClient(base_url=platform.events_url) as events:
        cancelled = await events.post(f"/events/{event['id']}/cancel", headers=event["organizer"].headers)
    assert cancelled.status_code == 200

    channel = await amqp.channel()
    dead_letters = await channel.declare_queue(
        f"{platform.booking_settings.queue_prefix}.events.dlq", durable=True, passive=True
    )

    async def dead_lettered() -> bool:
        message = await dead_letters.get(no_ack=True, fail=False)
        return message is not None and json.loads(message.body)["data"]["event_id"] == event["id"]

    await wait_for(dead_lettered)
    await channel.close()
    found = await bookings.get(
        "/bookings", params={"event_id": event["id"], "status": "refund_refused"}, headers=admin.headers
    )
    [stuck] = found.json()["items"]
    assert stuck["id"] == refused["id"]
    assert "refund" in stuck["failure_reason"] and "Idempotency-Key" in stuck["failure_reason"]
    other_now = await bookings.get(f"/bookings/{refunded['id']}", headers=other.headers)
    assert other_now.json()["status"] == "cancelled"
    assert any(
        refused["id"] in record.getMessage() and record.levelno >= logging.WARNING
        for record in caplog.records
    )


RACING_BUYERS = 16


async def _all_bookings(bookings: httpx.AsyncClient, admin: Account, event_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    while True:
        params = {"event_id": event_id, "limit": 100, "offset": len(found)}
        page = (await bookings.get("/bookings", params=params, headers=admin.headers)).json()
        found.extend(page["items"])
        if len(found) >= page["total"]:
            return found


async def test_buyers_racing_an_event_cancellation_keep_no_ticket_and_no_money(
    platform: Platform,
    bookings: httpx.AsyncClient,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    make_account: Callable[..., Awaitable[Account]],
    service_token: str,
) -> None:
    event = await create_event(capacity=1000, max_tickets_per_booking=1)
    admin, *buyers = await asyncio.gather(make_account("admin"), *(make_account() for _ in range(4)))
    answers: list[httpx.Response] = []
    cancelled = asyncio.Event()

    async def keep_buying(buyer: Account) -> None:
        # Buyers go on until they see sales stopped, so bookings are being paid all through the cancellation.
        while True:
            answers.append(await book(bookings, buyer, event["id"]))
            if cancelled.is_set() and answers[-1].status_code == 409:
                return

    async def enough_sold() -> bool:
        return sum(answer.status_code == 201 for answer in answers) >= 30

    buying = [asyncio.create_task(keep_buying(buyers[n % len(buyers)])) for n in range(RACING_BUYERS)]
    await wait_for(enough_sold)
    async with httpx.AsyncClient(base_url=platform.events_url) as events:
        response = await events.post(f"/events/{event['id']}/cancel", headers=event["organizer"].headers)
    cancelled.set()
    await asyncio.gather(*buying)
    assert response.status_code == 200, response.text
    assert {answer.status_code for answer in answers} <= {201, 409}

    async def broken_invariants() -> dict[str, Any]:
        """What still breaks them: bookings kept, payments kept, seats taken (empty once all hold)."""
        booked = await _all_bookings(bookings, admin, event["id"])
        paid = await payments_for(platform, service_token, [booking["id"] for booking in booked])
        seats = await availability(bookings, event["id"])
        broken = {
            "bookings confirmed or pending": [
                b["id"] for b in booked if b["status"] in ("confirmed", "pending")
            ],
            "payments not refunded": [p["id"] for p in paid if p["status"] != "refunded"],
            "seats sold or held": seats["sold"] + seats["held"],
        }
        return {name: value for name, value in broken.items() if value}

    async def settled() -> bool:
        return not await broken_invariants()

    # A booking pending as the event was cancelled, and paid while its bookings were being cancelled,
    # must not stay confirmed.
    try:
        await wait_for(settled, timeout=30)
    except AssertionError:
        raise AssertionError(f"Once the cancellation settled: {await broken_invariants()}") from None
