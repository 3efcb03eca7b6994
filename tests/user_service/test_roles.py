import httpx

from tests.user_service.conftest import bearer, login, make_user


async def _service_token(client: httpx.AsyncClient) -> str:
    response = await client.post(
        "/token",
        data={"grant_type": "client_credentials"},
        auth=("booking_service", "booking-service-dev-secret"),
    )
    return response.json()["access_token"]


async def test_admin_promotes_a_user_to_organizer(client: httpx.AsyncClient, admin_token: str) -> None:
    user = (await client.post("/register", json=make_user("to_promote"))).json()

    response = await client.patch(
        f"/users/{user['id']}/roles", json={"roles": ["organizer"]}, headers=bearer(admin_token)
    )

    assert response.status_code == 200
    assert response.json()["roles"] == ["organizer"]
    token = await login(client, "to_promote", "a-long-password")
    assert (await client.get("/users/me", headers=bearer(token))).json()["roles"] == ["organizer"]


async def test_a_non_admin_cannot_change_roles(client: httpx.AsyncClient) -> None:
    user = (await client.post("/register", json=make_user("self_promoter"))).json()
    token = await login(client, "self_promoter", "a-long-password")

    response = await client.patch(
        f"/users/{user['id']}/roles", json={"roles": ["admin"]}, headers=bearer(token)
    )

    assert response.status_code == 403


async def test_unknown_roles_are_422(client: httpx.AsyncClient, admin_token: str) -> None:
    user = (await client.post("/register", json=make_user("odd_roles"))).json()

    for roles in (["superuser"], ["service"], []):
        response = await client.patch(
            f"/users/{user['id']}/roles", json={"roles": roles}, headers=bearer(admin_token)
        )
        assert response.status_code == 422, roles


async def test_unknown_user_is_404(client: httpx.AsyncClient, admin_token: str) -> None:
    response = await client.patch(
        "/users/00000000-0000-0000-0000-000000000000/roles",
        json={"roles": ["organizer"]},
        headers=bearer(admin_token),
    )

    assert response.status_code == 404


async def test_a_service_token_cannot_act_as_a_user(client: httpx.AsyncClient) -> None:
    token = await _service_token(client)
    user = (await client.post("/register", json=make_user("service_target"))).json()

    me = await client.get("/users/me", headers=bearer(token))
    promote = await client.patch(
        f"/users/{user['id']}/roles", json={"roles": ["admin"]}, headers=bearer(token)
    )

    assert me.status_code == 403
    assert promote.status_code == 403
