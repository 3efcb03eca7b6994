"""Booking under contention: N attempts by as many buyers for one event of capacity C, over real HTTP.

Confirmed bookings per second counts the confirmations over the time until the last of them, so the
quick sold-out answers that follow do not inflate or dilute it. Overselling is judged by what the
booking service stored, not only by what it answered. Each client is one keep-alive connection on raw
streams, so the clients leave the services sharing their machine most of its CPU.
"""

import asyncio
import os
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import asdict, dataclass
from typing import Any

import asyncpg
import httpx

from bench.api import KeepAliveConnection, book, book_over, create_event
from bench.procstat import CpuMeter
from bench.report import Figure, Goal, ScenarioResult, step
from bench.stack import Platform, PlatformStarter
from bench.stats import percentile, summary
from tests.accounts import Account
from tests.backends import POSTGRES_ADMIN_DSN

NAME = "booking"
SERVICES = ("user_service", "event_service", "booking_service", "payment_service")
WARMUP_BOOKINGS = 10
PROGRESS_EVERY = 250


@dataclass(frozen=True)
class BookingParams:
    bookings: int = 1000
    capacity: int = 300
    clients: int = 32


@dataclass(frozen=True)
class Attempt:
    status: int
    latency: float
    finished: float  # seconds since the first attempt started


async def warm_up(client: httpx.AsyncClient, platform: Platform, organizer: Account, *, name: str) -> None:
    """Books another event first: the first calls pay for connections, keys and the service token."""
    step(name, f"warming up with {WARMUP_BOOKINGS} bookings")
    warmup = await create_event(client, platform, organizer, capacity=WARMUP_BOOKINGS, title="Warm-up")
    for buyer in platform.minter.accounts(WARMUP_BOOKINGS):
        (await book(client, platform, buyer, warmup["id"])).raise_for_status()


def selling_rate(attempts: list[Attempt], sold: int) -> float:
    """Returns confirmed bookings per second until the last of them (`sold`: the answer that confirms)."""
    confirmed = [attempt.finished for attempt in attempts if attempt.status == sold]
    return len(confirmed) / max(confirmed) if confirmed else float("nan")


def answers_by_status(attempts: list[Attempt]) -> dict[str, int]:
    """Returns how many attempts got each status."""
    return dict(Counter(str(attempt.status) for attempt in attempts))


# One buyer's attempt over a connection; returns the status that tells whether they got their tickets.
Buy = Callable[[KeepAliveConnection, Account], Awaitable[int]]


async def contend(
    platform: Platform, buyers: list[Account], clients: int, buy: Buy, *, name: str = NAME
) -> list[Attempt]:
    """Runs every buyer's attempt, `clients` at a time, each client on one keep-alive connection."""
    waiting: asyncio.Queue[Account] = asyncio.Queue()
    for buyer in buyers:
        waiting.put_nowait(buyer)
    attempts: list[Attempt] = []
    connections = [KeepAliveConnection(platform.urls["booking_service"]) for _ in range(clients)]
    async with AsyncExitStack() as stack:
        for connection in connections:
            await stack.enter_async_context(connection)
        started = time.perf_counter()

        async def client_loop(connection: KeepAliveConnection) -> None:
            while not waiting.empty():
                buyer = waiting.get_nowait()
                sent = time.perf_counter()
                status = await buy(connection, buyer)
                done = time.perf_counter()
                attempts.append(Attempt(status, done - sent, done - started))
                if len(attempts) % PROGRESS_EVERY == 0:
                    step(name, f"{len(attempts):,}/{len(buyers):,} attempts answered")

        await asyncio.gather(*(client_loop(connection) for connection in connections))
    return attempts


async def sessions_opened(platform: Platform) -> int | None:
    """PostgreSQL sessions opened so far on the booking service's database (None when not known): each
    new pooled connection costs a backend, and the first use of every statement on it a prepare."""
    database = platform.databases.get("booking_service")
    if database is None:
        return None
    connection = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        return await connection.fetchval("SELECT sessions FROM pg_stat_database WHERE datname = $1", database)
    finally:
        await connection.close()


