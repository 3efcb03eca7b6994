"""Quotas: seats some ticket types share, set by the event's organizer."""

from typing import Any

import httpx
import pytest

from tests.conftest import Account
from tests.event_service.conftest import create_event
from tests.event_service.test_ticket_types import add_type
from tests.event_service.test_validation import assert_names


def quotas_path(event: dict[str, Any]) -> str:
    return f"/events/{event['id']}/quotas"


async def add_quota(
    client: httpx.AsyncClient, event: dict[str, Any], account: Account, **fields: Any
) -> dict[str, Any]:
    body = {"name": "Balcony", "size": 40, "ticket_type_ids": [event["id"]], **fields}
    response = await client.post(quotas_path(event), json=body, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_organizer_adds_changes_and_deletes_a_quota(
    client: httpx.AsyncClient, organizer: Account
) -> None:
    event = await create_event(client, organizer)
    vip = await add_type(client, event, organizer, name="VIP")
    quota = await add_quota(client, event, organizer, ticket_type_ids=[event["id"], vip["id"], event["id"]])
    assert quota["ticket_type_ids"] == [event["id"], vip["id"]]  # each once
    assert len(quota["id"]) == 24

    path = f"{quotas_path(event)}/{quota['id']}"
    changed = await client.patch(
        path, json={"size": 60, "ticket_type_ids": [vip["id"]]}, headers=organizer.headers
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["size"], changed.json()["ticket_type_ids"]) == (60, [vip["id"]])
    assert (await client.get(quotas_path(event))).json() == [changed.json()]

    assert (await client.delete(path, headers=organizer.headers)).status_code == 204
    assert (await client.get(quotas_path(event))).json() == []
    assert (await client.delete(path, headers=organizer.headers)).status_code == 404
    assert (await client.patch(path, json={"size": 1}, headers=organizer.headers)).status_code == 404


async def test_deleting_a_type_takes_it_out_of_its_quotas(
    client: httpx.AsyncClient, organizer: Account
) -> None:
    event = await create_event(client, organizer)
    vip = await add_type(client, event, organizer, name="VIP")
    shared = await add_quota(client, event, organizer, ticket_type_ids=[event["id"], vip["id"]])
    await add_quota(client, event, organizer, name="VIP only", ticket_type_ids=[vip["id"]])

    await client.delete(f"/events/{event['id']}/ticket-types/{vip['id']}", headers=organizer.headers)

    assert (await client.get(quotas_path(event))).json() == [{**shared, "ticket_type_ids": [event["id"]]}]


async def test_the_capacity_is_not_listed_among_the_quotas(
    client: httpx.AsyncClient, organizer: Account
) -> None:
    event = await create_event(client, organizer)

    assert (await client.get(quotas_path(event))).json() == []
    assert (await client.get(f"/events/{'0' * 24}/quotas")).status_code == 404


async def test_an_event_has_at_most_fifty_quotas(client: httpx.AsyncClient, organizer: Account) -> None:
    event = await create_event(client, organizer)
    for number in range(50):
        await add_quota(client, event, organizer, name=f"Quota {number}")

    response = await client.post(
        quotas_path(event),
        json={"name": "More", "size": 1, "ticket_type_ids": [event["id"]]},
        headers=organizer.headers,
    )

    assert response.status_code == 409
    assert "50" in response.json()["detail"]


async def test_a_cancelled_events_quotas_cannot_change(client: httpx.AsyncClient, organizer: Account) -> None:
    event = await create_event(client, organizer)
    quota = await add_quota(client, event, organizer)
    await client.post(f"/events/{event['id']}/cancel", headers=organizer.headers)
    path = f"{quotas_path(event)}/{quota['id']}"

    for response in (
        await client.post(
            quotas_path(event),
            json={"name": "A", "size": 1, "ticket_type_ids": [event["id"]]},
            headers=organizer.headers,
        ),
        await client.patch(path, json={"size": 2}, headers=organizer.headers),
        await client.delete(path, headers=organizer.headers),
    ):
        assert response.status_code == 409


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "x" * 101),
        ("size", 0),
        ("size", 1_000_001),
        ("size", 5.0),
        ("ticket_type_ids", []),
        ("ticket_type_ids", ["a"] * 51),
        ("ticket_type_ids", ["x" * 25]),
        ("ticket_type_ids", "not-a-list"),
        ("extra", 1),
    ],
)
async def test_a_quota_refuses(client: httpx.AsyncClient, organizer: Account, field: str, value: Any) -> None:
    event = await create_event(client, organizer)
    quota = await add_quota(client, event, organizer)

    created = await client.post(
        quotas_path(event),
        json={"name": "A", "size": 1, "ticket_type_ids": [event["id"]], field: value},
        headers=organizer.headers,
    )
    assert created.status_code == 422
    assert_names(created, "body", field)

    changed = await client.patch(
        f"{quotas_path(event)}/{quota['id']}", json={field: value}, headers=organizer.headers
    )
    assert changed.status_code == 422
    assert_names(changed, "body", field)


async def test_a_quota_names_only_types_of_its_event(client: httpx.AsyncClient, organizer: Account) -> None:
    event = await create_event(client, organizer)
    other_event = await create_event(client, organizer)
    quota = await add_quota(client, event, organizer)
    foreign = other_event["id"]

    created = await client.post(
        quotas_path(event),
        json={"name": "A", "size": 1, "ticket_type_ids": [event["id"], foreign]},
        headers=organizer.headers,
    )
    changed = await client.patch(
        f"{quotas_path(event)}/{quota['id']}", json={"ticket_type_ids": [foreign]}, headers=organizer.headers
    )

    for response in (created, changed):
        assert response.status_code == 422
        assert_names(response, "body", "ticket_type_ids")
        assert foreign in response.json()["detail"][0]["msg"]


@pytest.mark.parametrize("field", ["name", "size", "ticket_type_ids"])
async def test_a_quota_change_cannot_null(client: httpx.AsyncClient, organizer: Account, field: str) -> None:
    event = await create_event(client, organizer)
    quota = await add_quota(client, event, organizer)

    response = await client.patch(
        f"{quotas_path(event)}/{quota['id']}", json={field: None}, headers=organizer.headers
    )

    assert response.status_code == 422
    assert_names(response, "body", field)
