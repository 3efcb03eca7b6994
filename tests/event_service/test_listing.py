"""The public event list: sorted by start, paginated with a total, and each filter."""

from typing import Any

import httpx
import pytest

from tests.conftest import Account
from tests.event_service.conftest import create_event, in_days


def titles(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [event["title"] for event in response.json()["items"]]


@pytest.fixture
async def catalogue(
    client: httpx.AsyncClient, organizer: Account, other_organizer: Account
) -> dict[str, dict[str, Any]]:
    """Five events, created out of start order, by two organizers."""
    specs = [
        ("Rock Night", organizer, "music", 5),
        ("Python Workshop", other_organizer, "tech", 2),
        ("Jazz Brunch", organizer, "music", 9),
        ("Data Conference", other_organizer, "tech", 7),
        ("jazz for kids", organizer, "family", 3),
    ]
    events = {}
    for title, owner, category, day in specs:
        events[title] = await create_event(
            client,
            owner,
            title=title,
            category=category,
            starts_at=in_days(day, hour=18),
            ends_at=in_days(day, hour=21),
        )
    return events


async def test_sorted_by_start_with_total(client: httpx.AsyncClient, catalogue: dict[str, Any]) -> None:
    response = await client.get("/events")

    assert titles(response) == [
        "Python Workshop",
        "jazz for kids",
        "Rock Night",
        "Data Conference",
        "Jazz Brunch",
    ]
    assert {key: response.json()[key] for key in ("total", "limit", "offset")} == {
        "total": 5,
        "limit": 20,
        "offset": 0,
    }
    assert response.json()["items"][0] == catalogue["Python Workshop"]


async def test_pages_cover_every_event_once(client: httpx.AsyncClient, catalogue: dict[str, Any]) -> None:
    pages = [await client.get("/events", params={"limit": 2, "offset": offset}) for offset in (0, 2, 4, 6)]

    assert [titles(page) for page in pages] == [
        ["Python Workshop", "jazz for kids"],
        ["Rock Night", "Data Conference"],
        ["Jazz Brunch"],
        [],
    ]
    assert {page.json()["total"] for page in pages} == {5}
    assert [page.json()["offset"] for page in pages] == [0, 2, 4, 6]


async def test_events_starting_together_keep_a_stable_order(
    client: httpx.AsyncClient, organizer: Account
) -> None:
    for index in range(6):
        await create_event(client, organizer, title=f"Slot {index}")

    pages = [titles(await client.get("/events", params={"limit": 2, "offset": o})) for o in (0, 2, 4)]

    assert sorted(sum(pages, [])) == [f"Slot {index}" for index in range(6)]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "JAZZ"}, ["jazz for kids", "Jazz Brunch"]),
        ({"q": "work"}, ["Python Workshop"]),
        ({"q": "a.z"}, []),  # matched literally, not as a pattern
        ({"category": "music"}, ["Rock Night", "Jazz Brunch"]),
        ({"category": "Music"}, ["Rock Night", "Jazz Brunch"]),
        ({"q": "jazz", "category": "music"}, ["Jazz Brunch"]),
        ({"starts_after": in_days(5, hour=18)}, ["Rock Night", "Data Conference", "Jazz Brunch"]),
        ({"starts_before": in_days(5, hour=18)}, ["Python Workshop", "jazz for kids"]),
        (
            {"starts_after": in_days(3, hour=0), "starts_before": in_days(8, hour=0)},
            ["jazz for kids", "Rock Night", "Data Conference"],
        ),
    ],
)
async def test_filters(
    client: httpx.AsyncClient, catalogue: dict[str, Any], params: dict[str, str], expected: list[str]
) -> None:
    response = await client.get("/events", params=params)

    assert titles(response) == expected
    assert response.json()["total"] == len(expected)


async def test_filter_by_owner(
    client: httpx.AsyncClient, catalogue: dict[str, Any], other_organizer: Account
) -> None:
    response = await client.get("/events", params={"owner_id": other_organizer.id})

    assert titles(response) == ["Python Workshop", "Data Conference"]


async def test_filter_by_status(
    client: httpx.AsyncClient, catalogue: dict[str, Any], organizer: Account
) -> None:
    await client.post(f"/events/{catalogue['Rock Night']['id']}/cancel", headers=organizer.headers)

    cancelled = await client.get("/events", params={"status": "cancelled"})
    scheduled = await client.get("/events", params={"status": "scheduled", "limit": 1})

    assert titles(cancelled) == ["Rock Night"]
    assert titles(scheduled) == ["Python Workshop"] and scheduled.json()["total"] == 4


async def test_deleted_events_are_not_listed(
    client: httpx.AsyncClient, catalogue: dict[str, Any], organizer: Account
) -> None:
    await client.delete(f"/events/{catalogue['Jazz Brunch']['id']}", headers=organizer.headers)

    response = await client.get("/events", params={"q": "jazz"})

    assert titles(response) == ["jazz for kids"] and response.json()["total"] == 1
