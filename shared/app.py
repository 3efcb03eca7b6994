"""What every service app has: request ids, JSON logs, `/health`, `/ready`, `/metrics`."""

import asyncio
import gc
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import uvicorn
from fastapi import APIRouter, FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.types import Receive, Scope, Send

from shared.body_limit import BodyLimit
from shared.metrics import HttpMetrics
from shared.observability import ObservedRequests, configure_logging
from shared.settings import ServiceSettings
from shared.tracing import configure_tracing, shutdown_tracing

ReadinessCheck = Callable[[], Awaitable[None]]
READY_TIMEOUT_SECONDS = 3.0

probes = APIRouter(tags=["health"])
_EVERY_ROUTE_MAY_ANSWER: dict[int | str, dict[str, object]] = {
    413: {"description": "The request body is larger than the service accepts (`MAX_BODY_SIZE`)"},
    503: {"description": "A store or service this needs is unreachable; retry later"},
}
# A 422 reports at most this many errors, and echoes at most this many characters of an input or a
# key: a 64 KiB body of many small mistakes would otherwise answer with megabytes.
MAX_REPORTED_ERRORS = 20
MAX_ECHOED_CHARS = 100
MAX_MESSAGE_CHARS = 500
_NESTED_TOO_DEEPLY = {"type": "json_invalid", "loc": ("body",), "msg": "The body is JSON nested too deeply"}


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    checks: dict[str, str]


@probes.get("/health", response_model=Health)
async def read_health() -> Health:
    """Alive: the process answers."""
    return Health(status="ok")


@probes.get(
    "/ready",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "A store or the broker is down"}},
)
async def read_readiness(request: Request) -> JSONResponse:
    """Ready: every store and the broker this service needs answer. 503 names what is down."""
    checks: dict[str, ReadinessCheck] = request.app.state.readiness
    results = await asyncio.gather(
        *(asyncio.wait_for(check(), READY_TIMEOUT_SECONDS) for check in checks.values()),
        return_exceptions=True,
    )
    report = {
        name: "ok" if result is None else f"unavailable: {result!r}"
        for name, result in zip(checks, results, strict=True)
    }
    down = [name for name, state in report.items() if state != "ok"]
    body = Readiness(status="unavailable: " + ", ".join(down) if down else "ok", checks=report)
    return JSONResponse(body.model_dump(), status_code=503 if down else 200)


@probes.get("/metrics", include_in_schema=False)
async def read_metrics(request: Request) -> Response:
    """Prometheus metrics of the requests this process answered, and of its dead-letter queues."""
    metrics: HttpMetrics = request.app.state.metrics
    # A service with consumers sets `app.state.dead_letters` (its broker's `dead_letter_depths`).
    if (dead_letters := getattr(request.app.state, "dead_letters", None)) is not None:
        metrics.observe_dead_letters(await dead_letters())
    return Response(metrics.exposition(), media_type=metrics.content_type)


def _clipped(text: str, limit: int = MAX_ECHOED_CHARS) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _is_small(value: Any) -> bool:
    """Whether `value` takes at most `MAX_ECHOED_CHARS` characters of JSON."""
    if isinstance(value, list | dict) and len(value) > MAX_ECHOED_CHARS:
        return False
    try:
        return len(json.dumps(value, default=str)) <= MAX_ECHOED_CHARS
    except (RecursionError, TypeError, ValueError):  # nested too deeply to be worth showing
        return False


def _trimmed(error: dict[str, Any]) -> dict[str, Any]:
    """The error with long keys and strings in its location and input cut short, a large input left out."""
    trimmed = {
        **error,
        "loc": [_clipped(part) if isinstance(part, str) else part for part in error["loc"]],
        "msg": _clipped(error["msg"], MAX_MESSAGE_CHARS),
    }
    if "input" in error:
        if isinstance(error["input"], str):
            trimmed["input"] = _clipped(error["input"])
        elif not _is_small(error["input"]):
            del trimmed["input"]
    return trimmed


