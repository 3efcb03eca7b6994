"""The platform as replicas: each service several times on its own port, sharing its databases and
queues, behind one balancer; PostgreSQL and RabbitMQ reached through proxies the faults can cut.

Everything is named after the run (databases, exchange, queue prefixes), as `bench.stack` does, and
removed at the end; the services run in a scratch directory, out of reach of a `.env`.
"""

import asyncio
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.report import step
from bench.stack import READY_TIMEOUT_SECONDS, delete_broker_objects, sql_databases, token_minter
from chaos.balancer import HaproxyBalancer, TcpBalancer, balancer
from scripts.embedded_mongo import EmbeddedMongo, drop_databases
from tests.accounts import TokenMinter
from tests.apps import is_ready, wait_for
from tests.processes import (
    ROOT,
    ServiceProcess,
    durable_queues_of,
    environments,
    mongo_databases_of,
)
from tests.tcp_proxy import TcpProxy, free_port

# Connections per replica: a dozen replicas share PostgreSQL with whatever else runs on the machine.
POOL_SIZE = 4
# A replica told to stop drains for this long, so a SIGTERM costs seconds, not the default half minute.
DRAIN_SECONDS = 4


@dataclass
class Replica:
    """One process of a service, on a port that stays its own across restarts."""

    service: str
    index: int
    port: int
    environment: Mapping[str, str]
    workdir: Path
    process: ServiceProcess | None = None
    starts: int = 0

    @property
    def name(self) -> str:
        return f"{self.service.removesuffix('_service')}-{self.index}"

    async def launch(self) -> None:
        self.starts += 1
        self.process = ServiceProcess(
            self.service,
            {"PYTHONPATH": str(ROOT), **self.environment, "POD_NAME": self.name},
            port=self.port,
            cwd=self.workdir,
            log=self.workdir / f"{self.name}.{self.starts}.log",
        )
        await self.process.launch()

    async def start(self) -> None:
        await self.launch()
        assert self.process is not None
        await self.process.wait_ready(timeout=READY_TIMEOUT_SECONDS)

    async def kill(self) -> None:
        assert self.process is not None
        await self.process.kill()

    async def terminate(self) -> None:
        assert self.process is not None
        await self.process.stop()


@dataclass(frozen=True)
class Cluster:
    replicas: Mapping[str, list[Replica]]
    urls: Mapping[str, str]  # the balancer's frontend of each service
    balancer: HaproxyBalancer | TcpBalancer
    broker: TcpProxy
    postgres: TcpProxy
    minter: TokenMinter
    mongo_url: str
    databases: Mapping[str, str]  # PostgreSQL database by SQL service
    mongo_databases: Mapping[str, str]  # MongoDB database by MongoDB service
    queues: list[str]  # durable queues, without their `.dlq`
    workdir: Path

    def ws_url(self, token: str) -> str:
        return self.urls["notification_service"].replace("http", "ws", 1) + f"/ws?token={token}"


def _extra(service: str, broker: TcpProxy) -> dict[str, str]:
    variables = {
        "HOST": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "RABBITMQ_URL": f"amqp://guest:guest@127.0.0.1:{broker.port}/?reconnect_interval=0.2",
        "SHUTDOWN_DRAIN_SECONDS": str(DRAIN_SECONDS),
    }
    if service in ("user_service", "booking_service", "checkin_service"):
        variables["DATABASE_POOL_SIZE"] = str(POOL_SIZE)
    return variables


@asynccontextmanager
async def started(
    replicas: Mapping[str, int], settings: Mapping[str, Mapping[str, str]] | None = None
) -> AsyncIterator[Cluster]:
    """Starts `replicas[service]` processes of each service, the balancer and the proxies; `settings`
    are environment variables by service, over the run's own."""
    run_id = uuid.uuid4().hex[:10]
    workdir = Path(tempfile.mkdtemp(prefix=f"chaos-{run_id}-"))
    key_file = workdir / "signing_key.pem"
    minter = token_minter(key_file)
    exchange = f"chaos_events_{run_id}"
    names = list(replicas)
    sql_services = [name for name in names if name in ("user_service", "booking_service", "checkin_service")]
    ports = {name: [free_port() for _ in range(count)] for name, count in replicas.items()}
    step(
        "chaos",
        f"starting {', '.join(f'{count}x {name}' for name, count in replicas.items())} (run {run_id})",
    )
    try:
        async with AsyncExitStack() as stack:
            broker, postgres = TcpProxy("127.0.0.1", 5672), TcpProxy("127.0.0.1", 5432)
            for proxy in (broker, postgres):
                await proxy.start()
                stack.push_async_callback(proxy.stop)
            admin_urls = await stack.enter_async_context(sql_databases(sql_services, run_id))
            databases = {name: url.rsplit("/", 1)[1] for name, url in admin_urls.items()}
            through_proxy = {
                name: f"postgresql+asyncpg://postgres@127.0.0.1:{postgres.port}/{database}"
                for name, database in databases.items()
            }
            mongo_url = (await stack.enter_async_context(EmbeddedMongo(port=free_port()))).url
            front = balancer(workdir, ports)
            urls = {name: f"http://127.0.0.1:{port}" for name, port in front.ports.items()}
            every_service = environments(
                urls,
                through_proxy,
                exchange=exchange,
                mongo_url=mongo_url,
                signing_key_file=key_file,
                name=lambda kind: f"chaos_{kind}_{run_id}",
            )
            variables = {
                name: {**every_service[name], **_extra(name, broker), **(settings or {}).get(name, {})}
                for name in names
            }
            queues = durable_queues_of(variables)
            stack.push_async_callback(drop_databases, mongo_url, *mongo_databases_of(variables).values())
            stack.push_async_callback(delete_broker_objects, exchange, queues)
            await front.start()
            stack.push_async_callback(front.stop)
            cluster = Cluster(
                replicas={
                    name: [
                        Replica(name, index, port, variables[name], workdir)
                        for index, port in enumerate(ports[name])
                    ]
                    for name in names
                },
                urls=urls,
                balancer=front,
                broker=broker,
                postgres=postgres,
                minter=minter,
                mongo_url=mongo_url,
                databases=databases,
                mongo_databases=mongo_databases_of(variables),
                queues=queues,
                workdir=workdir,
            )
            every_replica = [replica for group in cluster.replicas.values() for replica in group]
            for replica in every_replica:
                stack.push_async_callback(_stop, replica)
            # The first of each service migrates its database alone; the others find it done.
            await asyncio.gather(*(group[0].start() for group in cluster.replicas.values()))
            await asyncio.gather(
                *(group[i].start() for group in cluster.replicas.values() for i in range(1, len(group)))
            )
            await wait_for(lambda: _all_ready(urls.values()), timeout=READY_TIMEOUT_SECONDS)
            step("chaos", f"{len(every_replica)} replicas ready behind {type(front).__name__}")
            yield cluster
            step("chaos", "stopping")
    except BaseException:
        print(f"service logs kept in {workdir}")
        raise
    shutil.rmtree(workdir, ignore_errors=True)


async def _all_ready(urls: Iterable[str]) -> bool:
    """Whether each service answers ready through the balancer."""
    return all(await asyncio.gather(*(is_ready(url) for url in urls)))


async def _stop(replica: Replica) -> None:
    if replica.process is not None:
        await replica.process.stop()
