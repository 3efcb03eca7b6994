"""The webhook routes: organizers (and admins) register endpoints, follow and re-send their deliveries."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request, status

from notification_service import webhook_deliveries as deliveries
from notification_service import webhook_service as service
from notification_service.settings import NotificationSettings
from notification_service.webhook_schemas import (
    WebhookCreate,
    WebhookDeliveryPage,
    WebhookDeliveryPublic,
    WebhookDeliveryQuery,
    WebhookPage,
    WebhookPublic,
    WebhookSecret,
    WebhookUpdate,
)
from notification_service.webhook_urls import WebhookUrlError
from notification_service.webhook_worker import WebhookWorker
from shared.auth import Principal, require_roles
from shared.errors import add_error_table, detail_of

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


def _settings(request: Request) -> NotificationSettings:
    return request.app.state.settings


def _worker(request: Request) -> WebhookWorker:
    return request.app.state.webhook_worker


Organizer = Annotated[Principal, Depends(require_roles("organizer"))]
SettingsDep = Annotated[NotificationSettings, Depends(_settings)]
WorkerDep = Annotated[WebhookWorker, Depends(_worker)]

_AUTH = {
    401: {"description": "Missing, invalid or expired token"},
    403: {"description": "Only organizers and admins have webhooks"},
}
_OWNED = {**_AUTH, 404: {"description": "The caller has no webhook with this id"}}
_URL = {422: {"description": "The body does not fit, or the URL may not be used (and why)"}}
# How each domain error is answered; routes let them propagate.
_ERROR_STATUS: dict[type[Exception], int] = {
    service.WebhookNotFoundError: status.HTTP_404_NOT_FOUND,
    deliveries.WebhookDeliveryNotFoundError: status.HTTP_404_NOT_FOUND,
    service.EventNotYoursError: status.HTTP_404_NOT_FOUND,
    service.TooManyWebhooksError: status.HTTP_409_CONFLICT,
    deliveries.WebhookDisabledError: status.HTTP_409_CONFLICT,
    deliveries.DeliveryPendingError: status.HTTP_409_CONFLICT,
    deliveries.TooManyTestsError: status.HTTP_429_TOO_MANY_REQUESTS,
    WebhookUrlError: status.HTTP_422_UNPROCESSABLE_CONTENT,
}


@router.post(
    "",
    response_model=WebhookSecret,
    status_code=status.HTTP_201_CREATED,
    responses={
        **_AUTH,
        **_URL,
        404: {"description": "`event_id` names another organizer's event"},
        409: {"description": "The caller has as many webhooks as allowed"},
    },
)
async def create_webhook(data: WebhookCreate, principal: Organizer, settings: SettingsDep) -> WebhookSecret:
    """Registers an endpoint; the answer holds its signing secret, shown this once."""
    return await service.create_webhook(principal=principal, data=data, settings=settings)


@router.get("", response_model=WebhookPage, responses=_AUTH)
async def read_webhooks(principal: Organizer) -> WebhookPage:
    """Returns the caller's webhooks."""
    return await service.get_webhooks(principal=principal)


@router.get("/{webhook_id}", response_model=WebhookPublic, responses=_OWNED)
async def read_webhook(webhook_id: str, principal: Organizer) -> WebhookPublic:
    """Returns one of the caller's webhooks."""
    return await service.get_webhook(principal=principal, webhook_id=webhook_id)


@router.patch("/{webhook_id}", response_model=WebhookPublic, responses={**_OWNED, **_URL})
async def update_webhook(
    webhook_id: str, data: WebhookUpdate, principal: Organizer, settings: SettingsDep
) -> WebhookPublic:
    """Changes a webhook; `enabled: false` settles its pending deliveries as failed."""
    return await service.update_webhook(
        principal=principal, webhook_id=webhook_id, data=data, settings=settings
    )


@router.delete("/{webhook_id}", status_code=status.HTTP_204_NO_CONTENT, responses=_OWNED)
async def delete_webhook(webhook_id: str, principal: Organizer) -> None:
    """Deletes a webhook and its deliveries."""
    await service.delete_webhook(principal=principal, webhook_id=webhook_id)


@router.post("/{webhook_id}/rotate-secret", response_model=WebhookSecret, responses=_OWNED)
async def rotate_webhook_secret(
    webhook_id: str, principal: Organizer, settings: SettingsDep
) -> WebhookSecret:
    """Returns a new signing secret; the previous one signs beside it for 24 hours."""
    return await service.rotate_secret(principal=principal, webhook_id=webhook_id, settings=settings)


@router.post(
    "/{webhook_id}/test",
    response_model=WebhookDeliveryPublic,
    status_code=status.HTTP_202_ACCEPTED,
    responses={
        **_OWNED,
        409: {"description": "The webhook is disabled"},
        429: {"description": "Tested as often as allowed in the last 24 hours"},
    },
)
async def send_webhook_test(
    webhook_id: str, principal: Organizer, settings: SettingsDep, worker: WorkerDep
) -> WebhookDeliveryPublic:
    """Queues a `webhook.test` delivery to the endpoint."""
    delivery = await deliveries.send_test(principal=principal, webhook_id=webhook_id, settings=settings)
    worker.wake()
    return delivery


@router.get("/{webhook_id}/deliveries", response_model=WebhookDeliveryPage, responses=_OWNED)
async def read_webhook_deliveries(
    webhook_id: str, principal: Organizer, query: Annotated[WebhookDeliveryQuery, Query()]
) -> WebhookDeliveryPage:
    """Returns the webhook's deliveries of the last 30 days, newest first, each with its attempts."""
    return await deliveries.get_deliveries(principal=principal, webhook_id=webhook_id, query=query)


@router.post(
    "/{webhook_id}/deliveries/{delivery_id}/resend",
    response_model=WebhookDeliveryPublic,
    status_code=status.HTTP_202_ACCEPTED,
    responses={
        **_AUTH,
        404: {"description": "No such webhook of the caller's, or no such delivery of it"},
        409: {"description": "The webhook is disabled, or the delivery is still being attempted"},
    },
)
async def resend_webhook_delivery(
    webhook_id: str, delivery_id: str, principal: Organizer, settings: SettingsDep, worker: WorkerDep
) -> WebhookDeliveryPublic:
    """Sends a delivered or failed delivery again, with the same `webhook-id`."""
    delivery = await deliveries.resend_delivery(
        principal=principal, webhook_id=webhook_id, delivery_id=delivery_id, settings=settings
    )
    worker.wake()
    return delivery


def _answer(error: Exception) -> dict[str, Any]:
    """A refused URL names its field, for a form to show the refusal beside it."""
    body = detail_of(error)
    if isinstance(error, WebhookUrlError):
        body["field"] = "url"
    return body


def add_webhook_error_handlers(app: FastAPI) -> None:
    """Answers the webhooks' domain errors from the table."""
    add_error_table(app, _ERROR_STATUS, _answer)
