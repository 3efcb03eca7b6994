"""The catalogue an organizer builds at the event service's routes is what the booking service sells:
a quota shared by types, and a hidden type that only its voucher unlocks."""

from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from tests.booking_service.conftest import Platform, availability, buy
from tests.conftest import Account, wait_for


async def _add(
    client: httpx.AsyncClient, organizer: Account, path: str, body: dict[str, Any]
) -> dict[str, Any]:
    response = await client.post(path, json=body, headers=organizer.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_catalogue_built_at_the_event_service_is_sold_as_built(
    platform: Platform,
    bookings: httpx.AsyncClient,
    create_event: Callable[..., Awaitable[dict[str, Any]]],
    make_account: Callable[..., Awaitable[Account]],
) -> None:
    event = await create_event(capacity=20, price=3000)
    organizer: Account = event["organizer"]
    buyer = await make_account()
    base = f"/events/{event['id']}"
    async with httpx.AsyncClient(base_url=platform.events_url) as events:
        balcony = await _add(events, organizer, f"{base}/ticket-types", {"name": "Balcony", "price": 4500})
        crew = await _add(
            events, organizer, f"{base}/ticket-types", {"name": "Crew", "price": 1000, "hidden": True}
        )
        await _add(
            events,
            organizer,
            f"{base}/quotas",
            {"name": "Balcony seats", "size": 2, "ticket_type_ids": [balcony["id"]]},
        )
        await _add(
            events,
            organizer,
            f"{base}/vouchers",
            {
                "code": "CREW",
                "ticket_type_ids": [crew["id"]],
                "price_mode": "set",
                "value": 0,
                "unlocks_hidden": True,
            },
        )

        async def sells_the_quota() -> bool:
            return bool((await availability(bookings, event["id"]))["quotas"])

        await wait_for(sells_the_quota)
        seats = await availability(bookings, event["id"])
        assert {kind["name"] for kind in seats["ticket_types"]} == {"Admission", "Balcony"}

        three = await buy(bookings, buyer, event["id"], [(balcony["id"], 3)])
        assert three.status_code == 409, three.text
        assert three.json()["reason"] == "sold_out"
        two = await buy(bookings, buyer, event["id"], [(balcony["id"], 2), (event["id"], 1)])
        assert two.status_code == 201, two.text
        assert two.json()["amount"] == 2 * 4500 + 3000

        hidden = [(crew["id"], 1)]
        assert (await buy(bookings, buyer, event["id"], hidden)).status_code == 422
        unlocked = await buy(bookings, buyer, event["id"], hidden, voucher="crew")
        assert unlocked.status_code == 201, unlocked.text
        assert unlocked.json()["amount"] == 0

        [quota] = (await availability(bookings, event["id"]))["quotas"]
        assert (quota["size"], quota["sold"], quota["available"]) == (2, 2, 0)
