"""Every change publishes exactly one message, staged with the change and relayed to a real RabbitMQ."""

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from bson import ObjectId

from event_service.models import Event
from event_service.settings import EventSettings
from shared.messages import EventSnapshot
from tests.conftest import Account, MessageTap, rabbitmq_through, wait_for
from tests.event_service.conftest import (
    client_for,
    create_event,
    event_body,
    messages_for,
    running,
    settle,
)
from tests.tcp_proxy import TcpProxy

# Quotas and vouchers are not part of the event's public view; tests/event_service/test_catalogue_messages.py
# follows them into the snapshot.
SNAPSHOT_FIELDS = set(EventSnapshot.model_fields) - {"event_id", "ticket_types", "quotas", "vouchers"}


def assert_snapshot(message: dict[str, Any], event: dict[str, Any]) -> None:
    """The message carries the event exactly as the API returned it after the change."""
    data = message["data"]
    assert data["event_id"] == event["id"]
    for field in SNAPSHOT_FIELDS:
        assert data[field] == event[field], field
    sent = [
        {"id": ticket_type.pop("ticket_type_id"), **ticket_type}
        for ticket_type in data["ticket_types"]
        if not ticket_type["hidden"]
    ]
    shown = [
        {name: value for name, value in ticket_type.items() if name != "description"}
        for ticket_type in event["ticket_types"]
    ]
    assert sorted(sent, key=lambda t: t["id"]) == sorted(shown, key=lambda t: t["id"])


async def test_each_change_publishes_one_message_of_its_type(
    client: httpx.AsyncClient, tap: MessageTap, organizer: Account, admin: Account
) -> None:
    event = await create_event(client, organizer)
    path = f"/events/{event['id']}"
    updated = (
        await client.patch(path, json={"capacity": 80, "price": 3000}, headers=organizer.headers)
    ).json()
    await client.patch(path, json={"capacity": 80}, headers=organizer.headers)  # changes nothing
    cancelled = (await client.post(f"{path}/cancel", headers=admin.headers)).json()
    await client.post(f"{path}/cancel", headers=admin.headers)  # already cancelled
    await client.patch(path, json={"status": "scheduled"}, headers=organizer.headers)  # refused: 409
    assert (await client.delete(path, headers=organizer.headers)).status_code == 204

    await settle(client, tap, organizer)

    messages = messages_for(tap, event["id"])
    assert [message["type"] for message in messages] == [
        "event.created",
        "event.updated",
        "event.cancelled",
        "event.deleted",
    ]
    created, update, cancel, delete = messages
    assert_snapshot(created, event)
    assert_snapshot(update, updated)
    # The default ticket type carries the event's price, so it changed with it.
    assert update["data"]["changed"] == ["capacity", "price", "ticket_types"]
    assert_snapshot(cancel, cancelled)
    assert delete["data"]["version"] == 4 and delete["data"]["status"] == "cancelled"
    assert {message["source"] for message in messages} == {"event_service"}
    assert len({message["id"] for message in messages}) == 4


async def test_messages_are_cloudevents_carrying_the_request_id(
    client: httpx.AsyncClient, tap: MessageTap, organizer: Account
) -> None:
    response = await client.post(
        "/events",
        json=event_body(title="Traced"),
        headers={**organizer.headers, "X-Request-ID": "req-event-1"},
    )

    [message] = await tap.wait_for_type("event.created")
    assert message["data"]["event_id"] == response.json()["id"]
    assert message["specversion"] == "1.0"
    assert message["datacontenttype"] == "application/json"
    assert message["correlationid"] == "req-event-1"
    assert message["time"] and message["id"]


async def test_a_status_cancel_in_a_patch_publishes_event_cancelled(
    client: httpx.AsyncClient, tap: MessageTap, organizer: Account
) -> None:
    event = await create_event(client, organizer)

    await client.patch(f"/events/{event['id']}", json={"status": "cancelled"}, headers=organizer.headers)
    await settle(client, tap, organizer)

    assert [m["type"] for m in messages_for(tap, event["id"])] == ["event.created", "event.cancelled"]


async def test_refused_changes_publish_nothing(
    client: httpx.AsyncClient, tap: MessageTap, organizer: Account, other_organizer: Account
) -> None:
    event = await create_event(client, organizer)
    path = f"/events/{event['id']}"

    assert (await client.patch(path, json={"capacity": 0}, headers=organizer.headers)).status_code == 422
    assert (await client.patch(path, json={"title": "x"}, headers=other_organizer.headers)).status_code == 403
    stale = {**organizer.headers, "If-Match": '"9"'}
    assert (await client.patch(path, json={"title": "x"}, headers=stale)).status_code == 412
    await settle(client, tap, organizer)

    assert [m["type"] for m in messages_for(tap, event["id"])] == ["event.created"]


async def _ready_checks(client: httpx.AsyncClient) -> dict[str, str]:
    return (await client.get("/ready")).json()["checks"]


