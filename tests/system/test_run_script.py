"""`make run` stops at once, naming what is missing, when a store it needs is not reachable."""

import asyncio
import os
import sys

import pytest

from tests.system.conftest import ROOT
from tests.tcp_proxy import free_port


@pytest.mark.parametrize(
    ("variable", "name"),
    [("RABBITMQ_URL", "RabbitMQ"), ("DATABASE_URL", "PostgreSQL")],
)
async def test_run_fails_fast_naming_the_missing_piece(variable: str, name: str) -> None:
    nowhere = f"tcp://127.0.0.1:{free_port()}"
    run = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "scripts.run",
        cwd=ROOT,
        env={**os.environ, variable: nowhere},
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(run.communicate(), timeout=20)

    assert run.returncode == 1
    assert f"{name} is not reachable at {nowhere}" in stderr.decode()
