"""HTTP client cost: the booking service's hand-written client against aiohttp's, CPU per call.

The hand-written client (`booking_service.upstream.Upstream`) exists because httpx cost ~0.6 ms of
CPU per call; it stays only while aiohttp, the usual asyncio client, costs more than 1.25 times
its CPU per call. Both make the booking service's calls to the real services, as many of each: the
event read (`GET /events/{id}` with the request id) and the charge (`POST /payments` as JSON, with
the service token and a new booking's id as idempotency key). Each is set up as the booking service
sets its own: one pool per service of `UPSTREAM_CONNECTIONS` keep-alive connections dropped after
`UPSTREAM_IDLE_SECONDS` idle, the payment timeout over the whole call, no redirects; each reads the
whole answer. Headers and bodies are made before the clock starts: they cost both the same.

The figure is this process's CPU time per call (the services run in processes of their own). Both
clients run in every round, alternating which goes first, and each keeps its best round.
"""

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import aiohttp
import httpx

from bench.api import create_event
from bench.report import Figure, Goal, ScenarioResult, step
from bench.stack import Platform, PlatformStarter
from booking_service.main import UPSTREAM_CONNECTIONS, UPSTREAM_IDLE_SECONDS
from booking_service.settings import BookingSettings
from booking_service.upstream import Upstream
from tests.accounts import bearer
from user_service.service import issue_service_token

NAME = "clients"
SERVICES = ("user_service", "event_service", "payment_service")
ROUNDS = 3
WARMUP_CALLS = 400
# The hand-written client stays only if aiohttp's CPU per call is above this many times its own.
KEEP_ABOVE_RATIO = 1.25
HAND_WRITTEN, AIOHTTP = "hand-written", "aiohttp"
EXPECTED_STATUS = {"GET": 200, "POST": 201}


@dataclass(frozen=True)
class ClientParams:
    calls: int = 5000
    concurrency: int = 16


@dataclass(frozen=True)
class Call:
    """One call as the booking service makes it: to which service, its headers, a charge's body."""

    service: str
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any] | None = None


@dataclass
class Pass:
    """Calls of one kind by one client in one round: CPU and wall time, answers by status."""

    cpu_seconds: float = 0.0
    seconds: float = 0.0
    statuses: Counter[int] = field(default_factory=Counter)
    unexpected: int = 0

    @property
    def calls(self) -> int:
        return self.statuses.total()


# A client's passes in one round, by kind of call.
Round = dict[str, Pass]


class Client(Protocol):
    async def send(self, call: Call) -> int:
        """Makes the call and reads the whole answer; returns its status."""
        ...


class HandWritten:
    """The booking service's own client, an `Upstream` per service."""

    def __init__(self, upstreams: dict[str, Upstream]) -> None:
        self._upstreams = upstreams

    async def send(self, call: Call) -> int:
        upstream = self._upstreams[call.service]
        response = await upstream.request(call.method, call.path, headers=call.headers, json_body=call.body)
        return response.status


class Aiohttp:
    """aiohttp as a service would set it up for the same calls: a session, and its pool, per service."""

    def __init__(self, sessions: dict[str, aiohttp.ClientSession]) -> None:
        self._sessions = sessions

    async def send(self, call: Call) -> int:
        async with self._sessions[call.service].request(
            call.method, call.path, headers=call.headers, json=call.body, allow_redirects=False
        ) as response:
            await response.read()
            return response.status


def _upstream(url: str, settings: BookingSettings) -> Upstream:
    """An `Upstream` made as `booking_service.main` makes its own."""
    return Upstream(
        url,
        connections=UPSTREAM_CONNECTIONS,
        timeout=settings.payment_timeout_seconds,
        idle_seconds=UPSTREAM_IDLE_SECONDS,
    )


def _session(url: str, settings: BookingSettings) -> aiohttp.ClientSession:
    """A session with the connection limit, idle limit and timeout of the booking service's `Upstream`."""
    connector = aiohttp.TCPConnector(limit=UPSTREAM_CONNECTIONS, keepalive_timeout=UPSTREAM_IDLE_SECONDS)
    timeout = aiohttp.ClientTimeout(total=settings.payment_timeout_seconds)
    return aiohttp.ClientSession(base_url=url, connector=connector, timeout=timeout)


def _service_token(platform: Platform, settings: BookingSettings) -> dict[str, str]:
    """The booking service's Authorization header: a token as the user service issues it to the service."""
    # Signed here, as every bench token is, so running services need no client secret.
    token = issue_service_token(
        platform.minter.key, platform.minter.settings, client_id=settings.service_client_id
    )
    return bearer(token.access_token)


def _event_reads(count: int, event_id: str) -> list[Call]:
    """`count` reads of the event, as `EventClient.fetch` makes them while handling a request."""
    return [
        Call("events", "GET", f"/events/{event_id}", {"X-Request-ID": uuid.uuid4().hex}) for _ in range(count)
    ]


def _charges(count: int, event: dict[str, Any], buyer_id: str, token: dict[str, str]) -> list[Call]:
    """`count` charges for new bookings, as `PaymentClient.charge` makes them."""
    calls = []
    for _ in range(count):
        booking_id = str(uuid.uuid4())
        headers = {"Idempotency-Key": booking_id, "X-Request-ID": uuid.uuid4().hex, **token}
        body = {
            "booking_id": booking_id,
            "user_id": buyer_id,
            "amount": event["price"],
            "currency": event["currency"],
            "payment_method": "pm_card_visa",
        }
        calls.append(Call("payments", "POST", "/payments", headers, body))
    return calls


