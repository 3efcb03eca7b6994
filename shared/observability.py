"""JSON logs carrying the request id, and the middleware that accepts or creates that id."""

import json
import logging
import random
import sys
import time
from contextvars import ContextVar
from datetime import UTC, datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.metrics import HttpMetrics
from shared.tracing import current_trace_id, request_span

access_logger = logging.getLogger("access")
request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    """Returns the id of the request (or message) being handled, if any."""
    return request_id_var.get()


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": current_request_id(),
            "trace_id": current_trace_id(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(service: str, level: str) -> None:
    """Routes every logger, uvicorn's included, to one JSON line per record on stdout."""
    # Records never show the caller, thread or process: not looking them up saves every request a few µs.
    logging._srcfile = None  # the logging HOWTO's documented switch for not finding the caller
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    for noisy in ("aio_pika", "aiormq", "alembic.runtime.plugins"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _incoming_ids(scope: Scope) -> tuple[str | None, str | None]:
    """The request's `X-Request-ID` and `traceparent` headers, when it has them."""
    request_id = traceparent = None
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            incoming = value.decode("latin-1")[:128]
            request_id = incoming if incoming.strip() else None
        elif name == b"traceparent":
            traceparent = value.decode("latin-1")
    return request_id, traceparent


class ObservedRequests:
    """Gives each request an id (its `X-Request-ID`, or a new one), returns it, handles the request in the
    trace of its `traceparent` (shared/tracing.py), logs it under both and counts it in the metrics: one
    middleware, since every layer costs each request a little."""

    def __init__(self, app: ASGIApp, metrics: HttpMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        incoming_id, traceparent = _incoming_ids(scope)
        # Not a secret, so the cheap generator will do (uuid4 asks the kernel for every id).
        request_id = incoming_id or f"{random.getrandbits(128):032x}"
        id_header = (b"x-request-id", request_id.encode("latin-1"))
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), id_header]
            await send(message)

        with request_span(traceparent):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                seconds = time.perf_counter() - started
                method = scope.get("method", "WEBSOCKET")
                # The route's template (`/events/{event_id}`), set by the router once a route matched.
                route = getattr(scope.get("route"), "path", None)
                self.metrics.observe(method, route, status, seconds)
                access_logger.info(
                    "%s %s %s",
                    method,
                    scope["path"],
                    status,
                    extra={"fields": {"status": status, "duration_ms": round(seconds * 1000, 2)}},
                )
                request_id_var.reset(token)
