import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator

Role = Literal["attendee", "organizer", "admin"]

_STRICT = ConfigDict(extra="forbid")
# PostgreSQL text cannot hold a NUL character, so text that is stored or looked up refuses it here.
_NO_NUL = r"^[^\x00]*$"


class UserCreate(BaseModel):
    """A new account. Everyone starts as an attendee; an admin grants other roles."""

    model_config = ConfigDict(
        **_STRICT,
        json_schema_extra={
            "examples": [
                {
                    "username": "ada",
                    "email": "ada@example.com",
                    "password": "correct horse battery",
                    "full_name": "Ada Lovelace",
                }
            ]
        },
    )

    username: str = Field(min_length=3, max_length=32, pattern=r"^[A-Za-z0-9_.-]+$")
    email: EmailStr = Field(max_length=254)
    password: str = Field(min_length=8, max_length=128)
    full_name: str = Field(min_length=1, max_length=100, pattern=_NO_NUL)


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    username: str
    email: str
    full_name: str
    roles: list[str]
    created_at: datetime


class LoginRequest(BaseModel):
    """Credentials: a username or an email, and the password."""

    model_config = ConfigDict(
        **_STRICT,
        json_schema_extra={"examples": [{"username": "ada", "password": "correct horse battery"}]},
    )

    username: str | None = Field(default=None, min_length=1, max_length=254, pattern=_NO_NUL)
    email: str | None = Field(default=None, min_length=1, max_length=254, pattern=_NO_NUL)
    password: str = Field(min_length=1, max_length=128)

    @model_validator(mode="after")
    def _one_identifier(self) -> "LoginRequest":
        if (self.username is None) == (self.email is None):
            raise ValueError("Give either username or email")
        return self

    @property
    def login(self) -> str:
        return self.username or self.email or ""


class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the token expires")
    user_id: str = Field(description="The user id, or the client id for a service identity")


class RolesUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"roles": ["organizer"]}]})

    roles: list[Role] = Field(min_length=1, max_length=3)


class Jwks(BaseModel):
    keys: list[dict[str, str]]
