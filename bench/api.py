"""The few platform calls the scenarios make over HTTP."""

import asyncio
import json
from typing import Any, Self
from urllib.parse import urlsplit

import httpx

from bench.load import read_response
from bench.stack import Platform
from tests.accounts import Account
from tests.event_service.conftest import event_body


async def create_event(
    client: httpx.AsyncClient, platform: Platform, organizer: Account, *, capacity: int, title: str
) -> dict[str, Any]:
    """Publishes an event a month ahead (the event tests' one, in Bench Hall); returns it as answered."""
    # The bare endpoint of `bench.bare` answers an event of this shape, for a fair comparison.
    body = event_body(
        title=title, description="", venue="Bench Hall", capacity=capacity, max_tickets_per_booking=1
    )
    response = await client.post(
        f"{platform.urls['event_service']}/events", headers=organizer.headers, json=body
    )
    response.raise_for_status()
    return response.json()


async def book(
    client: httpx.AsyncClient, platform: Platform, buyer: Account, event_id: str
) -> httpx.Response:
    """Asks for one ticket; the answer is returned whatever its status."""
    return await client.post(
        f"{platform.urls['booking_service']}/bookings",
        headers=buyer.headers,
        json={"event_id": event_id, "tickets": 1},
    )


class KeepAliveConnection:
    """One keep-alive HTTP/1.1 connection on raw streams, one request at a time.

    A request costs the client a write and two reads, far less than httpx, so a scenario whose
    clients share the machine with the services leaves them the CPU (as `bench.load` does).
    """

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def __aenter__(self) -> Self:
        self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._writer is not None:
            self._writer.close()

    async def post(self, path: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, bytes]:
        """POSTs `body` as JSON; returns the status and the response body."""
        assert self._reader is not None and self._writer is not None
        payload = json.dumps(body).encode()
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        self._writer.write(
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{head}"
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n".encode()
            + payload
        )
        return await read_response(self._reader)


async def book_over(connection: KeepAliveConnection, buyer: Account, event_id: str) -> int:
    """Asks for one ticket over `connection`; returns the answer's status."""
    status, _ = await connection.post("/bookings", {"event_id": event_id, "tickets": 1}, buyer.headers)
    return status
