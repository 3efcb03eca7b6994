"""RabbitMQ: the CloudEvents envelope, a publisher with confirms, and durable consumers.

One durable topic exchange carries every fact; the routing key is the message type.
"""

import asyncio
import inspect
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, NamedTuple, get_type_hints

import aio_pika
import aiormq
from aio_pika.abc import (
    AbstractChannel,
    AbstractExchange,
    AbstractIncomingMessage,
    AbstractQueue,
    AbstractRobustConnection,
)
from opentelemetry.trace import SpanKind
from pydantic import BaseModel, ValidationError
from yarl import URL

from shared.lifecycle import Running
from shared.messages import CATALOGUE, OWNERS, MessageData, message_type_of
from shared.observability import current_request_id, request_id_var
from shared.queues import (
    QUORUM,
    UNROUTABLE_ARGUMENTS,
    consumer_queue_arguments,
    delay_queue_arguments,
    delay_queue_name,
)
from shared.settings import ServiceSettings
from shared.tracing import current_traceparent, span

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/cloudevents+json"
PUBLISH_TIMEOUT_SECONDS = 10.0
DEAD_LETTER_COUNT_TIMEOUT_SECONDS = 2.0


class BrokerUnavailableError(RuntimeError):
    """The broker cannot be reached right now; the caller should retry later."""


class Envelope(BaseModel):
    """A CloudEvents 1.0 message in structured mode, plus the request id that caused it and the trace it
    continues (`traceparent`, CloudEvents' distributed tracing extension)."""

    specversion: Literal["1.0"] = "1.0"
    id: str
    source: str
    type: str
    time: datetime
    datacontenttype: Literal["application/json"] = "application/json"
    correlationid: str | None = None
    traceparent: str | None = None
    data: dict[str, Any]


def build_envelope(source: str, data: MessageData) -> Envelope:
    """Returns a new envelope for `data`, stamped with the current request id."""
    return Envelope(
        id=str(uuid.uuid4()),
        source=source,
        type=message_type_of(data),
        time=datetime.now(UTC),
        correlationid=current_request_id(),
        traceparent=current_traceparent(),
        data=data.model_dump(mode="json"),
    )


# Headers the broker adds when it dead-letters a message; a republished copy must not carry them.
_BROKER_HEADERS = ("x-death", "x-first-death-", "x-last-death-", "x-delivery-count")


@dataclass(frozen=True)
class RetryPolicy:
    """How long a consumer waits before it hands a failed message out again.

    The n-th retry of a failing message waits `delays[n-1]` (the last one past the list). A transient
    error (a store that is down) climbs the same delays no higher than `transient_max_delay`, so work
    resumes soon after an outage, and is dead-lettered once it has lasted `transient_limit` seconds.
    """

    delays: tuple[float, ...] = (1.0, 10.0, 60.0, 300.0)
    transient_max_delay: float = 10.0
    transient_limit: float = 86400.0

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> "RetryPolicy":
        return cls(
            delays=tuple(settings.retry_delays_seconds),
            transient_max_delay=settings.transient_retry_max_seconds,
            transient_limit=settings.transient_retry_limit_seconds,
        )

    def delay(self, attempt: int) -> float:
        """The wait before retrying a message that failed `attempt` times."""
        return self.delays[min(attempt, len(self.delays)) - 1]

    def transient_delay(self, attempt: int) -> float:
        """The wait before retrying a message that met a transient error `attempt` times in a row."""
        capped = [delay for delay in self.delays if delay <= self.transient_max_delay] or [min(self.delays)]
        return capped[min(attempt, len(capped)) - 1]


def broker_user(url: str) -> str:
    """The user an AMQP URL logs in as (RabbitMQ's default, guest, when it names none)."""
    return URL(url).user or "guest"


# `async def on_<message>(message: <Model>) -> None`: the catalogue types it handles are its model's.
MessageHandler = Callable[[Any], Awaitable[None]]
envelope_var: ContextVar[Envelope | None] = ContextVar("envelope", default=None)


def current_envelope() -> Envelope | None:
    """Returns the envelope of the message being handled, as its producer published it."""
    return envelope_var.get()


