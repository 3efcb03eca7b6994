"""A hung endpoint holds up nobody else: not another organizer's endpoint, not the notifications."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest

from shared.messaging import Broker
from tests.apps import wait_for
from tests.conftest import Account
from tests.notification_service.conftest import Replica, Users, booking_confirmed, publish, wait_for_history
from tests.notification_service.webhook_support import (
    FAST_RETRIES,
    Receiver,
    create_hook,
    deliveries,
    receiver,
)

PER_ENDPOINT = 2
STUCK_TIMEOUT_SECONDS = 10.0
# More than a pass of the default 16 slots looked at (4 per free slot), and more stuck endpoints than
# 16 slots hold at the default 4 per endpoint.
STUCK_FACTS = 70
STUCK_ENDPOINTS = 5


@pytest.fixture
async def hooks() -> AsyncIterator[Receiver]:
    async with receiver() as served:
        yield served


async def test_a_hung_endpoint_delays_neither_another_endpoint_nor_the_inbox(
    start_replica: Callable[..., Awaitable[Replica]],
    make_account: Callable[..., Awaitable[Account]],
    producer: Broker,
    owner: Account,
    users: Users,
    hooks: Receiver,
) -> None:
    replica = await start_replica(**FAST_RETRIES, webhook_endpoint_concurrency=PER_ENDPOINT)
    other = await make_account("organizer")
    hung = hooks.holds["hung"] = asyncio.Event()
    async with httpx.AsyncClient(base_url=replica.url) as client:
        await create_hook(client, owner, hooks.endpoint("hung"))
        await create_hook(client, other, hooks.endpoint("live"))
        # Facts of several events, so the hung endpoint could take many deliveries at once.
        for number in range(6):
            await publish(producer, booking_confirmed(users[0], owner, event_id=f"hung-{number}"))

        async def endpoint_full() -> bool:
            return hooks.waiting.get("hung", 0) == PER_ENDPOINT

        await wait_for(endpoint_full)
        sale = await publish(producer, booking_confirmed(users[1], other, event_id="live-1"))

        (received,) = await hooks.wait_for_requests("live", 1)
        assert received.headers["webhook-id"] == sale.id
        assert any(item["type"] == "tickets.sold" for item in await wait_for_history(client, other, 1))
        assert hooks.waiting["hung"] == PER_ENDPOINT  # never more than its share in flight
        hung.set()
        await hooks.wait_for_requests("hung", 6)


async def test_stuck_endpoints_with_many_due_deliveries_starve_no_other_endpoint(
    start_replica: Callable[..., Awaitable[Replica]],
    make_account: Callable[..., Awaitable[Account]],
    producer: Broker,
    owner: Account,
    users: Users,
    hooks: Receiver,
) -> None:
    """Stuck endpoints answer nothing within the timeout and have far more deliveries due (each of its own
    event, so none waits in a lane) than a pass looks at; more of them than the default slots could hold
    at their per-endpoint share. Another organizer's delivery still goes out at once."""
    replica = await start_replica(**FAST_RETRIES, webhook_timeout_seconds=STUCK_TIMEOUT_SECONDS)
    other = await make_account("organizer")
    stuck = [f"stuck-{number}" for number in range(STUCK_ENDPOINTS)]
    released = asyncio.Event()
    for name in stuck:
        hooks.holds[name] = released
    try:
        async with httpx.AsyncClient(base_url=replica.url) as client:
            stuck_hooks = [await create_hook(client, owner, hooks.endpoint(name)) for name in stuck]
            await create_hook(client, other, hooks.endpoint("live"))
            for number in range(STUCK_FACTS):
                await publish(producer, booking_confirmed(users[0], owner, event_id=f"stuck-{number}"))

            async def all_queued_and_sending() -> bool:
                queued = await deliveries(client, owner, stuck_hooks[-1]["id"], status="pending")
                return queued["total"] == STUCK_FACTS and all(hooks.waiting.get(name) for name in stuck)

            await wait_for(all_queued_and_sending)
            sale = await publish(producer, booking_confirmed(users[1], other, event_id="live-1"))

            # Well before any stuck attempt times out and frees its slot.
            (received,) = await hooks.wait_for_requests("live", 1, timeout=STUCK_TIMEOUT_SECONDS / 2)
            assert received.headers["webhook-id"] == sale.id
    finally:
        released.set()
