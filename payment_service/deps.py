from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Header, Query, Request

from payment_service.schemas import PaymentQuery


async def wake_outbox_relay(request: Request) -> AsyncIterator[None]:
    """Wakes the outbox relay after a write, so the messages it staged leave at once."""
    yield
    request.app.state.outbox_relay.wake()


IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="Unique per intended operation, e.g. a UUID. A retry with the same key and body "
        "replays the first answer. Keys are scoped to the caller (and, for refunds, to the payment) "
        "and kept as long as the payment.",
    ),
]
PaymentQueryDep = Annotated[PaymentQuery, Query()]
WakesOutboxRelay = Depends(wake_outbox_relay)
