"""Webhooks that keep failing: a delivery failed for good after its window (kept and re-sendable), an
endpoint disabled after failing everything (its owner told by inbox and email), the metrics of both,
and an address refused at delivery time. The three-day window is shortened to a second or two here."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from email import message_from_bytes
from email.message import Message
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from notification_service.webhook_models import SigningSecret
from notification_service.webhook_sender import send
from shared.messaging import Broker
from tests.apps import wait_for
from tests.conftest import Account
from tests.notification_service.conftest import Replica, Users, booking_confirmed, publish, wait_for_history
from tests.notification_service.webhook_support import (
    FAST_RETRIES,
    Receiver,
    create_hook,
    deliveries,
    read_hook,
    receiver,
    wait_for_deliveries,
)
from tests.tcp_proxy import free_port

WINDOW_SECONDS = 1.5
TIMEOUT_SECONDS = 0.5


class Inbox:
    """An SMTP handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.received: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
async def hooks() -> AsyncIterator[Receiver]:
    async with receiver() as served:
        yield served


@pytest.fixture
def mail() -> Any:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


async def test_an_endpoint_failing_everything_for_the_window_is_disabled_and_its_owner_told(
    start_replica: Callable[..., Awaitable[Replica]],
    make_account: Callable[..., Awaitable[Account]],
    producer: Broker,
    users: Users,
    hooks: Receiver,
    mail: tuple[Inbox, int],
) -> None:
    inbox, port = mail
    replica = await start_replica(
        **FAST_RETRIES, webhook_retry_window_seconds=WINDOW_SECONDS, smtp_host="127.0.0.1", smtp_port=port
    )
    organizer = await make_account("organizer")  # after the start: the replica learns its address
    async with httpx.AsyncClient(base_url=replica.url) as client:
        hook = await create_hook(client, organizer, hooks.endpoint("down", lambda *_: 500))
        await publish(producer, booking_confirmed(users[0], organizer))

        async def disabled() -> dict[str, Any] | None:
            found = await read_hook(client, organizer, hook["id"])
            return found if not found["enabled"] else None

        assert (await wait_for(disabled))["disabled_reason"] == "failing"
        (notice,) = [
            item
            for item in await wait_for_history(client, organizer, 1)
            if item["type"] == "webhook.disabled"
        ]
        assert hooks.endpoint("down") in notice["body"] and "failed for 1.5 seconds" in notice["body"]
        emails = await wait_for(lambda: _async([m for m in inbox.received if organizer.username in m["To"]]))
        assert emails[0]["Subject"] == "Webhook disabled"

        (failed,) = (await deliveries(client, organizer, hook["id"], status="failed"))["items"]
        assert len(failed["attempts"]) >= 2 and {a["status_code"] for a in failed["attempts"]} == {500}
        metrics = (await client.get("/metrics")).text
        assert 'webhook_endpoints_disabled_total{reason="failing"} 1.0' in metrics
        assert 'webhook_attempts_total{outcome="retried"}' in metrics


