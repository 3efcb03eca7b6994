"""The queues this service consumes, and the handler that turns each message into notifications.

A message's notifications are stored once however often it arrives (see `batches`), and announced
live until its batch is marked announced, so a redelivery stores nothing twice and still announces
what a crash left unannounced (sockets drop a frame they already sent).
"""

import logging
from collections.abc import Awaitable, Callable
from uuid import uuid4

from notification_service import batches, rules, service
from notification_service.deliveries import DeliveryDispatcher
from notification_service.live import LiveHub
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
        message = _parse(envelope)
        match message:
            case BookingFacts():
                await service.record_booking(message=message)
                drafts = rules.for_booking(message)
            case EventSnapshot():
                attendees = (
                    await service.attendees(event_id=message.event_id)
                    if rules.needs_attendees(message)
                    else []
                )
                drafts = rules.for_event(message, attendees=attendees)
            case PaymentRefunded():
                drafts = rules.for_refund(message)
            case UserRegistered():
                await service.save_contact(message=message)
                return
            case _:  # a payment that succeeded or failed is told through the booking it settles
                return
        if drafts:
            await self._store_and_announce(envelope.id, drafts)

    async def _store_and_announce(self, message_id: str, drafts: list[rules.Draft]) -> None:
        batch = await batches.store(message_id=message_id, drafts=drafts)
        if batch is None:
            return
        if batch.drafts:
            await self.publish(build_envelope(SOURCE, NotificationsStored(notifications=batch.live())))
        # Outside channels are slower than a socket anyway: queued after the live frames went out.
        await batches.finish(batch, channels=self.channels)
        if self.channels:
            self.dispatcher.wake()

    async def on_notifications_stored(self, envelope: Envelope) -> None:
        """Hands notifications stored by any replica to the sockets this replica holds."""
        for notification in NotificationsStored.model_validate(envelope.data).notifications:
            self.hub.deliver(notification)


def _parse(envelope: Envelope) -> MessageData | None:
    """Returns the typed payload, or None for a type this service does not know (a newer producer's)."""
    model = CATALOGUE.get(envelope.type)
    if model is None:
        logger.info("Ignoring a message of unknown type %s", envelope.type)
        return None
    return model.model_validate(envelope.data)
