"""History and read state of the stored notifications, attendees and contacts."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING

from notification_service.ids import is_notification_id, new_id
from notification_service.inserts import insert_new
from notification_service.models import EVERYONE, Attendance, Contact, Notification, ReadMark, ReadReceipt
from notification_service.schemas import NotificationPage, NotificationQuery, NotificationRead
from shared.messages import BookingCancelled, BookingConfirmed, BookingFacts, UserRegistered

REPLAY_BATCH = 100


def _visible_to(user_id: str) -> dict[str, Any]:
    return {"recipient": {"$in": [user_id, EVERYONE]}}


@dataclass(frozen=True)
class _ReadState:
    """What a user has read of the notifications addressed to everyone."""

    read_through: str  # everything up to this id ("" before the first read-all)
    receipts: frozenset[str]  # and these, read one by one since

    def is_read(self, notification: Notification) -> bool:
        if notification.recipient != EVERYONE:
            return notification.read_at is not None
        return notification.id <= self.read_through or notification.id in self.receipts

    def unread_to_everyone(self) -> dict[str, Any]:
        return {"recipient": EVERYONE, "_id": {"$gt": self.read_through, "$nin": sorted(self.receipts)}}

    def unread(self, user_id: str) -> dict[str, Any]:
        return {"$or": [{"recipient": user_id, "read_at": None}, self.unread_to_everyone()]}


async def _read_state(user_id: str) -> _ReadState:
    mark = await ReadMark.get(user_id)
    read_through = mark.read_through if mark else ""
    receipts = await ReadReceipt.get_pymongo_collection().distinct(
        "notification_id", {"user_id": user_id, "notification_id": {"$gt": read_through}}
    )
    return _ReadState(read_through=read_through, receipts=frozenset(receipts))


def _read_model(notification: Notification, *, read: bool) -> NotificationRead:
    return NotificationRead.model_validate({**notification.model_dump(), "read": read})


async def get_page(*, user_id: str, query: NotificationQuery) -> NotificationPage:
    """Returns the user's notifications (own and everyone's), newest first, with the unread count."""
    state = await _read_state(user_id)
    unread = state.unread(user_id)
    selected = unread if query.unread else _visible_to(user_id)
    found = (
        await Notification.find(selected)
        .sort([("_id", DESCENDING)])
        .skip(query.offset)
        .limit(query.limit)
        .to_list()
    )
    total = await Notification.find(selected).count()
    return NotificationPage(
        items=[_read_model(notification, read=state.is_read(notification)) for notification in found],
        total=total,
        unread=total if query.unread else await Notification.find(unread).count(),
        limit=query.limit,
        offset=query.offset,
    )


async def mark_read(*, user_id: str, notification_id: str) -> NotificationRead | None:
    """Returns the notification, now read, or None if the user has no notification with this id."""
    if not is_notification_id(notification_id):
        return None
    notification = await Notification.find_one({"_id": notification_id, **_visible_to(user_id)})
    if notification is None:
        return None
    if notification.recipient == EVERYONE:
        await ReadReceipt.get_pymongo_collection().update_one(
            {"_id": f"{user_id}:{notification_id}"},
            {"$setOnInsert": {"user_id": user_id, "notification_id": notification_id}},
            upsert=True,
        )
    elif notification.read_at is None:
        await Notification.get_pymongo_collection().update_one(
            {"_id": notification_id, "read_at": None}, {"$set": {"read_at": datetime.now(UTC)}}
        )
    return _read_model(notification, read=True)


async def mark_all_read(*, user_id: str) -> int:
    """Marks everything stored for the user so far as read; returns how many were unread."""
    read_through = new_id()  # sorts above every notification stored until now
    state = await _read_state(user_id)
    unread_to_everyone = await Notification.find(state.unread_to_everyone()).count()
    own = await Notification.get_pymongo_collection().update_many(
        {"recipient": user_id, "read_at": None}, {"$set": {"read_at": datetime.now(UTC)}}
    )
    await ReadMark.get_pymongo_collection().update_one(
        {"_id": user_id}, {"$set": {"read_through": read_through}}, upsert=True
    )
    # Receipts below the mark say nothing more; dropping them keeps the unread query small.
    await ReadReceipt.get_pymongo_collection().delete_many(
        {"user_id": user_id, "notification_id": {"$lte": read_through}}
    )
    return own.modified_count + unread_to_everyone


async def history_since(*, user_id: str, since: str) -> AsyncIterator[Notification]:
    """Yields the user's notifications stored after the one with id `since`, oldest first."""
    after = since
    while True:
        page = (
            await Notification.find({**_visible_to(user_id), "_id": {"$gt": after}})
            .sort([("_id", ASCENDING)])
            .limit(REPLAY_BATCH)
            .to_list()
        )
        for notification in page:
            yield notification
        if len(page) < REPLAY_BATCH:
            return
        after = page[-1].id


async def record_booking(*, message: BookingFacts) -> None:
    """Keeps the attendee list: a confirmed booking adds its holder, a cancelled one removes them.

    One document per booking, written with order-independent updates, so redelivered or reordered
    messages end in the same state.
    """
    attendance = Attendance.get_pymongo_collection()
    identity = {"event_id": message.event_id, "user_id": message.user_id}
    match message:
        case BookingCancelled(reason="cancelled_by_user"):
            await attendance.update_one(
                {"_id": message.booking_id},
                {"$set": {"attending": False}, "$setOnInsert": identity},
                upsert=True,
            )
        case BookingConfirmed() | BookingCancelled():
            # Added unless the booking is known already (maybe cancelled by its holder, which stands).
            # One cancelled along with its event is kept too, so that the event's cancellation,
            # consumed from another queue and possibly later, still reaches them.
            await insert_new(attendance, [{"_id": message.booking_id, **identity, "attending": True}])


async def attendees(*, event_id: str) -> list[str]:
    """Returns the ids of the users holding a booking for the event."""
    return await Attendance.get_pymongo_collection().distinct(
        "user_id", {"event_id": event_id, "attending": True}
    )


async def save_contact(*, message: UserRegistered) -> None:
    """Keeps the address that outside channels reach the user at."""
    await Contact.get_pymongo_collection().update_one(
        {"_id": message.user_id},
        {"$set": {"email": message.email, "full_name": message.full_name}},
        upsert=True,
    )
