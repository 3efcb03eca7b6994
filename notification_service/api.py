from typing import Annotated

from fastapi import APIRouter, FastAPI, Query, status

from notification_service import service
from notification_service.schemas import (
    NotificationPage,
    NotificationPublic,
    NotificationQuery,
    ReadAllResult,
)
from shared.auth import CurrentUser
from shared.errors import add_error_table

router = APIRouter(prefix="/notifications", tags=["notifications"])

_AUTH = {
    401: {"description": "Missing, invalid or expired token"},
    403: {"description": "A service identity has no notifications"},
}
# How each domain error is answered; routes let them propagate.
_ERROR_STATUS: dict[type[Exception], int] = {
    service.NotificationNotFoundError: status.HTTP_404_NOT_FOUND,
}


@router.get("", response_model=NotificationPage, responses=_AUTH)
async def read_notifications(
    current_user: CurrentUser, query: Annotated[NotificationQuery, Query()]
) -> NotificationPage:
    """Returns the caller's notifications, newest first, with the unread count."""
    return await service.get_page(user_id=current_user.id, query=query)


@router.post("/read-all", response_model=ReadAllResult, responses=_AUTH)
async def mark_all_notifications_read(current_user: CurrentUser) -> ReadAllResult:
    """Marks every notification of the caller as read."""
    return ReadAllResult(marked_read=await service.mark_all_read(user_id=current_user.id))


@router.post(
    "/{notification_id}/read",
    response_model=NotificationPublic,
    responses={**_AUTH, 404: {"description": "The caller has no notification with this id"}},
)
async def mark_notification_read(notification_id: str, current_user: CurrentUser) -> NotificationPublic:
    """Marks one of the caller's notifications as read."""
    return await service.mark_read(user_id=current_user.id, notification_id=notification_id)


def add_error_handlers(app: FastAPI) -> None:
    """Answers the domain errors from the table."""
    add_error_table(app, _ERROR_STATUS)
