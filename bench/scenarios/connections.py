"""Connection cost: resident memory of one notification replica per idle WebSocket it holds.

Measured from /proc as the growth of the replica's RSS between a warmed-up start and the moment all
sockets are open and settled, divided by their number.
"""

import asyncio
from dataclasses import asdict, dataclass

from bench.procstat import rss_bytes
from bench.report import Figure, Goal, ScenarioResult, step
from bench.sockets import close_all, open_many
from bench.stack import PlatformStarter

NAME = "connections"
SERVICES = ("user_service", "notification_service")
# Sockets opened and closed before the baseline, so the code paths and buffers they first need count there.
WARMUP_SOCKETS = 50
SETTLE_SECONDS = 3.0


@dataclass(frozen=True)
class ConnectionParams:
    sockets: int = 10_000
    compression: str | None = "deflate"


async def run(start: PlatformStarter, params: ConnectionParams) -> ScenarioResult:
    async with start(SERVICES) as platform:
        pid = platform.pids.get("notification_service")
        if pid is None:
            raise ValueError("Reading the replica's memory needs its process id: pass --notification-pid")
        warm = await open_many(
            NAME,
            [platform.ws_url(user.token) for user in platform.minter.accounts(WARMUP_SOCKETS)],
            compression=params.compression,
        )
        await close_all(warm)
        await asyncio.sleep(SETTLE_SECONDS)
        before = rss_bytes(pid)
        step(NAME, f"replica at {before / 2**20:.1f} MiB; opening {params.sockets:,} sockets")
        urls = [platform.ws_url(user.token) for user in platform.minter.accounts(params.sockets)]
        listeners = await open_many(NAME, urls, compression=params.compression)
        await asyncio.sleep(SETTLE_SECONDS)
        after = rss_bytes(pid)
        still_open = sum(listener.is_open for listener in listeners)
        step(NAME, f"replica at {after / 2**20:.1f} MiB with {still_open:,} sockets open")
        await close_all(listeners)

    per_socket_kb = (after - before) / params.sockets / 1024
    return ScenarioResult(
        name=NAME,
        parameters=asdict(params),
        figures=[
            Figure("memory per socket", per_socket_kb, "KB", Goal("<=", 25)),
            Figure("replica RSS with sockets", after / 2**20, "MiB"),
            Figure("sockets open", still_open, "", Goal("==", params.sockets)),
        ],
        details={"rss_before_bytes": before, "rss_after_bytes": after},
    )
