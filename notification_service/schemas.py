from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class NotificationFrame(BaseModel):
    """One notification as a WebSocket frame carries it."""

    id: str = Field(description="Sorts by the time it was stored; reconnect with `?since=<id>`")
    type: str = Field(description="What happened, e.g. `booking.confirmed` or `tickets.sold`")
    title: str
    body: str
    data: dict[str, Any] = Field(description="Ids and figures for the client to link or show")
    created_at: datetime


class NotificationPublic(NotificationFrame):
    read: bool


class NotificationPage(BaseModel):
    items: list[NotificationPublic]
    total: int = Field(description="How many match the query")
    unread: int = Field(description="How many of the caller's notifications are unread")
    limit: int
    offset: int


class NotificationQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=20, ge=1, le=100)
    offset: int = Field(default=0, ge=0, le=10_000)
    unread: bool = Field(default=False, description="Only the unread ones")


class ReadAllResult(BaseModel):
    marked_read: int = Field(description="How many notifications were unread before")
