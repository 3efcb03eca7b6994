"""The message catalogue: every `data` payload published on the exchange, keyed by its type.

The type is also the routing key. A payload model never changes incompatibly under the same type;
a breaking change gets a new type name.
"""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class MessageData(BaseModel):
    """Base of every payload: consumers accept fields added later by producers."""

    model_config = ConfigDict(extra="allow")


class UserRegistered(MessageData):
    """A new account was created."""

    user_id: str = Field(description="Id of the new user")
    username: str
    email: str
    full_name: str
    roles: list[str]
    registered_at: datetime


CATALOGUE: dict[str, type[MessageData]] = {
    "user.registered": UserRegistered,
}


_TYPE_OF_MODEL = {model: message_type for message_type, model in CATALOGUE.items()}


def message_type_of(data: MessageData) -> str:
    """Returns the type (and routing key) under which `data` is published."""
    return _TYPE_OF_MODEL[type(data)]


def parse_data(message_type: str, data: dict[str, Any]) -> MessageData:
    """Returns the typed payload of a received message."""
    return CATALOGUE[message_type].model_validate(data)
