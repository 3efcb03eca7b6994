"""scripts/migrate_queues.py moves the classic queues of an older release over to quorum queues on a real
RabbitMQ, keeping every message and binding."""

import json
from collections.abc import AsyncIterator

import aio_pika
import pytest
from aio_pika.abc import AbstractRobustConnection

from scripts.migrate_queues import MIGRATING_SUFFIX, migrate
from shared.messages import UserRegistered
from shared.messaging import Broker, Consumer, RetryPolicy, build_envelope
from tests.apps import wait_for
from tests.backends import RABBITMQ_URL
from tests.messages import user_registered

# A long delay, so that a message waiting for its retry is still waiting when the migration runs.
RETRY = RetryPolicy(delays=(60.0,))


@pytest.fixture
async def consumer(run_id: str, amqp: AbstractRobustConnection) -> AsyncIterator[Consumer]:
    handled: list[str] = []

    async def on_user_registered(message: UserRegistered) -> None:
        handled.append(message.username)

    made = Consumer(queue=f"test_migration_{run_id}", handlers=[on_user_registered])
    made.retry = RETRY
    made.handled = handled  # type: ignore[attr-defined]
    yield made
    channel = await amqp.channel()
    for queue in made.durable_queues:
        await channel.queue_delete(queue)
        await channel.queue_delete(f"{queue}{MIGRATING_SUFFIX}")
    await channel.close()


async def _declare_as_the_classic_release_did(
    amqp: AbstractRobustConnection, consumer: Consumer, exchange_name: str
) -> aio_pika.abc.AbstractExchange:
    channel = await amqp.channel()
    exchange = await channel.declare_exchange(exchange_name, aio_pika.ExchangeType.TOPIC, durable=True)
    await channel.declare_queue(consumer.dead_letter_queue, durable=True)
    queue = await channel.declare_queue(
        consumer.queue,
        durable=True,
        arguments={"x-dead-letter-exchange": "", "x-dead-letter-routing-key": consumer.dead_letter_queue},
    )
    (delay_queue,) = consumer.delay_queues
    await channel.declare_queue(
        delay_queue,
        durable=True,
        arguments={
            "x-message-ttl": 60_000,
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": queue.name,
        },
    )
    for key in consumer.routing_keys:
        await queue.bind(exchange, key)
    return exchange


def _message(username: str) -> aio_pika.Message:
    envelope = build_envelope("tests", user_registered(username))
    return aio_pika.Message(
        envelope.model_dump_json().encode(), type=envelope.type, message_id=envelope.id, user_id="guest"
    )


async def _depth(amqp: AbstractRobustConnection, queue: str) -> int:
    channel = await amqp.channel()
    declared = await channel.declare_queue(queue, passive=True)
    await channel.close()
    return declared.declaration_result.message_count


async def test_classic_queues_become_quorum_queues_with_their_messages_and_bindings(
    consumer: Consumer, amqp: AbstractRobustConnection, exchange_name: str, caplog: pytest.LogCaptureFixture
) -> None:
    exchange = await _declare_as_the_classic_release_did(amqp, consumer, exchange_name)
    channel = await amqp.channel(publisher_confirms=True)
    await exchange.publish(_message("waiting"), routing_key="user.registered")
    await channel.default_exchange.publish(_message("retrying"), routing_key=consumer.delay_queues[0])
    await channel.default_exchange.publish(_message("dead"), routing_key=consumer.dead_letter_queue)
    await channel.close()
    refused = Broker(
        url=RABBITMQ_URL, exchange_name=exchange_name, consumers=[consumer], retry=RETRY, retry_seconds=0.1
    )
    await refused.start()  # the new release cannot declare its queues over the classic ones: it says so
    try:
        await wait_for(lambda: _logged(caplog, "docs/quorum-queues.md"))
        assert not refused.is_connected
    finally:
        await refused.close()

    done = await migrate(RABBITMQ_URL, exchange_name, [consumer])

    assert len(done) == 5, done  # three queues held and deleted; the queue and its dead-letter queue back
    assert await migrate(RABBITMQ_URL, exchange_name, [consumer]) == []
    assert (await _depth(amqp, consumer.queue), await _depth(amqp, consumer.dead_letter_queue)) == (2, 1)
    broker = Broker(url=RABBITMQ_URL, exchange_name=exchange_name, consumers=[consumer], retry=RETRY)
    await broker.start()
    try:
        await wait_for(lambda: _connected(broker))
        await broker.publish(build_envelope("tests", user_registered("after")))  # still bound

        async def all_handled() -> bool:
            return sorted(consumer.handled) == ["after", "retrying", "waiting"]  # type: ignore[attr-defined]

        await wait_for(all_handled)
    finally:
        await broker.close()
    channel = await amqp.channel()
    dead = await (await channel.declare_queue(consumer.dead_letter_queue, passive=True)).get(no_ack=True)
    assert json.loads(dead.body)["data"]["username"] == "dead"
    await channel.close()


async def _connected(broker: Broker) -> bool:
    return broker.connected.is_set()


async def _logged(caplog: pytest.LogCaptureFixture, text: str) -> bool:
    return any(text in record.getMessage() for record in caplog.records)
