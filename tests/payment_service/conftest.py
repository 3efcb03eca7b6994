"""A payment service per test on a database of its own, verifying tokens from the real user service."""

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from payment_service.main import create_app
from payment_service.settings import PaymentSettings
from tests import apps
from tests.accounts import bearer
from tests.apps import is_ready
from tests.conftest import Account, wait_for


def payment_body(user_id: str, /, **overrides: Any) -> dict[str, Any]:
    return {
        "booking_id": f"booking-{uuid.uuid4().hex[:8]}",
        "user_id": user_id,
        "amount": 5000,
        "currency": "EUR",
        "payment_method": "pm_card_visa",
        **overrides,
    }


def with_key(headers: dict[str, str], key: str | None = None) -> dict[str, str]:
    """Returns `headers` plus an Idempotency-Key: `key`, or a fresh one."""
    return {**headers, "Idempotency-Key": key or uuid.uuid4().hex}


def running(settings: PaymentSettings) -> AbstractAsyncContextManager[FastAPI]:
    return apps.running(create_app(settings))


def client_for(app: FastAPI) -> httpx.AsyncClient:
    return apps.asgi_client(app, "http://payments.test")


@pytest.fixture
def payment_settings(
    service_settings: Callable[..., Any], mongo_url: str, fresh_mongo_database: Callable[[str], str]
) -> PaymentSettings:
    """Settings for a fresh database, dropped afterwards."""
    return service_settings(
        PaymentSettings, mongo_url=mongo_url, mongo_database=fresh_mongo_database("payments")
    )


@pytest.fixture
async def app(payment_settings: PaymentSettings) -> AsyncIterator[FastAPI]:
    async with running(payment_settings) as app:
        yield app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(app) as client:
        yield client


@pytest.fixture
async def ready_client(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """The client once the service is connected to the broker, for tests that expect messages."""
    await wait_for(lambda: is_ready(client))
    return client


@pytest.fixture(scope="session")
async def payer(make_account: Callable[..., Awaitable[Account]]) -> Account:
    return await make_account()


@pytest.fixture(scope="session")
async def other_user(make_account: Callable[..., Awaitable[Account]]) -> Account:
    return await make_account()


@pytest.fixture(scope="session")
async def admin(make_account: Callable[..., Awaitable[Account]]) -> Account:
    return await make_account("admin")


@pytest.fixture(scope="session")
def service_headers(service_token: str) -> dict[str, str]:
    return bearer(service_token)


@pytest.fixture
async def pay(
    client: httpx.AsyncClient, payer: Account, service_headers: dict[str, str]
) -> Callable[..., Awaitable[dict[str, Any]]]:
    """Returns a function that makes a payment of `payer`'s, as the booking service does, and returns it."""

    async def make(**overrides: Any) -> dict[str, Any]:
        response = await client.post(
            "/payments", json=payment_body(payer.id, **overrides), headers=with_key(service_headers)
        )
        assert response.status_code == 201, response.text
        return response.json()

    return make
