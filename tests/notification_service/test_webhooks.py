"""Webhooks end to end: facts published on the real broker reach a real receiver, signed per Standard
Webhooks, retried, in order per event, only the organizer's own; 410 disables; secrets rotate."""

import json
import string
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from standardwebhooks.webhooks import WebhookVerificationError

from notification_service.webhook_sender import signed_headers
from shared.messaging import Broker
from tests.apps import wait_for
from tests.conftest import Account
from tests.notification_service.conftest import (
    Replica,
    Users,
    booking_confirmed,
    event_created,
    publish,
    wait_for_history,
)
from tests.notification_service.webhook_support import (
    FAST_RETRIES,
    Receiver,
    create_hook,
    deliveries,
    fails_first,
    read_hook,
    receiver,
    verify,
    wait_for_deliveries,
)

OVERLAP_SECONDS = 0.5


@pytest.fixture
async def hooks() -> AsyncIterator[Receiver]:
    async with receiver() as served:
        yield served


@pytest.fixture
async def client(start_replica: Callable[..., Awaitable[Replica]]) -> AsyncIterator[httpx.AsyncClient]:
    replica = await start_replica(**FAST_RETRIES)
    async with httpx.AsyncClient(base_url=replica.url) as client:
        yield client


async def test_a_booking_reaches_the_organizers_endpoint_once_signed_and_verifiable(
    client: httpx.AsyncClient, producer: Broker, owner: Account, users: Users, hooks: Receiver
) -> None:
    hook = await create_hook(client, owner, hooks.endpoint("crm"), ["booking.confirmed"])
    assert hook["secret"].startswith("whsec_")
    assert "secret" not in await read_hook(client, owner, hook["id"])  # shown on creation only

    sale = await publish(producer, booking_confirmed(users[0], owner, event_id="e1"))
    await producer.publish(sale)  # the broker delivers at least once: a redelivery sends nothing twice
    later = await publish(producer, booking_confirmed(users[1], owner, event_id="e2"))
    received = await hooks.wait_for_requests("crm", 2)

    assert [each.headers["webhook-id"] for each in received] == [sale.id, later.id]
    envelope = verify(hook["secret"], received[0].headers, received[0].body)
    assert envelope["id"] == sale.id and envelope["type"] == "booking.confirmed"
    assert envelope["specversion"] == "1.0"
    assert envelope["data"]["booking_id"] == sale.data["booking_id"]
    assert envelope == json.loads(sale.model_dump_json())  # as published: its time, request and trace
    page = await deliveries(client, owner, hook["id"])
    assert [(item["message_id"], item["state"], len(item["attempts"])) for item in page["items"]] == [
        (later.id, "delivered", 1),
        (sale.id, "delivered", 1),
    ]
    assert page["items"][0]["attempts"][0]["status_code"] == 200
    assert page["items"][0]["attempts"][0]["response"] == "answer 2"


async def test_a_failing_receiver_gets_it_on_the_fourth_try_with_the_same_webhook_id(
    client: httpx.AsyncClient, producer: Broker, owner: Account, users: Users, hooks: Receiver
) -> None:
    hook = await create_hook(client, owner, hooks.endpoint("flaky", fails_first(3)))

    sale = await publish(producer, booking_confirmed(users[0], owner))
    received = await hooks.wait_for_requests("flaky", 4)

    assert [each.status for each in received] == [500, 500, 500, 200]
    assert {each.headers["webhook-id"] for each in received} == {sale.id}
    assert len({each.body for each in received}) == 1  # the very same envelope each time
    for each in received:  # signed afresh each time, with its own timestamp
        verify(hook["secret"], each.headers, each.body)

    (item,) = (await wait_for_deliveries(client, owner, hook["id"], 1, status="delivered"))["items"]
    assert [attempt["status_code"] for attempt in item["attempts"]] == [500, 500, 500, 200]
    assert all(attempt["duration_ms"] >= 0 for attempt in item["attempts"])
    assert (await read_hook(client, owner, hook["id"]))["enabled"] is True


