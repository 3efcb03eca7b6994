"""Who calls the services in tests and benchmarks: accounts and their bearer tokens.

An account registered through the user service (`make_account` in tests/conftest.py) and one that
exists only in its token (`TokenMinter`) look the same to every other service, which only verifies
the token.
"""

import uuid
from dataclasses import dataclass

from user_service.keys import SigningKey
from user_service.service import issue_token
from user_service.settings import UserSettings

DEV_ADMIN = {"username": "admin", "password": "admin-dev-password"}


def bearer(token: str) -> dict[str, str]:
    """The headers of a request made with `token`."""
    return {"Authorization": f"Bearer {token}"}


@dataclass(frozen=True)
class Account:
    id: str
    username: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.token)


class TokenMinter:
    """Makes accounts that exist only in their tokens, signed as the user service signs them.

    Registering thousands of accounts would spend a run hashing passwords; a token with the claims
    the user service issues (`user_service.service.issue_token`, with `settings`' issuer, audience
    and lifetime) is all another service needs.
    """

    def __init__(self, key: SigningKey, settings: UserSettings, *, name_prefix: str = "minted") -> None:
        self.key = key
        self.settings = settings
        self.name_prefix = name_prefix

    def account(self, *roles: str) -> Account:
        """Returns a new account with the given roles (`attendee` when none)."""
        user_id = str(uuid.uuid4())
        username = f"{self.name_prefix}-{user_id[:12]}"
        token = issue_token(
            self.key, self.settings, subject=user_id, username=username, roles=list(roles or ("attendee",))
        )
        return Account(id=user_id, username=username, token=token.access_token)

    def accounts(self, count: int, *roles: str) -> list[Account]:
        return [self.account(*roles) for _ in range(count)]
