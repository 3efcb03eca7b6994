"""Charging: who may pay, what the simulated processor answers, and what input is refused."""

from datetime import datetime
from typing import Any

import httpx
import pytest

from tests.conftest import Account
from tests.payment_service.conftest import payment_body, with_key


async def test_a_user_pays_for_themselves(client: httpx.AsyncClient, payer: Account) -> None:
    body = payment_body(payer.id, amount=12345, currency="USD")

    response = await client.post("/payments", json=body, headers=with_key(payer.headers))

    assert response.status_code == 201, response.text
    payment = response.json()
    assert payment["status"] == "succeeded"
    assert payment["decline_reason"] is None
    assert payment["refunded_amount"] == 0
    assert {key: payment[key] for key in body} == body
    assert datetime.fromisoformat(payment["created_at"]).tzinfo is not None
    assert "Idempotent-Replayed" not in response.headers
    stored = await client.get(f"/payments/{payment['id']}", headers=payer.headers)
    assert stored.json() == payment


async def test_the_payment_method_defaults_to_a_card_that_succeeds(
    client: httpx.AsyncClient, payer: Account
) -> None:
    body = payment_body(payer.id)
    del body["payment_method"]

    response = await client.post("/payments", json=body, headers=with_key(payer.headers))

    assert response.status_code == 201
    assert response.json()["payment_method"] == "pm_card_visa"
    assert response.json()["status"] == "succeeded"


async def test_a_declined_card_is_stored_and_answered_201_with_its_reason(
    client: httpx.AsyncClient, payer: Account
) -> None:
    body = payment_body(payer.id, payment_method="pm_card_chargeDeclined")

    response = await client.post("/payments", json=body, headers=with_key(payer.headers))

    assert response.status_code == 201
    payment = response.json()
    assert payment["status"] == "declined"
    assert payment["decline_reason"] == "Your card was declined."
    stored = await client.get(f"/payments/{payment['id']}", headers=payer.headers)
    assert stored.json()["status"] == "declined"


async def test_the_booking_service_pays_on_behalf_of_a_user(
    client: httpx.AsyncClient, service_headers: dict[str, str], payer: Account
) -> None:
    response = await client.post("/payments", json=payment_body(payer.id), headers=with_key(service_headers))

    assert response.status_code == 201
    assert response.json()["user_id"] == payer.id
    mine = await client.get(f"/payments/{response.json()['id']}", headers=payer.headers)
    assert mine.status_code == 200


async def test_a_user_cannot_pay_for_another_user(
    client: httpx.AsyncClient, payer: Account, other_user: Account
) -> None:
    response = await client.post(
        "/payments", json=payment_body(other_user.id), headers=with_key(payer.headers)
    )

    assert response.status_code == 403
    assert "user_id" in response.json()["detail"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", 0),
        ("amount", -500),
        ("amount", 10.5),
        ("amount", 10.0),
        ("amount", "1000"),
        ("amount", "ten"),
        ("amount", True),
        ("amount", 100_000_000),
        ("currency", "eur"),
        ("currency", "EURO"),
        ("currency", 978),
        ("payment_method", "pm_card_unknown"),
        ("booking_id", ""),
        ("user_id", None),
    ],
)
async def test_bad_input_is_422_naming_the_field(
    client: httpx.AsyncClient, payer: Account, field: str, value: Any
) -> None:
    body = payment_body(payer.id, **{field: value})

    response = await client.post("/payments", json=body, headers=with_key(payer.headers))

    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["body", field]]


async def test_an_unknown_field_is_422(client: httpx.AsyncClient, payer: Account) -> None:
    body = payment_body(payer.id, amount_cents=5000)

    response = await client.post("/payments", json=body, headers=with_key(payer.headers))

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "amount_cents"]


@pytest.mark.parametrize("key", [None, "", "k" * 256])
async def test_the_idempotency_key_is_required_and_bounded(
    client: httpx.AsyncClient, payer: Account, key: str | None
) -> None:
    headers = payer.headers if key is None else {**payer.headers, "Idempotency-Key": key}

    response = await client.post("/payments", json=payment_body(payer.id), headers=headers)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"}])
async def test_paying_needs_a_valid_token(
    client: httpx.AsyncClient, payer: Account, headers: dict[str, str]
) -> None:
    response = await client.post("/payments", json=payment_body(payer.id), headers=with_key(headers))

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_nothing_is_stored_for_a_refused_request(
    client: httpx.AsyncClient, payer: Account, other_user: Account
) -> None:
    await client.post("/payments", json=payment_body(other_user.id), headers=with_key(payer.headers))
    await client.post("/payments", json=payment_body(payer.id, amount=0), headers=with_key(payer.headers))

    listed = await client.get("/payments", headers=payer.headers)

    assert listed.json()["total"] == 0
