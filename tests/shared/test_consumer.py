"""The consumer helper against a real RabbitMQ: typed dispatch, retries and the dead-letter queue."""

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import aio_pika
import pytest

from shared.messages import EventSnapshot, UserRegistered
from shared.messaging import Broker, Consumer, build_envelope, current_message_id
from tests.conftest import RABBITMQ_URL, wait_for


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

    async def start(*handlers: Callable[..., Awaitable[None]], **options: object) -> tuple[Broker, Consumer]:
        consumer = Consumer(queue=f"test_consumer_{run_id}_{len(started)}", handlers=handlers, **options)
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


async def test_each_message_reaches_the_handler_of_its_type_parsed(
    start_consumer: Callable[..., Awaitable[tuple[Broker, Consumer]]],
) -> None:
    received: list[tuple[object, str | None]] = []

    async def on_user_registered(message: UserRegistered) -> None:
        received.append((message, current_message_id()))

    async def on_event_changed(message: EventSnapshot) -> None:
        received.append((message, current_message_id()))

    broker, consumer = await start_consumer(on_user_registered, on_event_changed)
    sent = build_envelope("tests", _registered("consumed"))
    await broker.publish(sent)

    await wait_for(lambda: _at_least(received, 1))
    [(message, message_id)] = received
    assert isinstance(message, UserRegistered) and message.username == "consumed"
    assert message_id == sent.id
    assert set(consumer.routing_keys) == {
        "user.registered",
        "event.created",
        "event.updated",
        "event.cancelled",
        "event.deleted",
    }


def test_a_handler_must_name_a_message_model_and_one_handler_takes_each_type() -> None:
    async def untyped(message) -> None:  # type: ignore[no-untyped-def]
        pass

    async def on_user_registered(message: UserRegistered) -> None:
        pass

    with pytest.raises(TypeError, match="annotated"):
        Consumer(queue="never-declared", handlers=[untyped])
    with pytest.raises(TypeError, match="Two handlers of user.registered"):
        Consumer(queue="never-declared", handlers=[on_user_registered, on_user_registered])


async def test_a_payload_that_does_not_fit_its_type_is_dead_lettered_unhandled(
    start_consumer: Callable[..., Awaitable[tuple[Broker, Consumer]]],
    amqp: aio_pika.abc.AbstractRobustConnection,
) -> None:
    handled: list[UserRegistered] = []

    async def on_user_registered(message: UserRegistered) -> None:
        handled.append(message)

    broker, consumer = await start_consumer(on_user_registered)
    broken = build_envelope("tests", _registered("broken"))
    del broken.data["email"]
    await broker.publish(broken)

    channel = await amqp.channel()
    dead_letters = await channel.declare_queue(consumer.dead_letter_queue, durable=True, passive=True)
    dead = await wait_for(lambda: dead_letters.get(no_ack=True, fail=False))
    await channel.close()
    assert json.loads(dead.body)["id"] == broken.id
    assert handled == []


async def test_a_failing_message_is_retried_then_dead_lettered_and_the_next_is_processed(
    start_consumer: Callable[..., Awaitable[tuple[Broker, Consumer]]],
    amqp: aio_pika.abc.AbstractRobustConnection,
) -> None:
    attempts: dict[str, int] = {}
    handled: list[str] = []

    async def on_user_registered(message: UserRegistered) -> None:
        username = message.username
        attempts[username] = attempts.get(username, 0) + 1
        if username == "poison":
            raise ValueError("cannot handle this one")
        handled.append(username)

    broker, consumer = await start_consumer(on_user_registered, max_attempts=3)
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
    async def on_user_registered(message: UserRegistered) -> None:
        raise AssertionError("never called for an invalid envelope")

    _, consumer = await start_consumer(on_user_registered)
    channel = await amqp.channel()
    exchange = await channel.get_exchange(exchange_name)
    await exchange.publish(aio_pika.Message(b"not json"), routing_key="user.registered")
    dead_letters = await channel.declare_queue(consumer.dead_letter_queue, durable=True, passive=True)

    dead = await wait_for(lambda: dead_letters.get(no_ack=True, fail=False))
    await channel.close()
    assert dead.body == b"not json"


async def _at_least(items: list[object], count: int) -> bool:
    return len(items) >= count


async def test_an_exclusive_consumer_has_no_dead_letter_queue_and_its_queue_goes_with_it(
    exchange_name: str, run_id: str, amqp: aio_pika.abc.AbstractRobustConnection
) -> None:
    received: list[str] = []

    async def on_user_registered(message: UserRegistered) -> None:
        received.append(current_message_id())

    consumer = Consumer(queue=f"test_exclusive_{run_id}", handlers=[on_user_registered], exclusive=True)
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
