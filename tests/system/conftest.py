"""The five services as real processes, started as `make run` starts them, on free ports."""

import asyncio
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import aio_pika
import httpx
import pytest

from scripts.embedded_mongo import drop_databases
from tests.conftest import wait_for
from tests.tcp_proxy import free_port

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("user_service", "event_service", "booking_service", "payment_service", "notification_service")


@dataclass(frozen=True)
class Services:
    urls: dict[str, str]

    def __getattr__(self, name: str) -> str:
        return self.urls[name]


def _environments(
    urls: dict[str, str], databases: dict[str, str], exchange: str, run_id: str, keys: Path, mongo_url: str
) -> dict[str, dict[str, str]]:
    common = {
        "ENV": "test",
        "MONGO_URL": mongo_url,
        "EVENT_EXCHANGE": exchange,
        "BROKER_RETRY_SECONDS": "0.5",
        "JWKS_URL": f"{urls['user_service']}/.well-known/jwks.json",
        "LOG_LEVEL": "WARNING",
    }
    return {
        "user_service": {
            **common,
            "DATABASE_URL": databases["users"],
            "SIGNING_KEY_FILE": str(keys),
            "RATE_LIMIT_KEY_PREFIX": f"system-{run_id}",
            # Every caller here is 127.0.0.1; the limit itself is tested in tests/user_service.
            "LOGIN_RATE_LIMIT": "1000/minute",
        },
        "event_service": {**common, "MONGO_DATABASE": f"test_system_events_{run_id}"},
        "booking_service": {
            **common,
            "DATABASE_URL": databases["bookings"],
            "USER_SERVICE_URL": urls["user_service"],
            "EVENT_SERVICE_URL": urls["event_service"],
            "PAYMENT_SERVICE_URL": urls["payment_service"],
            "QUEUE_PREFIX": f"system_booking_{run_id}",
        },
        "payment_service": {**common, "MONGO_DATABASE": f"test_system_payments_{run_id}"},
        "notification_service": {
            **common,
            "MONGO_DATABASE": f"test_system_notifications_{run_id}",
            "QUEUE_PREFIX": f"system_notification_{run_id}",
        },
    }


async def _ready(url: str) -> bool:
    try:
        async with httpx.AsyncClient(base_url=url) as client:
            return (await client.get("/ready")).status_code == 200
    except httpx.TransportError:
        return False


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
        "users": await create_database("system_users"),
        "bookings": await create_database("system_bookings"),
    }
    keys = tmp_path_factory.mktemp("system") / "signing_key.pem"
    environments = _environments(urls, databases, exchange_name, run_id, keys, mongo_url)
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            name,
            cwd=ROOT,
            env={**os.environ, **environments[name], "PORT": str(ports[name])},
        )
        for name in SERVICES
    ]
    try:
        for name in SERVICES:
            await wait_for(lambda name=name: _ready(urls[name]), timeout=60)
        yield Services(urls)
    finally:
        for process in processes:
            process.terminate()
        await asyncio.wait_for(asyncio.gather(*(process.wait() for process in processes)), timeout=20)
        channel = await amqp.channel()
        for environment in environments.values():
            prefix = environment.get("QUEUE_PREFIX")
            if prefix:
                for suffix in ("events", "bookings", "payments", "users"):
                    for queue in (f"{prefix}.{suffix}", f"{prefix}.{suffix}.dlq"):
                        await channel.queue_delete(queue)
        await channel.close()
        await drop_databases(
            mongo_url, *(env["MONGO_DATABASE"] for env in environments.values() if "MONGO_DATABASE" in env)
        )
