"""The public event list: sorted by start, paginated with a total, and each filter."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from event_service.models import Event
from tests.conftest import Account
from tests.event_service.conftest import create_event, in_days
from tests.shared.mongo_commands import COMMANDS, assert_listed_in_order_from, sorted_finds


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


async def test_events_starting_together_are_each_listed_once_in_one_order(
    client: httpx.AsyncClient, organizer: Account, other_organizer: Account
) -> None:
    made = [
        await create_event(client, owner, title=f"Slot {index}")
        for index in range(9)
        for owner in (organizer, other_organizer)
    ]

    for params, expected in (({}, made), ({"owner_id": organizer.id}, made[::2])):
        pages = [
            (await client.get("/events", params={**params, "limit": 4, "offset": offset})).json()["items"]
            for offset in range(0, 20, 4)
        ]
        listed = [event["id"] for page in pages for event in page]
        assert sorted(listed) == sorted(event["id"] for event in expected)  # each exactly once
        assert listed == sorted(listed, reverse=True)  # ties broken by id, newest first


@pytest.mark.parametrize(
    ("params", "index"),
    [
        ({}, "by_start_and_id"),
        ({"q": "jazz", "starts_after": in_days(3, hour=0)}, "by_start_and_id"),
        ({"owner_id": "someone"}, "by_owner"),
        ({"owner_id": "someone", "category": "music", "status": "scheduled"}, "by_owner"),
        ({"category": "music", "starts_before": in_days(8, hour=0)}, "by_category"),
        ({"category": "music", "status": "scheduled"}, "by_category"),
        ({"status": "cancelled"}, "by_status"),
    ],
)
async def test_each_listing_is_read_in_order_from_an_index_ending_in_its_sort(
    app: FastAPI, client: httpx.AsyncClient, catalogue: dict[str, Any], params: dict[str, str], index: str
) -> None:
    with COMMANDS.watching(app.state.settings.mongo_database) as commands:
        assert (await client.get("/events", params=params)).status_code == 200

    [find] = sorted_finds(commands)
    await assert_listed_in_order_from(find, Event, index)


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
