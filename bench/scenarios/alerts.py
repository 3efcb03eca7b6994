"""Live alert latency: from the `POST /bookings` answer to the booker's `booking.confirmed` frame.

Idle sockets stay connected throughout, so the replica delivers with the crowd it would hold. Each
booking has its own booker, whose socket is opened before it books; bookings go one at a time so the
figure is the path's latency, not a queue's.
"""

import asyncio
import time
from dataclasses import asdict, dataclass

import httpx

from bench.api import book, create_event
from bench.report import Figure, Goal, ScenarioResult, step
from bench.sockets import Frame, Listener, close_all, open_many
from bench.stack import Platform, PlatformStarter
from bench.stats import percentile, summary

NAME = "alerts"
SERVICES = ("user_service", "event_service", "booking_service", "payment_service", "notification_service")
WARMUP_BOOKINGS = 5
FRAME_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class AlertParams:
    idle_sockets: int = 10_000
    alerts: int = 500
    compression: str | None = "deflate"


async def _announced_event(client: httpx.AsyncClient, platform: Platform, params: AlertParams) -> str:
    """Creates the event and waits for its announcement to everyone, so no idle socket gets it later."""
    # The probe connects first: the announcement is pushed only to sockets open when it is stored.
    probe = await Listener.open(
        platform.ws_url(platform.minter.account().token), compression=params.compression
    )
    try:
        organizer = platform.minter.account("organizer")
        capacity = WARMUP_BOOKINGS + params.alerts
        event = await create_event(client, platform, organizer, capacity=capacity, title="Live alerts")
        event_id: str = event["id"]
        async with asyncio.timeout(FRAME_TIMEOUT_SECONDS):
            await probe.wait_for(
                lambda frame: frame["type"] == "event.created" and frame["data"]["event_id"] == event_id
            )
        return event_id
    finally:
        await probe.close()


async def _one_alert(
    client: httpx.AsyncClient, platform: Platform, event_id: str, params: AlertParams
) -> float:
    """Books as a new buyer with a socket open; returns seconds from the answer to the frame."""
    buyer = platform.minter.account()
    listener = await Listener.open(platform.ws_url(buyer.token), compression=params.compression)
    try:
        response = await book(client, platform, buyer, event_id)
        answered = time.perf_counter()
        response.raise_for_status()
        booking_id = response.json()["id"]

        def confirmed(frame: Frame) -> bool:
            return frame["type"] == "booking.confirmed" and frame["data"]["booking_id"] == booking_id

        async with asyncio.timeout(FRAME_TIMEOUT_SECONDS):
            return await listener.wait_for(confirmed) - answered
    finally:
        await listener.close()


async def run(start: PlatformStarter, params: AlertParams) -> ScenarioResult:
    async with start(SERVICES) as platform, httpx.AsyncClient(timeout=60) as client:
        event_id = await _announced_event(client, platform, params)
        step(NAME, f"opening {params.idle_sockets:,} idle sockets")
        idle_users = platform.minter.accounts(params.idle_sockets)
        idle = await open_many(
            NAME, [platform.ws_url(user.token) for user in idle_users], compression=params.compression
        )
        step(NAME, f"{WARMUP_BOOKINGS} warm-up bookings, then {params.alerts:,} measured, one at a time")
        for _ in range(WARMUP_BOOKINGS):
            await _one_alert(client, platform, event_id, params)
        latencies: list[float] = []
        for index in range(params.alerts):
            latencies.append(await _one_alert(client, platform, event_id, params) * 1000)
            if (index + 1) % 100 == 0:
                step(NAME, f"{index + 1:,}/{params.alerts:,} alerts")
        still_open = sum(listener.is_open for listener in idle)
        await close_all(idle)

    return ScenarioResult(
        name=NAME,
        parameters=asdict(params),
        figures=[
            Figure("alert latency p50", percentile(latencies, 50), "ms", Goal("<", 10)),
            Figure("alert latency p99", percentile(latencies, 99), "ms", Goal("<", 25)),
            Figure("idle sockets still open", still_open, "", Goal("==", params.idle_sockets)),
        ],
        details={"latency_ms": summary(latencies)},
    )
