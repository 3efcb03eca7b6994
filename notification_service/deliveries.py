"""Sending through outside channels, apart from storing and live delivery so it never holds them up.

Pending deliveries wait in MongoDB. A dispatcher per replica claims one due delivery at a time
(pushing its next attempt out by a lease, so replicas do not send it twice), sends it, and records
the outcome: sent, retried later with a growing back-off, or given up after `max_attempts`, each
failure logged.
"""

import logging
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from beanie import UpdateResponse
from beanie.operators import Set
from pymongo import ASCENDING

from notification_service.channels import Channel
from notification_service.models import Contact, Delivery
from notification_service.settings import NotificationSettings
from shared.mongo import MONGO_DOWN_ERRORS
from shared.worker import Worker

logger = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 3600.0


class UnreachableError(Exception):
    """No address is known for the recipient yet."""


class DeliveryDispatcher(Worker):
    """Sends due deliveries through their channel; woken after new ones are stored, polling as a fallback."""

    name = "delivery-dispatcher"
    waiting_on = MONGO_DOWN_ERRORS

    def __init__(
        self,
        *,
        channels: Mapping[str, Channel],
        max_attempts: int,
        retry_seconds: float,
        poll_seconds: float,
        lease_seconds: float,
    ) -> None:
        super().__init__(poll_seconds=poll_seconds)
        self.channels = dict(channels)
        self.max_attempts = max_attempts
        self.retry_seconds = retry_seconds
        self.lease_seconds = lease_seconds

    @classmethod
    def from_settings(
        cls, settings: NotificationSettings, channels: Mapping[str, Channel]
    ) -> "DeliveryDispatcher":
        return cls(
            channels=channels,
            max_attempts=settings.email_max_attempts,
            retry_seconds=settings.email_retry_seconds,
            poll_seconds=settings.email_poll_seconds,
            lease_seconds=settings.smtp_timeout_seconds * 3,
        )

    async def start(self) -> None:
        if self.channels:  # nothing to send through: no task at all
            await super().start()

    async def run_pass(self) -> bool:
        await self.dispatch_due()
        return False

    async def dispatch_due(self) -> bool:
        """Attempts every delivery that is due now; returns whether there was any."""
        attempted = False
        while (delivery := await self._claim()) is not None:
            attempted = True
            await self._attempt(delivery)
        return attempted

    async def _claim(self) -> Delivery | None:
        now = datetime.now(UTC)
        # One findAndModify: the earliest due delivery, leased in the same step that finds it.
        return await Delivery.find_one(
            {"state": "pending", "channel": {"$in": list(self.channels)}, "next_attempt_at": {"$lte": now}}
        ).update(
            Set({Delivery.next_attempt_at: now + timedelta(seconds=self.lease_seconds)}),
            response_type=UpdateResponse.NEW_DOCUMENT,
            sort=[("next_attempt_at", ASCENDING)],  # passed on to findAndModify
        )

    async def _attempt(self, delivery: Delivery) -> None:
        attempts = delivery.attempts + 1
        try:
            contact = await Contact.get(delivery.user_id)
            if contact is None:
                raise UnreachableError(f"No address is known for user {delivery.user_id} yet")
            await self.channels[delivery.channel].send(
                contact=contact, title=delivery.title, body=delivery.body
            )
        except MONGO_DOWN_ERRORS:
            raise  # not the channel's fault: the lease runs out and the delivery is attempted again
        except Exception as exc:
            await self._record_failure(delivery, attempts, exc)
            return
        await self._record(delivery, {"state": "sent", "attempts": attempts, "last_error": None})
        logger.info("Sent %s %s", delivery.channel, delivery.id)

    async def _record_failure(self, delivery: Delivery, attempts: int, exc: Exception) -> None:
        error = f"{type(exc).__name__}: {exc}"
        if attempts >= self.max_attempts:
            logger.error(
                "Giving up on %s %s after %d attempts: %s", delivery.channel, delivery.id, attempts, error
            )
            await self._record(delivery, {"state": "failed", "attempts": attempts, "last_error": error})
            return
        backoff = min(self.retry_seconds * 2 ** (attempts - 1), MAX_BACKOFF_SECONDS)
        logger.warning(
            "Sending %s %s failed (attempt %d), retrying in %.0fs: %s",
            delivery.channel,
            delivery.id,
            attempts,
            backoff,
            error,
        )
        await self._record(
            delivery,
            {
                "attempts": attempts,
                "last_error": error,
                "next_attempt_at": datetime.now(UTC) + timedelta(seconds=backoff),
            },
        )

    @staticmethod
    async def _record(delivery: Delivery, changes: dict[str, object]) -> None:
        await Delivery.find_one(Delivery.id == delivery.id).update(Set(changes))
