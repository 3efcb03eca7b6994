from typing import Annotated

from fastapi import Depends, WebSocket

from notification_service.live import LiveHub
from notification_service.settings import NotificationSettings
from shared.auth import TokenVerifier


def get_live_hub(websocket: WebSocket) -> LiveHub:
    return websocket.app.state.live_hub


def get_token_verifier(websocket: WebSocket) -> TokenVerifier:
    return websocket.app.state.token_verifier


def get_settings(websocket: WebSocket) -> NotificationSettings:
    return websocket.app.state.settings


LiveHubDep = Annotated[LiveHub, Depends(get_live_hub)]
TokenVerifierDep = Annotated[TokenVerifier, Depends(get_token_verifier)]
WsSettingsDep = Annotated[NotificationSettings, Depends(get_settings)]
