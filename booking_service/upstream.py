"""Calls to the other services over pooled keep-alive HTTP/1.1 connections on raw streams.

httpx cost a payment call ~0.6 ms of CPU and a dozen event-loop turns, the largest part of a
booking's cost under load. Here a call is one write and a read or two, and httptools, the parser
uvicorn uses, reads the answer. A failure is sorted by whether the request may have arrived.

It stays while aiohttp (3.14.5, with its C parser) costs more than 1.25 times its CPU per call.
Measured on 2026-12-01 with `python -m bench clients`: 5,000 calls, half event reads and half
charges, 16 at a time over 8 connections per service, to the real event and payment services, both
clients in the same run, best of 3 alternating rounds, the calling process's CPU time. In two runs
this client took 75.9 and 71.6 µs per call, aiohttp 146.1 and 129.4 µs: 1.92 and 1.81 times as much
(a charge ~97 µs against ~190 µs, an event read ~53 µs against ~95 µs). In two full `make bench` runs
on a quiet machine: 60.8 against 113.2 µs (1.86x), and 56.1 against 109.7 µs (1.96x).
"""

import asyncio
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import httptools

from shared.lifecycle import Running
from shared.tracing import current_traceparent

READ_CHUNK_BYTES = 65_536


class UpstreamUnavailableError(Exception):
    """A service could not be reached, so nothing happened there."""


class UpstreamUncertainError(Exception):
    """A call timed out or failed mid-way: it may or may not have taken effect."""


class UpstreamRejectedError(Exception):
    """The service refused the request (4xx): nothing happened there, and repeating it will not help."""


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")

    @property
    def is_client_error(self) -> bool:
        return 400 <= self.status < 500

    def json(self) -> Any:
        return json.loads(self.body)


class _Answer:
    """Collects one response as httptools parses it."""

    def __init__(self) -> None:
        self.body = bytearray()
        self.complete = False
        self.closes_connection = False

    def on_header(self, name: bytes, value: bytes) -> None:
        if name.lower() == b"connection" and b"close" in value.lower():
            self.closes_connection = True

    def on_body(self, body: bytes) -> None:
        self.body += body

    def on_message_complete(self) -> None:
        self.complete = True


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.idle_since = time.monotonic()

    def reusable(self, idle_seconds: float) -> bool:
        """Whether the server has not closed it, nor is about to for having waited too long."""
        fresh = time.monotonic() - self.idle_since < idle_seconds
        return fresh and not self.reader.at_eof() and not self.writer.is_closing()

    async def exchange(self, request: bytes) -> tuple[Response, bool]:
        """Sends `request`; returns the response and whether the connection may carry another."""
        self.writer.write(request)
        answer = _Answer()
        parser = httptools.HttpResponseParser(answer)
        while not answer.complete:
            data = await self.reader.read(READ_CHUNK_BYTES)
            if not data:  # answers are framed (Content-Length or chunked), so this cut one short
                raise ConnectionResetError("The connection closed before the response ended")
            parser.feed_data(data)
        keep_alive = parser.get_http_version() == "1.1" and not answer.closes_connection
        return Response(parser.get_status_code(), bytes(answer.body)), keep_alive

    def close(self) -> None:
        self.writer.close()


class Upstream(Running):
    """A service at `base_url`, reached over at most `connections` keep-alive connections.

    A call waiting for a free connection, or for one to open, past `timeout` was never sent
    (`UpstreamUnavailableError`); one that fails or times out once sent may have arrived
    (`UpstreamUncertainError`).
    """

    def __init__(self, base_url: str, *, connections: int, timeout: float, idle_seconds: float) -> None:
        parts = urlsplit(base_url)
        self.base_url = base_url
        self._host = parts.hostname or "127.0.0.1"
        self._port = parts.port or (443 if parts.scheme == "https" else 80)
        self._tls = parts.scheme == "https"
        self._authority = parts.netloc
        self._prefix = parts.path.rstrip("/")
        self._timeout = timeout
        self._idle_seconds = idle_seconds
        self._free = asyncio.Semaphore(connections)
        self._idle: list[_Connection] = []
        self._closed = False

    async def start(self) -> None:
        pass  # connections open on the first calls

    async def close(self) -> None:
        self._closed = True
        while self._idle:
            self._idle.pop().close()

    async def request(
        self,
        method: str,
        path: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        form: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> Response:
        """Sends one request and returns the answer, whatever its status."""
        request = self._encode(method, path, headers or {}, params, json_body, form)
        deadline = asyncio.get_running_loop().time() + (self._timeout if timeout is None else timeout)
        try:
            async with asyncio.timeout_at(deadline):
                await self._free.acquire()
        except TimeoutError as exc:
            raise UpstreamUnavailableError(f"No connection to {self.base_url} came free in time") from exc
        try:
            connection = await self._connection(deadline)
            try:
                async with asyncio.timeout_at(deadline):
                    response, keep_alive = await connection.exchange(request)
            except (OSError, TimeoutError, httptools.HttpParserError) as exc:
                connection.close()
                raise UpstreamUncertainError(f"{method} {self.base_url}{path}: {exc!r}") from exc
            except BaseException:  # cancelled mid-exchange: the connection is in an unknown state
                connection.close()
                raise
            if keep_alive and not self._closed:
                connection.idle_since = time.monotonic()
                self._idle.append(connection)
            else:
                connection.close()
            return response
        finally:
            self._free.release()

    async def _connection(self, deadline: float) -> _Connection:
        """Returns the most recently used connection still open, or a new one."""
        while self._idle:
            connection = self._idle.pop()
            if connection.reusable(self._idle_seconds):
                return connection
            connection.close()
        try:
            async with asyncio.timeout_at(deadline):
                reader, writer = await asyncio.open_connection(self._host, self._port, ssl=self._tls or None)
        except (OSError, TimeoutError) as exc:
            raise UpstreamUnavailableError(f"Cannot connect to {self.base_url}: {exc!r}") from exc
        return _Connection(reader, writer)

    def _encode(
        self,
        method: str,
        path: str,
        headers: Mapping[str, str],
        params: Mapping[str, Any] | None,
        json_body: Any,
        form: Mapping[str, str] | None,
    ) -> bytes:
        target = f"{self._prefix}{path}" + (f"?{urlencode(params)}" if params else "")
        lines = [f"{method} {target} HTTP/1.1", f"Host: {self._authority}"]
        body = b""
        if json_body is not None:
            body = json.dumps(json_body).encode()
            lines.append("Content-Type: application/json")
        elif form is not None:
            body = urlencode(form).encode()
            lines.append("Content-Type: application/x-www-form-urlencoded")
        if body or method in ("POST", "PUT", "PATCH"):
            lines.append(f"Content-Length: {len(body)}")
        for name, value in headers.items():
            if "\r" in value or "\n" in value:
                raise ValueError(f"The {name} header holds a line break")
            lines.append(f"{name}: {value}")
        # The trace this call is part of: one header line, formatted from the current span's ids.
        if (traceparent := current_traceparent()) is not None:
            lines.append(f"traceparent: {traceparent}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
