"""What the service stores: notifications and their read state, attendees, contacts, outside deliveries."""

from datetime import datetime
from typing import Any, Literal

from beanie import Document
from pymongo import ASCENDING, DESCENDING, IndexModel

# The recipient of a notification addressed to every user: stored once, read state kept per user.
EVERYONE = "*"


class Notification(Document):
    """One entry in the history of each of its recipients, with a time-ordered id.

    A draft told to many people (an event's attendees) is stored as parts of at most
    `NotificationSettings.part_size` recipients each, the same text once per part: the document
    stays small however many attend, and telling thousands costs a few inserts (see `batches`).
    """

    id: str  # time-ordered: what `?since=` resumes from, and the history's order
    message_id: str
    # Which draft of the message (`slot`) and which part of its recipients (`part`) this is; a
    # redelivered message finds the part taken. None on documents stored before parts existed.
    slot: int | None = None
    part: int | None = None
    # The user ids told, `["*"]` for every user. A query on `recipient` matches any element of
    # the list. Documents stored before parts existed hold one id, not a list.
    recipient: list[str] | str
    type: str
    title: str
    body: str
    data: dict[str, Any]
    created_at: datetime
    read_by: list[str] = []  # recipients who read it; for everyone's, see `ReadReceipt` and `ReadMark`
    read_at: datetime | None = None  # how documents stored before `read_by` existed were marked read

    @property
    def is_to_everyone(self) -> bool:
        return self.recipient in (EVERYONE, [EVERYONE])

    class Settings:
        name = "notifications"
        # A new part is stored without the fields only older documents have (`read_at`); the
        # None values inside `data` are kept.
        keep_nulls = False
        indexes = [
            # A user's history, newest first: the sort key is unique, so it is its own tie-breaker.
            # Multikey, one entry per recipient of a part.
            IndexModel([("recipient", ASCENDING), ("_id", DESCENDING)]),
            # Each part of a message stored once, however often the message comes or however many
            # replicas handle it at once. Documents from before parts existed have no part.
            IndexModel(
                [("message_id", ASCENDING), ("slot", ASCENDING), ("part", ASCENDING)],
                unique=True,
                partialFilterExpression={"part": {"$exists": True}},
            ),
        ]


class AnnouncedBatch(Document):
    """Every part of the message is stored, announced live and has its deliveries queued: a
    redelivery has nothing left to do."""

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
        # The attendees of an event in user order, from the index alone (a covered query).
        indexes = [IndexModel([("event_id", ASCENDING), ("attending", ASCENDING), ("user_id", ASCENDING)])]


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
    AnnouncedBatch,
    ReadReceipt,
    ReadMark,
    Attendance,
    Contact,
    Delivery,
]
