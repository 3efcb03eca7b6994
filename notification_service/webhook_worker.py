"""Sending due webhook deliveries, several at once, each lane in order, and recording every attempt.

Deliveries wait in MongoDB, so a replica killed mid-retry loses none: whichever replica runs next
finds them due. A delivery is leased by pushing its next attempt out (so no other replica takes it
meanwhile), then sent. Within a lane (one endpoint, one event) a delivery is taken only when no
earlier one of the lane is still pending: a later fact waits while an earlier one is retried. One
found waiting is parked for a lease too, and made due again as soon as the one before it settles.
Different lanes and endpoints never wait for each other, up to the replica's concurrency; one endpoint
holds at most `webhook_endpoint_concurrency` of it, so a slow one cannot stall the rest.

An endpoint at its share is left out of the query for due deliveries: otherwise its deliveries, due
first and passed over but never leased, would fill every pass's candidates. Slow endpoints still hold
their share of the slots while their attempts run (up to the timeout each), so the slots are many: an
attempt in flight costs a task and a socket, and with the defaults (64 slots, 4 per endpoint) it takes
16 endpoints hanging at once to fill a replica, rather than 4. Any fixed bound can be filled by enough
of them; this one keeps a replica's sockets bounded while making that take a broad outage.
"""

import asyncio
import logging
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from beanie.operators import Set

from notification_service.settings import NotificationSettings
from notification_service.webhook_disabler import Tell, WebhookDisabler
from notification_service.webhook_metrics import WebhookMetrics
from notification_service.webhook_models import (
    MAX_KEPT_ATTEMPTS,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
)
from notification_service.webhook_sender import send
from notification_service.webhook_urls import RESOLVE_TIMEOUT_SECONDS
from shared.mongo import MONGO_DOWN_ERRORS
from shared.worker import Worker

logger = logging.getLogger(__name__)


