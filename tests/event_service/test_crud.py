"""Creating, reading, changing, cancelling and deleting an event through the API."""

from datetime import datetime

import httpx
import pytest

from event_service.models import Event
from tests.conftest import Account
from tests.event_service.conftest import create_event, event_body, in_days

MISSING_ID = "0123456789abcdef01234567"


async def test_round_trip(client: httpx.AsyncClient, organizer: Account) -> None:
    body = event_body(
        starts_at="2030-06-21T19:30:00+02:00",
        ends_at="2030-06-21T22:30:00.123456+02:00",
        max_tickets_per_booking=6,
    )
    created = await client.post("/events", json=body, headers=organizer.headers)

    assert created.status_code == 201, created.text
    event = created.json()
    assert created.headers["Location"] == f"/events/{event['id']}"
    assert created.headers["ETag"] == '"1"'
    assert {key: event[key] for key in ("title", "venue", "category", "capacity", "price", "currency")} == {
        key: body[key] for key in ("title", "venue", "category", "capacity", "price", "currency")
    }
    assert event["status"] == "scheduled" and event["version"] == 1
    assert event["owner_id"] == organizer.id
    assert event["max_tickets_per_booking"] == 6
    # Kept in UTC at millisecond precision, as MongoDB stores it.
    assert event["starts_at"] == "2030-06-21T17:30:00Z"
    assert event["ends_at"] == "2030-06-21T20:30:00.123000Z"
    assert datetime.fromisoformat(event["created_at"]).tzinfo is not None
    assert event["created_at"] == event["updated_at"]

    read = await client.get(created.headers["Location"])
    assert read.status_code == 200
    assert read.json() == event
    assert read.headers["ETag"] == '"1"'

    patched = await client.patch(
        f"/events/{event['id']}", json={"venue": "Harbour Hall", "price": 3000}, headers=organizer.headers
    )
    assert patched.status_code == 200, patched.text
    assert patched.headers["ETag"] == '"2"'
    changed = patched.json()
    assert (changed["venue"], changed["price"], changed["version"]) == ("Harbour Hall", 3000, 2)
    assert changed["updated_at"] > changed["created_at"] == event["created_at"]
    assert (await client.get(f"/events/{event['id']}")).json() == changed

    cancelled = await client.post(f"/events/{event['id']}/cancel", headers=organizer.headers)
    assert cancelled.status_code == 200
    assert (cancelled.json()["status"], cancelled.json()["version"]) == ("cancelled", 3)

    deleted = await client.delete(f"/events/{event['id']}", headers=organizer.headers)
    assert deleted.status_code == 204 and deleted.content == b""
    assert (await client.get(f"/events/{event['id']}")).status_code == 404
    assert (await client.delete(f"/events/{event['id']}", headers=organizer.headers)).status_code == 404
    assert (await client.get("/events")).json()["total"] == 0


async def test_the_ticket_limit_defaults_to_ten_or_the_capacity(
    client: httpx.AsyncClient, organizer: Account
) -> None:
    assert (await create_event(client, organizer))["max_tickets_per_booking"] == 10
    assert (await create_event(client, organizer, capacity=4))["max_tickets_per_booking"] == 4


async def test_text_is_trimmed_and_codes_normalized(client: httpx.AsyncClient, organizer: Account) -> None:
    event = await create_event(client, organizer, title="  Jazz  ", category="Live-Music", currency="eur")

    assert (event["title"], event["category"], event["currency"]) == ("Jazz", "live-music", "EUR")


@pytest.mark.parametrize("event_id", [MISSING_ID, "not-an-id", "12345", "zz" * 12])
async def test_unknown_or_malformed_ids_are_not_found(
    client: httpx.AsyncClient, organizer: Account, event_id: str
) -> None:
    path = f"/events/{event_id}"
    assert (await client.get(path)).status_code == 404
    patched = await client.patch(path, json={"title": "x"}, headers=organizer.headers)
    assert patched.status_code == 404 and patched.json() == {"detail": "Event not found"}
    assert (await client.post(f"{path}/cancel", headers=organizer.headers)).status_code == 404
    assert (await client.delete(path, headers=organizer.headers)).status_code == 404


async def test_a_change_that_changes_nothing_keeps_the_version(
    client: httpx.AsyncClient, organizer: Account
) -> None:
    event = await create_event(client, organizer)
    path = f"/events/{event['id']}"

    same = await client.patch(
        path, json={"title": event["title"], "starts_at": event["starts_at"]}, headers=organizer.headers
    )
    empty = await client.patch(path, json={}, headers=organizer.headers)

    assert same.status_code == empty.status_code == 200
    assert same.json() == empty.json() == event


async def test_cancelling_twice_is_harmless(client: httpx.AsyncClient, organizer: Account) -> None:
    event = await create_event(client, organizer)
    path = f"/events/{event['id']}/cancel"

    first = await client.post(path, headers=organizer.headers)
    again = await client.post(path, headers=organizer.headers)

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again.json()["version"] == 2


async def test_status_cancelled_in_a_patch_cancels(client: httpx.AsyncClient, organizer: Account) -> None:
    event = await create_event(client, organizer)

    response = await client.patch(
        f"/events/{event['id']}", json={"status": "cancelled"}, headers=organizer.headers
    )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["version"]) == ("cancelled", 2)


@pytest.mark.parametrize(
    "change", [{"status": "scheduled"}, {"title": "Back on"}, {"description": "Sorry"}, {}]
)
async def test_a_cancelled_event_is_final(
    client: httpx.AsyncClient, organizer: Account, change: dict[str, str]
) -> None:
    event = await create_event(client, organizer)
    await client.post(f"/events/{event['id']}/cancel", headers=organizer.headers)

    response = await client.patch(f"/events/{event['id']}", json=change, headers=organizer.headers)

    assert response.status_code == 409
    assert "cancelled" in response.json()["detail"]
    assert (await client.get(f"/events/{event['id']}")).json()["version"] == 2


async def test_a_cancelled_event_can_still_be_deleted(client: httpx.AsyncClient, organizer: Account) -> None:
    event = await create_event(client, organizer)
    await client.post(f"/events/{event['id']}/cancel", headers=organizer.headers)

    assert (await client.delete(f"/events/{event['id']}", headers=organizer.headers)).status_code == 204


async def test_an_event_that_started_can_still_be_corrected(
    client: httpx.AsyncClient, organizer: Account
) -> None:
    event = await create_event(client, organizer)
    # Only a new start must lie ahead: time passing does not freeze the event.
    yesterday = in_days(-1)
    await Event.get_pymongo_collection().update_many(
        {}, {"$set": {"starts_at": datetime.fromisoformat(yesterday)}}
    )
    path = f"/events/{event['id']}"

    resent = await client.patch(
        path, json={"description": "Slides are online", "starts_at": yesterday}, headers=organizer.headers
    )
    moved = await client.patch(path, json={"starts_at": in_days(-2)}, headers=organizer.headers)

    assert resent.status_code == 200, resent.text
    assert resent.json()["description"] == "Slides are online"
    assert moved.status_code == 422
    assert moved.json()["detail"][0]["loc"] == ["body", "starts_at"]
