"""Every snapshot carries the whole catalogue: ticket types, quotas and vouchers, after every change."""

from typing import Any

import httpx

from tests.conftest import Account, MessageTap
from tests.event_service.conftest import create_event, messages_for, settle


async def test_each_catalogue_change_publishes_the_whole_catalogue(
    client: httpx.AsyncClient, tap: MessageTap, organizer: Account
) -> None:
    event = await create_event(client, organizer, timezone="Europe/Lisbon", hold_minutes=20)
    path = f"/events/{event['id']}"
    headers = organizer.headers
    extra = (
        await client.post(f"{path}/ticket-types", json={"name": "VIP", "price": 9000}, headers=headers)
    ).json()
    both = [event["id"], extra["id"]]
    quota = (
        await client.post(
            f"{path}/quotas",
            json={"name": "Front rows", "size": 20, "ticket_type_ids": both},
            headers=headers,
        )
    ).json()
    await client.post(
        f"{path}/vouchers",
        json={"code": "vip-half", "ticket_type_ids": [extra["id"]], "price_mode": "percent", "value": 50},
        headers=headers,
    )
    await client.patch(f"{path}/ticket-types/{extra['id']}", json={"hidden": True}, headers=headers)
    assert (await client.delete(f"{path}/ticket-types/{extra['id']}", headers=headers)).status_code == 204
    await settle(client, tap, organizer)

    messages = [message["data"] for message in messages_for(tap, event["id"])]

    assert [data.get("changed") for data in messages] == [
        None,
        ["ticket_types"],
        ["quotas"],
        ["vouchers"],
        ["ticket_types"],
        ["ticket_types", "quotas", "vouchers"],
    ]
    assert [data["version"] for data in messages] == [1, 2, 3, 4, 5, 6]
    assert all((data["timezone"], data["hold_minutes"]) == ("Europe/Lisbon", 20) for data in messages)
    created, typed, quoted, vouchered, hidden, deleted = messages
    assert _types(created) == [(event["id"], "Admission", 2500, False)]
    assert _types(typed) == [(event["id"], "Admission", 2500, False), (extra["id"], "VIP", 9000, False)]
    assert quoted["quotas"] == [
        {"quota_id": quota["id"], "name": "Front rows", "size": 20, "ticket_type_ids": both}
    ]
    assert vouchered["quotas"] == quoted["quotas"] and _types(vouchered) == _types(typed)
    assert vouchered["vouchers"] == [
        {
            "code": "VIP-HALF",
            "max_usages": 1,
            "valid_until": None,
            "ticket_type_ids": [extra["id"]],
            "price_mode": "percent",
            "value": 50,
            "unlocks_hidden": False,
            "disabled": False,
        }
    ]
    assert _types(hidden)[1] == (extra["id"], "VIP", 9000, True)  # hidden types travel too
    assert hidden["vouchers"] == vouchered["vouchers"]
    # The deleted type leaves its quota and its voucher, which would otherwise apply to every type.
    assert _types(deleted) == [(event["id"], "Admission", 2500, False)]
    assert deleted["quotas"][0]["ticket_type_ids"] == [event["id"]]
    assert deleted["vouchers"][0]["ticket_type_ids"] == [] and deleted["vouchers"][0]["disabled"] is True


async def test_a_price_change_publishes_the_default_types_new_price(
    client: httpx.AsyncClient, tap: MessageTap, organizer: Account
) -> None:
    event = await create_event(client, organizer)
    await client.patch(
        f"/events/{event['id']}/ticket-types/{event['id']}", json={"price": 99}, headers=organizer.headers
    )
    await settle(client, tap, organizer)

    updated = messages_for(tap, event["id"])[-1]["data"]

    assert updated["changed"] == ["ticket_types", "price"]
    assert (updated["price"], updated["ticket_types"][0]["price"]) == (99, 99)


def _types(data: dict[str, Any]) -> list[tuple[str, str, int, bool]]:
    return [(t["ticket_type_id"], t["name"], t["price"], t["hidden"]) for t in data["ticket_types"]]
