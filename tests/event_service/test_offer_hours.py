"""`offer_hours`: how long an offer from the waiting list holds its seats, set by the organizer and
carried in every snapshot."""

from typing import Any

import httpx
import pytest

from tests.conftest import Account, MessageTap
from tests.event_service.conftest import create_event, event_body, messages_for, settle
from tests.event_service.test_validation import assert_names


async def test_offer_hours_default_to_a_day_and_are_changed_and_published(
    client: httpx.AsyncClient, tap: MessageTap, organizer: Account
) -> None:
    event = await create_event(client, organizer)
    assert event["offer_hours"] == 24

    changed = await client.patch(
        f"/events/{event['id']}", json={"offer_hours": 168}, headers=organizer.headers
    )

    assert changed.status_code == 200, changed.text
    assert changed.json()["offer_hours"] == 168
    assert (await client.get(f"/events/{event['id']}")).json()["offer_hours"] == 168
    await settle(client, tap, organizer)
    created, updated = [message["data"] for message in messages_for(tap, event["id"])]
    assert (created["offer_hours"], updated["offer_hours"], updated["changed"]) == (24, 168, ["offer_hours"])


async def test_offer_hours_are_set_when_the_event_is_created(
    client: httpx.AsyncClient, organizer: Account
) -> None:
    event = await create_event(client, organizer, offer_hours=1)

    assert event["offer_hours"] == 1


@pytest.mark.parametrize("value", [0, 169, -1, 2.5, "24", None, True])
async def test_offer_hours_are_validated(client: httpx.AsyncClient, organizer: Account, value: Any) -> None:
    created = await client.post("/events", json=event_body(offer_hours=value), headers=organizer.headers)
    assert created.status_code == 422
    assert_names(created, "body", "offer_hours")

    event = await create_event(client, organizer)
    changed = await client.patch(
        f"/events/{event['id']}", json={"offer_hours": value}, headers=organizer.headers
    )
    assert changed.status_code == 422, changed.text
    assert_names(changed, "body", "offer_hours")
