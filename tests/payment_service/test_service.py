"""The refund compare-and-set, which concurrent HTTP requests only reach against a real MongoDB."""

from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from payment_service import service
from payment_service.models import Payment
from payment_service.schemas import RefundCreate
from shared.auth import Principal
from tests.payment_service.conftest import with_key

BOOKING_SERVICE = Principal(
    id="service:booking_service", username="booking_service", roles=frozenset({"service"})
)


async def test_a_refund_decided_on_a_stale_read_is_not_written(
    client: httpx.AsyncClient,
    service_headers: dict[str, str],
    pay: Callable[..., Awaitable[dict[str, Any]]],
) -> None:
    paid = await pay(amount=5000)
    stale = await Payment.get(paid["id"])
    assert stale is not None
    await client.post(
        f"/payments/{paid['id']}/refunds", json={"amount": 4000}, headers=with_key(service_headers)
    )

    refunded = await service.refund_if_unchanged(
        payment=stale, caller=BOOKING_SERVICE, idempotency_key="late", refund_in=RefundCreate(amount=3000)
    )

    assert refunded is None
    current = await Payment.get(paid["id"])
    assert current is not None
    assert current.refunded_amount == 4000
    assert [refund.amount for refund in current.refunds] == [4000]
