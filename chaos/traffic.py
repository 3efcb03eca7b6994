"""The load of a chaos run: bookings (one-step, and hold then pay), cancellations and event changes,
each request timed and its outcome kept for the report."""

import asyncio
import random
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from chaos.cluster import Cluster
from tests.accounts import Account
from tests.event_service.conftest import event_body

# A card declined now and then, so that failures travel through the faults too.
DECLINED_EVERY = 10
TIMEOUT_SECONDS = 15.0
# A client answered 5xx or not at all tries again after this long, as a person or an app would.
BACKOFF_SECONDS = 0.5


@dataclass(frozen=True)
class Call:
    at: float  # monotonic start
    seconds: float
    status: int  # 0 when no answer came (connection refused, dropped or timed out)
    kind: str

    @property
    def failed(self) -> bool:
        """The platform failed the caller: no answer, or a 5xx. A sold-out 409 or a declined 402 is
        an answer."""
        return self.status == 0 or self.status >= 500


@dataclass
class Load:
    organizer: Account
    buyers: list[Account]
    events: list[dict[str, Any]] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)


async def _timed(load: Load, kind: str, request: Any) -> httpx.Response | None:
    started = time.monotonic()
    try:
        response = await request
    except httpx.TransportError:
        load.calls.append(Call(started, time.monotonic() - started, 0, kind))
        await asyncio.sleep(BACKOFF_SECONDS)  # the client's pace after a failure
        return None
    call = Call(started, time.monotonic() - started, response.status_code, kind)
    load.calls.append(call)
    if call.failed:
        await asyncio.sleep(BACKOFF_SECONDS)  # the client's pace after a failure
    return response


def httpx_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=TIMEOUT_SECONDS)


async def create_events(
    client: httpx.AsyncClient, cluster: Cluster, load: Load, *, count: int, capacity: int
) -> None:
    """Publishes `count` events of `capacity` seats, retried until each is created."""
    for number in range(count):
        body = event_body(title=f"Chaos Night {number}", capacity=capacity, max_tickets_per_booking=2)
        while True:
            response = await _timed(
                load,
                "create",
                client.post(
                    f"{cluster.urls['event_service']}/events", json=body, headers=load.organizer.headers
                ),
            )
            if response is not None and response.status_code == 201:
                load.events.append(response.json())
                break


async def _book_once(client: httpx.AsyncClient, cluster: Cluster, load: Load, number: int) -> None:
    buyer = random.choice(load.buyers)
    event = random.choice(load.events)
    method = "pm_card_chargeDeclined" if number % DECLINED_EVERY == 0 else "pm_card_visa"
    body = {"event_id": event["id"], "tickets": random.choice((1, 2)), "payment_method": method}
    url = f"{cluster.urls['booking_service']}/bookings"
    if number % 2:
        response = await _timed(load, "book", client.post(url, json=body, headers=buyer.headers))
    else:
        held = await _timed(
            load, "hold", client.post(url, json={**body, "hold": True}, headers=buyer.headers)
        )
        if held is None or held.status_code != 201:
            return
        booking_id = held.json()["id"]
        response = await _timed(
            load,
            "pay",
            client.post(f"{url}/{booking_id}/pay", json={"payment_method": method}, headers=buyer.headers),
        )
    # One confirmed booking in five is cancelled again, so refunds are in the accounts too.
    if response is not None and response.status_code in (200, 201) and random.random() < 0.2:
        booking = response.json()
        if booking["status"] == "confirmed":
            await _timed(load, "cancel", client.post(f"{url}/{booking['id']}/cancel", headers=buyer.headers))


async def book_until(cluster: Cluster, load: Load, *, stop: asyncio.Event, concurrency: int) -> None:
    """Books with `concurrency` clients until `stop` is set."""
    counter = iter(range(10**9))

    async def client_loop() -> None:
        async with httpx_client() as client:
            while not stop.is_set():
                await _book_once(client, cluster, load, next(counter))

    await asyncio.gather(*(client_loop() for _ in range(concurrency)))


async def change_events_until(cluster: Cluster, load: Load, *, stop: asyncio.Event, every: float) -> None:
    """Changes an event's description every `every` seconds (its attendees are told) until `stop`."""
    async with httpx_client() as client:
        number = 0
        while not stop.is_set():
            number += 1
            event = random.choice(load.events)
            await _timed(
                load,
                "change",
                client.patch(
                    f"{cluster.urls['event_service']}/events/{event['id']}",
                    json={"description": f"Programme change {number}"},
                    headers=load.organizer.headers,
                ),
            )
            # The pace of the changes, not a wait for anything to happen.
            try:
                await asyncio.wait_for(stop.wait(), every)
            except TimeoutError:
                pass
