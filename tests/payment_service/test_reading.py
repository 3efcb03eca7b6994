"""Reading payments: the payer sees their own, services and admins see all, anyone else sees nothing."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from beanie import PydanticObjectId

from payment_service.models import Payment
from payment_service.settings import PaymentSettings
from tests.conftest import Account
from tests.payment_service.conftest import payment_body, with_key
from tests.shared.mongo_commands import COMMANDS, assert_listed_in_order_from, sorted_finds

Pay = Callable[..., Awaitable[dict[str, Any]]]


async def test_a_payment_is_visible_to_its_payer_services_and_admins_only(
    client: httpx.AsyncClient,
    payer: Account,
    other_user: Account,
    admin: Account,
    service_headers: dict[str, str],
    pay: Pay,
) -> None:
    payment = await pay()
    path = f"/payments/{payment['id']}"

    for headers in (payer.headers, admin.headers, service_headers):
        response = await client.get(path, headers=headers)
        assert response.status_code == 200
        assert response.json() == payment
    assert (await client.get(path, headers=other_user.headers)).status_code == 404
    assert (await client.get(path)).status_code == 401


@pytest.mark.parametrize("payment_id", ["64b7f0c2a1b2c3d4e5f60718", "not-an-id", "0" * 300])
async def test_an_unknown_or_malformed_id_is_404(
    client: httpx.AsyncClient, admin: Account, payment_id: str
) -> None:
    response = await client.get(f"/payments/{payment_id}", headers=admin.headers)

    assert response.status_code == 404
    assert response.json()["detail"] == "Payment not found"


async def test_a_user_lists_only_their_own_payments(
    client: httpx.AsyncClient, service_headers: dict[str, str], payer: Account, other_user: Account, pay: Pay
) -> None:
    mine = await pay()
    await client.post("/payments", json=payment_body(other_user.id), headers=with_key(service_headers))

    listed = await client.get("/payments", headers=payer.headers)
    theirs = await client.get("/payments", params={"user_id": other_user.id}, headers=payer.headers)

    assert listed.json() == {"items": [mine], "total": 1, "limit": 20, "offset": 0}
    assert theirs.json()["items"] == [] and theirs.json()["total"] == 0


async def test_services_filter_by_booking_and_user(
    client: httpx.AsyncClient,
    service_headers: dict[str, str],
    payer: Account,
    other_user: Account,
    pay: Pay,
) -> None:
    declined = await pay(booking_id="b-1", payment_method="pm_card_chargeDeclined")
    paid = await pay(booking_id="b-1")
    await pay(booking_id="b-2")
    await client.post(
        "/payments", json=payment_body(other_user.id, booking_id="b-1"), headers=with_key(service_headers)
    )

    by_booking = await client.get("/payments", params={"booking_id": "b-1"}, headers=service_headers)
    by_both = await client.get(
        "/payments", params={"booking_id": "b-1", "user_id": payer.id}, headers=service_headers
    )

    assert by_booking.json()["total"] == 3
    assert by_both.json()["items"] == [paid, declined]


async def test_a_caller_finds_the_payment_it_made_under_a_key_and_no_other(
    client: httpx.AsyncClient,
    service_headers: dict[str, str],
    admin: Account,
    payer: Account,
    pay: Pay,
) -> None:
    # The booking service charges under the booking's id; anyone else's payment naming that booking
    # (an admin's, here) is not the one it made.
    key = "4f1c2a9e-0b7d-4a51-9a3e-2f6d8c1b7e10"
    body = payment_body(payer.id, booking_id=key)
    own = (await client.post("/payments", json=body, headers=with_key(service_headers, key))).json()
    admins = (await client.post("/payments", json=body, headers=with_key(admin.headers, key))).json()
    await pay(booking_id=key)

    found = {
        name: (await client.get("/payments", params={"idempotency_key": key}, headers=headers)).json()
        for name, headers in (
            ("service", service_headers),
            ("admin", admin.headers),
            ("payer", payer.headers),
        )
    }

    assert found["service"] == {"items": [own], "total": 1, "limit": 20, "offset": 0}
    assert found["admin"]["items"] == [admins]
    assert found["payer"]["items"] == [] and found["payer"]["total"] == 0


async def test_pages_are_newest_first_with_the_total(
    client: httpx.AsyncClient, admin: Account, payer: Account, pay: Pay
) -> None:
    made = [await pay(amount=100 + i) for i in range(5)]

    first = await client.get("/payments", params={"limit": 2}, headers=payer.headers)
    last = await client.get("/payments", params={"limit": 2, "offset": 4}, headers=admin.headers)

    assert first.json()["items"] == made[:-3:-1]
    assert first.json()["total"] == 5
    assert last.json() == {"items": [made[0]], "total": 5, "limit": 2, "offset": 4}


async def _store_made_together(user_ids: list[str]) -> list[str]:
    """Stores one payment per user id, all made in the same millisecond; returns their ids."""
    made_at = datetime(2030, 1, 1, tzinfo=UTC)
    payments = [
        Payment(
            id=PydanticObjectId(),
            booking_id=f"b-{index}",
            user_id=user_id,
            amount=100,
            currency="EUR",
            payment_method="pm_card_visa",
            status="succeeded",
            caller_id=user_id,
            idempotency_key=f"k-{index}",
            created_at=made_at,
        )
        for index, user_id in enumerate(user_ids)
    ]
    for payment in payments:
        await payment.insert()
    return [str(payment.id) for payment in payments]


async def test_payments_made_together_are_each_listed_once_in_one_order(
    ready_client: httpx.AsyncClient, admin: Account, payer: Account, other_user: Account
) -> None:
    made = await _store_made_together([payer.id, other_user.id] * 9)

    for headers, expected in ((admin.headers, made), (payer.headers, made[::2])):
        pages = [
            (
                await ready_client.get("/payments", params={"limit": 4, "offset": offset}, headers=headers)
            ).json()
            for offset in range(0, 20, 4)
        ]
        listed = [payment["id"] for page in pages for payment in page["items"]]
        assert sorted(listed) == sorted(expected)  # each exactly once
        assert listed == sorted(listed, reverse=True)  # ties broken by id, newest first


@pytest.mark.parametrize(
    ("viewer", "params", "index"),
    [
        ("admin", {}, "by_created"),
        ("admin", {"user_id": "someone"}, "by_user"),
        ("payer", {}, "by_user"),
        ("service", {"booking_id": "b-1"}, "by_booking"),
        ("payer", {"booking_id": "b-1"}, "by_booking"),
    ],
)
async def test_each_listing_is_read_in_order_from_an_index_ending_in_its_sort(
    ready_client: httpx.AsyncClient,
    payment_settings: PaymentSettings,
    admin: Account,
    payer: Account,
    service_headers: dict[str, str],
    pay: Pay,
    viewer: str,
    params: dict[str, str],
    index: str,
) -> None:
    await pay(booking_id="b-1")
    headers = {"admin": admin.headers, "payer": payer.headers, "service": service_headers}[viewer]
    with COMMANDS.watching(payment_settings.mongo_database) as commands:
        assert (await ready_client.get("/payments", params=params, headers=headers)).status_code == 200

    [find] = sorted_finds(commands)
    await assert_listed_in_order_from(find, Payment, index)


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "all"}])
async def test_bad_paging_is_422_naming_the_parameter(
    client: httpx.AsyncClient, payer: Account, params: dict[str, Any]
) -> None:
    response = await client.get("/payments", params=params, headers=payer.headers)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", *params]
