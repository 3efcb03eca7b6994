"""A webhook's deliveries: listed with their attempts, re-sent, and a test one queued on request."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from beanie.operators import Set

from notification_service.notifier import SOURCE
from notification_service.settings import NotificationSettings
from notification_service.webhook_fanout import new_delivery
from notification_service.webhook_models import WebhookDelivery
from notification_service.webhook_schemas import (
    AttemptPublic,
    WebhookDeliveryPage,
    WebhookDeliveryPublic,
    WebhookDeliveryQuery,
)
from notification_service.webhook_service import owned_webhook
from shared.auth import Principal
from shared.messaging import Envelope
from shared.observability import current_request_id
from shared.tracing import current_traceparent

TEST_TYPE = "webhook.test"


class WebhookDeliveryNotFoundError(LookupError):
    def __init__(self) -> None:
        super().__init__("This webhook has no delivery with this id")


class WebhookDisabledError(Exception):
    def __init__(self) -> None:
        super().__init__('The webhook is disabled; enable it with PATCH {"enabled": true} first')


class TooManyTestsError(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"This webhook was tested {limit} times in the last 24 hours, the most allowed")


class DeliveryPendingError(Exception):
    def __init__(self) -> None:
        super().__init__("The delivery is still being attempted")


async def send_test(
    *, principal: Principal, webhook_id: str, settings: NotificationSettings
) -> WebhookDeliveryPublic:
    """Queues a `webhook.test` delivery to the endpoint; returns it, to be followed in its deliveries."""
    webhook = await owned_webhook(principal=principal, webhook_id=webhook_id)
    if not webhook.enabled:
        raise WebhookDisabledError()
    now = datetime.now(UTC)
    recent = {"webhook_id": webhook.id, "type": TEST_TYPE, "created_at": {"$gt": now - timedelta(days=1)}}
    if await WebhookDelivery.find(recent).count() >= settings.webhook_tests_per_day:
        raise TooManyTestsError(settings.webhook_tests_per_day)
    message_id = str(uuid.uuid4())
    test = Envelope(
        id=message_id,
        source=SOURCE,
        type=TEST_TYPE,
        time=now,
        correlationid=current_request_id(),
        traceparent=current_traceparent(),
        data={"webhook_id": webhook.id, "message": "A test delivery, sent on request"},
    )
    body = test.model_dump_json()
    delivery = new_delivery(
        webhook_id=webhook.id,
        message_id=message_id,
        message_type=TEST_TYPE,
        lane=None,
        body=body,
        now=now,
        settings=settings,
    )
    await delivery.insert()
    return _delivery_public(delivery)


def _delivery_public(delivery: WebhookDelivery) -> WebhookDeliveryPublic:
    return WebhookDeliveryPublic(
        id=delivery.id,
        message_id=delivery.message_id,
        type=delivery.type,
        state=delivery.state,
        next_attempt_at=delivery.next_attempt_at if delivery.state == "pending" else None,
        created_at=delivery.created_at,
        attempts=[AttemptPublic.model_validate(each.model_dump()) for each in delivery.attempts],
    )


async def get_deliveries(
    *, principal: Principal, webhook_id: str, query: WebhookDeliveryQuery
) -> WebhookDeliveryPage:
    """Returns the webhook's deliveries, newest first, with each attempt."""
    webhook = await owned_webhook(principal=principal, webhook_id=webhook_id)
    conditions: dict[str, Any] = {"webhook_id": webhook.id}
    if query.status is not None:
        conditions["state"] = query.status
    found = (
        await WebhookDelivery.find(conditions)
        .sort([("sequence", -1)])
        .skip(query.offset)
        .limit(query.limit)
        .to_list()
    )
    total = await WebhookDelivery.find(conditions).count()
    return WebhookDeliveryPage(
        items=[_delivery_public(each) for each in found], total=total, limit=query.limit, offset=query.offset
    )


async def resend_delivery(
    *, principal: Principal, webhook_id: str, delivery_id: str, settings: NotificationSettings
) -> WebhookDeliveryPublic:
    """Sends a settled delivery again, with the same `webhook-id`, as a new series of attempts."""
    webhook = await owned_webhook(principal=principal, webhook_id=webhook_id)
    if not webhook.enabled:
        raise WebhookDisabledError()
    delivery = await WebhookDelivery.get(delivery_id)
    if delivery is None or delivery.webhook_id != webhook.id:
        raise WebhookDeliveryNotFoundError()
    now = datetime.now(UTC)
    resent = await WebhookDelivery.find_one({"_id": delivery.id, "state": {"$ne": "pending"}}).update(
        Set(
            {
                "state": "pending",
                "next_attempt_at": now,
                "series_started_at": now,
                "attempt_count": 0,
                "expires_at": now + timedelta(days=settings.webhook_delivery_retention_days),
            }
        )
    )
    if resent is None or resent.modified_count == 0:
        raise DeliveryPendingError()
    refreshed = await WebhookDelivery.get(delivery.id)
    assert refreshed is not None
    return _delivery_public(refreshed)
