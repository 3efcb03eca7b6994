"""Ticket types: the default one made with the event, more added by its organizer, time zone and holds."""

import asyncio
from typing import Any

import httpx
import pytest

from tests.conftest import Account
from tests.event_service.conftest import create_event, event_body, in_days
from tests.event_service.test_validation import assert_names


def types_path(event: dict[str, Any]) -> str:
    return f"/events/{event['id']}/ticket-types"


async def add_type(
    client: httpx.AsyncClient, event: dict[str, Any], account: Account, **fields: Any
) -> dict[str, Any]:
    body = {"name": "Early bird", "price": 1800, **fields}
    response = await client.post(types_path(event), json=body, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def read(client: httpx.AsyncClient, event: dict[str, Any]) -> dict[str, Any]:
    response = await client.get(f"/events/{event['id']}")
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_new_event_sells_one_default_type_of_its_price_and_limit(
    client: httpx.AsyncClient, organizer: Account
) -> None:
    event = await create_event(client, organizer, max_tickets_per_booking=6)

    assert event["timezone"] == "UTC" and event["hold_minutes"] == 15
    assert event["ticket_types"] == [
        {
            "id": event["id"],
            "name": "Admission",
            "description": "",
            "price": 2500,
            "sales_start": None,
            "sales_end": None,
            "min_per_booking": 1,
            "max_per_booking": 6,
            "hidden": False,
            "position": 0,
        }
    ]
    listed = await client.get(types_path(event))
    assert listed.status_code == 200 and listed.json() == event["ticket_types"]


async def test_time_zone_and_hold_minutes_are_set_and_changed(
    client: httpx.AsyncClient, organizer: Account
) -> None:
    event = await create_event(client, organizer, timezone="Europe/Berlin", hold_minutes=30)
    assert (event["timezone"], event["hold_minutes"]) == ("Europe/Berlin", 30)

    changed = await client.patch(
        f"/events/{event['id']}",
        json={"timezone": "America/New_York", "hold_minutes": 5},
        headers=organizer.headers,
    )

    assert changed.status_code == 200
    assert (changed.json()["timezone"], changed.json()["hold_minutes"]) == ("America/New_York", 5)
    assert (await read(client, event))["timezone"] == "America/New_York"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("timezone", "Mars/Olympus_Mons"),
        ("timezone", "europe/berlin"),
        ("timezone", ""),
        ("timezone", "A" * 65),
        ("hold_minutes", 0),
        ("hold_minutes", 61),
        ("hold_minutes", 10.0),
        ("hold_minutes", "15"),
    ],
)
async def test_time_zone_and_hold_minutes_are_validated(
    client: httpx.AsyncClient, organizer: Account, field: str, value: Any
) -> None:
    created = await client.post("/events", json=event_body(**{field: value}), headers=organizer.headers)
    assert created.status_code == 422
    assert_names(created, "body", field)

    event = await create_event(client, organizer)
    changed = await client.patch(f"/events/{event['id']}", json={field: value}, headers=organizer.headers)
    assert changed.status_code == 422
    assert_names(changed, "body", field)


async def test_organizer_adds_changes_and_deletes_a_type(
    client: httpx.AsyncClient, organizer: Account
) -> None:
    event = await create_event(client, organizer)
    added = await add_type(
        client,
        event,
        organizer,
        description="For the first forty.",
        sales_start=in_days(1),
        sales_end=in_days(10),
        min_per_booking=2,
        max_per_booking=4,
        position=1,
    )
    assert added["id"] != event["id"] and len(added["id"]) == 24
    assert (added["min_per_booking"], added["max_per_booking"], added["position"]) == (2, 4, 1)
    assert added["sales_end"].startswith(in_days(10)[:10])

    path = f"{types_path(event)}/{added['id']}"
    changed = await client.patch(path, json={"price": 2000, "sales_end": None}, headers=organizer.headers)
    assert changed.status_code == 200, changed.text
    assert (changed.json()["price"], changed.json()["sales_end"]) == (2000, None)
    assert [t["price"] for t in (await read(client, event))["ticket_types"]] == [2500, 2000]

    assert (await client.delete(path, headers=organizer.headers)).status_code == 204
    assert [t["id"] for t in (await read(client, event))["ticket_types"]] == [event["id"]]
    assert (await client.patch(path, json={"price": 1}, headers=organizer.headers)).status_code == 404
    assert (await client.delete(path, headers=organizer.headers)).status_code == 404


async def test_a_new_type_may_sell_at_most_the_events_booking_limit_by_default(
    client: httpx.AsyncClient, organizer: Account
) -> None:
    event = await create_event(client, organizer, max_tickets_per_booking=8)

    assert (await add_type(client, event, organizer))["max_per_booking"] == 8


