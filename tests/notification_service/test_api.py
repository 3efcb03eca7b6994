"""History over real HTTP: pages, unread filter and count, reading one or all, and nobody else's."""

import httpx
import pytest

from shared.messaging import Broker
from tests.conftest import Account
from tests.notification_service.conftest import (
    Users,
    booking_failed,
    event_created,
    history,
    publish,
    wait_for_history,
)


async def _five_notifications(
    client: httpx.AsyncClient, producer: Broker, owner: Account, user: Account
) -> list[str]:
    """Gives the user five notifications (one to everyone); returns their ids newest first."""
    for index in range(4):
        await publish(producer, booking_failed(user, owner, event_id=f"e{index}"))
    await wait_for_history(client, user, 4)
    await publish(producer, event_created(owner, "e-all"))
    return [item["id"] for item in await wait_for_history(client, user, 5)]


async def test_history_is_newest_first_and_paginated_with_total_and_unread(
    client: httpx.AsyncClient, producer: Broker, owner: Account, users: Users
) -> None:
    user = users[0]
    ids = await _five_notifications(client, producer, owner, user)

    first = await history(client, user, limit=2)
    second = await history(client, user, limit=2, offset=2)
    last = await history(client, user, limit=2, offset=4)

    assert ids == sorted(ids, reverse=True)
    assert [item["id"] for page in (first, second, last) for item in page["items"]] == ids
    assert (first["total"], first["unread"], first["limit"], first["offset"]) == (5, 5, 2, 0)
    assert first["items"][0]["type"] == "event.created"


async def test_reading_one_then_all_updates_the_unread_filter_and_count(
    client: httpx.AsyncClient, producer: Broker, owner: Account, users: Users
) -> None:
    user = users[0]
    ids = await _five_notifications(client, producer, owner, user)
    everyone_id, own_id = ids[0], ids[1]

    for read_id in (own_id, everyone_id, own_id):  # reading twice changes nothing
        response = await client.post(f"/notifications/{read_id}/read", headers=user.headers)
        assert response.status_code == 200, response.text
        assert response.json()["read"] is True

    unread = await history(client, user, unread="true")
    assert [item["id"] for item in unread["items"]] == ids[2:]
    assert (unread["total"], unread["unread"]) == (3, 3)
    listed = {item["id"]: item["read"] for item in (await history(client, user))["items"]}
    assert listed == {id_: id_ in (own_id, everyone_id) for id_ in ids}

    read_all = await client.post("/notifications/read-all", headers=user.headers)
    assert read_all.json() == {"marked_read": 3}
    after = await history(client, user)
    assert (after["total"], after["unread"]) == (5, 0)
    assert all(item["read"] for item in after["items"])
    assert (await history(client, user, unread="true"))["items"] == []


async def test_reading_a_notification_to_everyone_is_kept_per_user(
    client: httpx.AsyncClient, producer: Broker, owner: Account, users: Users
) -> None:
    reader, other = users[:2]
    await publish(producer, event_created(owner, "e-shared"))
    [item] = await wait_for_history(client, reader, 1)

    await client.post("/notifications/read-all", headers=reader.headers)

    assert (await history(client, reader))["unread"] == 0
    assert (await history(client, other))["items"][0] | {"read": False} == item


async def test_another_users_unknown_or_malformed_id_is_404(
    client: httpx.AsyncClient, producer: Broker, owner: Account, users: Users
) -> None:
    user, stranger = users[:2]
    await publish(producer, booking_failed(user, owner))
    [item] = await wait_for_history(client, user, 1)

    for notification_id in (item["id"], "0" * 24, "not-an-id"):
        response = await client.post(f"/notifications/{notification_id}/read", headers=stranger.headers)
        assert response.status_code == 404
        assert response.json() == {"detail": "Notification not found"}
    assert (await history(client, user))["unread"] == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 101}, "limit"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
        ({"unread": "maybe"}, "unread"),
    ],
)
async def test_bad_query_is_422_naming_the_field(
    client: httpx.AsyncClient, owner: Account, users: Users, params: dict[str, object], field: str
) -> None:
    user = users[0]

    response = await client.get("/notifications", params=params, headers=user.headers)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", field]


async def test_history_needs_a_user_token(client: httpx.AsyncClient, service_token: str) -> None:
    assert (await client.get("/notifications")).status_code == 401
    assert (
        await client.post("/notifications/read-all", headers={"Authorization": "Bearer x"})
    ).status_code == 401
    service = await client.get("/notifications", headers={"Authorization": f"Bearer {service_token}"})
    assert service.status_code == 403


async def test_probes_metrics_and_docs(client: httpx.AsyncClient) -> None:
    ready = await client.get("/ready")
    assert ready.json()["checks"] == {"database": "ok", "broker": "ok", "shutdown": "ok"}
    assert (await client.get("/health")).json() == {"status": "ok"}
    assert "http_request" in (await client.get("/metrics")).text
    assert (await client.get("/docs")).status_code == 200
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert {
        "/notifications",
        "/notifications/read-all",
        "/notifications/{notification_id}/read",
    } <= paths.keys()
