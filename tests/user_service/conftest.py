import itertools
import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests import apps
from tests.accounts import DEV_ADMIN
from tests.accounts import bearer as bearer
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


def running(settings: UserSettings, *, wait_ready: bool = True) -> AbstractAsyncContextManager[FastAPI]:
    """Runs the app's lifespan; waits until it reports ready unless told not to."""
    return apps.running(create_app(settings), until_ready=wait_ready)


def own_limits(settings: UserSettings, **overrides: Any) -> UserSettings:
    """`settings` with rate-limit keys no other test shares, and `overrides`."""
    prefix = f"{settings.rate_limit_key_prefix}-{uuid.uuid4().hex[:8]}"
    return settings.model_copy(update={"rate_limit_key_prefix": prefix, **overrides})


def client_for(app: FastAPI, address: str | None = None) -> httpx.AsyncClient:
    """A client calling the app in-process from its own IP, so rate limits don't leak between tests."""
    return apps.asgi_client(app, "http://users.test", client=(address or next(_client_addresses), 50000))


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


@pytest.fixture
async def admin_token(client: httpx.AsyncClient) -> str:
    return await login(client, DEV_ADMIN["username"], DEV_ADMIN["password"])
