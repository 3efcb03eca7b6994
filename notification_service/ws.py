"""`GET /ws`: a user's notifications live, resuming from history with `?since=<last id>`.

A socket stays open for hours, and every layer its handshake passed through stays suspended for as
long: FastAPI's routing and dependency machinery and each middleware kept ~16 KB a socket, over a
third of what a replica spent on each. So `/ws` is a plain ASGI endpoint served in front of the app's
middleware (`serve_live_first`) that reads what it needs from `app.state`; only its handshake passes
through `ObservedRequests` (request id, access log, metrics), and the socket keeps nothing of the
handshake (token, headers, query) once accepted.
"""

from urllib.parse import parse_qsl

from fastapi import FastAPI
from starlette.routing import WebSocketRoute, get_route_path
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket
from websockets.http11 import Request

from notification_service import service
from notification_service.ids import is_notification_id
from notification_service.live import (
    SERVICE_RESTART,
    TOO_MANY_SOCKETS,
    TRY_AGAIN_LATER,
    UNAUTHORIZED,
    LiveHub,
    LiveSocket,
)
from notification_service.settings import NotificationSettings
from shared.auth import InvalidTokenError, KeysUnavailableError, Principal, TokenVerifier
from shared.metrics import HttpMetrics
from shared.observability import ObservedRequests, current_request_id, request_id_var

PATH = "/ws"
# Where the handshake leaves the socket it accepted, with its token's expiry and its request id.
OPENED = "notification_service.opened_socket"
FORBIDDEN = 4403
INVALID_INPUT = 4422


async def _refuse(websocket: WebSocket, code: int, reason: str) -> None:
    # Accepted first so that the client reads the close code, not a bare HTTP 403 handshake refusal.
    await websocket.accept()
    await websocket.close(code, reason)


async def _verify(websocket: WebSocket, verifier: TokenVerifier, token: str | None) -> Principal | None:
    """Returns the user the token names, or None after closing the socket with the reason."""
    try:
        principal = await verifier.verify(token or "")
    except InvalidTokenError:
        await _refuse(websocket, UNAUTHORIZED, "Missing, invalid or expired token")
        return None
    except KeysUnavailableError:
        await _refuse(websocket, TRY_AGAIN_LATER, "Cannot reach the user service to verify the token")
        return None
    if principal.is_service:
        await _refuse(websocket, FORBIDDEN, "A service identity has no notifications")
        return None
    return principal


def _take_query(scope: Scope) -> dict[str, str]:
    """The handshake's query parameters (the last of a repeated one), taken out of the scope: the
    server would log the token on accepting the socket."""
    query = dict(parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True))
    scope["query_string"] = b""
    return query


def _forget_handshake(receive: Receive) -> None:
    """Empties the handshake request that uvicorn's websockets protocol keeps (and so does the parser
    that read it) as long as the socket, with its response: ~3 KB a socket, the token among them, that
    nothing reads once the socket is accepted. Another server's connection is left as it is."""
    connection = getattr(receive, "__self__", None)
    request = getattr(connection, "request", None)
    if isinstance(request, Request):
        request.headers.clear()
        request.path = ""
        connection.request = connection.response = None  # type: ignore[union-attr]


