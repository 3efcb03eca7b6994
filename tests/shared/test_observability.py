"""What every service app's middleware gives: request ids, access log, metrics, and CORS; and how its
log lines are written."""

import io
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import APIRouter, FastAPI

from shared.app import create_service_app
from shared.observability import JsonFormatter, TurnBufferedHandler
from shared.settings import ServiceSettings
from tests.apps import wait_for

router = APIRouter()


@router.get("/things/{thing_id}")
async def read_thing(thing_id: str) -> dict[str, str]:
    return {"id": thing_id}


@asynccontextmanager
async def no_lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield


class ThingSettings(ServiceSettings):
    port: int = 0


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = create_service_app(
        title="things", description="", settings=ThingSettings(), lifespan=no_lifespan, routers=[router]
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        yield client


def _sample(metrics: str, name: str, labels: str) -> float:
    prefix = f"{name}{{{labels}}} "
    lines = [line for line in metrics.splitlines() if line.startswith(prefix)]
    assert lines, f"no {prefix!r} in the metrics"
    return float(lines[0].removeprefix(prefix))


async def test_requests_are_counted_by_route_template_and_status(client: httpx.AsyncClient) -> None:
    for thing in ("a", "b", "c"):
        assert (await client.get(f"/things/{thing}")).status_code == 200
    assert (await client.get("/no/such/path")).status_code == 404

    metrics = (await client.get("/metrics")).text

    route = 'handler="/things/{thing_id}",method="GET"'
    assert _sample(metrics, "http_requests_total", f'{route},status="200"') == 3
    assert _sample(metrics, "http_request_duration_seconds_count", route) == 3
    # Unknown paths share one label, so scanning random URLs cannot grow the metrics.
    assert _sample(metrics, "http_requests_total", 'handler="unmatched",method="GET",status="404"') == 1
    assert "/no/such/path" not in metrics


class FormattingHandler(logging.Handler):
    """Formats each record as it is emitted, while the request's context is live, as stdout's does."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter("things"))
        self.entries: list[dict[str, object]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.entries.append(json.loads(self.format(record)))


async def test_the_request_id_is_kept_or_made_and_logged(client: httpx.AsyncClient) -> None:
    access = logging.getLogger("access")
    handler = FormattingHandler()
    access.addHandler(handler)
    level = access.level
    access.setLevel(logging.INFO)
    try:
        given = await client.get("/things/a", headers={"X-Request-ID": "req-given"})
        made = await client.get("/things/b")
    finally:
        access.removeHandler(handler)
        access.setLevel(level)

    assert given.headers["X-Request-ID"] == "req-given"
    assert len(made.headers["X-Request-ID"]) == 32
    assert [(entry["message"], entry["status"], entry["request_id"]) for entry in handler.entries] == [
        ("GET /things/a 200", 200, "req-given"),
        ("GET /things/b 200", 200, made.headers["X-Request-ID"]),
    ]


async def test_browsers_get_cors_headers_and_every_answer_varies_by_origin(client: httpx.AsyncClient) -> None:
    local = await client.get("/things/a", headers={"Origin": "http://localhost:5173"})
    foreign = await client.get("/things/a", headers={"Origin": "https://evil.example"})
    script = await client.get("/things/a")

    assert local.headers["Access-Control-Allow-Origin"] == "http://localhost:5173"
    assert "Access-Control-Allow-Origin" not in foreign.headers
    assert "Access-Control-Allow-Origin" not in script.headers
    # A cache must not hand an answer made for one origin (or none) to another.
    assert all("Origin" in answer.headers["Vary"] for answer in (local, foreign, script))


class Writes(io.StringIO):
    """A stream that keeps each write apart."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return super().write(text)


def _record(message: str) -> logging.LogRecord:
    return logging.makeLogRecord({"name": "things", "levelno": logging.INFO, "msg": message})


def test_a_line_logged_outside_an_event_loop_is_written_at_once() -> None:
    stream = Writes()
    handler = TurnBufferedHandler(stream)

    handler.handle(_record("starting"))

    assert stream.writes == ["starting\n"]


async def test_the_lines_of_one_turn_of_the_event_loop_are_written_together_once_it_ends() -> None:
    stream = Writes()
    handler = TurnBufferedHandler(stream)

    handler.handle(_record("GET /things/a 200"))
    handler.handle(_record("GET /things/b 200"))
    assert stream.writes == []  # still the turn they were logged in

    async def written() -> bool:
        return bool(stream.writes)

    await wait_for(written)
    handler.handle(_record("GET /things/c 200"))
    handler.flush()  # as `logging.shutdown` does at exit

    assert stream.writes == ["GET /things/a 200\nGET /things/b 200\n", "GET /things/c 200\n"]
