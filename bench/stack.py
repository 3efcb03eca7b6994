"""The services a scenario needs: started as real processes on free ports, or running ones given by URL.

Started the way the system test starts them (`python -m <service>`), each run with its own PostgreSQL
databases, exchange, queue prefixes and signing key, so nothing it does reaches `make run` or a test
run; all of it is removed at the end. The processes run in a scratch directory so that a `.env` at
the repository root (production secrets from `make env`) cannot change their settings.
"""

import asyncio
import shutil
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable, Collection, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aio_pika

from bench.report import step
from scripts.embedded_mongo import EmbeddedMongo, drop_databases
from tests.accounts import TokenMinter
from tests.backends import (
    RABBITMQ_URL,
    create_postgres_databases,
    drop_postgres_databases,
    postgres_url,
    remove_queues,
)
from tests.processes import (
    ROOT,
    SERVICES,
    ServiceProcess,
    durable_queues_of,
    environments,
    mongo_databases_of,
)
from tests.tcp_proxy import free_port
from user_service.keys import load_signing_key
from user_service.settings import UserSettings

# The signing key `make run` generates, for minting tokens its user service accepts.
DEV_SIGNING_KEY_FILE = ROOT / ".data/user_service/signing_key.pem"
READY_TIMEOUT_SECONDS = 60.0
# Tokens outlive the longest scenario, so none expires mid-run.
TOKEN_TTL_SECONDS = 2 * 3600


@dataclass(frozen=True)
class Platform:
    urls: Mapping[str, str]
    exchange: str
    minter: TokenMinter
    # Process ids by service, where known: to read a replica's memory.
    pids: Mapping[str, int]
    # Where this run's logs go, and any extra process a scenario starts.
    workdir: Path
    # The PostgreSQL database of each SQL service started, by service (none when attached).
    databases: Mapping[str, str] = field(default_factory=dict)
    # The MongoDB server of the services started, and each MongoDB service's database (unknown when attached).
    mongo_url: str | None = None
    mongo_databases: Mapping[str, str] = field(default_factory=dict)
    # The durable queues of the services started (unknown when attached).
    queues: Sequence[str] = ()

    def ws_url(self, token: str) -> str:
        return self.urls["notification_service"].replace("http", "ws", 1) + f"/ws?token={token}"


PlatformStarter = Callable[[Collection[str]], AbstractAsyncContextManager[Platform]]


def token_minter(signing_key_file: Path) -> TokenMinter:
    """Mints tokens as the user service with the key in `signing_key_file` would (created if missing)."""
    # Not from `.env` (production secrets), which the services started here do not read either.
    settings = UserSettings(_env_file=None, env="test", access_token_ttl_seconds=TOKEN_TTL_SECONDS)
    return TokenMinter(load_signing_key(pem=None, path=signing_key_file), settings, name_prefix="bench")


def service_process(
    module: str, environment: Mapping[str, str], workdir: Path, *, port: int | None = None
) -> ServiceProcess:
    """`python -m <module>` run in `workdir`, its output kept in a log file there."""
    return ServiceProcess(
        module,
        {"PYTHONPATH": str(ROOT), **environment},
        port=port,
        cwd=workdir,
        log=workdir / f"{module}.log",
    )


@asynccontextmanager
async def launched(
    module: str, environment: Mapping[str, str], workdir: Path
) -> AsyncIterator[ServiceProcess]:
    """Runs `python -m <module>` on a free port while the block runs, from the moment it is ready."""
    process = service_process(module, environment, workdir)
    try:
        await process.start(timeout=READY_TIMEOUT_SECONDS)
        yield process
    finally:
        await process.stop()


@asynccontextmanager
async def sql_databases(names: Collection[str], run_id: str) -> AsyncIterator[dict[str, str]]:
    """Creates a PostgreSQL database per SQL service in `names`; drops them at the end."""
    created = {name: f"bench_{name.removesuffix('_service')}_{run_id}" for name in names}
    await create_postgres_databases(*created.values())
    try:
        yield {name: postgres_url(database) for name, database in created.items()}
    finally:
        await drop_postgres_databases(*created.values())


async def delete_broker_objects(exchange: str, queues: Collection[str]) -> None:
    connection = await aio_pika.connect_robust(RABBITMQ_URL)
    try:
        await remove_queues(connection, queues)
        channel = await connection.channel()
        await channel.queue_delete(f"{exchange}.unroutable")
        await channel.exchange_delete(exchange)
    finally:
        await connection.close()


# How many messages the stand-in for the notification service's queue keeps (the oldest are dropped).
STAND_IN_KEEPS = 10_000


@asynccontextmanager
async def notification_stand_in(exchange: str) -> AsyncIterator[None]:
    """A queue taking every message, as the notification service's does in a deployment, for a run
    without it: else each message nobody else takes (`booking.held`, say) would come back to its
    publisher as unroutable, to be published again to the unroutable queue with a warning logged."""
    connection = await aio_pika.connect_robust(RABBITMQ_URL)
    try:
        channel = await connection.channel()
        declared = await channel.declare_exchange(exchange, aio_pika.ExchangeType.TOPIC, durable=True)
        queue = await channel.declare_queue(exclusive=True, arguments={"x-max-length": STAND_IN_KEEPS})
        await queue.bind(declared, routing_key="#")
        yield
    finally:
        await connection.close()  # the queue goes with it


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
    minter = token_minter(key_file)
    exchange = f"bench_events_{run_id}"
    ports = {name: free_port() for name in names}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    sql_services = [name for name in names if name in ("user_service", "booking_service", "checkin_service")]
    step("platform", f"starting {', '.join(names)} (run {run_id})")
    try:
        async with AsyncExitStack() as stack:
            databases = await stack.enter_async_context(sql_databases(sql_services, run_id))
            if mongo_url is None:
                mongo_url = (await stack.enter_async_context(EmbeddedMongo(port=free_port()))).url
            every_service = environments(
                urls,
                databases,
                exchange=exchange,
                mongo_url=mongo_url,
                signing_key_file=key_file,
                name=lambda kind: f"bench_{kind}_{run_id}",
            )
            variables = {name: every_service[name] for name in names}
            stack.push_async_callback(drop_databases, mongo_url, *mongo_databases_of(variables).values())
            queues = durable_queues_of(variables)
            stack.push_async_callback(delete_broker_objects, exchange, queues)
            if "notification_service" not in names:
                await stack.enter_async_context(notification_stand_in(exchange))
            processes = [service_process(name, variables[name], workdir, port=ports[name]) for name in names]
            for process in processes:
                stack.push_async_callback(process.stop)
                await process.launch()
            await asyncio.gather(
                *(process.wait_ready(timeout=READY_TIMEOUT_SECONDS) for process in processes)
            )
            yield Platform(
                urls=urls,
                exchange=exchange,
                minter=minter,
                pids={process.module: process.pid for process in processes},
                workdir=workdir,
                databases={name: url.rsplit("/", 1)[1] for name, url in databases.items()},
                mongo_url=mongo_url,
                mongo_databases=mongo_databases_of(variables),
                queues=queues,
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