async def _database_ok(client: httpx.AsyncClient) -> bool:
    return (await _ready_checks(client))["database"] == "ok"


async def _broker_is(client: httpx.AsyncClient, up: bool) -> bool:
    return ((await _ready_checks(client))["broker"] == "ok") is up


def _history(tap: MessageTap, event_id: str) -> list[tuple[str, int]]:
    return [(m["type"], m["data"]["version"]) for m in messages_for(tap, event_id)]


async def _received(tap: MessageTap, event_id: str, count: int) -> bool:
    return len(messages_for(tap, event_id)) >= count


async def _pending(event_id: str) -> list[str]:
    document = await Event.get_pymongo_collection().find_one({"_id": ObjectId(event_id)})
    assert document is not None
    return [entry["type"] for entry in document["outbox"]]


async def test_changes_succeed_while_the_broker_is_unreachable_and_their_messages_follow_in_order(
    event_settings: EventSettings,
    tap_messages: Callable[[str], Awaitable[MessageTap]],
    organizer: Account,
) -> None:
    proxy = TcpProxy("127.0.0.1", 5672)
    settings = event_settings.model_copy(update={"rabbitmq_url": rabbitmq_through(proxy)})
    tap = await tap_messages("event.*")
    try:
        async with running(settings, wait_ready=False) as app, client_for(app) as client:
            await wait_for(lambda: _database_ok(client))
            assert (await client.get("/ready")).status_code == 503

            first = await _change_while_down(client, organizer)
            second = await _change_while_down(client, organizer)
            for event in (first, second):
                assert await _pending(event["id"]) == ["event.created", "event.updated", "event.cancelled"]

            await proxy.start()
            expected = [("event.created", 1), ("event.updated", 2), ("event.cancelled", 3)]
            for event in (first, second):
                await wait_for(lambda event=event: _received(tap, event["id"], 3), timeout=30)

            # Cut the connection while running: the robust connection and the relay recover.
            await proxy.stop()
            await wait_for(lambda: _broker_is(client, False))
            third = await _change_while_down(client, organizer)
            assert await _pending(third["id"]) == ["event.created", "event.updated", "event.cancelled"]
            await proxy.start()
            await wait_for(lambda: _received(tap, third["id"], 3), timeout=30)

            await settle(client, tap, organizer)
            for event in (first, second, third):
                assert _history(tap, event["id"]) == expected
    finally:
        await proxy.stop()


async def _change_while_down(client: httpx.AsyncClient, organizer: Account) -> dict[str, Any]:
    """Creates, changes and cancels an event; every request succeeds whatever the broker's state."""
    event = await create_event(client, organizer)
    path = f"/events/{event['id']}"
    assert (await client.patch(path, json={"title": "Moved"}, headers=organizer.headers)).status_code == 200
    assert (await client.post(f"{path}/cancel", headers=organizer.headers)).status_code == 200
    return event


async def test_changes_beyond_the_outbox_limit_are_refused_until_the_broker_is_back(
    event_settings: EventSettings,
    tap_messages: Callable[[str], Awaitable[MessageTap]],
    organizer: Account,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(Event, "outbox_limit", 3)
    proxy = TcpProxy("127.0.0.1", 5672)
    settings = event_settings.model_copy(update={"rabbitmq_url": rabbitmq_through(proxy)})
    tap = await tap_messages("event.*")
    try:
        async with running(settings, wait_ready=False) as app, client_for(app) as client:
            await wait_for(lambda: _database_ok(client))
            event = await create_event(client, organizer)
            path = f"/events/{event['id']}"
            for title in ("Second", "Third"):  # the event now holds as many messages as it may
                assert (await client.patch(path, json={"title": title}, headers=organizer.headers)).is_success

            refused = [
                await client.patch(path, json={"title": "Fourth"}, headers=organizer.headers),
                await client.post(f"{path}/cancel", headers=organizer.headers),
                await client.delete(path, headers=organizer.headers),
            ]
            for response in refused:
                assert response.status_code == 503, response.text
                assert int(response.headers["Retry-After"]) > 0
                assert "3 changes waiting to be published" in response.json()["detail"]
            current = (await client.get(path)).json()
            assert (current["title"], current["version"], current["status"]) == ("Third", 3, "scheduled")
            assert await _pending(event["id"]) == ["event.created", "event.updated", "event.updated"]

            await proxy.start()
            await wait_for(lambda: _received(tap, event["id"], 3), timeout=30)
            await wait_for(lambda: _nothing_pending(event["id"]))
            assert (await client.patch(path, json={"title": "Fourth"}, headers=organizer.headers)).is_success
            await settle(client, tap, organizer)
            assert _history(tap, event["id"]) == [
                ("event.created", 1),
                ("event.updated", 2),
                ("event.updated", 3),
                ("event.updated", 4),
            ]
    finally:
        await proxy.stop()


async def _nothing_pending(event_id: str) -> bool:
    return await _pending(event_id) == []
