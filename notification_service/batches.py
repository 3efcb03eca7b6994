"""The notifications one consumed message makes, stored exactly once however often the message comes.

The first handling claims the message's `NotificationBatch`, which fixes the id of every notification;
a redelivery, even one racing the first handling on another replica, finds the claim and writes the
very same documents again. Every write is an insert keyed by `_id` whose duplicates are ignored
(`insert_new`): no secondary unique index, no upsert, each document checked by one `_id` lookup.
"""

from collections.abc import Sequence, Set
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pymongo.errors import DuplicateKeyError

from notification_service.ids import consecutive_ids, reserve_ids
from notification_service.inserts import insert_new
from notification_service.models import AnnouncedBatch, Delivery, Notification, NotificationBatch
from notification_service.rules import Draft
from shared.messages import StoredNotification


def _slot(draft: Draft) -> str:
    return f"{draft.type}/{draft.recipient}"


@dataclass(frozen=True)
class Batch:
    """A message's notifications: each draft with the id its batch gave it, in id order."""

    message_id: str
    created_at: datetime
    drafts: list[Draft]
    ids: list[str]

    def key(self, draft: Draft) -> str:
        return f"{self.message_id}/{_slot(draft)}"

    def documents(self) -> list[dict[str, Any]]:
        """Returns the `Notification` documents, built directly: validating thousands costs more than
        storing them."""
        return [
            {
                "_id": notification_id,
                "key": self.key(draft),
                "message_id": self.message_id,
                "recipient": draft.recipient,
                "type": draft.type,
                "title": draft.title,
                "body": draft.body,
                "data": draft.data,
                "created_at": self.created_at,
                "read_at": None,
            }
            for draft, notification_id in zip(self.drafts, self.ids, strict=True)
        ]

    def live(self) -> list[StoredNotification]:
        """Returns the notifications as the live message carries them to every replica."""
        return [
            StoredNotification(
                notification_id=notification_id,
                recipient=draft.recipient,
                type=draft.type,
                title=draft.title,
                body=draft.body,
                data=draft.data,
                created_at=self.created_at,
            )
            for draft, notification_id in zip(self.drafts, self.ids, strict=True)
        ]


async def store(*, message_id: str, drafts: Sequence[Draft]) -> Batch | None:
    """Stores the message's notifications; returns them, or None if an earlier delivery finished it.

    On a redelivery the first claim decides who is told: a recipient drafted only now (say, an
    attendee who booked in between) is left out, one drafted only then is not written again.
    """
    by_slot = {_slot(draft): draft for draft in drafts}
    claim = await _claim(message_id, list(by_slot))
    if claim is None:
        return None
    given = zip(claim.keys, consecutive_ids(claim.first_id, len(claim.keys)), strict=True)
    kept = [(by_slot[slot], notification_id) for slot, notification_id in given if slot in by_slot]
    batch = Batch(
        message_id=message_id,
        created_at=claim.created_at,
        drafts=[draft for draft, _ in kept],
        ids=[notification_id for _, notification_id in kept],
    )
    if batch.drafts:
        await insert_new(Notification.get_pymongo_collection(), batch.documents())
    return batch


async def _claim(message_id: str, keys: list[str]) -> NotificationBatch | None:
    """Returns the message's batch, claimed now or by an earlier delivery; None if that one finished it."""
    claim = NotificationBatch(
        id=message_id, first_id=reserve_ids(len(keys)), keys=keys, created_at=datetime.now(UTC)
    )
    try:
        return await claim.insert()
    except DuplicateKeyError:
        if await AnnouncedBatch.get(message_id) is not None:
            return None
        earlier = await NotificationBatch.get(message_id)
        if earlier is None:
            raise RuntimeError(f"The batch of message {message_id} is taken but cannot be read") from None
        return earlier


async def finish(batch: Batch, *, channels: Set[str]) -> None:
    """Queues the batch's deliveries through the enabled outside channels, then marks it announced."""
    deliveries = [
        Delivery(
            id=f"{batch.key(draft)}:{channel}",
            channel=channel,
            user_id=draft.recipient,
            title=draft.title,
            body=draft.body,
            next_attempt_at=batch.created_at,
        ).model_dump(by_alias=True, exclude={"revision_id"})
        for draft in batch.drafts
        for channel in sorted(channels.intersection(draft.channels))
    ]
    if deliveries:
        await insert_new(Delivery.get_pymongo_collection(), deliveries)
    await insert_new(AnnouncedBatch.get_pymongo_collection(), [{"_id": batch.message_id}])
