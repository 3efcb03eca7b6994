"""The notification service killed (SIGKILL) while a webhook delivery waits for its retry, then started
again: every delivery is still made, under its own `webhook-id`, each event's in order.

Deliveries wait in MongoDB, not in the process: what the killed process had queued is found due by
the next one, and facts published while no process ran wait in the durable webhooks queue.
"""

from collections.abc import AsyncIterator, Callable
from typing import Any

import aio_pika
import httpx
import pytest

from notification_service.settings import NotificationSettings
from shared.messaging import Broker
from tests.apps import wait_for
from tests.backends import durable_queues, remove_queues
from tests.conftest import Account
from tests.notification_service.conftest import Users, booking_confirmed, publish
from tests.notification_service.webhook_support import Receiver, create_hook, receiver
from tests.processes import ServiceProcess, environment

FAILURES_PER_MESSAGE = 2


@pytest.fixture
async def hooks() -> AsyncIterator[Receiver]:
    async with receiver() as served:
        yield served


@pytest.fixture
async def notifications(
    service_settings: Callable[..., Any],
    mongo_url: str,
    fresh_mongo_database: Callable[[str], str],
    amqp: aio_pika.abc.AbstractRobustConnection,
) -> AsyncIterator[ServiceProcess]:
    name = fresh_mongo_database("notifications")
    settings = service_settings(
        NotificationSettings,
        mongo_url=mongo_url,
        mongo_database=name,
        queue_prefix=name,
        webhook_retry_delays_seconds=[0.5],
        webhook_poll_seconds=0.1,
        # A kill during an attempt leaves it leased for 2 × (timeout + DNS time): 10 s here.
        webhook_timeout_seconds=2.0,
    )
    service = ServiceProcess(
        "notification_service", {**environment(settings), "HOST": "127.0.0.1", "LOG_LEVEL": "WARNING"}
    )
    try:
        yield service
    finally:
        await service.stop()
        await remove_queues(amqp, [*durable_queues("notification_service", name), f"{name}.webhooks"])


async def test_a_killed_service_loses_no_webhook_delivery(
    notifications: ServiceProcess, producer: Broker, owner: Account, users: Users, hooks: Receiver
) -> None:
    tries: dict[str, int] = {}

    def answer(count: int, envelope: dict[str, Any]) -> int:
        tries[envelope["id"]] = tries.get(envelope["id"], 0) + 1
        return 503 if tries[envelope["id"]] <= FAILURES_PER_MESSAGE else 200

    await notifications.start()
    async with httpx.AsyncClient(base_url=notifications.url) as client:
        await create_hook(client, owner, hooks.endpoint("crm", answer))
    before = [await publish(producer, booking_confirmed(users[n % 2], owner, event_id="A")) for n in range(3)]
    await hooks.wait_for_requests("crm", 1)  # the first has failed: it waits for its retry
    await notifications.kill()
    assert not [each for each in hooks.to("crm") if each.status == 200], "killed after a delivery was made"
    while_down = [await publish(producer, booking_confirmed(users[2], owner, event_id="B")) for _ in range(2)]
    await notifications.start()

    expected = [envelope.id for envelope in [*before, *while_down]]

    async def all_delivered() -> list[str] | None:
        delivered = [each.headers["webhook-id"] for each in hooks.to("crm") if each.status == 200]
        return delivered if set(expected) <= set(delivered) else None

    delivered = await wait_for(all_delivered, timeout=45)
    assert set(delivered) == set(expected)
    lane_a = [message_id for message_id in delivered if message_id in {each.id for each in before}]
    assert lane_a[: len(before)] == [each.id for each in before]  # event A's facts in their order
    for message_id in expected:  # each retried under its own id, never another's
        assert tries[message_id] >= FAILURES_PER_MESSAGE + 1
