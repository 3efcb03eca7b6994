from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from booking_service.settings import BookingSettings
from tests.booking_service.conftest import Platform, availability, book, payments_for
from tests.booking_service.stored import event_the_payment_service_refuses
from tests.conftest import Account, MessageTap, wait_for


@pytest.fixture
async def attendee(make_account: Callable[..., Awaitable[Account]]) -> Account:
    return await make_account()


async def test_a_booking_is_paid_and_confirmed(
    bookings: httpx.AsyncClient,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    attendee: Account,
    tap_messages: Callable[[str], Awaitable[MessageTap]],
) -> None:
    tap = await tap_messages("booking.confirmed")
    event = await create_event(price=2500, currency="USD")

    response = await book(bookings, attendee, event["id"], tickets=2)

    assert response.status_code == 201, response.text
    booking = response.json()
    assert booking["status"] == "confirmed"
    assert (booking["amount"], booking["currency"], booking["user_id"]) == (5000, "USD", attendee.id)
    assert booking["payment_id"]
    [message] = await tap.wait_for_type("booking.confirmed")
    expected = {
        "booking_id": booking["id"],
        "user_id": attendee.id,
        "event_id": event["id"],
        "event_title": event["title"],
        "event_owner_id": event["owner_id"],
        "tickets": 2,
        "amount": 5000,
        "currency": "USD",
        "payment_id": booking["payment_id"],
    }
    assert {key: message["data"][key] for key in expected} == expected
    assert (await availability(bookings, event["id"]))["sold"] == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"tickets": 0}, "tickets"),
        ({"tickets": 101}, "tickets"),
        ({"tickets": 1.5}, "tickets"),
        ({"tickets": 2.0}, "tickets"),
        ({"tickets": True}, "tickets"),
        ({"tickets": "2"}, "tickets"),
        ({"tickets": "two"}, "tickets"),
        ({"event_id": ""}, "event_id"),
        ({"event_id": "../cancel"}, "event_id"),
        ({"event_id": "e\x13"}, "event_id"),
        ({"payment_method": "x" * 65}, "payment_method"),
        ({"payment_method": "pm_card_unknown"}, "payment_method"),
        ({"unknown": 1}, "unknown"),
    ],
)
async def test_invalid_bookings_are_422_naming_the_field(
    bookings: httpx.AsyncClient, attendee: Account, body: dict[str, Any], field: str
) -> None:
    response = await bookings.post(
        "/bookings", json={"event_id": "some-event", "tickets": 1, **body}, headers=attendee.headers
    )

    assert response.status_code == 422
    assert field in [error["loc"][-1] for error in response.json()["detail"]]


async def test_more_tickets_than_the_event_allows_per_booking_is_422(
    bookings: httpx.AsyncClient, create_event: Callable[..., Awaitable[dict[str, Any]]], attendee: Account
) -> None:
    event = await create_event(max_tickets_per_booking=4)

    response = await book(bookings, attendee, event["id"], tickets=5)

    assert response.status_code == 422
    assert "At most 4 tickets" in response.json()["detail"]


async def test_unknown_event_is_404(bookings: httpx.AsyncClient, attendee: Account) -> None:
    assert (await book(bookings, attendee, "000000000000000000000000")).status_code == 404
    assert (await bookings.get("/events/not-an-id/availability")).status_code == 404


async def test_an_event_id_that_cannot_name_an_event_is_422(
    bookings: httpx.AsyncClient, attendee: Account
) -> None:
    assert (await bookings.get("/events/bad%13id/availability")).status_code == 422
    listed = await bookings.get("/bookings", params={"event_id": "e\x00"}, headers=attendee.headers)
    assert listed.status_code == 422


async def test_a_charge_the_payment_service_refuses_fails_the_booking_and_releases_the_seats(
    platform: Platform,
    bookings: httpx.AsyncClient,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    attendee: Account,
) -> None:
    event = await event_the_payment_service_refuses(platform, bookings, create_event)

    response = await book(bookings, attendee, event["id"])

    assert response.status_code == 502, response.text
    assert response.json()["booking"]["status"] == "failed"
    seats = await availability(bookings, event["id"])
    assert (seats["sold"], seats["held"], seats["available"]) == (0, 0, 3)


async def test_no_token_is_401_and_a_service_cannot_book(
    bookings: httpx.AsyncClient, create_event: Callable[..., Awaitable[dict[str, Any]]], service_token: str
) -> None:
    event = await create_event()
    body = {"event_id": event["id"], "tickets": 1}

    assert (await bookings.post("/bookings", json=body)).status_code == 401
    as_service = await bookings.post(
        "/bookings", json=body, headers={"Authorization": f"Bearer {service_token}"}
    )
    assert as_service.status_code == 403


async def test_a_declined_payment_fails_the_booking_and_releases_the_seats(
    bookings: httpx.AsyncClient,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    attendee: Account,
    tap_messages: Callable[[str], Awaitable[MessageTap]],
) -> None:
    tap = await tap_messages("booking.failed")
    event = await create_event(capacity=3, max_tickets_per_booking=3)

    response = await book(bookings, attendee, event["id"], tickets=3, payment_method="pm_card_chargeDeclined")

    assert response.status_code == 402
    assert "declined" in response.json()["detail"].lower()
    assert response.json()["booking"]["status"] == "failed"
    seats = await availability(bookings, event["id"])
    assert (seats["sold"], seats["held"], seats["available"]) == (0, 0, 3)
    [message] = await tap.wait_for_type("booking.failed")
    assert message["data"]["booking_id"] == response.json()["booking"]["id"]
    assert message["data"]["reason"]


