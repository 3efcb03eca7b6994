"""Bookings of several ticket types: priced from the catalogue, refused naming the type and why."""

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import httpx
import pytest

from booking_service import inventory
from shared.db import create_engine, create_sessionmaker
from shared.messages import EventUpdated, QuotaFacts
from tests.booking_service.catalogue import publish_catalogue, ticket_type
from tests.booking_service.conftest import Platform, availability, book, buy, in_days
from tests.conftest import Account, MessageTap

CreateEvent = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
async def attendee(make_account: Callable[..., Awaitable[Account]]) -> Account:
    return await make_account()


async def test_items_of_several_types_are_priced_from_the_catalogue_and_told_in_the_messages(
    platform: Platform,
    bookings: httpx.AsyncClient,
    create_event: CreateEvent,
    attendee: Account,
    tap_messages: Callable[[str], Awaitable[MessageTap]],
) -> None:
    tap = await tap_messages("booking.confirmed")
    event = await create_event(capacity=20, price=2000, max_tickets_per_booking=6)
    await publish_catalogue(
        platform,
        bookings,
        event,
        version=event["version"] + 1,
        timezone="Europe/Berlin",
        ticket_types=[
            ticket_type(event["id"], "Admission", 2000, max_per_booking=6),
            ticket_type("vip", "VIP", 5000, max_per_booking=2, position=-1),
        ],
    )

    response = await buy(bookings, attendee, event["id"], [(event["id"], 3), ("vip", 2)])

    assert response.status_code == 201, response.text
    booking = response.json()
    assert (booking["status"], booking["tickets"], booking["amount"]) == ("confirmed", 5, 3 * 2000 + 2 * 5000)
    assert booking["items"] == [
        {"ticket_type_id": event["id"], "name": "Admission", "quantity": 3, "unit_price": 2000},
        {"ticket_type_id": "vip", "name": "VIP", "quantity": 2, "unit_price": 5000},
    ]
    [message] = await tap.wait_for_type("booking.confirmed")
    data = message["data"]
    assert (data["tickets"], data["amount"], data["event_timezone"]) == (5, 16000, "Europe/Berlin")
    assert data["event_starts_at"] is not None
    assert [(item["ticket_type_id"], item["quantity"], item["unit_price"]) for item in data["items"]] == [
        (event["id"], 3, 2000),
        ("vip", 2, 5000),
    ]
    seats = await availability(bookings, event["id"])
    assert (seats["sold"], seats["available"]) == (5, 15)
    # In display order: VIP (position -1) first.
    assert [(t["ticket_type_id"], t["price"], t["status"]) for t in seats["ticket_types"]] == [
        ("vip", 5000, "on_sale"),
        (event["id"], 2000, "on_sale"),
    ]


async def test_the_old_body_books_the_default_type_and_is_refused_once_the_event_drops_it(
    platform: Platform, bookings: httpx.AsyncClient, create_event: CreateEvent, attendee: Account
) -> None:
    event = await create_event(capacity=10, price=1200)
    response = await book(bookings, attendee, event["id"], tickets=2)
    assert response.status_code == 201, response.text
    assert response.json()["items"] == [
        {"ticket_type_id": event["id"], "name": "Admission", "quantity": 2, "unit_price": 1200}
    ]

    await publish_catalogue(
        platform,
        bookings,
        event,
        version=event["version"] + 1,
        ticket_types=[ticket_type("std", "Standard", 900)],
    )

    refused = await book(bookings, attendee, event["id"], tickets=1)
    assert refused.status_code == 422
    assert refused.json()["field"] == "tickets"
    # The type gone keeps its bookings: the seats it sold still count.
    seats = await availability(bookings, event["id"])
    assert (seats["sold"], seats["available"]) == (2, 8)
    assert (await buy(bookings, attendee, event["id"], [("std", 1)])).json()["amount"] == 900


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"tickets": 1, "items": [{"ticket_type_id": "a", "quantity": 1}]}, "items"),
        ({"tickets": None}, "items"),
        ({"items": []}, "items"),
        ({"items": [{"ticket_type_id": "a", "quantity": 1}] * 2}, "items"),
        ({"items": [{"ticket_type_id": f"t{i}", "quantity": 1} for i in range(21)]}, "items"),
        ({"items": [{"ticket_type_id": "a", "quantity": 0}]}, "quantity"),
        ({"items": [{"ticket_type_id": "a", "quantity": "1"}]}, "quantity"),
        ({"items": [{"ticket_type_id": "../x", "quantity": 1}]}, "ticket_type_id"),
        ({"items": [{"ticket_type_id": "a", "quantity": 1, "price": 0}]}, "price"),
        ({"voucher": "x" * 65}, "voucher"),
        ({"hold": "yes"}, "hold"),
    ],
)
async def test_invalid_items_are_422_naming_the_field(
    bookings: httpx.AsyncClient, attendee: Account, body: dict[str, Any], field: str
) -> None:
    request = {"event_id": "some-event", **body}
    if "items" not in body and "tickets" not in body:
        request["tickets"] = 1
    request = {key: value for key, value in request.items() if value is not None}

    response = await bookings.post("/bookings", json=request, headers=attendee.headers)

    assert response.status_code == 422, response.text
    assert field in [error["loc"][-1] for error in response.json()["detail"]]


