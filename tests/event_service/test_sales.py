"""What the booking service sells keeps its ticket types and vouchers: heard from real booking messages."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from bson import ObjectId

from event_service.models import Event
from shared.messages import BookingConfirmed, BookingHeld, BookingItemFacts, MessageData
from shared.messaging import Broker, build_envelope
from tests.conftest import Account, wait_for
from tests.event_service.conftest import create_event


def _facts(event: dict[str, Any], items: list[BookingItemFacts]) -> dict[str, Any]:
    return {
        "booking_id": str(ObjectId()),
        "user_id": "u-1",
        "event_id": event["id"],
        "event_title": event["title"],
        "event_owner_id": event["owner_id"],
        "tickets": sum(item.quantity for item in items) or 1,
        "amount": sum(item.quantity * item.unit_price for item in items),
        "currency": "EUR",
        "items": items,
    }


def _item(ticket_type_id: str, voucher: str | None = None) -> BookingItemFacts:
    return BookingItemFacts(
        ticket_type_id=ticket_type_id, name="A", quantity=2, unit_price=1000, voucher=voucher
    )


async def _publish(producer: Broker, data: MessageData) -> None:
    await producer.publish(build_envelope("tests", data))


async def _recorded(event: dict[str, Any], field: str, value: str) -> bool:
    stored = await Event.get_pymongo_collection().find_one({"_id": ObjectId(event["id"])})
    return stored is not None and value in stored.get(field, [])


async def test_a_type_that_sold_cannot_be_deleted_only_hidden_or_ended(
    client: httpx.AsyncClient, producer: Broker, organizer: Account
) -> None:
    event = await create_event(client, organizer)
    path = f"/events/{event['id']}/ticket-types"
    sold = (await client.post(path, json={"name": "Early", "price": 1000}, headers=organizer.headers)).json()
    unsold = (await client.post(path, json={"name": "Late", "price": 1000}, headers=organizer.headers)).json()

    await _publish(producer, BookingConfirmed(**_facts(event, [_item(sold["id"])]), payment_id="p-1"))
    await wait_for(lambda: _recorded(event, "sold_ticket_type_ids", sold["id"]))

    refused = await client.delete(f"{path}/{sold['id']}", headers=organizer.headers)
    assert refused.status_code == 409
    assert refused.json()["detail"] == "The ticket type has sales; hide it or end its sales instead"
    hidden = await client.patch(f"{path}/{sold['id']}", json={"hidden": True}, headers=organizer.headers)
    assert hidden.status_code == 200
    assert (await client.delete(f"{path}/{unsold['id']}", headers=organizer.headers)).status_code == 204


async def test_a_hold_counts_as_a_sale_and_redeems_its_voucher(
    client: httpx.AsyncClient, producer: Broker, organizer: Account
) -> None:
    event = await create_event(client, organizer)
    path = f"/events/{event['id']}"
    held = (
        await client.post(f"{path}/ticket-types", json={"name": "B", "price": 1}, headers=organizer.headers)
    ).json()
    await client.post(f"{path}/vouchers", json={"code": "FRIENDS"}, headers=organizer.headers)
    await client.post(f"{path}/vouchers", json={"code": "UNUSED"}, headers=organizer.headers)
    message = BookingHeld(
        **_facts(event, [_item(held["id"], voucher="friends")]),
        expires_at=datetime.now(UTC) + timedelta(minutes=15),
    )

    await _publish(producer, message)
    await _publish(producer, message)  # delivered twice: recorded once
    await wait_for(lambda: _recorded(event, "redeemed_voucher_codes", "FRIENDS"))

    assert (
        await client.delete(f"{path}/ticket-types/{held['id']}", headers=organizer.headers)
    ).status_code == 409
    refused = await client.delete(f"{path}/vouchers/friends", headers=organizer.headers)
    assert refused.status_code == 409
    assert "disable" in refused.json()["detail"]
    disabled = await client.patch(
        f"{path}/vouchers/FRIENDS", json={"disabled": True}, headers=organizer.headers
    )
    assert disabled.status_code == 200 and disabled.json()["redeemed"] is True
    assert (await client.delete(f"{path}/vouchers/UNUSED", headers=organizer.headers)).status_code == 204
    stored = await Event.get_pymongo_collection().find_one({"_id": ObjectId(event["id"])})
    assert stored is not None and stored["sold_ticket_type_ids"] == [held["id"]]


async def test_a_booking_of_an_older_release_names_the_default_type(
    client: httpx.AsyncClient, producer: Broker, organizer: Account
) -> None:
    event = await create_event(client, organizer)

    await _publish(producer, BookingConfirmed(**_facts(event, []), payment_id=None))

    await wait_for(lambda: _recorded(event, "sold_ticket_type_ids", event["id"]))
