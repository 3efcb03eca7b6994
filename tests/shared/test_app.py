"""Bad bodies every service app answers alike, over real HTTP: 422 naming the field and the problem,
small whatever the input, and never 500.

The user service's `/login` reads its body by hand; a route whose body FastAPI parses is served by an
app made the way every service's is (`create_service_app`).
"""

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from pydantic import BaseModel, ConfigDict

from shared.app import create_service_app
from shared.settings import ServiceSettings
from tests.apps import served

MAX_ERRORS = 20
MAX_INPUT_CHARS = 100
JSON = {"Content-Type": "application/json"}
NESTED_TOO_DEEPLY = ["[" * 60_000, "[" * 5_000 + "]" * 5_000, '{"a":' * 10_000 + "1" + "}" * 10_000]
NESTING_ERROR = {"type": "json_invalid", "loc": ["body"], "msg": "The body is JSON nested too deeply"}


class ThingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str


router = APIRouter()


@router.post("/things", status_code=201)
async def create_thing(thing: ThingCreate) -> ThingCreate:
    return thing


class ThingSettings(ServiceSettings):
    port: int = 0


@asynccontextmanager
async def no_stores(app: FastAPI) -> AsyncIterator[None]:
    yield


@pytest.fixture(scope="module")
async def things() -> AsyncIterator[httpx.AsyncClient]:
    app = create_service_app(
        title="things",
        description="",
        settings=ThingSettings(_env_file=None),
        lifespan=no_stores,
        routers=[router],
    )
    async with served(app) as url, httpx.AsyncClient(base_url=url) as client:
        yield client


@pytest.fixture
async def users(user_service_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=user_service_url, timeout=30) as client:
        yield client


def credentials(**fields: Any) -> dict[str, Any]:
    return {"username": "nobody_in_particular", "password": "a-long-password", **fields}


def only_error(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 422, response.text[:300]
    assert len(response.content) < 1024
    [error] = response.json()["detail"]
    return error


@pytest.mark.parametrize("body", NESTED_TOO_DEEPLY, ids=["unclosed", "arrays", "objects"])
async def test_json_nested_too_deeply_is_422_at_login(users: httpx.AsyncClient, body: str) -> None:
    response = await users.post("/login", content=body, headers=JSON)

    assert only_error(response) == NESTING_ERROR


@pytest.mark.parametrize("body", NESTED_TOO_DEEPLY, ids=["unclosed", "arrays", "objects"])
async def test_json_nested_too_deeply_is_422_where_fastapi_parses_the_body(
    things: httpx.AsyncClient, body: str
) -> None:
    response = await things.post("/things", content=body, headers=JSON)

    assert only_error(response) == NESTING_ERROR


async def test_a_deeply_nested_value_in_a_field_is_422_without_echoing_it(users: httpx.AsyncClient) -> None:
    depth = 900  # still parses: the field's validation refuses it
    body = '{"password": "a-long-password", "username": ' + "[" * depth + "]" * depth + "}"

    response = await users.post("/login", content=body, headers=JSON)

    error = only_error(response)
    assert (error["loc"], error["type"]) == (["body", "username"], "string_type")
    assert "input" not in error


async def test_a_large_string_is_named_and_clipped_not_echoed(users: httpx.AsyncClient) -> None:
    response = await users.post("/login", json=credentials(password="x" * 60_000))

    assert only_error(response) == {
        "type": "string_too_long",
        "loc": ["body", "password"],
        "msg": "String should have at most 128 characters",
        "input": "x" * MAX_INPUT_CHARS + "…",
        "ctx": {"max_length": 128},
    }


async def test_a_small_input_is_echoed_whole(users: httpx.AsyncClient) -> None:
    response = await users.post("/login", json=credentials(username="a\x00b"))

    error = only_error(response)
    assert (error["loc"], error["type"], error["input"]) == (
        ["body", "username"],
        "string_pattern_mismatch",
        "a\x00b",
    )


async def test_errors_are_reported_up_to_a_bound_then_counted(users: httpx.AsyncClient) -> None:
    extra = {f"x{index}": index for index in range(4_000)}  # each one an error of its own, in 40 KB

    response = await users.post("/login", json=credentials(**extra))

    assert response.status_code == 422
    assert len(response.content) < 8192
    errors = response.json()["detail"]
    assert len(errors) == MAX_ERRORS + 1
    assert errors[0] == {
        "type": "extra_forbidden",
        "loc": ["body", "x0"],
        "msg": "Extra inputs are not permitted",
        "input": 0,
    }
    assert errors[-1] == {
        "type": "too_many_errors",
        "loc": [],
        "msg": f"{4_000 - MAX_ERRORS} more errors not shown",
    }


async def test_a_long_key_is_clipped_in_the_location(things: httpx.AsyncClient) -> None:
    response = await things.post("/things", json={"name": "box", "k" * 50_000: 1})

    error = only_error(response)
    assert (error["type"], error["loc"]) == ("extra_forbidden", ["body", "k" * MAX_INPUT_CHARS + "…"])


async def test_an_invalid_body_of_nearly_the_largest_size_answers_a_small_422(
    things: httpx.AsyncClient,
) -> None:
    body = json.dumps({"name": ["n" * 60] * 1000})
    assert len(body) < 64 * 1024

    response = await things.post("/things", content=body, headers=JSON)

    error = only_error(response)
    assert (error["loc"], error["type"]) == (["body", "name"], "string_type")
    assert "input" not in error


async def test_a_body_that_is_not_utf_8_is_still_422(things: httpx.AsyncClient) -> None:
    response = await things.post("/things", content=b'{"name": "\xff"}', headers=JSON)

    assert only_error(response) == {
        "type": "json_invalid",
        "loc": ["body"],
        "msg": "The body is not UTF-8 encoded JSON",
    }
