"""The whole platform, walked as its users walk it: over HTTP and WebSocket against real processes."""

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from websockets.asyncio.client import connect

from tests.conftest import DEV_ADMIN, wait_for
from tests.notification_service.webhook_support import Receiver, receiver, verify
from tests.system.conftest import Services


class LiveFeed:
    """Frames a user's WebSocket has received so far."""

    def __init__(self) -> None:
        self.frames: list[dict[str, Any]] = []

    def types(self) -> list[str]:
        return [frame["type"] for frame in self.frames]

    async def wait_for_type(self, frame_type: str) -> dict[str, Any]:
        async def arrived() -> dict[str, Any] | None:
            return next((frame for frame in self.frames if frame["type"] == frame_type), None)

        return await wait_for(arrived, timeout=30)


@asynccontextmanager
async def live_feed(services: Services, token: str) -> AsyncIterator[LiveFeed]:
    feed = LiveFeed()
    ws_url = services.notification_service.replace("http://", "ws://")
    async with connect(f"{ws_url}/ws?token={token}") as socket:

        async def receive() -> None:
            async for frame in socket:
                feed.frames.append(json.loads(frame))

        receiving = asyncio.create_task(receive())
        try:
            yield feed
        finally:
            receiving.cancel()


async def _register_and_login(
    client: httpx.AsyncClient, services: Services, name: str
) -> tuple[str, dict[str, str]]:
    user = {
        "username": name,
        "email": f"{name}@example.com",
        "password": "a-long-password",
        "full_name": name,
    }
    registered = await client.post(f"{services.user_service}/register", json=user)
    assert registered.status_code == 201, registered.text
    return registered.json()["id"], await _login(client, services, name, "a-long-password")


async def _login(
    client: httpx.AsyncClient, services: Services, username: str, password: str
) -> dict[str, str]:
    response = await client.post(
        f"{services.user_service}/login", json={"username": username, "password": password}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _types(hooks: Receiver, endpoint: str) -> list[str]:
    return [request.envelope["type"] for request in hooks.to(endpoint)]


async def test_the_whole_story(services: Services, run_id: str) -> None:
    async with httpx.AsyncClient(timeout=30) as client, receiver() as hooks:
        # An admin promotes a new user to organizer.
        admin = await _login(client, services, DEV_ADMIN["username"], DEV_ADMIN["password"])
        organizer_id, _ = await _register_and_login(client, services, f"org_{run_id}")
        promoted = await client.patch(
            f"{services.user_service}/users/{organizer_id}/roles",
            json={"roles": ["organizer"]},
            headers=admin,
        )
        assert promoted.json()["roles"] == ["organizer"]
        organizer = await _login(client, services, f"org_{run_id}", "a-long-password")

        # The organizer creates an event.
        starts_at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=10)
        created = await client.post(
            f"{services.event_service}/events",
            json={
                "title": "Rooftop Jazz",
                "description": "Standards at sunset.",
                "venue": "Skyline Terrace",
                "category": "music",
                "starts_at": starts_at.isoformat(),
                "ends_at": (starts_at + timedelta(hours=3)).isoformat(),
                "capacity": 40,
                "price": 2500,
                "currency": "EUR",
            },
            headers=organizer,
        )
        assert created.status_code == 201, created.text
        event = created.json()

        # The organizer's own system subscribes to the event's facts through a webhook.
        subscribed = await client.post(
            f"{services.notification_service}/webhooks",
            json={
                "url": hooks.endpoint("crm"),
                "event_types": ["booking.*", "event.*"],
                "event_id": event["id"],
            },
            headers=organizer,
        )
        assert subscribed.status_code == 201, subscribed.text
        hook = subscribed.json()

        # An attendee connects a WebSocket and books two tickets; both sides hear of it live.
        _, attendee = await _register_and_login(client, services, f"att_{run_id}")
        async with (
            live_feed(services, attendee["Authorization"].split()[1]) as attendee_feed,
            live_feed(services, organizer["Authorization"].split()[1]) as organizer_feed,
        ):
            booked = await client.post(
                f"{services.booking_service}/bookings",
                json={"event_id": event["id"], "tickets": 2},
                headers=attendee,
            )
            assert booked.status_code == 201, booked.text
            booking = booked.json()
            assert (booking["status"], booking["amount"]) == ("confirmed", 5000)
            confirmed = await attendee_feed.wait_for_type("booking.confirmed")
            assert confirmed["data"]["booking_id"] == booking["id"]
            sold = await organizer_feed.wait_for_type("tickets.sold")
            assert "Rooftop Jazz" in sold["body"]
            [delivered] = await hooks.wait_for_requests("crm", 1, timeout=30)
            signed = verify(hook["secret"], delivered.headers, delivered.body)
            assert (signed["type"], signed["data"]["booking_id"]) == ("booking.confirmed", booking["id"])

            # The organizer moves the event; the attendee is told.
            moved = await client.patch(
                f"{services.event_service}/events/{event['id']}",
                json={
                    "starts_at": (starts_at + timedelta(days=1)).isoformat(),
                    "ends_at": (starts_at + timedelta(days=1, hours=3)).isoformat(),
                },
                headers=organizer,
            )
            assert moved.status_code == 200, moved.text
            updated = await attendee_feed.wait_for_type("event.updated")
            assert set(updated["data"]["changed"]) == {"starts_at", "ends_at"}

            # The organizer cancels; the attendee hears of the cancellation and the refund.
            cancelled = await client.post(
                f"{services.event_service}/events/{event['id']}/cancel", headers=organizer
            )
            assert cancelled.status_code == 200
            await attendee_feed.wait_for_type("event.cancelled")
            booking_cancelled = await attendee_feed.wait_for_type("booking.cancelled")
            assert booking_cancelled["data"]["booking_id"] == booking["id"]
            refunded = await attendee_feed.wait_for_type("payment.refunded")
            assert refunded["data"]["refunded_amount"] == 5000
            live_ids = [frame["id"] for frame in attendee_feed.frames]

        # The webhook got each fact of the event once, in the order they happened.
        await hooks.wait_for_requests("crm", 4, timeout=30)
        assert _types(hooks, "crm") == [
            "booking.confirmed",
            "event.updated",
            "event.cancelled",
            "booking.cancelled",
        ]
        assert len({request.headers["webhook-id"] for request in hooks.to("crm")}) == 4

        # The payment shows refunded; the seats are free again.
        payments = await client.get(
            f"{services.payment_service}/payments", params={"booking_id": booking["id"]}, headers=attendee
        )
        [payment] = payments.json()["items"]
        assert (payment["status"], payment["refunded_amount"]) == ("refunded", 5000)
        seats = (await client.get(f"{services.booking_service}/events/{event['id']}/availability")).json()
        assert (seats["sold"], seats["held"], seats["available"], seats["on_sale"]) == (0, 0, 40, False)
        booking_now = await client.get(
            f"{services.booking_service}/bookings/{booking['id']}", headers=attendee
        )
        assert booking_now.json()["status"] == "cancelled"

        # The attendee's history holds what arrived live, in the same order (newest first).
        history = await client.get(
            f"{services.notification_service}/notifications", params={"limit": 100}, headers=attendee
        )
        items = history.json()["items"]
        assert [item["id"] for item in items if item["id"] in live_ids] == list(reversed(live_ids))
        # Older than the socket: the announcement of the new event, sent to everyone.
        assert {item["type"] for item in items if item["id"] not in live_ids} == {"event.created"}
        assert {
            "booking.confirmed",
            "event.updated",
            "event.cancelled",
            "booking.cancelled",
            "payment.refunded",
        } <= {item["type"] for item in history.json()["items"]}
