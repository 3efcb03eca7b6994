"""A keep-alive HTTP/1.1 GET loop on raw streams, for requests-per-second figures.

Each request costs the client a write and two reads, far less than a full HTTP client, so the server
sets the pace; and every target is measured with this same loop, so their ratio is fair.
"""

import asyncio
import re
import time
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class LoadResult:
    statuses: Counter[int]
    seconds: float
    client_cpu_seconds: float

    @property
    def ok_per_second(self) -> float:
        return self.statuses[200] / self.seconds

    @property
    def errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status != 200)

    @property
    def client_cpu_share(self) -> float:
        """The share of one core the client used while it ran: near 1.0 means it may be the bottleneck."""
        return self.client_cpu_seconds / self.seconds


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """Reads one HTTP/1.1 response (its length given by Content-Length); returns its status and body."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = _CONTENT_LENGTH.search(head)
    if length is None:
        raise ValueError(f"A response without Content-Length: {head[:200]!r}")
    return int(head[9:12]), await reader.readexactly(int(length[1]))


async def _connection_loop(
    host: str, port: int, request: bytes, until: float, statuses: Counter[int]
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < until:
            writer.write(request)
            status, _ = await read_response(reader)
            statuses[status] += 1
    finally:
        writer.close()


async def hammer(url: str, *, connections: int, seconds: float) -> LoadResult:
    """GETs `url` over `connections` keep-alive connections for `seconds`; counts answers by status."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    target = f"{parts.path}?{parts.query}" if parts.query else parts.path
    request = f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: application/json\r\n\r\n".encode()
    statuses: Counter[int] = Counter()
    cpu, began = time.process_time(), time.perf_counter()
    until = began + seconds
    await asyncio.gather(
        *(_connection_loop(host, port, request, until, statuses) for _ in range(connections))
    )
    elapsed = time.perf_counter() - began
    return LoadResult(statuses=statuses, seconds=elapsed, client_cpu_seconds=time.process_time() - cpu)
