"""An event's sales for its organizer's dashboard: seats sold and held per type, and the money."""

from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from tests.booking_service.conftest import book
from tests.conftest import Account

CreateEvent = Callable[..., Awaitable[dict[str, Any]]]
MakeAccount = Callable[..., Awaitable[Account]]


async def test_the_organizer_reads_sold_held_and_revenue_per_type(
    bookings: httpx.AsyncClient, create_event: CreateEvent, make_account: MakeAccount
) -> None:
    event = await create_event(capacity=10, price=2500)
    buyer = await make_account()
    paid = await book(bookings, buyer, event["id"], tickets=2)
    held = await book(bookings, buyer, event["id"], tickets=1, hold=True)
    cancelled = await book(bookings, buyer, event["id"], tickets=1)
    assert {paid.status_code, held.status_code, cancelled.status_code} == {201}, held.text
    refund = await bookings.post(f"/bookings/{cancelled.json()['id']}/cancel", headers=buyer.headers)
    assert refund.status_code == 200, refund.text

    answer = await bookings.get(f"/events/{event['id']}/sales", headers=event["organizer"].headers)

    assert answer.status_code == 200, answer.text
    sales = answer.json()
    assert (sales["sold"], sales["held"], sales["currency"]) == (2, 1, "EUR")
    assert (sales["revenue"], sales["refunded"]) == (5000, refund.json()["refunded_amount"])
    [admission] = sales["ticket_types"]
    assert (admission["ticket_type_id"], admission["sold"], admission["held"]) == (event["id"], 2, 1)
    assert admission["revenue"] == 5000


async def test_only_the_organizer_or_an_admin_reads_the_sales(
    bookings: httpx.AsyncClient, create_event: CreateEvent, make_account: MakeAccount
) -> None:
    event = await create_event()
    stranger = await make_account("organizer")

    refused = await bookings.get(f"/events/{event['id']}/sales", headers=stranger.headers)
    anonymous = await bookings.get(f"/events/{event['id']}/sales")
    unknown = await bookings.get("/events/665f1c2e9b1d4a00deadbeef/sales", headers=stranger.headers)

    assert refused.status_code == 403, refused.text
    assert anonymous.status_code == 401, anonymous.text
    assert unknown.status_code == 404, unknown.text
