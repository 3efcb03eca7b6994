"""The database pool opened at start-up, a booking's statements ready on each of its connections.

A connection opened while buyers wait costs them: PostgreSQL starts a backend, which loads the
catalog entries of every table it touches and compiles `take_seats` on its first call (in part while
holding the event's lock), and this process prepares each statement on it. Opened and used once at
start-up, the pool serves the first burst of buyers after a start as fast as any later one.
"""

import asyncio
import contextlib
import logging
import uuid

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from booking_service import catalogue, checkout, holds
from shared.db import execute_on

logger = logging.getLogger(__name__)

# A database that does not answer at start-up is not waited for longer than this.
WARM_SECONDS = 10.0

# An event id no event has (ids are at most 64 characters): the statements find nothing to change.
_NO_EVENT = "-" * 65
_TAKE_NOTHING = {**checkout.TAKE.compile().params, "event": _NO_EVENT}
# A booking id no booking has (ids are random UUIDs).
_NO_BOOKING = uuid.UUID(int=0)
_SETTLE_NOTHING = {
    "booking": _NO_BOOKING,
    **dict.fromkeys(("from_status", "outcome", "payment", "reason", "forget_key", "entry_state")),
    **dict.fromkeys(("outbox_message_id", "outbox_type", "outbox_envelope")),
}


# A sale's statements, each with parameters that change nothing.
FOR_NOTHING = (
    (catalogue.CATALOGUE, {"event": _NO_EVENT, "code_key": None}),
    (checkout.TAKE, _TAKE_NOTHING),
    (holds.TO_PAYMENT, {"booking": _NO_BOOKING, "user": "", "method": None}),
    (holds.RECORD_OUTCOME, _SETTLE_NOTHING),
)


async def _warm(connection: AsyncConnection) -> None:
    # As the sales path runs them (`execute_alone`), so they are prepared where it looks for them.
    for statement, parameters in FOR_NOTHING:
        await execute_on(connection, statement, parameters)


async def warm_pool(engine: AsyncEngine, *, connections: int) -> None:
    """Opens `connections` pooled connections, all held together, and runs a booking's statements on
    each, for no event (nothing changes). A failure is only logged: a connection not warmed is opened when a
    request first needs it, as it would be anyway."""
    opened: list[AsyncConnection] = []
    try:
        async with asyncio.timeout(WARM_SECONDS):
            # All held at once, so the pool opens as many; closed, they go back to it.
            for _ in range(connections):
                opened.append(await engine.connect())
            await asyncio.gather(*(_warm(connection) for connection in opened))
    except Exception as exc:  # never fatal: the service serves without it
        logger.warning("Warming the database pool failed (%r); connections open as needed", exc)
    finally:
        for connection in opened:
            # A connection that broke meanwhile is dropped by the pool; start-up goes on regardless.
            with contextlib.suppress(Exception):
                await connection.close()
