"""API overhead: the event service's reads against a bare FastAPI app's, requests/s.

Two pairs. `GET /events/{id}` against a bare endpoint answering a constant event of the same shape;
and `GET /events?category=<c>&limit=20` against a bare endpoint running the same MongoDB query with
PyMongo on the service's own collection (same filter, index, order, page and count), over the events
the scenario seeds. All are served the same way (`shared.app.serve`: uvicorn with the same settings,
one process) and measured by the same client in the same run, alternating in rounds so that a
neighbour's load hits each alike; each keeps its best round.
"""

import math
from dataclasses import asdict, dataclass
from typing import Any

import httpx

from bench.api import create_event
from bench.load import LoadResult, hammer
from bench.procstat import cpu_seconds
from bench.report import Figure, Goal, ScenarioResult, step
from bench.stack import Platform, PlatformStarter, launched
from tests.accounts import Account
from tests.event_service.conftest import event_body, in_days

NAME = "overhead"
SERVICES = ("user_service", "event_service")
WARMUP_SECONDS = 2.0
CATEGORIES = ("music", "theatre", "sport", "talks")
LISTED_CATEGORY = CATEGORIES[0]
PAGE = 20


@dataclass(frozen=True)
class OverheadParams:
    seconds: float = 10.0
    connections: int = 32
    rounds: int = 2
    # Events seeded across the categories, so the listing reads a real index range and counts it.
    listed_events: int = 200


def _best(results: list[LoadResult]) -> LoadResult:
    return max(results, key=lambda result: result.ok_per_second)


async def _seed_listing(
    client: httpx.AsyncClient, platform: Platform, organizer: Account, events: int
) -> None:
    """Publishes `events` events, round-robin across the categories, on different days."""
    step(NAME, f"seeding {events:,} events across {len(CATEGORIES)} categories")
    for index in range(events):
        body = event_body(
            title=f"Listed {index}",
            category=CATEGORIES[index % len(CATEGORIES)],
            starts_at=in_days(30 + index % 60, hour=18),
            ends_at=in_days(30 + index % 60, hour=21),
        )
        response = await client.post(
            f"{platform.urls['event_service']}/events", headers=organizer.headers, json=body
        )
        response.raise_for_status()


def _bare_environment(platform: Platform) -> dict[str, str]:
    """Points the bare app at the event service's database, for its listing."""
    database = platform.mongo_databases.get("event_service")
    if platform.mongo_url is None or database is None:
        raise ValueError("The listing pair needs the event service's MongoDB: run it with services started")
    return {"MONGO_URL": platform.mongo_url, "MONGO_DATABASE": database}


def _rounds_details(results: list[LoadResult], cpu_us: list[float]) -> list[dict[str, Any]]:
    return [
        {
            "requests_per_second": result.ok_per_second,
            "statuses": dict(result.statuses),
            "client_cpu_share": result.client_cpu_share,
            # CPU the server spent per answer: the ratio's cause, whatever else the machine ran.
            "server_cpu_us_per_request": cpu,
        }
        for result, cpu in zip(results, cpu_us, strict=True)
    ]


async def run(start: PlatformStarter, params: OverheadParams) -> ScenarioResult:
    async with start(SERVICES) as platform:
        async with httpx.AsyncClient(timeout=60) as client:
            organizer = platform.minter.account("organizer")
            event = await create_event(client, platform, organizer, capacity=100, title="Overhead")
            await _seed_listing(client, platform, organizer, params.listed_events)
        async with launched("bench.bare", _bare_environment(platform), platform.workdir) as bare:
            listing = f"/events?category={LISTED_CATEGORY}&limit={PAGE}"
            targets = {
                "service": f"{platform.urls['event_service']}/events/{event['id']}",
                "bare": f"{bare.url}/events/{event['id']}",
                "service_listing": f"{platform.urls['event_service']}{listing}",
                "bare_listing": f"{bare.url}{listing}",
            }
            for url in targets.values():
                await hammer(url, connections=params.connections, seconds=WARMUP_SECONDS)
            event_service = platform.pids.get("event_service")
            servers = {name: bare.pid if name.startswith("bare") else event_service for name in targets}
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

    best = {name: _best(results).ok_per_second for name, results in rounds.items()}
    errors = sum(result.errors for results in rounds.values() for result in results)
    return ScenarioResult(
        name=NAME,
        parameters=asdict(params),
        figures=[
            Figure("GET /events/{id}", best["service"], "req/s"),
            Figure("bare endpoint", best["bare"], "req/s"),
            Figure("ratio", best["service"] / best["bare"], "", Goal(">=", 0.75)),
            Figure(f"GET /events?category=&limit={PAGE}", best["service_listing"], "req/s"),
            Figure("bare PyMongo listing", best["bare_listing"], "req/s"),
            Figure("listing ratio", best["service_listing"] / best["bare_listing"], "", Goal(">=", 0.7)),
            Figure("error answers", errors, "", Goal("==", 0)),
        ],
        details={name: _rounds_details(results, server_cpu[name]) for name, results in rounds.items()},
    )
