"""Turning off an endpoint the platform gave up on (410 Gone, or failing throughout the retry window), and
telling its owner in the inbox and by email, through the notifications' own paths."""

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from beanie.operators import Set

from notification_service.rules import EMAIL, Draft
from notification_service.settings import NotificationSettings
from notification_service.webhook_metrics import WebhookMetrics
from notification_service.webhook_models import Webhook, WebhookDisabledReason
from notification_service.webhook_service import fail_pending

logger = logging.getLogger(__name__)

# Stores and announces an owner's notification under a message id (`Notifier.tell`).
Tell = Callable[[str, list[Draft]], Awaitable[None]]
_DISABLED_BECAUSE = {
    "gone": "it answered 410 Gone",
    "failing": "every delivery to it failed for {window}",
}


class WebhookDisabler:
    def __init__(self, *, settings: NotificationSettings, metrics: WebhookMetrics, tell: Tell) -> None:
        self.settings = settings
        self.metrics = metrics
        self.tell = tell

    async def disable(self, webhook: Webhook, reason: WebhookDisabledReason) -> None:
        """Disables the endpoint, settles its pending deliveries as failed, and tells its owner."""
        now = datetime.now(UTC)
        disabled = await Webhook.find_one({"_id": webhook.id, "enabled": True}).update(
            Set({"enabled": False, "disabled_reason": reason, "updated_at": now})
        )
        if disabled is None or disabled.modified_count == 0:
            return  # another attempt or replica did it
        self.metrics.disabled(reason)
        await fail_pending(webhook_id=webhook.id)
        logger.warning("Disabled webhook %s (%s): %s", webhook.id, webhook.url, reason)
        window = timedelta(seconds=self.settings.webhook_retry_window_seconds)
        because = _DISABLED_BECAUSE[reason].format(window=_duration(window))
        draft = Draft(
            recipient=webhook.owner_id,
            type="webhook.disabled",
            title="Webhook disabled",
            body=f"Your webhook to {webhook.url} was disabled because {because}. "
            "Its deliveries are kept; enable it again to resume, then re-send what failed.",
            data={"webhook_id": webhook.id, "url": webhook.url, "reason": reason},
            channels=(EMAIL,),
        )
        await self.tell(f"webhook.disabled:{webhook.id}:{now.isoformat()}", [draft])


def _duration(window: timedelta) -> str:
    seconds = window.total_seconds()
    if seconds >= 86400:
        return f"{seconds / 86400:g} days"
    if seconds >= 3600:
        return f"{seconds / 3600:g} hours"
    return f"{seconds:g} seconds"
