"""Request bodies over the configured size are refused with 413 before they are read, in every service.

Sent over real sockets with h11, so that a test can stop sending halfway: a service that answers
while the client still owes it most of the body has not waited to read it all.
"""

import asyncio
import json
import uuid
from collections.abc import Iterable
from urllib.parse import urlsplit

import h11
import httpx
import pytest

from shared.settings import ServiceSettings
from tests.deploy.test_compose import SERVICES
from tests.servers import serve
from user_service.main import create_app as create_user_app
from user_service.settings import UserSettings

LIMIT = 64 * 1024
ANSWER_TIMEOUT_SECONDS = 10.0


async def answer_to(
    base_url: str, path: str, headers: list[tuple[str, str]], parts: Iterable[bytes], *, end: bool = False
) -> tuple[int, dict[str, str], bytes]:
    """Sends a POST with `headers` and the body `parts`, finishing the body only if `end`; returns the
    status, headers and body of the answer, which must come within a few seconds."""
    address = urlsplit(base_url)
    reader, writer = await asyncio.open_connection(address.hostname, address.port)
    connection = h11.Connection(our_role=h11.CLIENT)
    try:
        request = h11.Request(method="POST", target=path, headers=[("Host", address.netloc), *headers])
        writer.write(connection.send(request))
        for part in parts:
            writer.write(connection.send(h11.Data(data=part)))
            await writer.drain()
        if end:
            writer.write(connection.send(h11.EndOfMessage()))
        await writer.drain()
        return await asyncio.wait_for(_read_answer(connection, reader), ANSWER_TIMEOUT_SECONDS)
    finally:
        writer.close()


async def _read_answer(
    connection: h11.Connection, reader: asyncio.StreamReader
) -> tuple[int, dict[str, str], bytes]:
    status, headers, body = 0, {}, b""
    while True:
        event = connection.next_event()
        if event is h11.NEED_DATA:
            connection.receive_data(await reader.read(65536))
        elif isinstance(event, h11.Response):
            status = event.status_code
            headers = {name.decode(): value.decode() for name, value in event.headers}
        elif isinstance(event, h11.Data):
            body += event.data
        elif isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
            return status, headers, body


def json_headers(length: int | None) -> list[tuple[str, str]]:
    size = [("Content-Length", str(length))] if length is not None else [("Transfer-Encoding", "chunked")]
    return [("Content-Type", "application/json"), *size]


def assert_refused_as_too_large(status: int, headers: dict[str, str], body: bytes) -> None:
    assert status == 413, body[:300]
    assert headers["content-type"] == "application/json"
    assert "x-request-id" in headers
    assert json.loads(body) == {"detail": f"The request body is larger than the {LIMIT} bytes accepted"}


async def test_a_body_declared_larger_than_the_limit_is_refused_before_it_is_sent(
    user_service_url: str,
) -> None:
    # 50 MB announced, 1 KB sent: the answer comes without waiting for the rest.
    answer = await answer_to(user_service_url, "/login", json_headers(50_000_000), [b"[" * 1024])

    assert_refused_as_too_large(*answer)


async def test_a_chunked_body_is_refused_as_soon_as_it_passes_the_limit(user_service_url: str) -> None:
    # No Content-Length: the service counts what arrives, and answers once past the limit, while the
    # body has not ended.
    parts = [b" " * 16 * 1024] * 4 + [b" "]

    answer = await answer_to(user_service_url, "/login", json_headers(None), parts)

    assert_refused_as_too_large(*answer)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
async def test_a_body_of_exactly_the_limit_is_read(user_service_url: str, chunked: bool) -> None:
    unknown = f"nobody_{uuid.uuid4().hex[:12]}"
    credentials = json.dumps({"username": unknown, "password": "a-long-password"}).encode()
    body = credentials + b" " * (LIMIT - len(credentials))

    status, _, answer = await answer_to(
        user_service_url, "/login", json_headers(None if chunked else LIMIT), [body], end=True
    )

    assert (status, json.loads(answer)) == (401, {"detail": "Incorrect username or password"})


@pytest.mark.parametrize("service", SERVICES)
async def test_every_service_refuses_a_body_over_the_default_limit(service: str) -> None:
    settings_class, create_app = SERVICES[service]
    settings: ServiceSettings = settings_class(_env_file=None, env="test")
    assert settings.max_body_size == LIMIT

    async with serve(create_app(settings), lifespan=False) as url:
        answer = await answer_to(url, "/anything", json_headers(LIMIT + 1), [b"{"])

    assert_refused_as_too_large(*answer)


async def test_the_limit_is_a_setting(user_settings: UserSettings) -> None:
    settings = user_settings.model_copy(update={"max_body_size": 100})
    async with serve(create_user_app(settings), lifespan=False) as url:
        async with httpx.AsyncClient(base_url=url) as client:
            response = await client.post("/login", content=b" " * 101)

    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is larger than the 100 bytes accepted"}
