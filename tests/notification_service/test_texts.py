"""Times, money and ticket types as people read them in notification texts."""

from datetime import UTC, datetime

import pytest

from notification_service.texts import MAX_TYPES_NAMED, format_money, local_datetime, local_time, ticket_types
from tests.notification_service.conftest import item

SUMMER_EVENING = datetime(2030, 6, 21, 17, 30, tzinfo=UTC)
WINTER_EVENING = datetime(2030, 1, 21, 18, 45, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "zone", "told"),
    [
        (SUMMER_EVENING, "Europe/Berlin", "Fri 21 Jun 2030, 19:30 CEST"),
        (WINTER_EVENING, "Europe/Berlin", "Mon 21 Jan 2030, 19:45 CET"),  # the zone's winter name
        (SUMMER_EVENING, "Australia/Sydney", "Sat 22 Jun 2030, 03:30 AEST"),  # already the next day there
        (SUMMER_EVENING, "America/Sao_Paulo", "Fri 21 Jun 2030, 14:30 UTC-03"),  # a zone without letters
        (SUMMER_EVENING, "Asia/Kathmandu", "Fri 21 Jun 2030, 23:15 UTC+05:45"),
        (SUMMER_EVENING, "UTC", "Fri 21 Jun 2030, 17:30 UTC"),
        (datetime(2030, 6, 21, 17, 30), "Europe/Berlin", "Fri 21 Jun 2030, 19:30 CEST"),  # no offset: UTC
    ],
)
def test_a_moment_is_told_in_the_events_zone_which_it_names(moment: datetime, zone: str, told: str) -> None:
    assert local_datetime(moment, zone) == told


@pytest.mark.parametrize(
    "zone",
    ["Mars/Olympus_Mons", "utc", "Europe", "", "../../etc/passwd", "/etc/localtime", "Europe/" + "x" * 300],
)
def test_a_zone_that_is_not_one_falls_back_to_utc(zone: str) -> None:
    # "Europe" is a folder of the zone database: its lookup fails as an OS error, which a consumer
    # would take for a store that is down and retry for ever. It is told in UTC instead.
    assert local_datetime(SUMMER_EVENING, zone) == "Fri 21 Jun 2030, 17:30 UTC"
    assert local_time(SUMMER_EVENING, zone) == "17:30 UTC"


def test_a_time_of_day_names_its_zone() -> None:
    assert local_time(WINTER_EVENING, "Europe/Paris") == "19:45 CET"


def test_ticket_types_are_named_once_each_in_the_bookings_order() -> None:
    items = [item("VIP", 1, 5000), item("Regular", 1, 2000), item("VIP", 2, 4000, "FRIENDS")]

    assert ticket_types(items) == "3 × VIP, 1 × Regular"


def test_a_booking_of_many_types_names_the_first_few_and_counts_the_rest() -> None:
    items = [item(f"Tier {n}", 1, 1000) for n in range(1, MAX_TYPES_NAMED + 3)]

    assert ticket_types(items) == "1 × Tier 1, 1 × Tier 2, 1 × Tier 3 and 3 more types"


def test_a_type_name_stays_on_one_short_line() -> None:
    told = ticket_types([item("Early\nbird   " + "x" * 100, 2, 1000)])

    assert told.startswith("2 × Early bird xxx") and told.endswith("…")
    assert "\n" not in told and len(told) < 50


@pytest.mark.parametrize(
    ("amount", "currency", "told"),
    [(7500, "EUR", "75.00 EUR"), (5, "USD", "0.05 USD"), (1500, "JPY", "1500 JPY")],
)
def test_money_is_told_in_major_units_without_rounding(amount: int, currency: str, told: str) -> None:
    assert format_money(amount, currency) == told
