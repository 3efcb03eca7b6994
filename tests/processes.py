"""The services as real processes, started as `make run` starts them (`python -m <service>`), on free ports.

Used by the system and fault tests, and by the benchmarks (bench/stack.py).
"""

import asyncio
import json
import os
import signal
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from shared.settings import ServiceSettings
from tests.apps import READY_TIMEOUT_SECONDS, is_ready, wait_for
from tests.backends import QUEUE_FAMILIES, TEST_RETRY_DELAYS_SECONDS, durable_queues
from tests.tcp_proxy import free_port

ROOT = Path(__file__).resolve().parents[1]
SERVICES = (
    "user_service",
    "event_service",
    "booking_service",
    "payment_service",
    "notification_service",
    "checkin_service",
)
STOP_TIMEOUT_SECONDS = 20.0


def environment(settings: ServiceSettings) -> dict[str, str]:
    """Returns `settings` as the environment variables `python -m <service>` reads them from."""
    variables = {}
    for name, value in settings.model_dump(mode="json").items():
        if value is not None:
            variables[name.upper()] = value if isinstance(value, str) else json.dumps(value)
    return variables


def environments(
    urls: Mapping[str, str],
    databases: Mapping[str, str],
    *,
    exchange: str,
    mongo_url: str,
    signing_key_file: Path,
    name: Callable[[str], str],
) -> dict[str, dict[str, str]]:
    """Returns the environment variables of each of the six services, wired to one another.

    `urls` and `databases` (PostgreSQL URLs) are by service and may hold only the services started.
    `name(kind)` names this run's MongoDB databases, queue prefixes and rate-limit keys, so that
    nothing is shared with another run.
    """
    common = {
        "ENV": "test",
        "EVENT_EXCHANGE": exchange,
        "BROKER_RETRY_SECONDS": "0.5",
        "RETRY_DELAYS_SECONDS": json.dumps(TEST_RETRY_DELAYS_SECONDS),
        "JWKS_URL": f"{urls['user_service']}/.well-known/jwks.json",
    }
    mongo = {**common, "MONGO_URL": mongo_url}
    return {
        "user_service": {
            **common,
            "DATABASE_URL": databases.get("user_service", ""),
            "SIGNING_KEY_FILE": str(signing_key_file),
            "RATE_LIMIT_KEY_PREFIX": name("users"),
        },
        "event_service": {**mongo, "MONGO_DATABASE": name("events"), "QUEUE_PREFIX": name("event")},
        "booking_service": {
            **common,
            "DATABASE_URL": databases.get("booking_service", ""),
            "USER_SERVICE_URL": urls["user_service"],
            "EVENT_SERVICE_URL": urls.get("event_service", ""),
            "PAYMENT_SERVICE_URL": urls.get("payment_service", ""),
            "QUEUE_PREFIX": name("booking"),
        },
        "payment_service": {**mongo, "MONGO_DATABASE": name("payments")},
        "notification_service": {
            **mongo,
            "MONGO_DATABASE": name("notifications"),
            "QUEUE_PREFIX": name("notification"),
        },
        "checkin_service": {
            **common,
            "DATABASE_URL": databases.get("checkin_service", ""),
            "EVENT_SERVICE_URL": urls.get("event_service", ""),
            "QUEUE_PREFIX": name("checkin"),
            "TICKET_SIGNING_KEY_FILE": str(signing_key_file.with_name("ticket_key.pem")),
        },
    }


def durable_queues_of(variables: Mapping[str, Mapping[str, str]]) -> list[str]:
    """The durable queues (without their `.dlq`) of the services whose `variables` these are, by service."""
    return [
        queue
        for service, values in variables.items()
        if service in QUEUE_FAMILIES
        for queue in durable_queues(service, values["QUEUE_PREFIX"])
    ]


def mongo_databases_of(variables: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    """The MongoDB database of each service whose `variables` these are, by service."""
    return {
        name: values["MONGO_DATABASE"] for name, values in variables.items() if "MONGO_DATABASE" in values
    }


class ServiceProcess:
    """`python -m <module>` as a real process on a free port (or `port`); `kill` is SIGKILL.

    It runs in `cwd` with `environment` over this process's own. Its output goes to the file `log`
    when given, and the end of it into the error when the process fails to start; else it is
    this process's output.
    """

    def __init__(
        self,
        module: str,
        environment: Mapping[str, str],
        *,
        port: int | None = None,
        cwd: Path = ROOT,
        log: Path | None = None,
    ) -> None:
        self.module = module
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.environment = {**os.environ, **environment, "PORT": str(self.port)}
        self.cwd = cwd
        self.log = log
        self._process: asyncio.subprocess.Process | None = None

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    async def launch(self) -> None:
        """Starts the process, without waiting until it answers."""
        command = (sys.executable, "-m", self.module)
        if self.log is None:
            self._process = await asyncio.create_subprocess_exec(*command, cwd=self.cwd, env=self.environment)
            return
        with self.log.open("wb") as output:
            self._process = await asyncio.create_subprocess_exec(
                *command, cwd=self.cwd, env=self.environment, stdout=output, stderr=asyncio.subprocess.STDOUT
            )

    async def wait_ready(self, *, timeout: float = READY_TIMEOUT_SECONDS) -> None:
        """Returns once `/ready` answers 200; fails if the process exits first or is not ready in time."""
        process = self._process
        assert process is not None

        async def answering() -> bool:
            # One that dies while starting fails now, with its exit code, not after `timeout`.
            if process.returncode is not None:
                raise AssertionError(f"exited with {process.returncode}")
            return await is_ready(self.url)

        try:
            await wait_for(answering, timeout=timeout)
        except AssertionError as failure:
            raise AssertionError(f"{self.module}: {failure}{self._tail()}") from None

    async def start(self, *, timeout: float = READY_TIMEOUT_SECONDS) -> None:
        """Starts the process and returns once it is ready."""
        await self.launch()
        await self.wait_ready(timeout=timeout)

    async def kill(self) -> None:
        assert self._process is not None
        self._process.send_signal(signal.SIGKILL)
        await self._process.wait()
        self._process = None

    async def stop(self, *, timeout: float = STOP_TIMEOUT_SECONDS) -> None:
        """Ends the process with SIGTERM, as a deployment would; kills it if it is not gone in `timeout`."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.returncode is None:
            process.terminate()
        try:
            await asyncio.wait_for(process.wait(), timeout)
        except TimeoutError:
            process.kill()
            await process.wait()

    def _tail(self, lines: int = 20) -> str:
        if self.log is None or not self.log.exists():
            return ""
        return "\n" + "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
