"""Who may write: organizers create, owners and admins change; everyone reads."""

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from tests.conftest import Account
from tests.event_service.conftest import create_event, event_body

Write = Callable[[httpx.AsyncClient, str, dict[str, str]], Awaitable[httpx.Response]]


async def _patch(client: httpx.AsyncClient, event_id: str, headers: dict[str, str]) -> httpx.Response:
    return await client.patch(f"/events/{event_id}", json={"title": "Renamed"}, headers=headers)


async def _cancel(client: httpx.AsyncClient, event_id: str, headers: dict[str, str]) -> httpx.Response:
    return await client.post(f"/events/{event_id}/cancel", headers=headers)


async def _delete(client: httpx.AsyncClient, event_id: str, headers: dict[str, str]) -> httpx.Response:
    return await client.delete(f"/events/{event_id}", headers=headers)


WRITES = pytest.mark.parametrize("write", [_patch, _cancel, _delete], ids=["patch", "cancel", "delete"])


@pytest.fixture
async def event(client: httpx.AsyncClient, organizer: Account) -> dict[str, Any]:
    return await create_event(client, organizer)


async def test_organizers_and_admins_create(
    client: httpx.AsyncClient, organizer: Account, admin: Account
) -> None:
    for account in (organizer, admin):
        response = await client.post("/events", json=event_body(), headers=account.headers)
        assert response.status_code == 201
        assert response.json()["owner_id"] == account.id


async def test_attendees_and_services_cannot_create(
    client: httpx.AsyncClient, attendee: Account, service_token: str
) -> None:
    for headers in (attendee.headers, {"Authorization": f"Bearer {service_token}"}):
        response = await client.post("/events", json=event_body(), headers=headers)
        assert response.status_code == 403
        assert "organizer" in response.json()["detail"]
    assert (await client.get("/events")).json()["total"] == 0


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer not-a-token"}], ids=["anonymous", "bad-token"]
)
async def test_writes_need_a_valid_token(
    client: httpx.AsyncClient, event: dict[str, Any], headers: dict[str, str]
) -> None:
    assert (await client.post("/events", json=event_body(), headers=headers)).status_code == 401
    for write in (_patch, _cancel, _delete):
        response = await write(client, event["id"], headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"


@WRITES
async def test_the_owner_may_write(
    client: httpx.AsyncClient, event: dict[str, Any], organizer: Account, write: Write
) -> None:
    assert (await write(client, event["id"], organizer.headers)).status_code in (200, 204)


@WRITES
async def test_an_admin_may_write_any_event(
    client: httpx.AsyncClient, event: dict[str, Any], admin: Account, write: Write
) -> None:
    assert (await write(client, event["id"], admin.headers)).status_code in (200, 204)


@WRITES
async def test_another_organizer_may_not_write(
    client: httpx.AsyncClient, event: dict[str, Any], other_organizer: Account, write: Write
) -> None:
    response = await write(client, event["id"], other_organizer.headers)

    assert response.status_code == 403
    assert response.json() == {"detail": "Only the event's owner or an admin may change it"}
    assert (await client.get(f"/events/{event['id']}")).json() == event


@WRITES
async def test_attendees_and_services_may_not_write(
    client: httpx.AsyncClient, event: dict[str, Any], attendee: Account, service_token: str, write: Write
) -> None:
    for headers in (attendee.headers, {"Authorization": f"Bearer {service_token}"}):
        assert (await write(client, event["id"], headers)).status_code == 403
    assert (await client.get(f"/events/{event['id']}")).json() == event


async def test_anyone_reads(client: httpx.AsyncClient, event: dict[str, Any], attendee: Account) -> None:
    for headers in ({}, attendee.headers):
        assert (await client.get(f"/events/{event['id']}", headers=headers)).status_code == 200
        assert (await client.get("/events", headers=headers)).json()["total"] == 1
