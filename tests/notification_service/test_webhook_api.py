"""The webhook routes over real HTTP: who may do what, limits on what a caller can make us keep, bad input."""

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest

from notification_service.webhook_schemas import WebhookDeliveryPage, WebhookPage
from shared.messaging import Broker
from tests.apps import wait_for
from tests.conftest import Account
from tests.notification_service.conftest import Replica, Users, event_created, publish

HOOK = {"url": "http://127.0.0.1:9/hooks/x", "event_types": ["booking.*"]}


@pytest.fixture
async def client(start_replica: Callable[..., Awaitable[Replica]]) -> AsyncIterator[httpx.AsyncClient]:
    replica = await start_replica(webhooks_per_owner=3, webhook_tests_per_day=2)
    async with httpx.AsyncClient(base_url=replica.url) as client:
        yield client


async def test_only_organizers_and_admins_have_webhooks(
    client: httpx.AsyncClient, users: Users, owner: Account
) -> None:
    assert (await client.post("/webhooks", json=HOOK)).status_code == 401
    assert (await client.post("/webhooks", json=HOOK, headers=users[0].headers)).status_code == 403
    assert (await client.get("/webhooks", headers=users[0].headers)).status_code == 403
    assert (await client.post("/webhooks", json=HOOK, headers=owner.headers)).status_code == 201


async def test_another_organizers_webhook_is_not_found(
    client: httpx.AsyncClient, owner: Account, make_account: Callable[..., Awaitable[Account]]
) -> None:
    rival = await make_account("organizer")
    hook = (await client.post("/webhooks", json=HOOK, headers=owner.headers)).json()

    for method, path in [
        ("GET", ""),
        ("PATCH", ""),
        ("DELETE", ""),
        ("POST", "/rotate-secret"),
        ("POST", "/test"),
        ("GET", "/deliveries"),
        ("POST", "/deliveries/x/resend"),
    ]:
        response = await client.request(
            method,
            f"/webhooks/{hook['id']}{path}",
            headers=rival.headers,
            json={} if method == "PATCH" else None,
        )
        assert response.status_code == 404, (method, path, response.text)
    assert (await client.get("/webhooks", headers=rival.headers)).json() == {"items": [], "total": 0}


@pytest.mark.parametrize(
    ("changes", "detail"),
    [
        ({"event_types": ["booking.exploded"]}, "Unknown event types"),
        ({"event_types": ["user.registered"]}, "Unknown event types"),
        ({"event_types": []}, "at least 1"),
        ({"event_types": ["booking.*"] * 33}, "at most 32"),
        ({"url": "ftp://127.0.0.1/x"}, "must start with"),
        ({"url": "http://user:pw@127.0.0.1/x"}, "user name or password"),
        ({"url": "http://no-such-host.invalid/x"}, "does not resolve"),
        ({"url": "http://127.0.0.1/" + "x" * 2000}, "at most 2000"),
        ({"description": "x" * 501}, "at most 500"),
        ({"secret": "whsec_mine"}, "Extra inputs"),
    ],
)
async def test_bad_input_is_refused_with_what_is_wrong(
    client: httpx.AsyncClient, owner: Account, changes: dict[str, Any], detail: str
) -> None:
    response = await client.post("/webhooks", json={**HOOK, **changes}, headers=owner.headers)

    assert response.status_code == 422, response.text
    assert detail in response.text


async def test_an_owner_has_at_most_the_allowed_number_of_webhooks(
    client: httpx.AsyncClient, make_account: Callable[..., Awaitable[Account]]
) -> None:
    organizer = await make_account("organizer")
    for _ in range(3):
        assert (await client.post("/webhooks", json=HOOK, headers=organizer.headers)).status_code == 201

    refused = await client.post("/webhooks", json=HOOK, headers=organizer.headers)

    assert refused.status_code == 409 and "3 webhooks" in refused.json()["detail"]
    hooks = (await client.get("/webhooks", headers=organizer.headers)).json()
    deleted = await client.delete(f"/webhooks/{hooks['items'][0]['id']}", headers=organizer.headers)
    assert deleted.status_code == 204
    assert (await client.post("/webhooks", json=HOOK, headers=organizer.headers)).status_code == 201


