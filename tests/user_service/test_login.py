import httpx
import jwt
import pytest
from fastapi import FastAPI

from tests.user_service.conftest import client_for, make_user, running
from user_service.settings import UserSettings


async def test_login_returns_a_token_that_verifies_against_the_jwks(client: httpx.AsyncClient) -> None:
    registered = (await client.post("/register", json=make_user("login_ok"))).json()

    response = await client.post("/login", json={"username": "login_ok", "password": "a-long-password"})

    assert response.status_code == 200
    token = response.json()
    assert token["token_type"] == "bearer"
    assert token["user_id"] == registered["id"]
    jwks = jwt.PyJWKSet.from_dict((await client.get("/.well-known/jwks.json")).json())
    kid = jwt.get_unverified_header(token["access_token"])["kid"]
    claims = jwt.decode(token["access_token"], jwks[kid].key, algorithms=["EdDSA"], audience="event-platform")
    assert claims["sub"] == registered["id"]
    assert claims["roles"] == ["attendee"]
    assert claims["exp"] - claims["iat"] == token["expires_in"]


async def test_login_accepts_email_and_the_oauth2_password_form(client: httpx.AsyncClient) -> None:
    await client.post("/register", json=make_user("login_form"))

    by_email = await client.post(
        "/login", json={"email": "LOGIN_FORM@example.com", "password": "a-long-password"}
    )
    by_form = await client.post("/login", data={"username": "login_form", "password": "a-long-password"})

    assert by_email.status_code == 200
    assert by_form.status_code == 200


async def test_wrong_password_and_unknown_user_get_the_same_401(client: httpx.AsyncClient) -> None:
    await client.post("/register", json=make_user("login_wrong"))

    wrong_password = await client.post("/login", json={"username": "login_wrong", "password": "nope-nope"})
    unknown_user = await client.post("/login", json={"username": "nobody_wrong", "password": "nope-nope"})

    assert wrong_password.status_code == unknown_user.status_code == 401
    assert wrong_password.json() == unknown_user.json()


@pytest.mark.parametrize(
    "body",
    [
        {"password": "x"},
        {"username": "a", "email": "a@example.com", "password": "x"},
        {"username": "a"},
        {"username": "a\x00", "password": "x"},
        {"email": "a\x00@example.com", "password": "x"},
    ],
)
async def test_login_without_exactly_one_identifier_and_a_password_is_422(
    client: httpx.AsyncClient, body: dict[str, str]
) -> None:
    assert (await client.post("/login", json=body)).status_code == 422


async def test_sixth_login_in_a_minute_is_429_with_retry_after(client: httpx.AsyncClient) -> None:
    attempts = [
        await client.post("/login", json={"username": "nobody_sixth", "password": "wrong-password"})
        for _ in range(6)
    ]

    assert [response.status_code for response in attempts] == [401] * 5 + [429]
    assert 0 < int(attempts[-1].headers["Retry-After"]) <= 60


async def test_two_instances_sharing_redis_share_the_limit(
    users_app: FastAPI, user_settings: UserSettings
) -> None:
    address = "192.0.2.77"
    async with running(user_settings) as second_app:
        async with client_for(users_app, address) as first, client_for(second_app, address) as second:
            credentials = {"username": "nobody_shared", "password": "wrong-password"}
            statuses = [(await first.post("/login", json=credentials)).status_code for _ in range(3)]
            statuses += [(await second.post("/login", json=credentials)).status_code for _ in range(3)]

    assert statuses == [401] * 5 + [429]
