"""Helpers of the waiting list tests: join, read one's entries, and wait for an entry's state."""

from typing import Any

import httpx

from tests.accounts import Account
from tests.apps import wait_for


async def join(
    client: httpx.AsyncClient,
    account: Account,
    event_id: str,
    quantity: int = 1,
    *,
    ticket_type_id: str | None = None,
    accept_partial: bool = False,
) -> httpx.Response:
    """Joins the waiting list of a type (the event's default type unless named)."""
    body = {
        "ticket_type_id": ticket_type_id or event_id,
        "quantity": quantity,
        "accept_partial": accept_partial,
    }
    return await client.post(f"/events/{event_id}/waiting-list", json=body, headers=account.headers)


async def entry_of(client: httpx.AsyncClient, account: Account, entry_id: str) -> dict[str, Any]:
    """Returns the account's entry as its own list shows it."""
    response = await client.get("/waiting-list", params={"limit": 100}, headers=account.headers)
    assert response.status_code == 200, response.text
    [entry] = [item for item in response.json()["items"] if item["id"] == entry_id]
    return entry


async def wait_for_state(
    client: httpx.AsyncClient, account: Account, entry_id: str, state: str, timeout: float = 15
) -> dict[str, Any]:
    """Returns the account's entry once it is in `state`."""

    async def reached() -> dict[str, Any] | None:
        entry = await entry_of(client, account, entry_id)
        return entry if entry["state"] == state else None

    return await wait_for(reached, timeout=timeout)
