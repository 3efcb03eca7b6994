"""Access tokens for synthetic users, signed with the key the bench gave its user service.

Registering thousands of accounts would spend the run hashing passwords; every service only verifies
the token, so a token with the claims `user_service.service.issue_token` writes is all a user needs.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from user_service.keys import SigningKey

ISSUER = "event-platform-users"
AUDIENCE = "event-platform"
TOKEN_TTL = timedelta(hours=2)


@dataclass(frozen=True)
class User:
    id: str
    username: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


class TokenMinter:
    """Makes users that exist only in their tokens."""

    def __init__(self, key: SigningKey) -> None:
        self.key = key

    def user(self, *roles: str) -> User:
        """Returns a new user with the given roles (`attendee` when none)."""
        user_id = str(uuid.uuid4())
        username = f"bench-{user_id[:12]}"
        now = datetime.now(UTC)
        claims = {
            "sub": user_id,
            "username": username,
            "roles": list(roles or ("attendee",)),
            "iat": now,
            "exp": now + TOKEN_TTL,
            "iss": ISSUER,
            "aud": AUDIENCE,
        }
        return User(id=user_id, username=username, token=self.key.sign(claims))

    def users(self, count: int, *roles: str) -> list[User]:
        return [self.user(*roles) for _ in range(count)]
