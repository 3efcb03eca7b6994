"""Login attempts per client IP, counted in Redis when configured so every replica shares the count."""

import math
import time

from fastapi import Request
from limits import parse
from slowapi import Limiter
from slowapi.util import get_remote_address
from starlette.concurrency import run_in_threadpool

from user_service.service import TooManyLoginAttemptsError
from user_service.settings import UserSettings


class LoginLimiter:
    """A moving-window limit on login attempts, stored where slowapi's `Limiter` keeps it."""

    def __init__(self, settings: UserSettings) -> None:
        self.description = settings.login_rate_limit
        self.limit = parse(settings.login_rate_limit)
        self.prefix = settings.rate_limit_key_prefix
        self.strategy = Limiter(
            key_func=get_remote_address,
            storage_uri=settings.redis_url or "memory://",
            strategy="moving-window",
        ).limiter

    def _hit(self, client: str) -> float | None:
        """Counts an attempt; returns seconds until the next is allowed when over the limit."""
        if self.strategy.hit(self.limit, self.prefix, "login", client):
            return None
        reset_at, _ = self.strategy.get_window_stats(self.limit, self.prefix, "login", client)
        return max(1.0, reset_at - time.time())

    async def check(self, request: Request) -> None:
        """Raises `TooManyLoginAttemptsError` once the caller's IP is over the limit."""
        retry_after = await run_in_threadpool(self._hit, get_remote_address(request))
        if retry_after is not None:
            raise TooManyLoginAttemptsError(
                limit=self.description, retry_after_seconds=math.ceil(retry_after)
            )


async def limit_login_attempts(request: Request) -> None:
    await request.app.state.login_limiter.check(request)
