"""The broker users `make env` defines, imported into the local RabbitMQ and tried with real clients.

Each run imports the definitions into a virtual host of its own, under user names of its own (RabbitMQ
users are node-wide), and deletes both at the end. Needs `rabbitmqctl` (run as root here).
"""

import asyncio
import json
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aio_pika
import aiormq
import pytest
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage, AbstractRobustConnection

from scripts.make_env import BROKER_ACCESS, EXCHANGE, rabbitmq_definitions
from scripts.topology import service_consumers
from shared.messages import UserRegistered
from shared.messaging import Broker, Consumer, Envelope, build_envelope
from shared.queues import UNROUTABLE_ARGUMENTS
from tests.apps import wait_for
from tests.messages import user_registered


@dataclass(frozen=True)
class Node:
    vhost: str
    users: dict[str, str]  # service -> its user name on the node
    passwords: dict[str, str]

    def url(self, service: str) -> str:
        return f"amqp://{self.users[service]}:{self.passwords[service]}@127.0.0.1:5672/{self.vhost}"


def _owner_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _rabbitmqctl(*arguments: str) -> str:
    assert shutil.which("rabbitmqctl"), "these tests import users into the local RabbitMQ with rabbitmqctl"
    done = subprocess.run(["rabbitmqctl", *arguments], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _renamed(definitions: dict[str, Any], users: dict[str, str]) -> dict[str, Any]:
    """The same definitions with each service's user renamed for this run."""
    for user in definitions["users"]:
        user["name"] = users[user["name"]]
    for grant in (*definitions["permissions"], *definitions["topic_permissions"]):
        grant["user"] = users[grant["user"]]
    return definitions


@pytest.fixture(scope="module")
def node() -> Iterator[Node]:
    run = uuid.uuid4().hex[:8]
    vhost = f"test-broker-access-{run}"
    users = {service: f"{service}.test-{run}" for service in BROKER_ACCESS}
    passwords = {service: secrets.token_urlsafe(18) for service in BROKER_ACCESS}
    definitions = _renamed(rabbitmq_definitions(passwords, vhost=vhost), users)
    # rabbitmqctl reads the file as the broker's user: a private file it owns, in a directory it can reach.
    descriptor, name = tempfile.mkstemp(prefix="definitions-", suffix=".json", dir="/tmp")
    path = Path(name)
    try:
        with os.fdopen(descriptor, "w") as file:
            json.dump(definitions, file)
        if _owner_exists("rabbitmq"):
            shutil.chown(path, "rabbitmq")
        _rabbitmqctl("import_definitions", str(path))
        # The import is asynchronous: wait for the last grant to show.
        for _ in range(100):
            if all(name in _rabbitmqctl("list_topic_permissions", "-p", vhost) for name in users.values()):
                break
            subprocess.run(["sleep", "0.1"], check=True)
        yield Node(vhost=vhost, users=users, passwords=passwords)
    finally:
        path.unlink(missing_ok=True)
        subprocess.run(["rabbitmqctl", "delete_vhost", vhost], capture_output=True)
        for name in users.values():
            subprocess.run(["rabbitmqctl", "delete_user", name], capture_output=True)


@pytest.fixture
async def connections(node: Node) -> AsyncIterator[dict[str, AbstractRobustConnection]]:
    opened = {service: await aio_pika.connect_robust(node.url(service)) for service in BROKER_ACCESS}
    yield opened
    for connection in opened.values():
        await connection.close()


def _envelope(message_type: str) -> Envelope:
    return Envelope(id=str(uuid.uuid4()), source="test", type=message_type, time=datetime.now(UTC), data={})


# One type each service owns, which no queue takes here: the broker returns it to the unroutable queue.
OWN_TYPE = {
    "user_service": "user.registered",
    "event_service": "event.updated",
    "booking_service": "booking.confirmed",
    "payment_service": "payment.succeeded",
    "notification_service": "notifications.stored",
    "checkin_service": "ticket.issued",
}


@pytest.mark.parametrize("service", BROKER_ACCESS)
async def test_a_service_starts_its_consumers_and_publishes_its_own_types_as_its_user(
    node: Node, service: str
) -> None:
    broker = Broker(url=node.url(service), exchange_name=EXCHANGE)
    for consumer in service_consumers(service, broker=broker):
        broker.consumers.append(consumer)
    await broker.start()
    try:
        await asyncio.wait_for(broker.connected.wait(), timeout=10)
        await broker.publish(_envelope(OWN_TYPE[service]))
    finally:
        await broker.close()


async def _ack(message: AbstractIncomingMessage) -> None:
    await message.ack()


async def _refused(channel: AbstractChannel, action: Any) -> str:
    with pytest.raises(aiormq.exceptions.ChannelAccessRefused) as refused:
        await action
    assert channel.is_closed
    return str(refused.value)


@pytest.mark.parametrize(
    ("service", "forged"),
    [
        ("notification_service", "event.updated"),
        ("booking_service", "payment.refunded"),
        ("user_service", "booking.confirmed"),
        ("payment_service", "user.registered"),
        ("event_service", "notifications.stored"),
        ("checkin_service", "booking.confirmed"),
    ],
)
async def test_publishing_another_services_type_is_refused(
    connections: dict[str, AbstractRobustConnection], service: str, forged: str
) -> None:
    channel = await connections[service].channel(publisher_confirms=True)
    exchange = await channel.declare_exchange(EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True)

    reason = await _refused(channel, exchange.publish(aio_pika.Message(b"{}"), routing_key=forged))

    assert f"access to topic '{forged}' in exchange '{EXCHANGE}'" in reason


async def test_a_service_cannot_consume_declare_or_bind_another_services_queue(
    node: Node, connections: dict[str, AbstractRobustConnection]
) -> None:
    owned = "booking_service.intrusion-test"
    owner = await connections["booking_service"].channel()
    await owner.declare_queue(owned, auto_delete=True)
    await owner.declare_exchange(EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True)
    intruder = connections["notification_service"]

    channel = await intruder.channel()
    queue = await channel.get_queue(owned, ensure=False)
    assert owned in await _refused(channel, queue.consume(_ack))

    channel = await intruder.channel()
    assert "booking_service.other" in await _refused(channel, channel.declare_queue("booking_service.other"))

    channel = await intruder.channel()
    queue = await channel.get_queue(owned, ensure=False)
    assert owned in await _refused(channel, queue.bind(EXCHANGE, "event.updated"))


async def test_a_publisher_only_service_can_read_no_queue(
    connections: dict[str, AbstractRobustConnection],
) -> None:
    owner = await connections["user_service"].channel()
    await owner.declare_queue(f"{EXCHANGE}.unroutable", durable=True, arguments=UNROUTABLE_ARGUMENTS)

    channel = await connections["payment_service"].channel()
    queue = await channel.get_queue(f"{EXCHANGE}.unroutable", ensure=False)

    assert f"{EXCHANGE}.unroutable" in await _refused(channel, queue.get(fail=False))


async def test_a_queue_binds_only_the_types_its_service_consumes(
    connections: dict[str, AbstractRobustConnection],
) -> None:
    channel = await connections["booking_service"].channel()
    exchange = await channel.declare_exchange(EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True)
    queue = await channel.declare_queue("booking_service.binding-test", auto_delete=True)
    await queue.bind(exchange, "event.updated")

    assert "user.registered" in await _refused(channel, queue.bind(exchange, "user.registered"))


async def test_rabbitmq_refuses_a_user_id_other_than_the_publishers_own(
    node: Node, connections: dict[str, AbstractRobustConnection]
) -> None:
    """What lets a consumer trust `user_id` to name the service that published a message."""
    channel = await connections["notification_service"].channel(publisher_confirms=True)
    exchange = await channel.declare_exchange(EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True)
    own, forged = node.users["notification_service"], node.users["event_service"]
    await exchange.publish(aio_pika.Message(b"{}", user_id=own), routing_key="notifications.stored")

    with pytest.raises(aiormq.exceptions.ChannelPreconditionFailed, match="user_id property set to"):
        await exchange.publish(aio_pika.Message(b"{}", user_id=forged), routing_key="notifications.stored")


async def test_a_consumer_takes_a_type_only_from_the_service_that_owns_it(
    node: Node, connections: dict[str, AbstractRobustConnection]
) -> None:
    """The default exchange lets any service put a message straight into another's queue; the
    consumer refuses it by the `user_id` RabbitMQ vouches for."""
    handled: list[str] = []

    async def on_user_registered(message: UserRegistered) -> None:
        handled.append(message.username)

    queue = f"notification_service.owner-test-{uuid.uuid4().hex[:8]}"
    consumer = Consumer(
        queue=queue,
        handlers=[on_user_registered],
        max_attempts=1,
        owners={"user": node.users["user_service"]},
    )
    broker = Broker(url=node.url("notification_service"), exchange_name=EXCHANGE, consumers=[consumer])
    users = Broker(url=node.url("user_service"), exchange_name=EXCHANGE)
    await broker.start()
    await users.start()
    try:
        await asyncio.wait_for(broker.connected.wait(), timeout=10)
        await asyncio.wait_for(users.connected.wait(), timeout=10)
        channel = await connections["booking_service"].channel(publisher_confirms=True)
        forged = build_envelope("booking_service", user_registered("forged"))
        await channel.default_exchange.publish(
            aio_pika.Message(forged.model_dump_json().encode(), user_id=node.users["booking_service"]),
            routing_key=queue,
        )
        await users.publish(build_envelope("user_service", user_registered("genuine")))

        own = await connections["notification_service"].channel()
        dead_letters = await own.get_queue(consumer.dead_letter_queue)
        dead = await wait_for(lambda: dead_letters.get(no_ack=True, fail=False))
        await wait_for(lambda: _handled(handled))
    finally:
        await users.close()
        await broker.close()
        cleanup = await connections["notification_service"].channel()
        for name in (queue, consumer.dead_letter_queue, *consumer.delay_queues):
            await cleanup.queue_delete(name)

    assert json.loads(dead.body)["id"] == forged.id
    assert handled == ["genuine"]


async def _handled(handled: list[str]) -> bool:
    return bool(handled)
