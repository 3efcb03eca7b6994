"""ETags and If-Match: two editors never silently overwrite each other."""

import asyncio
from typing import Any

import httpx
import pytest

from event_service import service
from event_service.models import Event
from tests.conftest import Account
from tests.event_service.conftest import create_event


@pytest.fixture
async def event(client: httpx.AsyncClient, organizer: Account) -> dict[str, Any]:
    return await create_event(client, organizer)


def path(event: dict[str, Any]) -> str:
    return f"/events/{event['id']}"


async def test_an_editor_holding_an_old_version_gets_412(
    client: httpx.AsyncClient, event: dict[str, Any], organizer: Account, other_organizer: Account
) -> None:
    etag = (await client.get(path(event))).headers["ETag"]
    first = await client.patch(
        path(event), json={"title": "First"}, headers={**organizer.headers, "If-Match": etag}
    )
    assert first.status_code == 200 and first.headers["ETag"] == '"2"'

    second = await client.patch(
        path(event), json={"venue": "Second"}, headers={**organizer.headers, "If-Match": etag}
    )

    assert second.status_code == 412
    assert "version 2" in second.json()["detail"]
    current = (await client.get(path(event))).json()
    assert (current["title"], current["venue"], current["version"]) == ("First", event["venue"], 2)


@pytest.mark.parametrize("header", ['"1"', '"7", "1"', "*"])
async def test_a_matching_if_match_lets_the_change_through(
    client: httpx.AsyncClient, event: dict[str, Any], organizer: Account, header: str
) -> None:
    response = await client.patch(
        path(event), json={"title": "Renamed"}, headers={**organizer.headers, "If-Match": header}
    )

    assert response.status_code == 200
    assert response.json()["version"] == 2


@pytest.mark.parametrize("header", ['W/"1"', '"2"', "1", '"one"', '""'])
async def test_if_match_compares_strongly_and_exactly(
    client: httpx.AsyncClient, event: dict[str, Any], organizer: Account, header: str
) -> None:
    response = await client.patch(
        path(event), json={"title": "Renamed"}, headers={**organizer.headers, "If-Match": header}
    )

    assert response.status_code == 412


async def test_cancel_and_delete_honour_if_match(
    client: httpx.AsyncClient, event: dict[str, Any], organizer: Account
) -> None:
    stale = {**organizer.headers, "If-Match": '"0"'}
    assert (await client.post(f"{path(event)}/cancel", headers=stale)).status_code == 412
    assert (await client.delete(path(event), headers=stale)).status_code == 412

    current = {**organizer.headers, "If-Match": '"1"'}
    assert (await client.post(f"{path(event)}/cancel", headers=current)).status_code == 200
    assert (await client.delete(path(event), headers=current)).status_code == 412
    assert (
        await client.delete(path(event), headers={**organizer.headers, "If-Match": '"2"'})
    ).status_code == 204


async def test_if_none_match_answers_304_while_unchanged(
    client: httpx.AsyncClient, event: dict[str, Any], organizer: Account
) -> None:
    for header in ('"1"', 'W/"1"', '"5", "1"', "*"):
        unchanged = await client.get(path(event), headers={"If-None-Match": header})
        assert unchanged.status_code == 304 and unchanged.headers["ETag"] == '"1"'
        assert unchanged.content == b""

    await client.patch(path(event), json={"title": "Renamed"}, headers=organizer.headers)
    changed = await client.get(path(event), headers={"If-None-Match": '"1"'})

    assert changed.status_code == 200 and changed.json()["title"] == "Renamed"


async def test_an_overlong_if_none_match_is_refused_naming_the_header(
    client: httpx.AsyncClient, event: dict[str, Any]
) -> None:
    response = await client.get(path(event), headers={"If-None-Match": '"1", ' * 201})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["header", "if-none-match"]


async def test_concurrent_changes_without_if_match_both_apply(
    client: httpx.AsyncClient, event: dict[str, Any], organizer: Account
) -> None:
    changes = [{"title": "Concurrent"}, {"venue": "Elsewhere"}, {"price": 999}, {"capacity": 50}]

    responses = await asyncio.gather(
        *(client.patch(path(event), json=change, headers=organizer.headers) for change in changes)
    )

    assert [response.status_code for response in responses] == [200] * len(changes)
    assert sorted(response.json()["version"] for response in responses) == [2, 3, 4, 5]
    current = (await client.get(path(event))).json()
    assert (current["title"], current["venue"], current["price"], current["capacity"]) == (
        "Concurrent",
        "Elsewhere",
        999,
        50,
    )


@pytest.fixture
def rival(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Writes queued here land right after the service reads the event, as another replica's would."""
    queued: list[dict[str, Any]] = []
    read = service.get

    async def read_then_rival_writes(*, event_id: str) -> Event | None:
        event = await read(event_id=event_id)
        if event is not None and queued:
            await Event.get_pymongo_collection().update_one(
                {"_id": event.id}, {"$set": queued.pop(0), "$inc": {"version": 1}}
            )
        return event

    monkeypatch.setattr(service, "get", read_then_rival_writes)
    return queued


async def test_a_change_that_loses_a_race_is_retried_on_the_new_version(
    client: httpx.AsyncClient, event: dict[str, Any], organizer: Account, rival: list[dict[str, Any]]
) -> None:
    rival.append({"venue": "Rival Hall"})

    response = await client.patch(path(event), json={"title": "Mine"}, headers=organizer.headers)

    assert response.status_code == 200
    assert (response.json()["title"], response.json()["venue"], response.json()["version"]) == (
        "Mine",
        "Rival Hall",
        3,
    )
    assert (await client.get(path(event))).json() == response.json()


async def test_a_retried_change_is_checked_again(
    client: httpx.AsyncClient, event: dict[str, Any], organizer: Account, rival: list[dict[str, Any]]
) -> None:
    rival.append({"capacity": 5, "max_tickets_per_booking": 5})

    response = await client.patch(path(event), json={"max_tickets_per_booking": 8}, headers=organizer.headers)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "max_tickets_per_booking"]


async def test_a_change_under_if_match_that_loses_a_race_gets_412(
    client: httpx.AsyncClient, event: dict[str, Any], organizer: Account, rival: list[dict[str, Any]]
) -> None:
    rival.append({"venue": "Rival Hall"})

    response = await client.patch(
        path(event), json={"title": "Mine"}, headers={**organizer.headers, "If-Match": '"1"'}
    )

    assert response.status_code == 412
    assert (await client.get(path(event))).json()["title"] == event["title"]


async def test_a_change_that_keeps_losing_gives_up_with_409(
    client: httpx.AsyncClient, event: dict[str, Any], organizer: Account, rival: list[dict[str, Any]]
) -> None:
    rival.extend({"description": f"rival {attempt}"} for attempt in range(service.MAX_WRITE_ATTEMPTS))

    response = await client.patch(path(event), json={"title": "Mine"}, headers=organizer.headers)

    assert response.status_code == 409
    assert (await client.get(path(event))).json()["title"] == event["title"]
