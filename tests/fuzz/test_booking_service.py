"""The booking service fuzzed with real event and payment services beside it, as in tests/booking_service."""

from collections.abc import AsyncIterator, Awaitable, Callable

import aio_pika
import httpx
import pytest

from booking_service.main import create_app
from booking_service.settings import BookingSettings
from event_service.main import create_app as create_event_app
from event_service.settings import EventSettings
from payment_service.main import create_app as create_payment_app
from payment_service.settings import PaymentSettings
from tests.backends import remove_queues
from tests.booking_service.conftest import publish_event
from tests.conftest import Account, wait_for
from tests.fuzz.conftest import FuzzCase, Target, fuzz, fuzz_cases, is_ready
from tests.servers import serve

CASES = fuzz_cases(
    create_app(BookingSettings(env="test")).openapi(), callers=("attendee", "service", "anonymous")
)


@pytest.fixture(scope="module")
async def targets(
    user_service_url: str,
    exchange_name: str,
    run_id: str,
    create_database: Callable[[str], Awaitable[str]],
    make_account: Callable[..., Awaitable[Account]],
    service_token: str,
    amqp: aio_pika.abc.AbstractRobustConnection,
    mongo_url: str,
    mongo_database: Callable[[str], str],
    event_queue_prefix: str,
) -> AsyncIterator[dict[str, Target]]:
    """A booking service with events to book and a few bookings of the attendee who calls it."""
    common = {
        "env": "test",
        "event_exchange": exchange_name,
        "broker_retry_seconds": 0.2,
        "jwks_url": f"{user_service_url}/.well-known/jwks.json",
        "mongo_url": mongo_url,
    }
    event_settings = EventSettings(
        **common, mongo_database=mongo_database("fuzz_events"), queue_prefix=event_queue_prefix
    )
    payment_settings = PaymentSettings(**common, mongo_database=mongo_database("fuzz_payments"))
    organizer, attendee = await make_account("organizer"), await make_account()
    async with (
        serve(create_event_app(event_settings)) as events_url,
        serve(create_payment_app(payment_settings)) as payments_url,
    ):
        settings = BookingSettings(
            **common,
            database_url=await create_database("bookings"),
            user_service_url=user_service_url,
            event_service_url=events_url,
            payment_service_url=payments_url,
            queue_prefix=f"test_fuzz_booking_{run_id}",
        )
        async with serve(create_app(settings)) as url:
            for ready in (events_url, payments_url, url):
                await wait_for(lambda ready=ready: is_ready(ready), timeout=30)
            roomy = {"capacity": 1_000_000, "max_tickets_per_booking": 100}
            event_ids = [(await publish_event(events_url, organizer, **roomy))["id"] for _ in range(2)]
            booking_ids = [await _book(url, attendee, event_id) for event_id in event_ids]
            known_ids = {"event_id": event_ids, "booking_id": booking_ids}
            yield {
                "attendee": Target(url, attendee.headers, known_ids),
                "service": Target(url, {"Authorization": f"Bearer {service_token}"}, known_ids),
                "anonymous": Target(url, {}, known_ids),
            }
    await remove_queues(amqp, [f"{settings.queue_prefix}.events"])  # with its dead-letter and delay queues


async def _book(url: str, attendee: Account, event_id: str) -> str:
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        response = await client.post(
            "/bookings", json={"event_id": event_id, "tickets": 2}, headers=attendee.headers
        )
    assert response.status_code == 201, response.text
    return response.json()["id"]


@pytest.mark.parametrize("case", CASES)
async def test_booking_api(targets: dict[str, Target], case: FuzzCase) -> None:
    await fuzz(targets, case)
