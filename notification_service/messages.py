"""The message this service sends itself: what one replica stored, for every replica to hand to sockets."""

from datetime import datetime
from typing import Any

from pydantic import Field

from shared.messages import MessageData


class StoredNotification(MessageData):
    """One stored notification, as a replica holding its recipients' sockets needs it: its text once,
    however many recipients it has."""

    notification_id: str
    recipients: list[str] = Field(description='The user ids, or `["*"]` for a notification to everyone')
    type: str
    title: str
    body: str
    data: dict[str, Any]
    created_at: datetime


class NotificationsStored(MessageData):
    """The notifications one consumed message produced were stored, and every replica delivers each
    to the WebSockets it holds for its recipient.

    One message per stored part (up to `NotificationSettings.part_size` recipients), so telling 5,000
    attendees costs a handful of publishes, not 5,000, and a message grows with its audience by their
    ids alone."""

    message_type = "notifications.stored"

    notifications: list[StoredNotification]
