"""Redis, where the limits are counted, down: a clear 503 in seconds, `/ready` names it, recovery by itself.

Real Redis behind a `TcpProxy` the test cuts (connections dropped, new ones refused) or freezes (no
byte moves, as a host that stops answering); or a port where nothing listens.
"""

import uuid

import httpx
import pytest

from tests.accounts import DEV_ADMIN
from tests.apps import served, wait_for
from tests.servers import serve
from tests.tcp_proxy import TcpProxy, free_port
from tests.user_service.conftest import make_user, own_limits
from user_service.main import create_app
from user_service.settings import UserSettings

# A request that has not answered by then fails the test: a store that is down must not hold it.
CLIENT_TIMEOUT_SECONDS = 10


def _assert_redis_named_down(ready: httpx.Response) -> None:
    assert ready.status_code == 503
    assert ready.json()["status"] == "unavailable: redis"
    assert ready.json()["checks"]["redis"].startswith("unavailable")
    assert ready.json()["checks"]["database"] == "ok"


def _assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert "Redis" in response.json()["detail"]
    assert int(response.headers["Retry-After"]) > 0


async def test_redis_where_nothing_listens_is_503_and_ready_names_it(user_settings: UserSettings) -> None:
    settings = own_limits(user_settings, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    async with (
        serve(create_app(settings)) as url,
        httpx.AsyncClient(base_url=url, timeout=CLIENT_TIMEOUT_SECONDS) as client,
    ):

        async def database_ready() -> bool:
            return (await client.get("/ready")).json()["checks"]["database"] == "ok"

        await wait_for(database_ready, timeout=30)
        ready = await client.get("/ready")
        login = await client.post("/login", json=DEV_ADMIN)
        register = await client.post("/register", json=make_user(f"noredis{uuid.uuid4().hex[:6]}"))

    _assert_redis_named_down(ready)
    _assert_unavailable(login)
    _assert_unavailable(register)


@pytest.mark.parametrize("outage", ["cut", "freeze"])
async def test_redis_lost_while_running_is_503_then_recovers_by_itself(
    user_settings: UserSettings, outage: str
) -> None:
    proxy = TcpProxy("127.0.0.1", 6379)
    await proxy.start()
    settings = own_limits(
        user_settings, redis_url=f"redis://127.0.0.1:{proxy.port}/0", login_rate_limit="10000/minute"
    )
    try:
        async with (
            served(create_app(settings)) as url,
            httpx.AsyncClient(base_url=url, timeout=CLIENT_TIMEOUT_SECONDS) as client,
        ):
            assert (await client.post("/login", json=DEV_ADMIN)).status_code == 200
            if outage == "cut":
                await proxy.stop()
            else:
                proxy.freeze()
            try:
                login = await client.post("/login", json=DEV_ADMIN)
                ready = await client.get("/ready")
            finally:
                if outage == "cut":
                    await proxy.start()
                else:
                    proxy.thaw()

            async def recovered() -> bool:
                answered = await client.post("/login", json=DEV_ADMIN)
                return answered.status_code == 200 and (await client.get("/ready")).status_code == 200

            await wait_for(recovered, timeout=15, interval=0.2)
    finally:
        await proxy.stop()

    _assert_unavailable(login)
    _assert_redis_named_down(ready)
