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
    """No room left: in the event, or in a quota of the ticket type named (`ticket_type_id`)."""

    def __init__(
        self,
        detail: str,
        booking: Booking | None = None,
        *,
        ticket_type_id: str | None = None,
        reason: str = "sold_out",
    ) -> None:
        super().__init__(detail, booking)
        self.ticket_type_id = ticket_type_id
        self.reason = reason


class TooManyTicketsError(BookingError):
    """More tickets than the event allows per booking, or than one payment may charge for."""

    field = "tickets"


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


class InvalidItemError(BookingError):
    """An item names no ticket type of the event, or a quantity its type does not allow; `field`
    names the part of the request at fault."""

    def __init__(self, detail: str, *, field: str) -> None:
        super().__init__(detail)
        self.field = field


class TicketTypeNotOnSaleError(NotOnSaleError):
    """A ticket type's sales have not started or have ended (`reason`: not_yet, ended)."""

    def __init__(self, detail: str, *, ticket_type_id: str, reason: str) -> None:
        super().__init__(detail)
        self.ticket_type_id = ticket_type_id
        self.reason = reason


class VoucherRefusedError(BookingError):
    """The voucher cannot be used (`reason`: unknown, disabled, expired, not_applicable, used_up)."""

    def __init__(self, detail: str, *, reason: str) -> None:
        super().__init__(detail)
        self.reason = reason


class HoldExpiredError(BookingError):
    """A hold was not paid in time: its seats are back on sale."""


class NotHeldError(BookingError):
    """Only a booking `held` can be paid."""


class TicketTypeOnSaleError(BookingError):
    """The waiting list of a ticket type is open only while the type is sold out (`reason`: on_sale)."""

    def __init__(self, detail: str, *, ticket_type_id: str) -> None:
        super().__init__(detail)
        self.ticket_type_id = ticket_type_id
        self.reason = "on_sale"


class AlreadyWaitingError(BookingError):
    """A user has one active entry per ticket type (`reason`: already_waiting)."""

    reason = "already_waiting"


class TooManyEntriesError(BookingError):
    """A user has as many active waiting list entries as one may (`reason`: too_many_entries)."""

    reason = "too_many_entries"


class EntryNotFoundError(BookingError):
    pass


class EntryNotActiveError(BookingError):
    """Only an entry still waiting, or with its offer unpaid, can be withdrawn."""


class NotOrganizerError(BookingError):
    """Only the event's owner or an admin sees its waiting list."""
