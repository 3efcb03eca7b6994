from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest

from tests.conftest import DEV_ADMIN, wait_for
from tests.fuzz.conftest import FuzzCase, Target, fuzz, fuzz_cases, is_ready
from tests.servers import serve
from tests.user_service.conftest import make_user
from user_service.main import create_app
from user_service.settings import UserSettings

CASES = fuzz_cases(create_app(UserSettings(env="test")).openapi(), callers=("admin", "service", "anonymous"))


@pytest.fixture(scope="module")
async def targets(
    user_settings: UserSettings, create_database: Callable[[str], Awaitable[str]], run_id: str
) -> AsyncIterator[dict[str, Target]]:
    """A user service on a database of its own, with two users besides its admin."""
    settings = user_settings.model_copy(
        update={
            "database_url": await create_database("users"),
            # Limits would answer most generated requests 429 before the route ever saw them.
            "login_rate_limit": "10000/minute",
            "login_failure_limit": "10000/minute",
            "register_rate_limit": "10000/minute",
            "rate_limit_key_prefix": f"test-fuzz-{run_id}",
        }
    )
    async with serve(create_app(settings)) as url, httpx.AsyncClient(base_url=url) as client:
        await wait_for(lambda: is_ready(url), timeout=30)
        admin_token = (await client.post("/login", json=DEV_ADMIN)).json()["access_token"]
        service_token = (
            await client.post(
                "/token",
                data={"grant_type": "client_credentials"},
                auth=("booking_service", "booking-service-dev-secret"),
            )
        ).json()["access_token"]
        user_ids = []
        for name in ("fuzzed-ada", "fuzzed-grace"):
            response = await client.post("/register", json=make_user(name))
            assert response.status_code == 201, response.text
            user_ids.append(response.json()["id"])
        known_ids = {"user_id": user_ids}
        yield {
            "admin": Target(url, {"Authorization": f"Bearer {admin_token}"}, known_ids),
            "service": Target(url, {"Authorization": f"Bearer {service_token}"}, known_ids),
            "anonymous": Target(url, {}, known_ids),
        }


@pytest.mark.parametrize("case", CASES)
async def test_user_api(targets: dict[str, Target], case: FuzzCase) -> None:
    await fuzz(targets, case)
