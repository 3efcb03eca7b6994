"""PostgreSQL at its limits answers 503 in seconds, never 500 after 30 s: a pool with no free
connection, a role over its connection limit, a deadlock. Over real HTTP against the real server."""

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from tests.accounts import DEV_ADMIN
from tests.apps import is_ready, served, wait_for, wait_ready
from tests.backends import POSTGRES_ADMIN_DSN
from tests.servers import serve
from tests.user_service.conftest import make_user, own_limits
from user_service.main import create_app
from user_service.settings import UserSettings

POOL_TIMEOUT_SECONDS = 1.0


def _dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


@asynccontextmanager
async def _admin(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A superuser connection to the service's database, outside the service."""
    connection = await asyncpg.connect(_dsn(database_url))
    try:
        yield connection
    finally:
        await connection.close()


async def _waiting_on_lock(database_url: str, query_start: str) -> bool:
    """Whether a backend of the service's database waits on a lock while running a query starting so.

    Asked on a connection of its own: inside a transaction, `pg_stat_activity` stays as first read.
    """
    async with _admin(database_url) as watcher:
        waiting = await watcher.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND query ILIKE $1",
            f"{query_start}%",
        )
    return bool(waiting)


@pytest.fixture
async def fresh_settings(
    user_settings: UserSettings, create_database: Callable[[str], Awaitable[str]]
) -> UserSettings:
    """User service settings on a database of its own, so locking its tables disturbs no other test."""
    return own_limits(user_settings, database_url=await create_database("users_limits"))


async def _login(client: httpx.AsyncClient) -> httpx.Response:
    return await client.post(
        "/login", json={"username": DEV_ADMIN["username"], "password": DEV_ADMIN["password"]}
    )


async def test_a_request_finding_no_free_connection_answers_503_within_the_pool_timeout(
    fresh_settings: UserSettings,
) -> None:
    settings = fresh_settings.model_copy(
        update={
            "database_pool_size": 1,
            "database_max_overflow": 0,
            "database_pool_timeout_seconds": POOL_TIMEOUT_SECONDS,
        }
    )
    async with (
        served(create_app(settings)) as url,
        httpx.AsyncClient(base_url=url, timeout=30) as client,
        _admin(settings.database_url) as admin,
    ):
        locking = admin.transaction()
        await locking.start()
        await admin.execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE")
        holding = asyncio.create_task(_login(client))  # takes the only connection, then waits on the lock
        try:
            await wait_for(lambda: _waiting_on_lock(settings.database_url, "SELECT"))
            started = time.monotonic()
            response = await _login(client)
            elapsed = time.monotonic() - started
        finally:
            await locking.rollback()
        assert response.status_code == 503, response.text
        assert response.headers["Retry-After"]
        assert "database" in response.json()["detail"]
        assert elapsed < POOL_TIMEOUT_SECONDS + 3
        assert (await holding).status_code == 200  # the held request completes once the lock goes


@pytest.fixture
async def limited_role(fresh_settings: UserSettings) -> AsyncIterator[str]:
    """A login role that owns the service's database and may open no connection at all."""
    role = f"test_no_connections_{uuid.uuid4().hex[:8]}"
    database = make_url(fresh_settings.database_url).database
    admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await admin.execute(f'CREATE ROLE "{role}" LOGIN CONNECTION LIMIT 0')
        await admin.execute(f'ALTER DATABASE "{database}" OWNER TO "{role}"')
        yield role
    finally:
        await admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1", role)
        async with _admin(fresh_settings.database_url) as own:
            await own.execute(f'REASSIGN OWNED BY "{role}" TO postgres')
            await own.execute(f'DROP OWNED BY "{role}"')
        await admin.execute(f'DROP ROLE "{role}"')
        await admin.close()


async def test_a_role_over_its_connection_limit_answers_503_and_ready_names_the_database(
    fresh_settings: UserSettings, limited_role: str
) -> None:
    url = make_url(fresh_settings.database_url).set(username=limited_role)
    settings = fresh_settings.model_copy(
        update={
            "database_url": url.render_as_string(hide_password=False),
            "database_retry_seconds": 0.2,
        }
    )
    async with (
        serve(create_app(settings)) as base_url,
        httpx.AsyncClient(base_url=base_url, timeout=30) as client,
    ):

        async def broker_connected() -> httpx.Response | None:  # it connects beside the app's start
            ready = await client.get("/ready")
            return ready if ready.json()["checks"]["broker"] == "ok" else None

        ready = await wait_for(broker_connected)
        assert ready.status_code == 503
        assert ready.json()["checks"]["database"] != "ok"

        started = time.monotonic()
        response = await _login(client)
        assert response.status_code == 503, response.text
        assert time.monotonic() - started < 5

        admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
        try:
            await admin.execute(f'ALTER ROLE "{limited_role}" CONNECTION LIMIT -1')
        finally:
            await admin.close()
        await wait_ready(client)  # it recovers by itself once the role may connect again
        assert (await _login(client)).status_code == 200
        assert await is_ready(client)


async def test_a_request_chosen_as_a_deadlock_victim_answers_503_and_a_retry_succeeds(
    fresh_settings: UserSettings,
) -> None:
    user = make_user(f"deadlock{uuid.uuid4().hex[:8]}")
    async with (
        served(create_app(fresh_settings)) as url,
        httpx.AsyncClient(base_url=url, timeout=30) as client,
        _admin(fresh_settings.database_url) as admin,
    ):
        locking = admin.transaction()
        await locking.start()
        # The request, which waits first, is the one PostgreSQL finds in the deadlock and aborts.
        await admin.execute("SET LOCAL deadlock_timeout = '20s'")
        await admin.execute("LOCK TABLE outbox IN ACCESS EXCLUSIVE MODE")
        # Inserts its user (a lock on `users`), then waits on `outbox` to stage `user.registered`.
        registering = asyncio.create_task(client.post("/register", json=user))
        try:
            await wait_for(lambda: _waiting_on_lock(fresh_settings.database_url, "INSERT INTO outbox"))
            started = time.monotonic()
            taking_users = asyncio.create_task(admin.execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE"))
            response = await registering
            elapsed = time.monotonic() - started
            await taking_users
        finally:
            await locking.rollback()
        assert response.status_code == 503, response.text
        assert response.headers["Retry-After"]
        assert elapsed < 10
        assert (await client.post("/register", json=user)).status_code == 201
