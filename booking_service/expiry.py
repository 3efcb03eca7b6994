"""Releases holds not paid by their `expires_at`: seats and voucher use back, `booking.expired` staged.

Each release is one statement that acts only on a booking still `held`, so replicas sweeping the
same holds release each once.
"""

import logging

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from booking_service import service
from booking_service.models import Booking
from booking_service.schemas import BookingStatus
from shared.db import DATABASE_DOWN_ERRORS
from shared.outbox import OutboxRelay
from shared.worker import Worker

logger = logging.getLogger(__name__)

# Holds released per pass; a pass that finds this many runs again at once.
BATCH = 100


class HoldSweeper(Worker):
    """Every `interval_seconds`, releases the holds past their `expires_at`."""

    name = "hold-sweeper"
    waiting_on = DATABASE_DOWN_ERRORS

    def __init__(
        self, *, sessionmaker: async_sessionmaker[AsyncSession], relay: OutboxRelay, interval_seconds: float
    ) -> None:
        super().__init__(poll_seconds=interval_seconds)
        self.sessionmaker = sessionmaker
        self.relay = relay

    async def run_pass(self) -> bool:
        return await self.sweep() >= BATCH

    async def sweep(self) -> int:
        """Releases up to `BATCH` expired holds, oldest expiry first; returns how many it found."""
        async with self.sessionmaker() as session:
            async with session.begin():
                expired = list(
                    await session.scalars(
                        select(Booking)
                        .where(Booking.status == BookingStatus.HELD, Booking.expires_at <= func.now())
                        .order_by(Booking.expires_at)
                        .limit(BATCH)
                    )
                )
            for booking in expired:
                await service.release_hold(session, booking=booking, reason=service.EXPIRED_REASON)
        if expired:
            logger.info("Released %d expired holds", len(expired))
            self.relay.wake()
        return len(expired)
