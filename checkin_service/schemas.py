"""Request and response bodies of tickets, their keys and revocations, and door staff."""

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# Ids of events, ticket types and users keep to characters that need no escaping in a URL.
ID_PATTERN = r"^[A-Za-z0-9_-]+$"
MAX_NAME_CHARS = 200
EXAMPLE_EVENT = "665f1c2e9b1d4a0012345678"
EXAMPLE_TYPE = "665f1c2e9b1d4a00123456aa"
EXAMPLE_TICKET = "0b8f6c1e-7c55-4f4e-9a52-2f0f6d3f1a10"
EXAMPLE_SECRET = (
    "AEB7C4JG6HR4C3ZGJH2IVQFOOFYJB6BJMZPRYLU3DVFAAERUKZ4GMXY4F2NR2SQACI2FNKTLB2COG2YOZMZ4JVBPZHHWX"
    "47LFQIFHVUOGTTNTSGVNWDEGR53RCEZ4KB4NNIUHW5HVK5F2IBQVDFX3OYAXR3C5MD5WQMWV4ZYGFJ75HISLNCQMF4SAI"
)
Id = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=ID_PATTERN)]


class TicketPublic(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": EXAMPLE_TICKET,
                    "booking_id": "3f2a1c9e-0d4b-4a8e-b1f2-6c7d8e9fa0b1",
                    "event_id": EXAMPLE_EVENT,
                    "ticket_type_id": EXAMPLE_TYPE,
                    "attendee_name": "Ada Lovelace",
                    "secret": EXAMPLE_SECRET,
                    "status": "valid",
                }
            ]
        },
    )

    id: uuid.UUID
    booking_id: str
    event_id: str
    ticket_type_id: str
    attendee_name: str = Field(
        description="Empty when the booker's full name is unknown; the owner may set it"
    )
    secret: str = Field(description="Signed; what the QR code holds (docs/checkin.md gives its format)")
    status: Literal["valid", "revoked"]


class TicketPage(BaseModel):
    items: list[TicketPublic]
    total: int
    limit: int
    offset: int


class TicketUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"attendee_name": "Grace Hopper"}]},
    )

    attendee_name: str = Field(min_length=1, max_length=MAX_NAME_CHARS)


class Jwks(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "keys": [
                        {
                            "kty": "OKP",
                            "crv": "Ed25519",
                            "x": "MNG2xd1w191LU1pWGmVYBrH_tMI81Z91LFHFQKP2xGk",
                            "kid": "QELqRdtMtiDYJDHoP68Arl4M0C2_NSoR_pURPu7AnH4",
                            "use": "sig",
                            "alg": "EdDSA",
                        }
                    ]
                }
            ]
        }
    )

    keys: list[dict[str, str]]


class Revocation(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    ticket_id: uuid.UUID = Field(validation_alias="id")
    booking_id: str
    ticket_type_id: str
    revoked_at: datetime
    reason: str = Field(validation_alias="revoked_reason")
    cursor: int = Field(validation_alias="revocation_seq", description="Pass the last one as `since`")


class RevocationPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "ticket_id": EXAMPLE_TICKET,
                            "booking_id": "3f2a1c9e-0d4b-4a8e-b1f2-6c7d8e9fa0b1",
                            "ticket_type_id": EXAMPLE_TYPE,
                            "revoked_at": "2026-12-01T09:30:00Z",
                            "reason": "booking_cancelled",
                            "cursor": 42,
                        }
                    ],
                    "next_since": 42,
                    "has_more": False,
                    "limit": 500,
                }
            ]
        }
    )

    items: list[Revocation]
    next_since: int = Field(description="The `since` of the next call: the last item's cursor (or yours)")
    has_more: bool = Field(description="A full page: call again with `next_since` at once")
    limit: int


class DoorStaffCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"user_id": "42"}]})

    user_id: Id


class DoorStaffPublic(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "event_id": EXAMPLE_EVENT,
                    "user_id": "42",
                    "granted_by": "7",
                    "granted_at": "2026-12-01T08:00:00Z",
                }
            ]
        },
    )

    event_id: str
    user_id: str
    granted_by: str
    granted_at: datetime


class DoorStaffPage(BaseModel):
    items: list[DoorStaffPublic]
    total: int
    limit: int
    offset: int
