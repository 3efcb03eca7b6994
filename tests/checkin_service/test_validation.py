"""Bad input is answered 4xx naming the field, never 500; every list and batch has a limit."""

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest

from tests.checkin_service.conftest import Stage
from tests.checkin_service.facts import VIP, now

Buy = Callable[..., Awaitable[tuple[Any, list[dict[str, Any]]]]]
SCAN = {"secret": "AAAA", "nonce": "n-1"}


def _fields(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    if isinstance(detail, str):
        return [response.json()["field"]]
    return [str(error["loc"][-1]) for error in detail]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**SCAN, "nonce": "x" * 65}, "nonce"),
        ({**SCAN, "nonce": "with spaces"}, "nonce"),
        ({**SCAN, "nonce": ""}, "nonce"),
        ({**SCAN, "secret": "A" * 401}, "secret"),
        ({**SCAN, "type": "sideways"}, "type"),
        ({**SCAN, "scanned_at": "2026-12-01T10:00:00"}, "scanned_at"),  # no time zone
        ({**SCAN, "extra": 1}, "extra"),
        ({"nonce": "n"}, "secret"),
        ({"scans": []}, "scans"),
        ({"scans": [SCAN]}, "scanned_at"),  # an offline scan says when it was made
        ({"scans": [{**SCAN, "scanned_at": "2026-12-01T10:00:00Z"}] * 501}, "scans"),
    ],
)
async def test_a_bad_scan_is_refused_naming_the_field(
    checkin: httpx.AsyncClient, make_stage: Callable[..., Awaitable[Stage]], body: dict[str, Any], field: str
) -> None:
    stage = await make_stage()
    response = await checkin.post(
        f"/checkin-lists/{stage.list_id}/scans", json=body, headers=stage.organizer.headers
    )
    assert field in _fields(response)


async def test_a_scan_from_long_ago_is_judged_not_refused(
    checkin: httpx.AsyncClient, make_stage: Callable[..., Awaitable[Stage]], buy: Buy
) -> None:
    stage = await make_stage()
    _, tickets = await buy(stage.event, stage.organizer, [(VIP, 1)])
    body = {"secret": tickets[0]["secret"], "nonce": "ancient", "scanned_at": "0001-01-01T00:00:00Z"}
    response = await checkin.post(
        f"/checkin-lists/{stage.list_id}/scans", json=body, headers=stage.organizer.headers
    )
    assert response.status_code == 200
    assert response.json()["result"] == "not_yet_valid"
    odd = {"secret": "ÄÖÜ-not-ascii", "nonce": "odd"}
    response = await checkin.post(
        f"/checkin-lists/{stage.list_id}/scans", json=odd, headers=stage.organizer.headers
    )
    assert response.json()["result"] == "invalid_signature"


async def test_a_scan_from_the_future_is_refused_naming_the_field(
    checkin: httpx.AsyncClient, make_stage: Callable[..., Awaitable[Stage]]
) -> None:
    stage = await make_stage()
    future = (now() + timedelta(hours=1)).isoformat()
    url = f"/checkin-lists/{stage.list_id}/scans"
    response = await checkin.post(url, json={**SCAN, "scanned_at": future}, headers=stage.organizer.headers)
    assert _fields(response) == ["scanned_at"]
    batch = {
        "scans": [{**SCAN, "scanned_at": now().isoformat()}, {**SCAN, "nonce": "n-2", "scanned_at": future}]
    }
    response = await checkin.post(url, json=batch, headers=stage.organizer.headers)
    assert _fields(response) == ["scans[1].scanned_at"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "L", "ticket_type_ids": ["a"] * 51}, "ticket_type_ids"),
        ({"name": "L", "ticket_type_ids": ["no/slashes"]}, "0"),
        ({"name": "L", "ticket_type_ids": ["not-a-type-of-this-event"]}, "ticket_type_ids"),
        ({"name": "L", "allow_reentry": "sometimes"}, "allow_reentry"),
    ],
)
async def test_a_bad_list_is_refused_naming_the_field(
    checkin: httpx.AsyncClient, make_stage: Callable[..., Awaitable[Stage]], body: dict[str, Any], field: str
) -> None:
    stage = await make_stage()
    response = await checkin.post(
        f"/events/{stage.event.event_id}/checkin-lists", json=body, headers=stage.organizer.headers
    )
    assert field in _fields(response)


async def test_bad_names_ids_and_pages_are_refused(
    checkin: httpx.AsyncClient, make_stage: Callable[..., Awaitable[Stage]], buy: Buy
) -> None:
    stage = await make_stage()
    _, tickets = await buy(stage.event, stage.organizer, [(VIP, 1)])
    headers = stage.organizer.headers
    ticket_url = f"/tickets/{tickets[0]['id']}"

    assert "attendee_name" in _fields(
        await checkin.patch(ticket_url, json={"attendee_name": "x" * 201}, headers=headers)
    )
    assert "attendee_name" in _fields(
        await checkin.patch(ticket_url, json={"attendee_name": "   "}, headers=headers)
    )
    assert "ticket_id" in _fields(await checkin.get("/tickets/not-a-uuid", headers=headers))
    assert "user_id" in _fields(
        await checkin.post(
            f"/events/{stage.event.event_id}/door-staff", json={"user_id": "x" * 65}, headers=headers
        )
    )
    for url, params, field in (
        (f"/events/{stage.event.event_id}/revocations", {"limit": 1001}, "limit"),
        (f"/events/{stage.event.event_id}/revocations", {"since": -1}, "since"),
        (f"/checkin-lists/{stage.list_id}/attendees", {"limit": 501}, "limit"),
        (f"/checkin-lists/{stage.list_id}/attendees", {"format": "xml"}, "format"),
        (f"/events/{stage.event.event_id}/checkin-lists", {"limit": 0}, "limit"),
        (f"/bookings/{tickets[0]['booking_id']}/tickets", {"offset": -1}, "offset"),
    ):
        assert field in _fields(await checkin.get(url, params=params, headers=headers)), url
    too_long = "e" * 65
    assert (await checkin.get(f"/events/{too_long}/revocations", headers=headers)).status_code == 422
