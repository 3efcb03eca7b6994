"""`GET /events/{id}` answered from each replica's memory, never older than a change it could know of."""

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from bson import ObjectId
from fastapi import FastAPI

from event_service.models import Event
from event_service.settings import EventSettings
from tests.conftest import Account, rabbitmq_through, wait_for
from tests.event_service.conftest import client_for, create_event, running, unsent_messages
from tests.tcp_proxy import TcpProxy, free_port

ROOT = Path(__file__).resolve().parents[2]


@asynccontextmanager
async def replica_of(app: FastAPI, settings: EventSettings) -> AsyncIterator[httpx.AsyncClient]:
    """Another replica of `app`'s service: the same database and exchange, its own memory.

    It runs as `python -m event_service`, a process of its own as in production: a second app in this
    process would rebind the Beanie models to its own database client and close that client on exit,
    leaving `app` with a closed one.
    """
    port = free_port()
    environment = {
        "ENV": "test",
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
        "MONGO_URL": settings.mongo_url,
        "MONGO_DATABASE": app.state.settings.mongo_database,
        "RABBITMQ_URL": settings.rabbitmq_url,
        "EVENT_EXCHANGE": settings.event_exchange,
        "BROKER_RETRY_SECONDS": str(settings.broker_retry_seconds),
        "OUTBOX_POLL_SECONDS": str(settings.outbox_poll_seconds),
        "JWKS_URL": settings.jwks_url,
        "QUEUE_PREFIX": settings.queue_prefix,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "event_service", cwd=ROOT, env={**os.environ, **environment}
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            await wait_for(lambda: _answers_ready(client, process), timeout=60)
            yield client
    finally:
        if process.returncode is None:
            process.terminate()
        await asyncio.wait_for(process.wait(), timeout=20)


async def _answers_ready(client: httpx.AsyncClient, process: asyncio.subprocess.Process) -> bool:
    assert process.returncode is None, f"The replica exited with {process.returncode}"
    try:
        return (await client.get("/ready")).status_code == 200
    except httpx.TransportError:
        return False


async def change_behind_the_service(event: dict[str, Any], title: str) -> None:
    """Writes straight to the database, with no new version and no message: only a re-read sees it."""
    await Event.get_pymongo_collection().update_one(
        {"_id": ObjectId(event["id"])}, {"$set": {"title": title}}
    )


async def read(client: httpx.AsyncClient, event: dict[str, Any]) -> dict[str, Any]:
    response = await client.get(f"/events/{event['id']}")
    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == f'"{response.json()["version"]}"'
    return response.json()


async def test_a_replica_answers_from_memory_until_another_replica_changes_the_event(
    app: FastAPI, client: httpx.AsyncClient, event_settings: EventSettings, organizer: Account
) -> None:
    event = await create_event(client, organizer, title="Original")
    assert (await read(client, event))["title"] == "Original"
    await change_behind_the_service(event, "Unannounced")
    assert (await read(client, event))["title"] == "Original"  # served from memory

    async with replica_of(app, event_settings) as other:
        changed = await other.patch(
            f"/events/{event['id']}", json={"venue": "New Hall"}, headers=organizer.headers
        )
        assert changed.status_code == 200

        async def seen_by_the_first_replica() -> bool:
            return (await read(client, event))["version"] == 2

        await wait_for(seen_by_the_first_replica, timeout=10)
    current = await read(client, event)
    assert (current["title"], current["venue"]) == ("Unannounced", "New Hall")


async def test_a_replica_answers_its_own_changes_at_once(
    client: httpx.AsyncClient, organizer: Account
) -> None:
    event = await create_event(client, organizer)
    await read(client, event)

    changed = await client.patch(
        f"/events/{event['id']}", json={"title": "Renamed"}, headers=organizer.headers
    )
    assert changed.status_code == 200
    assert ((await read(client, event))["title"], (await read(client, event))["version"]) == ("Renamed", 2)

    assert (await client.delete(f"/events/{event['id']}", headers=organizer.headers)).status_code == 204
    assert (await client.get(f"/events/{event['id']}")).status_code == 404


async def test_views_read_before_a_broker_cut_are_not_trusted_after_it(
    event_settings: EventSettings, organizer: Account
) -> None:
    proxy = TcpProxy("127.0.0.1", 5672)
    await proxy.start()
    cut_off = event_settings.model_copy(update={"rabbitmq_url": rabbitmq_through(proxy)})
    try:
        async with running(cut_off) as app, client_for(app) as client:
            event = await create_event(client, organizer, title="Before the cut")
            await read(client, event)
            broker = app.state.read_cache.broker

            await proxy.stop()
            await wait_for(lambda: _connected(broker, False))
            # The change's message is published while this replica cannot hear it.
            async with replica_of(app, event_settings) as other:
                renamed = {"title": "During the cut"}
                assert (
                    await other.patch(f"/events/{event['id']}", json=renamed, headers=organizer.headers)
                ).is_success
                await wait_for(_all_sent)
            await proxy.start()
            await wait_for(lambda: _connected(broker, True), timeout=30)

            assert (await read(client, event))["title"] == "During the cut"
    finally:
        await proxy.stop()


async def _connected(broker: Any, expected: bool) -> bool:
    return broker.is_connected == expected


async def _all_sent() -> bool:
    return await unsent_messages() == 0