async def test_refusals_name_the_type_and_why_and_hold_nothing(
    platform: Platform, bookings: httpx.AsyncClient, create_event: CreateEvent, attendee: Account
) -> None:
    event = await create_event(capacity=30, max_tickets_per_booking=8)
    await publish_catalogue(
        platform,
        bookings,
        event,
        version=event["version"] + 1,
        ticket_types=[
            ticket_type(event["id"], "Admission", 1000, max_per_booking=8),
            ticket_type("group", "Group of four", 800, min_per_booking=4, max_per_booking=8),
            ticket_type("late", "Late entry", 500, sales_start=in_days(1)),
            ticket_type("early", "Early bird", 700, sales_end=in_days(-1)),
            ticket_type("few", "Front row", 3000, max_per_booking=5),
            ticket_type("secret", "Backstage", 9000, hidden=True),
        ],
        quotas=[QuotaFacts(quota_id="front", name="Front", size=2, ticket_type_ids=["few"])],
    )

    cases = [
        ([("nope", 1)], 422, {"field": "items[0].ticket_type_id"}),
        ([(event["id"], 1), ("secret", 1)], 422, {"field": "items[1].ticket_type_id"}),
        ([("group", 3)], 422, {"field": "items[0].quantity"}),
        ([(event["id"], 9)], 422, {"field": "items"}),
        ([("late", 1)], 409, {"ticket_type_id": "late", "reason": "not_yet"}),
        ([("early", 1)], 409, {"ticket_type_id": "early", "reason": "ended"}),
        ([(event["id"], 1), ("few", 3)], 409, {"ticket_type_id": "few", "reason": "sold_out"}),
    ]
    for items, status, named in cases:
        response = await buy(bookings, attendee, event["id"], items)
        assert response.status_code == status, (items, response.text)
        assert {key: response.json()[key] for key in named} == named, response.text
        assert response.json()["detail"]

    seats = await availability(bookings, event["id"])
    assert (seats["sold"], seats["held"]) == (0, 0)
    statuses = {t["ticket_type_id"]: t["status"] for t in seats["ticket_types"]}
    assert statuses == {
        event["id"]: "on_sale",
        "group": "on_sale",
        "late": "not_yet",
        "early": "ended",
        "few": "on_sale",
    }
    assert seats["quotas"] == [
        {"quota_id": "front", "name": "Front", "size": 2, "sold": 0, "held": 0, "available": 2, "waiting": 0}
    ]
    assert (await buy(bookings, attendee, event["id"], [("few", 2)])).status_code == 201
    seats = await availability(bookings, event["id"])
    few = next(t for t in seats["ticket_types"] if t["ticket_type_id"] == "few")
    assert (few["available"], few["status"]) == (0, "sold_out")


async def test_a_later_catalogue_keeps_the_counts_and_an_older_one_is_ignored(
    platform: Platform, bookings: httpx.AsyncClient, create_event: CreateEvent, attendee: Account
) -> None:
    event = await create_event(capacity=40, max_tickets_per_booking=6)
    version = event["version"]
    shared = QuotaFacts(quota_id="hall", name="Hall", size=5, ticket_type_ids=[event["id"], "vip"])
    await publish_catalogue(
        platform,
        bookings,
        event,
        version=version + 1,
        ticket_types=[ticket_type(event["id"], "Admission", 1000), ticket_type("vip", "VIP", 4000)],
        quotas=[shared],
    )
    assert (await buy(bookings, attendee, event["id"], [(event["id"], 2), ("vip", 1)])).status_code == 201

    # The organizer reprices VIP and grows the hall: what was sold still counts against it.
    await publish_catalogue(
        platform,
        bookings,
        event,
        version=version + 2,
        ticket_types=[ticket_type(event["id"], "Admission", 1000), ticket_type("vip", "VIP", 4500)],
        quotas=[shared.model_copy(update={"size": 6})],
    )
    seats = await availability(bookings, event["id"])
    assert seats["quotas"] == [
        {"quota_id": "hall", "name": "Hall", "size": 6, "sold": 3, "held": 0, "available": 3, "waiting": 0}
    ]
    assert {t["ticket_type_id"]: t["available"] for t in seats["ticket_types"]} == {event["id"]: 3, "vip": 3}

    # A snapshot of an older version arriving late (no catalogue, a far bigger hall) changes nothing.
    older = EventUpdated(
        event_id=event["id"],
        owner_id=event["owner_id"],
        title=event["title"],
        venue=event["venue"],
        category=event["category"],
        starts_at=datetime.fromisoformat(event["starts_at"]),
        ends_at=datetime.fromisoformat(event["ends_at"]),
        capacity=event["capacity"],
        price=1,
        currency=event["currency"],
        max_tickets_per_booking=event["max_tickets_per_booking"],
        status="scheduled",
        version=version + 1,
        changed=["price"],
        quotas=[shared.model_copy(update={"size": 500})],
    )
    engine = create_engine(platform.booking_settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            assert not await inventory.apply_snapshot(session, older, on_sale=True)
    finally:
        await engine.dispose()

    refused = await buy(bookings, attendee, event["id"], [("vip", 4)])
    assert (refused.status_code, refused.json()["ticket_type_id"]) == (409, "vip")
    sold = await buy(bookings, attendee, event["id"], [("vip", 3)])
    assert (sold.status_code, sold.json()["amount"]) == (201, 3 * 4500)
