"""Verifying tokens against the user service's JWKS over real HTTP, as every other service does."""

import inspect
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.auth import (
    REMEMBER_TOKEN_SECONDS,
    InvalidTokenError,
    KeysUnavailableError,
    TokenVerifier,
    jwks_key_source,
)
from tests.apps import served, wait_for
from tests.conftest import DEV_ADMIN as ADMIN
from tests.tcp_proxy import TcpProxy, free_port
from user_service.keys import SigningKey
from user_service.main import create_app
from user_service.settings import UserSettings


@pytest.fixture
def users_url(user_service_url: str) -> str:
    return user_service_url


def _verifier(jwks_url: str, settings: UserSettings, **options: float) -> TokenVerifier:
    return TokenVerifier(
        key_source=jwks_key_source(jwks_url, **options),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
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


def _jwks_behind(proxy: TcpProxy) -> str:
    return f"http://127.0.0.1:{proxy.port}/.well-known/jwks.json"


@pytest.fixture
async def users_proxy(users_url: str) -> AsyncIterator[TcpProxy]:
    """The user service behind an address a test can move to another one: a key rotation, as seen."""
    address = urlsplit(users_url)
    proxy = TcpProxy(address.hostname or "127.0.0.1", address.port or 80)
    await proxy.start()
    yield proxy
    await proxy.stop()


async def test_a_rotated_key_is_picked_up_on_its_first_token(
    users_url: str, users_proxy: TcpProxy, user_settings: UserSettings, tmp_path: Path
) -> None:
    """The user service at one address starts signing with a new key: its first token verifies at once,
    the unknown key id making the verifier fetch the key set again."""
    verifier = _verifier(_jwks_behind(users_proxy), user_settings, refetch_cooldown_seconds=0)
    rotated = user_settings.model_copy(update={"signing_key_file": tmp_path / "rotated.pem"})
    async with httpx.AsyncClient() as client, served(create_app(rotated)) as rotated_url:
        old_token = (await client.post(f"{users_url}/login", json=ADMIN)).json()["access_token"]
        assert (await verifier.verify(old_token)).username == "admin"  # the old key set is cached
        users_proxy.target = ("127.0.0.1", urlsplit(rotated_url).port or 80)  # the rotation, at one address
        new_token = (await client.post(f"{rotated_url}/login", json=ADMIN)).json()["access_token"]

        assert (await verifier.verify(new_token)).username == "admin"


async def test_an_unreachable_user_service_is_reported_as_unavailable(user_settings: UserSettings) -> None:
    verifier = _verifier(f"http://127.0.0.1:{free_port()}/.well-known/jwks.json", user_settings)
    token = SigningKey(Ed25519PrivateKey.generate()).sign({"sub": "x"})

    with pytest.raises(KeysUnavailableError):
        await verifier.verify(token)


def _claims(settings: UserSettings) -> dict[str, object]:
    return {
        "sub": "x",
        "username": "x",
        "roles": ["admin"],
        "iat": 0,
        "exp": 2**40,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
    }


async def _jwks_fetches(users_url: str) -> int:
    """How many times the user service has answered its JWKS, from its own metrics."""
    async with httpx.AsyncClient(base_url=users_url) as client:
        exposition = (await client.get("/metrics")).text
    jwks = r'^http_requests_total\{[^}]*handler="/\.well-known/jwks\.json"[^}]*\} (\S+)$'
    counts = re.findall(jwks, exposition, re.M)
    assert counts, "the user service has not counted a JWKS request yet"
    return int(sum(float(count) for count in counts))


async def test_tokens_naming_random_kids_do_not_refetch_the_jwks_each_time(
    users_url: str, user_settings: UserSettings
) -> None:
    verifier = _verifier(f"{users_url}/.well-known/jwks.json", user_settings)
    async with httpx.AsyncClient(base_url=users_url) as client:
        await verifier.verify((await client.post("/login", json=ADMIN)).json()["access_token"])
    before = await _jwks_fetches(users_url)

    for _ in range(50):
        stranger = SigningKey(Ed25519PrivateKey.generate())  # every token names a kid never seen
        with pytest.raises(InvalidTokenError):
            await verifier.verify(stranger.sign(_claims(user_settings)))

    assert await _jwks_fetches(users_url) - before <= 1


async def test_a_key_removed_from_the_jwks_stops_verifying(
    users_url: str, users_proxy: TcpProxy, user_settings: UserSettings, tmp_path: Path
) -> None:
    """The user service at one address starts signing with a new key and publishes only that one."""
    verifier = _verifier(
        _jwks_behind(users_proxy), user_settings, cache_seconds=1, refetch_cooldown_seconds=0.5
    )
    rotated = user_settings.model_copy(update={"signing_key_file": tmp_path / "rotated.pem"})
    async with httpx.AsyncClient() as client, served(create_app(rotated)) as rotated_url:
        old_token = (await client.post(f"{users_url}/login", json=ADMIN)).json()["access_token"]
        new_token = (await client.post(f"{rotated_url}/login", json=ADMIN)).json()["access_token"]
        assert (await verifier.verify(old_token)).username == "admin"

        users_proxy.target = ("127.0.0.1", urlsplit(rotated_url).port or 80)  # the rotation, at one address

        async def new_key_verifies() -> bool:
            try:
                return (await verifier.verify(new_token)).username == "admin"
            except InvalidTokenError:
                return False

        async def old_key_refused() -> bool:
            try:
                await verifier.verify(old_token)
            except InvalidTokenError:
                return True
            return False

        await wait_for(new_key_verifies, timeout=10)
        await wait_for(old_key_refused, timeout=10)


def test_by_default_a_removed_key_stops_verifying_within_a_minute() -> None:
    """A key is kept at most `cache_seconds` after the key set that held it, itself kept as long, and
    a token it verified is remembered `REMEMBER_TOKEN_SECONDS` more."""
    cache_seconds = inspect.signature(jwks_key_source).parameters["cache_seconds"].default
    assert cache_seconds * 2 + REMEMBER_TOKEN_SECONDS <= 60


async def test_a_remembered_token_is_refused_once_it_expires() -> None:
    signer = SigningKey(Ed25519PrivateKey.generate())

    async def the_signers_key(kid: str) -> object:
        return signer.public_key

    verifier = TokenVerifier(key_source=the_signers_key, issuer="users", audience="platform")
    now = int(time.time())
    claims = {"sub": "u1", "username": "u1", "roles": ["attendee"], "iss": "users", "aud": "platform"}
    token = signer.sign({**claims, "iat": now, "exp": now + 2})
    assert (await verifier.verify(token)).username == "u1"
    assert (await verifier.verify(token)).username == "u1"  # remembered

    async def refused() -> bool:
        try:
            await verifier.verify(token)
        except InvalidTokenError:
            return True
        return False

    await wait_for(refused, timeout=10)
