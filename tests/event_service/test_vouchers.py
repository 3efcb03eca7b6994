"""Vouchers: promo codes an organizer hands out; only the organizer and admins see them."""

import re
from typing import Any

import httpx
import pytest
from bson import ObjectId

from event_service.models import Event, Voucher
from tests.conftest import Account
from tests.event_service.conftest import create_event, in_days
from tests.event_service.test_ticket_types import add_type
from tests.event_service.test_validation import assert_names


def vouchers_path(event: dict[str, Any]) -> str:
    return f"/events/{event['id']}/vouchers"


async def add_voucher(
    client: httpx.AsyncClient, event: dict[str, Any], account: Account, **fields: Any
) -> dict[str, Any]:
    response = await client.post(vouchers_path(event), json=fields, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_voucher_without_a_code_gets_an_unambiguous_one(
    client: httpx.AsyncClient, organizer: Account
) -> None:
    event = await create_event(client, organizer)

    codes = [(await add_voucher(client, event, organizer))["code"] for _ in range(5)]

    assert all(re.fullmatch(r"[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{10}", code) for code in codes), codes
    assert len(set(codes)) == 5
    first = await client.get(vouchers_path(event), params={"limit": 1}, headers=organizer.headers)
    assert first.json()["items"][0] == {
        "code": codes[0],
        "max_usages": 1,
        "valid_until": None,
        "ticket_type_ids": [],
        "price_mode": "none",
        "value": 0,
        "unlocks_hidden": False,
        "disabled": False,
        "redeemed": False,
    }


async def test_organizer_adds_lists_changes_and_deletes_vouchers(
    client: httpx.AsyncClient, organizer: Account
) -> None:
    event = await create_event(client, organizer)
    vip = await add_type(client, event, organizer, name="VIP", hidden=True)
    voucher = await add_voucher(
        client,
        event,
        organizer,
        code="Jazz-Friends_2030",
        max_usages=20,
        valid_until=in_days(10),
        ticket_type_ids=[vip["id"]],
        price_mode="fixed",
        value=500,
        unlocks_hidden=True,
    )
    assert voucher["code"] == "JAZZ-FRIENDS_2030"
    for number in range(4):
        await add_voucher(client, event, organizer, code=f"code{number}")

    page = await client.get(vouchers_path(event), params={"limit": 2, "offset": 1}, headers=organizer.headers)
    assert page.status_code == 200
    assert (page.json()["total"], page.json()["limit"], page.json()["offset"]) == (5, 2, 1)
    assert [item["code"] for item in page.json()["items"]] == ["CODE0", "CODE1"]

    path = f"{vouchers_path(event)}/jazz-friends_2030"  # any case names it
    changed = await client.patch(
        path, json={"price_mode": "set", "value": 0, "valid_until": None}, headers=organizer.headers
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["price_mode"], changed.json()["value"], changed.json()["valid_until"]) == (
        "set",
        0,
        None,
    )

    assert (await client.delete(path, headers=organizer.headers)).status_code == 204
    assert (await client.get(vouchers_path(event), headers=organizer.headers)).json()["total"] == 4
    assert (await client.delete(path, headers=organizer.headers)).status_code == 404
    assert (await client.patch(path, json={"disabled": True}, headers=organizer.headers)).status_code == 404


async def test_codes_are_unique_per_event_whatever_the_case(
    client: httpx.AsyncClient, organizer: Account
) -> None:
    event = await create_event(client, organizer)
    other = await create_event(client, organizer)
    await add_voucher(client, event, organizer, code="summer")

    taken = await client.post(vouchers_path(event), json={"code": "SUMMER"}, headers=organizer.headers)

    assert taken.status_code == 409
    assert "SUMMER" in taken.json()["detail"]
    assert (await add_voucher(client, other, organizer, code="Summer"))["code"] == "SUMMER"


async def test_vouchers_are_seen_by_the_owner_and_admins_only(
    client: httpx.AsyncClient, organizer: Account, other_organizer: Account, attendee: Account, admin: Account
) -> None:
    event = await create_event(client, organizer)
    voucher = await add_voucher(client, event, organizer, code="SECRET")

    assert (await client.get(vouchers_path(event))).status_code == 401
    for account in (attendee, other_organizer):
        assert (await client.get(vouchers_path(event), headers=account.headers)).status_code == 403
    listed = await client.get(vouchers_path(event), headers=admin.headers)
    assert listed.json()["items"] == [voucher]
    assert "SECRET" not in (await client.get(f"/events/{event['id']}")).text


async def test_a_cancelled_events_vouchers_cannot_change(
    client: httpx.AsyncClient, organizer: Account
) -> None:
    event = await create_event(client, organizer)
    await add_voucher(client, event, organizer, code="ABC")
    await client.post(f"/events/{event['id']}/cancel", headers=organizer.headers)
    path = f"{vouchers_path(event)}/ABC"

    for response in (
        await client.post(vouchers_path(event), json={}, headers=organizer.headers),
        await client.patch(path, json={"disabled": True}, headers=organizer.headers),
        await client.delete(path, headers=organizer.headers),
    ):
        assert response.status_code == 409


async def test_an_event_has_at_most_a_thousand_vouchers(
    client: httpx.AsyncClient, organizer: Account
) -> None:
    event = await create_event(client, organizer)
    # 999 of them written straight to the database: a thousand requests would take a minute.
    await Event.get_pymongo_collection().update_one(
        {"_id": ObjectId(event["id"])},
        {"$set": {"vouchers": [Voucher(code=f"BULK{number}").model_dump() for number in range(999)]}},
    )
    assert (await add_voucher(client, event, organizer, code="LAST"))["code"] == "LAST"

    response = await client.post(vouchers_path(event), json={}, headers=organizer.headers)

    assert response.status_code == 409
    assert "1000" in response.json()["detail"]
    last = await client.get(vouchers_path(event), params={"offset": 999}, headers=organizer.headers)
    assert last.json()["total"] == 1000 and [item["code"] for item in last.json()["items"]] == ["LAST"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("code", "ab"),
        ("code", "x" * 33),
        ("code", "no spaces"),
        ("code", "ümlaut"),
        ("max_usages", 0),
        ("max_usages", 100_001),
        ("max_usages", 2.0),
        ("valid_until", "2030-01-01"),
        ("valid_until", 1893456000),
        ("ticket_type_ids", ["a"] * 11),
        ("price_mode", "half"),
        ("value", -1),
        ("value", 1_000_000),
        ("unlocks_hidden", "yes please"),
        ("disabled", "sometimes"),
        ("discount", 5),
    ],
)
async def test_a_voucher_refuses(
    client: httpx.AsyncClient, organizer: Account, field: str, value: Any
) -> None:
    event = await create_event(client, organizer)
    await add_voucher(client, event, organizer, code="ABC")

    created = await client.post(vouchers_path(event), json={field: value}, headers=organizer.headers)
    assert created.status_code == 422
    assert_names(created, "body", field)

    if field != "code":  # a code is the voucher's name, never changed
        changed = await client.patch(
            f"{vouchers_path(event)}/ABC", json={field: value}, headers=organizer.headers
        )
        assert changed.status_code == 422
        assert_names(changed, "body", field)


