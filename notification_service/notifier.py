"""Telling people what a consumed message calls for: its notifications stored, then announced live.

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
from collections.abc import Awaitable, Callable
from contextlib import aclosing

from notification_service import batches, rules, service
from notification_service.deliveries import DeliveryDispatcher
from notification_service.inserts import insert_new
from notification_service.messages import NotificationsStored
from notification_service.models import Delivery
from notification_service.settings import NotificationSettings
from shared.messages import BookingFacts, EventSnapshot, PaymentRefunded
from shared.messaging import Envelope, build_envelope

SOURCE = "notification_service"


class Notifier:
    """Stores and announces the notifications of one message at a time, in the order they came."""

    def __init__(
        self,
        *,
        settings: NotificationSettings,
        publish: Callable[[Envelope], Awaitable[None]],
        dispatcher: DeliveryDispatcher,
    ) -> None:
        self.settings = settings
        self.publish = publish
        self.dispatcher = dispatcher
        self.channels = frozenset(dispatcher.channels)
        # Taken by each handling before its first await, so in the order the messages arrived.
        # asyncio.Lock wakes its waiters first come, first served.
        self._in_order = asyncio.Lock()

    async def booking_changed(self, *, message_id: str, message: BookingFacts) -> None:
        """Keeps the event's attendee list, then tells the booker (and the organizer, of a sale)."""
        async with self._in_order:
            await service.record_booking(message=message)
            announced = await self._store_and_announce(message_id, rules.for_booking(message))
        await self._finish(message_id, announced)

    async def event_changed(self, *, message_id: str, message: EventSnapshot) -> None:
        """Tells everyone of a new event, or the event's attendees of a change."""
        await self._tell(message_id, rules.for_event(message))

    async def payment_refunded(self, *, message_id: str, message: PaymentRefunded) -> None:
        """Tells the payer that money is going back to them."""
        await self._tell(message_id, rules.for_refund(message))

    async def tell(self, message_id: str, drafts: list[rules.Draft]) -> None:
        """Stores and announces drafts of this service's own making (a webhook it disabled)."""
        await self._tell(message_id, drafts)

    async def _tell(self, message_id: str, drafts: list[rules.Draft]) -> None:
        async with self._in_order:
            announced = await self._store_and_announce(message_id, drafts)
        await self._finish(message_id, announced)

    async def _store_and_announce(self, message_id: str, drafts: list[rules.Draft]) -> bool:
        """Returns whether anything was stored and announced now (not by an earlier handling)."""
        if not drafts:
            return False
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
                live = [part.live() for part in stored]
                await self.publish(
                    build_envelope(SOURCE, NotificationsStored.model_construct(notifications=live))
                )
                # Outside channels are slower than a socket: queued after the live frames went out.
                deliveries = [delivery for part in stored for delivery in part.deliveries(self.channels)]
                if deliveries:
                    await insert_new(Delivery, deliveries)
                announced = True
        return announced

    async def _finish(self, message_id: str, announced: bool) -> None:
        """Marks the message done, outside the lock: the message's own business, in any order."""
        if announced:
            await batches.finish(message_id)
            if self.channels:
                self.dispatcher.wake()
