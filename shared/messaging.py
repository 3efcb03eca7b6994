"""RabbitMQ: the CloudEvents envelope, a publisher with confirms, and durable consumers.

One durable topic exchange carries every fact; the routing key is the message type.
"""

import asyncio
import inspect
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, Literal, NamedTuple, get_type_hints

import aio_pika
from aio_pika.abc import (
    AbstractChannel,
    AbstractExchange,
    AbstractIncomingMessage,
    AbstractRobustConnection,
)
from pydantic import BaseModel, ValidationError

from shared.lifecycle import Running
from shared.messages import CATALOGUE, MessageData, message_type_of
from shared.observability import current_request_id, request_id_var
from shared.settings import ServiceSettings

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/cloudevents+json"
PUBLISH_TIMEOUT_SECONDS = 10.0


class BrokerUnavailableError(RuntimeError):
    """The broker cannot be reached right now; the caller should retry later."""


class Envelope(BaseModel):
    """A CloudEvents 1.0 message in structured mode, plus the request id that caused it."""

    specversion: Literal["1.0"] = "1.0"
    id: str
    source: str
    type: str
    time: datetime
    datacontenttype: Literal["application/json"] = "application/json"
    correlationid: str | None = None
    data: dict[str, Any]


def build_envelope(source: str, data: MessageData) -> Envelope:
    """Returns a new envelope for `data`, stamped with the current request id."""
    return Envelope(
        id=str(uuid.uuid4()),
        source=source,
        type=message_type_of(data),
        time=datetime.now(UTC),
        correlationid=current_request_id(),
        data=data.model_dump(mode="json"),
    )


# `async def on_<message>(message: <Model>) -> None`: the catalogue types it handles are its model's.
MessageHandler = Callable[[Any], Awaitable[None]]
message_id_var: ContextVar[str | None] = ContextVar("message_id", default=None)


def current_message_id() -> str | None:
    """Returns the id of the message being handled (stable across redeliveries), for deduplication."""
    return message_id_var.get()


def _handled_types(handler: MessageHandler) -> dict[str, type[MessageData]]:
    """Returns the catalogue types whose payload is (a subclass of) the handler's message model."""
    parameters = list(inspect.signature(handler).parameters)
    model = get_type_hints(handler).get(parameters[0]) if parameters else None
    if not (isinstance(model, type) and issubclass(model, MessageData)):
        raise TypeError(f"{handler.__qualname__} must take one message, annotated with its model")
    handled = {name: payload for name, payload in CATALOGUE.items() if issubclass(payload, model)}
    if not handled:
        raise TypeError(f"{handler.__qualname__} takes {model.__name__}, which no catalogue type is")
    return handled


class _Route(NamedTuple):
    model: type[MessageData]
    handler: MessageHandler


class Consumer:
    """A durable queue bound to the types its handlers take, each message acked once handled.

    Each handler is `async def on_<message>(message: <Model>) -> None`; the queue is bound to every
    catalogue type whose payload is that model or a subclass of it, and the consumer parses each
    message once and calls its handler. A message whose payload does not fit its type goes straight
    to the dead-letter queue `<queue>.dlq`; one whose handler raises is retried up to
    `max_attempts` times, then dead-lettered. Errors listed in `transient_errors` (a store that is
    down) are retried without counting, so an outage delays messages instead of dead-lettering
    them. Handlers must be idempotent by `current_message_id()`: RabbitMQ delivers at least once.

    An `exclusive` consumer has a queue of its own connection, deleted when that closes, and no
    dead-letter queue: for messages only worth having while this process runs (a replica's live
    fan-out), which are dropped once `max_attempts` is spent.
    """

    def __init__(
        self,
        *,
        queue: str,
        handlers: Sequence[MessageHandler],
        prefetch: int = 32,
        max_attempts: int = 5,
        transient_errors: tuple[type[BaseException], ...] = (OSError,),
        exclusive: bool = False,
    ) -> None:
        self.queue = queue
        self._handlers: dict[str, _Route] = {}
        for handler in handlers:
            for message_type, model in _handled_types(handler).items():
                if message_type in self._handlers:
                    raise TypeError(f"Two handlers of {message_type} on the queue {queue}")
                self._handlers[message_type] = _Route(model, handler)
        self.routing_keys = tuple(self._handlers)
        self.prefetch = prefetch
        self.max_attempts = max_attempts
        self.transient_errors = transient_errors
        self.exclusive = exclusive
        self._channel: AbstractChannel | None = None

    @property
    def dead_letter_queue(self) -> str:
        return f"{self.queue}.dlq"

    async def attach(self, connection: AbstractRobustConnection, exchange_name: str) -> None:
        """Declares the queues and starts consuming; a robust connection re-attaches after outages."""
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=self.prefetch)
        exchange = await channel.declare_exchange(exchange_name, aio_pika.ExchangeType.TOPIC, durable=True)
        if self.exclusive:
            queue = await channel.declare_queue(self.queue, exclusive=True, auto_delete=True)
        else:
            await channel.declare_queue(self.dead_letter_queue, durable=True)
            queue = await channel.declare_queue(
                self.queue,
                durable=True,
                arguments={
                    "x-dead-letter-exchange": "",
                    "x-dead-letter-routing-key": self.dead_letter_queue,
                },
            )
        for key in self.routing_keys:
            await queue.bind(exchange, key)
        self._channel = channel
        await queue.consume(self._on_message)

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        try:
            envelope = Envelope.model_validate_json(message.body)
            route = self._handlers.get(envelope.type)
            payload = route.model.model_validate(envelope.data) if route is not None else None
        except ValidationError as exc:
            logger.error("Dead-lettering a message that does not fit its type: %s", exc)
            await message.reject(requeue=False)
            return
        if route is None:  # bound by an older version of this service, or by a wildcard
            logger.info("Ignoring a message of type %s, which no handler here takes", envelope.type)
            await message.ack()
            return
        tokens = (request_id_var.set(envelope.correlationid), message_id_var.set(envelope.id))
        try:
            await route.handler(payload)
        except self.transient_errors as exc:
            logger.warning("Handling %s %s hit a transient error: %r", envelope.type, envelope.id, exc)
            await asyncio.sleep(1.0)  # back off before the broker hands it out again
            await message.nack(requeue=True)
            return
        except Exception:
            await self._retry_or_dead_letter(message, envelope)
            return
        finally:
            message_id_var.reset(tokens[1])
            request_id_var.reset(tokens[0])
        await message.ack()

    async def _retry_or_dead_letter(self, message: AbstractIncomingMessage, envelope: Envelope) -> None:
        attempts = int((message.headers or {}).get("x-attempts", 0)) + 1
        if attempts >= self.max_attempts or self._channel is None:
            logger.exception(
                "Dead-lettering %s %s after %d failed attempts", envelope.type, envelope.id, attempts
            )
            await message.reject(requeue=False)
            return
        logger.warning(
            "Handling %s %s failed (attempt %d), retrying",
            envelope.type,
            envelope.id,
            attempts,
            exc_info=True,
        )
        retry = aio_pika.Message(
            body=message.body,
            content_type=message.content_type,
            message_id=message.message_id,
            correlation_id=message.correlation_id,
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            headers={**(message.headers or {}), "x-attempts": attempts},
        )
        await self._channel.default_exchange.publish(retry, routing_key=self.queue)
        await message.ack()


