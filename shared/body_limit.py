"""Request bodies over a size are refused with 413 before they are read whole."""

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLargeError(HTTPException):
    """The request body is over the limit: the app's HTTP error handler answers it 413.

    An `HTTPException`, so that FastAPI's body parsing lets it through rather than answering 400.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body is larger than the {limit} bytes accepted")


def _announced_size(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:  # the server refuses such a request before it gets here
                return None
    return None


class BodyLimit:
    """Answers 413 to a request whose body is over `max_size` bytes, without reading it all.

    A body announced larger (`Content-Length`) is refused before the app runs. Any other is counted
    as the app reads it (a chunked one has no length to announce), and the read that passes the
    limit raises `BodyTooLargeError` instead of handing over more: the rest is never buffered.
    """

    def __init__(self, app: ASGIApp, max_size: int) -> None:
        self.app = app
        self.max_size = max_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        announced = _announced_size(scope)
        if announced is not None and announced > self.max_size:
            error = BodyTooLargeError(self.max_size)
            response = JSONResponse({"detail": error.detail}, status_code=error.status_code)
            await response(scope, receive, send)
            return

        # Counted even under a Content-Length: a server may frame the body by Transfer-Encoding instead.
        received = 0

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_size:
                    raise BodyTooLargeError(self.max_size)
            return message

        await self.app(scope, receive_within_limit, send)
