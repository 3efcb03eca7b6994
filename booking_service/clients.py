"""HTTP calls to the services a booking needs: tokens (users), events, and payments."""

import asyncio
import time
from datetime import datetime
from typing import Any

import httpx
from pydantic import BaseModel, Field

from shared.observability import current_request_id

TOKEN_RENEWAL_MARGIN_SECONDS = 60


class UpstreamUnavailableError(Exception):
    """A service could not be reached, so nothing happened there."""


class UpstreamUncertainError(Exception):
    """A call timed out or failed mid-way: it may or may not have taken effect."""


class UpstreamRejectedError(Exception):
    """The service refused the request (4xx): nothing happened there, and repeating it will not help."""


class EventRecord(BaseModel):
    """The parts of the event service's `EventPublic` this service keeps."""

    event_id: str = Field(alias="id")
    title: str
    owner_id: str
    capacity: int
    price: int
    currency: str
    max_tickets_per_booking: int
    starts_at: datetime
    status: str
    version: int


class PaymentRecord(BaseModel):
    """The parts of the payment service's `PaymentPublic` this service reads."""

    id: str
    status: str
    amount: int
    decline_reason: str | None = None


class ServiceTokens:
    """This service's own access token from the user service, renewed shortly before it expires."""

    def __init__(self, http: httpx.AsyncClient, *, url: str, client_id: str, client_secret: str) -> None:
        self._http = http
        self._url = url
        self._auth = (client_id, client_secret)
        self._token: str | None = None
        self._renew_at = 0.0
        self._lock = asyncio.Lock()

    async def headers(self) -> dict[str, str]:
        """Returns the Authorization header, fetching a token when needed."""
        async with self._lock:
            if self._token is None or time.monotonic() >= self._renew_at:
                response = await _call(
                    self._http.post(self._url, data={"grant_type": "client_credentials"}, auth=self._auth)
                )
                response.raise_for_status()
                body = response.json()
                self._token = body["access_token"]
                self._renew_at = time.monotonic() + body["expires_in"] - TOKEN_RENEWAL_MARGIN_SECONDS
        return {"Authorization": f"Bearer {self._token}"}


async def _call(request: Any) -> httpx.Response:
    """Awaits an httpx request, sorting failures into 'never arrived' and 'outcome unknown'."""
    try:
        response = await request
    except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
        raise UpstreamUnavailableError(str(exc) or type(exc).__name__) from exc
    except httpx.HTTPError as exc:
        raise UpstreamUncertainError(str(exc) or type(exc).__name__) from exc
    if response.status_code >= 500:
        raise UpstreamUncertainError(f"{response.request.url} answered {response.status_code}")
    return response


def _trace() -> dict[str, str]:
    request_id = current_request_id()
    return {"X-Request-ID": request_id} if request_id else {}


class EventClient:
    def __init__(self, http: httpx.AsyncClient, *, base_url: str) -> None:
        self._http = http
        self._base_url = base_url

    async def fetch(self, event_id: str) -> EventRecord | None:
        """Returns the event, or None when the event service does not know it."""
        response = await _call(self._http.get(f"{self._base_url}/events/{event_id}", headers=_trace()))
        if response.status_code in (404, 422):
            return None
        response.raise_for_status()
        return EventRecord.model_validate(response.json())


class PaymentClient:
    def __init__(
        self, http: httpx.AsyncClient, *, base_url: str, tokens: ServiceTokens, timeout: float
    ) -> None:
        self._http = http
        self._base_url = base_url
        self._tokens = tokens
        self._timeout = timeout

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**kwargs.pop("headers", {}), **_trace(), **await self._tokens.headers()}
        request = self._http.request(
            method, f"{self._base_url}{path}", headers=headers, timeout=self._timeout, **kwargs
        )
        return await _call(request)

    async def charge(
        self, *, booking_id: str, user_id: str, amount: int, currency: str, payment_method: str
    ) -> PaymentRecord:
        """Charges for a booking; the booking id is the idempotency key, so a retry never charges twice."""
        response = await self._send(
            "POST",
            "/payments",
            headers={"Idempotency-Key": booking_id},
            json={
                "booking_id": booking_id,
                "user_id": user_id,
                "amount": amount,
                "currency": currency,
                "payment_method": payment_method,
            },
        )
        if response.status_code == 409:  # a charge with this key is still running: its outcome is unknown
            raise UpstreamUncertainError(f"{response.status_code} {response.text}")
        if response.is_client_error:
            raise UpstreamRejectedError(f"{response.status_code} {response.text}")
        return PaymentRecord.model_validate(response.json())

    async def find_for_booking(self, booking_id: str) -> PaymentRecord | None:
        """Returns the payment made for a booking, if any."""
        response = await self._send("GET", "/payments", params={"booking_id": booking_id, "limit": 1})
        response.raise_for_status()
        items = response.json()["items"]
        return PaymentRecord.model_validate(items[0]) if items else None

    async def refund(self, *, payment_id: str, idempotency_key: str) -> None:
        """Refunds what is left of a payment; repeating it with the same key refunds nothing more."""
        response = await self._send(
            "POST", f"/payments/{payment_id}/refunds", headers={"Idempotency-Key": idempotency_key}, json={}
        )
        if response.status_code == 409 and await self._fully_refunded(payment_id):
            return  # refunded already (by an admin, say): nothing is left to give back
        if 400 <= response.status_code < 500:
            raise UpstreamRejectedError(f"refund refused: {response.text}")

    async def _fully_refunded(self, payment_id: str) -> bool:
        response = await self._send("GET", f"/payments/{payment_id}")
        return response.status_code == 200 and response.json()["status"] == "refunded"
