"""What the webhook tests share: a real receiver (an HTTP server on a free port that keeps every request
it gets and answers each endpoint as the test tells it to), the webhook routes' calls, and verifying."""

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import FastAPI, Request, Response
from standardwebhooks import Webhook as Verifier

from tests.accounts import Account
from tests.apps import wait_for
from tests.servers import serve

# Answers the n-th request (from 1) to an endpoint, given its parsed body, with a status code.
Answer = Callable[[int, dict[str, Any]], int]


@dataclass(frozen=True)
class Received:
    endpoint: str
    headers: dict[str, str]
    body: bytes
    status: int  # what the receiver answered

    @property
    def envelope(self) -> dict[str, Any]:
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str
    requests: list[Received] = field(default_factory=list)
    answers: dict[str, Answer] = field(default_factory=dict)
    # An endpoint listed here takes requests but answers none until its event is set: a hung endpoint.
    holds: dict[str, asyncio.Event] = field(default_factory=dict)
    waiting: dict[str, int] = field(default_factory=dict)  # requests held unanswered, by endpoint
    texts: dict[str, str] = field(default_factory=dict)  # answer bodies, instead of "answer <n>"

    def endpoint(self, name: str, answer: Answer | None = None, text: str | None = None) -> str:
        """The URL of a new endpoint; `answer` chooses its status codes (200 by default), `text` the body
        of its answers."""
        if answer is not None:
            self.answers[name] = answer
        if text is not None:
            self.texts[name] = text
        return f"{self.url}/hooks/{name}"

    def to(self, name: str) -> list[Received]:
        return [each for each in self.requests if each.endpoint == name]

    async def wait_for_requests(self, name: str, count: int, timeout: float = 15.0) -> list[Received]:
        """Returns the endpoint's requests once it has at least `count` of them."""

        async def arrived() -> list[Received] | None:
            received = self.to(name)
            return received if len(received) >= count else None

        return await wait_for(arrived, timeout=timeout)


def fails_first(times: int, status: int = 500) -> Answer:
    """Answers `status` to the first `times` requests, then 200."""
    return lambda count, _: status if count <= times else 200


@asynccontextmanager
async def receiver() -> AsyncIterator[Receiver]:
    """Serves a receiver over real HTTP on a free port."""
    app = FastAPI()
    state = Receiver(url="")

    @app.post("/hooks/{name}")
    async def receive(name: str, request: Request) -> Response:
        body = await request.body()
        if (hold := state.holds.get(name)) is not None:
            state.waiting[name] = state.waiting.get(name, 0) + 1
            await hold.wait()
            state.waiting[name] -= 1
        count = len(state.to(name)) + 1
        status = state.answers.get(name, lambda *_: 200)(count, json.loads(body))
        state.requests.append(Received(name, dict(request.headers), body, status))
        # A redirect sends the request on to the endpoint `<name>-moved`, where a sender must not go.
        moved = {"Location": f"/hooks/{name}-moved"} if 300 <= status < 400 else None
        return Response(state.texts.get(name, f"answer {count}"), status_code=status, headers=moved)

    async with serve(app, lifespan=False) as url:
        state.url = url
        yield state


# Retries a few tenths of a second apart instead of the production schedule's 5 s, 30 s, 2 min...
FAST_RETRIES = {"webhook_retry_delays_seconds": [0.3], "webhook_poll_seconds": 0.1}


async def create_hook(
    client: httpx.AsyncClient, account: Account, url: str, event_types: list[str] | None = None, **fields: Any
) -> dict[str, Any]:
    response = await client.post(
        "/webhooks",
        json={"url": url, "event_types": event_types or ["booking.*"], **fields},
        headers=account.headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


async def read_hook(client: httpx.AsyncClient, account: Account, hook_id: str) -> dict[str, Any]:
    response = await client.get(f"/webhooks/{hook_id}", headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def deliveries(
    client: httpx.AsyncClient, account: Account, hook_id: str, **params: Any
) -> dict[str, Any]:
    response = await client.get(f"/webhooks/{hook_id}/deliveries", params=params, headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def wait_for_deliveries(
    client: httpx.AsyncClient, account: Account, hook_id: str, count: int, **params: Any
) -> dict[str, Any]:
    """Returns the first page of deliveries (`params` filter it) once it lists at least `count`."""

    async def listed() -> dict[str, Any] | None:
        page = await deliveries(client, account, hook_id, **params)
        # Its items, not its total: the two are read one after the other, so a delivery that settles
        # in between is counted but not listed.
        return page if len(page["items"]) >= count else None

    return await wait_for(listed)


def verify(secret: str, request_headers: dict[str, str], body: bytes) -> dict[str, Any]:
    """What a receiver does: the library checks the signature and the timestamp's age."""
    return Verifier(secret).verify(body, request_headers)
