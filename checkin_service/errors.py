"""Domain errors of the check-in service; api.py maps each to its HTTP status."""


class NotFoundError(Exception):
    """No such thing, or not the caller's to see."""


class TicketNotFoundError(NotFoundError):
    def __init__(self) -> None:
        super().__init__("No such ticket, or not yours")


class BookingNotFoundError(NotFoundError):
    def __init__(self) -> None:
        super().__init__("No tickets of such a booking, or not yours")


class EventNotFoundError(NotFoundError):
    def __init__(self) -> None:
        super().__init__("No such event known to the check-in service")


class CheckinListNotFoundError(NotFoundError):
    def __init__(self) -> None:
        super().__init__("No such check-in list")


class DoorStaffNotFoundError(NotFoundError):
    def __init__(self) -> None:
        super().__init__("That user is not door staff of this event")


class ForbiddenError(Exception):
    """The caller may not do this."""


class TicketLockedError(Exception):
    """The ticket can no longer change: its event has started, or it was revoked."""


class LimitReachedError(Exception):
    """An event already has as many of these as it may."""


class InvalidFieldError(Exception):
    """A request the model accepted but the event does not allow; `field` names the part at fault."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


class EventServiceUnavailableError(Exception):
    """The event service could not be asked about an event; a consumer retries later."""
