"""How notification texts write money, times in the event's own time zone, and the tickets of a booking."""

from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.messages import BookingItemFacts

# Currencies without minor units (ISO 4217 exponent 0) among those the platform is likely to see.
_ZERO_DECIMAL_CURRENCIES = frozenset({"JPY", "KRW", "VND", "CLP", "ISK", "HUF", "TWD", "UGX", "XAF", "XOF"})
# English names, not `strftime`'s %a and %b: those follow the process locale, and a text reads the
# same whichever replica wrote it.
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# The longest IANA names are about 30 characters; anything far longer is not one, and is not looked up.
_MAX_ZONE_NAME = 64
# A booking with many ticket types names the first few: the text stays one readable sentence.
MAX_TYPES_NAMED = 4
_MAX_TYPE_NAME = 40


def format_money(amount: int, currency: str) -> str:
    """Returns an amount in minor units as text, e.g. 2550 EUR -> "25.50 EUR" (no float involved)."""
    if currency.upper() in _ZERO_DECIMAL_CURRENCIES:
        return f"{amount} {currency}"
    major, minor = divmod(amount, 100)
    return f"{major}.{minor:02d} {currency}"


def tickets(count: int) -> str:
    return f"{count} ticket" if count == 1 else f"{count} tickets"


@lru_cache(maxsize=256)
def zone(name: str) -> tzinfo:
    """Returns the IANA time zone `name`, or UTC when there is no such zone: a message from a producer
    that knows a zone this host's database does not must still be told, never fail (or wait: a lookup
    that fails as an `OSError` would count as the store being down)."""
    if not name or len(name) > _MAX_ZONE_NAME:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return UTC


def as_aware(moment: datetime) -> datetime:
    """Returns the moment with its offset: one without is UTC, as every service stores its times."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _local(moment: datetime, zone_name: str) -> datetime:
    return as_aware(moment).astimezone(zone(zone_name))


def _zone_abbreviation(local: datetime) -> str:
    """Returns the zone as people read it: "CEST", or "UTC+03" where the zone has no letters ("+03")."""
    name = local.tzname() or "UTC"
    if name[0] in "+-":
        return f"UTC{name[:3]}" + (f":{name[3:]}" if len(name) > 3 else "")
    return name


def local_datetime(moment: datetime, zone_name: str) -> str:
    """Returns e.g. "Sat 21 Jun 2030, 19:30 CEST": the moment as read in the zone, which it names."""
    local = _local(moment, zone_name)
    weekday, month = _WEEKDAYS[local.weekday()], _MONTHS[local.month - 1]
    return f"{weekday} {local.day} {month} {local.year}, {local:%H:%M} {_zone_abbreviation(local)}"


def local_time(moment: datetime, zone_name: str) -> str:
    """Returns e.g. "19:45 CET": the time of day in the zone, for a moment soon enough to need no date."""
    local = _local(moment, zone_name)
    return f"{local:%H:%M} {_zone_abbreviation(local)}"


def _type_name(name: str) -> str:
    name = " ".join(name.split())  # no line breaks or runs of spaces in a sentence
    return name if len(name) <= _MAX_TYPE_NAME else f"{name[: _MAX_TYPE_NAME - 1]}…"


def ticket_types(items: Sequence[BookingItemFacts]) -> str:
    """Returns e.g. "2 × Regular, 1 × VIP": each type once (items of one type under several vouchers
    together), in the booking's order; past `MAX_TYPES_NAMED` types, the first few "and 3 more types"."""
    quantities: dict[str, int] = {}
    names: dict[str, str] = {}
    for item in items:
        if item.quantity > 0:
            quantities[item.ticket_type_id] = quantities.get(item.ticket_type_id, 0) + item.quantity
            names.setdefault(item.ticket_type_id, _type_name(item.name))
    named = [f"{quantity} × {names[type_id]}" for type_id, quantity in quantities.items()]
    if len(named) <= MAX_TYPES_NAMED:
        return ", ".join(named)
    shown = MAX_TYPES_NAMED - 1
    return f"{', '.join(named[:shown])} and {len(named) - shown} more types"
