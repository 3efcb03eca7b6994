"""JSON logs carrying the request id, and the middleware that accepts or creates that id."""

import asyncio
import json
import logging
import random
import sys
import time
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import TextIO

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.metrics import HttpMetrics
from shared.tracing import current_trace_id, request_span

access_logger = logging.getLogger("access")
request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    """Returns the id of the request (or message) being handled, if any."""
    return request_id_var.get()


# Made once: `json.dumps(..., default=str)` builds a new encoder at every call.
_encode = json.JSONEncoder(default=str).encode


class JsonFormatter(logging.Formatter):
    """One JSON object a line: when, how severe, where from, the message, the request and trace it was
    logged in, and the record's `fields`."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service
        self._second = -1.0
        self._second_text = ""

    def _time(self, created: float) -> str:
        """`created` as `datetime.isoformat()` writes it in UTC, its seconds written once a second."""
        second, fraction = divmod(created, 1)
        microseconds = round(fraction * 1e6)
        if microseconds == 1_000_000 or not microseconds:  # rounded up to the next second, or none
            return datetime.fromtimestamp(created, UTC).isoformat()
        if second != self._second:
            self._second = second
            self._second_text = datetime.fromtimestamp(second, UTC).isoformat()[:-6]  # no "+00:00"
        return f"{self._second_text}.{microseconds:06d}+00:00"

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self._time(record.created),
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
        return _encode(entry)


class TurnBufferedHandler(logging.StreamHandler[TextIO]):
    """Writes the lines logged during a turn of the event loop together, at the end of that turn; a
    line logged outside a running loop at once, after any that wait.

    A write per line cost every request its own system call (~2 µs: the image's stdout is unbuffered,
    PYTHONUNBUFFERED=1), and under load one turn answers many requests. A line waits microseconds,
    but a process killed outright loses the lines of its last turn.
    """

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        self._waiting: list[str] = []
        self._scheduled_on: asyncio.AbstractEventLoop | None = None

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._waiting.append(self.format(record) + self.terminator)
        except Exception:
            self.handleError(record)
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop in this thread
            self._write(record)
            return
        if self._scheduled_on is not loop:  # another loop's turn, if any, may never end: this one writes
            self._scheduled_on = loop
            loop.call_soon(self._end_turn, record)

    def _end_turn(self, first: logging.LogRecord) -> None:
        with self.lock:  # type: ignore[union-attr]  # made by `Handler.__init__`
            self._scheduled_on = None
            self._write(first)

    def _write(self, record: logging.LogRecord) -> None:
        try:
            self.flush()
        except Exception:  # reported as `StreamHandler` reports a failed write, the lines dropped
            self.handleError(record)

    def flush(self) -> None:
        """Writes the lines waiting (called at the end of a turn, and by `logging.shutdown` at exit)."""
        with self.lock:  # type: ignore[union-attr]
            # Taken first, so that a failed write drops them rather than failing every turn after.
            lines, self._waiting = "".join(self._waiting), []
            if lines:
                self.stream.write(lines)
            super().flush()


def configure_logging(service: str, level: str) -> None:
    """Routes every logger, uvicorn's included, to one JSON line per record on stdout."""
    # Records never show the caller, thread or process: not looking them up saves every request a few µs.
    logging._srcfile = None  # the logging HOWTO's documented switch for not finding the caller
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    handler = TurnBufferedHandler(sys.stdout)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    for noisy in ("aio_pika", "aiormq", "alembic.runtime.plugins"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _incoming_ids(scope: Scope) -> tuple[str | None, str | None, bool]:
    """The request's `X-Request-ID` and `traceparent` headers, when it has them, and whether it has an
    `Origin` (a browser's)."""
    request_id = traceparent = None
    from_browser = False
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            incoming = value.decode("latin-1")[:128]
            request_id = incoming if incoming.strip() else None
        elif name == b"traceparent":
            traceparent = value.decode("latin-1")
        elif name == b"origin":
            from_browser = True
    return request_id, traceparent, from_browser


_VARY_BY_ORIGIN = (b"vary", b"Origin")


class ObservedRequests:
    """Gives each request an id (its `X-Request-ID`, or a new one), returns it, handles the request in the
    trace of its `traceparent` (shared/tracing.py), logs it under both and counts it in the metrics: one
    middleware, since every layer costs each request a little."""

    def __init__(self, app: ASGIApp, metrics: HttpMetrics, *, vary_by_origin: bool = False) -> None:
        self.app = app
        self.metrics = metrics
        # Whether answers to requests without `Origin` say `Vary: Origin` (the CORS middleware inside
        # says it of the others): in the same pass as the request id, rather than in a layer of its own.
        self.vary_by_origin = vary_by_origin

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        incoming_id, traceparent, from_browser = _incoming_ids(scope)
        # Not a secret, so the cheap generator will do (uuid4 asks the kernel for every id).
        request_id = incoming_id or f"{random.getrandbits(128):032x}"
        id_header = (b"x-request-id", request_id.encode("latin-1"))
        added = (id_header, _VARY_BY_ORIGIN) if self.vary_by_origin and not from_browser else (id_header,)
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), *added]
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
