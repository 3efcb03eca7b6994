"""Calls to another service over pooled connections, against real sockets: answers, reuse, and how a
failure is sorted (never sent, or sent with an unknown outcome)."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest

from booking_service.upstream import Upstream, UpstreamUnavailableError, UpstreamUncertainError
from tests.conftest import wait_for
from tests.tcp_proxy import free_port

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
JSON_ANSWER = (
    b'HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{"id": "p"}'
)


@asynccontextmanager
async def server(handler: Handler) -> AsyncIterator[tuple[str, list[int]]]:
    """Serves `handler` on a free port; yields its URL and a list that grows by one per connection."""
    connections: list[int] = []

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(len(connections))
        try:
            await handler(reader, writer)
        finally:
            writer.close()

    listening = await asyncio.start_server(accept, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{listening.sockets[0].getsockname()[1]}", connections
    finally:
        listening.close()


async def answer_each(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, answer: bytes) -> None:
    """Answers every request on the connection with `answer`, until the client closes it."""
    try:
        while True:
            head = (await reader.readuntil(b"\r\n\r\n")).lower()
            _, _, length = head.partition(b"content-length:")
            await reader.readexactly(int(length.split(b"\r\n")[0] or 0))
            writer.write(answer)
    except asyncio.IncompleteReadError:
        pass


def upstream(url: str, *, connections: int = 4, timeout: float = 5.0, idle_seconds: float = 4.0) -> Upstream:
    return Upstream(url, connections=connections, timeout=timeout, idle_seconds=idle_seconds)


async def test_answers_are_read_and_connections_kept_alive() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await answer_each(reader, writer, JSON_ANSWER)

    async with server(handler) as (url, connections), upstream(url) as payments:
        for _ in range(3):
            response = await payments.request("POST", "/payments", json_body={"amount": 2500})
            assert (response.status, response.json()) == (201, {"id": "p"})
    assert len(connections) == 1


async def test_a_chunked_answer_is_read_whole() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(
            b'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n4\r\n{"a"\r\n4\r\n: 1}\r\n0\r\n\r\n'
        )
        await writer.drain()

    async with server(handler) as (url, _), upstream(url) as events:
        assert (await events.request("GET", "/events/e1")).json() == {"a": 1}


async def test_a_connection_idle_too_long_is_not_reused() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await answer_each(reader, writer, JSON_ANSWER)

    async with server(handler) as (url, connections), upstream(url, idle_seconds=0) as payments:
        for _ in range(2):
            assert (await payments.request("GET", "/payments")).status == 201
    assert len(connections) == 2


async def test_nothing_listening_is_unavailable() -> None:
    async with upstream(f"http://127.0.0.1:{free_port()}") as payments:
        with pytest.raises(UpstreamUnavailableError):
            await payments.request("POST", "/payments", json_body={})


async def test_no_answer_in_time_is_uncertain() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()

    async with server(silent) as (url, _), upstream(url, timeout=0.3) as payments:
        with pytest.raises(UpstreamUncertainError):
            await payments.request("POST", "/payments", json_body={})


async def test_an_answer_cut_short_is_uncertain() -> None:
    async def cut(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(JSON_ANSWER[:-4])
        await writer.drain()

    async with server(cut) as (url, _), upstream(url) as payments:
        with pytest.raises(UpstreamUncertainError):
            await payments.request("POST", "/payments", json_body={})


async def test_waiting_too_long_for_a_free_connection_is_unavailable() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()

    async with server(silent) as (url, connections), upstream(url, connections=1) as payments:
        hanging = asyncio.create_task(payments.request("POST", "/payments", json_body={}, timeout=2))

        async def taken() -> bool:
            return bool(connections)

        await wait_for(taken)
        with pytest.raises(UpstreamUnavailableError):
            await payments.request("POST", "/payments", json_body={}, timeout=0.2)
        hanging.cancel()
        await asyncio.gather(hanging, return_exceptions=True)
