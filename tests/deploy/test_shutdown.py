"""On SIGTERM a service finishes the requests in flight within SHUTDOWN_DRAIN_SECONDS, and whatever
stops it (Kubernetes, Compose, `make run`) waits longer than that."""

import asyncio
import re
import signal
import socket
import sys
import time
from typing import Any

import httpx
from honcho.manager import KILL_WAIT

from scripts import run
from tests.apps import wait_for
from tests.deploy.test_compose import ROOT, SERVICES, compose  # noqa: F401

# How long `docker stop` waits after SIGTERM before it kills, unless told otherwise.
DOCKER_STOP_TIMEOUT_SECONDS = 10


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def _start(drain_seconds: float) -> tuple[asyncio.subprocess.Process, str]:
    port = _free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.deploy.draining_app",
        env={"PORT": str(port), "SHUTDOWN_DRAIN_SECONDS": str(drain_seconds), "LOG_LEVEL": "WARNING"},
        stdout=asyncio.subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"

    async def answering() -> bool:
        try:
            async with httpx.AsyncClient() as client:
                return (await client.get(f"{url}/health")).status_code == 200
        except httpx.TransportError:
            return False

    await wait_for(answering)
    return process, url


async def _request_then_terminate(
    process: asyncio.subprocess.Process, url: str, seconds: float
) -> tuple[httpx.Response | BaseException, float]:
    async with httpx.AsyncClient(timeout=30) as client:
        request = asyncio.create_task(client.get(f"{url}/slow", params={"seconds": seconds}))
        await asyncio.sleep(0.3)  # the request is in flight
        terminated = time.monotonic()
        process.send_signal(signal.SIGTERM)
        (answer,) = await asyncio.gather(request, return_exceptions=True)
        await asyncio.wait_for(process.wait(), 30)
        return answer, time.monotonic() - terminated


async def test_a_request_in_flight_at_sigterm_is_answered_before_the_process_exits() -> None:
    process, url = await _start(drain_seconds=10)

    answer, took = await _request_then_terminate(process, url, seconds=1.5)

    assert isinstance(answer, httpx.Response) and answer.json() == {"status": "done"}
    # uvicorn raises the signal again once it has stopped, so that its parent sees how it ended.
    assert process.returncode in (0, -signal.SIGTERM) and took < 10


async def test_a_request_longer_than_the_drain_does_not_hold_the_process() -> None:
    process, url = await _start(drain_seconds=1)

    answer, took = await _request_then_terminate(process, url, seconds=20)

    assert not isinstance(answer, httpx.Response) or answer.status_code >= 500
    assert took < 5


def test_compose_waits_longer_than_each_service_drains(compose: dict[str, Any]) -> None:  # noqa: F811
    for service in SERVICES:
        definition = compose["services"][service]
        grace = int(definition["stop_grace_period"].removesuffix("s"))
        assert float(definition["environment"]["SHUTDOWN_DRAIN_SECONDS"]) < grace, service


def test_a_container_drains_before_docker_stop_kills_it() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    drain = re.search(r"^ENV SHUTDOWN_DRAIN_SECONDS=(\S+)$", dockerfile, re.M)

    assert drain is not None and float(drain.group(1)) < DOCKER_STOP_TIMEOUT_SECONDS


def test_make_run_drains_before_honcho_kills() -> None:
    assert run.SHUTDOWN_DRAIN_SECONDS < KILL_WAIT
