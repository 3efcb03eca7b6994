"""Calls to the services a booking needs: tokens (users), events, and payments."""

import asyncio
import base64
import time
from datetime import datetime

from pydantic import BaseModel, Field

from booking_service.upstream import (
    Response,
    Upstream,
    UpstreamRejectedError,
    UpstreamUnavailableError,
    UpstreamUncertainError,
)
from shared.messages import QuotaFacts, TicketTypeFacts, VoucherFacts
from shared.observability import current_request_id

TOKEN_RENEWAL_MARGIN_SECONDS = 60


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
    timezone: str = "UTC"
    hold_minutes: int = 15
    offer_hours: int = 24

    # The event service answers with its public types only, and no quotas or vouchers: an event
    # learnt this way sells its default type until an `event.*` snapshot brings the catalogue.
    @property
    def ticket_types(self) -> list[TicketTypeFacts]:
        return []

    @property
    def quotas(self) -> list[QuotaFacts]:
        return []

    @property
    def vouchers(self) -> list[VoucherFacts]:
        return []


class PaymentRecord(BaseModel):
    """The parts of the payment service's `PaymentPublic` this service reads."""

    id: str
    status: str
    amount: int
    currency: str
    decline_reason: str | None = None


def _checked(response: Response) -> Response:
    """Returns a response the service did not fail on: its 5xx leaves the call's outcome unknown."""
    if response.status >= 500:
        raise UpstreamUncertainError(f"answered {response.status}: {response.text}")
    return response


def _ok(response: Response) -> Response:
    """Returns a 200 response; any other refuses what this service asked."""
    if _checked(response).status != 200:
        raise UpstreamRejectedError(f"answered {response.status}: {response.text}")
    return response


def _trace() -> dict[str, str]:
    request_id = current_request_id()
    return {"X-Request-ID": request_id} if request_id else {}


class ServiceTokens:
    """This service's own access token from the user service, renewed shortly before it expires."""

    def __init__(self, users: Upstream, *, client_id: str, client_secret: str) -> None:
        self._users = users
        credentials = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()
        self._authorization = {"Authorization": f"Basic {credentials}"}
        self._token: str | None = None
        self._renew_at = 0.0
        self._lock = asyncio.Lock()

    async def headers(self) -> dict[str, str]:
        """Returns the Authorization header, fetching a token when needed."""
        async with self._lock:
            if self._token is None or time.monotonic() >= self._renew_at:
                response = await self._users.request(
                    "POST", "/token", headers=self._authorization, form={"grant_type": "client_credentials"}
                )
                if _checked(response).status != 200:
                    # No call was made with it, so whatever needed the token was not done.
                    raise UpstreamUnavailableError(f"No service token: {response.status} {response.text}")
                body = response.json()
                self._token = body["access_token"]
                self._renew_at = time.monotonic() + body["expires_in"] - TOKEN_RENEWAL_MARGIN_SECONDS
        return {"Authorization": f"Bearer {self._token}"}


class EventClient:
    def __init__(self, events: Upstream) -> None:
        self._events = events

    async def fetch(self, event_id: str) -> EventRecord | None:
        """Returns the event, or None when the event service does not know it."""
        response = _checked(await self._events.request("GET", f"/events/{event_id}", headers=_trace()))
        if response.status in (404, 422):
            return None
        return EventRecord.model_validate(_ok(response).json())


class PaymentClient:
    def __init__(self, payments: Upstream, *, tokens: ServiceTokens) -> None:
        self._payments = payments
        self._tokens = tokens

    async def _send(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        params: dict[str, str | int] | None = None,
        json_body: object = None,
    ) -> Response:
        sent = {**(headers or {}), **_trace(), **await self._tokens.headers()}
        response = await self._payments.request(
            method, path, headers=sent, params=params, json_body=json_body
        )
        return _checked(response)

    async def charge(
        self, *, booking_id: str, user_id: str, amount: int, currency: str, payment_method: str
    ) -> PaymentRecord:
        """Charges for a booking; the booking id is the idempotency key, so a retry never charges twice."""
        response = await self._send(
            "POST",
            "/payments",
            headers={"Idempotency-Key": booking_id},
            json_body={
                "booking_id": booking_id,
                "user_id": user_id,
                "amount": amount,
                "currency": currency,
                "payment_method": payment_method,
            },
        )
        if response.status == 409:  # a charge with this key is still running: its outcome is unknown
            raise UpstreamUncertainError(f"{response.status} {response.text}")
        if response.is_client_error:
            raise UpstreamRejectedError(f"{response.status} {response.text}")
        return PaymentRecord.model_validate_json(response.body)

    async def find_for_booking(self, booking_id: str) -> PaymentRecord | None:
        """Returns the payment this service made for a booking (under the booking id as its key), if any.

        Only this service's own: anyone else's payment naming the booking paid nothing for it here.
        """
        params = {"idempotency_key": booking_id, "booking_id": booking_id}
        response = await self._send("GET", "/payments", params=params)
        items = _ok(response).json()["items"]
        return PaymentRecord.model_validate(items[0]) if items else None

    async def refund(self, *, payment_id: str, idempotency_key: str) -> None:
        """Refunds what is left of a payment; repeating it with the same key refunds nothing more."""
        response = await self._send(
            "POST",
            f"/payments/{payment_id}/refunds",
            headers={"Idempotency-Key": idempotency_key},
            json_body={},
        )
        if response.status == 409 and await self._fully_refunded(payment_id):
            return  # refunded already (by an admin, say): nothing is left to give back
        if response.is_client_error:
            raise UpstreamRejectedError(f"refund refused: {response.text}")

    async def _fully_refunded(self, payment_id: str) -> bool:
        response = await self._send("GET", f"/payments/{payment_id}")
        return response.status == 200 and response.json()["status"] == "refunded"