async def test_types_are_listed_by_position_then_name(client: httpx.AsyncClient, organizer: Account) -> None:
    event = await create_event(client, organizer)
    await add_type(client, event, organizer, name="VIP", position=2)
    await add_type(client, event, organizer, name="Balcony", position=2)
    await add_type(client, event, organizer, name="Student", position=1)

    names = [t["name"] for t in (await client.get(types_path(event))).json()]

    assert names == ["Admission", "Student", "Balcony", "VIP"]
    assert [t["name"] for t in (await read(client, event))["ticket_types"]] == names


async def test_hidden_types_are_listed_to_the_owner_and_admins_only(
    client: httpx.AsyncClient, organizer: Account, other_organizer: Account, attendee: Account, admin: Account
) -> None:
    event = await create_event(client, organizer)
    hidden = await add_type(client, event, organizer, name="Press", hidden=True)

    for headers in ({}, attendee.headers, other_organizer.headers):
        listed = await client.get(types_path(event), headers=headers)
        assert [t["id"] for t in listed.json()] == [event["id"]]
    for account in (organizer, admin):
        listed = await client.get(types_path(event), headers=account.headers)
        assert [t["id"] for t in listed.json()] == [event["id"], hidden["id"]]
    assert [t["id"] for t in (await read(client, event))["ticket_types"]] == [event["id"]]


async def test_the_events_price_is_its_default_types_price_both_ways(
    client: httpx.AsyncClient, organizer: Account
) -> None:
    event = await create_event(client, organizer)
    by_event = await client.patch(f"/events/{event['id']}", json={"price": 3000}, headers=organizer.headers)
    assert by_event.json()["ticket_types"][0]["price"] == 3000

    by_type = await client.patch(
        f"{types_path(event)}/{event['id']}", json={"price": 1200}, headers=organizer.headers
    )

    assert by_type.status_code == 200 and by_type.json()["price"] == 1200
    after = await read(client, event)
    assert (after["price"], after["ticket_types"][0]["price"]) == (1200, 1200)
    assert after["version"] == event["version"] + 2  # each change one write


async def test_a_lower_booking_limit_lowers_the_types_limits(
    client: httpx.AsyncClient, organizer: Account
) -> None:
    event = await create_event(client, organizer, max_tickets_per_booking=10)
    await add_type(client, event, organizer, min_per_booking=6, max_per_booking=8)

    lowered = await client.patch(
        f"/events/{event['id']}", json={"max_tickets_per_booking": 5}, headers=organizer.headers
    )

    limits = [(t["min_per_booking"], t["max_per_booking"]) for t in lowered.json()["ticket_types"]]
    assert limits == [(1, 5), (5, 5)]
    raised = await client.patch(
        f"/events/{event['id']}", json={"max_tickets_per_booking": 7}, headers=organizer.headers
    )
    assert [t["max_per_booking"] for t in raised.json()["ticket_types"]] == [7, 5]


async def test_the_default_type_cannot_be_deleted(client: httpx.AsyncClient, organizer: Account) -> None:
    event = await create_event(client, organizer)

    response = await client.delete(f"{types_path(event)}/{event['id']}", headers=organizer.headers)

    assert response.status_code == 409
    assert "default" in response.json()["detail"]


async def test_an_event_has_at_most_fifty_types(client: httpx.AsyncClient, organizer: Account) -> None:
    event = await create_event(client, organizer)
    for number in range(49):
        await add_type(client, event, organizer, name=f"Type {number}")

    response = await client.post(
        types_path(event), json={"name": "One more", "price": 1}, headers=organizer.headers
    )

    assert response.status_code == 409
    assert "50" in response.json()["detail"]


async def test_a_cancelled_events_types_cannot_change(client: httpx.AsyncClient, organizer: Account) -> None:
    event = await create_event(client, organizer)
    extra = await add_type(client, event, organizer)
    await client.post(f"/events/{event['id']}/cancel", headers=organizer.headers)
    path = f"{types_path(event)}/{extra['id']}"

    for response in (
        await client.post(types_path(event), json={"name": "Late", "price": 1}, headers=organizer.headers),
        await client.patch(path, json={"price": 1}, headers=organizer.headers),
        await client.delete(path, headers=organizer.headers),
    ):
        assert response.status_code == 409
        assert "cancelled" in response.json()["detail"]


async def test_a_type_write_is_a_new_version_of_the_event_and_honours_if_match(
    client: httpx.AsyncClient, organizer: Account
) -> None:
    event = await create_event(client, organizer)
    stale = {**organizer.headers, "If-Match": f'"{event["version"]}"'}
    added = await client.post(types_path(event), json={"name": "A", "price": 1}, headers=stale)
    assert added.status_code == 201
    assert added.headers["ETag"] == f'"{event["version"] + 1}"'

    refused = await client.post(types_path(event), json={"name": "B", "price": 1}, headers=stale)

    assert refused.status_code == 412
    assert [t["name"] for t in (await read(client, event))["ticket_types"]] == ["A", "Admission"]