def current_message_id() -> str | None:
    """Returns the id of the message being handled (stable across redeliveries), for deduplication."""
    envelope = envelope_var.get()
    return envelope.id if envelope is not None else None


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
    to the dead-letter queue `<queue>.dlq`. One whose handler raises waits in a delay queue
    `<queue>.retry.<seconds>s` (the broker's TTL returns it) and is retried with growing delays (the
    broker's `RetryPolicy`) up to `max_attempts` times, then dead-lettered. Errors listed in
    `transient_errors` (a store that is down) are retried without counting towards `max_attempts`,
    so an outage delays messages instead of dead-lettering them, but only for as long as the policy's
    `transient_limit`. Handlers must be idempotent by `current_message_id()`: RabbitMQ delivers at
    least once. Each of these queues is a quorum queue (shared/queues.py).

    An `exclusive` consumer has a queue of its own connection, deleted when that closes, and neither
    delay queues nor a dead-letter queue: for messages only worth having while this process runs (a
    replica's live fan-out), which are retried at once and dropped once `max_attempts` is spent.
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
        owners: Mapping[str, str] = OWNERS,
    ) -> None:
        self.queue = queue
        self.owners = owners
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
        self.retry = RetryPolicy()
        self._channel: AbstractChannel | None = None
        self._consuming: tuple[AbstractQueue, str] | None = None  # the queue and our consumer tag on it
        self._exchange_name = ""
        self._user = ""  # the broker user this consumer connects as

    @property
    def dead_letter_queue(self) -> str:
        return f"{self.queue}.dlq"

    @property
    def delay_queues(self) -> list[str]:
        """The queues where failed messages wait before their retry (none for an exclusive consumer)."""
        if self.exclusive:
            return []
        return [delay_queue_name(self.queue, delay) for delay in sorted(set(self.retry.delays))]

    @property
    def durable_queues(self) -> dict[str, dict[str, Any]]:
        """Each durable queue this consumer declares, with its arguments: its own, then its dead-letter
        queue and delay queues (none for an exclusive consumer, whose queue goes with its connection)."""
        if self.exclusive:
            return {}
        # One queue per delay: a message's own TTL would wait behind a longer one ahead of it.
        delays = sorted(set(self.retry.delays))
        return {
            self.queue: consumer_queue_arguments(self.dead_letter_queue),
            self.dead_letter_queue: QUORUM,
            **{
                delay_queue_name(self.queue, delay): delay_queue_arguments(self.queue, delay)
                for delay in delays
            },
        }

    async def declare(
        self, channel: AbstractChannel, exchange: AbstractExchange, retry: RetryPolicy | None = None
    ) -> AbstractQueue:
        """Declares the queues and binds this consumer's to the types it takes; returns that queue."""
        if retry is not None:
            self.retry = retry
        if self.exclusive:  # exclusive queues cannot be quorum queues: this one is classic
            queue = await channel.declare_queue(self.queue, exclusive=True, auto_delete=True)
        else:
            queue, *_ = [
                await channel.declare_queue(name, durable=True, arguments=arguments)
                for name, arguments in self.durable_queues.items()
            ]
        for key in self.routing_keys:
            await queue.bind(exchange, key)
        return queue

    async def attach(
        self, connection: AbstractRobustConnection, exchange_name: str, retry: RetryPolicy | None = None
    ) -> None:
        """Declares the queues and starts consuming; a robust connection re-attaches after outages."""
        self._exchange_name = exchange_name
        self._user = broker_user(str(connection.url))
        # Confirms, so that a retry is stored by the broker before the failed delivery is acked.
        channel = await connection.channel(publisher_confirms=True)
        await channel.set_qos(prefetch_count=self.prefetch)
        exchange = await channel.declare_exchange(exchange_name, aio_pika.ExchangeType.TOPIC, durable=True)
        queue = await self.declare(channel, exchange, retry)
        self._channel = channel
        self._consuming = (queue, await queue.consume(self._on_message))

    async def stop(self) -> None:
        """Takes no more messages (a replica shutting down). Those handed out already are still handled;
        any left unacked when the connection closes go back to the queue, for the other replicas."""
        if self._consuming is not None:
            queue, tag = self._consuming
            self._consuming = None
            await queue.cancel(tag)

    async def dead_letter_depth(self, connection: AbstractRobustConnection) -> int | None:
        """The number of messages in the dead-letter queue, or None when it has none (or is not there)."""
        if self.exclusive:
            return None
        channel = await connection.channel()
        try:
            declared = await channel.declare_queue(self.dead_letter_queue, durable=True, passive=True)
            return declared.declaration_result.message_count
        except aio_pika.exceptions.ChannelClosed:  # not declared yet: the broker closed the channel
            return None
        finally:
            if not channel.is_closed:
                await channel.close()

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
        if not self._from_owner(message, envelope):
            logger.error(
                "Dead-lettering %s %s: published by %r to %r as %r, not by its owner",
                envelope.type,
                envelope.id,
                message.user_id,
                message.exchange,
                message.routing_key,
            )
            await message.reject(requeue=False)
            return
        tokens = (request_id_var.set(envelope.correlationid), envelope_var.set(envelope))
        try:
            with span(f"{envelope.type} process", SpanKind.CONSUMER, envelope.traceparent):
                await route.handler(payload)
        except self.transient_errors as exc:
            await self._retry_transient(message, envelope, exc)
            return
        except Exception:
            await self._retry_or_dead_letter(message, envelope)
            return
        finally:
            envelope_var.reset(tokens[1])
            request_id_var.reset(tokens[0])
        await message.ack()

    def _from_owner(self, message: AbstractIncomingMessage, envelope: Envelope) -> bool:
        """Whether the service that owns the message's type published it, as that type, on the exchange.

        RabbitMQ refuses a `user_id` that is not the publishing connection's user, so it names who
        published. A message of this consumer's own user is accepted too: its own retries, or every
        message where all services share one user (development)."""
        if message.user_id == self._user:
            return True
        owner = self.owners.get(envelope.type.split(".", 1)[0])
        return (
            owner is not None
            and message.user_id == owner
            and message.exchange == self._exchange_name
            and message.routing_key == envelope.type
        )

    async def _retry_or_dead_letter(self, message: AbstractIncomingMessage, envelope: Envelope) -> None:
        headers = message.headers or {}
        attempts = int(headers.get("x-attempts", 0)) + 1
        if attempts >= self.max_attempts or self._channel is None:
            logger.exception(
                "Dead-lettering %s %s after %d failed attempts", envelope.type, envelope.id, attempts
            )
            await message.reject(requeue=False)
            return
        delay = 0.0 if self.exclusive else self.retry.delay(attempts)
        logger.warning(
            "Handling %s %s failed (attempt %d), retrying in %gs",
            envelope.type,
            envelope.id,
            attempts,
            delay,
            exc_info=True,
        )
        await self._republish(message, {"x-attempts": attempts}, delay)

    async def _retry_transient(
        self, message: AbstractIncomingMessage, envelope: Envelope, error: BaseException
    ) -> None:
        headers = message.headers or {}
        attempts = int(headers.get("x-transient-attempts", 0)) + 1
        # Milliseconds as an integer: AMQP would carry a float header as 32 bits, minutes off.
        since = int(headers.get("x-transient-since-ms", time.time() * 1000)) / 1000
        if time.time() - since > self.retry.transient_limit or self._channel is None:
            logger.error(
                "Dead-lettering %s %s: transient errors for %.0fs (%d attempts), the last %r",
                envelope.type,
                envelope.id,
                time.time() - since,
                attempts,
                error,
            )
            await message.reject(requeue=False)
            return
        delay = self.retry.transient_delay(attempts)
        logger.warning(
            "Handling %s %s hit a transient error (attempt %d), retrying in %gs: %r",
            envelope.type,
            envelope.id,
            attempts,
            delay,
            error,
        )
        if self.exclusive:  # no delay queue: wait here, holding one of the prefetched messages
            await asyncio.sleep(delay)
        await self._republish(
            message,
            {"x-transient-attempts": attempts, "x-transient-since-ms": round(since * 1000)},
            0.0 if self.exclusive else delay,
        )

    async def _republish(
        self, message: AbstractIncomingMessage, counts: dict[str, Any], delay: float
    ) -> None:
        """Publishes a copy to the delay queue of `delay` (the queue itself for 0), then acks the original."""
        assert self._channel is not None
        headers = {
            name: value
            for name, value in (message.headers or {}).items()
            if not name.startswith(_BROKER_HEADERS)
        }
        retry = aio_pika.Message(
            body=message.body,
            content_type=message.content_type,
            message_id=message.message_id,
            correlation_id=message.correlation_id,
            type=message.type,
            timestamp=message.timestamp,
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            headers={**headers, **counts},
            user_id=self._user,  # only the connection's own user is allowed
        )
        queue = delay_queue_name(self.queue, delay) if delay else self.queue
        confirmed = await self._channel.default_exchange.publish(
            retry, routing_key=queue, mandatory=True, timeout=PUBLISH_TIMEOUT_SECONDS
        )
        if isinstance(confirmed, aiormq.abc.DeliveredMessage):  # returned: the queue is gone
            logger.error("Dead-lettering %s: its retry queue %s is missing", message.message_id, queue)
            await message.reject(requeue=False)
            return
        await message.ack()


class Broker(Running):
    """A robust connection that keeps trying until RabbitMQ answers, then publishes with confirms.

    Starting never fails because the broker is down: `publish` raises `BrokerUnavailableError`
    until the connection is up, and callers (the outbox relays) retry. A message no queue is bound
    for is returned by the broker (it is published `mandatory`) and kept in the durable queue
    `<exchange>.unroutable`, so a type nobody consumes yet is neither lost nor blocks the outbox.

    The queues and bindings of `consumers` and of `declared` are made as soon as the connection is up,
    before anything is published; `consumers` consume at once, `declared` only once each is passed to
    `add_consumer` (a service whose tables do not exist yet keeps its messages waiting in its queue).
    """

    def __init__(
        self,
        *,
        url: str,
        exchange_name: str,
        retry_seconds: float = 2.0,
        consumers: Sequence[Consumer] = (),
        declared: Sequence[Consumer] = (),
        retry: RetryPolicy | None = None,
    ) -> None:
        self.url = url
        self.user = broker_user(url)
        self.exchange_name = exchange_name
        self.retry_seconds = retry_seconds
        self.consumers = list(consumers)
        self.declared = list(declared)
        self.retry = retry or RetryPolicy()
        self.connected = asyncio.Event()
        # Grows each time the connection is lost or restored: what a consumer heard in one epoch says
        # nothing of the messages a cut made it miss.
        self.epoch = 0
        # Called each time the connection is restored after a loss, every consumer attached again:
        # what an exclusive queue would have received meanwhile is gone (a replica's live fan-out).
        self.reconnected: list[Callable[[], None]] = []
        self._connection: AbstractRobustConnection | None = None
        self._exchange: AbstractExchange | None = None
        self._task: asyncio.Task[None] | None = None

    @classmethod
    def from_settings(
        cls, settings: ServiceSettings, consumers: Sequence[Consumer] = (), declared: Sequence[Consumer] = ()
    ) -> "Broker":
        return cls(
            url=settings.rabbitmq_url,
            exchange_name=settings.event_exchange,
            retry_seconds=settings.broker_retry_seconds,
            consumers=consumers,
            declared=declared,
            retry=RetryPolicy.from_settings(settings),
        )

    @property
    def unroutable_queue(self) -> str:
        return f"{self.exchange_name}.unroutable"

    async def start(self) -> None:
        self._task = asyncio.create_task(self._connect_until_up(), name="broker-connect")

    async def add_consumer(self, consumer: Consumer) -> None:
        """Starts consuming now if connected, else as soon as the connection is up."""
        self.consumers.append(consumer)
        if self._connection is not None:
            await consumer.attach(self._connection, self.exchange_name, self.retry)

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
            user_id=self.user,  # RabbitMQ checks it is ours: consumers know who published
        )
        try:
            confirmed = await self._exchange.publish(
                message, routing_key=envelope.type, mandatory=True, timeout=PUBLISH_TIMEOUT_SECONDS
            )
            if isinstance(confirmed, aiormq.abc.DeliveredMessage):  # returned: no queue is bound for it
                await self._keep_unroutable(message, envelope)
        except (
            aio_pika.exceptions.AMQPError,
            aio_pika.exceptions.ChannelInvalidStateError,  # the channel is being restored after a cut
            ConnectionError,
            TimeoutError,
        ) as exc:
            raise BrokerUnavailableError(f"Publishing {envelope.type} failed: {exc!r}") from exc

    async def _keep_unroutable(self, message: aio_pika.Message, envelope: Envelope) -> None:
        assert self._exchange is not None
        logger.warning(
            "No queue takes %s %s; keeping it in %s", envelope.type, envelope.id, self.unroutable_queue
        )
        message.headers = {**(message.headers or {}), "x-routing-key": envelope.type}
        kept = await self._exchange.channel.default_exchange.publish(
            message, routing_key=self.unroutable_queue, mandatory=True, timeout=PUBLISH_TIMEOUT_SECONDS
        )
        if isinstance(kept, aiormq.abc.DeliveredMessage):
            raise BrokerUnavailableError(f"{self.unroutable_queue} is missing; {envelope.type} not kept")

    async def dead_letter_depths(self) -> dict[str, int]:
        """The number of messages in each dead-letter queue of this broker's consumers that it could count.

        Never raises and never waits long: it is read at each scrape of `/metrics`.
        """
        if self._connection is None or not self.is_connected:
            return {}
        depths = {}
        for consumer in self.consumers:
            try:
                depth = await asyncio.wait_for(
                    consumer.dead_letter_depth(self._connection), DEAD_LETTER_COUNT_TIMEOUT_SECONDS
                )
            except (
                aio_pika.exceptions.AMQPError,
                aio_pika.exceptions.ChannelInvalidStateError,
                ConnectionError,
                TimeoutError,
            ) as exc:
                logger.warning("Could not count %s: %r", consumer.dead_letter_queue, exc)
                continue
            if depth is not None:
                depths[consumer.dead_letter_queue] = depth
        return depths

    def _next_epoch(self, *_: object) -> None:
        self.epoch += 1

    def _on_reconnected(self, *_: object) -> None:
        for callback in self.reconnected:
            callback()

    async def _connect_until_up(self) -> None:
        while True:
            try:
                connection = await aio_pika.connect_robust(self.url, timeout=5)
            except (aio_pika.exceptions.AMQPError, OSError, TimeoutError) as exc:
                logger.warning("RabbitMQ unreachable (%r); retrying in %ss", exc, self.retry_seconds)
                await asyncio.sleep(self.retry_seconds)
                continue
            try:
                await self._declare(connection)
                break
            except aio_pika.exceptions.ChannelPreconditionFailed as exc:
                await connection.close()
                logger.error(
                    "RabbitMQ holds a queue with other arguments than this release declares (%s): a classic "
                    "queue of an older release must be moved to a quorum queue first, see "
                    "docs/quorum-queues.md; retrying in %ss",
                    exc,
                    self.retry_seconds,
                )
                await asyncio.sleep(self.retry_seconds)
        connection.close_callbacks.add(self._next_epoch)
        connection.reconnect_callbacks.add(self._next_epoch)
        connection.reconnect_callbacks.add(self._on_reconnected)
        self._connection = connection
        self._next_epoch()
        self.connected.set()
        logger.info("Connected to RabbitMQ, exchange %r", self.exchange_name)

    async def _declare(self, connection: AbstractRobustConnection) -> None:
        """Declares the exchange and every queue and binding, then starts the consumers."""
        channel = await connection.channel(publisher_confirms=True)
        self._exchange = await channel.declare_exchange(
            self.exchange_name, aio_pika.ExchangeType.TOPIC, durable=True
        )
        await channel.declare_queue(self.unroutable_queue, durable=True, arguments=UNROUTABLE_ARGUMENTS)
        for consumer in self.declared:
            await consumer.declare(channel, self._exchange, self.retry)
        for consumer in self.consumers:
            await consumer.attach(connection, self.exchange_name, self.retry)
