from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest

from event_service.main import create_app
from event_service.settings import EventSettings
from tests.conftest import Account, wait_for
from tests.event_service.conftest import event_body
from tests.fuzz.conftest import FuzzCase, Target, fuzz, fuzz_cases, is_ready
from tests.servers import serve

CASES = fuzz_cases(
    create_app(EventSettings(env="test")).openapi(), callers=("organizer", "attendee", "anonymous")
)


@pytest.fixture(scope="module")
async def targets(
    user_service_url: str,
    exchange_name: str,
    make_account: Callable[..., Awaitable[Account]],
    mongo_url: str,
    mongo_database: Callable[[str], str],
    event_queue_prefix: str,
) -> AsyncIterator[dict[str, Target]]:
    """An event service holding a few events of the organizer."""
    settings = EventSettings(
        env="test",
        event_exchange=exchange_name,
        broker_retry_seconds=0.2,
        jwks_url=f"{user_service_url}/.well-known/jwks.json",
        mongo_url=mongo_url,
        mongo_database=mongo_database("fuzz_events"),
        queue_prefix=event_queue_prefix,
    )
    organizer, attendee = await make_account("organizer"), await make_account()
    async with serve(create_app(settings)) as url, httpx.AsyncClient(base_url=url) as client:
        await wait_for(lambda: is_ready(url), timeout=30)
        ids = []
        for _ in range(3):
            response = await client.post("/events", json=event_body(), headers=organizer.headers)
            assert response.status_code == 201, response.text
            ids.append(response.json()["id"])
        known_ids = {"event_id": ids}
        yield {
            "organizer": Target(url, organizer.headers, known_ids),
            "attendee": Target(url, attendee.headers, known_ids),
            "anonymous": Target(url, {}, known_ids),
        }


@pytest.mark.parametrize("case", CASES)
async def test_event_api(targets: dict[str, Target], case: FuzzCase) -> None:
    await fuzz(targets, case)
