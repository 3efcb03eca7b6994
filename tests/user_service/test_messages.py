from collections.abc import Awaitable, Callable

import httpx
from fastapi import FastAPI

from tests.conftest import MessageTap, rabbitmq_through, wait_for
from tests.tcp_proxy import TcpProxy
from tests.user_service.conftest import client_for, make_user, running
from user_service.settings import UserSettings


async def test_registering_publishes_user_registered_as_a_cloudevent(
    client: httpx.AsyncClient, tap_messages: Callable[[str], Awaitable[MessageTap]]
) -> None:
    tap = await tap_messages("user.*")

    response = await client.post(
        "/register", json=make_user("msg_user"), headers={"X-Request-ID": "req-msg-user"}
    )

    assert response.status_code == 201
    assert response.headers["X-Request-ID"] == "req-msg-user"
    [message] = await tap.wait_for_type("user.registered")
    assert message["specversion"] == "1.0"
    assert message["source"] == "user_service"
    assert message["datacontenttype"] == "application/json"
    assert message["correlationid"] == "req-msg-user"
    assert message["id"] and message["time"]
    assert message["data"]["user_id"] == response.json()["id"]
    assert message["data"]["username"] == "msg_user"
    assert "password" not in str(message["data"])


async def _broker_state(client: httpx.AsyncClient) -> dict[str, str]:
    return (await client.get("/ready")).json()["checks"]


async def test_registering_succeeds_while_the_broker_is_down_and_the_message_follows(
    user_settings: UserSettings,
    create_database: Callable[[str], Awaitable[str]],
    tap_messages: Callable[[str], Awaitable[MessageTap]],
) -> None:
    proxy = TcpProxy("127.0.0.1", 5672)
    settings = user_settings.model_copy(
        update={
            "database_url": await create_database("users_outage"),
            "rabbitmq_url": rabbitmq_through(proxy),
        }
    )
    tap = await tap_messages("user.registered")
    async with running(settings, wait_ready=False) as app, client_for(app) as client:
        await wait_for(lambda: _database_ok(client), timeout=30)
        assert (await client.get("/ready")).status_code == 503

        response = await client.post("/register", json=make_user("while_down"))

        assert response.status_code == 201
        assert (await _broker_state(client))["broker"].startswith("unavailable")
        await proxy.start()
        [message] = await _messages_for(tap, "while_down")

        # Cut the connection while running: the robust connection and the relay recover.
        await proxy.stop()
        await wait_for(lambda: _broker_down(client))
        assert (await client.post("/register", json=make_user("while_cut"))).status_code == 201
        await proxy.start()
        await _messages_for(tap, "while_cut")
        # The relay marks a message sent once RabbitMQ confirmed it, just after the tap may have it.
        await wait_for(lambda: _all_sent(app))
    await proxy.stop()
    assert len([m for m in tap.messages if m["data"]["username"] == "while_down"]) == 1


async def _database_ok(client: httpx.AsyncClient) -> bool:
    return (await _broker_state(client))["database"] == "ok"


async def _broker_down(client: httpx.AsyncClient) -> bool:
    return (await _broker_state(client))["broker"] != "ok"


async def _messages_for(tap: MessageTap, username: str) -> list[dict[str, object]]:
    async def arrived() -> list[dict[str, object]]:
        return [m for m in tap.of_type("user.registered") if m["data"]["username"] == username]

    return await wait_for(arrived, timeout=30)


async def _all_sent(app: FastAPI) -> bool:
    return await _unsent(app) == 0


async def _unsent(app: FastAPI) -> int:
    from sqlalchemy import func, select

    from user_service.models import OutboxMessage

    async with app.state.sessionmaker() as session:
        return await session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
        )
