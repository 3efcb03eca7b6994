"""The services a scenario needs: started as real processes on free ports, or running ones given by URL.

Started the way the system test starts them (`python -m <service>`), each run with its own PostgreSQL
databases, exchange, queue prefixes and signing key, so nothing it does reaches `make run` or a test
run; all of it is removed at the end. The processes run in a scratch directory so that a `.env` at
the repository root (production secrets from `make env`) cannot change their settings.
"""

import asyncio
import os
import shutil
import signal
import socket
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable, Collection, Mapping
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aio_pika
import asyncpg
import httpx

from bench.report import step
from bench.tokens import TokenMinter
from scripts.embedded_mongo import EmbeddedMongo, drop_databases
from user_service.keys import load_signing_key

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672/"
# The signing key `make run` generates, for minting tokens its user service accepts.
DEV_SIGNING_KEY_FILE = ROOT / ".data/user_service/signing_key.pem"
SERVICES = ("user_service", "event_service", "booking_service", "payment_service", "notification_service")
# The durable queues a service declares under its QUEUE_PREFIX, each with a `.dlq`.
QUEUE_FAMILIES = {
    "booking_service": ("events",),
    "notification_service": ("events", "bookings", "payments", "users"),
}
READY_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 20.0


@dataclass(frozen=True)
class Platform:
    urls: Mapping[str, str]
    exchange: str
    minter: TokenMinter
    # Process ids by service, where known: to read a replica's memory.
    pids: Mapping[str, int]
    # Where this run's logs go, and any extra process a scenario starts.
    workdir: Path

    def ws_url(self, token: str) -> str:
        return self.urls["notification_service"].replace("http", "ws", 1) + f"/ws?token={token}"


PlatformStarter = Callable[[Collection[str]], AbstractAsyncContextManager[Platform]]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServiceProcess:
    """`python -m <module>` listening on `port`, its output kept in a log file of `workdir`."""

    def __init__(self, module: str, *, port: int, environment: Mapping[str, str], workdir: Path) -> None:
        self.module = module
        self.url = f"http://127.0.0.1:{port}"
        self.environment = {**os.environ, "PYTHONPATH": str(ROOT), **environment, "PORT": str(port)}
        self.workdir = workdir
        self.log = workdir / f"{module}.log"
        self._process: asyncio.subprocess.Process | None = None

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    async def start(self) -> None:
        with self.log.open("wb") as output:
            self._process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                self.module,
                cwd=self.workdir,
                env=self.environment,
                stdout=output,
                stderr=asyncio.subprocess.STDOUT,
            )

    async def wait_ready(self) -> None:
        """Returns once `/ready` answers 200; raises with the end of the log if it exits or never does."""
        assert self._process is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + READY_TIMEOUT_SECONDS
        async with httpx.AsyncClient(base_url=self.url, timeout=5) as client:
            while True:
                if self._process.returncode is not None:
                    raise RuntimeError(f"{self.module} exited ({self._process.returncode}):\n{self._tail()}")
                try:
                    if (await client.get("/ready")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                if loop.time() > deadline:
                    raise RuntimeError(
                        f"{self.module} not ready in {READY_TIMEOUT_SECONDS}s:\n{self._tail()}"
                    )
                await asyncio.sleep(0.1)

    async def stop(self) -> None:
        if self._process is None:
            return
        if self._process.returncode is None:
            self._process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self._process.wait(), STOP_TIMEOUT_SECONDS)
        except TimeoutError:
            self._process.kill()
            await self._process.wait()

    def _tail(self, lines: int = 20) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@asynccontextmanager
async def launched(
    module: str, environment: Mapping[str, str], workdir: Path
) -> AsyncIterator[ServiceProcess]:
    """Runs `python -m <module>` on a free port while the block runs, from the moment it is ready."""
    process = ServiceProcess(module, port=free_port(), environment=environment, workdir=workdir)
    try:
        await process.start()
        await process.wait_ready()
        yield process
    finally:
        await process.stop()


def _environments(
    urls: Mapping[str, str],
    databases: Mapping[str, str],
    *,
    exchange: str,
    run_id: str,
    key_file: Path,
    mongo_url: str,
) -> dict[str, dict[str, str]]:
    common = {
        "ENV": "test",
        "EVENT_EXCHANGE": exchange,
        "BROKER_RETRY_SECONDS": "0.5",
        "JWKS_URL": f"{urls['user_service']}/.well-known/jwks.json",
    }
    return {
        "user_service": {
            **common,
            "DATABASE_URL": databases.get("user_service", ""),
            "SIGNING_KEY_FILE": str(key_file),
            "RATE_LIMIT_KEY_PREFIX": f"bench-{run_id}",
        },
        "event_service": {**common, "MONGO_URL": mongo_url, "MONGO_DATABASE": f"bench_events_{run_id}"},
        "booking_service": {
            **common,
            "DATABASE_URL": databases.get("booking_service", ""),
            "USER_SERVICE_URL": urls["user_service"],
            "EVENT_SERVICE_URL": urls.get("event_service", ""),
            "PAYMENT_SERVICE_URL": urls.get("payment_service", ""),
            "QUEUE_PREFIX": f"bench_booking_{run_id}",
        },
        "payment_service": {**common, "MONGO_URL": mongo_url, "MONGO_DATABASE": f"bench_payments_{run_id}"},
        "notification_service": {
            **common,
            "MONGO_URL": mongo_url,
            "MONGO_DATABASE": f"bench_notifications_{run_id}",
            "QUEUE_PREFIX": f"bench_notification_{run_id}",
        },
    }


