import httpx
import pytest

from tests.user_service.conftest import client_for, running
from user_service.settings import UserSettings


async def test_docs_and_openapi_answer(client: httpx.AsyncClient) -> None:
    assert (await client.get("/docs")).status_code == 200
    schema = (await client.get("/openapi.json")).json()
    assert {"/register", "/login", "/users/me", "/.well-known/jwks.json"} <= schema["paths"].keys()


async def test_health_ready_and_metrics(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health")).json() == {"status": "ok"}
    ready = await client.get("/ready")
    assert ready.status_code == 200
    # Redis counts the login and registration limits whenever REDIS_URL is set, as it is here.
    assert ready.json()["checks"] == {"database": "ok", "broker": "ok", "redis": "ok"}
    metrics = await client.get("/metrics")
    assert metrics.status_code == 200
    assert "http_request" in metrics.text


async def test_request_id_is_created_when_missing(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")

    assert len(response.headers["X-Request-ID"]) >= 16


async def test_ready_is_503_naming_the_database_when_it_points_at_nothing(
    user_settings: UserSettings,
) -> None:
    settings = user_settings.model_copy(
        update={"database_url": "postgresql+asyncpg://postgres@127.0.0.1:1/nothing_here"}
    )
    async with running(settings, wait_ready=False) as app, client_for(app) as client:
        response = await client.get("/ready")
        register = await client.post(
            "/register",
            json={
                "username": "nodb",
                "email": "nodb@example.com",
                "password": "a-long-password",
                "full_name": "N",
            },
        )

    assert response.status_code == 503
    assert "database" in response.json()["status"]
    assert register.status_code == 503
    assert "database" in register.json()["detail"].lower()


@pytest.mark.parametrize("secret", ["admin_password", "service_clients"])
def test_production_refuses_default_secrets(secret: str) -> None:
    values = {
        "env": "production",
        "signing_key": "-----BEGIN PRIVATE KEY-----",
        "admin_password": "a-real-password",
        "service_clients": {"booking_service": "a-real-secret"},
    }
    values.pop(secret)

    with pytest.raises(ValueError, match=secret.upper()):
        UserSettings(**values)


def test_production_requires_a_signing_key() -> None:
    with pytest.raises(ValueError, match="SIGNING_KEY"):
        UserSettings(env="production", admin_password="x" * 12, service_clients={"b": "real-secret"})


async def test_cors_allows_local_frontends_and_no_one_else(client: httpx.AsyncClient) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}

    local = await client.options("/login", headers={"Origin": "http://localhost:5173", **preflight})
    foreign = await client.options("/login", headers={"Origin": "https://evil.example", **preflight})

    assert local.status_code == 200
    assert local.headers["Access-Control-Allow-Origin"] == "http://localhost:5173"
    assert "Access-Control-Allow-Origin" not in foreign.headers