async def _drive(client: Client, calls: Sequence[Call], concurrency: int) -> Pass:
    """Makes `calls` through `client`, `concurrency` at a time."""
    pending = iter(calls)
    result = Pass()

    async def worker() -> None:
        for call in pending:
            status = await client.send(call)
            result.statuses[status] += 1
            result.unexpected += status != EXPECTED_STATUS[call.method]

    cpu, began = time.process_time(), time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    result.cpu_seconds = time.process_time() - cpu
    result.seconds = time.perf_counter() - began
    return result


def _cpu_us_per_call(round_: Round) -> float:
    return sum(one.cpu_seconds for one in round_.values()) * 1e6 / sum(one.calls for one in round_.values())


def _calls_per_second(round_: Round) -> float:
    return sum(one.calls for one in round_.values()) / sum(one.seconds for one in round_.values())


async def _round(client: Client, calls: dict[str, list[Call]], concurrency: int) -> Round:
    """Makes each kind of call in turn; returns a pass per kind."""
    return {kind: await _drive(client, made, concurrency) for kind, made in calls.items()}


def _verdict(ratio: float) -> str:
    figure = f"aiohttp costs {ratio:.2f}x the CPU per call"
    if ratio > KEEP_ABOVE_RATIO:
        return f"{figure}, above {KEEP_ABOVE_RATIO:g}x: keep the hand-written client"
    return f"{figure}, not above {KEEP_ABOVE_RATIO:g}x: switch to aiohttp"


async def _measure(
    clients: dict[str, Client], calls: Callable[[int], dict[str, list[Call]]], params: ClientParams
) -> dict[str, list[Round]]:
    """Warms each client up, then runs them in alternating rounds; returns their rounds by client."""
    for name, client in clients.items():
        step(NAME, f"warming up {name}: {WARMUP_CALLS} calls of each kind")
        await _round(client, calls(WARMUP_CALLS), params.concurrency)
    rounds: dict[str, list[Round]] = {name: [] for name in clients}
    for index in range(ROUNDS):
        # Each goes first in turn, so neither always runs after the same neighbour's load.
        for name in list(clients) if index % 2 == 0 else list(reversed(clients)):
            made = await _round(clients[name], calls(params.calls // 2), params.concurrency)
            rounds[name].append(made)
            step(
                NAME,
                f"round {index + 1}/{ROUNDS}: {name} {_cpu_us_per_call(made):.0f} µs CPU per call, "
                f"{_calls_per_second(made):,.0f} calls/s",
            )
    return rounds


async def run(start: PlatformStarter, params: ClientParams) -> ScenarioResult:
    settings = BookingSettings(_env_file=None)
    async with start(SERVICES) as platform:
        async with httpx.AsyncClient(timeout=60) as setup:
            organizer = platform.minter.account("organizer")
            event = await create_event(setup, platform, organizer, capacity=100, title="Clients")
        token = _service_token(platform, settings)
        buyer_id = platform.minter.account().id

        def calls(count: int) -> dict[str, list[Call]]:
            """`count` calls of each kind, new ones each time: every charge is for a new booking."""
            return {
                "event read": _event_reads(count, event["id"]),
                "charge": _charges(count, event, buyer_id, token),
            }

        urls = {"events": platform.urls["event_service"], "payments": platform.urls["payment_service"]}
        upstreams = {name: _upstream(url, settings) for name, url in urls.items()}
        sessions = {name: _session(url, settings) for name, url in urls.items()}
        try:
            clients: dict[str, Client] = {HAND_WRITTEN: HandWritten(upstreams), AIOHTTP: Aiohttp(sessions)}
            rounds = await _measure(clients, calls, params)
        finally:
            for upstream in upstreams.values():
                await upstream.close()
            for session in sessions.values():
                await session.close()
    return _result(params, rounds)


def _result(params: ClientParams, rounds: dict[str, list[Round]]) -> ScenarioResult:
    cpu = {name: min(_cpu_us_per_call(one) for one in made) for name, made in rounds.items()}
    rate = {name: max(_calls_per_second(one) for one in made) for name, made in rounds.items()}
    ratio = cpu[AIOHTTP] / cpu[HAND_WRITTEN]
    unexpected = sum(one.unexpected for made in rounds.values() for passes in made for one in passes.values())
    verdict = _verdict(ratio)
    step(NAME, verdict)
    return ScenarioResult(
        name=NAME,
        parameters=asdict(params),
        figures=[
            Figure("hand-written CPU per call", cpu[HAND_WRITTEN], "us"),
            Figure("aiohttp CPU per call", cpu[AIOHTTP], "us"),
            # No goal: the rule reads it (above KEEP_ABOVE_RATIO keeps the hand-written client).
            Figure("aiohttp / hand-written CPU per call", ratio),
            Figure("hand-written calls", rate[HAND_WRITTEN], "/s"),
            Figure("aiohttp calls", rate[AIOHTTP], "/s"),
            Figure("unexpected answers", unexpected, "", Goal("==", 0)),
        ],
        details={
            "rule": verdict,
            "keep_hand_written_above_ratio": KEEP_ABOVE_RATIO,
            # Per round and kind of call, to see which call the difference comes from.
            "rounds": {
                name: [
                    {
                        kind: {
                            "cpu_us_per_call": one.cpu_seconds * 1e6 / one.calls,
                            "calls_per_second": one.calls / one.seconds,
                            "statuses": dict(one.statuses),
                        }
                        for kind, one in passes.items()
                    }
                    for passes in made
                ]
                for name, made in rounds.items()
            },
        },
    )
