"""What the webhook routes take and answer: endpoints, their secret (once), deliveries and attempts."""

from datetime import datetime
from typing import Annotated, Literal

from fastapi import Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from notification_service.webhook_models import WebhookDeliveryState, WebhookDisabledReason
from notification_service.webhook_urls import MAX_URL_LENGTH
from shared.messages import CATALOGUE

# The families of facts an endpoint may receive, and so the wildcards it may name (`booking.*`).
WEBHOOK_FAMILIES = ("booking", "event", "ticket", "checkin")
WEBHOOK_TYPES = frozenset(
    name for name in CATALOGUE if name.split(".", 1)[0] in WEBHOOK_FAMILIES
) | frozenset(f"{family}.*" for family in WEBHOOK_FAMILIES)
MAX_EVENT_TYPES = 32
MAX_DESCRIPTION_LENGTH = 500
MAX_ID_LENGTH = 100


def _known_types(types: list[str]) -> list[str]:
    unknown = sorted(set(types) - WEBHOOK_TYPES)
    if unknown:
        raise ValueError(f"Unknown event types {unknown}; allowed: {sorted(WEBHOOK_TYPES)}")
    return sorted(set(types))


EventTypes = Annotated[
    list[Annotated[str, Field(max_length=64)]],
    Field(min_length=1, max_length=MAX_EVENT_TYPES, description="Types, or a family's wildcard: `booking.*`"),
    AfterValidator(_known_types),
]
WebhookUrl = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_URL_LENGTH,
        description="https, to a public address (development also allows `http://127.0.0.1`)",
    ),
]

_WEBHOOK_EXAMPLE = {
    "url": "https://crm.example.com/hooks/box-office",
    "event_types": ["booking.confirmed", "booking.cancelled", "checkin.scanned"],
    "event_id": None,
    "description": "CRM: new customers and cancellations",
}


class WebhookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_WEBHOOK_EXAMPLE]})

    url: WebhookUrl
    event_types: EventTypes
    event_id: str | None = Field(
        default=None, max_length=MAX_ID_LENGTH, description="Only this event's facts (one of the caller's)"
    )
    description: str = Field(default="", max_length=MAX_DESCRIPTION_LENGTH)


class WebhookUpdate(BaseModel):
    """The fields to change; `enabled: true` turns a disabled endpoint back on."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"enabled": True}, {"event_types": ["booking.*"]}]},
    )

    url: WebhookUrl | None = None
    event_types: EventTypes | None = None
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION_LENGTH)
    enabled: bool | None = None


_PUBLIC_EXAMPLE = {
    **_WEBHOOK_EXAMPLE,
    "id": "6f1d0c9a4b7e4e0f9a1c2b3d4e5f6a7b",
    "owner_id": "u42",
    "all_owners": False,
    "enabled": True,
    "disabled_reason": None,
    "created_at": "2030-06-01T09:15:00Z",
    "updated_at": "2030-06-01T09:15:00Z",
}


class WebhookPublic(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_PUBLIC_EXAMPLE]})

    id: str
    owner_id: str
    all_owners: bool = Field(description="An admin's endpoint: every organizer's facts")
    url: str
    event_types: list[str]
    event_id: str | None
    description: str
    enabled: bool
    disabled_reason: WebhookDisabledReason | None = Field(
        description="`gone`: the endpoint answered 410; `failing`: every delivery failed for 3 days; "
        "`by_owner`: turned off with PATCH"
    )
    created_at: datetime
    updated_at: datetime


class WebhookSecret(WebhookPublic):
    """An endpoint with its signing secret: answered only on creation and rotation."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{**_PUBLIC_EXAMPLE, "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}]
        }
    )

    secret: str = Field(description="`whsec_...`, for the receiver's Standard Webhooks library")


class WebhookPage(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [_PUBLIC_EXAMPLE], "total": 1}]})

    items: list[WebhookPublic]
    total: int


class AttemptPublic(BaseModel):
    at: datetime
    status_code: int | None = Field(description="None when no answer came (see `error`)")
    duration_ms: int
    response: str = Field(description="The first KB of the answer's body")
    error: str | None


_DELIVERY_EXAMPLE = {
    "id": "6f1d0c9a4b7e4e0f9a1c2b3d4e5f6a7b:3c9e1f0a-0b6e-4a53-9a2b-8f8e2f6f1c11",
    "message_id": "3c9e1f0a-0b6e-4a53-9a2b-8f8e2f6f1c11",
    "type": "booking.confirmed",
    "state": "pending",
    "next_attempt_at": "2030-06-01T09:15:35Z",
    "created_at": "2030-06-01T09:15:00Z",
    "attempts": [
        {
            "at": "2030-06-01T09:15:00Z",
            "status_code": 503,
            "duration_ms": 41,
            "response": "busy",
            "error": None,
        },
        {
            "at": "2030-06-01T09:15:05Z",
            "status_code": None,
            "duration_ms": 10002,
            "response": "",
            "error": "No answer within 10s",
        },
    ],
}


class WebhookDeliveryPublic(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_DELIVERY_EXAMPLE]})

    id: str
    message_id: str = Field(description="The `webhook-id` header, the same on every attempt")
    type: str
    state: WebhookDeliveryState
    next_attempt_at: datetime | None = Field(description="When it is tried next; None once settled")
    created_at: datetime
    attempts: list[AttemptPublic]


class WebhookDeliveryPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"items": [_DELIVERY_EXAMPLE], "total": 21, "limit": 20, "offset": 20}]
        }
    )

    items: list[WebhookDeliveryPublic]
    total: int = Field(description="How many deliveries match the query")
    limit: int
    offset: int


class WebhookDeliveryQuery(BaseModel):
    """The query of `GET /webhooks/{id}/deliveries`; its fields are FastAPI's `Query`, whose examples /docs
    shows beside each parameter (a plain `Field`'s stay in the parameter's schema, where it shows none)."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["pending", "delivered", "failed"] | None = Query(
        default=None,
        description="Only the deliveries in this state",
        openapi_examples={
            "failed": {"summary": "Failed for good, to re-send", "value": "failed"},
            "pending": {"summary": "Still being attempted", "value": "pending"},
        },
    )
    limit: int = Query(
        default=20,
        ge=1,
        le=100,
        description="At most this many, newest first",
        openapi_examples={"default": {"summary": "A page of 20", "value": 20}},
    )
    offset: int = Query(
        default=0,
        ge=0,
        le=10_000,
        description="Skipped first: the next page is at offset + limit",
        openapi_examples={"second": {"summary": "The second page of 20", "value": 20}},
    )
