"""Against a peer: the notification service beside a python-socketio server (`bench.peer_socketio`), the
usual Python choice for live alerts, on the same fan-out and the same idle sockets, in the same run.

For each server in turn, with only that server consuming the run's exchange: N idle sockets are opened
and its RSS growth per socket read as `connections` reads it; then K sockets are opened, their users made
attendees of one event by a `booking.confirmed` each (as `fanout` does: every socket has its booking's
frame before the change), the event changed through the event service, and the time taken from the
`PATCH` answer to the last socket's `event.updated` frame. Both are driven by the same WebSocket client
and `Listener` bookkeeping (bench/socketio_client.py speaks Engine.IO over it), offer the same
compression, verify tokens the same way, and send frames of the same shape and text.
"""

import asyncio
import math
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import httpx

from bench.api import create_event
from bench.procstat import rss_bytes
from bench.report import Figure, Goal, ScenarioResult, step
from bench.scenarios.connections import SETTLE_SECONDS, WARMUP_SOCKETS
from bench.scenarios.fanout import attend_then_change
from bench.socketio_client import join_many, socketio_url
from bench.sockets import Listener, close_all, open_many
from bench.stack import Platform, PlatformStarter, launched
from bench.stats import summary
from tests.accounts import Account
from tests.backends import RABBITMQ_URL

NAME = "peer"
OURS_SERVICES = ("user_service", "event_service", "notification_service")
# Without the notification service: nothing but the peer handles the messages of its turn.
PEER_SERVICES = ("user_service", "event_service")
GOAL_SPEEDUP = 2.0
GOAL_MEMORY_SHARE = 0.5

SocketOpener = Callable[[Sequence[Account]], Awaitable[Sequence[Listener]]]


@dataclass(frozen=True)
class PeerParams:
    attendees: int = 10_000
    sockets: int = 10_000
    compression: str | None = "deflate"
    # How long each wait may last: as `FanoutParams.wait_timeout`.
    wait_timeout: float = 1800.0


@dataclass(frozen=True)
class LiveServer:
    """One server under test: the process holding the sockets, and how a user's socket is opened."""

    name: str
    pid: int
    open_sockets: SocketOpener


@dataclass(frozen=True)
class Measured:
    last_frame_ms: float
    kb_per_socket: float
    sockets_open: int
    details: dict[str, Any]


async def _memory_per_socket(
    server: LiveServer, platform: Platform, params: PeerParams
) -> tuple[float, int, dict[str, Any]]:
    """Returns the RSS growth per idle socket in KB, and how many of them were still open."""
    await close_all(await server.open_sockets(platform.minter.accounts(WARMUP_SOCKETS)))
    await asyncio.sleep(SETTLE_SECONDS)
    before = rss_bytes(server.pid)
    step(NAME, f"{server.name}: {before / 2**20:.1f} MiB; opening {params.sockets:,} idle sockets")
    listeners = await server.open_sockets(platform.minter.accounts(params.sockets))
    await asyncio.sleep(SETTLE_SECONDS)
    after = rss_bytes(server.pid)
    still_open = sum(listener.is_open for listener in listeners)
    step(NAME, f"{server.name}: {after / 2**20:.1f} MiB with {still_open:,} sockets open")
    await close_all(listeners)
    per_socket_kb = (after - before) / params.sockets / 1024
    return per_socket_kb, still_open, {"rss_before_bytes": before, "rss_after_bytes": after}


async def _fan_out(
    server: LiveServer, platform: Platform, client: httpx.AsyncClient, params: PeerParams
) -> tuple[float, dict[str, Any]]:
    """Returns the milliseconds from the change's answer to the last attendee's frame."""
    organizer = platform.minter.account("organizer")
    event = await create_event(
        client, platform, organizer, capacity=params.attendees, title=f"Fan-out ({server.name})"
    )
    users = platform.minter.accounts(params.attendees)
    step(NAME, f"{server.name}: opening {params.attendees:,} attendees' sockets")
    listeners = await server.open_sockets(users)
    delays, setup_seconds = await attend_then_change(
        server.name, platform, client, organizer, event, users, listeners, timeout=params.wait_timeout
    )
    await close_all(listeners)
    details = {"delay_ms": summary(delays), "setup_seconds": setup_seconds}
    return max(delays), details


