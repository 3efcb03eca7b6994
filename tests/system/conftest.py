"""The five services as real processes, started as `make run` starts them, on free ports."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import aio_pika
import pytest

from scripts.embedded_mongo import drop_databases
from tests.backends import remove_queues
from tests.processes import ROOT as ROOT
from tests.processes import SERVICES, ServiceProcess, durable_queues_of, environments, mongo_databases_of
from tests.tcp_proxy import free_port


@dataclass(frozen=True)
class Services:
    urls: dict[str, str]

    def __getattr__(self, name: str) -> str:
        return self.urls[name]


@pytest.fixture(scope="package")
async def services(
    create_database: Callable[[str], Awaitable[str]],
    exchange_name: str,
    run_id: str,
    amqp: aio_pika.abc.AbstractRobustConnection,
    tmp_path_factory: pytest.TempPathFactory,
    mongo_url: str,
) -> AsyncIterator[Services]:
    ports = {name: free_port() for name in SERVICES}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    databases = {
        "user_service": await create_database("system_users"),
        "booking_service": await create_database("system_bookings"),
        "checkin_service": await create_database("system_checkin"),
    }
    variables = environments(
        urls,
        databases,
        exchange=exchange_name,
        mongo_url=mongo_url,
        signing_key_file=tmp_path_factory.mktemp("system") / "signing_key.pem",
        name=lambda kind: f"test_system_{kind}_{run_id}",
    )
    # Every caller here is 127.0.0.1; the limit itself is tested in tests/user_service.
    variables["user_service"]["LOGIN_RATE_LIMIT"] = "1000/minute"
    variables["user_service"]["REGISTER_RATE_LIMIT"] = "1000/minute"
    for service_variables in variables.values():
        service_variables["LOG_LEVEL"] = "WARNING"
    started = [ServiceProcess(name, variables[name], port=ports[name]) for name in SERVICES]
    try:
        for process in started:
            await process.launch()
        for process in started:
            await process.wait_ready(timeout=60)
        yield Services(urls)
    finally:
        await asyncio.gather(*(process.stop() for process in started))
        await remove_queues(amqp, durable_queues_of(variables))
        await drop_databases(mongo_url, *mongo_databases_of(variables).values())
