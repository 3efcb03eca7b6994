"""Who may do what: organizers and admins manage an event; its door staff scan there and nowhere else."""

from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from tests.accounts import Account
from tests.checkin_service.conftest import Stage
from tests.checkin_service.facts import VIP

Buy = Callable[..., Awaitable[tuple[Any, list[dict[str, Any]]]]]


async def _scan(
    client: httpx.AsyncClient, list_id: str, secret: str, account: Account, nonce: str
) -> httpx.Response:
    return await client.post(
        f"/checkin-lists/{list_id}/scans", json={"secret": secret, "nonce": nonce}, headers=account.headers
    )


async def test_door_staff_scan_at_their_event_only(
    checkin: httpx.AsyncClient,
    make_stage: Callable[..., Awaitable[Stage]],
    make_account: Callable[..., Awaitable[Account]],
    buy: Buy,
) -> None:
    event_a, event_b = await make_stage(), await make_stage()
    staff = await make_account()
    granted = await checkin.post(
        f"/events/{event_a.event.event_id}/door-staff",
        json={"user_id": staff.id},
        headers=event_a.organizer.headers,
    )
    assert granted.status_code == 201, granted.text
    assert granted.json()["user_id"] == staff.id and granted.json()["granted_by"] == event_a.organizer.id
    _, tickets_a = await buy(event_a.event, await make_account(), [(VIP, 1)])
    _, tickets_b = await buy(event_b.event, await make_account(), [(VIP, 1)])

    at_a = await _scan(checkin, event_a.list_id, tickets_a[0]["secret"], staff, "staff-a")
    assert at_a.status_code == 200 and at_a.json()["result"] == "ok"
    at_b = await _scan(checkin, event_b.list_id, tickets_b[0]["secret"], staff, "staff-b")
    assert at_b.status_code == 403
    # Door staff read their event's lists and revocations, to scan offline; they manage nothing.
    lists = await checkin.get(f"/events/{event_a.event.event_id}/checkin-lists", headers=staff.headers)
    assert [item["id"] for item in lists.json()["items"]] == [event_a.list_id]
    revocations = await checkin.get(f"/events/{event_a.event.event_id}/revocations", headers=staff.headers)
    assert revocations.status_code == 200
    assert (
        await checkin.get(f"/events/{event_b.event.event_id}/revocations", headers=staff.headers)
    ).status_code == 403
    made = await checkin.post(
        f"/events/{event_a.event.event_id}/checkin-lists", json={"name": "Side door"}, headers=staff.headers
    )
    assert made.status_code == 403
    listed = await checkin.get(f"/events/{event_a.event.event_id}/door-staff", headers=staff.headers)
    assert listed.status_code == 403

    # Withdrawn, they scan no more.
    url = f"/events/{event_a.event.event_id}/door-staff"
    assert [
        item["user_id"]
        for item in (await checkin.get(url, headers=event_a.organizer.headers)).json()["items"]
    ] == [staff.id]
    assert (await checkin.delete(f"{url}/{staff.id}", headers=event_a.organizer.headers)).status_code == 204
    assert (await checkin.delete(f"{url}/{staff.id}", headers=event_a.organizer.headers)).status_code == 404
    again = await _scan(checkin, event_a.list_id, tickets_a[0]["secret"], staff, "staff-a-again")
    assert again.status_code == 403


async def test_an_attendee_cannot_scan_even_their_own_ticket(
    checkin: httpx.AsyncClient,
    make_stage: Callable[..., Awaitable[Stage]],
    make_account: Callable[..., Awaitable[Account]],
    buy: Buy,
) -> None:
    stage = await make_stage()
    attendee = await make_account()
    _, tickets = await buy(stage.event, attendee, [(VIP, 1)])
    response = await _scan(checkin, stage.list_id, tickets[0]["secret"], attendee, "self-service")
    assert response.status_code == 403
    assert (await checkin.get(f"/checkin-lists/{stage.list_id}", headers=attendee.headers)).status_code == 403
    export = await checkin.get(
        f"/checkin-lists/{stage.list_id}/attendees", params={"format": "csv"}, headers=attendee.headers
    )
    assert export.status_code == 403
    # Nothing was recorded: the organizer's scan is the first.
    first = await _scan(checkin, stage.list_id, tickets[0]["secret"], stage.organizer, "organizer")
    assert first.json()["result"] == "ok"


async def test_only_the_organizer_or_an_admin_manages_an_events_lists_and_staff(
    checkin: httpx.AsyncClient,
    make_stage: Callable[..., Awaitable[Stage]],
    make_account: Callable[..., Awaitable[Account]],
    admin: Account,
) -> None:
    stage = await make_stage()
    other_organizer = await make_account("organizer")
    event_id = stage.event.event_id
    body = {"name": "VIP lane", "ticket_type_ids": [VIP]}

    assert (
        await checkin.post(f"/events/{event_id}/checkin-lists", json=body, headers=other_organizer.headers)
    ).status_code == 403
    assert (
        await checkin.post(
            f"/events/{event_id}/door-staff", json={"user_id": "x"}, headers=other_organizer.headers
        )
    ).status_code == 403
    made = await checkin.post(f"/events/{event_id}/checkin-lists", json=body, headers=admin.headers)
    assert made.status_code == 201
    assert made.json()["ticket_type_ids"] == [VIP]
    listed = await checkin.get(f"/events/{event_id}/checkin-lists", headers=stage.organizer.headers)
    assert listed.json()["total"] == 2
    assert (await checkin.get(f"/events/{event_id}/checkin-lists")).status_code == 401
    unknown = await checkin.post("/events/no-such-event/checkin-lists", json=body, headers=admin.headers)
    assert unknown.status_code == 404
    missing = await checkin.get("/checkin-lists/00000000-0000-0000-0000-000000000000", headers=admin.headers)
    assert missing.status_code == 404