class Broker(Running):
    """A robust connection that keeps trying until RabbitMQ answers, then publishes with confirms.

    Starting never fails because the broker is down: `publish` raises `BrokerUnavailableError`
    until the connection is up, and callers (the outbox relays) retry.
    """

    def __init__(
        self,
        *,
        url: str,
        exchange_name: str,
        retry_seconds: float = 2.0,
        consumers: Sequence[Consumer] = (),
    ) -> None:
        self.url = url
        self.exchange_name = exchange_name
        self.retry_seconds = retry_seconds
        self.consumers = list(consumers)
        self.connected = asyncio.Event()
        # Grows each time the connection is lost or restored: what a consumer heard in one epoch says
        # nothing of the messages a cut made it miss.
        self.epoch = 0
        self._connection: AbstractRobustConnection | None = None
        self._exchange: AbstractExchange | None = None
        self._task: asyncio.Task[None] | None = None

    @classmethod
    def from_settings(cls, settings: ServiceSettings, consumers: Sequence[Consumer] = ()) -> "Broker":
        return cls(
            url=settings.rabbitmq_url,
            exchange_name=settings.event_exchange,
            retry_seconds=settings.broker_retry_seconds,
            consumers=consumers,
        )

    async def start(self) -> None:
        self._task = asyncio.create_task(self._connect_until_up(), name="broker-connect")

    async def add_consumer(self, consumer: Consumer) -> None:
        """Starts consuming now if connected, else as soon as the connection is up."""
        self.consumers.append(consumer)
        if self._connection is not None:
            await consumer.attach(self._connection, self.exchange_name)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self._connection is not None:
            await self._connection.close()

    @property
    def is_connected(self) -> bool:
        return self._connection is not None and self._connection.connected.is_set()

    async def check(self) -> None:
        """Raises when the broker is not reachable (for `/ready`)."""
        if not self.is_connected:
            raise BrokerUnavailableError("RabbitMQ is not connected")

    async def publish(self, envelope: Envelope) -> None:
        """Publishes and waits for the broker's confirm; raises `BrokerUnavailableError` if it can't."""
        if not self.is_connected or self._exchange is None:
            raise BrokerUnavailableError("RabbitMQ is not connected")
        message = aio_pika.Message(
            body=envelope.model_dump_json().encode(),
            content_type=CONTENT_TYPE,
            message_id=envelope.id,
            correlation_id=envelope.correlationid,
            type=envelope.type,
            timestamp=envelope.time,
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        )
        try:
            await self._exchange.publish(message, routing_key=envelope.type, timeout=PUBLISH_TIMEOUT_SECONDS)
        except (
            aio_pika.exceptions.AMQPError,
            aio_pika.exceptions.ChannelInvalidStateError,  # the channel is being restored after a cut
            ConnectionError,
            TimeoutError,
        ) as exc:
            raise BrokerUnavailableError(f"Publishing {envelope.type} failed: {exc!r}") from exc

    def _next_epoch(self, *_: object) -> None:
        self.epoch += 1

    async def _connect_until_up(self) -> None:
        while True:
            try:
                connection = await aio_pika.connect_robust(self.url, timeout=5)
                break
            except (aio_pika.exceptions.AMQPError, OSError, TimeoutError) as exc:
                logger.warning("RabbitMQ unreachable (%r); retrying in %ss", exc, self.retry_seconds)
                await asyncio.sleep(self.retry_seconds)
        channel = await connection.channel(publisher_confirms=True)
        self._exchange = await channel.declare_exchange(
            self.exchange_name, aio_pika.ExchangeType.TOPIC, durable=True
        )
        for consumer in self.consumers:
            await consumer.attach(connection, self.exchange_name)
        connection.close_callbacks.add(self._next_epoch)
        connection.reconnect_callbacks.add(self._next_epoch)
        self._connection = connection
        self._next_epoch()
        self.connected.set()
        logger.info("Connected to RabbitMQ, exchange %r", self.exchange_name)