@pytest.mark.parametrize(
    ("body", "created_field", "changed_field"),
    [
        ({"price_mode": "none", "value": 5}, "value", "value"),
        ({"price_mode": "percent", "value": 0}, "value", "value"),
        ({"price_mode": "percent", "value": 101}, "value", "value"),
        # Changing the mode of a voucher whose value is 0 is what breaks the rule.
        ({"price_mode": "percent"}, "value", "price_mode"),
    ],
)
async def test_a_vouchers_value_fits_its_mode(
    client: httpx.AsyncClient,
    organizer: Account,
    body: dict[str, Any],
    created_field: str,
    changed_field: str,
) -> None:
    event = await create_event(client, organizer)
    await add_voucher(client, event, organizer, code="ABC")

    created = await client.post(vouchers_path(event), json=body, headers=organizer.headers)
    changed = await client.patch(f"{vouchers_path(event)}/ABC", json=body, headers=organizer.headers)

    for response, field in ((created, created_field), (changed, changed_field)):
        assert response.status_code == 422, response.text
        assert_names(response, "body", field)


async def test_a_voucher_names_only_types_of_its_event(client: httpx.AsyncClient, organizer: Account) -> None:
    event = await create_event(client, organizer)
    foreign = (await create_event(client, organizer))["id"]
    await add_voucher(client, event, organizer, code="ABC")

    created = await client.post(
        vouchers_path(event), json={"ticket_type_ids": [foreign]}, headers=organizer.headers
    )
    changed = await client.patch(
        f"{vouchers_path(event)}/ABC", json={"ticket_type_ids": [foreign]}, headers=organizer.headers
    )

    for response in (created, changed):
        assert response.status_code == 422
        assert_names(response, "body", "ticket_type_ids")
        assert foreign in response.json()["detail"][0]["msg"]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"offset": 100_001}])
async def test_the_voucher_list_refuses_bad_pages(
    client: httpx.AsyncClient, organizer: Account, params: dict[str, int]
) -> None:
    event = await create_event(client, organizer)

    response = await client.get(vouchers_path(event), params=params, headers=organizer.headers)

    assert response.status_code == 422
    assert_names(response, "query", next(iter(params)))