async def _open(
    scope: Scope, receive: Receive, send: Send, hub: LiveHub, settings: NotificationSettings
) -> tuple[LiveSocket, float] | None:
    """Returns the caller's socket, added to the hub, and when its token expires; or None after
    refusing it. What the handshake carried (token, claims, query) is left behind here."""
    query = _take_query(scope)
    websocket = WebSocket(scope, receive, send)
    principal = await _verify(websocket, scope["app"].state.token_verifier, query.get("token"))
    if principal is None:
        return None
    since = query.get("since")
    if since is not None and not is_notification_id(since):
        await _refuse(websocket, INVALID_INPUT, "since: not a notification id")
        return None
    history = (
        service.history_since(
            user_id=principal.id,
            since=since,
            limit=settings.ws_replay_limit,
            window_seconds=settings.ws_replay_window_seconds,
        )
        if since is not None
        else None
    )
    socket = LiveSocket(
        user_id=principal.id,
        queue_size=settings.ws_queue_size,
        max_inbound_bytes=settings.ws_max_inbound_bytes,
        history=history,
    )
    if hub.draining:  # checked right before it would be added: a drain closes only what it holds
        await _refuse(websocket, SERVICE_RESTART, "Shutting down; reconnect")
        return None
    # Registered before history is read and before the client is told it is connected, so that
    # nothing stored meanwhile falls between replay and live; the socket drops the overlap by id.
    if not hub.add(socket, limit=settings.ws_sockets_per_user):
        limit = settings.ws_sockets_per_user
        await _refuse(
            websocket, TOO_MANY_SOCKETS, f"Too many open sockets: at most {limit} per user; close one first"
        )
        return None
    try:
        await websocket.accept()
    except BaseException:
        hub.discard(socket)
        raise
    _forget_handshake(receive)
    return socket, principal.expires_at


async def open_socket(scope: Scope, receive: Receive, send: Send) -> None:
    """The handshake of `/ws`, as the ASGI app that `ObservedRequests` observes: verifies the caller,
    accepts the socket and leaves it in the scope for `LiveRoute` to serve.

    The socket streams the caller's notifications as JSON frames; `since` first replays what came
    after it (and what another replica stored late, from `WS_REPLAY_WINDOW_SECONDS` before it), or,
    when that is more than `WS_REPLAY_LIMIT`, sends one `replay_truncated` frame instead. It is closed
    with 4401 when the token it was opened with expires: reconnect with a new token and `since` set to
    the last id received. A user's socket past `WS_SOCKETS_PER_USER` is closed with 4429, and a
    client message over `WS_MAX_INBOUND_BYTES` closes its socket with 1009. A replica that is shutting
    down, or lost live frames to a broker cut, closes with 1012: reconnect with `since`.
    """
    state = scope["app"].state
    opened = await _open(scope, receive, send, state.live_hub, state.settings)
    if opened is not None:
        scope[OPENED] = (*opened, current_request_id())


class LiveRoute:
    """Serves `/ws` WebSockets itself and hands anything else to `app`.

    The handshake is observed as every request is (request id, access log, metrics); the socket is
    served after it, outside the observing middleware, which would otherwise stay suspended (~1 KB)
    for as long as the socket is open.
    """

    def __init__(self, app: ASGIApp, metrics: HttpMetrics) -> None:
        self.app = app
        self.handshake = ObservedRequests(open_socket, metrics=metrics)
        # What a router puts in the scope: the metrics and the access log name the route by its path.
        self.route = WebSocketRoute(PATH, open_socket)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket" or get_route_path(scope) != PATH:
            await self.app(scope, receive, send)
            return
        scope["route"] = self.route
        await self.handshake(scope, receive, send)
        if OPENED not in scope:
            return  # refused
        socket, token_expires_at, request_id = scope.pop(OPENED)
        state = scope["app"].state
        # The server keeps the scope as long as the socket, and reads it during the handshake only.
        scope.clear()
        # Served here rather than in a function of its own: one suspended frame less a socket.
        token = request_id_var.set(request_id)  # what it logs carries its handshake's request id
        try:
            await socket.serve(
                receive,
                send,
                close_timeout=state.settings.ws_close_timeout_seconds,
                token_expires_at=token_expires_at,
                expiries=state.live_hub.expiries,
            )
        finally:
            state.live_hub.discard(socket)
            request_id_var.reset(token)


def serve_live_first(app: FastAPI) -> None:
    """Puts `/ws` in front of the app's middleware stack (built at the first request or lifespan)."""
    build_stack = app.build_middleware_stack

    def build_with_live_route() -> ASGIApp:
        return LiveRoute(build_stack(), app.state.metrics)

    app.build_middleware_stack = build_with_live_route  # type: ignore[method-assign]
