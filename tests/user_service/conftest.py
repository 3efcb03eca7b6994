import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from tests.conftest import DEV_ADMIN, wait_for
from user_service.main import create_app
from user_service.settings import UserSettings

_client_addresses = (f"10.{a}.{b}.{c}" for a, b, c in itertools.product(range(1, 255), repeat=3))


def make_user(name: str, **overrides: Any) -> dict[str, Any]:
    return {
        "username": name,
        "email": f"{name}@example.com",
        "password": "a-long-password",
        "full_name": name.title(),
        **overrides,
    }


@asynccontextmanager
async def running(settings: UserSettings, *, wait_ready: bool = True) -> AsyncIterator[FastAPI]:
    """Runs the app's lifespan; waits until it reports ready unless told not to."""
    app = create_app(settings)
    async with LifespanManager(app, startup_timeout=30):
        if wait_ready:
            async with client_for(app) as client:
                await wait_for(lambda: _is_ready(client), timeout=30)
        yield app


async def _is_ready(client: httpx.AsyncClient) -> bool:
    return (await client.get("/ready")).status_code == 200


def client_for(app: FastAPI, address: str | None = None) -> httpx.AsyncClient:
    """A client calling the app in-process from its own IP, so rate limits don't leak between tests."""
    transport = httpx.ASGITransport(app=app, client=(address or next(_client_addresses), 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://users.test")


@pytest.fixture(scope="session")
async def users_app(user_settings: UserSettings) -> AsyncIterator[FastAPI]:
    async with running(user_settings) as app:
        yield app


@pytest.fixture
async def client(users_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(users_app) as client:
        yield client


async def login(client: httpx.AsyncClient, username: str, password: str) -> str:
    response = await client.post("/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def admin_token(client: httpx.AsyncClient) -> str:
    return await login(client, DEV_ADMIN["username"], DEV_ADMIN["password"])
