"""`GET /ws`: a user's notifications live, resuming from history with `?since=<last id>`."""

from fastapi import APIRouter, WebSocket

from notification_service import service
from notification_service.deps import LiveHubDep, TokenVerifierDep, WsSettingsDep
from notification_service.ids import is_notification_id
from notification_service.live import (
    SERVICE_RESTART,
    TOO_MANY_SOCKETS,
    TRY_AGAIN_LATER,
    UNAUTHORIZED,
    LiveSocket,
)
from shared.auth import InvalidTokenError, KeysUnavailableError, Principal, TokenVerifier

router = APIRouter(tags=["live"])

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


@router.websocket("/ws")
async def stream_notifications(
    websocket: WebSocket,
    hub: LiveHubDep,
    verifier: TokenVerifierDep,
    settings: WsSettingsDep,
    token: str | None = None,
    since: str | None = None,
) -> None:
    """Streams the caller's notifications as JSON frames; `since` first replays what came after it
    (and what another replica stored late, from `WS_REPLAY_WINDOW_SECONDS` before it), or, when that
    is more than `WS_REPLAY_LIMIT`, sends one `replay_truncated` frame instead.

    The socket is closed with 4401 when the token it was opened with expires: reconnect with a new
    token and `since` set to the last id received. A user's socket past `WS_SOCKETS_PER_USER` is
    closed with 4429, and a client message over `WS_MAX_INBOUND_BYTES` closes its socket with 1009.
    A replica that is shutting down, or lost live frames to a broker cut, closes with 1012: reconnect
    with `since`.
    """
    principal = await _verify(websocket, verifier, token)
    if principal is None:
        return
    if since is not None and not is_notification_id(since):
        await _refuse(websocket, INVALID_INPUT, "since: not a notification id")
        return
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
        websocket,
        user_id=principal.id,
        queue_size=settings.ws_queue_size,
        max_inbound_bytes=settings.ws_max_inbound_bytes,
        history=history,
    )
    if hub.draining:  # checked right before it would be added: a drain closes only what it holds
        await _refuse(websocket, SERVICE_RESTART, "Shutting down; reconnect")
        return
    # Registered before history is read and before the client is told it is connected, so that
    # nothing stored meanwhile falls between replay and live; the socket drops the overlap by id.
    if not hub.add(socket, limit=settings.ws_sockets_per_user):
        limit = settings.ws_sockets_per_user
        await _refuse(
            websocket, TOO_MANY_SOCKETS, f"Too many open sockets: at most {limit} per user; close one first"
        )
        return
    try:
        await websocket.accept()
        await socket.serve(
            close_timeout=settings.ws_close_timeout_seconds, token_expires_at=principal.expires_at
        )
    finally:
        hub.discard(socket)
