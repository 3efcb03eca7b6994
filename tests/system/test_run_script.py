"""`make run` as a newcomer runs it: it names what is missing, and a restart keeps what was written.

These tests start `python -m scripts.run` itself, so they use its fixed ports (8000-8004, MongoDB on
27017) and its development stores: run them with no `make run` going.
"""

import asyncio
import os
import sys
import uuid
from collections.abc import Mapping

import httpx
import pytest

from scripts.embedded_mongo import DEVELOPMENT_PORT
from scripts.run import SERVICES
from tests.booking_service.conftest import publish_event
from tests.conftest import DEV_ADMIN, Account, wait_for
from tests.system.conftest import ROOT
from tests.system.make_run import make_run, require_free
from tests.tcp_proxy import free_port

USERS, EVENTS, BOOKINGS, PAYMENTS, NOTIFICATIONS = (
    f"http://127.0.0.1:{SERVICES[name]}"
    for name in (
        "user_service",
        "event_service",
        "booking_service",
        "payment_service",
        "notification_service",
    )
)


@pytest.mark.parametrize(
    ("variable", "name"),
    [("RABBITMQ_URL", "RabbitMQ"), ("DATABASE_URL", "PostgreSQL"), ("MONGO_URL", "MongoDB")],
)
async def test_run_fails_fast_naming_the_missing_piece(variable: str, name: str) -> None:
    nowhere = f"mongodb://127.0.0.1:{free_port()}" if name == "MongoDB" else f"tcp://127.0.0.1:{free_port()}"
    returncode, output = await _run_until_exit({variable: nowhere})

    assert returncode == 1
    assert f"{name} is not reachable at {nowhere}" in output


async def test_run_refuses_a_mongodb_port_held_by_something_else() -> None:
    """Never write into an unknown server: a listener on 27017 that is not a MongoDB stops the run."""

    async def speak_http(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(1024)
        writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
        writer.close()

    require_free(DEVELOPMENT_PORT)
    impostor = await asyncio.start_server(speak_http, "127.0.0.1", DEVELOPMENT_PORT)
    try:
        returncode, output = await _run_until_exit({})
    finally:
        impostor.close()
        await impostor.wait_closed()

    assert returncode == 1
    assert f"127.0.0.1:{DEVELOPMENT_PORT} is taken by something that is not a MongoDB server" in output


async def test_a_restart_keeps_events_payments_and_notifications() -> None:
    async with make_run() as first_output, httpx.AsyncClient(timeout=30) as client:
        assert "MongoDB (embedded) listening at" in first_output()
        organizer, attendee = await _organizer_and_attendee(client)
        event = await publish_event(EVENTS, organizer, title=f"Restart {uuid.uuid4().hex[:8]}", price=3500)
        booked = await client.post(
            f"{BOOKINGS}/bookings", json={"event_id": event["id"], "tickets": 2}, headers=attendee.headers
        )
        assert booked.status_code == 201, booked.text
        booking = booked.json()
        assert booking["status"] == "confirmed"
        told = await wait_for(lambda: _notifications_about(client, attendee, booking["id"]), timeout=30)

    async with make_run(), httpx.AsyncClient(timeout=30) as client:
        # The signing key is kept under .data too, so the tokens of the first run still verify.
        reread = await client.get(f"{EVENTS}/events/{event['id']}")
        assert reread.status_code == 200, reread.text
        assert (reread.json()["title"], reread.json()["price"]) == (event["title"], 3500)
        payments = await client.get(
            f"{PAYMENTS}/payments", params={"booking_id": booking["id"]}, headers=attendee.headers
        )
        assert payments.status_code == 200, payments.text
        assert [(p["amount"], p["status"]) for p in payments.json()["items"]] == [(7000, "succeeded")]
        kept = await _notifications_about(client, attendee, booking["id"])
        assert kept is not None and set(told) <= set(kept)


async def _run_until_exit(environment: Mapping[str, str]) -> tuple[int, str]:
    run = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "scripts.run",
        cwd=ROOT,
        env={**os.environ, **environment},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(run.communicate(), timeout=30)
    assert run.returncode is not None
    return run.returncode, output.decode()


async def _organizer_and_attendee(client: httpx.AsyncClient) -> tuple[Account, Account]:
    admin = await _login(client, DEV_ADMIN["username"], DEV_ADMIN["password"])
    organizer, attendee = await _register(client, "org"), await _register(client, "fan")
    promoted = await client.patch(
        f"{USERS}/users/{organizer.id}/roles", json={"roles": ["organizer"]}, headers=admin.headers
    )
    assert promoted.status_code == 200, promoted.text
    # Roles are in the token: log in again to carry the new one.
    return await _login(client, organizer.username, "a-long-password"), attendee


async def _register(client: httpx.AsyncClient, kind: str) -> Account:
    name = f"{kind}{uuid.uuid4().hex[:10]}"
    body = {
        "username": name,
        "email": f"{name}@example.com",
        "password": "a-long-password",
        "full_name": name,
    }
    registered = await client.post(f"{USERS}/register", json=body)
    assert registered.status_code == 201, registered.text
    return await _login(client, name, "a-long-password")


async def _login(client: httpx.AsyncClient, username: str, password: str) -> Account:
    response = await client.post(f"{USERS}/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return Account(id=response.json()["user_id"], username=username, token=response.json()["access_token"])


async def _notifications_about(
    client: httpx.AsyncClient, account: Account, booking_id: str
) -> list[tuple[str, str]] | None:
    response = await client.get(f"{NOTIFICATIONS}/notifications", headers=account.headers)
    assert response.status_code == 200, response.text
    found = [
        (item["id"], item["type"])
        for item in response.json()["items"]
        if item["data"].get("booking_id") == booking_id
    ]
    return found or None