async def test_410_gone_disables_the_endpoint_and_tells_its_owner(
    client: httpx.AsyncClient, producer: Broker, owner: Account, users: Users, hooks: Receiver
) -> None:
    hook = await create_hook(client, owner, hooks.endpoint("gone", lambda *_: 410))

    await publish(producer, booking_confirmed(users[0], owner, event_id="e1"))
    await hooks.wait_for_requests("gone", 1)

    async def disabled() -> dict[str, Any] | None:
        found = await read_hook(client, owner, hook["id"])
        return found if not found["enabled"] else None

    assert (await wait_for(disabled))["disabled_reason"] == "gone"
    notices = [
        item for item in await wait_for_history(client, owner, 1) if item["type"] == "webhook.disabled"
    ]
    assert notices and notices[0]["data"]["webhook_id"] == hook["id"]
    failed = await deliveries(client, owner, hook["id"], status="failed")
    assert failed["total"] == 1 and failed["items"][0]["attempts"][0]["status_code"] == 410

    # Disabled: later facts are not sent, a test is refused; enabling it again resumes deliveries.
    refused = await client.post(f"/webhooks/{hook['id']}/test", headers=owner.headers)
    assert refused.status_code == 409, refused.text
    hooks.answers["gone"] = lambda *_: 200
    enabled = await client.patch(f"/webhooks/{hook['id']}", json={"enabled": True}, headers=owner.headers)
    assert enabled.json()["enabled"] is True and enabled.json()["disabled_reason"] is None
    resent = await client.post(
        f"/webhooks/{hook['id']}/deliveries/{failed['items'][0]['id']}/resend", headers=owner.headers
    )
    assert resent.status_code == 202, resent.text
    again = await hooks.wait_for_requests("gone", 2)
    assert again[1].status == 200 and again[1].headers["webhook-id"] == again[0].headers["webhook-id"]


async def test_one_events_facts_arrive_in_order_while_another_events_do_not_wait(
    client: httpx.AsyncClient, producer: Broker, owner: Account, users: Users, hooks: Receiver
) -> None:
    first_of_a_tries = []

    def answer(count: int, envelope: dict[str, Any]) -> int:
        # The first fact of event A fails twice; everything else is taken at once.
        if envelope["data"]["event_id"] == "A" and envelope["data"]["user_id"] == users[0].id:
            first_of_a_tries.append(count)
            return 503 if len(first_of_a_tries) <= 2 else 200
        return 200

    await create_hook(client, owner, hooks.endpoint("ordered", answer))

    a1 = await publish(producer, booking_confirmed(users[0], owner, event_id="A"))
    await hooks.wait_for_requests("ordered", 1)  # A1 failed once: it is being retried
    a2 = await publish(producer, booking_confirmed(users[1], owner, event_id="A"))
    b1 = await publish(producer, booking_confirmed(users[1], owner, event_id="B"))
    received = await hooks.wait_for_requests("ordered", 5)

    order = [(each.headers["webhook-id"], each.status) for each in received]
    a1_delivered = order.index((a1.id, 200))
    assert order.index((b1.id, 200)) < a1_delivered  # another event's fact did not wait
    assert order.index((a2.id, 200)) > a1_delivered  # the later fact of A waited for A1
    assert [status for message_id, status in order if message_id == a2.id] == [200]  # sent once


async def test_a_replayed_or_tampered_request_fails_verification(
    client: httpx.AsyncClient, producer: Broker, owner: Account, users: Users, hooks: Receiver
) -> None:
    hook = await create_hook(client, owner, hooks.endpoint("strict"))
    await publish(producer, booking_confirmed(users[0], owner))
    (request,) = await hooks.wait_for_requests("strict", 1)
    verify(hook["secret"], request.headers, request.body)

    tampered = json.loads(request.body)
    tampered["data"]["amount"] = 1
    with pytest.raises(WebhookVerificationError):
        verify(hook["secret"], request.headers, json.dumps(tampered).encode())
    with pytest.raises(WebhookVerificationError):  # a fresh timestamp on captured headers
        verify(
            hook["secret"],
            {**request.headers, "webhook-timestamp": str(int(datetime.now(UTC).timestamp()) + 1)},
            request.body,
        )
    with pytest.raises(WebhookVerificationError):  # another endpoint's secret
        verify("whsec_" + "A" * 32, request.headers, request.body)
    # A request captured six minutes ago carries exactly the headers the platform signed then.
    then = datetime.now(UTC) - timedelta(minutes=6)
    body = request.body.decode()
    replay = signed_headers(
        message_id=request.headers["webhook-id"], body=body, secrets=[hook["secret"]], now=then
    )
    with pytest.raises(WebhookVerificationError, match="too old"):
        verify(hook["secret"], replay, request.body)


