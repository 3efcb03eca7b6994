"""What webhooks store: the endpoints organizers register, each delivery to one, and whose each event is."""

from datetime import datetime
from typing import Literal

from beanie import Document
from pydantic import BaseModel
from pymongo import ASCENDING, DESCENDING, IndexModel

WebhookDisabledReason = Literal["by_owner", "gone", "failing"]
WebhookDeliveryState = Literal["pending", "delivered", "failed"]
# The attempts a delivery keeps (the newest): the schedule makes about a dozen in three days, and a
# delivery re-sent again and again must not grow without bound.
MAX_KEPT_ATTEMPTS = 50


class SigningSecret(BaseModel):
    """A `whsec_...` secret; one that was rotated out signs beside its successor until `expires_at`."""

    secret: str
    expires_at: datetime | None = None


class Webhook(Document):
    """An endpoint that receives the facts its owner may see, of the types it names."""

    id: str
    owner_id: str
    # An admin's endpoint receives every organizer's facts; an organizer's only those of their events.
    all_owners: bool = False
    url: str
    event_types: list[str]
    event_id: str | None = None
    description: str = ""
    enabled: bool = True
    disabled_reason: WebhookDisabledReason | None = None
    secrets: list[SigningSecret]  # the current one first
    # When its deliveries started failing without a success since: three days of it disable it.
    failing_since: datetime | None = None
    created_at: datetime
    updated_at: datetime

    class Settings:
        name = "webhooks"
        indexes = [
            IndexModel([("owner_id", ASCENDING), ("created_at", ASCENDING)]),
            IndexModel([("all_owners", ASCENDING), ("enabled", ASCENDING)]),
        ]


class WebhookAttempt(BaseModel):
    """One try at sending a delivery, and what the endpoint answered."""

    at: datetime
    status_code: int | None = None
    duration_ms: int
    response: str = ""  # the first KB of the answer's body
    error: str | None = None  # why nothing usable was answered (a timeout, a refused address)


class WebhookDelivery(Document):
    """One fact for one endpoint: kept with every attempt, retried on its schedule, never dropped."""

    id: str  # "<webhook id>:<message id>": a redelivered message queues nothing twice
    webhook_id: str
    message_id: str  # the `webhook-id` header, the same on every attempt
    type: str
    # Deliveries of one lane go out in `sequence` order, one at a time: the facts of one event.
    lane: str | None
    sequence: int
    body: str  # the CloudEvents envelope, exactly the bytes signed and sent
    state: WebhookDeliveryState = "pending"
    next_attempt_at: datetime
    # When the current series of attempts began (created, or re-sent): it fails after the window.
    series_started_at: datetime
    attempt_count: int = 0  # attempts of the current series
    attempts: list[WebhookAttempt] = []
    created_at: datetime
    expires_at: datetime  # removed then by MongoDB (a TTL index)

    class Settings:
        name = "webhook_deliveries"
        indexes = [
            IndexModel([("state", ASCENDING), ("next_attempt_at", ASCENDING)]),
            IndexModel(
                [
                    ("webhook_id", ASCENDING),
                    ("lane", ASCENDING),
                    ("state", ASCENDING),
                    ("sequence", ASCENDING),
                ]
            ),
            IndexModel([("webhook_id", ASCENDING), ("sequence", DESCENDING)]),
            IndexModel([("webhook_id", ASCENDING), ("state", ASCENDING), ("sequence", DESCENDING)]),
            IndexModel([("webhook_id", ASCENDING), ("type", ASCENDING), ("created_at", ASCENDING)]),
            IndexModel([("expires_at", ASCENDING)], expireAfterSeconds=0),
        ]


class EventOwner(Document):
    """Who organizes an event, kept from event messages: an organizer subscribes to their own only."""

    id: str  # the event id
    owner_id: str

    class Settings:
        name = "webhook_event_owners"


WEBHOOK_DOCUMENT_MODELS: list[type[Document]] = [Webhook, WebhookDelivery, EventOwner]