async def _measure(server: LiveServer, platform: Platform, params: PeerParams) -> Measured:
    kb_per_socket, still_open, memory = await _memory_per_socket(server, platform, params)
    async with httpx.AsyncClient(timeout=60) as client:
        last_frame_ms, fan_out = await _fan_out(server, platform, client, params)
    step(NAME, f"{server.name}: last frame after {last_frame_ms:,.0f} ms, {kb_per_socket:.1f} KB per socket")
    return Measured(last_frame_ms, kb_per_socket, still_open, {"memory": memory, "fan_out": fan_out})


async def _ours(start: PlatformStarter, params: PeerParams) -> Measured:
    async with start(OURS_SERVICES) as platform:
        pid = platform.pids.get("notification_service")
        if pid is None:
            raise ValueError("Reading the replica's memory needs its process id: pass --notification-pid")

        def open_sockets(users: Sequence[Account]) -> Awaitable[Sequence[Listener]]:
            urls = [platform.ws_url(user.token) for user in users]
            return open_many(NAME, urls, compression=params.compression)

        return await _measure(LiveServer("ours", pid, open_sockets), platform, params)


def _peer_environment(platform: Platform) -> dict[str, str]:
    if "user_service" not in platform.urls:
        raise ValueError("The peer verifies tokens with the user service's JWKS: pass --user-url")
    return {
        "EVENT_EXCHANGE": platform.exchange,
        "RABBITMQ_URL": RABBITMQ_URL,
        "JWKS_URL": f"{platform.urls['user_service']}/.well-known/jwks.json",
    }


async def _peer(start: PlatformStarter, params: PeerParams) -> Measured:
    async with start(PEER_SERVICES) as platform:
        if "notification_service" in platform.urls:  # attached to running services: it cannot be left out
            step(NAME, "peer: the running notification service handles this turn's messages too")
        environment = _peer_environment(platform)
        async with launched("bench.peer_socketio", environment, platform.workdir) as process:
            url = socketio_url(process.url)

            def open_sockets(users: Sequence[Account]) -> Awaitable[Sequence[Listener]]:
                tokens = [user.token for user in users]
                return join_many(NAME, url, tokens, compression=params.compression)

            return await _measure(LiveServer("peer", process.pid, open_sockets), platform, params)


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else math.nan


async def run(start: PlatformStarter, params: PeerParams) -> ScenarioResult:
    ours = await _ours(start, params)
    peer = await _peer(start, params)
    k, n = f"K={params.attendees:,}", f"N={params.sockets:,}"
    speedup = _ratio(peer.last_frame_ms, ours.last_frame_ms)
    memory_share = _ratio(ours.kb_per_socket, peer.kb_per_socket)
    return ScenarioResult(
        name=NAME,
        parameters=asdict(params),
        figures=[
            Figure(f"ours {k} last frame", ours.last_frame_ms, "ms"),
            Figure(f"peer {k} last frame", peer.last_frame_ms, "ms"),
            Figure("last frame, peer/ours", speedup, "", Goal(">=", GOAL_SPEEDUP)),
            Figure(f"ours memory per socket, {n}", ours.kb_per_socket, "KB"),
            Figure(f"peer memory per socket, {n}", peer.kb_per_socket, "KB"),
            Figure("memory per socket, ours/peer", memory_share, "", Goal("<=", GOAL_MEMORY_SHARE)),
            Figure("ours sockets open", ours.sockets_open, "", Goal("==", params.sockets)),
            Figure("peer sockets open", peer.sockets_open, "", Goal("==", params.sockets)),
        ],
        details={"ours": ours.details, "peer": peer.details},
    )
