"""The consumer helper against a real RabbitMQ: typed dispatch, retries and the dead-letter queue."""

import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import aio_pika
import pytest

from shared.messages import EventSnapshot, UserRegistered
from shared.messaging import Broker, Consumer, RetryPolicy, build_envelope, current_message_id
from shared.metrics import HttpMetrics
from tests.conftest import RABBITMQ_URL, wait_for
from tests.messages import user_registered


@pytest.fixture
async def start_consumer(
    exchange_name: str, run_id: str, amqp: aio_pika.abc.AbstractRobustConnection
) -> AsyncIterator[Callable[..., Awaitable[tuple[Broker, Consumer]]]]:
    """Starts a broker with one consumer on a queue of its own; deletes the queues afterwards.

    Retries wait `QUICK_RETRIES` unless the test passes its own `retry` policy.
    """
    started: list[tuple[Broker, Consumer]] = []

    async def start(
        *handlers: Callable[..., Awaitable[None]], retry: RetryPolicy = QUICK_RETRIES, **options: object
    ) -> tuple[Broker, Consumer]:
        consumer = Consumer(queue=f"test_consumer_{run_id}_{len(started)}", handlers=handlers, **options)
        broker = Broker(url=RABBITMQ_URL, exchange_name=exchange_name, consumers=[consumer], retry=retry)
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
        for queue in consumer.delay_queues:
            await channel.queue_delete(queue)
    await channel.close()


QUICK_RETRIES = RetryPolicy(delays=(0.05, 0.1), transient_max_delay=0.05)


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
    sent = build_envelope("tests", user_registered("consumed"))
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
    broken = build_envelope("tests", user_registered("broken"))
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
    await broker.publish(build_envelope("tests", user_registered("poison")))
    await broker.publish(build_envelope("tests", user_registered("healthy")))

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
        sent = build_envelope("tests", user_registered("live"))
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


async def test_a_failing_message_waits_longer_before_each_retry(
    start_consumer: Callable[..., Awaitable[tuple[Broker, Consumer]]],
    amqp: aio_pika.abc.AbstractRobustConnection,
) -> None:
    attempted_at: list[float] = []

    async def on_user_registered(message: UserRegistered) -> None:
        attempted_at.append(time.monotonic())
        raise ValueError("cannot handle this one")

    broker, consumer = await start_consumer(
        on_user_registered, max_attempts=3, retry=RetryPolicy(delays=(0.3, 0.9))
    )
    await broker.publish(build_envelope("tests", user_registered("poison")))

    channel = await amqp.channel()
    dead_letters = await channel.declare_queue(consumer.dead_letter_queue, durable=True, passive=True)
    dead = await wait_for(lambda: dead_letters.get(no_ack=True, fail=False))
    await channel.close()
    assert json.loads(dead.body)["data"]["username"] == "poison"
    assert len(attempted_at) == 3
    first, second, third = attempted_at
    first_wait, second_wait = second - first, third - second
    assert 0.3 <= first_wait < 0.9, first_wait
    assert second_wait >= 0.9, second_wait


async def test_a_transient_error_backs_off_briefly_and_is_dead_lettered_once_it_lasts_too_long(
    start_consumer: Callable[..., Awaitable[tuple[Broker, Consumer]]],
    amqp: aio_pika.abc.AbstractRobustConnection,
) -> None:
    attempted_at: list[float] = []

    async def on_user_registered(message: UserRegistered) -> None:
        attempted_at.append(time.monotonic())
        raise ConnectionRefusedError("the store is down")

    # Transient retries climb no higher than 0.2 s (never to the 30 s step), and stop after a second.
    retry = RetryPolicy(delays=(0.1, 0.2, 30.0), transient_max_delay=0.2, transient_limit=1.0)
    broker, consumer = await start_consumer(on_user_registered, max_attempts=2, retry=retry)
    await broker.publish(build_envelope("tests", user_registered("stranded")))

    channel = await amqp.channel()
    dead_letters = await channel.declare_queue(consumer.dead_letter_queue, durable=True, passive=True)
    dead = await wait_for(lambda: dead_letters.get(no_ack=True, fail=False))
    await channel.close()
    assert json.loads(dead.body)["data"]["username"] == "stranded"
    waits = [later - earlier for earlier, later in zip(attempted_at, attempted_at[1:], strict=False)]
    assert len(attempted_at) > 2  # transient errors do not count towards max_attempts
    assert waits[0] >= 0.1 and all(0.2 <= wait < 1.0 for wait in waits[1:]), waits
    assert dead.headers["x-transient-attempts"] == len(attempted_at) - 1


async def test_a_message_no_queue_takes_is_kept_in_the_unroutable_queue(
    run_id: str, amqp: aio_pika.abc.AbstractRobustConnection
) -> None:
    exchange_name = f"test_unroutable_{run_id}"
    broker = Broker(url=RABBITMQ_URL, exchange_name=exchange_name)
    await broker.start()
    channel = await amqp.channel()
    try:
        await wait_for(lambda: _is_set(broker))
        sent = build_envelope("tests", user_registered("nobody-listens"))
        await broker.publish(sent)

        kept = await channel.declare_queue(f"{exchange_name}.unroutable", durable=True, passive=True)
        message = await wait_for(lambda: kept.get(no_ack=True, fail=False), timeout=5)
        assert json.loads(message.body)["id"] == sent.id
        assert message.headers["x-routing-key"] == "user.registered"
    finally:
        await broker.close()
        channel = await amqp.channel() if channel.is_closed else channel
        await channel.queue_delete(f"{exchange_name}.unroutable")
        await channel.exchange_delete(exchange_name)
        await channel.close()


async def test_the_depth_of_each_dead_letter_queue_is_a_metric(
    start_consumer: Callable[..., Awaitable[tuple[Broker, Consumer]]],
) -> None:
    async def on_user_registered(message: UserRegistered) -> None:
        raise ValueError("cannot handle this one")

    broker, consumer = await start_consumer(on_user_registered, max_attempts=1)
    assert await broker.dead_letter_depths() == {consumer.dead_letter_queue: 0}
    await broker.publish(build_envelope("tests", user_registered("poison")))

    async def dead_lettered() -> bool:
        return await broker.dead_letter_depths() == {consumer.dead_letter_queue: 1}

    await wait_for(dead_lettered)
    metrics = HttpMetrics()
    metrics.observe_dead_letters(await broker.dead_letter_depths())
    sample = f'dead_letter_messages{{queue="{consumer.dead_letter_queue}"}} 1.0'
    assert sample in metrics.exposition().decode()
