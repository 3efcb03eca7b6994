"""Charging: who may charge (the booking service and admins), what the simulated processor answers, and
what input is refused."""

from datetime import datetime
from typing import Any

import httpx
import pytest

from tests.conftest import Account
from tests.payment_service.conftest import payment_body, with_key


async def test_a_charge_is_stored_as_answered_and_its_payer_sees_it(
    client: httpx.AsyncClient, service_headers: dict[str, str], payer: Account
) -> None:
    body = payment_body(payer.id, amount=12345, currency="USD")

    response = await client.post("/payments", json=body, headers=with_key(service_headers))

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
    client: httpx.AsyncClient, service_headers: dict[str, str], payer: Account
) -> None:
    body = payment_body(payer.id)
    del body["payment_method"]

    response = await client.post("/payments", json=body, headers=with_key(service_headers))

    assert response.status_code == 201
    assert response.json()["payment_method"] == "pm_card_visa"
    assert response.json()["status"] == "succeeded"


async def test_a_declined_card_is_stored_and_answered_201_with_its_reason(
    client: httpx.AsyncClient, service_headers: dict[str, str], payer: Account
) -> None:
    body = payment_body(payer.id, payment_method="pm_card_chargeDeclined")

    response = await client.post("/payments", json=body, headers=with_key(service_headers))

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


async def test_an_admin_may_charge(client: httpx.AsyncClient, admin: Account, payer: Account) -> None:
    response = await client.post("/payments", json=payment_body(payer.id), headers=with_key(admin.headers))

    assert response.status_code == 201, response.text


@pytest.mark.parametrize("for_themselves", [True, False])
async def test_a_user_cannot_charge_not_even_for_themselves(
    client: httpx.AsyncClient,
    service_headers: dict[str, str],
    payer: Account,
    other_user: Account,
    for_themselves: bool,
) -> None:
    # Any booking id, any amount: a payment of the user's own making would settle a booking unpaid.
    body = payment_body(payer.id if for_themselves else other_user.id, amount=1)

    response = await client.post("/payments", json=body, headers=with_key(payer.headers))

    assert response.status_code == 403, response.text
    assert "booking service" in response.json()["detail"]
    listed = await client.get("/payments", params={"booking_id": body["booking_id"]}, headers=service_headers)
    assert listed.json()["total"] == 0


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
        ("currency", "EURO"),
        ("currency", "ZZZ"),
        ("currency", "XXX"),
        ("currency", "XTS"),
        ("currency", 978),
        ("payment_method", "pm_card_unknown"),
        ("booking_id", ""),
        ("user_id", None),
    ],
)
async def test_bad_input_is_422_naming_the_field(
    client: httpx.AsyncClient, service_headers: dict[str, str], payer: Account, field: str, value: Any
) -> None:
    body = payment_body(payer.id, **{field: value})

    response = await client.post("/payments", json=body, headers=with_key(service_headers))

    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["body", field]]


async def test_a_currency_is_an_iso_4217_code_read_in_upper_case(
    client: httpx.AsyncClient, service_headers: dict[str, str], payer: Account
) -> None:
    response = await client.post(
        "/payments", json=payment_body(payer.id, currency="chf"), headers=with_key(service_headers)
    )

    assert response.status_code == 201, response.text
    assert response.json()["currency"] == "CHF"


async def test_an_unknown_field_is_422(
    client: httpx.AsyncClient, service_headers: dict[str, str], payer: Account
) -> None:
    body = payment_body(payer.id, amount_cents=5000)

    response = await client.post("/payments", json=body, headers=with_key(service_headers))

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "amount_cents"]


@pytest.mark.parametrize("key", [None, "", "k" * 256])
async def test_the_idempotency_key_is_required_and_bounded(
    client: httpx.AsyncClient, service_headers: dict[str, str], payer: Account, key: str | None
) -> None:
    headers = service_headers if key is None else {**service_headers, "Idempotency-Key": key}

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
    client: httpx.AsyncClient, service_headers: dict[str, str], payer: Account
) -> None:
    await client.post("/payments", json=payment_body(payer.id, amount=0), headers=with_key(service_headers))

    listed = await client.get("/payments", headers=payer.headers)

    assert listed.json()["total"] == 0