async def stored_sales(client: httpx.AsyncClient, platform: Platform, event_id: str) -> tuple[int, int]:
    """Returns the seats the booking service counts as sold, and the confirmed bookings it holds."""
    bookings = platform.urls["booking_service"]
    seats = (await client.get(f"{bookings}/events/{event_id}/availability")).json()
    admin = platform.minter.account("admin")
    page = await client.get(
        f"{bookings}/bookings",
        params={"event_id": event_id, "status": "confirmed", "limit": 1},
        headers=admin.headers,
    )
    page.raise_for_status()
    return seats["sold"], page.json()["total"]


def setup_client(clients: int) -> httpx.AsyncClient:
    """The client that sets a scenario up and reads its outcome, beside the contending connections."""
    return httpx.AsyncClient(
        timeout=60, limits=httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    )


async def event_on_sale(
    client: httpx.AsyncClient, platform: Platform, organizer: Account, *, capacity: int, title: str
) -> dict[str, Any]:
    """Publishes an event the booking service knows before the clock starts, as an event on sale for
    a while would be."""
    event = await create_event(client, platform, organizer, capacity=capacity, title=title)
    (
        await client.get(f"{platform.urls['booking_service']}/events/{event['id']}/availability")
    ).raise_for_status()
    return event


async def run(start: PlatformStarter, params: BookingParams) -> ScenarioResult:
    async with start(SERVICES) as platform, setup_client(params.clients) as client:
        organizer = platform.minter.account("organizer")
        await warm_up(client, platform, organizer, name=NAME)
        event = await event_on_sale(client, platform, organizer, capacity=params.capacity, title="Contended")
        buyers = platform.minter.accounts(params.bookings)
        step(NAME, f"{params.bookings:,} attempts for {params.capacity:,} seats, {params.clients} clients")
        processes = {**platform.pids, "bench": os.getpid()}
        meter = CpuMeter(processes)
        sessions_before = await sessions_opened(platform)
        attempts = await contend(
            platform, buyers, params.clients, lambda over, buyer: book_over(over, buyer, event["id"])
        )
        cpu = meter.used()
        sessions = await sessions_opened(platform)
        sold, stored = await stored_sales(client, platform, event["id"])

    confirmed = [attempt for attempt in attempts if attempt.status == 201]
    unexpected = [attempt for attempt in attempts if attempt.status not in (201, 409)]
    selling_time = max((attempt.finished for attempt in confirmed), default=float("nan"))
    latencies = [attempt.latency * 1000 for attempt in attempts]
    expected = min(params.bookings, params.capacity)
    oversold = max(0, max(len(confirmed), sold, stored) - params.capacity)
    return ScenarioResult(
        name=NAME,
        parameters=asdict(params),
        figures=[
            Figure("confirmed bookings/s", selling_rate(attempts, 201), "/s", Goal(">=", 300)),
            Figure("latency p50", percentile(latencies, 50), "ms"),
            Figure("latency p99", percentile(latencies, 99), "ms", Goal("<", 200)),
            Figure("oversold seats", oversold, "", Goal("==", 0)),
            Figure("confirmed", len(confirmed), "", Goal("==", expected)),
            Figure("unexpected answers", len(unexpected), "", Goal("==", 0)),
        ],
        details={
            "answers": answers_by_status(attempts),
            "seconds_until_last_confirmation": selling_time,
            "seconds_total": max(attempt.finished for attempt in attempts),
            "latency_ms": summary(latencies),
            "confirmed_latency_ms": summary([attempt.latency * 1000 for attempt in confirmed]),
            "sold_seats_stored": sold,
            "confirmed_bookings_stored": stored,
            # Where the machine's time went: CPU milliseconds each service spent per attempt.
            "cpu_ms_per_attempt": {name: seconds * 1000 / len(attempts) for name, seconds in cpu.items()},
            # Connections the booking service opened to PostgreSQL during the attempts.
            "database_sessions_opened": None
            if sessions is None or sessions_before is None
            else sessions - sessions_before,
        },
    )
