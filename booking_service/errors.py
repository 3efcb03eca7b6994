"""Why a booking cannot proceed; `api.py` maps each to its HTTP answer, and consumers to a retry or not."""

from booking_service.models import Booking


class BookingError(Exception):
    """A booking request that cannot proceed; `booking` is the one stored, if any, as it now stands."""

    def __init__(self, detail: str, booking: Booking | None = None) -> None:
        super().__init__(detail)
        self.booking = booking


class BookingNotFoundError(BookingError):
    pass


class EventNotFoundError(BookingError):
    pass


class NotOnSaleError(BookingError):
    """The event is cancelled or has started."""


class NotEnoughSeatsError(BookingError):
    pass


class TooManyTicketsError(BookingError):
    pass


class IdempotencyKeyReusedError(BookingError):
    pass


class BookingInProgressError(BookingError):
    """A request with the same Idempotency-Key made a booking whose payment has not settled yet."""


class NotCancellableError(BookingError):
    """Only a confirmed booking (or one whose refund was refused) can be cancelled."""


class PaymentDeclinedError(BookingError):
    pass


class PaymentRejectedError(BookingError):
    """The payment service refused a charge or a refund it was asked for."""


class ServiceUnavailableError(BookingError):
    """The event or payment service could not be reached."""


class PaymentOutcomeUnknownError(BookingError):
    pass


class PendingBookingsRemainError(Exception):
    """Bookings are still being paid; cancelling them (their event's), or following a refund of
    their payment, has to wait until they settle."""


class RefundsRefusedError(Exception):
    """The payment service refused the refunds of bookings of a cancelled event; each is recorded
    on its booking (`refund_refused`), and the message that cancelled them is dead-lettered."""
