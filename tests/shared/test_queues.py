"""Every durable queue is a quorum queue, dead-lettered at least once, declared before the first publish."""

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aio_pika
import pytest
from aio_pika.abc import AbstractRobustConnection

from shared.messages import UserRegistered
from shared.messaging import Broker, Consumer, RetryPolicy, build_envelope
from shared.queues import DELIVERY_LIMIT
from tests.apps import wait_for
from tests.backends import RABBITMQ_URL
from tests.messages import user_registered

RETRIES = RetryPolicy(delays=(0.05, 0.1))


@pytest.fixture
async def made(
    run_id: str, amqp: AbstractRobustConnection
) -> AsyncIterator[Callable[..., Awaitable[tuple[Broker, Consumer]]]]:
    """Starts a broker that declares one consumer's queues (and consumes with it when asked to);
    deletes the queues and the exchange afterwards."""
    started: list[tuple[Broker, Consumer]] = []

    async def make(handled: list[str], *, consume: bool) -> tuple[Broker, Consumer]:
        async def on_user_registered(message: UserRegistered) -> None:
            handled.append(message.username)

        number = len(started)
        consumer = Consumer(queue=f"test_queues_{run_id}_{number}", handlers=[on_user_registered])
        broker = Broker(
            url=RABBITMQ_URL,
            exchange_name=f"test_queues_{run_id}_{number}",
            consumers=[consumer] if consume else [],
            declared=[] if consume else [consumer],
            retry=RETRIES,
        )
        started.append((broker, consumer))
        await broker.start()
        await wait_for(lambda: _connected(broker))
        return broker, consumer

    yield make
    channel = await amqp.channel()
    for broker, consumer in started:
        await broker.close()
        for queue in (consumer.queue, consumer.dead_letter_queue, *consumer.delay_queues):
            await channel.queue_delete(queue)
        await channel.queue_delete(broker.unroutable_queue)
        await channel.exchange_delete(broker.exchange_name)
    await channel.close()


async def _connected(broker: Broker) -> bool:
    return broker.connected.is_set()


async def _refused(amqp: AbstractRobustConnection, queue: str, arguments: dict[str, Any]) -> bool:
    """Whether RabbitMQ refuses to declare `queue` with `arguments` (PRECONDITION_FAILED: it differs)."""
    channel = await amqp.channel()
    try:
        await channel.declare_queue(queue, durable=True, arguments=arguments)
    except aio_pika.exceptions.ChannelPreconditionFailed:
        return True
    await channel.close()
    return False


async def test_every_durable_queue_is_a_quorum_queue_dead_lettered_at_least_once(
    made: Callable[..., Awaitable[tuple[Broker, Consumer]]], amqp: AbstractRobustConnection
) -> None:
    broker, consumer = await made([], consume=True)
    durable = [consumer.queue, consumer.dead_letter_queue, *consumer.delay_queues, broker.unroutable_queue]

    assert len(consumer.delay_queues) == 2
    for queue in durable:
        assert await _refused(amqp, queue, {"x-queue-type": "classic"}), queue
    for queue in (consumer.queue, *consumer.delay_queues):
        assert await _refused(amqp, queue, {"x-queue-type": "quorum"}), f"{queue} has no arguments of its own"
        arguments = consumer.durable_queues[queue]
        assert arguments["x-dead-letter-strategy"] == "at-least-once"
        assert arguments["x-overflow"] == "reject-publish"
        assert not await _refused(amqp, queue, arguments), queue
    assert consumer.durable_queues[consumer.queue]["x-delivery-limit"] == DELIVERY_LIMIT


async def test_queues_and_bindings_exist_before_the_service_consumes_and_keep_what_is_published(
    made: Callable[..., Awaitable[tuple[Broker, Consumer]]], amqp: AbstractRobustConnection
) -> None:
    handled: list[str] = []
    broker, consumer = await made(handled, consume=False)
    await broker.publish(build_envelope("tests", user_registered("early")))

    channel = await amqp.channel()
    waiting = await channel.declare_queue(consumer.queue, passive=True)
    unroutable = await channel.declare_queue(broker.unroutable_queue, passive=True)
    assert (waiting.declaration_result.message_count, unroutable.declaration_result.message_count) == (1, 0)
    await channel.close()

    await broker.add_consumer(consumer)  # the service is ready: its tables exist, say

    async def handled_early() -> bool:
        return handled == ["early"]

    await wait_for(handled_early)


async def test_a_message_handed_out_more_than_the_delivery_limit_is_dead_lettered_not_dropped(
    made: Callable[..., Awaitable[tuple[Broker, Consumer]]], amqp: AbstractRobustConnection
) -> None:
    """A consumer that dies holding a message returns it; a message that kills every consumer it
    reaches is dead-lettered once it has been handed out more than `DELIVERY_LIMIT` times."""
    broker, consumer = await made([], consume=False)
    sent = build_envelope("tests", user_registered("kills-its-consumer"))
    await broker.publish(sent)
    channel = await amqp.channel()
    queue = await channel.declare_queue(consumer.queue, passive=True)
    dead_letters = await channel.declare_queue(consumer.dead_letter_queue, passive=True)

    deliveries = 0
    while deliveries <= DELIVERY_LIMIT + 1:
        message = await wait_for(lambda: _any_of(queue, dead_letters))
        if message.routing_key == consumer.dead_letter_queue:
            break
        deliveries += 1
        await message.reject(requeue=True)  # as the broker does for a consumer that died holding it

    assert deliveries > DELIVERY_LIMIT
    assert json.loads(message.body)["id"] == sent.id
    assert message.headers["x-death"][0]["reason"] == "delivery_limit"
    await channel.close()


async def _any_of(queue: aio_pika.abc.AbstractQueue, dead_letters: aio_pika.abc.AbstractQueue) -> Any:
    return await queue.get(fail=False) or await dead_letters.get(fail=False, no_ack=True)