async def answer_validation_error(request: Request, exc: RequestValidationError) -> Response:
    """Answers 422 as FastAPI does, naming each field and problem, but small whatever the input.

    FastAPI echoes each error's whole input; a large one is cut short or left out here, and past
    `MAX_REPORTED_ERRORS` the rest are only counted.
    """
    errors = list(exc.errors())
    shown = [_trimmed(error) for error in errors[:MAX_REPORTED_ERRORS]]
    if len(errors) > MAX_REPORTED_ERRORS:
        hidden = len(errors) - MAX_REPORTED_ERRORS
        shown.append({"type": "too_many_errors", "loc": [], "msg": f"{hidden} more errors not shown"})
    return await request_validation_exception_handler(request, RequestValidationError(shown))


async def _answer_http_error(request: Request, exc: HTTPException) -> Response:
    """Answers as FastAPI does, except that a body that does not decode is invalid JSON (422).

    FastAPI answers broken JSON 422, but a body whose bytes are not UTF-8, or whose JSON nests deeper
    than the parser goes, 400 "There was an error parsing the body", which no route declares.
    """
    if exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError):
        error = {"type": "json_invalid", "loc": ("body",), "msg": "The body is not UTF-8 encoded JSON"}
        return await answer_validation_error(request, RequestValidationError([error]))
    if exc.status_code == 400 and isinstance(exc.__cause__, RecursionError):
        return await answer_validation_error(request, RequestValidationError([_NESTED_TOO_DEEPLY]))
    return await http_exception_handler(request, exc)


def _raised_decoding_json(error: BaseException) -> bool:
    """Whether the error was raised by Python's JSON decoder (its innermost frame is the decoder's)."""
    traceback = error.__traceback__
    while traceback is not None and traceback.tb_next is not None:
        traceback = traceback.tb_next
    return traceback is not None and traceback.tb_frame.f_globals.get("__name__") == "json.decoder"


async def _answer_recursion_error(request: Request, exc: RecursionError) -> Response:
    """Answers 422 to a body whose JSON nests deeper than the decoder goes, in a route that reads the
    body itself (FastAPI's own parsing is answered by `_answer_http_error`); any other is a bug (500)."""
    if not _raised_decoding_json(exc):
        raise exc
    return await answer_validation_error(request, RequestValidationError([_NESTED_TOO_DEEPLY]))


