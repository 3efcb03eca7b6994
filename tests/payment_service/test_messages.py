"""Messages through a real RabbitMQ: each fact once, staged with its change, delayed by an outage only."""

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from payment_service.models import Payment
from payment_service.settings import PaymentSettings
from tests.conftest import Account, MessageTap, rabbitmq_through, wait_for
from tests.payment_service.conftest import client_for, payment_body, running, with_key
from tests.tcp_proxy import TcpProxy

Pay = Callable[..., Awaitable[dict[str, Any]]]


async def _all_sent() -> bool:
    return await Payment.find({"outbox.0": {"$exists": True}}).count() == 0


def _about(tap: MessageTap, payment_id: str) -> list[tuple[str, dict[str, Any]]]:
    return [(m["type"], m["data"]) for m in tap.messages if m["data"]["payment_id"] == payment_id]


async def _nothing_more_in_flight(tap: MessageTap, pay: Pay) -> None:
    """Waits until every outbox is empty, then for a later marker: anything published before has arrived."""
    await wait_for(_all_sent)
    marker = await pay()
    await wait_for(lambda: _arrived(tap, marker["id"]))


async def _arrived(tap: MessageTap, payment_id: str) -> bool:
    return bool(_about(tap, payment_id))


async def test_each_change_publishes_its_message_once(
    ready_client: httpx.AsyncClient,
    payer: Account,
    service_headers: dict[str, str],
    pay: Pay,
    tap_messages: Callable[[str], Awaitable[MessageTap]],
) -> None:
    tap = await tap_messages("payment.*")
    client = ready_client
    paid = await pay(amount=5000, currency="USD")
    declined = await pay(amount=700, payment_method="pm_card_chargeDeclined")
    partial = await client.post(
        f"/payments/{paid['id']}/refunds",
        json={"amount": 1500},
        headers=with_key(service_headers) | {"X-Request-ID": "req-partial-refund"},
    )
    rest = await client.post(f"/payments/{paid['id']}/refunds", json={}, headers=with_key(service_headers))

    await _nothing_more_in_flight(tap, pay)

    facts = {"payment_id": paid["id"], "booking_id": paid["booking_id"], "user_id": payer.id}
    money = {"amount": 5000, "currency": "USD"}
    assert _about(tap, paid["id"]) == [
        ("payment.succeeded", {**facts, **money}),
        (
            "payment.refunded",
            {
                **facts,
                **money,
                "refund_id": partial.json()["id"],
                "refunded_amount": 1500,
                "total_refunded": 1500,
                "status": "partially_refunded",
            },
        ),
        (
            "payment.refunded",
            {
                **facts,
                **money,
                "refund_id": rest.json()["id"],
                "refunded_amount": 3500,
                "total_refunded": 5000,
                "status": "refunded",
            },
        ),
    ]
    assert _about(tap, declined["id"]) == [
        (
            "payment.failed",
            {
                "payment_id": declined["id"],
                "booking_id": declined["booking_id"],
                "user_id": payer.id,
                "amount": 700,
                "currency": "EUR",
                "reason": "Your card was declined.",
            },
        )
    ]
    [refunded] = [
        m for m in tap.of_type("payment.refunded") if m["data"]["refund_id"] == partial.json()["id"]
    ]
    assert refunded["source"] == "payment_service"
    assert refunded["specversion"] == "1.0"
    assert refunded["correlationid"] == "req-partial-refund"


async def test_a_replay_publishes_nothing_more(
    ready_client: httpx.AsyncClient,
    payer: Account,
    service_headers: dict[str, str],
    pay: Pay,
    tap_messages: Callable[[str], Awaitable[MessageTap]],
) -> None:
    tap = await tap_messages("payment.*")
    body = payment_body(payer.id)
    headers = with_key(service_headers)
    first = await ready_client.post("/payments", json=body, headers=headers)
    await ready_client.post("/payments", json=body, headers=headers)

    await _nothing_more_in_flight(tap, pay)

    assert [kind for kind, _ in _about(tap, first.json()["id"])] == ["payment.succeeded"]


async def test_a_payment_is_taken_while_the_broker_is_down_and_its_message_follows(
    payment_settings: PaymentSettings,
    payer: Account,
    service_headers: dict[str, str],
    tap_messages: Callable[[str], Awaitable[MessageTap]],
) -> None:
    proxy = TcpProxy("127.0.0.1", 5672)
    settings = payment_settings.model_copy(update={"rabbitmq_url": rabbitmq_through(proxy)})
    tap = await tap_messages("payment.succeeded")
    async with running(settings) as app, client_for(app) as client:
        response = await client.post(
            "/payments", json=payment_body(payer.id), headers=with_key(service_headers)
        )
        ready = await client.get("/ready")

        assert response.status_code == 201
        assert ready.status_code == 503
        assert ready.json()["checks"]["broker"].startswith("unavailable")
        await proxy.start()
        await wait_for(lambda: _arrived(tap, response.json()["id"]))
        await wait_for(_all_sent)
    await proxy.stop()
    assert len(_about(tap, response.json()["id"])) == 1


async def test_refunds_beyond_the_outbox_limit_are_refused_until_the_broker_is_back(
    payment_settings: PaymentSettings,
    payer: Account,
    service_headers: dict[str, str],
    tap_messages: Callable[[str], Awaitable[MessageTap]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(Payment, "outbox_limit", 2)
    proxy = TcpProxy("127.0.0.1", 5672)
    settings = payment_settings.model_copy(update={"rabbitmq_url": rabbitmq_through(proxy)})
    tap = await tap_messages("payment.*")
    try:
        async with running(settings) as app, client_for(app) as client:
            paid = await client.post(
                "/payments", json=payment_body(payer.id), headers=with_key(service_headers)
            )
            path = f"/payments/{paid.json()['id']}/refunds"
            first_key = with_key(service_headers)
            assert (await client.post(path, json={"amount": 1000}, headers=first_key)).status_code == 201

            refused = await client.post(path, json={"amount": 1000}, headers=with_key(service_headers))
            assert refused.status_code == 503, refused.text
            assert int(refused.headers["Retry-After"]) > 0
            assert "2 changes waiting to be published" in refused.json()["detail"]
            replayed = await client.post(path, json={"amount": 1000}, headers=first_key)
            assert replayed.status_code == 201 and replayed.headers["Idempotent-Replayed"] == "true"
            stored = (await client.get(f"/payments/{paid.json()['id']}", headers=payer.headers)).json()
            assert stored["refunded_amount"] == 1000

            await proxy.start()
            await wait_for(_all_sent, timeout=30)
            assert (
                await client.post(path, json={"amount": 1000}, headers=with_key(service_headers))
            ).is_success
            await _nothing_more_in_flight(tap, lambda: _pay(client, payer, service_headers))
    finally:
        await proxy.stop()
    assert [kind for kind, _ in _about(tap, paid.json()["id"])] == [
        "payment.succeeded",
        "payment.refunded",
        "payment.refunded",
    ]


async def _pay(client: httpx.AsyncClient, payer: Account, headers: dict[str, str]) -> dict[str, Any]:
    response = await client.post("/payments", json=payment_body(payer.id), headers=with_key(headers))
    assert response.status_code == 201, response.text
    return response.json()