async def test_a_delivery_failing_for_its_window_is_kept_failed_and_its_event_goes_on(
    start_replica: Callable[..., Awaitable[Replica]],
    producer: Broker,
    owner: Account,
    users: Users,
    hooks: Receiver,
) -> None:
    replica = await start_replica(**FAST_RETRIES, webhook_retry_window_seconds=WINDOW_SECONDS)
    refused = users[0].id

    def answer(count: int, envelope: dict[str, Any]) -> int:
        return 500 if envelope["data"]["user_id"] == refused else 200

    async with httpx.AsyncClient(base_url=replica.url) as client:
        hook = await create_hook(client, owner, hooks.endpoint("picky", answer))
        stuck = await publish(producer, booking_confirmed(users[0], owner, event_id="A"))
        await hooks.wait_for_requests("picky", 1)
        # Other events' deliveries succeed meanwhile, so the endpoint as a whole is not failing.
        other = await publish(producer, booking_confirmed(users[1], owner, event_id="B"))
        behind = await publish(producer, booking_confirmed(users[1], owner, event_id="A"))

        async def settled() -> dict[str, Any] | None:
            page = await deliveries(client, owner, hook["id"])
            return (
                page
                if {item["state"] for item in page["items"]} == {"failed", "delivered"} and page["total"] == 3
                else None
            )

        page = await wait_for(settled)
        states = {item["message_id"]: item["state"] for item in page["items"]}
        assert states == {stuck.id: "failed", other.id: "delivered", behind.id: "delivered"}
        order = [each.headers["webhook-id"] for each in hooks.to("picky") if each.status == 200]
        sent_at = [
            index for index, each in enumerate(hooks.to("picky")) if each.headers["webhook-id"] == stuck.id
        ]
        behind_at = [
            index for index, each in enumerate(hooks.to("picky")) if each.headers["webhook-id"] == behind.id
        ]
        assert behind_at[0] > sent_at[-1]  # waited until the earlier fact of its event was given up
        assert order.count(behind.id) == 1
        assert (await read_hook(client, owner, hook["id"]))["enabled"] is True

        # Kept and re-sendable: once the receiver takes it, it goes out again under its id.
        refused = "nobody"
        failed_id = next(item["id"] for item in page["items"] if item["state"] == "failed")
        resent = await client.post(
            f"/webhooks/{hook['id']}/deliveries/{failed_id}/resend", headers=owner.headers
        )
        assert resent.status_code == 202, resent.text
        again = await client.post(
            f"/webhooks/{hook['id']}/deliveries/{failed_id}/resend", headers=owner.headers
        )
        assert again.status_code in (202, 409)  # 409 while it is still pending

        async def delivered() -> bool:
            return any(
                each.headers["webhook-id"] == stuck.id and each.status == 200 for each in hooks.to("picky")
            )

        await wait_for(delivered)


async def test_an_answer_slower_than_the_timeout_is_a_failure(
    start_replica: Callable[..., Awaitable[Replica]],
    producer: Broker,
    owner: Account,
    users: Users,
    hooks: Receiver,
) -> None:
    replica = await start_replica(**FAST_RETRIES, webhook_timeout_seconds=TIMEOUT_SECONDS)
    slow = hooks.holds["slow"] = asyncio.Event()  # answers 200, but only once it is set
    async with httpx.AsyncClient(base_url=replica.url) as client:
        hook = await create_hook(client, owner, hooks.endpoint("slow"))
        sale = await publish(producer, booking_confirmed(users[0], owner))

        async def tried() -> list[dict[str, Any]] | None:
            page = await deliveries(client, owner, hook["id"])
            return page["items"][0]["attempts"] if page["items"] and page["items"][0]["attempts"] else None

        first = (await wait_for(tried))[0]
        slow.set()  # the late answers come now, and every later request is answered at once
        (item,) = (await wait_for_deliveries(client, owner, hook["id"], 1, status="delivered"))["items"]

    assert (first["status_code"], first["error"]) == (None, "No answer within 0.5s")
    assert first["duration_ms"] >= TIMEOUT_SECONDS * 1000
    assert item["message_id"] == sale.id and item["attempts"][-1]["status_code"] == 200
    assert [attempt["status_code"] for attempt in item["attempts"][:-1]] == [None] * (
        len(item["attempts"]) - 1
    )


async def test_a_private_address_is_refused_at_delivery_time_too(hooks: Receiver) -> None:
    """A name registered while it pointed to a public address may resolve to a private one later."""
    async with httpx.AsyncClient() as client:
        outcome = await send(
            client,
            url=hooks.endpoint("internal").replace("http://", "https://"),
            message_id="m1",
            body="{}",
            secrets=[SigningSecret(secret="whsec_" + "A" * 32)],
            public_only=True,
            timeout=5,
        )
        allowed = await send(
            client,
            url=hooks.endpoint("internal"),
            message_id="m2",
            body="{}",
            secrets=[SigningSecret(secret="whsec_" + "A" * 32)],
            public_only=False,
            timeout=5,
        )

    assert not outcome.delivered and outcome.attempt.status_code is None
    assert "127.0.0.1, which is not a public address" in (outcome.attempt.error or "")
    assert allowed.delivered and [each.headers["webhook-id"] for each in hooks.to("internal")] == ["m2"]


async def _async(value: Any) -> Any:
    return value