async def test_an_endpoint_is_tested_at_most_the_allowed_times_a_day(
    client: httpx.AsyncClient, owner: Account
) -> None:
    hook = (await client.post("/webhooks", json=HOOK, headers=owner.headers)).json()
    for _ in range(2):
        assert (await client.post(f"/webhooks/{hook['id']}/test", headers=owner.headers)).status_code == 202

    refused = await client.post(f"/webhooks/{hook['id']}/test", headers=owner.headers)

    assert refused.status_code == 429 and "2 times in the last 24 hours" in refused.json()["detail"]


async def test_an_organizer_subscribes_to_one_event_of_their_own_only(
    client: httpx.AsyncClient,
    producer: Broker,
    owner: Account,
    make_account: Callable[..., Awaitable[Account]],
) -> None:
    rival = await make_account("organizer")
    await publish(producer, event_created(rival, "rivals-event"))

    async def known() -> bool:
        response = await client.post(
            "/webhooks", json={**HOOK, "event_id": "rivals-event"}, headers=owner.headers
        )
        return response.status_code == 404 and "no event rivals-event" in response.text

    await wait_for(known)
    own = await client.post("/webhooks", json={**HOOK, "event_id": "rivals-event"}, headers=rival.headers)
    assert own.status_code == 201 and own.json()["event_id"] == "rivals-event"


async def test_a_change_is_kept_and_a_disabled_webhook_settles_nothing_more(
    client: httpx.AsyncClient, owner: Account
) -> None:
    hook = (await client.post("/webhooks", json=HOOK, headers=owner.headers)).json()

    changed = await client.patch(
        f"/webhooks/{hook['id']}",
        json={"event_types": ["ticket.*", "checkin.scanned"], "description": "gate", "enabled": False},
        headers=owner.headers,
    )

    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["event_types"], body["description"], body["enabled"], body["disabled_reason"]) == (
        ["checkin.scanned", "ticket.*"],
        "gate",
        False,
        "by_owner",
    )
    assert (await client.post(f"/webhooks/{hook['id']}/test", headers=owner.headers)).status_code == 409
    bad = await client.get(
        f"/webhooks/{hook['id']}/deliveries", params={"status": "lost"}, headers=owner.headers
    )
    assert bad.status_code == 422


async def test_production_refuses_urls_that_are_not_https_to_a_public_address(
    start_replica: Callable[..., Awaitable[Replica]], owner: Account
) -> None:
    replica = await start_replica(webhook_require_public_urls=True)
    async with httpx.AsyncClient(base_url=replica.url) as client:
        for url, detail in [
            ("http://127.0.0.1:9/x", "must start with https://"),
            ("https://127.0.0.1/x", "127.0.0.1, which is not a public address"),
            ("https://10.1.2.3/x", "not a public address"),
            ("https://169.254.169.254/latest/meta-data", "not a public address"),
            ("https://[::1]/x", "not a public address"),
            ("https://localhost/x", "not a public address"),
        ]:
            response = await client.post("/webhooks", json={**HOOK, "url": url}, headers=owner.headers)
            assert response.status_code == 422, (url, response.text)
            assert detail in response.json()["detail"], (url, response.text)
            assert response.json()["field"] == "url"  # for a form to show it beside the URL


async def test_docs_show_examples_of_the_pages_and_the_deliveries_query_that_hold(
    client: httpx.AsyncClient, owner: Account
) -> None:
    schema = (await client.get("/openapi.json")).json()
    for model in (WebhookPage, WebhookDeliveryPage):
        assert schema["components"]["schemas"][model.__name__]["examples"]
        # As written: /openapi.json leaves out the example's null fields.
        (example,) = model.model_json_schema()["examples"]
        model.model_validate(example)

    hook = (await client.post("/webhooks", json=HOOK, headers=owner.headers)).json()
    parameters = schema["paths"]["/webhooks/{webhook_id}/deliveries"]["get"]["parameters"]
    queried = [each for each in parameters if each["in"] == "query"]
    assert {each["name"] for each in queried} == {"status", "limit", "offset"}
    for parameter in queried:
        for example in parameter["examples"].values():
            response = await client.get(
                f"/webhooks/{hook['id']}/deliveries",
                params={parameter["name"]: example["value"]},
                headers=owner.headers,
            )
            assert response.status_code == 200, (parameter["name"], example, response.text)