async def test_another_organizers_facts_never_arrive_while_an_admin_gets_everyones(
    client: httpx.AsyncClient,
    producer: Broker,
    owner: Account,
    users: Users,
    hooks: Receiver,
    make_account: Callable[..., Awaitable[Account]],
) -> None:
    rival, admin = await make_account("organizer"), await make_account("admin")
    await create_hook(client, owner, hooks.endpoint("own"), ["booking.*", "event.*"])
    await create_hook(client, admin, hooks.endpoint("admin"), ["booking.confirmed"])

    theirs = await publish(producer, booking_confirmed(users[0], rival, event_id="r1"))
    await publish(producer, event_created(rival, "r2"))
    ours = await publish(producer, booking_confirmed(users[0], owner, event_id="o1"))
    admins = await hooks.wait_for_requests("admin", 2)
    own = await hooks.wait_for_requests("own", 1)

    assert [each.headers["webhook-id"] for each in own] == [ours.id]
    assert {each.headers["webhook-id"] for each in admins} == {theirs.id, ours.id}


async def test_a_rotated_secret_signs_beside_the_new_one_during_the_overlap(
    client: httpx.AsyncClient, producer: Broker, owner: Account, users: Users, hooks: Receiver
) -> None:
    hook = await create_hook(client, owner, hooks.endpoint("rotated"))
    rotated = await client.post(f"/webhooks/{hook['id']}/rotate-secret", headers=owner.headers)
    assert rotated.status_code == 200, rotated.text
    new_secret = rotated.json()["secret"]
    assert new_secret != hook["secret"]

    await publish(producer, booking_confirmed(users[0], owner))
    (request,) = await hooks.wait_for_requests("rotated", 1)

    assert len(request.headers["webhook-signature"].split(" ")) == 2
    verify(new_secret, request.headers, request.body)
    verify(hook["secret"], request.headers, request.body)


async def test_a_test_delivery_is_sent_and_logged(
    client: httpx.AsyncClient, owner: Account, hooks: Receiver
) -> None:
    hook = await create_hook(client, owner, hooks.endpoint("tested"))
    queued = await client.post(f"/webhooks/{hook['id']}/test", headers=owner.headers)
    assert queued.status_code == 202, queued.text

    (request,) = await hooks.wait_for_requests("tested", 1)

    envelope = verify(hook["secret"], request.headers, request.body)
    assert envelope["type"] == "webhook.test" and envelope["id"] == queued.json()["message_id"]
    assert envelope["data"]["webhook_id"] == hook["id"]


async def test_a_redirect_is_a_failure_and_is_not_followed(
    client: httpx.AsyncClient, producer: Broker, owner: Account, users: Users, hooks: Receiver
) -> None:
    # 307 keeps the method and body: a sender following it would deliver to `moved-moved`.
    hook = await create_hook(client, owner, hooks.endpoint("moved", fails_first(1, 307)))

    sale = await publish(producer, booking_confirmed(users[0], owner))
    received = await hooks.wait_for_requests("moved", 2)

    assert [(each.headers["webhook-id"], each.status) for each in received] == [
        (sale.id, 307),
        (sale.id, 200),
    ]
    (item,) = (await wait_for_deliveries(client, owner, hook["id"], 1, status="delivered"))["items"]
    assert [attempt["status_code"] for attempt in item["attempts"]] == [307, 200]
    assert hooks.to("moved-moved") == []


async def test_an_answers_body_is_kept_up_to_its_first_kb(
    client: httpx.AsyncClient, producer: Broker, owner: Account, users: Users, hooks: Receiver
) -> None:
    text = string.ascii_letters * 60  # 3120 bytes
    hook = await create_hook(client, owner, hooks.endpoint("chatty", text=text))

    await publish(producer, booking_confirmed(users[0], owner))

    (item,) = (await wait_for_deliveries(client, owner, hook["id"], 1, status="delivered"))["items"]
    assert item["attempts"][0]["response"] == text[:1024]


