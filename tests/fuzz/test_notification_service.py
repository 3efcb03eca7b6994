import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import aio_pika
import httpx
import pytest

from notification_service.main import create_app
from notification_service.settings import NotificationSettings
from shared.messaging import Broker
from tests.backends import remove_queues
from tests.conftest import RABBITMQ_URL, Account, wait_for
from tests.fuzz.conftest import FuzzCase, Target, fuzz, fuzz_cases, is_ready
from tests.notification_service.conftest import booking_confirmed, publish, wait_for_history
from tests.servers import serve

CASES = fuzz_cases(
    create_app(NotificationSettings(env="test")).openapi(),
    callers=("attendee", "service", "anonymous"),
)


@pytest.fixture(scope="module")
async def targets(
    user_service_url: str,
    exchange_name: str,
    run_id: str,
    service_token: str,
    make_account: Callable[..., Awaitable[Account]],
    amqp: aio_pika.abc.AbstractRobustConnection,
    mongo_url: str,
    mongo_database: Callable[[str], str],
) -> AsyncIterator[dict[str, Target]]:
    """A notification service holding a few notifications of the attendee who calls it."""
    name = mongo_database("fuzz_notifications")
    settings = NotificationSettings(
        env="test",
        event_exchange=exchange_name,
        broker_retry_seconds=0.2,
        jwks_url=f"{user_service_url}/.well-known/jwks.json",
        mongo_url=mongo_url,
        mongo_database=name,
        queue_prefix=name,
    )
    attendee, organizer = await make_account(), await make_account("organizer")
    app = create_app(settings)
    async with serve(app) as url, httpx.AsyncClient(base_url=url) as client:
        await wait_for(lambda: is_ready(url), timeout=30)
        producer = Broker(url=RABBITMQ_URL, exchange_name=exchange_name)
        await producer.start()
        try:
            await asyncio.wait_for(producer.connected.wait(), 15)
            for _ in range(3):
                await publish(producer, booking_confirmed(attendee, organizer))
        finally:
            await producer.close()
        stored = await wait_for_history(client, attendee, 3)
        known_ids = {"notification_id": [notification["id"] for notification in stored]}
        yield {
            "attendee": Target(url, attendee.headers, known_ids),
            "service": Target(url, {"Authorization": f"Bearer {service_token}"}, known_ids),
            "anonymous": Target(url, {}, known_ids),
        }
        queues = [consumer.queue for consumer in app.state.consumers if not consumer.exclusive]
    await remove_queues(amqp, queues)  # with their dead-letter and delay queues


@pytest.mark.parametrize("case", CASES)
async def test_notification_api(targets: dict[str, Target], case: FuzzCase) -> None:
    await fuzz(targets, case)
