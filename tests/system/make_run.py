"""`make run`'s script as a test runs it: on its fixed ports, until every service is ready, then
stopped as Ctrl-C stops it. Used by the tests of the script itself and of the web app it serves."""

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import pytest

from scripts.embedded_mongo import DEVELOPMENT_PORT
from scripts.run import SERVICES
from tests.apps import wait_for
from tests.system.conftest import ROOT

READY_LINE = "Ctrl-C stops everything"


def require_free(*ports: int) -> None:
    for port in ports:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                pytest.fail(f"Port {port} is in use (is `make run` going?); these tests need it free")


@asynccontextmanager
async def make_run() -> AsyncIterator[Callable[[], str]]:
    """Runs `make run`'s script until every service is ready; stops it as Ctrl-C does."""
    require_free(DEVELOPMENT_PORT, *SERVICES.values())
    run = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "scripts.run",
        cwd=ROOT,
        # Small pools, none warmed: the suite's own services hold theirs meanwhile, and PostgreSQL
        # serves 100 connections in all (a booking service of `make run` alone held 32 of them).
        env={
            **os.environ,
            "LOG_LEVEL": "WARNING",
            "DATABASE_POOL_SIZE": "4",
            "DATABASE_MAX_OVERFLOW": "4",
            "DATABASE_POOL_WARM": "false",
        },
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        start_new_session=True,
    )
    assert run.stdout is not None
    lines: list[str] = []

    async def collect() -> None:
        assert run.stdout is not None
        while line := await run.stdout.readline():
            lines.append(line.decode(errors="replace"))

    collecting = asyncio.create_task(collect())
    try:
        await wait_for(lambda: _said(lines, READY_LINE, run), timeout=90)
        yield lambda: "".join(lines)
    finally:
        run.send_signal(signal.SIGINT)
        await asyncio.wait_for(run.wait(), timeout=60)
        await collecting
        require_free(DEVELOPMENT_PORT, *SERVICES.values())
    # Ctrl-C lets every service finish its shutdown (the database goes last), none is killed.
    assert "SIGKILL" not in "".join(lines), "".join(lines)


async def _said(lines: list[str], text: str, run: asyncio.subprocess.Process) -> bool:
    if run.returncode is not None:
        raise AssertionError(f"make run exited with {run.returncode}:\n{''.join(lines)}")
    return any(text in line for line in lines)