async def test_an_endpoint_of_one_event_receives_that_events_facts_only(
    client: httpx.AsyncClient, producer: Broker, owner: Account, users: Users, hooks: Receiver
) -> None:
    await publish(producer, event_created(owner, "only-this"))

    async def subscribed() -> dict[str, Any] | None:  # once the replica knows whose event it is
        response = await client.post(
            "/webhooks",
            json={"url": hooks.endpoint("one"), "event_types": ["booking.*"], "event_id": "only-this"},
            headers=owner.headers,
        )
        return response.json() if response.status_code == 201 else None

    one = await wait_for(subscribed)
    await create_hook(client, owner, hooks.endpoint("every"))  # the organizer's every event

    other = await publish(producer, booking_confirmed(users[0], owner, event_id="another"))
    this = await publish(producer, booking_confirmed(users[1], owner, event_id="only-this"))
    every = await hooks.wait_for_requests("every", 2)  # both facts were fanned out
    (received,) = await hooks.wait_for_requests("one", 1)

    assert {each.headers["webhook-id"] for each in every} == {other.id, this.id}
    assert received.headers["webhook-id"] == this.id
    assert [item["message_id"] for item in (await deliveries(client, owner, one["id"]))["items"]] == [this.id]


async def test_deliveries_are_listed_newest_first_a_page_at_a_time_and_by_status(
    client: httpx.AsyncClient, producer: Broker, owner: Account, users: Users, hooks: Receiver
) -> None:
    refused = users[0].id
    hook = await create_hook(
        client,
        owner,
        hooks.endpoint("listed", lambda _, envelope: 500 if envelope["data"]["user_id"] == refused else 200),
    )
    sales = [await publish(producer, booking_confirmed(users[1], owner, event_id=f"e{n}")) for n in range(3)]
    retried = await publish(producer, booking_confirmed(users[0], owner, event_id="e3"))
    await wait_for_deliveries(client, owner, hook["id"], 4)
    await wait_for_deliveries(client, owner, hook["id"], 3, status="delivered")

    newest_first = [each.id for each in reversed([*sales, retried])]
    pages = [await deliveries(client, owner, hook["id"], limit=3, offset=offset) for offset in (0, 3)]
    assert [(page["total"], page["limit"], page["offset"], len(page["items"])) for page in pages] == [
        (4, 3, 0, 3),
        (4, 3, 3, 1),
    ]
    assert [item["message_id"] for page in pages for item in page["items"]] == newest_first
    by_state = {
        state: await deliveries(client, owner, hook["id"], status=state)
        for state in ("pending", "delivered", "failed")
    }
    assert {state: [item["message_id"] for item in page["items"]] for state, page in by_state.items()} == {
        "pending": [retried.id],
        "delivered": newest_first[1:],
        "failed": [],
    }
    assert [page["total"] for page in by_state.values()] == [1, 3, 0]
    assert {item["state"] for page in by_state.values() for item in page["items"]} == {"pending", "delivered"}


async def test_a_rotated_out_secret_stops_signing_when_the_overlap_ends(
    start_replica: Callable[..., Awaitable[Replica]],
    producer: Broker,
    owner: Account,
    users: Users,
    hooks: Receiver,
) -> None:
    replica = await start_replica(**FAST_RETRIES, webhook_secret_overlap_seconds=OVERLAP_SECONDS)
    async with httpx.AsyncClient(base_url=replica.url) as client:
        hook = await create_hook(client, owner, hooks.endpoint("retired"))
        rotated = await client.post(f"/webhooks/{hook['id']}/rotate-secret", headers=owner.headers)
        assert rotated.status_code == 200, rotated.text
        overlap_ended = datetime.now(UTC) + timedelta(seconds=OVERLAP_SECONDS)  # rotated before now

        async def over() -> bool:
            return datetime.now(UTC) > overlap_ended

        await wait_for(over)
        await publish(producer, booking_confirmed(users[0], owner))
        (request,) = await hooks.wait_for_requests("retired", 1)

    assert len(request.headers["webhook-signature"].split(" ")) == 1
    verify(rotated.json()["secret"], request.headers, request.body)
    with pytest.raises(WebhookVerificationError):
        verify(hook["secret"], request.headers, request.body)
