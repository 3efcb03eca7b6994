"""Verifying tokens against the user service's JWKS over real HTTP, as every other service does."""

from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.auth import InvalidTokenError, KeysUnavailableError, TokenVerifier, jwks_key_source
from tests.conftest import DEV_ADMIN as ADMIN
from tests.servers import serve
from tests.tcp_proxy import free_port
from user_service.keys import SigningKey
from user_service.main import create_app
from user_service.settings import UserSettings


@pytest.fixture
def users_url(user_service_url: str) -> str:
    return user_service_url


def _verifier(jwks_url: str, settings: UserSettings) -> TokenVerifier:
    return TokenVerifier(
        key_source=jwks_key_source(jwks_url), issuer=settings.jwt_issuer, audience=settings.jwt_audience
    )


async def test_a_login_token_verifies_against_the_served_jwks(
    users_url: str, user_settings: UserSettings
) -> None:
    async with httpx.AsyncClient(base_url=users_url) as client:
        token = (await client.post("/login", json=ADMIN)).json()["access_token"]

    principal = await _verifier(f"{users_url}/.well-known/jwks.json", user_settings).verify(token)

    assert principal.username == "admin"
    assert principal.is_admin and not principal.is_service


async def test_a_token_from_an_unknown_key_refetches_then_fails(
    users_url: str, user_settings: UserSettings
) -> None:
    stranger = SigningKey(Ed25519PrivateKey.generate())
    token = stranger.sign(
        {
            "sub": "x",
            "username": "x",
            "roles": ["admin"],
            "iat": 0,
            "exp": 2**40,
            "iss": user_settings.jwt_issuer,
            "aud": user_settings.jwt_audience,
        }
    )

    with pytest.raises(InvalidTokenError):
        await _verifier(f"{users_url}/.well-known/jwks.json", user_settings).verify(token)


async def test_a_rotated_key_is_picked_up_on_its_first_token(
    users_url: str, user_settings: UserSettings, tmp_path: Path
) -> None:
    verifier = _verifier(f"{users_url}/.well-known/jwks.json", user_settings)
    async with httpx.AsyncClient(base_url=users_url) as client:
        await verifier.verify((await client.post("/login", json=ADMIN)).json()["access_token"])
        rotated = user_settings.model_copy(update={"signing_key_file": tmp_path / "rotated.pem"})
        async with serve(create_app(rotated)) as rotated_url:
            async with httpx.AsyncClient(base_url=rotated_url) as rotated_client:
                await _wait_ready(rotated_client)
                token = (await rotated_client.post("/login", json=ADMIN)).json()["access_token"]
                verifier_of_rotated = _verifier(f"{rotated_url}/.well-known/jwks.json", user_settings)
                await verifier_of_rotated.verify(token)  # caches the rotated service's keys

    assert (await verifier_of_rotated.verify(token)).username == "admin"


async def test_an_unreachable_user_service_is_reported_as_unavailable(user_settings: UserSettings) -> None:
    verifier = _verifier(f"http://127.0.0.1:{free_port()}/.well-known/jwks.json", user_settings)
    token = SigningKey(Ed25519PrivateKey.generate()).sign({"sub": "x"})

    with pytest.raises(KeysUnavailableError):
        await verifier.verify(token)


async def _wait_ready(client: httpx.AsyncClient) -> None:
    from tests.conftest import wait_for

    async def ready() -> bool:
        return (await client.get("/ready")).status_code == 200

    await wait_for(ready, timeout=30)
