import httpx
import pytest

from tests.user_service.conftest import make_user


async def test_register_returns_the_user_without_the_password(client: httpx.AsyncClient) -> None:
    response = await client.post("/register", json=make_user("reg_ok"))

    assert response.status_code == 201
    body = response.json()
    assert body["username"] == "reg_ok"
    assert body["roles"] == ["attendee"]
    assert not {"password", "password_hash"} & body.keys()
    assert "a-long-password" not in response.text


async def test_duplicate_username_is_409_whatever_the_case(client: httpx.AsyncClient) -> None:
    assert (await client.post("/register", json=make_user("dup_name"))).status_code == 201

    response = await client.post("/register", json=make_user("DUP_NAME", email="another@example.com"))

    assert response.status_code == 409
    assert "username" in response.json()["detail"]


async def test_duplicate_email_is_409_whatever_the_case(client: httpx.AsyncClient) -> None:
    assert (await client.post("/register", json=make_user("dup_mail"))).status_code == 201

    response = await client.post("/register", json=make_user("dup_mail_2", email="DUP_MAIL@Example.com"))

    assert response.status_code == 409
    assert "email" in response.json()["detail"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"password": "short"}, "password"),
        ({"username": "x" * 33}, "username"),
        ({"username": "no spaces"}, "username"),
        ({"full_name": "x" * 101}, "full_name"),
        ({"full_name": "Ada\x00"}, "full_name"),
        ({"password": "p" * 129}, "password"),
        ({"roles": ["admin"]}, "roles"),
    ],
)
async def test_invalid_registration_is_422_naming_the_field(
    client: httpx.AsyncClient, overrides: dict[str, object], field: str
) -> None:
    response = await client.post("/register", json=make_user("invalid_user", **overrides))

    assert response.status_code == 422
    assert field in [error["loc"][-1] for error in response.json()["detail"]]


async def test_missing_field_is_422_naming_it(client: httpx.AsyncClient) -> None:
    user = make_user("missing_field")
    del user["full_name"]

    response = await client.post("/register", json=user)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "full_name"]


async def test_malformed_json_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/register", content=b"{not json", headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 422
