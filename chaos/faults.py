"""The fault schedule: one fault every `interval` seconds, in turn a SIGKILL of a replica, a SIGTERM
of another, every broker connection cut, and PostgreSQL cut; each replica started again at once.

The broker and PostgreSQL are cut at a TCP proxy in front of the system servers (open connections
dropped, new ones refused), which the services cannot tell from a restart of the server, while the
machine's own RabbitMQ and PostgreSQL keep serving whatever else runs here.
"""

import asyncio
import random
import time
from dataclasses import dataclass, field

from bench.report import step
from chaos.cluster import Cluster, Replica
from tests.tcp_proxy import TcpProxy

KINDS = ("kill", "term", "broker", "postgres")


@dataclass(frozen=True)
class Fault:
    kind: str
    target: str
    started: float  # monotonic
    ended: float  # when the replica was ready again, or the proxy restored


@dataclass
class Schedule:
    interval: tuple[float, float]  # seconds between faults, drawn uniformly
    cut_seconds: tuple[float, float]  # how long a broker or PostgreSQL cut lasts
    limit: int | None = None  # faults to inject at most
    faults: list[Fault] = field(default_factory=list)


def _victim(cluster: Cluster) -> Replica:
    """A replica of a service that has others: one alone is an outage, not a replica's fault."""
    return random.choice(
        [replica for group in cluster.replicas.values() if len(group) > 1 for replica in group]
    )


async def _restart(replica: Replica, *, kill: bool) -> None:
    await (replica.kill() if kill else replica.terminate())
    await replica.start()


async def _cut(proxy: TcpProxy, seconds: float) -> None:
    await proxy.stop()
    # The cut's length is the fault itself.
    await asyncio.sleep(seconds)
    await proxy.start()


async def inject(cluster: Cluster, schedule: Schedule, kind: str) -> Fault:
    started = time.monotonic()
    if kind in ("kill", "term"):
        last = schedule.faults[-1].target if schedule.faults else None
        replica = _victim(cluster)
        while replica.name == last:  # another one than the fault before
            replica = _victim(cluster)
        target = replica.name
        await _restart(replica, kill=kind == "kill")
    else:
        proxy = cluster.broker if kind == "broker" else cluster.postgres
        target = "rabbitmq" if kind == "broker" else "postgresql"
        await _cut(proxy, random.uniform(*schedule.cut_seconds))
    fault = Fault(kind, target, started, time.monotonic())
    step("chaos", f"{kind} {target}: back after {fault.ended - fault.started:.1f}s")
    return fault


async def run_until(cluster: Cluster, schedule: Schedule, *, stop: asyncio.Event) -> None:
    """Injects the faults in turn, one per interval, until `stop` is set (or `limit` are done, which
    sets it); the one under way finishes."""
    turn = 0
    while schedule.limit is None or turn < schedule.limit:
        try:
            await asyncio.wait_for(stop.wait(), random.uniform(*schedule.interval))
            return
        except TimeoutError:
            pass
        schedule.faults.append(await inject(cluster, schedule, KINDS[turn % len(KINDS)]))
        turn += 1
    stop.set()
