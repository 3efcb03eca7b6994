"""A consumed fact becomes one delivery for each endpoint that may and wants to receive it.

An organizer's endpoint matches the facts of their own events only (the owner named in the fact
itself), an admin's every organizer's; then the endpoint's event, if it names one, and its types.
Each delivery joins its endpoint's lane for the fact's event, where deliveries go out in the order
this replica queued them (see `webhook_worker`).
"""

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from notification_service.inserts import insert_new
from notification_service.settings import NotificationSettings
from notification_service.webhook_models import EventOwner, Webhook, WebhookDelivery
from shared.messaging import Envelope

_last_sequence = 0


def _next_sequence() -> int:
    """A number above every one this process handed out before: nanoseconds, nudged past the last."""
    global _last_sequence
    _last_sequence = max(time.time_ns(), _last_sequence + 1)
    return _last_sequence


def new_delivery(
    *,
    webhook_id: str,
    message_id: str,
    message_type: str,
    lane: str | None,
    body: str,
    now: datetime,
    settings: NotificationSettings,
) -> WebhookDelivery:
    """A delivery due now, after every delivery this process queued before."""
    return WebhookDelivery(
        id=f"{webhook_id}:{message_id}",
        webhook_id=webhook_id,
        message_id=message_id,
        type=message_type,
        lane=lane,
        sequence=_next_sequence(),
        body=body,
        next_attempt_at=now,
        series_started_at=now,
        created_at=now,
        expires_at=now + timedelta(days=settings.webhook_delivery_retention_days),
    )


class WebhookFanout:
    """Queues the deliveries of one fact at a time, in the order the facts came."""

    def __init__(self, *, settings: NotificationSettings, wake: Callable[[], None]) -> None:
        self.settings = settings
        self.wake = wake  # the worker's, once deliveries are queued
        # Sequences are taken and deliveries inserted under it, so a later fact's never go in first.
        self._in_order = asyncio.Lock()

    async def remember_owner(self, *, event_id: str, owner_id: str) -> None:
        """Keeps who organizes the event, to refuse another organizer's subscription to it."""
        await EventOwner.find_one(EventOwner.id == event_id).upsert(
            {"$set": {"owner_id": owner_id}}, on_insert=EventOwner(id=event_id, owner_id=owner_id)
        )

    async def queue_fact(self, *, envelope: Envelope, event_id: str, owner_id: str) -> int:
        """Queues a delivery of the fact, its envelope as published, for each matching enabled endpoint;
        returns how many were new.

        Called before its handler's first wait, so the facts a replica takes at once line up for the
        lock in the order they came; it is held from the first query on, or a fact whose query
        answered sooner would take its sequence before an earlier one's.
        """
        async with self._in_order:
            return await self._queue(envelope=envelope, event_id=event_id, owner_id=owner_id)

    async def _queue(self, *, envelope: Envelope, event_id: str, owner_id: str) -> int:
        message_id, message_type = envelope.id, envelope.type
        family = message_type.split(".", 1)[0]
        webhooks = await Webhook.find(
            {
                "enabled": True,
                "$or": [{"owner_id": owner_id}, {"all_owners": True}],
                "event_id": {"$in": [None, event_id]},
                "event_types": {"$in": [message_type, f"{family}.*"]},
            }
        ).to_list()
        if not webhooks:
            return 0
        now = datetime.now(UTC)
        body = envelope.model_dump_json()
        deliveries = []
        for webhook in webhooks:
            delivery = new_delivery(
                webhook_id=webhook.id,
                message_id=message_id,
                message_type=message_type,
                lane=event_id,
                body=body,
                now=now,
                settings=self.settings,
            )
            delivery.next_attempt_at = await _behind_lane(delivery, now)
            deliveries.append(delivery)
        skipped = await insert_new(WebhookDelivery, deliveries)
        self.wake()
        return len(deliveries) - len(skipped)


async def _behind_lane(delivery: WebhookDelivery, now: datetime) -> datetime:
    """Not due before the last pending delivery of its lane: while that one waits for its retry, this
    one would only be passed over again and again."""
    last = (
        await WebhookDelivery.find(
            {"webhook_id": delivery.webhook_id, "lane": delivery.lane, "state": "pending"}
        )
        .sort([("next_attempt_at", -1)])
        .first_or_none()
    )
    return max(now, last.next_attempt_at) if last is not None else now
