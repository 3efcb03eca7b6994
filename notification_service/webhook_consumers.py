"""The webhooks' own queue: every fact an endpoint may subscribe to, apart from the notifications' queues
so that slow endpoints never hold up the WebSocket or email (see `webhook_fanout` for who gets what)."""

from notification_service.settings import NotificationSettings
from notification_service.webhook_fanout import WebhookFanout
from shared.messages import (
    BookingFacts,
    CheckinScanned,
    EventSnapshot,
    MessageData,
    TicketFacts,
    message_type_of,
)
from shared.messaging import Consumer, current_envelope


class WebhookConsumers:
    def __init__(self, *, settings: NotificationSettings, fanout: WebhookFanout) -> None:
        self.settings = settings
        self.fanout = fanout

    def consumers(self, transient_errors: tuple[type[BaseException], ...]) -> list[Consumer]:
        """Returns the durable `<prefix>.webhooks` queue, shared by every replica."""
        return [
            Consumer(
                queue=f"{self.settings.queue_prefix}.webhooks",
                handlers=[
                    self.on_booking_fact,
                    self.on_event_fact,
                    self.on_ticket_fact,
                    self.on_checkin_scanned,
                ],
                prefetch=self.settings.consumer_prefetch,
                max_attempts=self.settings.consumer_max_attempts,
                transient_errors=transient_errors,
            )
        ]

    async def on_booking_fact(self, message: BookingFacts) -> None:
        """Queues the booking's fact for its organizer's endpoints."""
        await self._queue(message, event_id=message.event_id, owner_id=message.event_owner_id)

    async def on_event_fact(self, message: EventSnapshot) -> None:
        """Remembers who organizes the event, and queues the fact for their endpoints."""
        await self._queue(message, event_id=message.event_id, owner_id=message.owner_id)  # first: in order
        await self.fanout.remember_owner(event_id=message.event_id, owner_id=message.owner_id)

    async def on_ticket_fact(self, message: TicketFacts) -> None:
        """Queues a ticket issued or revoked for its organizer's endpoints."""
        await self._queue(message, event_id=message.event_id, owner_id=message.event_owner_id)

    async def on_checkin_scanned(self, message: CheckinScanned) -> None:
        """Queues a scan at the door for its organizer's endpoints."""
        await self._queue(message, event_id=message.event_id, owner_id=message.event_owner_id)

    async def _queue(self, message: MessageData, *, event_id: str, owner_id: str) -> None:
        envelope = current_envelope()
        if envelope is None or envelope.type != message_type_of(message):
            raise RuntimeError("A message handler was called outside a consumer")
        await self.fanout.queue_fact(envelope=envelope, event_id=event_id, owner_id=owner_id)
