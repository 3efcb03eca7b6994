"""Moves a service's classic queues over to quorum queues, keeping every message and binding.

RabbitMQ cannot change the type of a queue, and refuses to declare a queue again with other arguments
(PRECONDITION_FAILED): a release that declares quorum queues does not start against a broker that holds
the classic ones of an older release. With the services stopped (their outboxes keep what they publish
meanwhile), run this once per consuming service, with that service's settings in the environment, so
that it logs in as the service's own user and names the queues as the service does:

    RABBITMQ_URL=amqp://booking_service:...@broker:5672/ python -m scripts.migrate_queues booking_service

For each of the service's durable queues that is still classic: a quorum queue `<queue>.migrating` is
bound as the queue is, so nothing published during the move is lost; the queue's messages (and those
waiting in its delay queues, retried at once) move there; the classic queues are deleted and declared
again as the service declares them; then the messages move back. A dead-letter queue moves the same
way. Messages are republished with confirms and each is acked only once the broker holds its copy, so a
cut midway loses nothing; run it again to finish. docs/quorum-queues.md tells the whole procedure.
"""

import argparse
import asyncio
import sys
from collections.abc import Sequence
from typing import Any

import aio_pika
import aiormq
from aio_pika.abc import AbstractChannel, AbstractRobustConnection

from scripts.topology import CONSUMING_SERVICES, service_consumers
from shared.messaging import PUBLISH_TIMEOUT_SECONDS, Consumer, broker_user
from shared.queues import QUORUM

MIGRATING_SUFFIX = ".migrating"


async def _exists(connection: AbstractRobustConnection, queue: str) -> bool:
    channel = await connection.channel()
    try:
        await channel.declare_queue(queue, passive=True)
    except aio_pika.exceptions.ChannelNotFoundEntity:
        return False
    await channel.close()
    return True


async def _outdated(connection: AbstractRobustConnection, queue: str, arguments: dict[str, Any]) -> bool:
    """Whether `queue` exists with other arguments than `arguments` (RabbitMQ refuses to declare it so):
    a classic queue, or a quorum queue of a release with other limits."""
    if not await _exists(connection, queue):
        return False
    channel = await connection.channel()
    try:
        await channel.declare_queue(queue, durable=True, arguments=arguments)
    except aio_pika.exceptions.ChannelPreconditionFailed:
        return True
    await channel.close()
    return False


async def move_messages(channel: AbstractChannel, source: str, target: str, *, user: str) -> int:
    """Moves every message of `source` to the queue `target` as the broker user `user`, each acked once
    the broker confirmed its copy; returns how many moved. Needs a channel with publisher confirms."""
    queue = await channel.declare_queue(source, passive=True)
    moved = 0
    while (message := await queue.get(fail=False)) is not None:
        copy = aio_pika.Message(
            body=message.body,
            headers=message.headers,
            content_type=message.content_type,
            content_encoding=message.content_encoding,
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            correlation_id=message.correlation_id,
            message_id=message.message_id,
            timestamp=message.timestamp,
            type=message.type,
            # RabbitMQ accepts only the connection's own user: the service's, whose own messages its
            # consumer takes (as it takes its own retries).
            user_id=user,
            app_id=message.app_id,
        )
        confirmed = await channel.default_exchange.publish(
            copy, routing_key=target, mandatory=True, timeout=PUBLISH_TIMEOUT_SECONDS
        )
        if isinstance(confirmed, aiormq.abc.DeliveredMessage):  # returned: no such queue
            raise RuntimeError(f"{target} is missing; {source} keeps its messages")
        await message.ack()
        moved += 1
    return moved


async def migrate_consumer(
    connection: AbstractRobustConnection, consumer: Consumer, exchange_name: str
) -> list[str]:
    """Moves those of `consumer`'s queues declared with other arguments than this release's (classic
    ones) over to quorum queues as it declares them; returns what it did, one line each."""
    done: list[str] = []
    user = broker_user(str(connection.url))
    channel = await connection.channel(publisher_confirms=True)
    exchange = await channel.declare_exchange(exchange_name, aio_pika.ExchangeType.TOPIC, durable=True)
    outdated = [
        name
        for name, arguments in consumer.durable_queues.items()
        if await _outdated(connection, name, arguments)
    ]
    if not outdated:
        await channel.close()
        return done
    holding = {}
    for name in outdated:
        if name in consumer.delay_queues:
            continue
        holding[name] = await channel.declare_queue(
            f"{name}{MIGRATING_SUFFIX}", durable=True, arguments=QUORUM
        )
    if consumer.queue in holding:
        for key in consumer.routing_keys:  # what is published during the move waits here
            await holding[consumer.queue].bind(exchange, key)
    for name in outdated:
        if name not in consumer.delay_queues:
            target = f"{name}{MIGRATING_SUFFIX}"
        else:  # retried at once, with the queue's own messages
            target = f"{consumer.queue}{MIGRATING_SUFFIX}" if consumer.queue in holding else consumer.queue
        moved = await move_messages(channel, name, target, user=user)
        await channel.queue_delete(name)
        done.append(f"{name}: {moved} messages held, the old queue deleted")
    # A new channel: RabbitMQ 3.10 fails a channel that publishes to a queue it knew by another type.
    await channel.close()
    channel = await connection.channel(publisher_confirms=True)
    await consumer.declare(channel, await channel.get_exchange(exchange_name))
    for name, queue in holding.items():
        moved = await move_messages(channel, queue.name, name, user=user)
        await channel.queue_delete(queue.name)
        done.append(f"{name}: quorum queue declared, {moved} messages back")
    await channel.close()
    return done


async def migrate(url: str, exchange_name: str, consumers: Sequence[Consumer]) -> list[str]:
    """Moves the classic queues of every durable consumer in `consumers` over to quorum queues."""
    connection = await aio_pika.connect_robust(url)
    try:
        done: list[str] = []
        for consumer in consumers:
            if not consumer.exclusive:
                done += await migrate_consumer(connection, consumer, exchange_name)
        return done
    finally:
        await connection.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("service", choices=sorted(CONSUMING_SERVICES))
    service = parser.parse_args(argv).service
    settings = CONSUMING_SERVICES[service]()
    done = asyncio.run(
        migrate(settings.rabbitmq_url, settings.event_exchange, service_consumers(service, settings))
    )
    for line in done or [f"{service}: every queue is as this release declares it"]:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
