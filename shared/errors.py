"""Domain errors to HTTP: each service's `api.py` holds one table from its errors to their status.

Domain exceptions carry no HTTP; routes let them propagate, and the table answers each as
`{"detail": str(error)}` (an error with `retry_after_seconds` adds a `Retry-After` header).
"""

import logging
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

logger = logging.getLogger(__name__)
ErrorStatuses = Mapping[type[Exception], int]
ErrorBody = Callable[[Exception], dict[str, Any]]


def detail_of(error: Exception) -> dict[str, Any]:
    """The body of every error answer: what went wrong, for a person."""
    return {"detail": str(error)}


def _status_of(statuses: ErrorStatuses, error: Exception) -> int:
    # A subclass not in the table is answered as its nearest listed base.
    return next(statuses[kind] for kind in type(error).__mro__ if kind in statuses)


def add_error_table(app: FastAPI, statuses: ErrorStatuses, body: ErrorBody = detail_of) -> None:
    """Answers each error in `statuses` with its status and `body(error)`."""

    async def answer(request: Request, error: Exception) -> JSONResponse:
        retry_after = getattr(error, "retry_after_seconds", None)
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
        return JSONResponse(body(error), status_code=_status_of(statuses, error), headers=headers)

    for error in statuses:
        app.add_exception_handler(error, answer)


async def answer_store_down(request: Request, error: Exception) -> JSONResponse:
    """Answers 503, not 500, a request that needs a database (PostgreSQL or MongoDB) that is down."""
    logger.warning("Database unavailable: %r", error)
    return JSONResponse(
        {"detail": "The database is unavailable; try again shortly."},
        status_code=503,
        headers={"Retry-After": "5"},
    )