class BrowserOnlyCors(CORSMiddleware):
    """Starlette's CORS, skipped for requests without `Origin` (other services, scripts): those only
    need `Vary: Origin`, so that a cache never hands their answer to a browser, which `ObservedRequests`
    adds with the request id. Saves ~8 µs a request."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or any(name == b"origin" for name, _ in scope["headers"]):
            await super().__call__(scope, receive, send)
            return
        await self.app(scope, receive, send)


def create_service_app(
    *,
    title: str,
    description: str,
    settings: ServiceSettings,
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]],
    routers: list[APIRouter],
) -> FastAPI:
    """Returns a FastAPI app with the common middleware, probes and metrics.

    The service's lifespan fills `app.state.readiness` with a check per store and broker.
    """

    @asynccontextmanager
    async def startup_frozen(app: FastAPI) -> AsyncIterator[None]:
        async with lifespan(app):
            # What start-up made lives as long as the app: spare it the collector's full passes, which
            # otherwise stall every request in flight under load (~80 ms for ~150k objects).
            gc.collect()
            gc.freeze()
            try:
                yield
            finally:
                gc.unfreeze()
                shutdown_tracing()  # uvicorn ends the process by its signal, which skips exit handlers

    app = FastAPI(title=title, description=description, version="1.0.0", lifespan=startup_frozen)
    app.state.readiness = {}
    # Innermost of the three, so that a 413 is counted, logged and carries the request id and CORS.
    app.add_middleware(BodyLimit, max_size=settings.max_body_size)
    app.add_middleware(
        BrowserOnlyCors,
        allow_origins=settings.cors_origins,
        allow_origin_regex=settings.cors_origin_regex,
        allow_methods=["*"],
        allow_headers=["*"],
        expose_headers=["X-Request-ID", "ETag", "Location", "Retry-After", "Idempotent-Replayed"],
    )
    app.state.metrics = HttpMetrics()
    app.add_middleware(ObservedRequests, metrics=app.state.metrics, vary_by_origin=True)
    app.add_exception_handler(HTTPException, _answer_http_error)
    app.add_exception_handler(RequestValidationError, answer_validation_error)
    app.add_exception_handler(RecursionError, _answer_recursion_error)
    for router in routers:
        # Any route may need a store that is down (the 503 handlers answer that), and any request may
        # carry too large a body: every route says so.
        _add_routes(app, router, responses=_EVERY_ROUTE_MAY_ANSWER)
    # Last, since probes are rare. No service route shares their paths, so only the order of paths in
    # the OpenAPI document changes.
    _add_routes(app, probes)
    return app


def _add_routes(
    app: FastAPI, router: APIRouter, *, responses: dict[int | str, dict[str, object]] | None = None
) -> None:
    """Adds the router's routes to the app's own, as `app.include_router(router, responses=...)` would.

    Not included: FastAPI matches an included router's routes through a layer of its own, each route
    twice, which cost the hottest route (`GET /events/{id}`) ~12 µs of its ~80; the app's own routes
    are matched once, by their path's pattern.
    """
    for route in router.routes:
        if not isinstance(route, APIRoute):
            raise TypeError(f"Only FastAPI's own routes are added this way, not {route!r}")
        app.router.add_api_route(
            route.path,
            route.endpoint,
            response_model=route.response_model,
            status_code=route.status_code,
            tags=route.tags,
            dependencies=route.dependencies,
            summary=route.summary,
            description=route.description,
            response_description=route.response_description,
            responses={**(responses or {}), **route.responses},
            deprecated=route.deprecated,
            methods=route.methods,
            operation_id=route.operation_id,
            response_model_include=route.response_model_include,
            response_model_exclude=route.response_model_exclude,
            response_model_by_alias=route.response_model_by_alias,
            response_model_exclude_unset=route.response_model_exclude_unset,
            response_model_exclude_defaults=route.response_model_exclude_defaults,
            response_model_exclude_none=route.response_model_exclude_none,
            include_in_schema=route.include_in_schema,
            response_class=route.response_class,
            name=route.name,
            route_class_override=type(route),
            callbacks=route.callbacks,
            openapi_extra=route.openapi_extra,
            generate_unique_id_function=route.generate_unique_id_function,
            strict_content_type=route.strict_content_type,
            max_body_size=route.max_body_size,
            form_limits=route.form_limits,
        )


def serve(service: str, factory: str, settings: ServiceSettings) -> None:
    """Runs a service under uvicorn with JSON logs (the entry point of `python -m <service>`)."""
    configure_logging(service, settings.log_level)
    configure_tracing(service, settings.otlp_endpoint)
    uvicorn.run(
        factory,
        factory=True,
        host=settings.host,
        port=settings.port,
        log_config=None,
        proxy_headers=True,
        # Frames are small JSON; per-message compression would cost ~33 KB of state per socket.
        ws_per_message_deflate=False,
        # A WebSocket client's message is refused (1009) past the service's WS_MAX_INBOUND_BYTES before
        # it is buffered whole; a service without one takes none larger than a request body.
        ws_max_size=getattr(settings, "ws_max_inbound_bytes", settings.max_body_size),
        forwarded_allow_ips=settings.forwarded_allow_ips,
        access_log=False,
        timeout_graceful_shutdown=settings.shutdown_drain_seconds,
    )
