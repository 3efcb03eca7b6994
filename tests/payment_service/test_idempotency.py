"""Idempotency-Key on payments: replays, mismatches, scoping, and a crowd of concurrent retries."""

import asyncio
import uuid

import httpx

from payment_service.main import create_app
from payment_service.settings import PaymentSettings
from tests.conftest import Account
from tests.payment_service.conftest import payment_body, with_key
from tests.servers import serve


async def _count(client: httpx.AsyncClient, headers: dict[str, str], booking_id: str) -> int:
    listed = await client.get("/payments", params={"booking_id": booking_id}, headers=headers)
    return listed.json()["total"]


async def test_a_retry_replays_the_first_answer_without_a_second_charge(
    client: httpx.AsyncClient, service_headers: dict[str, str], payer: Account
) -> None:
    body = payment_body(payer.id)
    headers = with_key(service_headers)

    first = await client.post("/payments", json=body, headers=headers)
    retry = await client.post("/payments", json=body, headers=headers)

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert await _count(client, service_headers, body["booking_id"]) == 1


async def test_a_retry_of_a_declined_attempt_replays_the_decline(
    client: httpx.AsyncClient, service_headers: dict[str, str], payer: Account
) -> None:
    body = payment_body(payer.id, payment_method="pm_card_chargeDeclined")
    headers = with_key(service_headers)

    first = await client.post("/payments", json=body, headers=headers)
    retry = await client.post("/payments", json=body, headers=headers)

    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.json()["status"] == "declined"


async def test_a_retry_after_a_refund_still_replays_the_first_answer(
    client: httpx.AsyncClient, service_headers: dict[str, str], payer: Account
) -> None:
    body = payment_body(payer.id)
    headers = with_key(service_headers)
    first = await client.post("/payments", json=body, headers=headers)
    refund = await client.post(
        f"/payments/{first.json()['id']}/refunds", json={}, headers=with_key(service_headers)
    )
    assert refund.json()["payment"]["status"] == "refunded"

    retry = await client.post("/payments", json=body, headers=headers)

    assert retry.json() == first.json()
    assert retry.json()["status"] == "succeeded"


async def test_the_same_key_with_a_different_request_is_409_naming_what_differs(
    client: httpx.AsyncClient, service_headers: dict[str, str], payer: Account
) -> None:
    body = payment_body(payer.id)
    headers = with_key(service_headers)
    await client.post("/payments", json=body, headers=headers)

    changed = await client.post("/payments", json={**body, "amount": 6000}, headers=headers)

    assert changed.status_code == 409
    assert "amount" in changed.json()["detail"]
    assert "currency" not in changed.json()["detail"]
    assert await _count(client, service_headers, body["booking_id"]) == 1


async def test_keys_are_scoped_to_the_caller(
    client: httpx.AsyncClient, service_headers: dict[str, str], admin: Account, payer: Account
) -> None:
    key = uuid.uuid4().hex

    mine = await client.post("/payments", json=payment_body(payer.id), headers=with_key(service_headers, key))
    theirs = await client.post("/payments", json=payment_body(payer.id), headers=with_key(admin.headers, key))

    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]
    assert "Idempotent-Replayed" not in theirs.headers


async def test_twenty_concurrent_requests_with_one_key_make_one_payment(
    payment_settings: PaymentSettings, service_headers: dict[str, str], payer: Account
) -> None:
    body = payment_body(payer.id)
    headers = with_key(service_headers)

    async with serve(create_app(payment_settings)) as url, httpx.AsyncClient(base_url=url) as client:
        answers = await asyncio.gather(
            *(client.post("/payments", json=body, headers=headers) for _ in range(20))
        )
        stored = await _count(client, service_headers, body["booking_id"])

    assert stored == 1
    assert {(answer.status_code, answer.text) for answer in answers} == {(201, answers[0].text)}
    assert sum("Idempotent-Replayed" not in answer.headers for answer in answers) == 1
