"""Request and response bodies of check-in lists, their reports and attendees, and scans."""

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Discriminator, Field, Tag

from checkin_service.schemas import EXAMPLE_EVENT, EXAMPLE_SECRET, EXAMPLE_TICKET, EXAMPLE_TYPE, Id
from checkin_service.signing import MAX_SECRET_CHARS

MAX_BATCH_SCANS = 500
MAX_LIST_TICKET_TYPES = 50
Direction = Literal["entry", "exit"]
ScanOutcome = Literal[
    "ok",
    "already_checked_in",
    "revoked",
    "wrong_event",
    "wrong_ticket_type",
    "invalid_signature",
    "not_yet_valid",
    "expired",
]


class CheckinListCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "name": "Main entrance",
                    "ticket_type_ids": [],
                    "allow_multiple_entries": False,
                    "allow_reentry": True,
                }
            ]
        },
    )

    name: str = Field(min_length=1, max_length=100)
    ticket_type_ids: list[Id] = Field(
        default_factory=list,
        max_length=MAX_LIST_TICKET_TYPES,
        description="Types admitted here; empty: every type",
    )
    allow_multiple_entries: bool = Field(
        default=False, description="Admit a ticket however often it is scanned"
    )
    allow_reentry: bool = Field(default=False, description="Admit again a ticket scanned out (`exit`)")


class CheckinListPublic(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "6a1d2f3e-4b5c-4d6e-8f70-8192a3b4c5d6",
                    "event_id": EXAMPLE_EVENT,
                    "name": "Main entrance",
                    "ticket_type_ids": [],
                    "allow_multiple_entries": False,
                    "allow_reentry": True,
                    "created_at": "2026-12-01T08:00:00Z",
                }
            ]
        },
    )

    id: uuid.UUID
    event_id: str
    name: str
    ticket_type_ids: list[str]
    allow_multiple_entries: bool
    allow_reentry: bool
    created_at: datetime


class CheckinListPage(BaseModel):
    items: list[CheckinListPublic]
    total: int
    limit: int
    offset: int


class TypeCountPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    ticket_type_id: str
    name: str
    checked_in: int = Field(description="Tickets admitted at least once (each counted once)")
    inside_now: int = Field(description="Of those, the ones not scanned out since")
    total_valid: int = Field(description="Tickets of the type not revoked")


class ScanPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    nonce: str
    ticket_id: uuid.UUID | None
    type: Direction = Field(validation_alias="direction")
    result: ScanOutcome
    scanned_at: datetime
    received_at: datetime
    offline: bool
    double_entry: bool


class CheckinListReport(CheckinListPublic):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "6a1d2f3e-4b5c-4d6e-8f70-8192a3b4c5d6",
                    "event_id": EXAMPLE_EVENT,
                    "name": "Main entrance",
                    "ticket_type_ids": [],
                    "allow_multiple_entries": False,
                    "allow_reentry": True,
                    "created_at": "2026-12-01T08:00:00Z",
                    "counts": [
                        {
                            "ticket_type_id": EXAMPLE_TYPE,
                            "name": "Standing",
                            "checked_in": 120,
                            "inside_now": 97,
                            "total_valid": 150,
                        }
                    ],
                    "double_entries": [],
                    "double_entry_count": 0,
                }
            ]
        }
    )

    counts: list[TypeCountPublic]
    double_entries: list[ScanPublic] = Field(description="Offline scans that admitted a ticket already in")
    double_entry_count: int


class AttendeePublic(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "ticket_id": EXAMPLE_TICKET,
                    "booking_id": "3f2a1c9e-0d4b-4a8e-b1f2-6c7d8e9fa0b1",
                    "ticket_type_id": EXAMPLE_TYPE,
                    "attendee_name": "Ada Lovelace",
                    "status": "valid",
                    "checked_in_at": "2026-12-01T19:02:11Z",
                    "inside": True,
                    "double_entry": False,
                }
            ]
        }
    )

    ticket_id: uuid.UUID
    booking_id: str
    ticket_type_id: str
    attendee_name: str
    status: str
    checked_in_at: datetime | None
    inside: bool
    double_entry: bool


class AttendeePage(BaseModel):
    items: list[AttendeePublic]
    total: int
    limit: int
    offset: int


class ScanCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"secret": EXAMPLE_SECRET, "type": "entry", "nonce": "gate1-000123"}]
        },
    )

    secret: str = Field(min_length=1, max_length=MAX_SECRET_CHARS)
    type: Direction = "entry"
    nonce: str = Field(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9_.:-]+$",
        description="Unique per scan made: sent again, it answers the first verdict and records nothing",
    )
    scanned_at: AwareDatetime | None = Field(
        default=None, description="When it was scanned; now when left out"
    )


class OfflineScan(ScanCreate):
    scanned_at: AwareDatetime = Field(description="When the offline scanner scanned it")


class ScanBatch(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "scans": [
                        {
                            "secret": EXAMPLE_SECRET,
                            "type": "entry",
                            "nonce": "gate2-000007",
                            "scanned_at": "2026-12-01T19:01:00Z",
                        }
                    ]
                }
            ]
        },
    )

    scans: list[OfflineScan] = Field(min_length=1, max_length=MAX_BATCH_SCANS)


def _scan_form(body: object) -> str:
    return "batch" if isinstance(body, dict) and "scans" in body else "single"


ScanBody = Annotated[
    Annotated[ScanCreate, Tag("single")] | Annotated[ScanBatch, Tag("batch")], Discriminator(_scan_form)
]


class ScanTicket(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    event_id: str
    ticket_type_id: str
    attendee_name: str
    status: str


class ScanResult(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "result": "already_checked_in",
                    "ticket": {
                        "id": EXAMPLE_TICKET,
                        "event_id": EXAMPLE_EVENT,
                        "ticket_type_id": EXAMPLE_TYPE,
                        "attendee_name": "Ada Lovelace",
                        "status": "valid",
                    },
                    "scan": {
                        "id": "9c0d1e2f-3a4b-4c5d-8e6f-708192a3b4c5",
                        "nonce": "gate1-000124",
                        "ticket_id": EXAMPLE_TICKET,
                        "type": "entry",
                        "result": "already_checked_in",
                        "scanned_at": "2026-12-01T19:05:00Z",
                        "received_at": "2026-12-01T19:05:00Z",
                        "offline": False,
                        "double_entry": False,
                    },
                    "checked_in_at": "2026-12-01T19:02:11Z",
                    "double_entry": False,
                    "replayed": False,
                }
            ]
        }
    )

    result: ScanOutcome
    ticket: ScanTicket | None = Field(description="None when the secret is unreadable or of another event")
    scan: ScanPublic
    checked_in_at: datetime | None = Field(description="For already_checked_in: when it first entered")
    double_entry: bool = Field(description="An offline scan that admitted a ticket already in")
    replayed: bool = Field(description="The nonce was sent before: this is that scan's verdict")


class ScanBatchResult(BaseModel):
    results: list[ScanResult] = Field(description="One per scan, in the order sent")
