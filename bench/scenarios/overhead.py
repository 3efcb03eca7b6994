"""API overhead: `GET /events/{id}` of the event service against a bare FastAPI endpoint, requests/s.

Both are served the same way (`shared.app.serve`: uvicorn with the same settings, one process) and
measured by the same client in the same run, alternating in rounds so that a neighbour's load hits
both alike; each keeps its best round.
"""

import math
from dataclasses import asdict, dataclass

import httpx

from bench.api import create_event
from bench.load import LoadResult, hammer
from bench.procstat import cpu_seconds
from bench.report import Figure, Goal, ScenarioResult, step
from bench.stack import PlatformStarter, launched

NAME = "overhead"
SERVICES = ("user_service", "event_service")
WARMUP_SECONDS = 2.0


@dataclass(frozen=True)
class OverheadParams:
    seconds: float = 10.0
    connections: int = 32
    rounds: int = 2


def _best(results: list[LoadResult]) -> LoadResult:
    return max(results, key=lambda result: result.ok_per_second)


async def run(start: PlatformStarter, params: OverheadParams) -> ScenarioResult:
    async with start(SERVICES) as platform, launched("bench.bare", {}, platform.workdir) as bare:
        async with httpx.AsyncClient(timeout=60) as client:
            organizer = platform.minter.account("organizer")
            event = await create_event(client, platform, organizer, capacity=100, title="Overhead")
        targets = {
            "service": f"{platform.urls['event_service']}/events/{event['id']}",
            "bare": f"{bare.url}/events/{event['id']}",
        }
        for url in targets.values():
            await hammer(url, connections=params.connections, seconds=WARMUP_SECONDS)
        servers = {"service": platform.pids.get("event_service"), "bare": bare.pid}
        rounds: dict[str, list[LoadResult]] = {name: [] for name in targets}
        server_cpu: dict[str, list[float]] = {name: [] for name in targets}
        for index in range(params.rounds):
            for name, url in targets.items():
                step(NAME, f"round {index + 1}/{params.rounds}: {name} for {params.seconds:g}s")
                pid = servers[name]
                cpu = cpu_seconds(pid) if pid else math.nan
                result = await hammer(url, connections=params.connections, seconds=params.seconds)
                rounds[name].append(result)
                used = cpu_seconds(pid) - cpu if pid else math.nan
                server_cpu[name].append(used * 1e6 / max(1, result.statuses.total()))

    service, baseline = _best(rounds["service"]), _best(rounds["bare"])
    errors = sum(result.errors for results in rounds.values() for result in results)
    return ScenarioResult(
        name=NAME,
        parameters=asdict(params),
        figures=[
            Figure("GET /events/{id}", service.ok_per_second, "req/s"),
            Figure("bare endpoint", baseline.ok_per_second, "req/s"),
            Figure("ratio", service.ok_per_second / baseline.ok_per_second, "", Goal(">=", 0.5)),
            Figure("error answers", errors, "", Goal("==", 0)),
        ],
        details={
            name: [
                {
                    "requests_per_second": result.ok_per_second,
                    "statuses": dict(result.statuses),
                    "client_cpu_share": result.client_cpu_share,
                    # CPU the server spent per answer: the ratio's cause, whatever else the machine ran.
                    "server_cpu_us_per_request": cpu,
                }
                for result, cpu in zip(results, server_cpu[name], strict=True)
            ]
            for name, results in rounds.items()
        },
    )
