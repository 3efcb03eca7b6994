from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest

from payment_service.main import create_app
from payment_service.settings import PaymentSettings
from tests.conftest import Account, wait_for
from tests.fuzz.conftest import FuzzCase, Target, fuzz, fuzz_cases, is_ready
from tests.payment_service.conftest import bearer, payment_body, with_key
from tests.servers import serve

CASES = fuzz_cases(
    create_app(PaymentSettings(env="test")).openapi(), callers=("service", "attendee", "anonymous")
)


@pytest.fixture(scope="module")
async def targets(
    user_service_url: str,
    exchange_name: str,
    service_token: str,
    make_account: Callable[..., Awaitable[Account]],
    mongo_url: str,
    mongo_database: Callable[[str], str],
) -> AsyncIterator[dict[str, Target]]:
    """A payment service holding a few payments, which the booking service's identity fuzzes."""
    settings = PaymentSettings(
        env="test",
        event_exchange=exchange_name,
        broker_retry_seconds=0.2,
        jwks_url=f"{user_service_url}/.well-known/jwks.json",
        mongo_url=mongo_url,
        mongo_database=mongo_database("fuzz_payments"),
    )
    payer, attendee = await make_account(), await make_account()
    async with serve(create_app(settings)) as url, httpx.AsyncClient(base_url=url) as client:
        await wait_for(lambda: is_ready(url), timeout=30)
        payments = []
        for method in ("pm_card_visa", "pm_card_visa", "pm_card_chargeDeclined"):
            body = payment_body(payer.id, amount=99_999_999, payment_method=method)
            response = await client.post("/payments", json=body, headers=with_key(bearer(service_token)))
            assert response.status_code == 201, response.text
            payments.append(response.json())
        known_ids = {
            "payment_id": [payment["id"] for payment in payments],
            "booking_id": [payment["booking_id"] for payment in payments],
            "user_id": [payer.id, attendee.id],
        }
        yield {
            "service": Target(url, bearer(service_token), known_ids),
            "attendee": Target(url, attendee.headers, known_ids),
            "anonymous": Target(url, {}, known_ids),
        }


@pytest.mark.parametrize("case", CASES)
async def test_payment_api(targets: dict[str, Target], case: FuzzCase) -> None:
    await fuzz(targets, case)