@asynccontextmanager
async def _databases(names: Collection[str], run_id: str) -> AsyncIterator[dict[str, str]]:
    """Creates a PostgreSQL database per SQL service in `names`; drops them at the end."""
    created = {name: f"bench_{name.removesuffix('_service')}_{run_id}" for name in names}
    connection = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        for database in created.values():
            await connection.execute(f'CREATE DATABASE "{database}"')
        yield {name: f"postgresql+asyncpg://postgres@127.0.0.1:5432/{db}" for name, db in created.items()}
    finally:
        for database in created.values():
            await connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await connection.close()


async def _delete_broker_objects(exchange: str, queue_prefixes: Collection[tuple[str, str]]) -> None:
    connection = await aio_pika.connect_robust(RABBITMQ_URL)
    try:
        channel = await connection.channel()
        for service, prefix in queue_prefixes:
            for family in QUEUE_FAMILIES[service]:
                await channel.queue_delete(f"{prefix}.{family}")
                await channel.queue_delete(f"{prefix}.{family}.dlq")
        await channel.exchange_delete(exchange)
    finally:
        await connection.close()


@asynccontextmanager
async def started(services: Collection[str], *, mongo_url: str | None = None) -> AsyncIterator[Platform]:
    """Starts `services` (and the user service, which every other one needs for its keys).

    The MongoDB services use an embedded server started for the run (its storage ephemeral, as a
    test's) unless `mongo_url` names one.
    """
    names = [name for name in SERVICES if name in services or name == "user_service"]
    run_id = uuid.uuid4().hex[:10]
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-{run_id}-"))
    key_file = workdir / "signing_key.pem"
    minter = TokenMinter(load_signing_key(pem=None, path=key_file))
    exchange = f"bench_events_{run_id}"
    ports = {name: free_port() for name in names}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    sql_services = [name for name in names if name in ("user_service", "booking_service")]
    step("platform", f"starting {', '.join(names)} (run {run_id})")
    try:
        async with AsyncExitStack() as stack:
            databases = await stack.enter_async_context(_databases(sql_services, run_id))
            if mongo_url is None:
                mongo_url = (await stack.enter_async_context(EmbeddedMongo(port=free_port()))).url
            environments = _environments(
                urls, databases, exchange=exchange, run_id=run_id, key_file=key_file, mongo_url=mongo_url
            )
            mongo_databases = [
                env["MONGO_DATABASE"]
                for name, env in environments.items()
                if name in names and "MONGO_DATABASE" in env
            ]
            stack.push_async_callback(drop_databases, mongo_url, *mongo_databases)
            prefixes = [
                (name, environments[name]["QUEUE_PREFIX"]) for name in names if name in QUEUE_FAMILIES
            ]
            stack.push_async_callback(_delete_broker_objects, exchange, prefixes)
            processes = [
                ServiceProcess(name, port=ports[name], environment=environments[name], workdir=workdir)
                for name in names
            ]
            for process in processes:
                stack.push_async_callback(process.stop)
                await process.start()
            await asyncio.gather(*(process.wait_ready() for process in processes))
            yield Platform(
                urls=urls,
                exchange=exchange,
                minter=minter,
                pids={process.module: process.pid for process in processes},
                workdir=workdir,
            )
            step("platform", "stopping")
    except BaseException:
        print(f"service logs kept in {workdir}", file=sys.stderr)
        raise
    shutil.rmtree(workdir, ignore_errors=True)


@asynccontextmanager
async def attached(
    services: Collection[str],
    *,
    urls: Mapping[str, str],
    exchange: str,
    minter: TokenMinter,
    pids: Mapping[str, int],
) -> AsyncIterator[Platform]:
    """Uses services already running (e.g. `make run`); `minter` must hold their user service's key."""
    # The bench never calls the user service: it signs tokens itself.
    missing = [name for name in services if name not in urls and name != "user_service"]
    if missing:
        flags = ", ".join(f"--{name.removesuffix('_service')}-url" for name in missing)
        raise ValueError(f"This scenario also needs {flags}")
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        yield Platform(urls=urls, exchange=exchange, minter=minter, pids=pids, workdir=workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
