"""Fan-out: K attendees of one event with their sockets open; from the `PATCH /events/{id}` answer until
the last socket has its `event.updated` frame.

The notification service learns attendees from `booking.confirmed` messages, so the bench publishes
one per synthetic attendee to the run's exchange instead of making K real bookings; the event and
its change go through the event service. Each K gets a fresh platform, so stores start empty.
"""

import asyncio
import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import httpx

from bench.api import create_event
from bench.report import Figure, Goal, ScenarioResult, step
from bench.sockets import Frame, Listener, Match, close_all, open_many, wait_all
from bench.stack import Platform, PlatformStarter
from bench.stats import summary
from shared.messages import BookingConfirmed
from shared.messaging import Broker, build_envelope
from tests.accounts import Account
from tests.backends import RABBITMQ_URL, queued_messages

NAME = "fanout"
SERVICES = ("user_service", "event_service", "notification_service")
PUBLISH_CONCURRENCY = 200
GOAL_ATTENDEES = 10_000
GOAL_MS = 1000


@dataclass(frozen=True)
class FanoutParams:
    attendees: tuple[int, ...] = (1000, 10_000)
    compression: str | None = "deflate"
    # How long each wait may last: consuming K `booking.confirmed` messages is only set-up, but it
    # and a fan-out far off its goal can take minutes at large K.
    wait_timeout: float = 1800.0


async def publish_attendance(platform: Platform, event: dict[str, Any], attendees: Sequence[Account]) -> None:
    broker = Broker(url=RABBITMQ_URL, exchange_name=platform.exchange)
    await broker.start()
    try:
        await asyncio.wait_for(broker.connected.wait(), 30)
        gate = asyncio.Semaphore(PUBLISH_CONCURRENCY)

        async def publish(attendee: Account) -> None:
            message = BookingConfirmed(
                booking_id=str(uuid.uuid4()),
                user_id=attendee.id,
                event_id=event["id"],
                event_title=event["title"],
                event_owner_id=event["owner_id"],
                tickets=1,
                amount=event["price"],
                currency=event["currency"],
                payment_id=str(uuid.uuid4()),
            )
            async with gate:
                await broker.publish(build_envelope("bench", message))

        await asyncio.gather(*(publish(attendee) for attendee in attendees))
    finally:
        await broker.close()


def of_event(kind: str, event_id: str) -> Match:
    """Matches the frames of `kind` about the event."""

    def matches(frame: Frame) -> bool:
        return frame["type"] == kind and frame["data"]["event_id"] == event_id

    return matches


async def attend_then_change(
    label: str,
    platform: Platform,
    client: httpx.AsyncClient,
    organizer: Account,
    event: dict[str, Any],
    attendees: Sequence[Account],
    listeners: Sequence[Listener],
    *,
    timeout: float,
) -> tuple[list[float], float]:
    """Makes `attendees` (whose sockets are `listeners`) attendees of `event`, each socket with its
    booking's frame, then changes the event's venue as its `organizer`; returns each socket's
    milliseconds from the change's answer to its `event.updated` frame, and the set-up's seconds."""
    began = time.perf_counter()
    await publish_attendance(platform, event, attendees)
    await wait_all(NAME, listeners, of_event("booking.confirmed", event["id"]), timeout=timeout)
    setup_seconds = time.perf_counter() - began
    step(NAME, f"{label}: every attendee known after {setup_seconds:.1f}s")
    backlog = sum((await queued_messages(platform.queues)).values())
    step(NAME, f"{label}: {backlog:,} messages still queued; changing the venue")
    response = await client.patch(
        f"{platform.urls['event_service']}/events/{event['id']}",
        headers=organizer.headers,
        json={"venue": "Bench Hall, Room 2"},
    )
    answered = time.perf_counter()
    response.raise_for_status()
    arrivals = await wait_all(NAME, listeners, of_event("event.updated", event["id"]), timeout=timeout)
    return [(arrival - answered) * 1000 for arrival in arrivals], setup_seconds


async def _fan_out(
    start: PlatformStarter, attendees: int, params: FanoutParams
) -> tuple[list[Figure], dict[str, Any]]:
    async with start(SERVICES) as platform, httpx.AsyncClient(timeout=60) as client:
        organizer = platform.minter.account("organizer")
        event = await create_event(client, platform, organizer, capacity=attendees, title="Fan-out")
        users = platform.minter.accounts(attendees)
        step(NAME, f"K={attendees:,}: opening sockets")
        listeners = await open_many(
            NAME, [platform.ws_url(user.token) for user in users], compression=params.compression
        )
        label = f"K={attendees:,}"
        delays, setup_seconds = await attend_then_change(
            label, platform, client, organizer, event, users, listeners, timeout=params.wait_timeout
        )
        await close_all(listeners)

    goal = Goal("<", GOAL_MS) if attendees == GOAL_ATTENDEES else None
    figures = [Figure(f"K={attendees:,} last frame", max(delays), "ms", goal)]
    details = {
        "delay_ms": summary(delays),
        "setup_seconds": setup_seconds,
        "booking_messages_per_second": attendees / setup_seconds,
    }
    return figures, details


async def run(start: PlatformStarter, params: FanoutParams) -> ScenarioResult:
    result = ScenarioResult(name=NAME, parameters=asdict(params))
    for attendees in params.attendees:
        figures, details = await _fan_out(start, attendees, params)
        result.figures.extend(figures)
        result.details[f"K={attendees}"] = details
    return result
