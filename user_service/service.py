"""User accounts, credentials and tokens."""

import hmac
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth import SERVICE_ROLE
from shared.messages import UserRegistered
from shared.outbox import stage_message
from user_service.keys import SigningKey
from user_service.models import OutboxMessage, User
from user_service.passwords import Passwords
from user_service.rate_limit import RateLimits
from user_service.schemas import Token, UserCreate
from user_service.settings import UserSettings

DEFAULT_ROLES = ["attendee"]


class DuplicateUserError(Exception):
    def __init__(self, field: str) -> None:
        super().__init__(f"A user with this {field} already exists")
        self.field = field


class UserNotFoundError(LookupError):
    def __init__(self) -> None:
        super().__init__("User not found")


async def get(session: AsyncSession, *, user_id: uuid.UUID) -> User | None:
    """Returns the user with this id, if any."""
    return await session.get(User, user_id)


async def get_by_login(session: AsyncSession, *, login: str) -> User | None:
    """Returns the user whose username or email is `login`, ignoring case."""
    lowered = login.lower()
    return await session.scalar(
        select(User).where((func.lower(User.username) == lowered) | (func.lower(User.email) == lowered))
    )


async def _duplicate_field(session: AsyncSession, *, username: str, email: str) -> str | None:
    if await session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
        return "username"
    if await session.scalar(select(User.id).where(func.lower(User.email) == email.lower())):
        return "email"
    return None


async def create(
    session: AsyncSession, *, user_in: UserCreate, passwords: Passwords, roles: list[str] = DEFAULT_ROLES
) -> User:
    """Returns the new user; stages `user.registered` in the same transaction.

    A taken username or email is refused before the password is hashed, the costly part; no database
    connection is held while it is.
    """
    async with session.begin():
        duplicate = await _duplicate_field(session, username=user_in.username, email=user_in.email)
    if duplicate:
        raise DuplicateUserError(duplicate)
    hashed = await passwords.hash(user_in.password)
    async with session.begin():
        # Taken while the password was hashed: say which, when the check can tell.
        duplicate = await _duplicate_field(session, username=user_in.username, email=user_in.email)
        if duplicate:
            raise DuplicateUserError(duplicate)
        user = User(
            username=user_in.username,
            email=user_in.email,
            full_name=user_in.full_name,
            password_hash=hashed,
            roles=list(roles),
        )
        session.add(user)
        try:
            await session.flush()
        except IntegrityError as exc:  # a concurrent registration won the race
            raise DuplicateUserError("username or email") from exc
        stage_message(
            session,
            OutboxMessage,
            UserRegistered(
                user_id=str(user.id),
                username=user.username,
                email=user.email,
                full_name=user.full_name,
                roles=user.roles,
                registered_at=user.created_at,
            ),
        )
    return user


async def authenticate(
    session: AsyncSession, *, login: str, password: str, passwords: Passwords, limits: RateLimits
) -> User | None:
    """Returns the user if the password matches, else None; raises `TooManyFailedLoginsError` while the
    account has failed too often, without checking the password.

    Failures count per account, for names that exist and names that do not alike, so neither the
    answers nor their time tell which exist; a success forgets them.
    """
    async with session.begin():  # the connection goes back to the pool before the slow verification
        user = await get_by_login(session, login=login)
    account = str(user.id) if user else f"unknown:{login.lower()}"
    await limits.check_failed_logins(account)
    if await passwords.verify(password, user.password_hash if user else None):
        await limits.forget_failed_logins(account)
        return user
    await limits.count_failed_login(account)
    return None


async def set_roles(session: AsyncSession, *, user_id: uuid.UUID, roles: list[str]) -> User:
    """Returns the user with its roles replaced; raises `UserNotFoundError` if there is no such user."""
    async with session.begin():
        user = await session.get(User, user_id, with_for_update=True)
        if user is None:
            raise UserNotFoundError
        user.roles = sorted(set(roles))
    return user


async def ensure_admin(session: AsyncSession, *, settings: UserSettings, passwords: Passwords) -> None:
    """Creates the first admin account from settings when it does not exist yet."""
    async with session.begin():
        exists = await get_by_login(session, login=settings.admin_username)
    if exists is None:
        admin = UserCreate(
            username=settings.admin_username,
            email=settings.admin_email,
            password=settings.admin_password,
            full_name="Administrator",
        )
        try:
            await create(session, user_in=admin, passwords=passwords, roles=["admin"])
        except DuplicateUserError:
            pass  # another replica created it first


def client_is_valid(settings: UserSettings, *, client_id: str, client_secret: str) -> bool:
    """Returns whether the service client exists and its secret matches (constant time)."""
    expected = settings.service_clients.get(client_id, "")
    return hmac.compare_digest(expected.encode(), client_secret.encode()) and bool(expected)


def issue_token(
    key: SigningKey, settings: UserSettings, *, subject: str, username: str, roles: list[str]
) -> Token:
    """Returns a signed access token for a user or a service identity."""
    now = datetime.now(UTC)
    claims = {
        "sub": subject,
        "username": username,
        "roles": roles,
        "iat": now,
        "exp": now + timedelta(seconds=settings.access_token_ttl_seconds),
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
    }
    return Token(
        access_token=key.sign(claims),
        expires_in=settings.access_token_ttl_seconds,
        user_id=subject,
    )


def issue_service_token(key: SigningKey, settings: UserSettings, *, client_id: str) -> Token:
    """Returns a token for a service identity: role `service`, never a user's roles."""
    return issue_token(
        key, settings, subject=f"service:{client_id}", username=client_id, roles=[SERVICE_ROLE]
    )
