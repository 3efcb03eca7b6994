"""The queues this service consumes, and the handler that turns each message into notifications.

A message's notifications are stored once however often it arrives (see `batches`), and announced
live until its batch is marked announced, so a redelivery stores nothing twice and still announces
what a crash left unannounced (sockets drop a frame they already sent).

A replica handles its messages one at a time, in the order they came, and each one's parts in
order: ids are made as parts are stored, so every notification it stores is stored and announced
after all those with smaller ids. A socket therefore gets the replica's frames in id order, and a
client that resumes with `?since=<last id>` misses none of them. (The broker hands a consumer
several messages at once and runs their handlers concurrently; without this, over a real database
they interleave.) Two replicas' ids follow their own clocks, so frames that two of them store within
the same few milliseconds can still reach a socket out of order.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import aclosing
from uuid import uuid4

from notification_service import batches, rules, service
from notification_service.deliveries import DeliveryDispatcher
from notification_service.inserts import insert_new
from notification_service.live import LiveHub
from notification_service.models import Delivery
from notification_service.settings import NotificationSettings
from shared.messages import (
    CATALOGUE,
    BookingFacts,
    EventSnapshot,
    MessageData,
    NotificationsStored,
    PaymentRefunded,
    UserRegistered,
)
from shared.messaging import BrokerUnavailableError, Consumer, Envelope, build_envelope
from shared.mongo import MONGO_DOWN_ERRORS

logger = logging.getLogger(__name__)

SOURCE = "notification_service"
# One durable queue per message family, shared by every replica, so one slow kind cannot hold up another.
STORE_QUEUES = {
    "events": ["event.*"],
    "bookings": ["booking.*"],
    "payments": ["payment.*"],
    "users": ["user.registered"],  # email addresses, for the email channel
}
LIVE_ROUTING_KEY = "notifications.stored"  # the type of `NotificationsStored` in the catalogue
# A store or the broker that is down: the message waits instead of counting towards the dead-letter queue.
TRANSIENT_ERRORS = (OSError, BrokerUnavailableError, *MONGO_DOWN_ERRORS)


class NotificationConsumers:
    def __init__(
        self,
        *,
        settings: NotificationSettings,
        publish: Callable[[Envelope], Awaitable[None]],
        hub: LiveHub,
        dispatcher: DeliveryDispatcher,
    ) -> None:
        self.settings = settings
        self.publish = publish
        self.hub = hub
        self.dispatcher = dispatcher
        self.channels = frozenset(dispatcher.channels)
        # Taken by each handler before its first await, so in the order the messages arrived.
        # asyncio.Lock wakes its waiters first come, first served.
        self._in_order = asyncio.Lock()

    def consumers(self) -> list[Consumer]:
        """Returns the shared store queues, and this replica's own live queue."""
        prefix = self.settings.queue_prefix
        store = [
            Consumer(
                queue=f"{prefix}.{family}",
                routing_keys=routing_keys,
                handler=self.on_message,
                prefetch=self.settings.consumer_prefetch,
                max_attempts=self.settings.consumer_max_attempts,
                transient_errors=TRANSIENT_ERRORS,
            )
            for family, routing_keys in STORE_QUEUES.items()
        ]
        live = Consumer(
            queue=f"{prefix}.live.{uuid4().hex[:12]}",
            routing_keys=[LIVE_ROUTING_KEY],
            handler=self.on_notifications_stored,
            exclusive=True,
            max_attempts=1,  # handing a frame to the sockets does not fail for a reason a retry fixes
        )
        return [*store, live]

    async def on_message(self, envelope: Envelope) -> None:
        """Stores the notifications a consumed message calls for, then announces them live."""
        async with self._in_order:
            drafts = await self._drafts(_parse(envelope))
            announced = bool(drafts) and await self._store_and_announce(envelope.id, drafts)
        if announced:  # the message's own business, in any order
            await batches.finish(envelope.id)
            if self.channels:
                self.dispatcher.wake()

    @staticmethod
    async def _drafts(message: MessageData | None) -> list[rules.Draft]:
        """Records what the message tells this service; returns the notifications it calls for."""
        match message:
            case BookingFacts():
                await service.record_booking(message=message)
                return rules.for_booking(message)
            case EventSnapshot():
                return rules.for_event(message)
            case PaymentRefunded():
                return rules.for_refund(message)
            case UserRegistered():
                await service.save_contact(message=message)
        return []  # a payment that succeeded or failed is told through the booking it settles

    async def _store_and_announce(self, message_id: str, drafts: list[rules.Draft]) -> bool:
        """Returns whether anything was stored and announced now (not by an earlier handling)."""
        parts = batches.store(
            message_id=message_id,
            drafts=drafts,
            part_size=self.settings.part_size,
            read_timeout=self.settings.mongo_timeout_seconds,
        )
        announced = False
        async with aclosing(parts):
            async for stored in parts:
                # Each part goes out as soon as it is stored: the first attendees hear of a change
                # while the next parts are written.
                live = [notification for part in stored for notification in part.live()]
                await self.publish(
                    build_envelope(SOURCE, NotificationsStored.model_construct(notifications=live))
                )
                # Outside channels are slower than a socket: queued after the live frames went out.
                deliveries = [delivery for part in stored for delivery in part.deliveries(self.channels)]
                if deliveries:
                    await insert_new(Delivery.get_pymongo_collection(), deliveries)
                announced = True
        return announced

    async def on_notifications_stored(self, envelope: Envelope) -> None:
        """Hands notifications stored by any replica to the sockets this replica holds."""
        self.hub.deliver(NotificationsStored.model_validate(envelope.data).notifications)


def _parse(envelope: Envelope) -> MessageData | None:
    """Returns the typed payload, or None for a type this service does not know (a newer producer's)."""
    model = CATALOGUE.get(envelope.type)
    if model is None:
        logger.info("Ignoring a message of unknown type %s", envelope.type)
        return None
    return model.model_validate(envelope.data)
