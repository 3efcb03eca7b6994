"""One attempt at a delivery: signed per Standard Webhooks with its own library, sent, its answer kept.

Only a 2xx within the time limit counts; a redirect is an answer like any other, never followed.
"""

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from standardwebhooks import Webhook as Signer

from notification_service.webhook_models import SigningSecret, WebhookAttempt
from notification_service.webhook_urls import WebhookUrlError, resolve_target

RESPONSE_KEPT_BYTES = 1024
USER_AGENT = "event-platform-webhooks/1"


@dataclass(frozen=True)
class Outcome:
    attempt: WebhookAttempt

    @property
    def delivered(self) -> bool:
        return self.attempt.status_code is not None and 200 <= self.attempt.status_code < 300

    @property
    def gone(self) -> bool:
        return self.attempt.status_code == 410


def signing_secrets(secrets: Sequence[SigningSecret], now: datetime) -> list[str]:
    """The secrets that sign now: the current one, and any rotated out less than the overlap ago."""
    return [each.secret for each in secrets if each.expires_at is None or each.expires_at > now]


def signed_headers(*, message_id: str, body: str, secrets: Sequence[str], now: datetime) -> dict[str, str]:
    """The Standard Webhooks headers; several secrets give several signatures, space-separated."""
    signatures = " ".join(Signer(secret).sign(message_id, now, body) for secret in secrets)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signatures,
    }


async def send(
    client: httpx.AsyncClient,
    *,
    url: str,
    message_id: str,
    body: str,
    secrets: Sequence[SigningSecret],
    public_only: bool,
    timeout: float,
) -> Outcome:
    """Makes one attempt; never raises for anything the endpoint or the network does."""
    now = datetime.now(UTC)
    started = time.monotonic()
    try:
        # Resolved and checked again now: the name may point elsewhere than when it was registered.
        target = await resolve_target(url, public_only=public_only)
        headers = signed_headers(
            message_id=message_id, body=body, secrets=signing_secrets(secrets, now), now=now
        )
        request = client.build_request(
            "POST",
            target.url,
            content=body.encode(),
            headers={
                **headers,
                "Host": target.host,
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
            },
            extensions={"sni_hostname": target.hostname},
        )
        # The whole exchange within the limit: httpx's own timeout is per read, and a trickle of bytes
        # would never trip it.
        async with asyncio.timeout(timeout):
            response = await client.send(request, stream=True, follow_redirects=False)
            try:
                kept = await _first_bytes(response, RESPONSE_KEPT_BYTES)
            finally:
                await response.aclose()
    except TimeoutError:
        return Outcome(_attempt(now, started, error=f"No answer within {timeout:g}s"))
    except (WebhookUrlError, httpx.HTTPError) as exc:
        return Outcome(_attempt(now, started, error=f"{type(exc).__name__}: {exc}"[:RESPONSE_KEPT_BYTES]))
    text = kept.decode("utf-8", errors="replace")
    return Outcome(_attempt(now, started, status_code=response.status_code, response=text))


async def _first_bytes(response: httpx.Response, limit: int) -> bytes:
    """Reads no more of the answer than is kept: an endless body costs nothing."""
    kept = b""
    async for chunk in response.aiter_bytes():
        kept += chunk
        if len(kept) >= limit:
            break
    return kept[:limit]


def _attempt(
    at: datetime,
    started: float,
    *,
    status_code: int | None = None,
    response: str = "",
    error: str | None = None,
) -> WebhookAttempt:
    return WebhookAttempt(
        at=at,
        status_code=status_code,
        duration_ms=round((time.monotonic() - started) * 1000),
        response=response,
        error=error,
    )
