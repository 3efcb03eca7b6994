"""Who may write an event's ticket types, quotas and vouchers: its owner or an admin, nobody else;
types and quotas are public to read, vouchers are not."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.conftest import Account
from tests.event_service.conftest import create_event


@dataclass(frozen=True)
class Resource:
    collection: str
    new: Callable[[dict[str, Any]], dict[str, Any]]  # a body to create one, for the event
    change: dict[str, Any]  # a change of one field, which an admin's write must show
    key: str  # what names one in its path
    public: bool  # anyone may list them

    def path(self, event: dict[str, Any]) -> str:
        return f"/events/{event['id']}/{self.collection}"


RESOURCES = [
    Resource("ticket-types", lambda event: {"name": "Early bird", "price": 1800}, {"price": 7}, "id", True),
    Resource(
        "quotas",
        lambda event: {"name": "Balcony", "size": 40, "ticket_type_ids": [event["id"]]},
        {"size": 7},
        "id",
        True,
    ),
    Resource("vouchers", lambda event: {}, {"disabled": True}, "code", False),
]


async def _add(client: httpx.AsyncClient, resource: Resource, event: dict[str, Any], account: Account) -> str:
    response = await client.post(resource.path(event), json=resource.new(event), headers=account.headers)
    assert response.status_code == 201, response.text
    return f"{resource.path(event)}/{response.json()[resource.key]}"


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda resource: resource.collection)
async def test_anonymous_callers_cannot_write(
    client: httpx.AsyncClient, organizer: Account, resource: Resource
) -> None:
    event = await create_event(client, organizer)
    path = await _add(client, resource, event, organizer)

    assert (await client.post(resource.path(event), json=resource.new(event))).status_code == 401
    assert (await client.patch(path, json=resource.change)).status_code == 401
    assert (await client.delete(path)).status_code == 401
    listed = await client.get(resource.path(event))
    assert listed.status_code == (200 if resource.public else 401), listed.text


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda resource: resource.collection)
async def test_only_the_owner_or_an_admin_writes(
    client: httpx.AsyncClient,
    organizer: Account,
    other_organizer: Account,
    attendee: Account,
    admin: Account,
    resource: Resource,
) -> None:
    event = await create_event(client, organizer)
    path = await _add(client, resource, event, organizer)

    for other in (other_organizer, attendee):
        created = await client.post(resource.path(event), json=resource.new(event), headers=other.headers)
        assert created.status_code == 403
        assert (await client.patch(path, json=resource.change, headers=other.headers)).status_code == 403
        assert (await client.delete(path, headers=other.headers)).status_code == 403

    await _add(client, resource, event, admin)
    changed = await client.patch(path, json=resource.change, headers=admin.headers)
    assert changed.status_code == 200, changed.text
    assert changed.json().items() >= resource.change.items()
    assert (await client.delete(path, headers=admin.headers)).status_code == 204
