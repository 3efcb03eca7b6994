"""What the service stores: notifications and their read state, attendees, contacts, outside deliveries."""

from datetime import datetime
from typing import Any, Literal

from beanie import Document
from pymongo import ASCENDING, DESCENDING, IndexModel

# The recipient of a notification addressed to every user: stored once, read state kept per user.
EVERYONE = "*"


class Notification(Document):
    """One entry in a user's history (or everyone's), with a time-ordered id."""

    id: str  # given by its message's `NotificationBatch`, so that a redelivery finds it taken
    # "<message id>/<type>/<recipient>": what it was made for. Unique: a database created before
    # batches existed still has a unique index on it.
    key: str
    message_id: str
    recipient: str
    type: str
    title: str
    body: str
    data: dict[str, Any]
    created_at: datetime
    read_at: datetime | None = None  # for one user's own; see `ReadReceipt` and `ReadMark` for everyone's

    class Settings:
        name = "notifications"
        indexes = [
            IndexModel([("recipient", ASCENDING), ("_id", DESCENDING)]),
            IndexModel([("recipient", ASCENDING), ("read_at", ASCENDING)]),
        ]


class NotificationBatch(Document):
    """The notifications one consumed message makes, decided the first time it is handled.

    Notification `i` gets the id `first_id` + i, so a redelivered message writes the same documents
    again and each is kept once, checked by `_id` alone.
    """

    id: str  # the message id
    first_id: str
    keys: list[str]  # "<type>/<recipient>" of each notification, in id order
    created_at: datetime

    class Settings:
        name = "notification_batches"


class AnnouncedBatch(Document):
    """The batch's live frames went out and its deliveries are queued: a redelivery has nothing to do."""

    id: str  # the message id

    class Settings:
        name = "announced_batches"


class ReadReceipt(Document):
    """A user has read one notification addressed to everyone."""

    id: str  # "<user id>:<notification id>"
    user_id: str
    notification_id: str

    class Settings:
        name = "read_receipts"
        indexes = [IndexModel([("user_id", ASCENDING), ("notification_id", ASCENDING)])]


class ReadMark(Document):
    """Every notification to everyone up to `read_through` counts as read by this user (read-all)."""

    id: str  # the user id
    read_through: str

    class Settings:
        name = "read_marks"


class Attendance(Document):
    """A booking's holder as an attendee of its event, kept from booking messages."""

    id: str  # the booking id
    event_id: str
    user_id: str
    attending: bool

    class Settings:
        name = "attendances"
        indexes = [IndexModel([("event_id", ASCENDING), ("attending", ASCENDING)])]


class Contact(Document):
    """Where to reach a user outside the app, kept from `user.registered`."""

    id: str  # the user id
    email: str
    full_name: str

    class Settings:
        name = "contacts"


DeliveryState = Literal["pending", "sent", "failed"]


class Delivery(Document):
    """A notification to send through an outside channel (email), retried until sent or given up."""

    id: str  # "<notification key>:<channel>"
    channel: str
    user_id: str
    title: str
    body: str
    state: DeliveryState = "pending"
    attempts: int = 0
    next_attempt_at: datetime
    last_error: str | None = None

    class Settings:
        name = "deliveries"
        indexes = [IndexModel([("state", ASCENDING), ("next_attempt_at", ASCENDING)])]


DOCUMENT_MODELS: list[type[Document]] = [
    Notification,
    NotificationBatch,
    AnnouncedBatch,
    ReadReceipt,
    ReadMark,
    Attendance,
    Contact,
    Delivery,
]
