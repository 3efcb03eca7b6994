"""The limits on logins and registrations, counted in Redis when `REDIS_URL` is set, so that every replica
shares the counts, and in this process's memory otherwise. Moving windows, from the `limits` library.

Per client IP: login attempts and registrations. Per account: failed logins, whatever address they claim,
forgotten on a success. Redis that does not answer within `REDIS_TIMEOUT_SECONDS` makes the request
answer 503: a limit that cannot be counted is not waived.
"""

import asyncio
import math
import time
from collections.abc import Awaitable
from typing import TypeVar

from fastapi import Request
from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from redis.asyncio import ConnectionPool, Redis
from redis.exceptions import RedisError

from user_service.settings import UserSettings

T = TypeVar("T")
STORE_DOWN_RETRY_AFTER_SECONDS = 5


class RateLimitedError(Exception):
    """Over a limit; the next attempt is allowed in `retry_after_seconds`."""

    def __init__(self, message: str, *, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class TooManyLoginAttemptsError(RateLimitedError):
    def __init__(self, *, limit: str, retry_after_seconds: int) -> None:
        message = f"Too many login attempts; the limit is {limit} per client"
        super().__init__(message, retry_after_seconds=retry_after_seconds)


class TooManyFailedLoginsError(RateLimitedError):
    def __init__(self, *, retry_after_seconds: int) -> None:
        super().__init__(
            f"Too many failed logins for this account; try again in {retry_after_seconds} seconds",
            retry_after_seconds=retry_after_seconds,
        )


class TooManyRegistrationsError(RateLimitedError):
    def __init__(self, *, limit: str, retry_after_seconds: int) -> None:
        message = f"Too many registrations; the limit is {limit} per client"
        super().__init__(message, retry_after_seconds=retry_after_seconds)


class LimitsUnavailableError(Exception):
    """The store of the limits (Redis) does not answer."""

    def __init__(self) -> None:
        super().__init__("Redis, where logins and registrations are counted, is unavailable; retry shortly")
        self.retry_after_seconds = STORE_DOWN_RETRY_AFTER_SECONDS


class RateLimits:
    """Every limit of the service, on one store: Redis when `REDIS_URL` is set, else this process's memory."""

    def __init__(self, settings: UserSettings) -> None:
        self.login_limit = settings.login_rate_limit
        self.register_limit = settings.register_rate_limit
        self._login = parse(settings.login_rate_limit)
        self._failures = parse(settings.login_failure_limit)
        self._registrations = parse(settings.register_rate_limit)
        self._prefix = settings.rate_limit_key_prefix
        self._timeout = settings.redis_timeout_seconds
        self._pool: ConnectionPool | None = None
        storage: Storage
        if settings.redis_url:
            timeout = settings.redis_timeout_seconds
            self._pool = ConnectionPool.from_url(
                settings.redis_url, socket_timeout=timeout, socket_connect_timeout=timeout
            )
            storage = RedisStorage(
                f"async+{settings.redis_url}",
                implementation="redispy",
                connection_pool=self._pool,
                wrap_exceptions=True,
            )
        else:
            storage = MemoryStorage(wrap_exceptions=True)
        self._windows = MovingWindowRateLimiter(storage)

    async def check_login(self, client: str) -> None:
        """Counts a login attempt from `client`; raises `TooManyLoginAttemptsError` once over the limit."""
        if (retry_after := await self._over(self._login, "login", client)) is not None:
            raise TooManyLoginAttemptsError(limit=self.login_limit, retry_after_seconds=retry_after)

    async def check_registration(self, client: str) -> None:
        """Counts a registration from `client`; raises `TooManyRegistrationsError` once over the limit."""
        if (retry_after := await self._over(self._registrations, "register", client)) is not None:
            raise TooManyRegistrationsError(limit=self.register_limit, retry_after_seconds=retry_after)

    async def check_failed_logins(self, account: str) -> None:
        """Raises `TooManyFailedLoginsError` while `account` has failed too often, without counting."""
        if not await self._ask(self._windows.test(self._failures, self._prefix, "login-failures", account)):
            retry_after = await self._retry_after(self._failures, "login-failures", account)
            raise TooManyFailedLoginsError(retry_after_seconds=retry_after)

    async def count_failed_login(self, account: str) -> None:
        await self._ask(self._windows.hit(self._failures, self._prefix, "login-failures", account))

    async def forget_failed_logins(self, account: str) -> None:
        await self._ask(self._windows.clear(self._failures, self._prefix, "login-failures", account))

    async def check(self) -> None:
        """Raises unless Redis answers (the readiness check; memory always does)."""
        if self._pool is not None:
            async with asyncio.timeout(self._timeout):
                await Redis(connection_pool=self._pool).ping()

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.disconnect()

    async def _over(self, limit: RateLimitItem, *identifiers: str) -> int | None:
        """Counts one more under `limit`; returns the seconds until the next is allowed when over it."""
        if await self._ask(self._windows.hit(limit, self._prefix, *identifiers)):
            return None
        return await self._retry_after(limit, *identifiers)

    async def _retry_after(self, limit: RateLimitItem, *identifiers: str) -> int:
        """Whole seconds until `limit` allows one more for `identifiers`: when its oldest entry expires."""
        reset_at, _ = await self._ask(self._windows.get_window_stats(limit, self._prefix, *identifiers))
        return max(1, math.ceil(reset_at - time.time()))

    async def _ask(self, operation: Awaitable[T]) -> T:
        try:
            async with asyncio.timeout(self._timeout):
                return await operation
        except (StorageError, RedisError, OSError, TimeoutError) as exc:
            raise LimitsUnavailableError from exc


def client_address(request: Request) -> str:
    """The caller's IP: the peer's, or the one a trusted proxy forwarded (uvicorn's `forwarded_allow_ips`)."""
    return request.client.host if request.client else "unknown"


async def limit_login_attempts(request: Request) -> None:
    await request.app.state.rate_limits.check_login(client_address(request))


async def limit_registrations(request: Request) -> None:
    await request.app.state.rate_limits.check_registration(client_address(request))
