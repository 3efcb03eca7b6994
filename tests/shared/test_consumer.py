"""The consumer helper against a real RabbitMQ, with idempotent handling in a real PostgreSQL."""

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import aio_pika
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import DeclarativeBase

from shared.db import create_engine, create_sessionmaker
from shared.inbox import ProcessedMessageMixin, first_delivery
from shared.messages import UserRegistered
from shared.messaging import Broker, Consumer, Envelope, build_envelope
from tests.conftest import RABBITMQ_URL, wait_for


class Base(DeclarativeBase):
    pass


class ProcessedMessage(ProcessedMessageMixin, Base):
    pass


def _registered(username: str) -> UserRegistered:
    return UserRegistered(
        user_id=username,
        username=username,
        email=f"{username}@example.com",
        full_name=username,
        roles=["attendee"],
        registered_at=datetime.now(UTC),
    )


@pytest.fixture
async def start_consumer(
    exchange_name: str, run_id: str, amqp: aio_pika.abc.AbstractRobustConnection
) -> AsyncIterator[Callable[..., Awaitable[tuple[Broker, Consumer]]]]:
    """Starts a broker with one consumer on a queue of its own; deletes the queues afterwards."""
    started: list[tuple[Broker, Consumer]] = []

    async def start(
        handler: Callable[[Envelope], Awaitable[None]], **options: object
    ) -> tuple[Broker, Consumer]:
        consumer = Consumer(
            queue=f"test_consumer_{run_id}_{len(started)}",
            routing_keys=["user.registered"],
            handler=handler,
            **options,
        )
        broker = Broker(url=RABBITMQ_URL, exchange_name=exchange_name, consumers=[consumer])
        await broker.start()
        await wait_for(lambda: _is_set(broker))
        started.append((broker, consumer))
        return broker, consumer

    yield start
    channel = await amqp.channel()
    for broker, consumer in started:
        await broker.close()
        await channel.queue_delete(consumer.queue)
        await channel.queue_delete(consumer.dead_letter_queue)
    await channel.close()


async def _is_set(broker: Broker) -> bool:
    return broker.connected.is_set()


async def test_a_handled_message_is_acked(
    start_consumer: Callable[..., Awaitable[tuple[Broker, Consumer]]],
) -> None:
    received: list[Envelope] = []

    async def handle(envelope: Envelope) -> None:
        received.append(envelope)

    broker, _ = await start_consumer(handle)
    sent = build_envelope("tests", _registered("consumed"))
    await broker.publish(sent)

    await wait_for(lambda: _at_least(received, 1))
    assert received[0].id == sent.id
    assert received[0].data["username"] == "consumed"


async def test_a_failing_message_is_retried_then_dead_lettered_and_the_next_is_processed(
    start_consumer: Callable[..., Awaitable[tuple[Broker, Consumer]]],
    amqp: aio_pika.abc.AbstractRobustConnection,
) -> None:
    attempts: dict[str, int] = {}
    handled: list[str] = []

    async def handle(envelope: Envelope) -> None:
        username = envelope.data["username"]
        attempts[username] = attempts.get(username, 0) + 1
        if username == "poison":
            raise ValueError("cannot handle this one")
        handled.append(username)

    broker, consumer = await start_consumer(handle, max_attempts=3)
    await broker.publish(build_envelope("tests", _registered("poison")))
    await broker.publish(build_envelope("tests", _registered("healthy")))

    channel = await amqp.channel()
    dead_letters = await channel.declare_queue(consumer.dead_letter_queue, durable=True, passive=True)
    dead = await wait_for(lambda: dead_letters.get(no_ack=True, fail=False))
    await channel.close()
    assert json.loads(dead.body)["data"]["username"] == "poison"
    assert attempts["poison"] == 3
    await wait_for(lambda: _at_least(handled, 1))
    assert handled == ["healthy"]


async def test_an_invalid_envelope_goes_straight_to_the_dead_letter_queue(
    start_consumer: Callable[..., Awaitable[tuple[Broker, Consumer]]],
    amqp: aio_pika.abc.AbstractRobustConnection,
    exchange_name: str,
) -> None:
    async def handle(envelope: Envelope) -> None:
        raise AssertionError("never called for an invalid envelope")

    _, consumer = await start_consumer(handle)
    channel = await amqp.channel()
    exchange = await channel.get_exchange(exchange_name)
    await exchange.publish(aio_pika.Message(b"not json"), routing_key="user.registered")
    dead_letters = await channel.declare_queue(consumer.dead_letter_queue, durable=True, passive=True)

    dead = await wait_for(lambda: dead_letters.get(no_ack=True, fail=False))
    await channel.close()
    assert dead.body == b"not json"


async def test_a_redelivered_message_is_stored_once(
    start_consumer: Callable[..., Awaitable[tuple[Broker, Consumer]]],
    create_database: Callable[[str], Awaitable[str]],
) -> None:
    engine = create_engine(await create_database("inbox"))
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    sessionmaker = create_sessionmaker(engine)
    deliveries: list[str] = []
    effects: list[str] = []

    async def handle(envelope: Envelope) -> None:
        async with sessionmaker() as session, session.begin():
            if await first_delivery(session, ProcessedMessage, envelope):
                effects.append(envelope.id)
        deliveries.append(envelope.id)

    broker, _ = await start_consumer(handle)
    envelope = build_envelope("tests", _registered("twice"))
    await broker.publish(envelope)
    await broker.publish(envelope)  # the same message id, as a redelivery would bring it

    await wait_for(lambda: _at_least(deliveries, 2))
    async with sessionmaker() as session:
        stored = await session.scalar(select(func.count()).select_from(ProcessedMessage))
    await engine.dispose()
    assert stored == 1
    assert effects == [envelope.id]


async def _at_least(items: list[object], count: int) -> bool:
    return len(items) >= count


async def test_an_exclusive_consumer_has_no_dead_letter_queue_and_its_queue_goes_with_it(
    exchange_name: str, run_id: str, amqp: aio_pika.abc.AbstractRobustConnection
) -> None:
    received: list[str] = []

    async def handle(envelope: Envelope) -> None:
        received.append(envelope.id)

    consumer = Consumer(
        queue=f"test_exclusive_{run_id}", routing_keys=["user.registered"], handler=handle, exclusive=True
    )
    broker = Broker(url=RABBITMQ_URL, exchange_name=exchange_name, consumers=[consumer])
    await broker.start()
    try:
        await wait_for(lambda: _is_set(broker))
        sent = build_envelope("tests", _registered("live"))
        await broker.publish(sent)
        await wait_for(lambda: _at_least(received, 1))
    finally:
        await broker.close()

    assert received == [sent.id]
    channel = await amqp.channel()
    for queue in (consumer.queue, consumer.dead_letter_queue):
        with pytest.raises(aio_pika.exceptions.ChannelClosed):
            await channel.declare_queue(queue, passive=True)
        channel = await amqp.channel()  # a failed passive declare closes the channel
    await channel.close()
