"""The queues this service consumes, and a thin handler for each message it takes.

One durable queue per message family, shared by every replica, so one slow kind cannot hold up
another; each is bound to the types its handler takes. Every replica also has its own exclusive
live queue, for the notifications any replica stored (see `notifier` for how they are stored and
announced in order).
"""

from uuid import uuid4

from notification_service import service
from notification_service.live import LiveHub
from notification_service.messages import NotificationsStored
from notification_service.notifier import Notifier
from notification_service.settings import NotificationSettings
from shared.messages import BookingFacts, EventSnapshot, PaymentRefunded, UserRegistered
from shared.messaging import BrokerUnavailableError, Consumer, MessageHandler, current_message_id
from shared.mongo import MONGO_DOWN_ERRORS

# A store or the broker that is down: the message waits instead of counting towards the dead-letter queue.
TRANSIENT_ERRORS = (OSError, BrokerUnavailableError, *MONGO_DOWN_ERRORS)


class NotificationConsumers:
    def __init__(self, *, settings: NotificationSettings, notifier: Notifier, hub: LiveHub) -> None:
        self.settings = settings
        self.notifier = notifier
        self.hub = hub

    def consumers(self) -> list[Consumer]:
        """Returns the shared store queues, and this replica's own live queue."""
        prefix = self.settings.queue_prefix
        store_queues: dict[str, list[MessageHandler]] = {
            "events": [self.on_event_changed],
            # Bound to every booking type in the catalogue (each one's payload is a `BookingFacts`):
            # a hold and its expiry as well as a sale, a failure and a cancellation.
            "bookings": [self.on_booking_changed],
            # A payment that succeeded or failed is told through the booking it settles.
            "payments": [self.on_payment_refunded],
            "users": [self.on_user_registered],  # email addresses, for the email channel
        }
        store = [
            Consumer(
                queue=f"{prefix}.{family}",
                handlers=handlers,
                prefetch=self.settings.consumer_prefetch,
                max_attempts=self.settings.consumer_max_attempts,
                transient_errors=TRANSIENT_ERRORS,
            )
            for family, handlers in store_queues.items()
        ]
        live = Consumer(
            # The pod's name tells whose it is; the suffix keeps two processes of one pod apart.
            queue=f"{prefix}.live.{self.settings.pod_name}.{uuid4().hex[:8]}",
            handlers=[self.on_notifications_stored],
            exclusive=True,
            max_attempts=1,  # handing a frame to the sockets does not fail for a reason a retry fixes
        )
        return [*store, live]

    async def on_booking_changed(self, message: BookingFacts) -> None:
        """Keeps the attendee list, then tells the booker (and the organizer, of a sale; never of a hold)."""
        await self.notifier.booking_changed(message_id=_handled_message_id(), message=message)

    async def on_event_changed(self, message: EventSnapshot) -> None:
        """Tells everyone of a new event, or its attendees of a change."""
        await self.notifier.event_changed(message_id=_handled_message_id(), message=message)

    async def on_payment_refunded(self, message: PaymentRefunded) -> None:
        """Tells the payer of their refund."""
        await self.notifier.payment_refunded(message_id=_handled_message_id(), message=message)

    async def on_user_registered(self, message: UserRegistered) -> None:
        """Keeps the user's address for the outside channels."""
        await service.save_contact(message=message)

    async def on_notifications_stored(self, message: NotificationsStored) -> None:
        """Hands notifications stored by any replica to the sockets this replica holds."""
        self.hub.deliver(message.notifications)


def _handled_message_id() -> str:
    """Returns the id of the message being handled: its notifications are stored once under it."""
    message_id = current_message_id()
    if message_id is None:
        raise RuntimeError("A message handler was called outside a consumer")
    return message_id
