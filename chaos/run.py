"""`make chaos`: runs the platform in replicas under load and faults for a bounded time, waits until
everything settles, then prints the checks and exits 1 if any failed.

    python -m chaos [--duration 180] [--clients 2000] [--replicas 3]
"""

import argparse
import asyncio
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

from bench.report import step
from chaos import checks, cluster, faults, latency, sockets, traffic
from chaos.checks import Finding

SECONDARY = ("user_service", "payment_service", "checkin_service")
PRIMARY = ("booking_service", "event_service", "notification_service")


@dataclass(frozen=True)
class Scenario:
    duration: float  # seconds of load and faults (a fault under way at the end finishes)
    replicas: dict[str, int]
    clients: int
    booking_concurrency: int
    events: int
    capacity: int
    change_every: float  # seconds between event changes
    fault_interval: tuple[float, float]
    cut_seconds: tuple[float, float]
    fault_limit: int | None = None  # stop the load after this many faults, if before `duration`
    settle_timeout: float = 180.0
    settings: dict[str, dict[str, str]] = field(default_factory=dict)  # by service, over the run's


@dataclass
class Outcome:
    findings: list[Finding]
    latency: list[str]
    faults: list[faults.Fault]
    fault_lines: list[str]  # a line per fault, with the calls it touched
    calls: Counter[str] = field(default_factory=Counter)
    settled_after: float | None = None  # seconds from the end of the load, None if it never settled

    @property
    def ok(self) -> bool:
        return all(finding.ok for finding in self.findings)

    def report(self) -> str:
        lines = ["", "Faults injected (calls made while each lasted, and 5 s after):"]
        lines += [f"  {line}" for line in self.fault_lines]
        lines.append("Calls: " + ", ".join(f"{count} {kind}" for kind, count in sorted(self.calls.items())))
        lines += ["Error rate and latency:", *(f"  {line}" for line in self.latency)]
        if self.settled_after is None:
            lines.append("Checks (on a state that had not settled when the wait ended):")
        else:
            lines.append(f"Checks (all settled {self.settled_after:.1f}s after the load stopped):")
        for finding in self.findings:
            lines.append(f"  [{'ok' if finding.ok else 'FAIL'}] {finding.name}: {finding.figures}")
        return "\n".join(lines)


async def _settle(
    found: cluster.Cluster, capacity: dict[str, int], clients: list[sockets.LiveClient], timeout: float
) -> tuple[checks.State, float | None]:
    """Reads the state until it has settled; returns it and how long that took (None if it had not
    within `timeout` seconds, with the last state read)."""
    started = last_told = time.monotonic()
    while True:
        state = await checks.read_state(found, capacity)
        waiting = checks.outstanding(state, clients)
        if not waiting:
            return state, time.monotonic() - started
        if time.monotonic() - started > timeout:
            step("chaos", f"not settled after {timeout:g}s: {', '.join(waiting)}")
            return state, None
        if time.monotonic() - last_told > 10:
            step("chaos", f"waiting for {', '.join(waiting)}")
            last_told = time.monotonic()
        await asyncio.sleep(1.0)  # the pace of reading the stores again


async def run(scenario: Scenario) -> Outcome:
    async with cluster.started(scenario.replicas, scenario.settings) as found:
        load = traffic.Load(
            organizer=found.minter.account("organizer"), buyers=found.minter.accounts(scenario.clients)
        )
        # Connected before anything is told: every notification stored is meant for a client already there.
        clients = await sockets.connect_all(found, [*load.buyers, load.organizer], timeout=300)
        step("chaos", f"{len(clients)} live clients connected")
        async with traffic.httpx_client() as client:
            await traffic.create_events(
                client, found, load, count=scenario.events, capacity=scenario.capacity
            )
        stop = asyncio.Event()
        schedule = faults.Schedule(scenario.fault_interval, scenario.cut_seconds, limit=scenario.fault_limit)
        loop = asyncio.get_running_loop()
        loop.call_later(scenario.duration, stop.set)
        step("chaos", f"load and faults for up to {scenario.duration:g}s")
        work = [
            traffic.book_until(found, load, stop=stop, concurrency=scenario.booking_concurrency),
            traffic.change_events_until(found, load, stop=stop, every=scenario.change_every),
            faults.run_until(found, schedule, stop=stop),
        ]
        await asyncio.gather(*work)
        step("chaos", f"load stopped after {len(load.calls)} calls; waiting for everything to settle")
        capacity = {event["id"]: event["capacity"] for event in load.events}
        state, settled_after = await _settle(found, capacity, clients, scenario.settle_timeout)
        await sockets.stop_all(clients)
        findings = [
            checks.oversold(state),
            checks.payments(state),
            checks.drained(state),
            checks.stored_once(state),
            checks.delivered(state, clients),
        ]
        return Outcome(
            findings,
            latency.summary(load.calls, schedule.faults),
            schedule.faults,
            latency.by_fault(load.calls, schedule.faults),
            Counter(call.kind for call in load.calls),
            settled_after,
        )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m chaos", description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=180.0, help="seconds of load and faults")
    parser.add_argument("--clients", type=int, default=2000, help="live WebSocket clients")
    parser.add_argument("--replicas", type=int, default=3, help="of booking, event and notification")
    arguments = parser.parse_args()
    scenario = Scenario(
        duration=arguments.duration,
        replicas={
            **{name: 2 for name in SECONDARY},
            **{name: arguments.replicas for name in PRIMARY},
        },
        clients=arguments.clients,
        booking_concurrency=8,
        events=4,
        capacity=1000,
        change_every=5.0,
        fault_interval=(20.0, 30.0),
        cut_seconds=(3.0, 6.0),
    )
    outcome = asyncio.run(run(scenario))
    print(outcome.report())
    sys.exit(0 if outcome.ok else 1)
