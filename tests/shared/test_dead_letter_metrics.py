"""A service's `/metrics` reports the depth of each of its dead-letter queues, read at each scrape."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aio_pika
from fastapi import FastAPI

from shared.app import create_service_app
from shared.messages import UserRegistered
from shared.messaging import Broker, Consumer, RetryPolicy, build_envelope
from shared.settings import ServiceSettings
from tests.apps import asgi_client, running, wait_for
from tests.backends import RABBITMQ_URL
from tests.messages import user_registered


class ThingSettings(ServiceSettings):
    port: int = 0


async def on_user_registered(message: UserRegistered) -> None:
    raise ValueError("cannot handle this one")


async def test_metrics_report_each_dead_letter_queue_depth_at_each_scrape(
    exchange_name: str, run_id: str, amqp: aio_pika.abc.AbstractRobustConnection
) -> None:
    consumer = Consumer(queue=f"test_metrics_{run_id}", handlers=[on_user_registered], max_attempts=1)
    broker = Broker(
        url=RABBITMQ_URL, exchange_name=exchange_name, consumers=[consumer], retry=RetryPolicy(delays=(0.05,))
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.readiness = {"broker": broker.check}
        app.state.dead_letters = broker.dead_letter_depths
        async with broker:
            yield

    app = create_service_app(
        title="things", description="", settings=ThingSettings(_env_file=None), lifespan=lifespan, routers=[]
    )
    gauge = f'dead_letter_messages{{queue="{consumer.dead_letter_queue}"}}'
    try:
        async with running(app, until_ready=True), asgi_client(app, "http://things.test") as client:

            async def scraped(depth: float) -> bool:
                return f"{gauge} {depth}" in (await client.get("/metrics")).text

            assert await scraped(0.0)
            await broker.publish(build_envelope("tests", user_registered("poison")))
            await wait_for(lambda: scraped(1.0))
    finally:
        channel = await amqp.channel()
        for queue in (consumer.queue, consumer.dead_letter_queue, *consumer.delay_queues):
            await channel.queue_delete(queue)
        await channel.close()
