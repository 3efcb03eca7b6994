from typing import Annotated

from fastapi import Header, Query

from payment_service.schemas import PaymentQuery

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