async def test_a_refused_booking_announces_its_failure_at_once(
    start_booking_service: Callable[..., Awaitable[tuple[str, BookingSettings]]],
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    attendee: Account,
    tap_messages: Callable[[str], Awaitable[MessageTap]],
) -> None:
    # The relay would not poll during the test: only the request that failed can wake it.
    url, _ = await start_booking_service(outbox_poll_seconds=3600)
    tap = await tap_messages("booking.failed")
    event = await create_event()
    async with httpx.AsyncClient(base_url=url) as client:
        response = await book(client, attendee, event["id"], payment_method="pm_card_chargeDeclined")
    assert response.status_code == 402

    async def announced() -> bool:
        return any(m["data"]["booking_id"] == response.json()["booking"]["id"] for m in tap.messages)

    await wait_for(announced, timeout=5)


async def test_an_idempotent_replay_returns_the_same_booking_and_charges_once(
    platform: Platform,
    bookings: httpx.AsyncClient,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    attendee: Account,
    service_token: str,
) -> None:
    event = await create_event()
    key = {"Idempotency-Key": f"order-{event['id']}"}

    first = await book(bookings, attendee, event["id"], tickets=2, headers=key)
    replay = await book(bookings, attendee, event["id"], tickets=2, headers=key)
    reused = await book(bookings, attendee, event["id"], tickets=1, headers=key)

    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    assert reused.status_code == 409
    assert (await availability(bookings, event["id"]))["sold"] == 2
    assert len(await payments_for(platform, service_token, [first.json()["id"]])) == 1


async def test_reading_bookings_is_private(
    platform: Platform,
    bookings: httpx.AsyncClient,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    make_account: Callable[..., Awaitable[Account]],
    service_token: str,
) -> None:
    owner, stranger, admin = await make_account(), await make_account(), await make_account("admin")
    event = await create_event()
    booking = (await book(bookings, owner, event["id"])).json()
    seats = await availability(bookings, event["id"])

    assert (await bookings.get(f"/bookings/{booking['id']}", headers=owner.headers)).status_code == 200
    assert (await bookings.get(f"/bookings/{booking['id']}", headers=stranger.headers)).status_code == 404
    assert (await bookings.get(f"/bookings/{booking['id']}", headers=admin.headers)).status_code == 200
    assert (await bookings.get("/bookings/not-a-uuid", headers=owner.headers)).status_code in (404, 422)
    stranger_cancel = await bookings.post(f"/bookings/{booking['id']}/cancel", headers=stranger.headers)
    assert stranger_cancel.status_code == 404
    assert (await bookings.get("/bookings", headers=stranger.headers)).json()["total"] == 0
    # The refused cancel changed nothing: the booking, its seats and its payment are as they were.
    unchanged = await bookings.get(f"/bookings/{booking['id']}", headers=owner.headers)
    assert unchanged.json() == booking
    assert await availability(bookings, event["id"]) == seats
    [payment] = await payments_for(platform, service_token, [booking["id"]])
    assert (payment["status"], payment["refunded_amount"]) == ("succeeded", 0)


async def test_listing_is_paginated_and_filtered(
    bookings: httpx.AsyncClient,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    attendee: Account,
) -> None:
    first, second = await create_event(), await create_event()
    for _ in range(3):
        await book(bookings, attendee, first["id"])
    await book(bookings, attendee, second["id"], payment_method="pm_card_chargeDeclined")

    page = (await bookings.get("/bookings", params={"limit": 2}, headers=attendee.headers)).json()
    of_first = (
        await bookings.get("/bookings", params={"event_id": first["id"]}, headers=attendee.headers)
    ).json()
    failed = (await bookings.get("/bookings", params={"status": "failed"}, headers=attendee.headers)).json()

    assert (page["total"], len(page["items"]), page["limit"]) == (4, 2, 2)
    assert of_first["total"] == 3
    assert [b["event_id"] for b in failed["items"]] == [second["id"]]
    bad = await bookings.get("/bookings", params={"limit": 101}, headers=attendee.headers)
    assert bad.status_code == 422
    # Past the range of a PostgreSQL bigint: refused as input, never sent to the database.
    past_any_count = await bookings.get("/bookings", params={"offset": 2**63}, headers=attendee.headers)
    assert past_any_count.status_code == 422


async def test_a_free_event_is_booked_and_cancelled_without_a_payment(
    platform: Platform,
    bookings: httpx.AsyncClient,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    attendee: Account,
    service_token: str,
) -> None:
    event = await create_event(price=0)

    booked = await book(bookings, attendee, event["id"], tickets=2)
    cancelled = await bookings.post(f"/bookings/{booked.json()['id']}/cancel", headers=attendee.headers)

    assert booked.status_code == 201, booked.text
    assert (booked.json()["status"], booked.json()["amount"], booked.json()["payment_id"]) == (
        "confirmed",
        0,
        None,
    )
    assert cancelled.json()["status"] == "cancelled"
    assert await payments_for(platform, service_token, [booked.json()["id"]]) == []
    assert (await availability(bookings, event["id"]))["available"] == event["capacity"]
