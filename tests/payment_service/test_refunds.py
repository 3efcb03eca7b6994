"""Refunds: by the booking service or an admin only, full or partial, never more than was paid, only of
succeeded payments, and idempotent."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from payment_service.models import MAX_REFUNDS_PER_PAYMENT, Payment
from tests.conftest import Account
from tests.payment_service.conftest import with_key

Pay = Callable[..., Awaitable[dict[str, Any]]]


async def _refund(
    client: httpx.AsyncClient, payment_id: str, headers: dict[str, str], **body: Any
) -> httpx.Response:
    return await client.post(f"/payments/{payment_id}/refunds", json=body, headers=with_key(headers))


async def test_a_refund_gives_back_everything_by_default(
    client: httpx.AsyncClient, payer: Account, service_headers: dict[str, str], pay: Pay
) -> None:
    payment = await pay(amount=5000)

    response = await _refund(client, payment["id"], service_headers)

    assert response.status_code == 201, response.text
    refund = response.json()
    assert refund["payment_id"] == payment["id"]
    assert refund["amount"] == 5000
    assert refund["payment"] == {**payment, "status": "refunded", "refunded_amount": 5000}
    stored = await client.get(f"/payments/{payment['id']}", headers=payer.headers)
    assert stored.json() == refund["payment"]


async def test_partial_refunds_add_up_to_the_amount_paid(
    client: httpx.AsyncClient, payer: Account, service_headers: dict[str, str], pay: Pay
) -> None:
    payment = await pay(amount=5000)

    first = await _refund(client, payment["id"], service_headers, amount=3000)
    rest = await _refund(client, payment["id"], service_headers)

    assert first.json()["amount"] == 3000
    assert first.json()["payment"]["status"] == "partially_refunded"
    assert first.json()["payment"]["refunded_amount"] == 3000
    assert rest.json()["amount"] == 2000
    assert rest.json()["payment"]["status"] == "refunded"
    assert rest.json()["payment"]["refunded_amount"] == 5000


async def test_a_refund_above_what_is_left_is_409_and_changes_nothing(
    client: httpx.AsyncClient, payer: Account, service_headers: dict[str, str], pay: Pay
) -> None:
    payment = await pay(amount=5000)
    await _refund(client, payment["id"], service_headers, amount=4000)

    response = await _refund(client, payment["id"], service_headers, amount=1001)

    assert response.status_code == 409
    assert "1000 left to refund" in response.json()["detail"]
    stored = await client.get(f"/payments/{payment['id']}", headers=payer.headers)
    assert stored.json()["refunded_amount"] == 4000


async def test_a_fully_refunded_payment_cannot_be_refunded_again(
    client: httpx.AsyncClient, payer: Account, service_headers: dict[str, str], pay: Pay
) -> None:
    payment = await pay()
    await _refund(client, payment["id"], service_headers)

    response = await _refund(client, payment["id"], service_headers)

    assert response.status_code == 409
    assert "already fully refunded" in response.json()["detail"]


async def test_a_declined_payment_cannot_be_refunded(
    client: httpx.AsyncClient, payer: Account, service_headers: dict[str, str], pay: Pay
) -> None:
    payment = await pay(payment_method="pm_card_chargeDeclined")

    response = await _refund(client, payment["id"], service_headers)

    assert response.status_code == 409
    assert "declined" in response.json()["detail"]


async def test_concurrent_refunds_never_return_more_than_was_paid(
    client: httpx.AsyncClient, service_headers: dict[str, str], pay: Pay
) -> None:
    payment = await pay(amount=5000)

    answers = await asyncio.gather(
        *(_refund(client, payment["id"], service_headers, amount=2000) for _ in range(5))
    )

    assert sorted(answer.status_code for answer in answers) == [201, 201, 409, 409, 409]
    stored = await client.get(f"/payments/{payment['id']}", headers=service_headers)
    assert stored.json()["refunded_amount"] == 4000


async def test_a_refund_retry_replays_the_first_answer(
    client: httpx.AsyncClient, payer: Account, service_headers: dict[str, str], pay: Pay
) -> None:
    payment = await pay(amount=5000)
    path = f"/payments/{payment['id']}/refunds"
    headers = with_key(service_headers)
    first = await client.post(path, json={"amount": 1000}, headers=headers)
    await _refund(client, payment["id"], service_headers, amount=1500)

    retry = await client.post(path, json={"amount": 1000}, headers=headers)
    changed = await client.post(path, json={"amount": 1200}, headers=headers)

    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert changed.status_code == 409
    assert "amount" in changed.json()["detail"]
    stored = await client.get(f"/payments/{payment['id']}", headers=payer.headers)
    assert stored.json()["refunded_amount"] == 2500


@pytest.mark.parametrize("caller", ["service", "admin"])
async def test_services_and_admins_refund_anyones_payment(
    client: httpx.AsyncClient,
    service_headers: dict[str, str],
    admin: Account,
    pay: Pay,
    caller: str,
) -> None:
    payment = await pay()
    headers = service_headers if caller == "service" else admin.headers

    response = await _refund(client, payment["id"], headers)

    assert response.status_code == 201


@pytest.mark.parametrize("refunder", ["payer", "other_user"])
async def test_a_user_cannot_refund_a_payment_not_even_their_own(
    client: httpx.AsyncClient, payer: Account, other_user: Account, pay: Pay, refunder: str
) -> None:
    # Refunds of a booking's payment go through the booking (its cancellation), which gives the seats back.
    payment = await pay()
    caller = payer if refunder == "payer" else other_user

    response = await _refund(client, payment["id"], caller.headers)

    assert response.status_code == 403, response.text
    assert "cancel the booking" in response.json()["detail"]
    stored = await client.get(f"/payments/{payment['id']}", headers=payer.headers)
    assert stored.json() == payment


@pytest.mark.parametrize("payment_id", ["64b7f0c2a1b2c3d4e5f60718", "not-an-id"])
async def test_an_unknown_or_malformed_payment_is_404_to_refund(
    client: httpx.AsyncClient, service_headers: dict[str, str], payment_id: str
) -> None:
    response = await _refund(client, payment_id, service_headers)

    assert response.status_code == 404


@pytest.mark.parametrize("amount", [0, -1, 10.5, 10.0, True, "100", "all"])
async def test_a_bad_refund_amount_is_422(
    client: httpx.AsyncClient, service_headers: dict[str, str], pay: Pay, amount: Any
) -> None:
    payment = await pay()

    response = await _refund(client, payment["id"], service_headers, amount=amount)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:2] == ["body", "amount"]


async def test_a_refund_needs_an_idempotency_key(
    client: httpx.AsyncClient, service_headers: dict[str, str], pay: Pay
) -> None:
    payment = await pay()

    response = await client.post(f"/payments/{payment['id']}/refunds", json={}, headers=service_headers)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]


async def test_the_last_refund_a_payment_may_have_must_refund_all_that_is_left(
    client: httpx.AsyncClient, payer: Account, service_headers: dict[str, str], pay: Pay
) -> None:
    payment = await pay(amount=5000)
    for _ in range(MAX_REFUNDS_PER_PAYMENT - 1):
        assert (await _refund(client, payment["id"], service_headers, amount=1)).status_code == 201

    partial = await _refund(client, payment["id"], service_headers, amount=1)
    assert partial.status_code == 409
    assert partial.json()["detail"] == (
        f"A payment may have at most {MAX_REFUNDS_PER_PAYMENT} refunds and this one has "
        f"{MAX_REFUNDS_PER_PAYMENT - 1}: the last must refund all 4901 that is left (leave out `amount`)"
    )
    last = await _refund(client, payment["id"], service_headers)
    assert last.status_code == 201, last.text
    assert last.json()["amount"] == 4901
    assert last.json()["payment"]["status"] == "refunded"
    assert (await _refund(client, payment["id"], service_headers, amount=1)).status_code == 409

    stored = await Payment.get(payment["id"])
    assert stored is not None and len(stored.refunds) == MAX_REFUNDS_PER_PAYMENT
