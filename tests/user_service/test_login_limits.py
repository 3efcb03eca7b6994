"""Failed logins are limited per account as well as per client, over real HTTP, counted in real Redis.

The services trust `X-Forwarded-For` from 127.0.0.1 (uvicorn's default, as behind a local proxy), so
each attempt below claims another client address: only the account's own limit can stop them.
"""

import uuid

import httpx
import pytest
from limits import parse

from tests.apps import served, wait_for
from tests.user_service.conftest import make_user, own_limits
from user_service.main import create_app
from user_service.settings import UserSettings

PASSWORD = "a-long-password"


def _from(address: int) -> dict[str, str]:
    return {"X-Forwarded-For": f"10.0.{address // 250}.{address % 250 + 1}"}


@pytest.mark.parametrize("registered", [True, False], ids=["known account", "unknown account"])
async def test_failed_logins_of_one_account_are_limited_whatever_address_they_claim(
    user_settings: UserSettings, registered: bool
) -> None:
    settings = own_limits(user_settings)
    allowed = parse(settings.login_failure_limit).amount
    name = f"victim{uuid.uuid4().hex[:8]}"
    async with served(create_app(settings)) as first, served(create_app(settings)) as second:
        async with httpx.AsyncClient(timeout=30) as client:
            if registered:
                assert (await client.post(f"{first}/register", json=make_user(name))).status_code == 201
            statuses = []
            for attempt in range(allowed + 1):
                replica = (first, second)[attempt % 2]  # replicas share the count through Redis
                response = await client.post(
                    f"{replica}/login",
                    json={"username": name, "password": f"guess-{attempt}"},
                    headers=_from(attempt),
                )
                statuses.append(response.status_code)
            right_password = await client.post(
                f"{first}/login", json={"username": name, "password": PASSWORD}, headers=_from(999)
            )

    assert statuses == [401] * allowed + [429]
    assert 0 < int(response.headers["Retry-After"]) <= parse(settings.login_failure_limit).get_expiry()
    assert "failed logins" in response.json()["detail"]
    # While the account is held, not even its password opens it: guessing is what the hold stops.
    assert right_password.status_code == 429


async def test_a_held_account_opens_again_once_its_failures_age_out(user_settings: UserSettings) -> None:
    settings = own_limits(user_settings, login_failure_limit="3/5 seconds", login_rate_limit="10000/minute")
    name = f"held{uuid.uuid4().hex[:8]}"
    async with served(create_app(settings)) as url, httpx.AsyncClient(base_url=url, timeout=30) as client:
        assert (await client.post("/register", json=make_user(name))).status_code == 201
        for attempt in range(3):
            await client.post("/login", json={"username": name, "password": f"guess-{attempt}"})
        held = await client.post("/login", json={"username": name, "password": PASSWORD})

        async def opened() -> bool:
            # Attempts refused while the account is held are not failures: they do not prolong it.
            response = await client.post("/login", json={"username": name, "password": PASSWORD})
            return response.status_code == 200

        assert held.status_code == 429
        await wait_for(opened, timeout=15, interval=0.2)


async def test_a_successful_login_forgets_the_failures_before_it(user_settings: UserSettings) -> None:
    settings = own_limits(user_settings, login_failure_limit="3/minute", login_rate_limit="10000/minute")
    name = f"forgetful{uuid.uuid4().hex[:8]}"
    wrong = {"username": name, "password": "not-the-password"}
    right = {"username": name, "password": PASSWORD}
    async with served(create_app(settings)) as url, httpx.AsyncClient(base_url=url, timeout=30) as client:
        assert (await client.post("/register", json=make_user(name))).status_code == 201
        statuses = [
            (await client.post("/login", json=credentials)).status_code
            for credentials in (wrong, wrong, right, wrong, wrong, wrong, right)
        ]

    assert statuses == [401, 401, 200, 401, 401, 401, 429]
