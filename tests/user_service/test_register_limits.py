"""Registration cannot drain the service: a limit per client, and a bounded number of Argon2 hashes
(64 MiB each) at once, so that login keeps answering under a flood. Real HTTP, PostgreSQL and Redis."""

import asyncio
import time
import uuid
from collections import Counter

import httpx
from limits import parse

from tests.apps import served
from tests.user_service.conftest import make_user, own_limits
from user_service.main import create_app
from user_service.settings import UserSettings


async def test_registrations_from_one_client_are_limited(user_settings: UserSettings) -> None:
    settings = own_limits(user_settings)
    allowed = parse(settings.register_rate_limit).amount
    run = uuid.uuid4().hex[:6]
    async with served(create_app(settings)) as url, httpx.AsyncClient(base_url=url, timeout=60) as client:
        statuses = [
            (await client.post("/register", json=make_user(f"r{run}_{i}"))).status_code
            for i in range(allowed)
        ]
        refused = await client.post("/register", json=make_user(f"r{run}_over"))
        elsewhere = await client.post(
            "/register", json=make_user(f"r{run}_else"), headers={"X-Forwarded-For": "10.9.9.9"}
        )

    assert statuses == [201] * allowed
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= parse(settings.register_rate_limit).get_expiry()
    assert elsewhere.status_code == 201


async def test_a_registration_flood_is_shed_with_503_while_login_keeps_answering(
    user_settings: UserSettings,
) -> None:
    settings = own_limits(
        user_settings,
        register_rate_limit="10000/minute",
        register_hash_concurrency=1,
        register_queue_size=2,
    )
    run = uuid.uuid4().hex[:6]
    steady = make_user(f"steady{run}")
    limits = httpx.Limits(max_connections=100)
    async with (
        served(create_app(settings)) as url,
        httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client,
    ):
        assert (await client.post("/register", json=steady)).status_code == 201
        flood = [
            asyncio.create_task(client.post("/register", json=make_user(f"flood{run}_{i:02}")))
            for i in range(30)
        ]
        # The first answer to come back is a refusal: every hash slot and queue place is taken.
        await asyncio.wait(flood, return_when=asyncio.FIRST_COMPLETED)

        async def timed_login() -> tuple[httpx.Response, float]:
            started = time.monotonic()
            response = await client.post(
                "/login", json={"username": steady["username"], "password": steady["password"]}
            )
            return response, time.monotonic() - started

        (login, login_seconds), taken = await asyncio.gather(
            timed_login(), client.post("/register", json=steady)
        )
        answers = await asyncio.gather(*flood)

    statuses = Counter(response.status_code for response in answers)
    assert set(statuses) <= {201, 503}, statuses
    assert statuses[503] > 0 and statuses[201] > 0, statuses
    assert all(int(r.headers["Retry-After"]) > 0 for r in answers if r.status_code == 503)
    assert login.status_code == 200
    assert login_seconds < 1.0  # the promise: login answers in under a second during the flood
    # A taken name is refused before any hashing, so a full queue does not hide it behind a 503.
    assert taken.status_code == 409