async def test_a_missing_event_or_type_is_404(client: httpx.AsyncClient, organizer: Account) -> None:
    event = await create_event(client, organizer)
    missing = "0" * 24

    assert (await client.get(f"/events/{missing}/ticket-types")).status_code == 404
    assert (await client.get("/events/not-an-id/ticket-types")).status_code == 404
    patched = await client.patch(
        f"{types_path(event)}/{missing}", json={"price": 1}, headers=organizer.headers
    )
    assert patched.status_code == 404
    too_long = await client.patch(
        f"{types_path(event)}/{'x' * 101}", json={"price": 1}, headers=organizer.headers
    )
    assert too_long.status_code == 422
    assert_names(too_long, "path", "ticket_type_id")


# Who may write


# What a type must be


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "x" * 101),
        ("description", "x" * 1001),
        ("price", -1),
        ("price", 1_000_000),
        ("price", 10.0),
        ("price", "10"),
        ("sales_start", "tomorrow"),
        ("sales_start", "2030-01-01T10:00:00"),
        ("sales_end", 1893456000),
        ("min_per_booking", 0),
        ("max_per_booking", 0),
        ("max_per_booking", 101),
        ("hidden", "maybe"),
        ("position", -1),
        ("position", 1.5),
        ("colour", "red"),
    ],
)
async def test_a_type_refuses(client: httpx.AsyncClient, organizer: Account, field: str, value: Any) -> None:
    event = await create_event(client, organizer)
    body = {"name": "A", "price": 100, field: value}

    created = await client.post(types_path(event), json=body, headers=organizer.headers)
    assert created.status_code == 422
    assert_names(created, "body", field)

    changed = await client.patch(
        f"{types_path(event)}/{event['id']}", json={field: value}, headers=organizer.headers
    )
    assert changed.status_code == 422
    assert_names(changed, "body", field)


@pytest.mark.parametrize("field", ["name", "price"])
async def test_a_new_type_requires(client: httpx.AsyncClient, organizer: Account, field: str) -> None:
    event = await create_event(client, organizer)
    body = {"name": "A", "price": 100}
    del body[field]

    response = await client.post(types_path(event), json=body, headers=organizer.headers)

    assert response.status_code == 422
    assert_names(response, "body", field)


@pytest.mark.parametrize("field", ["name", "price", "min_per_booking", "hidden", "position"])
async def test_a_change_cannot_null(client: httpx.AsyncClient, organizer: Account, field: str) -> None:
    event = await create_event(client, organizer)

    response = await client.patch(
        f"{types_path(event)}/{event['id']}", json={field: None}, headers=organizer.headers
    )

    assert response.status_code == 422
    assert_names(response, "body", field)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"sales_start": in_days(5), "sales_end": in_days(5)}, "sales_end"),
        ({"sales_start": in_days(5), "sales_end": in_days(4)}, "sales_end"),
        ({"min_per_booking": 5, "max_per_booking": 4}, "max_per_booking"),
        ({"max_per_booking": 7}, "max_per_booking"),  # the event sells at most 6 per booking
        ({"min_per_booking": 7}, "min_per_booking"),
    ],
)
async def test_a_new_type_is_checked_as_a_whole(
    client: httpx.AsyncClient, organizer: Account, body: dict[str, Any], field: str
) -> None:
    event = await create_event(client, organizer, max_tickets_per_booking=6)

    response = await client.post(
        types_path(event), json={"name": "A", "price": 1, **body}, headers=organizer.headers
    )

    assert response.status_code == 422, response.text
    assert_names(response, "body", field)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"sales_end": in_days(1)}, "sales_end"),  # before its start, in 3 days
        ({"sales_start": in_days(20)}, "sales_start"),  # after its end, in 10 days
        ({"min_per_booking": 5}, "min_per_booking"),  # above its maximum, 4
        ({"max_per_booking": 1}, "max_per_booking"),  # below its minimum, 2
        ({"max_per_booking": 7}, "max_per_booking"),  # above the event's limit, 6
    ],
)
async def test_a_changed_type_is_checked_as_changed(
    client: httpx.AsyncClient, organizer: Account, body: dict[str, Any], field: str
) -> None:
    event = await create_event(client, organizer, max_tickets_per_booking=6)
    extra = await add_type(
        client,
        event,
        organizer,
        sales_start=in_days(3),
        sales_end=in_days(10),
        min_per_booking=2,
        max_per_booking=4,
    )

    response = await client.patch(f"{types_path(event)}/{extra['id']}", json=body, headers=organizer.headers)

    assert response.status_code == 422, response.text
    assert_names(response, "body", field)


async def test_types_added_at_once_all_land(client: httpx.AsyncClient, organizer: Account) -> None:
    event = await create_event(client, organizer)

    added = await asyncio.gather(
        *(add_type(client, event, organizer, name=f"T{number}") for number in range(4))
    )

    listed = (await client.get(types_path(event))).json()
    assert {t["id"] for t in added} | {event["id"]} == {t["id"] for t in listed}
    assert (await read(client, event))["version"] == event["version"] + 4