class WebhookWorker(Worker):
    """Claims due deliveries and sends each in a task of its own; woken when new ones are queued."""

    name = "webhook-worker"
    waiting_on = MONGO_DOWN_ERRORS

    def __init__(self, *, settings: NotificationSettings, metrics: WebhookMetrics, tell: Tell) -> None:
        super().__init__(poll_seconds=settings.webhook_poll_seconds)
        self.settings = settings
        self.metrics = metrics
        self.disabler = WebhookDisabler(settings=settings, metrics=metrics, tell=tell)
        # Longer than any one attempt can take, so a lease runs out only for a replica that died.
        self.lease = timedelta(seconds=2 * (settings.webhook_timeout_seconds + RESOLVE_TIMEOUT_SECONDS))
        self.client: httpx.AsyncClient | None = None
        self._in_flight: dict[str, asyncio.Task[None]] = {}
        self._per_endpoint: Counter[str] = Counter()

    async def start(self) -> None:
        # No redirects, no proxy from the environment: a delivery goes where the endpoint says.
        # A connection for every slot: a pool smaller than the slots would make a healthy endpoint's
        # attempt wait for one and time out.
        self.client = httpx.AsyncClient(
            follow_redirects=False,
            trust_env=False,
            timeout=self.settings.webhook_timeout_seconds,
            limits=httpx.Limits(max_connections=self.settings.webhook_concurrency),
        )
        await super().start()

    async def close(self) -> None:
        await super().close()
        tasks = list(self._in_flight.values())
        for task in tasks:
            task.cancel()  # its lease runs out, and the delivery is attempted again
        await asyncio.gather(*tasks, return_exceptions=True)
        if self.client is not None:
            await self.client.aclose()

    async def run_pass(self) -> bool:
        free = self.settings.webhook_concurrency - len(self._in_flight)
        if free <= 0:
            return False  # a finishing task wakes the worker
        now = datetime.now(UTC)
        cap = self.settings.webhook_endpoint_concurrency
        full = [webhook_id for webhook_id, count in self._per_endpoint.items() if count >= cap]
        candidates = (
            await WebhookDelivery.find(
                {
                    "state": "pending",
                    "next_attempt_at": {"$lte": now},
                    "_id": {"$nin": list(self._in_flight)},
                    "webhook_id": {"$nin": full},
                }
            )
            .sort([("next_attempt_at", 1), ("sequence", 1)])
            .limit(free * 4)
            .to_list()
        )
        for delivery in candidates:
            if free == 0:
                break
            if self._per_endpoint[delivery.webhook_id] >= cap:  # reached it in this pass
                continue
            if await _waits_in_lane(delivery):
                # Parked until the lane's head settles (which wakes its next one) or the lease ends: a
                # long lane behind a failing head must not fill every pass's candidates.
                await self._lease(delivery, now)
                continue
            if not await self._lease(delivery, now):
                continue
            self._launch(delivery)
            free -= 1
        return False

    async def _lease(self, delivery: WebhookDelivery, now: datetime) -> bool:
        """Pushes the delivery's next attempt out by the lease, unless another replica just did."""
        claimed = await WebhookDelivery.find_one(
            {"_id": delivery.id, "state": "pending", "next_attempt_at": delivery.next_attempt_at}
        ).update(Set({WebhookDelivery.next_attempt_at: now + self.lease}))
        return claimed is not None and claimed.modified_count == 1

    def _launch(self, delivery: WebhookDelivery) -> None:
        task = asyncio.create_task(self._attempt(delivery), name=f"webhook-{delivery.id}")
        self._in_flight[delivery.id] = task
        self._per_endpoint[delivery.webhook_id] += 1

        def done(_: asyncio.Task[None]) -> None:
            del self._in_flight[delivery.id]
            self._per_endpoint[delivery.webhook_id] -= 1
            self.wake()

        task.add_done_callback(done)

    async def _attempt(self, delivery: WebhookDelivery) -> None:
        try:
            await self._send_and_record(delivery)
        except MONGO_DOWN_ERRORS as exc:
            logger.warning("Webhook delivery %s waits for the store: %r", delivery.id, exc)
        except Exception:
            logger.exception(
                "Webhook delivery %s failed unexpectedly; retried when its lease ends", delivery.id
            )

    async def _send_and_record(self, delivery: WebhookDelivery) -> None:
        webhook = await Webhook.get(delivery.webhook_id)
        if webhook is None:  # deleted meanwhile, with its deliveries
            return
        if not webhook.enabled:
            await _settle(delivery, {"state": "failed"})
            return
        assert self.client is not None
        outcome = await send(
            self.client,
            url=webhook.url,
            message_id=delivery.message_id,
            body=delivery.body,
            secrets=webhook.secrets,
            public_only=self.settings.webhook_public_urls_only,
            timeout=self.settings.webhook_timeout_seconds,
        )
        seconds = outcome.attempt.duration_ms / 1000
        if outcome.delivered:
            self.metrics.attempted("delivered", seconds)
            await _settle(delivery, {"state": "delivered"}, outcome.attempt)
            await Webhook.find_one({"_id": webhook.id, "failing_since": {"$ne": None}}).update(
                Set({Webhook.failing_since: None})
            )
            return
        logger.warning(
            "Webhook delivery %s to %s failed: %s",
            delivery.id,
            webhook.url,
            outcome.attempt.error or f"answered {outcome.attempt.status_code}",
        )
        if outcome.gone:
            self.metrics.attempted("failed", seconds)
            await _settle(delivery, {"state": "failed"}, outcome.attempt)
            await self.disabler.disable(webhook, "gone")
            return
        await self._retry_or_fail(webhook, delivery, outcome.attempt, seconds)

    async def _retry_or_fail(
        self, webhook: Webhook, delivery: WebhookDelivery, attempt: WebhookAttempt, seconds: float
    ) -> None:
        now = attempt.at
        window = timedelta(seconds=self.settings.webhook_retry_window_seconds)
        await Webhook.find_one({"_id": webhook.id, "failing_since": None}).update(
            Set({Webhook.failing_since: now})
        )
        failing_since = webhook.failing_since or now
        delays = self.settings.webhook_retry_delays_seconds
        count = delivery.attempt_count + 1
        next_at = now + timedelta(seconds=delays[min(count, len(delays)) - 1])
        gives_up = next_at - delivery.series_started_at > window
        # Nothing delivered to the endpoint since this delivery's first attempt of its series.
        series = delivery.attempts[-delivery.attempt_count :] if delivery.attempt_count else [attempt]
        failed_throughout = failing_since <= series[0].at
        if now - failing_since >= window or gives_up:
            self.metrics.attempted("failed", seconds)
            await _settle(delivery, {"state": "failed"}, attempt)
            if now - failing_since >= window or failed_throughout:
                await self.disabler.disable(webhook, "failing")
            return
        self.metrics.attempted("retried", seconds)
        await _settle(delivery, {"next_attempt_at": next_at}, attempt)


async def _waits_in_lane(delivery: WebhookDelivery) -> bool:
    """Whether an earlier delivery of its lane is still pending (being sent, or waiting to be retried)."""
    if delivery.lane is None:
        return False
    earlier = await WebhookDelivery.find_one(
        {
            "webhook_id": delivery.webhook_id,
            "lane": delivery.lane,
            "state": "pending",
            "sequence": {"$lt": delivery.sequence},
        }
    )
    return earlier is not None


async def _settle(
    delivery: WebhookDelivery, changes: dict[str, Any], attempt: WebhookAttempt | None = None
) -> None:
    """Records an attempt and its consequence on the delivery; once it is settled, the next of its lane
    is due at once."""
    update: dict[str, Any] = {"$set": changes}
    if attempt is not None:
        update["$push"] = {"attempts": {"$each": [attempt.model_dump()], "$slice": -MAX_KEPT_ATTEMPTS}}
        update["$inc"] = {"attempt_count": 1}
    await WebhookDelivery.find_one({"_id": delivery.id, "state": "pending"}).update(update)
    if changes.get("state") in ("delivered", "failed") and delivery.lane is not None:
        following = (
            await WebhookDelivery.find(
                {
                    "webhook_id": delivery.webhook_id,
                    "lane": delivery.lane,
                    "state": "pending",
                    "sequence": {"$gt": delivery.sequence},
                }
            )
            .sort([("sequence", 1)])
            .first_or_none()
        )
        now = datetime.now(UTC)
        if following is not None and following.next_attempt_at > now:
            await WebhookDelivery.find_one(
                {"_id": following.id, "next_attempt_at": following.next_attempt_at}
            ).update(Set({WebhookDelivery.next_attempt_at: now}))
