"""Fuzzing each service through its own OpenAPI document, over real HTTP, as an authenticated caller.

Every operation gets generated requests, valid (positive) and invalid (negative), and each answer
must be no 5xx, carry a status the document declares for the route, and match the documented body
and headers; an invalid request must be refused with a 4xx.

The services run on the test session's event loop, so the generated requests, which are blocking,
are sent from a worker thread while the loop keeps serving them.
"""

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.specs.openapi.schemas import OpenApiSchema

from tests.apps import is_ready as is_ready

MAX_EXAMPLES = 50
OTHER_CALLER_EXAMPLES = 10
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@dataclass(frozen=True)
class Target:
    """A running service to fuzz: where it answers, who calls it, and ids of things that exist in it.

    `known_ids` maps a path parameter or body field name to ids of stored resources; valid requests
    sometimes use one of them instead of a generated value, so handlers get past their 404s.
    """

    url: str
    headers: Mapping[str, str]
    known_ids: Mapping[str, Sequence[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class FuzzCase:
    """One operation fuzzed in one mode as one caller, with how many generated requests."""

    operation: str
    mode: GenerationMode
    caller: str
    max_examples: int


def fuzz_cases(document: dict[str, Any], *, callers: Sequence[str]) -> list[Any]:
    """Returns the `FuzzCase`s of an OpenAPI document's operations, as `parametrize` values.

    The first caller, the one the routes are meant for, sends valid and invalid requests (none
    invalid where the input has no rule to break). The other callers, another role or nobody, send
    a few valid requests to the routes that need a token, to show their refusals are declared.
    """
    main, *others = callers
    cases = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            label = f"{method.upper()} {path}"
            runs = [(GenerationMode.POSITIVE, main, MAX_EXAMPLES)]
            if _can_be_invalid(operation):
                runs.append((GenerationMode.NEGATIVE, main, MAX_EXAMPLES))
            if operation.get("security"):
                runs.extend((GenerationMode.POSITIVE, caller, OTHER_CALLER_EXAMPLES) for caller in others)
            cases.extend(
                pytest.param(FuzzCase(label, mode, caller, examples), id=f"{label} {mode.value} {caller}")
                for mode, caller, examples in runs
            )
    return cases


def _can_be_invalid(operation: dict[str, Any]) -> bool:
    """Whether a request can break the operation's rules: any path segment is a valid plain string."""
    return "requestBody" in operation or any(
        parameter["in"] != "path" or set(parameter["schema"]) - {"type", "title", "description"}
        for parameter in operation.get("parameters", [])
    )


async def load_schema(url: str) -> OpenApiSchema:
    """Returns the OpenAPI document the service at `url` serves, loaded for fuzzing."""
    async with httpx.AsyncClient(base_url=url) as client:
        response = await client.get("/openapi.json")
    response.raise_for_status()
    return schemathesis.openapi.from_dict(response.json())


def _use_known_ids(case: Case, known_ids: Mapping[str, Sequence[str]], data: st.DataObject) -> None:
    """Puts ids of stored resources into the path parameters and body fields of the same name."""
    for name, ids in known_ids.items():
        if case.path_parameters and name in case.path_parameters:
            case.path_parameters[name] = data.draw(st.sampled_from(ids), label=name)
        if isinstance(case.body, dict) and name in case.body:
            case.body[name] = data.draw(st.sampled_from(ids), label=name)


def _fuzz(schema: OpenApiSchema, case: FuzzCase, target: Target) -> None:
    method, path = case.operation.split(" ", 1)
    operation = schema[path][method]
    positive = case.mode is GenerationMode.POSITIVE

    # Not shrunk: the service keeps what earlier requests stored, so a failure is shown as it was sent.
    # Generating from the documents' schemas is slow and filters much; that is no fault of a test.
    @settings(
        max_examples=case.max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )
    @given(
        generated=operation.as_strategy(generation_mode=case.mode), data=st.data(), use_known=st.booleans()
    )
    def run(generated: Case, data: st.DataObject, use_known: bool) -> None:
        if positive and use_known:
            _use_known_ids(generated, target.known_ids, data)
        generated.call_and_validate(
            base_url=target.url, session=session, headers=dict(target.headers), checks=CHECKS
        )

    with requests.Session() as session:
        run()


async def fuzz(targets: Mapping[str, Target], case: FuzzCase) -> None:
    """Sends generated requests to one operation and validates every answer; fails on the first bad one."""
    target = targets[case.caller]
    schema = await load_schema(target.url)
    await asyncio.to_thread(_fuzz, schema, case, target)
