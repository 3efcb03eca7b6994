"""History and read state of the stored notifications, attendees and contacts."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from beanie.operators import AddToSet, Set, SetOnInsert
from pydantic import BaseModel, Field

from notification_service.cursors import batches_of
from notification_service.ids import is_notification_id, new_id, window_start
from notification_service.inserts import insert_new
from notification_service.models import EVERYONE, Attendance, Contact, Notification, ReadMark, ReadReceipt
from notification_service.schemas import NotificationPage, NotificationPublic, NotificationQuery
from shared.messages import BookingCancelled, BookingConfirmed, BookingFacts, UserRegistered

REPLAY_BATCH = 100


class NotificationNotFoundError(LookupError):
    """The user has no notification with this id."""

    def __init__(self) -> None:
        super().__init__("Notification not found")


class ReplayTooLongError(Exception):
    """More notifications were stored after `since` than one replay sends: the client reloads its history."""

    def __init__(self, *, since: str, limit: int) -> None:
        super().__init__(f"More than {limit} missed: none replayed; reload them with GET /notifications")
        self.since = since
        self.limit = limit


class _ReceiptedId(BaseModel):
    """The notification a receipt marks read: read from the index alone (a covered query)."""

    notification_id: str

    class Settings:
        projection = {"_id": 0, "notification_id": 1}


class _Id(BaseModel):
    """A notification as a replay first reads it: its id alone."""

    id: str = Field(alias="_id")

    class Settings:
        projection = {"_id": 1}


class _AttendeeId(BaseModel):
    """An attendee as the attendee list reads them: from the index alone (a covered query)."""

    user_id: str

    class Settings:
        projection = {"_id": 0, "user_id": 1}


# Filters are one document each, never several conditions that Beanie joins with `$and`: the
# embedded MongoDB plans an `$and` as a collection scan, whatever the indexes.


def _visible_to(user_id: str) -> dict[str, Any]:
    return {"recipient": {"$in": [user_id, EVERYONE]}}


def _unread_own(user_id: str) -> dict[str, Any]:
    """The user's own notifications, theirs alone or a part shared with other attendees, still unread
    (`read_at` marks the ones stored before `read_by` existed)."""
    return {"recipient": user_id, "read_by": {"$ne": user_id}, "read_at": None}


@dataclass(frozen=True)
class _ReadState:
    """What a user has read: their own notifications say so themselves (`read_by`); those addressed to
    everyone are read up to a mark, or one by one since."""

    user_id: str
    read_through: str  # everything up to this id ("" before the first read-all)
    receipts: frozenset[str]  # and these, read one by one since

    def is_read(self, notification: Notification) -> bool:
        if not notification.is_to_everyone:
            return self.user_id in notification.read_by or notification.read_at is not None
        return notification.id <= self.read_through or notification.id in self.receipts

    def unread_to_everyone(self) -> dict[str, Any]:
        return {"recipient": EVERYONE, "_id": {"$gt": self.read_through, "$nin": sorted(self.receipts)}}

    def unread(self) -> dict[str, Any]:
        return {"$or": [_unread_own(self.user_id), self.unread_to_everyone()]}


async def _read_state(user_id: str) -> _ReadState:
    mark = await ReadMark.get(user_id)
    read_through = mark.read_through if mark else ""
    # A cursor, not `distinct`: no 16 MB answer to fit in. These are only the notifications to
    # everyone that the user opened one by one since their last read-all.
    receipts = (
        await ReadReceipt.find({"user_id": user_id, "notification_id": {"$gt": read_through}})
        .project(_ReceiptedId)
        .to_list()
    )
    return _ReadState(
        user_id=user_id,
        read_through=read_through,
        receipts=frozenset(receipt.notification_id for receipt in receipts),
    )


def _public(notification: Notification, *, read: bool) -> NotificationPublic:
    return NotificationPublic.model_validate({**notification.model_dump(), "read": read})


async def get_page(*, user_id: str, query: NotificationQuery) -> NotificationPage:
    """Returns the user's notifications (own and everyone's), newest first, with the unread count."""
    state = await _read_state(user_id)
    unread = state.unread()
    selected = unread if query.unread else _visible_to(user_id)
    found = (
        await Notification.find(selected)
        .sort(-Notification.id)
        .skip(query.offset)
        .limit(query.limit)
        .to_list()
    )
    total = await Notification.find(selected).count()
    return NotificationPage(
        items=[_public(notification, read=state.is_read(notification)) for notification in found],
        total=total,
        unread=total if query.unread else await Notification.find(unread).count(),
        limit=query.limit,
        offset=query.offset,
    )


async def mark_read(*, user_id: str, notification_id: str) -> NotificationPublic:
    """Returns the notification, now read; raises `NotificationNotFoundError` if the user has none
    with this id."""
    if not is_notification_id(notification_id):
        raise NotificationNotFoundError
    notification = await Notification.find_one({"_id": notification_id, **_visible_to(user_id)})
    if notification is None:
        raise NotificationNotFoundError
    if notification.is_to_everyone:
        await ReadReceipt.find_one(ReadReceipt.id == f"{user_id}:{notification_id}").update(
            SetOnInsert({ReadReceipt.user_id: user_id, ReadReceipt.notification_id: notification_id}),
            upsert=True,
        )
    else:  # at most `part_size` readers per document
        await Notification.find_one(Notification.id == notification_id).update(
            AddToSet({Notification.read_by: user_id})
        )
    return _public(notification, read=True)


async def mark_all_read(*, user_id: str) -> int:
    """Marks everything stored for the user so far as read; returns how many were unread."""
    read_through = new_id()  # sorts above every notification stored until now
    state = await _read_state(user_id)
    unread_to_everyone = await Notification.find(state.unread_to_everyone()).count()
    own = await Notification.find(_unread_own(user_id)).update(AddToSet({Notification.read_by: user_id}))
    await ReadMark.find_one(ReadMark.id == user_id).update(
        Set({ReadMark.read_through: read_through}), upsert=True
    )
    # Receipts below the mark say nothing more; dropping them keeps the unread query small.
    await ReadReceipt.find({"user_id": user_id, "notification_id": {"$lte": read_through}}).delete()
    return own.modified_count + unread_to_everyone


async def history_since(
    *, user_id: str, since: str, limit: int, window_seconds: float
) -> AsyncIterator[Notification]:
    """Yields the user's notifications stored after the one with id `since`, oldest first, at most
    `limit` of them; raises `ReplayTooLongError`, before yielding any, when more than `limit` are stored.

    "After" is a window, not an id: everything with a newer id, and everything but `since` itself
    whose id was taken up to `window_seconds` before it. Ids follow each replica's clock and are taken
    before the write, so a notification another replica stored late can have an older id than one
    the client already had; a sharper order per recipient would need one counter that every store
    of every replica waits on, and one delivery order from all of them (a part's id is shared by
    thousands of recipients). The window costs a few frames sent again, which clients drop by id.

    The ids are read first, up to one past the limit: a client away for long costs a read of ids, not
    of everything it missed. Whatever is stored after that read comes live: a socket is registered
    before its history is read. The documents are then read by those ids, a batch at a time.
    """
    missed = {**_visible_to(user_id), "_id": {"$gte": window_start(since, window_seconds), "$ne": since}}
    found = await Notification.find(missed).sort(+Notification.id).limit(limit + 1).project(_Id).to_list()
    if len(found) > limit:
        raise ReplayTooLongError(since=since, limit=limit)
    ids = [each.id for each in found]
    for start in range(0, len(ids), REPLAY_BATCH):
        batch = ids[start : start + REPLAY_BATCH]
        for notification in await Notification.find({"_id": {"$in": batch}}).sort(+Notification.id).to_list():
            yield notification


async def record_booking(*, message: BookingFacts) -> None:
    """Keeps the attendee list: a confirmed booking adds its holder, a cancelled one removes them.

    One document per booking, written with order-independent updates, so redelivered or reordered
    messages end in the same state.
    """
    match message:
        case BookingCancelled(reason="cancelled_by_user" | "refunded"):
            await Attendance.find_one(Attendance.id == message.booking_id).update(
                Set({Attendance.attending: False}),
                SetOnInsert({Attendance.event_id: message.event_id, Attendance.user_id: message.user_id}),
                upsert=True,
            )
        case BookingConfirmed() | BookingCancelled():
            # Added unless the booking is known already (maybe cancelled by its holder, which stands).
            # One cancelled along with its event is kept too, so that the event's cancellation,
            # consumed from another queue and possibly later, still reaches them.
            attendance = Attendance(
                id=message.booking_id, event_id=message.event_id, user_id=message.user_id, attending=True
            )
            await insert_new(Attendance, [attendance])


async def attendees(*, event_id: str, batch_size: int, batch_timeout: float) -> AsyncIterator[list[str]]:
    """Yields the ids of the users holding a booking for the event, in order and each once, in
    batches of at most `batch_size`, each read within `batch_timeout` seconds.

    A cursor over the index, not `distinct`: an event may have a million attendees, more than fit in
    the one 16 MB document `distinct` answers with, or in one time limit.
    """
    query = (
        Attendance.find({"event_id": event_id, "attending": True}, batch_size=batch_size)
        .sort(+Attendance.user_id)
        .project(_AttendeeId)
    )
    # Beanie's query, read through its pymongo cursor: each batch within a time limit of its own
    # (Beanie reads a cursor whole or a document at a time), and plain ids, not a model each.
    cursor = await query.get_cursor()
    last = None
    async for batch in batches_of(cursor, size=batch_size, timeout=batch_timeout):
        users = []
        for attendance in batch:
            if attendance["user_id"] != last:  # one per booking: a user with two comes twice in a row
                last = attendance["user_id"]
                users.append(last)
        yield users


async def save_contact(*, message: UserRegistered) -> None:
    """Keeps the address that outside channels reach the user at."""
    await Contact.find_one(Contact.id == message.user_id).update(
        Set({Contact.email: message.email, Contact.full_name: message.full_name}), upsert=True
    )
