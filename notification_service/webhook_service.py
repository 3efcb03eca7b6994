"""Organizers' webhook endpoints: registered, listed, changed, re-keyed and deleted."""

import base64
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from beanie.operators import Set

from notification_service.settings import NotificationSettings
from notification_service.webhook_models import EventOwner, SigningSecret, Webhook, WebhookDelivery
from notification_service.webhook_schemas import (
    WebhookCreate,
    WebhookPage,
    WebhookPublic,
    WebhookSecret,
    WebhookUpdate,
)
from notification_service.webhook_urls import resolve_target
from shared.auth import Principal


class WebhookNotFoundError(LookupError):
    def __init__(self) -> None:
        super().__init__("You have no webhook with this id")


class EventNotYoursError(LookupError):
    def __init__(self, event_id: str) -> None:
        super().__init__(f"You organize no event {event_id}")


class TooManyWebhooksError(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"You have {limit} webhooks, the most allowed; delete one first")


def _new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def _public(webhook: Webhook) -> WebhookPublic:
    return WebhookPublic.model_validate(webhook.model_dump())


def _with_secret(webhook: Webhook) -> WebhookSecret:
    return WebhookSecret(**_public(webhook).model_dump(), secret=webhook.secrets[0].secret)


async def owned_webhook(*, principal: Principal, webhook_id: str) -> Webhook:
    """Returns the caller's webhook (any one, for an admin); the same 404 whether it exists or not."""
    webhook = await Webhook.get(webhook_id)
    if webhook is None or (webhook.owner_id != principal.id and not principal.is_admin):
        raise WebhookNotFoundError()
    return webhook


async def _check_event(*, principal: Principal, event_id: str) -> None:
    """Refuses an event known to be another organizer's. One not heard of yet is allowed: its facts
    reach the endpoint only if they turn out to be the caller's (see `webhook_fanout`)."""
    known = await EventOwner.get(event_id)
    if known is not None and known.owner_id != principal.id and not principal.is_admin:
        raise EventNotYoursError(event_id)


async def create_webhook(
    *, principal: Principal, data: WebhookCreate, settings: NotificationSettings
) -> WebhookSecret:
    """Returns the new webhook with its signing secret, the one time it is shown."""
    await resolve_target(data.url, public_only=settings.webhook_public_urls_only)
    if data.event_id is not None:
        await _check_event(principal=principal, event_id=data.event_id)
    # Counted, then inserted: two requests at once may pass one over the limit, which bounds nothing less.
    if await Webhook.find(Webhook.owner_id == principal.id).count() >= settings.webhooks_per_owner:
        raise TooManyWebhooksError(settings.webhooks_per_owner)
    now = datetime.now(UTC)
    webhook = Webhook(
        id=uuid.uuid4().hex,
        owner_id=principal.id,
        all_owners=principal.is_admin,
        url=data.url,
        event_types=data.event_types,
        event_id=data.event_id,
        description=data.description,
        secrets=[SigningSecret(secret=_new_secret())],
        created_at=now,
        updated_at=now,
    )
    await webhook.insert()
    return _with_secret(webhook)


async def get_webhooks(*, principal: Principal) -> WebhookPage:
    """Returns the caller's webhooks, oldest first (at most `webhooks_per_owner`)."""
    found = await Webhook.find(Webhook.owner_id == principal.id).sort("created_at").to_list()
    return WebhookPage(items=[_public(each) for each in found], total=len(found))


async def get_webhook(*, principal: Principal, webhook_id: str) -> WebhookPublic:
    """Returns one of the caller's webhooks."""
    return _public(await owned_webhook(principal=principal, webhook_id=webhook_id))


async def update_webhook(
    *, principal: Principal, webhook_id: str, data: WebhookUpdate, settings: NotificationSettings
) -> WebhookPublic:
    """Returns the webhook with the given fields changed; enabling it starts its failure count afresh."""
    webhook = await owned_webhook(principal=principal, webhook_id=webhook_id)
    changes: dict[str, Any] = data.model_dump(exclude_unset=True, exclude_none=True)
    if "url" in changes:
        await resolve_target(changes["url"], public_only=settings.webhook_public_urls_only)
    if "enabled" in changes:
        changes["disabled_reason"] = None if changes["enabled"] else "by_owner"
        changes["failing_since"] = None
    changes["updated_at"] = datetime.now(UTC)
    await webhook.update(Set(changes))
    if changes.get("enabled") is False:
        await fail_pending(webhook_id=webhook.id)
    return _public(await owned_webhook(principal=principal, webhook_id=webhook_id))


async def delete_webhook(*, principal: Principal, webhook_id: str) -> None:
    """Deletes the webhook and its deliveries."""
    webhook = await owned_webhook(principal=principal, webhook_id=webhook_id)
    await webhook.delete()
    await WebhookDelivery.find(WebhookDelivery.webhook_id == webhook.id).delete()


async def rotate_secret(
    *, principal: Principal, webhook_id: str, settings: NotificationSettings
) -> WebhookSecret:
    """Returns the webhook with a new secret; the previous one keeps signing beside it for the overlap."""
    webhook = await owned_webhook(principal=principal, webhook_id=webhook_id)
    now = datetime.now(UTC)
    until = now + timedelta(seconds=settings.webhook_secret_overlap_seconds)
    # Only the newest previous secret overlaps: rotating twice in a day retires the oldest at once.
    previous = SigningSecret(secret=webhook.secrets[0].secret, expires_at=until)
    rotated = [SigningSecret(secret=_new_secret()), previous]
    await webhook.update(
        Set({Webhook.secrets: [each.model_dump() for each in rotated], Webhook.updated_at: now})
    )
    webhook.secrets = rotated
    return _with_secret(webhook)


async def fail_pending(*, webhook_id: str) -> None:
    """Settles the webhook's pending deliveries as failed (kept, and re-sendable once it is enabled)."""
    await WebhookDelivery.find({"webhook_id": webhook_id, "state": "pending"}).update_many(
        Set({"state": "failed"})
    )
