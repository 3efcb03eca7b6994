"""Bad input answers 422 naming the field, and changes nothing."""

from typing import Any

import httpx
import pytest

from tests.conftest import Account
from tests.event_service.conftest import create_event, event_body, in_days

LONG_TITLE = "x" * 201


def assert_names(response: httpx.Response, location: str, field: str) -> None:
    assert response.status_code == 422, response.text
    named = [error["loc"] for error in response.json()["detail"]]
    assert [location, field] in [loc[:2] for loc in named], named


# (field, value) pairs that no event may hold, checked on create and on change alike.
BAD_VALUES = [
    ("title", ""),
    ("title", "   "),
    ("title", LONG_TITLE),
    ("title", 42),
    ("description", "x" * 5001),
    ("venue", ""),
    ("venue", "v" * 201),
    ("category", ""),
    ("category", "c" * 51),
    ("starts_at", "2030-06-21T19:30:00"),  # no timezone
    ("starts_at", "tomorrow evening"),
    ("starts_at", in_days(-1)),  # in the past
    ("starts_at", 1_900_000_000),  # seconds since 1970 are not ISO 8601
    ("ends_at", "2030-06-21T22:30:00"),
    ("ends_at", "1900000000"),
    ("capacity", 0),
    ("capacity", -5),
    ("capacity", 1_000_001),
    ("capacity", 100.0),
    ("capacity", "100"),
    ("capacity", True),
    ("price", 25.0),  # money is never a float, even a round one
    ("price", 25.5),
    ("price", "2500"),
    ("price", -1),
    ("price", 100_000_001),
    ("price", 1_000_000),  # times the most tickets a booking takes, more than a payment may charge
    ("currency", "EU"),
    ("currency", "EURO"),
    ("currency", "E1R"),
    ("currency", 978),
    ("currency", "ZZZ"),  # three letters, but no currency
    ("currency", "XTS"),  # reserved for testing: nothing can be charged in it
    ("max_tickets_per_booking", 0),
    ("max_tickets_per_booking", 101),
    ("max_tickets_per_booking", 2.0),
]
BAD = pytest.mark.parametrize(("field", "value"), BAD_VALUES, ids=[f"{f}={v!r}"[:40] for f, v in BAD_VALUES])


@BAD
async def test_create_refuses(client: httpx.AsyncClient, organizer: Account, field: str, value: Any) -> None:
    response = await client.post("/events", json=event_body(**{field: value}), headers=organizer.headers)

    assert_names(response, "body", field)
    assert (await client.get("/events")).json()["total"] == 0


@BAD
async def test_change_refuses(client: httpx.AsyncClient, organizer: Account, field: str, value: Any) -> None:
    event = await create_event(client, organizer)

    response = await client.patch(f"/events/{event['id']}", json={field: value}, headers=organizer.headers)

    assert_names(response, "body", field)
    assert (await client.get(f"/events/{event['id']}")).json() == event


@pytest.mark.parametrize(
    "field", ["title", "venue", "category", "starts_at", "ends_at", "capacity", "price", "currency"]
)
async def test_create_requires(client: httpx.AsyncClient, organizer: Account, field: str) -> None:
    body = event_body()
    del body[field]

    assert_names(await client.post("/events", json=body, headers=organizer.headers), "body", field)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_at": in_days(30, hour=17)}, "ends_at"),  # before the start at 18:00
        ({"ends_at": in_days(30, hour=18)}, "ends_at"),  # equal to the start
        ({"capacity": 5, "max_tickets_per_booking": 6}, "max_tickets_per_booking"),
        ({"organizer": "someone-else"}, "organizer"),  # unknown fields are refused, not ignored
    ],
)
async def test_create_checks_fields_together(
    client: httpx.AsyncClient, organizer: Account, overrides: dict[str, Any], field: str
) -> None:
    response = await client.post("/events", json=event_body(**overrides), headers=organizer.headers)

    assert_names(response, "body", field)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_at": in_days(30, hour=17)}, "ends_at"),  # before the current start at 18:00
        ({"starts_at": in_days(30, hour=22)}, "starts_at"),  # after the current end at 21:00
        ({"starts_at": in_days(31, hour=18), "ends_at": in_days(31, hour=17)}, "ends_at"),
        ({"capacity": 9}, "capacity"),  # below the current ticket limit of 10
        ({"max_tickets_per_booking": 11, "capacity": 10}, "max_tickets_per_booking"),
        ({"title": None}, "title"),  # null is not "leave it as it is"
        ({"status": "open"}, "status"),
        ({"status": "cancelled", "title": "Cancelled!"}, "status"),
        ({"owner_id": "someone-else"}, "owner_id"),
        ({"version": 7}, "version"),
    ],
)
async def test_change_checks_the_event_as_changed(
    client: httpx.AsyncClient, organizer: Account, change: dict[str, Any], field: str
) -> None:
    event = await create_event(client, organizer)

    response = await client.patch(f"/events/{event['id']}", json=change, headers=organizer.headers)

    assert_names(response, "body", field)
    assert (await client.get(f"/events/{event['id']}")).json() == event


async def test_a_change_may_move_both_ends_together(client: httpx.AsyncClient, organizer: Account) -> None:
    event = await create_event(client, organizer)
    later = {"starts_at": in_days(40, hour=20), "ends_at": in_days(40, hour=23)}

    response = await client.patch(f"/events/{event['id']}", json=later, headers=organizer.headers)

    assert response.status_code == 200, response.text
    assert response.json()["version"] == 2


@pytest.mark.parametrize("content", [b"{not json", b"\x92\xff{"], ids=["not json", "not utf-8"])
async def test_a_body_that_is_not_json_is_refused(
    client: httpx.AsyncClient, organizer: Account, content: bytes
) -> None:
    response = await client.post(
        "/events", content=content, headers={**organizer.headers, "Content-Type": "application/json"}
    )

    assert response.status_code == 422


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"status": "open"}, "status"),
        ({"q": ""}, "q"),
        ({"q": "q" * 101}, "q"),
        ({"q": "jazz\x00"}, "q"),  # MongoDB refuses a NUL in a pattern: never a 500
        ({"q": "\x00"}, "q"),
        ({"q": "a\x1fb"}, "q"),
        ({"q": "line\nbreak"}, "q"),
        ({"q": "del\x7f"}, "q"),
        ({"q": "c1\x85control"}, "q"),
        ({"starts_after": "2030-01-01T00:00:00"}, "starts_after"),
        ({"starts_before": "soon"}, "starts_before"),
        ({"starts_after": "0.0"}, "starts_after"),
        ({"starts_after": "2030-02-01T00:00:00Z", "starts_before": "2030-01-01T00:00:00Z"}, "starts_before"),
    ],
)
async def test_list_refuses_bad_queries(
    client: httpx.AsyncClient, params: dict[str, Any], field: str
) -> None:
    assert_names(await client.get("/events", params=params), "query", field)
