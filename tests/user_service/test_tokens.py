import base64
import json
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI

from tests.user_service.conftest import bearer, login, make_user


@pytest.fixture
async def user_token(client: httpx.AsyncClient) -> str:
    await client.post("/register", json=make_user("token_user"))
    return await login(client, "token_user", "a-long-password")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(token: str) -> dict[str, object]:
    return jwt.decode(token, options={"verify_signature": False})


def _resign(users_app: FastAPI, claims: dict[str, object], key: object = None) -> str:
    signing_key = users_app.state.signing_key
    return jwt.encode(
        claims, key or signing_key.private_key, algorithm="EdDSA", headers={"kid": signing_key.kid}
    )


async def test_users_me_answers_with_a_valid_token(client: httpx.AsyncClient, user_token: str) -> None:
    response = await client.get("/users/me", headers=bearer(user_token))

    assert response.status_code == 200
    assert response.json()["username"] == "token_user"


async def test_no_token_is_401(client: httpx.AsyncClient) -> None:
    response = await client.get("/users/me")

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_tampered_signature_is_401(client: httpx.AsyncClient, user_token: str) -> None:
    header, payload, signature = user_token.split(".")
    flipped = _b64(bytes(b ^ 1 for b in base64.urlsafe_b64decode(signature + "==")))

    response = await client.get("/users/me", headers=bearer(f"{header}.{payload}.{flipped}"))

    assert response.status_code == 401


async def test_tampered_claims_are_401(client: httpx.AsyncClient, user_token: str) -> None:
    header, _, signature = user_token.split(".")
    claims = {**_claims(user_token), "roles": ["admin"]}
    forged = f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"

    assert (await client.get("/users/me", headers=bearer(forged))).status_code == 401


async def test_alg_none_is_401(client: httpx.AsyncClient, user_token: str, users_app: FastAPI) -> None:
    header = {"alg": "none", "typ": "JWT", "kid": users_app.state.signing_key.kid}
    unsigned = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(_claims(user_token)).encode())}."

    assert (await client.get("/users/me", headers=bearer(unsigned))).status_code == 401


async def test_expired_token_is_401(client: httpx.AsyncClient, user_token: str, users_app: FastAPI) -> None:
    past = datetime.now(UTC) - timedelta(hours=1)
    expired = _resign(users_app, {**_claims(user_token), "iat": past, "exp": past + timedelta(minutes=15)})

    assert (await client.get("/users/me", headers=bearer(expired))).status_code == 401


async def test_wrong_audience_is_401(client: httpx.AsyncClient, user_token: str, users_app: FastAPI) -> None:
    other_audience = _resign(users_app, {**_claims(user_token), "aud": "another-platform"})

    assert (await client.get("/users/me", headers=bearer(other_audience))).status_code == 401


async def test_token_signed_by_another_key_is_401(
    client: httpx.AsyncClient, user_token: str, users_app: FastAPI
) -> None:
    foreign = _resign(users_app, _claims(user_token), key=Ed25519PrivateKey.generate())

    assert (await client.get("/users/me", headers=bearer(foreign))).status_code == 401


async def test_service_client_gets_a_service_token(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "booking_service",
            "client_secret": "booking-service-dev-secret",
        },
    )

    assert response.status_code == 200
    claims = _claims(response.json()["access_token"])
    assert claims["roles"] == ["service"]
    assert claims["sub"] == "service:booking_service"


async def test_service_client_may_authenticate_with_http_basic(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/token",
        data={"grant_type": "client_credentials"},
        auth=("booking_service", "booking-service-dev-secret"),
    )

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("client_id", "secret"), [("booking_service", "wrong"), ("unknown_service", "booking-service-dev-secret")]
)
async def test_wrong_client_credentials_are_401(
    client: httpx.AsyncClient, client_id: str, secret: str
) -> None:
    response = await client.post(
        "/token", data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    )

    assert response.status_code == 401


async def test_unsupported_grant_type_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post("/token", data={"grant_type": "password", "client_id": "booking_service"})

    assert response.status_code == 422
